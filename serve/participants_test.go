package serve

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	gossh "golang.org/x/crypto/ssh"
)

func authorized(t *testing.T) (string, string) {
	t.Helper()
	a := strings.TrimSpace(string(gossh.MarshalAuthorizedKey(newKey(t).PublicKey())))
	b := strings.TrimSpace(string(gossh.MarshalAuthorizedKey(newKey(t).PublicKey())))
	return a, b
}

func TestParseParticipants(t *testing.T) {
	a, b := authorized(t)
	c := strings.TrimSpace(string(gossh.MarshalAuthorizedKey(newKey(t).PublicKey())))
	file := "# the LIMS workshop\n\n" +
		"facilitator " + a + " Dana  Facil\n" +
		"   # indented comment\n" +
		"participant " + b + " Quinn O'Brien (QA lead)\n" +
		"observer " + c + " Ines Auditor\n"
	people, err := ParseParticipants("people.txt", strings.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		role Role
		name string
	}{{Facilitator, "Dana Facil"}, {Participant, "Quinn O'Brien (QA lead)"}, {Observer, "Ines Auditor"}}
	if len(people) != len(want) {
		t.Fatalf("%d people, want %d", len(people), len(want))
	}
	for i, w := range want {
		if people[i].Role != w.role || people[i].Name != w.name {
			t.Errorf("line %d: %s %q, want %s %q", i, people[i].Role, people[i].Name, w.role, w.name)
		}
	}
	if got := people[1].Fingerprint(); !strings.HasPrefix(got, "SHA256:") {
		t.Errorf("fingerprint %q", got)
	}
}

// Every mistake is named by its line, all of them at once.
func TestParseParticipantsErrors(t *testing.T) {
	a, b := authorized(t)
	cases := map[string]struct{ line, want string }{
		"unknown role":        {"owner " + a + " Dana", "role \"owner\""},
		"no key":              {"participant Dana Facil", "not an OpenSSH public key"},
		"bad key":             {"participant ssh-ed25519 AAAAnotbase64!! Dana", "not an OpenSSH public key"},
		"no name":             {"participant " + a, "no printed name"},
		"role only":           {"observer", "not an OpenSSH public key"},
		"key, no role":        {a + " Dana", "role \"ssh-ed25519\""},
		"name with an escape": {"participant " + a + " Dana\x1b[31m", "printed name"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := ParseParticipants("p.txt", strings.NewReader("# first\nfacilitator "+b+" Lead\n"+c.line+"\n"))
			if err == nil || !strings.Contains(err.Error(), "p.txt:3: ") || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want p.txt:3: … %s", err, c.want)
			}
		})
	}
	// A key twice, a name twice, and two errors reported together.
	file := "participant " + a + " Dana\nobserver " + a + " Other\nparticipant " + b + " Dana\nnobody\n"
	_, err := ParseParticipants("p.txt", strings.NewReader(file))
	for _, want := range []string{"p.txt:2: the key of \"Other\" is already on line 1", "p.txt:3: the printed name \"Dana\" is already on line 1", "p.txt:4: role \"nobody\""} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v, want %s", err, want)
		}
	}
}

func TestHostKeyCreatedOnceAndPrivate(t *testing.T) {
	path := HostKeyPath(filepath.Join(t.TempDir(), "onus.db"))
	k1, created, err := LoadHostKey(path)
	if err != nil || !created {
		t.Fatalf("first run: created %v, %v", created, err)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("host key mode %v, %v; want 0600", fi.Mode().Perm(), err)
	}
	k2, created, err := LoadHostKey(path)
	if err != nil || created || Fingerprint(k1) != Fingerprint(k2) {
		t.Fatalf("second run: created %v, %v, fingerprints %s %s", created, err, Fingerprint(k1), Fingerprint(k2))
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := LoadHostKey(path); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Errorf("a host key others can read: %v", err)
	}
}
