package serve

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"charm.land/ssh"
	gossh "golang.org/x/crypto/ssh"

	"github.com/onus-gxp/onus/internal/outfile"
	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/tui"
)

// Admitting from the wizard: a refused key waits here, shown on every
// facilitator's screen, until one of them admits it (naming the person
// and their role) or dismisses it. An admission is the line the
// facilitator would have added to the participants file, written there
// atomically, and recorded in the store's hash-chained log as theirs.

// maxWaiting bounds the refused keys kept: a stranger trying many keys
// pushes out only their own oldest ones.
const maxWaiting = 20

type waiting struct {
	mu   sync.Mutex
	list []waitingKey // oldest first
	// admit makes admissions one at a time: each reads the file, checks
	// it and writes it back.
	admit sync.Mutex
}

type waitingKey struct {
	key gossh.PublicKey
	tui.Knock
}

// refused keeps key as waiting, and tells the facilitators.
func (s *Server) refused(ctx ssh.Context, key gossh.PublicKey) {
	k := tui.Knock{Fingerprint: gossh.FingerprintSHA256(key), From: ctx.RemoteAddr().String(), User: ctx.User(), At: time.Now()}
	s.waiting.mu.Lock()
	s.waiting.list = slices.DeleteFunc(s.waiting.list, func(w waitingKey) bool { return w.Fingerprint == k.Fingerprint })
	s.waiting.list = append(s.waiting.list, waitingKey{key: key, Knock: k})
	if n := len(s.waiting.list); n > maxWaiting {
		s.waiting.list = s.waiting.list[n-maxWaiting:]
	}
	s.waiting.mu.Unlock()
	s.tellKnocks()
}

// knocks is the list of waiting keys, as the wizards show it.
func (s *Server) knocks() tui.Knocks {
	s.waiting.mu.Lock()
	defer s.waiting.mu.Unlock()
	out := tui.Knocks{}
	for _, w := range s.waiting.list {
		out = append(out, w.Knock)
	}
	return out
}

// tellKnocks sends the waiting keys to every facilitator.
func (s *Server) tellKnocks() {
	msg := s.knocks()
	s.hub.each(func(se *session) {
		if se.person.Role != Facilitator {
			return
		}
		se.mu.Lock()
		se.control = append(se.control, msg)
		se.mu.Unlock()
		se.nudge()
	})
}

// connected forgets the keys refused on a connection that then
// authenticated with another key (an agent offers each of its keys in
// turn): they are not someone waiting.
func (s *Server) connected(from string) {
	s.waiting.mu.Lock()
	n := len(s.waiting.list)
	s.waiting.list = slices.DeleteFunc(s.waiting.list, func(w waitingKey) bool { return w.From == from })
	forgot := len(s.waiting.list) != n
	s.waiting.mu.Unlock()
	if forgot {
		s.tellKnocks()
	}
}

// take removes the waiting key fingerprint and returns it.
func (s *Server) take(fingerprint string) (gossh.PublicKey, bool) {
	s.waiting.mu.Lock()
	defer s.waiting.mu.Unlock()
	i := slices.IndexFunc(s.waiting.list, func(w waitingKey) bool { return w.Fingerprint == fingerprint })
	if i < 0 {
		return nil, false
	}
	k := s.waiting.list[i].key
	s.waiting.list = slices.Delete(s.waiting.list, i, i+1)
	return k, true
}

// dismiss forgets a waiting key: it stays refused, and waits again if
// it tries again.
func (s *Server) dismiss(by Person, fingerprint string) {
	if by.Role != Facilitator {
		return
	}
	if _, ok := s.take(fingerprint); ok {
		s.logf("dismissed %s by %s", fingerprint, by.Name)
		s.tellKnocks()
	}
}

// admit admits the waiting key a.Fingerprint as a.Name with a.Role, by
// the facilitator by: the line goes to the participants file (checked
// with the rest of it: the key and the name must be new there), the
// admission to the store's log, and the key connects from then on.
func (s *Server) admit(by Person, a model.Admission) error {
	if by.Role != Facilitator {
		return errors.New("only a facilitator admits people")
	}
	if err := a.Validate(); err != nil {
		return err
	}
	s.waiting.admit.Lock()
	defer s.waiting.admit.Unlock()
	s.waiting.mu.Lock()
	i := slices.IndexFunc(s.waiting.list, func(w waitingKey) bool { return w.Fingerprint == a.Fingerprint })
	var key gossh.PublicKey
	if i >= 0 {
		key = s.waiting.list[i].key
	}
	s.waiting.mu.Unlock()
	if key == nil {
		return fmt.Errorf("no refused key %s is waiting: it was admitted or dismissed meanwhile", a.Fingerprint)
	}
	line := a.Role + " " + strings.TrimSpace(string(gossh.MarshalAuthorizedKey(key))) + " " + a.Name
	p, err := parseLine(line) // as the file is read: what is admitted reads back the same
	if err != nil {
		return err
	}
	people, restore, err := s.addLine(p, line)
	if err != nil {
		return err
	}
	if err := s.opt.DB.As(by.Name).Admit(a); err != nil {
		if rerr := restore(); rerr != nil {
			s.logf("the participants file could not be put back after a failed admission: %v", rerr)
		}
		return fmt.Errorf("not recorded in the store's log, so not admitted: %w", err)
	}
	s.people.Lock()
	s.people.list = people
	s.people.Unlock()
	s.take(a.Fingerprint)
	s.tellKnocks()
	s.logf("admitted %s (%s, %s) by %s", p.Name, p.Role, p.Fingerprint(), by.Name)
	return nil
}

// addLine adds p (its line) to the people: to the participants file when
// there is one, written atomically; restore puts the file back.
func (s *Server) addLine(p Person, line string) (people []Person, restore func() error, err error) {
	f := s.opt.ParticipantsFile
	if f == "" { // admitted for this run only
		s.people.Lock()
		people = slices.Clone(s.people.list)
		s.people.Unlock()
		for _, o := range people {
			if ssh.KeysEqual(o.Key, p.Key) {
				return nil, nil, fmt.Errorf("the key is already %s's", o.Name)
			}
			if o.Name == p.Name {
				return nil, nil, fmt.Errorf("the printed name %q is already taken: the trail could not tell them apart", p.Name)
			}
		}
		return append(people, p), func() error { return nil }, nil
	}
	fi, err := os.Stat(f)
	if err != nil {
		return nil, nil, err
	}
	old, err := os.ReadFile(f)
	if err != nil {
		return nil, nil, err
	}
	data := slices.Clone(old)
	if len(data) > 0 && !bytes.HasSuffix(data, []byte("\n")) {
		data = append(data, '\n')
	}
	data = append(data, line+"\n"...)
	if people, err = ParseParticipants(f, bytes.NewReader(data)); err != nil {
		return nil, nil, err
	}
	opt := outfile.Options{Replace: true, Private: fi.Mode().Perm()&0o077 == 0}
	if err := outfile.WriteFile(f, data, opt); err != nil {
		return nil, nil, err
	}
	return people, func() error { return outfile.WriteFile(f, old, opt) }, nil
}
