// Package serve runs a live workshop: an SSH server (onus serve) giving
// every participant the wizard on one open database, with their changes
// attributed to them and shown to everyone else as they are saved.
package serve

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	gossh "golang.org/x/crypto/ssh"

	"github.com/onus-gxp/onus/internal/safetext"
	"github.com/onus-gxp/onus/model"
)

// Role is what a participant may do.
type Role string

const (
	// Facilitator answers, and admits people whose key was refused.
	Facilitator Role = "facilitator"
	// Participant answers.
	Participant Role = "participant"
	// Observer only reads.
	Observer Role = "observer"
)

// Person is one line of the participants file: who a key belongs to.
type Person struct {
	Role Role
	Key  gossh.PublicKey
	// Name is the printed name the audit trail records for their changes.
	Name string
}

// Fingerprint is the key's SHA-256 fingerprint, as ssh-keygen -l prints it.
func (p Person) Fingerprint() string { return gossh.FingerprintSHA256(p.Key) }

// LineError names the line of the participants file that is wrong.
type LineError struct {
	File string
	Line int
	Msg  string
}

func (e *LineError) Error() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg) }

// ReadParticipants reads a participants file (see ParseParticipants).
func ReadParticipants(path string) ([]Person, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ParseParticipants(path, f)
}

// ParseParticipants reads one participant a line:
//
//	ROLE KEYTYPE BASE64KEY PRINTED NAME
//
// ROLE is facilitator, participant or observer; the rest is an OpenSSH
// public-key line whose comment is the printed name. Blank lines and lines
// starting with # are skipped. Every error names its line; a key listed
// twice is one (a change must be attributable to one person).
func ParseParticipants(name string, r io.Reader) ([]Person, error) {
	var out []Person
	seen, names := map[string]int{}, map[string]int{}
	sc := bufio.NewScanner(r)
	var errs []error
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		p, err := parseLine(line)
		if err == nil {
			if first, dup := seen[p.Fingerprint()]; dup {
				err = fmt.Errorf("the key of %q is already on line %d", p.Name, first)
			} else if first, dup := names[p.Name]; dup {
				err = fmt.Errorf("the printed name %q is already on line %d: the trail could not tell them apart", p.Name, first)
			}
		}
		if err != nil {
			errs = append(errs, &LineError{File: name, Line: n, Msg: err.Error()})
			continue
		}
		seen[p.Fingerprint()], names[p.Name] = n, n
		out = append(out, p)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return out, nil
}

func parseLine(line string) (Person, error) {
	role, rest, _ := strings.Cut(line, " ")
	r := Role(role)
	switch r {
	case Facilitator, Participant, Observer:
	default:
		return Person{}, fmt.Errorf("role %q: want facilitator, participant or observer", role)
	}
	key, comment, _, _, err := gossh.ParseAuthorizedKey([]byte(strings.TrimSpace(rest)))
	if err != nil {
		return Person{}, fmt.Errorf("not an OpenSSH public key after the role (KEYTYPE BASE64KEY PRINTED NAME): %v", err)
	}
	name := strings.Join(strings.Fields(comment), " ")
	if name == "" {
		return Person{}, errors.New("no printed name after the key: the audit trail records it for this person's changes")
	}
	if err := model.ValidatePrintedName(name); err != nil {
		return Person{}, err
	}
	if safetext.Line(name) != name {
		return Person{}, fmt.Errorf("printed name %q: control or invisible characters", name)
	}
	return Person{Role: r, Key: key, Name: name}, nil
}
