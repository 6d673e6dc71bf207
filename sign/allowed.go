package sign

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"time"

	"golang.org/x/crypto/ssh"
)

// AllowedSigners is the organisation's list of who may sign with which
// key: ssh-keygen's ALLOWED SIGNERS format, one "principals [options] key"
// per line. It is what ties a key to a person (21 CFR 11.100, 11.300), so
// it is the organisation's to keep, not Onus's.
type AllowedSigners struct {
	Path    string
	entries []allowedKey
}

type allowedKey struct {
	line        int
	principals  string // comma-separated patterns, as written
	key         ssh.PublicKey
	ca          bool
	namespaces  string // comma-separated patterns; empty: any
	validAfter  time.Time
	validBefore time.Time
}

// ReadAllowedSigners reads an allowed-signers file.
func ReadAllowedSigners(path string) (*AllowedSigners, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	s, err := ParseAllowedSigners(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	s.Path = path
	return s, nil
}

// ParseAllowedSigners reads the format as ssh-keygen does: blank lines and
// lines starting with # are skipped; principals may be quoted (a name with
// spaces); the options cert-authority, namespaces="...", valid-after="..."
// and valid-before="..." (YYYYMMDD[HHMM[SS]], Z for UTC, else local time)
// are understood and any other is an error.
func ParseAllowedSigners(data []byte) (*AllowedSigners, error) {
	s := &AllowedSigners{}
	for i, line := range strings.Split(string(data), "\n") {
		line = strings.TrimLeft(strings.TrimRight(line, "\r"), " \t")
		if line == "" || line[0] == '#' {
			continue
		}
		e, err := parseAllowedLine(line)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", i+1, err)
		}
		e.line = i + 1
		s.entries = append(s.entries, e)
	}
	return s, nil
}

func parseAllowedLine(line string) (allowedKey, error) {
	var e allowedKey
	principals, rest, err := principalsField(line)
	if err != nil {
		return e, err
	}
	if principals == "" || strings.TrimSpace(rest) == "" {
		return e, errors.New("expected principals, options and a key")
	}
	e.principals = principals
	key, _, options, _, err := ssh.ParseAuthorizedKey([]byte(rest))
	if err != nil {
		return e, fmt.Errorf("no valid key after the principals: %w", err)
	}
	e.key = key
	for _, opt := range options {
		name, value, hasValue := strings.Cut(opt, "=")
		if hasValue {
			unquoted, ok := strings.CutPrefix(value, `"`)
			if unquoted, ok = strings.CutSuffix(unquoted, `"`); !ok || len(value) < 2 {
				return e, fmt.Errorf("option %s: the value must be in double quotes", name)
			}
			value = unquoted
		}
		switch strings.ToLower(name) {
		case "cert-authority":
			e.ca = true
		case "namespaces":
			e.namespaces = value
		case "valid-after":
			if e.validAfter, err = parseAbsoluteTime(value); err != nil {
				return e, err
			}
		case "valid-before":
			if e.validBefore, err = parseAbsoluteTime(value); err != nil {
				return e, err
			}
		default:
			if !hasValue {
				// Most often the second word of an unquoted name.
				return e, fmt.Errorf("unknown option %q (a name with spaces goes in double quotes: \"Jane Smith\" ssh-ed25519 …)", name)
			}
			return e, fmt.Errorf("unknown option %q", name)
		}
	}
	if !e.validAfter.IsZero() && !e.validBefore.IsZero() && !e.validBefore.After(e.validAfter) {
		return e, errors.New(`"valid-before" is not after "valid-after"`)
	}
	return e, nil
}

// principalsField splits off the first field as OpenSSH does: it ends at
// whitespace, or, once a double quote opens, at the closing quote (the
// quotes are not part of it).
func principalsField(line string) (field, rest string, err error) {
	end := strings.IndexAny(line, " \t\"")
	if end < 0 {
		return line, "", nil
	}
	if line[end] != '"' {
		return line[:end], line[end:], nil
	}
	closing := strings.IndexByte(line[end+1:], '"')
	if closing < 0 {
		return "", "", errors.New("a quote in the principals is not closed")
	}
	return line[:end] + line[end+1:end+1+closing], line[end+2+closing:], nil
}

// parseAbsoluteTime reads YYYYMMDD, YYYYMMDDHHMM or YYYYMMDDHHMMSS, in UTC
// with a final Z, else in local time, as ssh-keygen does.
func parseAbsoluteTime(s string) (time.Time, error) {
	loc := time.Local
	if t, ok := strings.CutSuffix(s, "Z"); ok {
		s, loc = t, time.UTC
	}
	layout := map[int]string{8: "20060102", 12: "200601021504", 14: "20060102150405"}[len(s)]
	if layout == "" {
		return time.Time{}, fmt.Errorf("time %q is not YYYYMMDD[HHMM[SS]][Z]", s)
	}
	t, err := time.ParseInLocation(layout, s, loc)
	if err != nil {
		return time.Time{}, fmt.Errorf("time %q is not YYYYMMDD[HHMM[SS]][Z]", s)
	}
	return t, nil
}

// Check reports whether key may sign for principal in namespace at time
// at, as ssh-keygen -Y verify -I principal decides with -Overify-time=at:
// a line must list the principal (patterns with * and ?, ! to exclude) and
// the key itself, allow the namespace, and be valid then. Keys signed by
// a cert-authority line are not supported.
func (s *AllowedSigners) Check(principal string, key ssh.PublicKey, namespace string, at time.Time) error {
	var why []string
	for _, e := range s.entries {
		if e.ca || !bytes.Equal(e.key.Marshal(), key.Marshal()) || !matchPatternList(principal, e.principals) {
			continue
		}
		switch {
		case e.namespaces != "" && !matchPatternList(namespace, e.namespaces):
			why = append(why, fmt.Sprintf("line %d does not allow namespace %q", e.line, namespace))
		case !e.validAfter.IsZero() && at.Before(e.validAfter):
			why = append(why, fmt.Sprintf("line %d: the key is valid only after %s", e.line, e.validAfter.Format(time.RFC3339)))
		case !e.validBefore.IsZero() && at.After(e.validBefore):
			why = append(why, fmt.Sprintf("line %d: the key was valid only before %s", e.line, e.validBefore.Format(time.RFC3339)))
		default:
			return nil
		}
	}
	if len(why) > 0 {
		return fmt.Errorf("%s may not sign with key %s at %s: %s", principal, ssh.FingerprintSHA256(key), at.UTC().Format(time.RFC3339), strings.Join(why, "; "))
	}
	return fmt.Errorf("%s does not list key %s for %q", s.name(), ssh.FingerprintSHA256(key), principal)
}

// Principals lists the principal patterns the file gives key, as
// ssh-keygen -Y find-principals does.
func (s *AllowedSigners) Principals(key ssh.PublicKey) []string {
	var out []string
	for _, e := range s.entries {
		if !e.ca && bytes.Equal(e.key.Marshal(), key.Marshal()) {
			out = append(out, e.principals)
		}
	}
	return out
}

func (s *AllowedSigners) name() string {
	if s.Path == "" {
		return "the allowed-signers file"
	}
	return s.Path
}

// matchPatternList is OpenSSH's match_pattern_list: s matches a
// comma-separated list of patterns if a pattern matches it and no negated
// (!) pattern does.
func matchPatternList(s, list string) bool {
	matched := false
	for _, p := range strings.Split(list, ",") {
		negated := strings.HasPrefix(p, "!")
		if matchPattern(s, strings.TrimPrefix(p, "!")) {
			if negated {
				return false
			}
			matched = true
		}
	}
	return matched
}

// matchPattern matches s against a pattern where * is any run of
// characters and ? any one character.
func matchPattern(s, p string) bool {
	for len(p) > 0 {
		switch p[0] {
		case '*':
			for p = p[1:]; len(p) > 0 && p[0] == '*'; p = p[1:] {
			}
			if p == "" {
				return true
			}
			for i := 0; i <= len(s); i++ {
				if matchPattern(s[i:], p) {
					return true
				}
			}
			return false
		case '?':
			if s == "" {
				return false
			}
			s, p = s[1:], p[1:]
		default:
			if s == "" || s[0] != p[0] {
				return false
			}
			s, p = s[1:], p[1:]
		}
	}
	return s == ""
}

// ReadDefaultAllowedSigners reads the allowed-signers file where onus
// looks by default (DefaultAllowedSigners); nil, and no error, when there
// is none: signatures are then checked without their signers.
func ReadDefaultAllowedSigners(getenv func(string) string) (*AllowedSigners, error) {
	s, err := ReadAllowedSigners(DefaultAllowedSigners(getenv))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	return s, err
}
