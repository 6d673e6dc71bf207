package main

import (
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// The wizard checks the pages of its list before its first screen and the
// rest of the file just after. Damage the list does not touch (here, a
// pointer in an audit trail's page) therefore shows the list and then
// stays on the status line; opening the assessment is refused; nothing is
// written; and the wizard exits 4. The headless commands check what they
// read: onus list, which reads the summaries only, lists the file; onus
// show of the damaged assessment, and onus verify, refuse it with exit 4
// (TestCommandsCheckWhatTheyRead has the rest).
func TestWizardReportsLateDamage(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end")
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "onus.db")
	r := runBinary(t, dir, "--db", db, "new", "--name", "Damaged later", "--services", "ec2,s3")
	if r.code != 0 {
		t.Fatalf("new: %d %s", r.code, r.stderr)
	}
	id := strings.TrimSpace(r.stdout)
	// Enough answers with long notes that the trail has pages of its own.
	for i, c := range []string{"GOV-01", "GOV-02", "GOV-03", "GOV-04", "GOV-05", "GOV-06", "SUP-01", "SUP-02"} {
		if r := runBinary(t, dir, "--db", db, "answer", id, c, "--status", "planned", "--note", strings.Repeat(fmt.Sprint(i), 900)); r.code != 0 {
			t.Fatalf("answer %s: %d %s", c, r.code, r.stderr)
		}
	}
	damageTrailPage(t, db, id)
	before := fileSHA256(t, db)

	w := startWizardPane(t, dir, "")
	w.waitFor("Damaged later") // the list, drawn before the rest is checked
	w.waitFor("database damaged, nothing more can be saved")
	w.keys("Enter") // refused: the store reads nothing more of this file
	time.Sleep(300 * time.Millisecond)
	if screen := w.capture(); !strings.Contains(screen, "Assessments") || !strings.Contains(screen, "database damaged") {
		t.Errorf("enter opened an assessment of the damaged file, or the verdict went away:\n%s", screen)
	}
	w.keys("q")
	// However it was left, a wizard that found damage exits 4, as every
	// command does on a damaged file: a script must not miss it.
	if code := w.exitCode(); code != exitDamaged {
		t.Errorf("quitting: exit %d, want %d\n%s", code, exitDamaged, w.joined())
	}
	if after := fileSHA256(t, db); after != before {
		t.Error("the wizard wrote to the damaged file")
	}
	if r := runBinary(t, dir, "--db", db, "list"); r.code != 0 || !strings.Contains(r.stdout, "Damaged later") {
		t.Errorf("onus list, which reads none of the damaged pages: exit %d, %s%s", r.code, r.stdout, r.stderr)
	}
	for _, args := range [][]string{{"show", id}, {"verify"}} {
		if r := runBinary(t, dir, append([]string{"--db", db}, args...)...); r.code != exitDamaged || !strings.Contains(r.stderr, "damaged") {
			t.Errorf("onus %s on the damaged file: exit %d, %s", strings.Join(args, " "), r.code, r.stderr)
		}
	}
	if after := fileSHA256(t, db); after != before {
		t.Error("a command wrote to the damaged file")
	}
}

// damageTrailPage points the page at the root of one assessment's trail
// far outside the file: its first child, or its first value.
func damageTrailPage(t *testing.T, path, id string) {
	t.Helper()
	damageRootPage(t, path, func(tx *bolt.Tx) *bolt.Bucket { return tx.Bucket([]byte("trails")).Bucket([]byte(id)) })
}

// damageRootPage does the same to the root page of the bucket bucket
// returns.
func damageRootPage(t *testing.T, path string, bucket func(*bolt.Tx) *bolt.Bucket) {
	t.Helper()
	b, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	var root, pageSize uint64
	b.View(func(tx *bolt.Tx) error {
		root = uint64(bucket(tx).Root())
		pageSize = uint64(tx.DB().Info().PageSize)
		return nil
	})
	b.Close()
	if root == 0 {
		t.Fatal("the bucket is stored inline; add more entries")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	off := root * pageSize
	switch flags := binary.NativeEndian.Uint16(data[off+8:]); flags {
	case 0x01: // a branch: its first child far past the file
		binary.NativeEndian.PutUint64(data[off+16+8:], 1<<40)
	case 0x02: // a leaf: its first value far past the page
		binary.NativeEndian.PutUint32(data[off+16+12:], 1<<30)
	default:
		t.Fatalf("root page %d has type %#x", root, flags)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}
