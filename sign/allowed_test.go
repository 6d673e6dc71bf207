package sign

import (
	"crypto/ed25519"
	"crypto/rand"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
)

func newPub(t *testing.T) ssh.PublicKey {
	t.Helper()
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	k, err := ssh.NewPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func authorized(k ssh.PublicKey) string {
	return strings.TrimSpace(string(ssh.MarshalAuthorizedKey(k)))
}

func TestAllowedSigners(t *testing.T) {
	jane, bob, old := newPub(t), newPub(t), newPub(t)
	file := strings.Join([]string{
		"# QA signers, kept by the QA manager",
		"",
		`"Jane Smith" namespaces="onus,git" ` + authorized(jane) + " jane@laptop",
		`bob@example.com,"Bob Q. Builder" ` + authorized(bob),
		`*@example.com,!mallory@example.com valid-after="20260101",valid-before="20261001Z" ` + authorized(old),
		"  \t# indented comment\r",
	}, "\n")
	s, err := ParseAllowedSigners([]byte(file))
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		who  string
		key  ssh.PublicKey
		ns   string
		at   time.Time
		want string // "" for allowed
	}{
		{"Jane Smith", jane, "onus", at, ""},
		{"Jane Smith", jane, "file", at, `does not allow namespace "file"`},
		{"Jane", jane, "onus", at, "does not list key"},
		{"Jane Smith", bob, "onus", at, "does not list key"},
		{"Bob Q. Builder", bob, "onus", at, ""},
		{"bob@example.com", bob, "onus", at, ""},
		{"ann@example.com", old, "onus", at, ""},
		{"mallory@example.com", old, "onus", at, "does not list key"},
		{"ann@example.com", old, "onus", time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC), "valid only after"},
		{"ann@example.com", old, "onus", time.Date(2026, 10, 2, 0, 0, 0, 0, time.UTC), "valid only before"},
	} {
		err := s.Check(c.who, c.key, c.ns, c.at)
		if c.want == "" && err != nil || c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)) {
			t.Errorf("%s, %s, %s: %v, want %q", c.who, c.ns, c.at.Format(time.DateOnly), err, c.want)
		}
	}
	if got := s.Principals(bob); len(got) != 1 || got[0] != "bob@example.com,Bob Q. Builder" {
		t.Errorf("principals of bob's key: %q", got)
	}

	for name, line := range map[string]string{
		"no key":           "jane@example.com",
		"bad key":          "jane@example.com ssh-ed25519 AAAAnotakey",
		"unknown option":   `jane@example.com no-touch-required ` + authorized(jane),
		"unquoted value":   `jane@example.com namespaces=onus ` + authorized(jane),
		"bad time":         `jane@example.com valid-after="2026" ` + authorized(jane),
		"before ≤ after":   `jane@example.com valid-after="20260102",valid-before="20260101" ` + authorized(jane),
		"unclosed quote":   `"Jane Smith ` + authorized(jane),
		"principals alone": `"Jane Smith"`,
	} {
		if _, err := ParseAllowedSigners([]byte(line)); err == nil || !strings.Contains(err.Error(), "line 1") {
			t.Errorf("%s: %v", name, err)
		}
	}
	// The commonest mistake: a printed name with a space, unquoted.
	if _, err := ParseAllowedSigners([]byte(`Jane Smith ` + authorized(jane))); err == nil || !strings.Contains(err.Error(), "double quotes") {
		t.Errorf("unquoted name with a space: %v, want the hint to quote it", err)
	}
}

func TestMatchPattern(t *testing.T) {
	for _, c := range []struct {
		s, p string
		want bool
	}{
		{"jane@example.com", "jane@example.com", true},
		{"jane@example.com", "*@example.com", true},
		{"jane@example.com", "j?ne@*", true},
		{"jane@example.com", "*", true},
		{"jane@example.com", "jane", false},
		{"jane@example.com", "*@example.org", false},
		{"", "*", true},
		{"", "?", false},
		{"Jane Smith", "Jane*", true},
	} {
		if got := matchPattern(c.s, c.p); got != c.want {
			t.Errorf("matchPattern(%q, %q) = %v", c.s, c.p, got)
		}
	}
}
