package store

import (
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/onus-gxp/onus/model"
)

// FuzzDamagedFile damages a page of a real Onus file and runs what the
// commands and the wizard do on it, each way of opening it in turn: no
// panic, no hang past two seconds, and the file's bytes unchanged unless
// the open passed its check (only then may a change write).
//
// The real files are committed (testdata/fuzz-base: files of schema 4 and
// schema 3, with branch and overflow pages, the first with a wizard draft,
// the second upgraded by every read-write open; and the schema 1
// fixture); `make test` runs the seeds below and those in
// testdata/fuzz/FuzzDamagedFile, `make fuzz` looks for more.
func FuzzDamagedFile(f *testing.F) {
	bases := fuzzBases(f)
	// Seeds: each kind of damage on pages of each kind.
	for base, data := range bases {
		for _, page := range pageOfEachKind(data) {
			for op := range uint8(mutations) {
				f.Add(uint8(base), op, page, page*37%4096, []byte{0xff, 0x00, 0x7f, 0x10})
			}
		}
	}
	f.Fuzz(func(t *testing.T, base, op uint8, page, offset uint16, patch []byte) {
		orig := bases[int(base)%len(bases)]
		data := mutate(orig, op, page, offset, patch)
		dir := t.TempDir()
		for _, m := range openModes {
			path := filepath.Join(dir, m.name, "onus.db")
			os.MkdirAll(filepath.Dir(path), 0o700)
			if err := os.WriteFile(path, data, 0o600); err != nil {
				t.Fatal(err)
			}
			done := make(chan string, 1)
			go func() {
				defer func() {
					if r := recover(); r != nil {
						done <- fmt.Sprintf("panic: %v\n%s", r, debug.Stack())
					}
				}()
				done <- exercise(path, m.opt, data)
			}()
			select {
			case problem := <-done:
				if problem != "" {
					t.Fatalf("%s open, %s: %s", m.name, describeMutation(op, page, offset, patch), problem)
				}
			case <-time.After(2 * time.Second):
				t.Fatalf("%s open, %s: no answer within 2 s", m.name, describeMutation(op, page, offset, patch))
			}
		}
	})
}

// exercise opens path as opt says and does what a command would: every
// read, then (read-write) a change and a new assessment. It returns what
// went wrong, or "".
func exercise(path string, opt Options, orig []byte) string {
	opt.Actor, opt.Timeout = "fuzz", time.Second
	unchanged := func(when string) string {
		if now, _ := os.ReadFile(path); string(now) != string(orig) {
			return "the file changed " + when
		}
		return ""
	}
	db, err := Open(path, opt)
	if err != nil {
		// Nothing but the content is wrong with these files: any other
		// error (a permission problem, say) would tell the user a wrong
		// story.
		var de *DamagedError
		if !errors.As(err, &de) && !strings.Contains(err.Error(), "newer onus") {
			return fmt.Sprintf("Open: %T %v: not reported as damage", err, err)
		}
		return unchanged("although Open refused it: " + err.Error())
	}
	sums, _ := db.List(true)
	// A command's open reads each assessment after checking only its
	// pages: the whole file's check comes last, after every read.
	passed := opt.CheckAsRead || db.Checked() == nil
	for _, s := range sums {
		db.Get(s.ID)
		db.History(s.ID)
		db.Verify(s.ID)
		db.Export(s.ID)
		db.WizardState(s.ID)
	}
	if !opt.CheckAsRead {
		db.VerifyAll()
	}
	if !opt.ReadOnly {
		if len(sums) > 0 {
			db.Answer(sums[0].ID, model.Answer{Control: "FUZZ-1", Status: model.StatusPlanned}, "fuzz")
			db.SelectServices(sums[0].ID, []string{"s3"})
			db.SetWizardState(sums[0].ID, WizardState{Step: "questions", Draft: &Draft{Form: "notes", Fields: []string{"fuzz"}}})
		}
		if len(sums) > 1 {
			db.Purge(sums[len(sums)-1].ID)
		}
		db.Create(model.Assessment{Name: "fuzz"})
	}
	if opt.CheckAsRead {
		db.VerifyAll()
	}
	db.Close()
	if opt.ReadOnly || !passed {
		return unchanged(map[bool]string{true: "in a read-only session", false: "although its check failed"}[opt.ReadOnly])
	}
	return ""
}

// The mutations, by op modulo mutations.
const mutations = 6

// mutate returns a damaged copy of a file: op picks the kind of damage,
// page and offset where. Every mutation keeps the file's length except
// truncation.
func mutate(orig []byte, op uint8, page, offset uint16, patch []byte) []byte {
	d := append([]byte(nil), orig...)
	ps := int(binary.NativeEndian.Uint32(d[pageHeader+8:]))
	if ps < minPageSize || ps > len(d) {
		ps = 4096
	}
	pages := len(d) / ps
	p := int(page) % pages * ps
	off := int(offset) % ps
	if len(patch) == 0 {
		patch = []byte{0xff}
	}
	switch op % mutations {
	case 0: // overwrite bytes inside one page
		copy(d[p+off:p+ps], patch)
	case 1: // zero the page
		clear(d[p : p+ps])
	case 2: // another page's bytes over this one (a misdirected write)
		src := int(offset) % pages * ps
		copy(d[p:p+ps], orig[src:src+ps])
	case 3: // cut the file short
		return d[:p+off]
	case 4: // flip bits
		for i, b := range patch {
			d[p+(off+i)%ps] ^= b
		}
	case 5: // a 4-byte field of the page header or of an element
		field := p + off&^3%(pageHeader+elemSize*8)
		if field+4 <= len(d) {
			v := binary.NativeEndian.Uint32(d[field:]) + uint32(patch[0]) + 1
			binary.NativeEndian.PutUint32(d[field:], v)
		}
	}
	return d
}

// pageOfEachKind returns both meta pages and the first page of each other
// kind in a file: leaf, branch, freelist, and one with overflow pages.
func pageOfEachKind(data []byte) []uint16 {
	ps := int(binary.NativeEndian.Uint32(data[pageHeader+8:]))
	out := []uint16{0, 1}
	seen := map[uint32]bool{}
	for id := 2; id < len(data)/ps && id < 1<<16; id++ {
		h := data[id*ps:]
		flags, overflow := uint32(binary.NativeEndian.Uint16(h[8:])), binary.NativeEndian.Uint32(h[12:])
		kind := flags
		if overflow > 0 {
			kind = 1 << 16
		}
		if flags != 0 && flags&^(flagBranch|flagLeaf|flagFreelist) == 0 && !seen[kind] {
			seen[kind] = true
			out = append(out, uint16(id))
		}
		id += int(overflow)
	}
	return out
}

func describeMutation(op uint8, page, offset uint16, patch []byte) string {
	names := []string{"overwrite", "zero page", "copy page", "truncate", "flip bits", "bump a field"}
	return fmt.Sprintf("%s at page %d offset %d (patch %x)", names[op%mutations], page, offset, patch)
}

var updateFuzzBases = flag.Bool("update-fuzz-bases", false, "regenerate testdata/fuzz-base/schema4.db")

const fuzzBaseDir = "testdata/fuzz-base"

// fuzzBases reads the real files the fuzzer damages, in an order the
// committed corpus depends on (its base is an index): schema3.db was made
// by the generator below when onus wrote schema 3, and is kept as it was.
func fuzzBases(tb testing.TB) [][]byte {
	var out [][]byte
	for _, name := range []string{filepath.Join(fuzzBaseDir, "schema3.db"), v1Fixture, filepath.Join(fuzzBaseDir, "schema4.db")} {
		data, err := os.ReadFile(name)
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, data)
	}
	return out
}

// TestGenerateFuzzBase writes testdata/fuzz-base/schema4.db: three
// assessments, one with enough answers, and long enough notes, for branch
// pages and overflow pages, one deleted, a purge and an import in the
// store's log, and a wizard draft.
// Run with: go test ./store/ -run TestGenerateFuzzBase -update-fuzz-bases
func TestGenerateFuzzBase(t *testing.T) {
	if !*updateFuzzBases {
		t.Skip("run with -update-fuzz-bases to regenerate " + fuzzBaseDir)
	}
	dir := t.TempDir()
	db, err := Open(filepath.Join(dir, "onus.db"), Options{Actor: "vera", Now: newClock().Now})
	if err != nil {
		t.Fatal(err)
	}
	big, err := db.Create(model.Assessment{Name: "LIMS on AWS", Organisation: "Acme", System: "LIMS", Services: model.Select("ec2", "rds", "s3")})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 24 {
		ans := model.Answer{Control: fmt.Sprintf("REC-%02d", i), Status: model.Statuses[i%4], Notes: strings.Repeat("note ", 10+i*2)}
		if i == 7 {
			ans.Notes = strings.Repeat("a long note over a page ", 200)
		}
		if _, err := db.Answer(big.ID, ans, ""); err != nil {
			t.Fatal(err)
		}
	}
	small, err := db.Create(model.Assessment{Name: "MES"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Delete(small.ID, "superseded"); err != nil {
		t.Fatal(err)
	}
	gone, err := db.Create(model.Assessment{Name: "to purge"})
	if err != nil {
		t.Fatal(err)
	}
	bundle, err := db.Export(gone.ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Purge(gone.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Import(bundle); err != nil {
		t.Fatal(err)
	}
	draft := WizardState{Step: "questions", At: "REC-07", Draft: &Draft{Form: "notes", Target: "REC-07", Fields: []string{"typed, not saved"}}}
	if err := db.SetWizardState(big.ID, draft); err != nil {
		t.Fatal(err)
	}
	mustClose(t, db)
	// Without the unused space bbolt grew the file by: it grows again.
	data, err := os.ReadFile(filepath.Join(dir, "onus.db"))
	if err != nil {
		t.Fatal(err)
	}
	m0 := parseMeta(data)
	m1 := parseMeta(data[m0.pageSize:])
	hwm := max(m0.hwm, m1.hwm)
	os.MkdirAll(fuzzBaseDir, 0o755)
	if err := os.WriteFile(filepath.Join(fuzzBaseDir, "schema4.db"), data[:hwm*uint64(m0.pageSize)], 0o644); err != nil {
		t.Fatal(err)
	}
}
