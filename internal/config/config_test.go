package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var testKeys = []Key{
	{Name: "as"},
	{Name: "db", Kind: Path},
	{Name: "no-mouse", Kind: Bool},
	{Name: "theme", Check: func(s string) error {
		if s != "light" && s != "dark" {
			return fmt.Errorf("%q is not a theme", s)
		}
		return nil
	}},
}

func write(t *testing.T, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestReadValuesAndLines(t *testing.T) {
	p := write(t, "# mine\nas = \"Ana Ruiz\"\n\ndb = '~/clients/acme.db'\nno-mouse = true\n\"theme\" = \"dark\"\n")
	f, err := Read(p, "/home/ana", testKeys)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		key, text string
		line      int
	}{{"as", "Ana Ruiz", 2}, {"db", "/home/ana/clients/acme.db", 4}, {"no-mouse", "true", 5}, {"theme", "dark", 6}} {
		text, line, ok := f.Get(c.key)
		if !ok || text != c.text || line != c.line {
			t.Errorf("%s = %q line %d (%v), want %q line %d", c.key, text, line, ok, c.text, c.line)
		}
	}
	if f.Path != p {
		t.Errorf("path %q", f.Path)
	}
}

func TestMissingFileSetsNothing(t *testing.T) {
	f, err := Read(filepath.Join(t.TempDir(), "none.toml"), "", testKeys)
	if err != nil || f.Path != "" {
		t.Fatalf("%+v %v", f, err)
	}
	if _, _, ok := f.Get("as"); ok {
		t.Error("a missing file set a key")
	}
	if f, err := Read("", "", testKeys); err != nil || f.Path != "" {
		t.Fatalf("no path: %+v %v", f, err)
	}
}

// Every mistake names the file, the line and the key, and none is
// passed over for a default.
func TestBrokenFile(t *testing.T) {
	for _, c := range []struct {
		name, text string
		want       []string // each an error line, in order
	}{
		{"syntax", "as = \"Ana\n", []string{`line 1: basic strings cannot have new lines`}},
		{"duplicate", "as = \"a\"\nas = \"b\"\n", []string{`line 2, key "as": key as is already defined`}},
		{"unknown key", "as = \"a\"\nexprt-dir = \"x\"\n", []string{`line 2, key "exprt-dir": not a setting Onus knows (as, db, no-mouse, theme)`}},
		{"wrong type", "\ntheme = 3\n", []string{`line 2, key "theme": want text in quotes, not the number 3`}},
		{"bool as text", "no-mouse = \"yes\"\n", []string{`line 1, key "no-mouse": want true or false, not the text "yes"`}},
		{"check", "as = 'x'\ntheme = \"blue\"\n", []string{`line 2, key "theme": "blue" is not a theme`}},
		{"relative path", "db = \"acme.db\"\n", []string{`line 1, key "db": "acme.db" is relative: write it absolute, or under your home folder as ~/acme.db`}},
		{"a table", "[theme]\nx = 1\n", []string{`line 1, key "theme": want text in quotes, not a table`}},
		{"several, by line", "theme = \"blue\"\nas = 1\nzz = 2\n", []string{
			`line 1, key "theme": "blue" is not a theme`,
			`line 2, key "as": want text in quotes, not the number 1`,
			`line 3, key "zz": not a setting`}},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := write(t, c.text)
			_, err := Read(p, "/home/ana", testKeys)
			if err == nil {
				t.Fatal("no error")
			}
			var ce *Error
			if !errors.As(err, &ce) || ce.Path != p {
				t.Fatalf("%T %v: not a config.Error naming the file", err, err)
			}
			got := strings.Split(err.Error(), "\n")
			if len(got) != len(c.want) {
				t.Fatalf("%d problems, want %d:\n%v", len(got), len(c.want), err)
			}
			for i, w := range c.want {
				if !strings.HasPrefix(got[i], p+" "+w) {
					t.Errorf("problem %d:\n got %s\nwant %s %s", i+1, got[i], p, w)
				}
			}
		})
	}
}

func TestTooLarge(t *testing.T) {
	p := write(t, "# "+strings.Repeat("x", MaxBytes)+"\n")
	if _, err := Read(p, "", testKeys); err == nil || !strings.Contains(err.Error(), "larger than 64 KiB") {
		t.Fatalf("%v", err)
	}
}

func TestDefaultPath(t *testing.T) {
	env := func(kv ...string) func(string) string {
		return func(k string) string {
			for i := 0; i < len(kv); i += 2 {
				if kv[i] == k {
					return kv[i+1]
				}
			}
			return ""
		}
	}
	for _, c := range []struct {
		env  func(string) string
		want string
	}{
		{env("ONUS_CONFIG", "/etc/onus.toml", "XDG_CONFIG_HOME", "/x"), "/etc/onus.toml"},
		{env("XDG_CONFIG_HOME", "/x", "HOME", "/home/ana"), "/x/onus/config.toml"},
		{env("XDG_CONFIG_HOME", "relative", "HOME", "/home/ana"), "/home/ana/.config/onus/config.toml"},
		{env(), ""},
	} {
		if got := DefaultPath(c.env); got != c.want {
			t.Errorf("DefaultPath = %q, want %q", got, c.want)
		}
	}
}
