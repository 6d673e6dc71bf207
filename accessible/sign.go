package accessible

import (
	"errors"
	"fmt"
	"strings"

	"github.com/onus-gxp/onus/internal/plural"
	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/sign"
	"github.com/onus-gxp/onus/store"
)

// sign signs the open assessment with an SSH key, as the wizard's signing
// dialog does: what the signature means, the printed name, role, step,
// milestone and, with high-risk gaps open, why; then the key; its
// passphrase, not echoed; then the manifest the key signs, read out
// before a yes signs it. Only a signature makes an assessment final.
func (s *session) sign() error {
	s.say("")
	s.say("Sign %s with an SSH key. What the signature means, your printed name and the time are signed and recorded (21 CFR 11.50).", line(s.a.Name))
	defer s.filling("the signature")()
	var req store.SignRequest
	var err error
	if req.Meaning, err = s.text("Meaning", "", true, "What the signature means, for example: reviewed and approved.", limit("meaning", model.MaxTextBytes)); err != nil {
		return err
	}
	if req.Name, err = s.text("Printed name", s.cfg.Store.Actor(), true, "Your name as the organisation's allowed-signers file writes it.", limit("printed name", model.MaxNameBytes)); err != nil {
		return err
	}
	if req.Role, err = s.text("Role", "", false, "Your role, for example QA reviewer.", limit("role", model.MaxNameBytes)); err != nil {
		return err
	}
	req.Step = model.WorkflowFinal
	if s.a.Workflow != model.WorkflowFinal { // a final assessment is signed for final only
		s.say("The step the signature moves the assessment to:")
		n, err := s.choose([]string{"final, read-only until reopened", "in review"}, 1, "A signature for final makes the assessment read-only; one for in review records a review on the way.")
		if err != nil {
			return err
		}
		if n == 2 {
			req.Step = model.WorkflowInReview
		}
	}
	if req.Milestone, err = s.text("Milestone", "", false, "The name of the point signed. Enter alone signs the newest milestone if nothing changed since, else records a new one.", func(v string) error {
		if v == "" {
			return nil
		}
		return model.CheckMilestoneName(v)
	}); err != nil {
		return err
	}
	if n := len(model.HighGaps(s.review)); n > 0 {
		s.say("%s open. Signing anyway needs an acknowledgement saying why; it is signed and recorded.", plural.Count(n, "high-risk gap is", "high-risk gaps are"))
		if req.Acknowledgement, err = s.text("Acknowledgement", "", true, "Why you sign with high-risk gaps open, for example: CAPA-7 closes them by March.", limit("acknowledgement", model.MaxTextBytes)); err != nil {
			return err
		}
	}
	key, err := s.chooseKey()
	if key == nil || err != nil {
		return err
	}
	defer key.Close()
	man, err := s.cfg.Store.PrepareSign(s.a.ID, req, s.cat, key.Fingerprint())
	var text []byte
	if err == nil {
		text, err = man.Encode()
	}
	if err != nil {
		s.fail("Not signed", err)
		return nil
	}
	s.say("The key signs this manifest:")
	for _, l := range strings.Split(strings.TrimRight(string(text), "\n"), "\n") {
		s.say("  %s", line(l))
	}
	yes, err := s.yesNo("Sign it?", false)
	if err != nil || !yes {
		if err == nil {
			s.say("Not signed.")
		}
		return err
	}
	// The store signs the manifest read out, its time included, or
	// refuses if the record moved on meanwhile.
	req.Time, req.Head = man.Time, man.Head
	a, err := s.cfg.Store.Sign(s.a.ID, req, s.cat, key)
	s.saved(a, err, fmt.Sprintf("signed: %s (%s, milestone %s)", line(req.Meaning), req.Step, line(man.Milestone)))
	return nil
}

// chooseKey lists the keys a signer may choose and unlocks the one
// chosen, asking for its passphrase; nil and no error: none was chosen.
func (s *session) chooseKey() (*sign.Key, error) {
	var keys []sign.Candidate
	var err error
	if s.cfg.SigningKeys != nil {
		keys, err = s.cfg.SigningKeys()
	}
	if err != nil {
		s.fail("Some keys could not be read", err)
	}
	if len(keys) == 0 {
		s.say("Not signed: no SSH key found. ssh-agent (SSH_AUTH_SOCK) holds none and ~/.ssh has no private key file; ssh-keygen -t ed25519 makes one.")
		return nil, nil
	}
	s.say("The key to sign with:")
	list := func() {
		for i, k := range keys {
			s.say("  %d. %s", i+1, line(k.Label))
		}
	}
	list()
	n, err := s.pick(len(keys), 0, "The keys of ssh-agent, then the private key files in ~/.ssh.", list, "to go back without signing")
	if err != nil || n == 0 {
		return nil, err
	}
	c := keys[n-1]
	for {
		var pass []byte
		if c.Passphrase {
			p, err := s.secret("Passphrase of the key (not shown):")
			if err != nil {
				return nil, err
			}
			if p == "" {
				s.say("Not signed.")
				return nil, nil
			}
			pass = []byte(p)
		}
		key, err := c.Unlock(pass)
		clear(pass)
		switch {
		case errors.Is(err, sign.ErrWrongPassphrase):
			s.say("Wrong passphrase. Type it again, or enter alone to go back without signing.")
			continue
		case err != nil:
			s.fail("Not signed", err)
			return nil, nil
		}
		return key, nil
	}
}

// secret reads a line that is neither echoed nor written to the
// transcript: the terminal's echo is off while it is typed.
func (s *session) secret(prompt string) (string, error) {
	if s.damaged != nil {
		return "", s.damaged
	}
	if s.cfg.HideInput != nil {
		restore := s.cfg.HideInput()
		defer restore()
	}
	echo := s.cfg.Echo
	s.cfg.Echo = false
	defer func() { s.cfg.Echo = echo }()
	fmt.Fprint(s.out, prompt+" ")
	in, err := s.readRaw()
	s.say("")
	return in, err
}
