package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/store"
)

// The real binary, built once per test run and set of build tags by
// onusBinary and onusTestHooksBinary, and removed by TestMain.
var (
	binMu   sync.Mutex
	binDir  string
	binPath = map[string]string{}
)

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// onusBinary builds ./cmd/onus with CGO_ENABLED=0, as released, the first
// time a test asks for it.
func onusBinary(t *testing.T) string { return buildOnusWithTags(t, "") }

// onusTestHooksBinary is the binary built with the onus_test_hooks tag,
// which alone honours the ONUS_TEST_* hooks of testhooks.go.
func onusTestHooksBinary(t *testing.T) string { return buildOnusWithTags(t, testHooksTag) }

func buildOnusWithTags(t *testing.T, tags string) string {
	t.Helper()
	binMu.Lock()
	defer binMu.Unlock()
	if p, ok := binPath[tags]; ok {
		return p
	}
	if binDir == "" {
		dir, err := os.MkdirTemp("", "onus-bin-")
		if err != nil {
			t.Fatal(err)
		}
		binDir = dir
	}
	p := filepath.Join(binDir, "onus"+strings.ReplaceAll("-"+tags, ",", "-"))
	cmd := exec.Command("go", "build", "-tags", tags, "-o", p, ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build -tags %q: %v\n%s", tags, err, out)
	}
	binPath[tags] = p
	return p
}

type binResult struct {
	code           int
	stdout, stderr string
	took           time.Duration
}

// runBinary runs the real binary with a clean environment, killing it after
// 15 seconds so a hang fails the test instead of stalling it.
func runBinary(t *testing.T, home string, args ...string) binResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, onusBinary(t), args...)
	cmd.Env = []string{"HOME=" + home, "ONUS_USER=tester", "PATH=" + os.Getenv("PATH")}
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	start := time.Now()
	err := cmd.Run()
	r := binResult{stdout: out.String(), stderr: errb.String(), took: time.Since(start)}
	var ee *exec.ExitError
	switch {
	case err == nil:
	case ctx.Err() != nil:
		t.Fatalf("onus %q hung (killed after %v); stderr: %s", args, r.took, r.stderr)
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
	default:
		t.Fatal(err)
	}
	return r
}

// checkNoCrash fails if the output shows a Go panic or stack dump.
func checkNoCrash(t *testing.T, what string, r binResult) {
	t.Helper()
	for _, bad := range []string{"panic", "goroutine", "runtime error", "SIGSEGV", "SIGBUS"} {
		if strings.Contains(r.stdout+r.stderr, bad) {
			t.Errorf("%s: output contains %q:\n%s%s", what, bad, r.stdout, r.stderr)
		}
	}
}

func fileSHA256(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := sha256.Sum256(data)
	return hex.EncodeToString(s[:])
}

// A second onus on a file another process holds open says so, with exit
// code 3, within two seconds, instead of hanging.
func TestSecondProcessGetsInUse(t *testing.T) {
	onusBinary(t) // build first, so the timings below are the runs alone
	dir := t.TempDir()
	path := filepath.Join(dir, "onus.db")
	db, err := store.Open(path, store.Options{Actor: "holder"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Create(model.Assessment{Name: "held"}); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"list"}, {"new", "--name", "x"}, {"verify"}} {
		r := runBinary(t, dir, append([]string{"--db", path}, args...)...)
		what := "onus " + strings.Join(args, " ")
		if r.code != exitInUse {
			t.Errorf("%s while the file is held: exit %d, want %d; stderr: %s", what, r.code, exitInUse, r.stderr)
		}
		if r.took > 2*time.Second {
			t.Errorf("%s took %v to give up, want under 2s", what, r.took)
		}
		if !strings.Contains(r.stderr, "in use by another onus") || !strings.Contains(r.stderr, path) {
			t.Errorf("%s: stderr %q does not say the file is in use", what, r.stderr)
		}
		checkNoCrash(t, what, r)
		t.Logf("%s: exit %d after %v", what, r.code, r.took.Round(time.Millisecond))
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	// Released: the same command works, so exit 3 was the lock's doing.
	if r := runBinary(t, dir, "--db", path, "list"); r.code != 0 || !strings.Contains(r.stdout, "held") {
		t.Errorf("list after release: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
}

// damageSource creates a healthy file with enough assessments to span
// several data pages, and returns it with its page size.
func damageSource(t *testing.T) (path string, pageSize int) {
	t.Helper()
	path = filepath.Join(t.TempDir(), "src.db")
	db, err := store.Open(path, store.Options{Actor: "tester"})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 6 {
		a, err := db.Create(model.Assessment{Name: fmt.Sprintf("Assessment %d", i), Services: model.Select("ec2", "s3")})
		if err != nil {
			t.Fatal(err)
		}
		for j := range 10 {
			ans := model.Answer{Control: fmt.Sprintf("REC-%02d", j), Status: model.StatusImplemented, Notes: strings.Repeat("evidence reviewed; ", 5),
				Evidence: []model.EvidenceRef{{Title: "OQ report", DocumentID: fmt.Sprintf("OQ-%d-%d", i, j), Supplier: model.SupplierCustomer}}}
			if _, err := db.Answer(a.ID, ans, ""); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	os.RemoveAll(path + ".backups")

	// The page size is in the meta page: 16-byte page header, then
	// magic, version, page size (little-endian on this platform).
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	pageSize = int(binary.LittleEndian.Uint32(data[24:28]))
	if pageSize != os.Getpagesize() {
		t.Logf("bbolt page size %d differs from os.Getpagesize() %d", pageSize, os.Getpagesize())
	}
	if pageSize < 512 || len(data)%pageSize != 0 {
		t.Fatalf("page size %d does not fit a %d-byte file", pageSize, len(data))
	}
	return path, pageSize
}

// dataPages lists the pages of a file that hold b+tree nodes (branch and
// leaf pages) and its free pages, and returns the bytes its pages reach
// (bbolt's high-water mark).
func dataPages(t *testing.T, path string) (pages, free []int, used int) {
	t.Helper()
	tmp := filepath.Join(t.TempDir(), "probe.db")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(tmp, data, 0o600); err != nil {
		t.Fatal(err)
	}
	b, err := bolt.Open(tmp, 0o600, &bolt.Options{Timeout: time.Second}) // read-write: loads the freelist
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	b.View(func(tx *bolt.Tx) error {
		used = int(tx.Size())
		for id := 2; ; id++ {
			p, err := tx.Page(id)
			if err != nil {
				t.Fatal(err)
			}
			if p == nil {
				return nil
			}
			switch p.Type {
			case "leaf", "branch":
				pages = append(pages, id)
			case "free":
				free = append(free, id)
			}
		}
	})
	return pages, free, used
}

// mmapSize is the size bbolt maps for a file of n bytes (below 1 GiB).
func mmapSize(n int) int {
	m := 32 << 10
	for m < n {
		m *= 2
	}
	return m
}

// TestDamagedFilesAreRefused damages copies of a file several ways; onus
// must refuse each with exit 4 and a message naming the file (and the
// newest backup once there is one), never crash, and never write to it.
// Damage to the whole file (cut short, both meta pages gone) stops every
// command at once; damage inside one page is found by verify, which checks
// the whole file, and by the commands that read that page (a command
// checks what it reads: TestCommandsCheckWhatTheyRead).
func TestDamagedFilesAreRefused(t *testing.T) {
	onusBinary(t)
	src, pageSize := damageSource(t)
	orig, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	pages, free, used := dataPages(t, src)
	if len(pages) < 4 {
		t.Fatalf("only %d data pages in the source file: too small to damage", len(pages))
	}
	t.Logf("source: %d bytes, pages used up to %d, page size %d, data pages %v", len(orig), used, pageSize, pages)

	damages := []struct {
		name   string
		damage func([]byte) []byte
		inPage bool // inside pages: only the commands that read them see it
	}{
		// Half of what its pages use: the file runs on past them, written
		// with zeros (store's zeroAhead).
		{"truncated to half", func(d []byte) []byte { return d[:used/2] }, false},
		// Cut inside the range bbolt maps (it maps the smallest power of
		// two, from 32 KiB, not below the file's size): reading the lost
		// page is a SIGBUS, which kills the process, recover or not,
		// unless onus checks the length first.
		{"last used page cut off", func(d []byte) []byte {
			cut := used - pageSize
			if mapped := mmapSize(cut); mapped < used {
				t.Fatalf("cutting at %d: bbolt maps %d bytes, below the %d used; the source needs other sizes", cut, mapped, used)
			}
			return d[:cut]
		}, false},
		// One field changed where bbolt trusts the file most: it would
		// follow the pointer outside its memory map, a fault that no
		// recover catches.
		{"a child page number changed", func(d []byte) []byte {
			for _, p := range pages {
				if off := p * pageSize; binary.NativeEndian.Uint16(d[off+8:]) == 0x01 { // a branch page
					binary.NativeEndian.PutUint64(d[off+16+8:], 1<<40) // its first child
					return d
				}
			}
			t.Fatal("no branch page in the source file")
			return nil
		}, true},
		{"a value size changed", func(d []byte) []byte {
			for _, p := range pages {
				off := p * pageSize
				if binary.NativeEndian.Uint16(d[off+8:]) == 0x02 && binary.NativeEndian.Uint16(d[off+10:]) > 0 { // a leaf with elements
					binary.NativeEndian.PutUint32(d[off+16+12:], 1<<30) // its first value's size
					return d
				}
			}
			t.Fatal("no leaf page in the source file")
			return nil
		}, true},
		{"both meta pages zeroed", func(d []byte) []byte {
			clear(d[:2*pageSize])
			return d
		}, false},
		{"data pages overwritten with random bytes", func(d []byte) []byte {
			// Fixed seed: the same pages and bytes every run. Only pages
			// that hold data are chosen: bbolt cannot notice random bytes
			// on a free page, and need not.
			rng := rand.New(rand.NewPCG(20260314, 1))
			for _, i := range rng.Perm(len(pages))[:3] {
				p := pages[i]
				for j := p * pageSize; j < (p+1)*pageSize; j += 8 {
					binary.LittleEndian.PutUint64(d[j:], rng.Uint64())
				}
				t.Logf("overwrote page %d", p)
			}
			return d
		}, true},
	}
	for _, dmg := range damages {
		t.Run(dmg.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "onus.db")
			if err := os.WriteFile(path, dmg.damage(bytes.Clone(orig)), 0o600); err != nil {
				t.Fatal(err)
			}
			before := fileSHA256(t, path)
			check := func(args []string, wantBackup string) {
				t.Helper()
				r := runBinary(t, dir, append([]string{"--db", path}, args...)...)
				what := "onus " + strings.Join(args, " ")
				if r.code != exitDamaged {
					t.Errorf("%s: exit %d, want %d; stderr: %s", what, r.code, exitDamaged, r.stderr)
				}
				if r.took > 2*time.Second {
					t.Errorf("%s took %v, want under 2s", what, r.took)
				}
				if !strings.Contains(r.stderr, "damaged") || !strings.Contains(r.stderr, path) {
					t.Errorf("%s: stderr %q does not say %s is damaged", what, r.stderr, path)
				}
				if wantBackup == "" && !strings.Contains(r.stderr, "no backup") {
					t.Errorf("%s: stderr %q does not say there is no backup", what, r.stderr)
				}
				if wantBackup != "" && !strings.Contains(r.stderr, "newest backup: "+wantBackup) {
					t.Errorf("%s: stderr %q does not name the newest backup %s", what, r.stderr, wantBackup)
				}
				checkNoCrash(t, what, r)
				if after := fileSHA256(t, path); after != before {
					t.Fatalf("%s wrote to the damaged file", what)
				}
			}
			commands := [][]string{{"list"}, {"list", "--json"}, {"new", "--name", "x"}, {"verify"}}
			if dmg.inPage {
				commands = [][]string{{"verify"}, {"verify", "--json"}}
			}
			for _, args := range commands {
				check(args, "")
			}
			if _, err := os.Stat(path + ".backups"); err == nil {
				t.Error("a backup folder was made for the damaged file")
			}

			// With backups beside it, the message names the newest.
			bdir := path + ".backups"
			os.Mkdir(bdir, 0o700)
			older := filepath.Join(bdir, "onus-20260101T090000.000000000Z.db")
			newest := filepath.Join(bdir, "onus-20260301T090000.000000000Z.db")
			for _, b := range []string{newest, older} {
				if err := os.WriteFile(b, orig, 0o600); err != nil {
					t.Fatal(err)
				}
			}
			if dmg.inPage {
				check([]string{"verify"}, newest)
			} else {
				check([]string{"list"}, newest)
				check([]string{"new", "--name", "x"}, newest)
			}
		})
	}

	// Why only data pages are overwritten above: random bytes on free
	// pages hurt nothing, and bbolt (rightly) does not look at them.
	t.Run("free pages overwritten", func(t *testing.T) {
		if len(free) == 0 {
			t.Skip("no free pages in the source file")
		}
		dir := t.TempDir()
		path := filepath.Join(dir, "onus.db")
		d := bytes.Clone(orig)
		rng := rand.New(rand.NewPCG(20260314, 2))
		for _, p := range free {
			for j := p * pageSize; j < (p+1)*pageSize; j += 8 {
				binary.LittleEndian.PutUint64(d[j:], rng.Uint64())
			}
		}
		if err := os.WriteFile(path, d, 0o600); err != nil {
			t.Fatal(err)
		}
		r := runBinary(t, dir, "--db", path, "verify")
		if r.code != 0 || !strings.Contains(r.stdout, "6 assessments checked, 0 failed") {
			t.Errorf("verify with free pages %v overwritten: exit %d\n%s%s", free, r.code, r.stdout, r.stderr)
		}
	})
}
