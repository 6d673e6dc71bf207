package sign

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/hiddeco/sshsig"
	"golang.org/x/crypto/ssh"

	"github.com/onus-gxp/onus/model"
)

// Signature is one electronic signature in a trail: the entry that
// records it, numbered in trail order from 1 (the N of N.manifest).
type Signature struct {
	N       int
	Entry   model.AuditEntry
	SignOff model.SignOff
}

// Signatures lists a trail's electronic signatures, superseded ones
// included.
func Signatures(trail []model.AuditEntry) ([]Signature, error) {
	var out []Signature
	for _, e := range trail {
		if e.Action != model.ActSign {
			continue
		}
		var s model.SignOff
		if err := json.Unmarshal(e.New, &s); err != nil {
			return nil, fmt.Errorf("the signature in entry %d is unreadable: %w", e.Seq, err)
		}
		out = append(out, Signature{N: len(out) + 1, Entry: e, SignOff: s})
	}
	return out, nil
}

// Result is what verifying one signature found (model.SignatureCheck,
// which the reports take).
type Result = model.SignatureCheck

// Verify checks every signature in an assessment's trail. allowed may be
// nil: then signers are not checked (Allowed stays false, and Problem
// says so). A trail rewritten consistently, with every hash recomputed,
// still fails every signature made on a point before the rewrite: its
// entries no longer hash to the head signed.
func Verify(trail []model.AuditEntry, allowed *AllowedSigners) ([]Result, error) {
	return VerifyChecked(trail, allowed, model.VerifyChain(trail))
}

// VerifyChecked is Verify for a trail whose chain the caller has verified
// already (chain is what model.VerifyChain found), so that a command
// verifies it once.
func VerifyChecked(trail []model.AuditEntry, allowed *AllowedSigners, chain error) ([]Result, error) {
	sigs, err := Signatures(trail)
	if err != nil {
		return nil, err
	}
	var brokenAt uint64
	var ce *model.ChainError
	if err := chain; errors.As(err, &ce) {
		brokenAt = ce.Seq
	} else if err != nil {
		return nil, err
	}
	out := make([]Result, 0, len(sigs))
	for _, s := range sigs {
		r := Result{N: s.N, Seq: s.Entry.Seq, Signer: s.SignOff.By, Role: s.SignOff.Role, Meaning: s.SignOff.Meaning,
			Step: s.SignOff.Step, Milestone: s.SignOff.Milestone, Time: s.SignOff.At}
		for _, e := range trail {
			if e.Seq > s.Entry.Seq && e.Action == model.ActReopen {
				r.Superseded = true
			}
		}
		m, pub, err := check(trail, s, brokenAt)
		if pub != nil {
			r.Key = ssh.FingerprintSHA256(pub)
		}
		r.Head, r.Entries = m.Head, m.Entries
		if err != nil {
			r.Problem = err.Error()
			out = append(out, r)
			continue
		}
		r.Intact = true
		r.ChangedAt = model.FirstChangeAfter(trail, m.Entries)
		switch {
		case allowed == nil:
			r.Problem = "signer not checked: no allowed-signers file"
		default:
			r.SignerChecked = true
			if err := allowed.Check(m.Signer, pub, Namespace, m.Time); err != nil {
				r.Problem = err.Error()
			} else {
				r.Allowed = true
			}
		}
		out = append(out, r)
	}
	return out, nil
}

// check verifies one signature and its binding to the trail.
func check(trail []model.AuditEntry, s Signature, brokenAt uint64) (model.Manifest, ssh.PublicKey, error) {
	m, err := s.SignOff.ParseManifest()
	if err != nil {
		return m, nil, err
	}
	sig, err := sshsig.Unarmor([]byte(s.SignOff.Signature))
	if err != nil {
		return m, nil, fmt.Errorf("the signature is unreadable: %w", err)
	}
	pub := sig.PublicKey
	if err := sshsig.Verify(bytes.NewReader([]byte(s.SignOff.Manifest)), sig, pub, sig.HashAlgorithm, Namespace); err != nil {
		return m, pub, fmt.Errorf("the signature does not verify over its manifest: %w", err)
	}
	switch {
	case ssh.FingerprintSHA256(pub) != m.Key:
		return m, pub, fmt.Errorf("the manifest names key %s, but key %s signed it", m.Key, ssh.FingerprintSHA256(pub))
	case m.Assessment != s.Entry.Assessment:
		return m, pub, fmt.Errorf("the signature is for assessment %s, not %s: it was moved from another record", m.Assessment, s.Entry.Assessment)
	case m.Entries == 0 || m.Entries >= s.Entry.Seq || m.Entries > uint64(len(trail)):
		return m, pub, fmt.Errorf("the signature names entry %d, which does not come before it", m.Entries)
	case brokenAt != 0 && brokenAt <= s.Entry.Seq:
		return m, pub, fmt.Errorf("the audit trail is broken at entry %d, at or before the entry of this signature", brokenAt)
	}
	if got := trail[m.Entries-1].Hash; got != m.Head {
		return m, pub, fmt.Errorf("the trail no longer holds the record signed: entry %d hashes to %s, the signature is over %s (the trail was rewritten)",
			m.Entries, short(got), short(m.Head))
	}
	// The milestone's entry follows the head it names.
	var name string
	if ms := trail[m.Entries]; ms.Action != model.ActMilestone || json.Unmarshal(ms.New, &name) != nil || name != m.Milestone {
		return m, pub, fmt.Errorf("entry %d is not milestone %q, which the signature names", m.Entries+1, m.Milestone)
	}
	return m, pub, nil
}

func short(h string) string {
	if len(h) > 16 {
		return h[:16] + "…"
	}
	return h
}
