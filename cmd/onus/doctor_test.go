package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/onus-gxp/onus/store"
)

// doctorDB makes a database with one answered assessment, owner-only.
func doctorDB(t *testing.T) (env map[string]string, path, id string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "data")
	path = filepath.Join(dir, "onus.db")
	env = map[string]string{"ONUS_DB": path, "ONUS_USER": "tester", "TERM": "xterm-256color"}
	code, out, errs := runOnus(t, env, "new", "--name", "LIMS", "--services", "ec2,s3")
	if code != 0 {
		t.Fatalf("new: %d %s", code, errs)
	}
	id = strings.TrimSpace(out)
	if code, _, errs := runOnus(t, env, "answer", id, "AT-01", "--status", "implemented", "--note", "ok"); code != 0 {
		t.Fatalf("answer: %d %s", code, errs)
	}
	return env, path, id
}

// hasLine reports whether the report has a line of that level and topic
// holding every one of the words.
func hasLine(report, level, topic string, words ...string) bool {
	for _, l := range strings.Split(report, "\n") {
		f := strings.Fields(l)
		if len(f) < 2 || f[0] != level || f[1] != topic {
			continue
		}
		all := true
		for _, w := range words {
			all = all && strings.Contains(l, w)
		}
		if all {
			return true
		}
	}
	return false
}

func TestDoctorHealthy(t *testing.T) {
	env, path, _ := doctorDB(t)
	code, out, errs := runOnus(t, env, "doctor")
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	for _, want := range [][]string{
		{"ok", "database", path, "exists"},
		{"ok", "perms", "file", "0600"},
		{"ok", "perms", "directory", "0700"},
		{"ok", "lock", "not held"},
		{"ok", "integrity", "clean"},
		{"ok", "chains", "1 assessment"},
		{"ok", "catalog", "embedded", "sha256"},
		{"warn", "terminal", "stdin is a terminal: no"},
		{"ok", "terminal", `TERM="xterm-256color"`, "NO_COLOR=unset"},
		{"ok", "colour", "profile"},
	} {
		if !hasLine(out, want[0], want[1], want[2:]...) {
			t.Errorf("no line %q in:\n%s", want, out)
		}
	}
	if strings.Contains(out, "FAIL") {
		t.Fatalf("FAIL in a healthy report:\n%s", out)
	}
}

func TestDoctorNoDatabaseYet(t *testing.T) {
	env := map[string]string{"ONUS_DB": filepath.Join(t.TempDir(), "none", "onus.db")}
	code, out, errs := runOnus(t, env, "doctor")
	if code != 0 || !hasLine(out, "ok", "database", "does not exist yet") {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
}

func TestDoctorWarnsOnOpenPermissions(t *testing.T) {
	env, path, _ := doctorDB(t)
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runOnus(t, env, "doctor")
	if code != 0 {
		t.Fatalf("a warning is not a failure: exit %d\n%s%s", code, out, errs)
	}
	if !hasLine(out, "warn", "perms", "file", "0644", "chmod 600") {
		t.Fatalf("no permission warning:\n%s", out)
	}
}

func TestDoctorFailsOnTamperedChain(t *testing.T) {
	env, path, id := doctorDB(t)
	b, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	err = b.Update(func(tx *bolt.Tx) error {
		trail := tx.Bucket([]byte("trails")).Bucket([]byte(id))
		k, v := trail.Cursor().Last()
		var e map[string]any
		if err := json.Unmarshal(v, &e); err != nil {
			return err
		}
		e["actor"] = "someone else"
		nv, err := json.Marshal(e)
		if err != nil {
			return err
		}
		return trail.Put(append([]byte(nil), k...), nv)
	})
	if cerr := b.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	code, out, errs := runOnus(t, env, "doctor")
	if code != 1 {
		t.Fatalf("exit %d, want 1\n%s%s", code, out, errs)
	}
	if !hasLine(out, "FAIL", "chain", id) || !strings.Contains(errs, "doctor found 1 problem") {
		t.Fatalf("tampering not reported:\n%s%s", out, errs)
	}
}

func TestDoctorFailsOnBrokenCatalog(t *testing.T) {
	env, _, _ := doctorDB(t)
	env["ONUS_CATALOG"] = "../../model/testdata/broken/dangling-ref.yaml"
	code, out, errs := runOnus(t, env, "doctor")
	if code != 1 || !hasLine(out, "FAIL", "catalog", "dangling-ref.yaml") {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	// The database checks still ran.
	if !hasLine(out, "ok", "chains", "1 assessment") {
		t.Fatalf("database not checked:\n%s", out)
	}
}

func TestDoctorReportsFileInUse(t *testing.T) {
	env, path, _ := doctorDB(t)
	db, err := store.Open(path, store.Options{Actor: "holder"})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	start := time.Now()
	code, out, errs := runOnus(t, env, "doctor")
	if code != 0 || !hasLine(out, "warn", "lock", "in use by another onus") {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("doctor waited %v for the lock", d)
	}
}

// TestDoctorListsLeftovers: a full copy of the data that a killed onus
// left under a hidden name is named by doctor, and removed.
func TestDoctorListsLeftovers(t *testing.T) {
	env, path, _ := doctorDB(t)
	left := filepath.Join(filepath.Dir(path), ".onus-new-12345.db")
	if err := os.WriteFile(left, []byte("a copy of the data"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runOnus(t, env, "doctor")
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	if !hasLine(out, "warn", "integrity", "removed", left) {
		t.Errorf("doctor does not name the leftover %s:\n%s", left, out)
	}
	if _, err := os.Stat(left); err == nil {
		t.Error("the leftover is still there")
	}
}
