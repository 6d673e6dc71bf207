package store

import (
	"encoding/binary"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/onus-gxp/onus/model"
)

// breakNewestMeta flips a byte of the checksum of the meta page with the
// higher transaction id, as a torn write of the last commit would leave it.
func breakNewestMeta(t *testing.T, path string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	ps := int(binary.NativeEndian.Uint32(data[pageHeader+8:]))
	txid := func(p int) uint64 { return binary.NativeEndian.Uint64(data[p*ps+pageHeader+48:]) }
	newest := 0
	if txid(1) > txid(0) {
		newest = 1
	}
	data[newest*ps+pageHeader+metaSumOffset] ^= 0xff
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// A torn last commit: bbolt falls back to the commit before. Onus checks
// every audit chain before trusting that, opens with a warning, and the
// file is whole again after the next change.
func TestMetaFallbackRecovers(t *testing.T) {
	db, path := openTest(t, "alice")
	a, err := db.Create(model.Assessment{Name: "LIMS"})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []string{"REC-01", "REC-02", "REC-03"} {
		if _, err := db.Answer(a.ID, model.Answer{Control: c, Status: model.StatusImplemented}, ""); err != nil {
			t.Fatal(err)
		}
	}
	mustClose(t, db)
	breakNewestMeta(t, path)

	db, err = Open(path, Options{Actor: "bob"})
	if err != nil {
		t.Fatalf("open after a torn last commit: %v", err)
	}
	if w := db.Warnings(); len(w) != 1 || !strings.Contains(w[0], "may be lost") || !strings.Contains(w[0], "every audit chain verified") {
		t.Errorf("warnings: %q", w)
	}
	got, err := db.Get(a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := got.Answers["REC-03"]; ok || len(got.Answers) != 2 {
		t.Errorf("after falling back, answers %v: want REC-01 and REC-02 only (the last commit is lost)", got.Answers)
	}
	if r := db.Verify(a.ID); r.Err != "" || r.Entries != 3 {
		t.Errorf("Verify after falling back: %+v", r)
	}
	if _, err := db.Answer(a.ID, model.Answer{Control: "REC-03", Status: model.StatusPartial}, "re-entered after a crash"); err != nil {
		t.Fatal(err)
	}
	mustClose(t, db)

	db, err = Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer mustClose(t, db)
	if w := db.Warnings(); len(w) != 0 {
		t.Errorf("warnings after the next commit rewrote the meta page: %q", w)
	}
	if r := db.Verify(a.ID); r.Err != "" || r.Entries != 4 {
		t.Errorf("Verify: %+v", r)
	}
}

// If the commit bbolt falls back to does not hold together (here: it holds
// an edit made outside onus), the file is reported damaged and left alone.
func TestMetaFallbackToBrokenCommit(t *testing.T) {
	db, path := openTest(t, "alice")
	a, err := db.Create(model.Assessment{Name: "LIMS"})
	if err != nil {
		t.Fatal(err)
	}
	mustClose(t, db)
	editRaw(t, path, func(tx *bolt.Tx) error {
		as := tx.Bucket(bucketAssessments)
		v := append([]byte(nil), as.Get([]byte(a.ID))...)
		return as.Put([]byte(a.ID), []byte(strings.Replace(string(v), `"LIMS"`, `"LIMX"`, 1)))
	})
	editRaw(t, path, func(tx *bolt.Tx) error { return tx.Bucket(bucketMeta).Put([]byte("x"), []byte("1")) })
	breakNewestMeta(t, path)
	before := fileSHA(t, path)

	for _, ro := range []bool{true, false} {
		_, err := Open(path, Options{ReadOnly: ro})
		var de *DamagedError
		if !errors.As(err, &de) || !strings.Contains(err.Error(), "meta page") || !strings.Contains(err.Error(), a.ID) {
			t.Errorf("Open(ReadOnly=%v): %v, want a DamagedError naming the meta page and %s", ro, err, a.ID)
		}
	}
	if fileSHA(t, path) != before {
		t.Error("Open wrote to the file")
	}
}

// Single-field damage aimed where bbolt trusts the file most: child page
// numbers, key and value offsets and sizes, page ids, types and overflow
// counts of the pages in use. bbolt would fault on many of these (a fault
// kills the process; recover cannot help), so Open must find each one first
// or, where the damage happens to be harmless to the structure, open a file
// that reads without faulting. The test process surviving is the check.
func TestAimedDamageNeverFaults(t *testing.T) {
	db, src := openTest(t, "alice")
	var ids []string
	for i := range 4 {
		a, err := db.Create(model.Assessment{Name: "A" + strings.Repeat("x", i*50)})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, a.ID)
		for j := range 30 {
			ans := model.Answer{Control: "REC-" + string(rune('A'+j%26)) + string(rune('0'+j/26)), Status: model.StatusImplemented,
				Notes: strings.Repeat("n", 50+j*60)} // assessments span overflow pages
			if _, err := db.Answer(a.ID, ans, ""); err != nil {
				t.Fatal(err)
			}
		}
	}
	mustClose(t, db)
	orig, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	ps := int(binary.NativeEndian.Uint32(orig[pageHeader+8:]))

	// The pages in use, from bbolt itself (a read-write open loads the
	// freelist, so free pages show as such).
	var used []int
	b, err := bolt.Open(src, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	b.View(func(tx *bolt.Tx) error {
		for id := 2; ; id++ {
			p, err := tx.Page(id)
			if err != nil || p == nil {
				return err
			}
			if p.Type == "leaf" || p.Type == "branch" || p.Type == "freelist" {
				used = append(used, id)
			}
		}
	})
	b.Close()
	if len(used) < 10 {
		t.Fatalf("only %d pages in use", len(used))
	}

	seed, cases := uint64(20261128), 400
	if s := os.Getenv("ONUS_DAMAGE_SEED"); s != "" { // for longer runs by hand
		seed, _ = strconv.ParseUint(s, 10, 64)
		cases = 4000
	}
	rng := rand.New(rand.NewPCG(seed, 3))
	dir := t.TempDir()
	refused, opened, later := 0, 0, 0
	for i := range cases {
		d := append([]byte(nil), orig...)
		p := used[rng.IntN(len(used))] * ps
		count := int(binary.NativeEndian.Uint16(d[p+10:]))
		var field int // offset of the 4 or 8 bytes to damage
		switch k := rng.IntN(4); {
		case k == 0 || count == 0: // page header: id, flags, count, overflow
			field = p + 4*rng.IntN(4)
		default: // one field of one element
			field = p + pageHeader + elemSize*rng.IntN(count) + 4*rng.IntN(4)
		}
		v := binary.NativeEndian.Uint32(d[field:])
		switch rng.IntN(3) {
		case 0:
			v ^= 1 << rng.IntN(32)
		case 1:
			v += uint32(1 + rng.IntN(4))
		default:
			v = rng.Uint32()
		}
		binary.NativeEndian.PutUint32(d[field:], v)
		path := filepath.Join(dir, "onus.db")
		if err := os.WriteFile(path, d, 0o600); err != nil {
			t.Fatal(err)
		}
		before := fileSHA(t, path)
		db, err := Open(path, Options{Actor: "probe", Timeout: time.Second})
		var de *DamagedError
		syncRefused := errors.As(err, &de)
		switch {
		case syncRefused:
			refused++
			if fileSHA(t, path) != before {
				t.Fatalf("case %d: Open wrote to a damaged file", i)
			}
		case err != nil:
			t.Fatalf("case %d (byte %d of page %d): %v, want a DamagedError or success", i, field%ps, field/ps, err)
		default:
			opened++
			// Whatever passed the check must read without faulting;
			// errors are allowed (the chain check reports content damage).
			db.VerifyAll()
			if sums, err := db.List(true); err == nil {
				for _, s := range sums {
					db.Get(s.ID)
					db.History(s.ID)
				}
			}
			db.Close()
		}
		// The wizard's open finds the same damage, at Open or in the
		// background check, and its list reads without faulting meanwhile.
		os.RemoveAll(path + ".backups")
		bg, err := Open(path, Options{Actor: "probe", Timeout: time.Second, BackgroundCheck: true})
		if err == nil {
			bg.List(true)
			if err = bg.Checked(); err != nil {
				later++
			}
			if _, gerr := bg.Get("x"); err != nil && !errors.Is(gerr, err) {
				t.Fatalf("case %d: the background check found %v, but Get says %v", i, err, gerr)
			}
			bg.Close()
		}
		if errors.As(err, &de) != syncRefused {
			t.Fatalf("case %d: with the check in the background: %v; refused at Open: %v", i, err, syncRefused)
		}
		if fileSHA(t, path) != before {
			t.Fatalf("case %d: the background-checked open wrote to a damaged file", i)
		}
		os.RemoveAll(path + ".backups")

		// A command's open checks what each read reads: every read (and,
		// read-write, a change to each assessment) runs without faulting
		// before the whole file is checked. Read-only, that check then
		// finds what the check at Open finds; read-write, damage the check
		// at Open finds is still there after the changes (they never
		// rewrite a damaged page). Damage both checks pass can still lead
		// bbolt's writes astray, with or without CheckAsRead (here case 20
		// of seed 20261128 ends with a page referenced twice): not this
		// test's business.
		for _, ro := range []bool{true, false} {
			if err := os.WriteFile(path, d, 0o600); err != nil {
				t.Fatal(err)
			}
			cmd, err := Open(path, Options{Actor: "probe", Timeout: time.Second, CheckAsRead: true, ReadOnly: ro})
			if err == nil {
				cmd.List(true)
				for _, id := range ids {
					cmd.Get(id)
					cmd.History(id)
					if !ro {
						cmd.Answer(id, model.Answer{Control: "REC-A0", Status: model.StatusPlanned}, "")
					}
				}
				err = cmd.Checked()
				cmd.Close()
			}
			if found := errors.As(err, &de); ro && found != syncRefused || !ro && syncRefused && !found {
				t.Fatalf("case %d: a command's open (read-only %v): %v; refused at Open: %v", i, ro, err, syncRefused)
			}
			if ro && fileSHA(t, path) != before {
				t.Fatalf("case %d: a command's read-only open wrote to the file", i)
			}
			os.RemoveAll(path + ".backups")
		}
	}
	t.Logf("seed %d: %d damaged files refused, %d opened (damage the structure does not depend on); in the wizard's open, %d found in the background", seed, refused, opened, later)
	if later == 0 {
		t.Error("the background check never found damage the open had not; is it in the background at all?")
	}
	if refused < cases/2 {
		t.Errorf("only %d of %d damaged files were refused", refused, cases)
	}
}

// The wizard's open: the list is there at once, the rest of the check
// follows, and a sound file then works as with the check at Open.
func TestBackgroundCheckOnASoundFile(t *testing.T) {
	db, path := openTest(t, "alice")
	a, err := db.Create(model.Assessment{Name: "LIMS"})
	if err != nil {
		t.Fatal(err)
	}
	mustClose(t, db)
	db, err = Open(path, Options{Actor: "alice", BackgroundCheck: true})
	if err != nil {
		t.Fatal(err)
	}
	if sums, err := db.List(false); err != nil || len(sums) != 1 {
		t.Fatalf("List: %v, %v", sums, err)
	}
	if err := db.Checked(); err != nil {
		t.Fatalf("Checked: %v", err)
	}
	if _, err := db.Answer(a.ID, model.Answer{Control: "REC-01", Status: model.StatusPlanned}, ""); err != nil {
		t.Fatal(err)
	}
	mustClose(t, db)
}
