package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// onus serve needs a participants file, and one with a mistake stops it
// before it opens anything, naming the line.
func TestServeRefusesBadParticipants(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"ONUS_DB": filepath.Join(dir, "onus.db")}
	if code, _, stderr := runOnus(t, env, "serve"); code != exitUsage || !strings.Contains(stderr, "--participants") {
		t.Errorf("serve without --participants: exit %d, %s", code, stderr)
	}
	file := filepath.Join(dir, "people.txt")
	if err := os.WriteFile(file, []byte("# the workshop\nfacilitator ssh-ed25519 AAAA Dana\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runOnus(t, env, "serve", "--participants", file)
	if code == 0 || !strings.Contains(stderr, file+":2: ") {
		t.Errorf("serve with a bad line: exit %d, %s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "onus.db.host_ed25519")); !os.IsNotExist(err) {
		t.Errorf("a host key was made for a server that did not start: %v", err)
	}
}
