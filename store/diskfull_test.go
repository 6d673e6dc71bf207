//go:build linux

package store

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/onus-gxp/onus/model"
)

// A full disk is simulated with a file-size limit (RLIMIT_FSIZE): a write
// or truncate past it fails with EFBIG, as one fails with ENOSPC on a full
// disk. The limit applies to the whole process, so it is set in a child
// (this test binary, run again) and never in the test process itself.
const diskFullEnv = "ONUS_DISKFULL_CHILD" // "path id limit mode"

// diskFullAnswer is the i-th answer the child tries to save: large notes,
// so the file fills within a few dozen saves.
func diskFullAnswer(i int) model.Answer {
	return model.Answer{Control: fmt.Sprintf("FULL-%03d", i), Status: model.Statuses[i%4],
		Notes: strings.Repeat(fmt.Sprintf("note %d; ", i), 200)}
}

// TestDiskFullChild is the process TestDiskFull starts. Under the limit it
// saves answers until one fails, checks that the failure leaves the handle
// usable, then either raises the limit and saves the refused answer again
// on the same handle (mode "raise"), or lowers it further and closes the
// file, which cannot write its backup then (mode "close"). It reports on
// stdout, one line per event.
func TestDiskFullChild(t *testing.T) {
	spec := os.Getenv(diskFullEnv)
	if spec == "" {
		t.Skip("the child process of TestDiskFull")
	}
	say := func(format string, a ...any) { os.Stdout.WriteString(fmt.Sprintf(format, a...) + "\n") }
	fail := func(err error) {
		say("error %v", err)
		os.Exit(3)
	}
	var path, id, mode string
	var limit uint64
	if _, err := fmt.Sscan(spec, &path, &id, &limit, &mode); err != nil {
		fail(err)
	}
	// Go ignores SIGXFSZ already (the runtime catches it and does nothing);
	// say so explicitly, so a write past the limit returns EFBIG rather
	// than killing the process.
	signal.Ignore(syscall.SIGXFSZ)
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_FSIZE, &lim); err != nil {
		fail(err)
	}
	orig := lim
	lim.Cur = limit
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &lim); err != nil {
		fail(err)
	}
	// The clock moves on past the backup interval before a close while
	// full, so that its backup is due then (and not before, when a
	// background one would find room).
	var later time.Duration
	db, err := Open(path, Options{Actor: "child", Now: func() time.Time { return time.Now().Add(later) }})
	if err != nil {
		fail(err)
	}
	refused := -1
	var saveErr error
	for i := 0; i < 400; i++ {
		if _, saveErr = db.Answer(id, diskFullAnswer(i), ""); saveErr != nil {
			refused = i
			break
		}
		say("saved %d", i)
	}
	if refused < 0 {
		say("never refused")
		os.Exit(0)
	}
	say("refused %d %v", refused, saveErr)
	// The error reaches the user after NOT SAVED, so it must say what is
	// wrong. errors.Is cannot find EFBIG in it when bbolt could not grow
	// the file (it formats that error as text), hence the words.
	say("efbig %t", strings.Contains(saveErr.Error(), syscall.EFBIG.Error()))
	// The handle is still usable: it reads, and the refused answer is not
	// there. Saving it again while still full usually fails again; it may
	// also fit, since bbolt places pages in a different order each time
	// (it spills nested buckets in map order), and the last free pages
	// of the file may then be enough.
	a, err := db.Get(id)
	if err != nil {
		fail(err)
	}
	say("read %d %q", len(a.Answers), a.Answer(diskFullAnswer(refused).Control).Status)
	if _, err := db.Answer(id, diskFullAnswer(refused), ""); err == nil {
		say("retry saved")
	} else {
		say("retry refused")
	}
	if r := db.Verify(id); r.Err != "" {
		say("verify %s", r.Err)
	} else {
		say("verify ok %d", r.Entries)
	}
	if mode == "raise" {
		if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &orig); err != nil {
			fail(err)
		}
		if _, err := db.Answer(id, diskFullAnswer(refused), ""); err != nil {
			say("after raise refused %v", err)
		} else {
			say("after raise saved %d", refused)
		}
	}
	if mode == "close" {
		// Fuller still: not even a copy of the file fits.
		lim.Cur = uint64(4 * os.Getpagesize())
		if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &lim); err != nil {
			fail(err)
		}
		later = 2 * backupInterval
	}
	if err := db.Close(); err != nil {
		say("close %v", err)
	} else {
		say("close ok")
	}
}

// runDiskFullChild runs the child and returns its report, line by line.
func runDiskFullChild(t *testing.T, path, id string, limit int64, mode string) []string {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestDiskFullChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%s %s %d %s", diskFullEnv, path, id, limit, mode))
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	done := make(chan error, 1)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("child: %v\nstdout:\n%s\nstderr:\n%s", err, stdout.String(), stderr.String())
		}
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("child hung\nstdout:\n%s", stdout.String())
	}
	var lines []string
	sc := bufio.NewScanner(&stdout)
	for sc.Scan() {
		if l := sc.Text(); l != "PASS" && !strings.HasPrefix(l, "ok ") {
			lines = append(lines, l)
		}
	}
	return lines
}

// TestDiskFull fills the disk (a file-size limit) under a writer three
// ways: the file cannot grow (bbolt's truncate fails); the file has room
// but writes past a point fail, one page cut in the middle (as ENOSPC does
// on a sparse or preallocated file); and the writer closes the file while
// the disk is still full (the closing backup cannot be written). Each
// time the refused save must return an error and leave the handle usable,
// every earlier answer must be intact and every chain verify, and once
// there is room again the same file must take the refused answer.
func TestDiskFull(t *testing.T) {
	if os.Getenv(diskFullEnv) != "" {
		t.Skip("in the child")
	}
	for _, tc := range []struct {
		name string
		mode string
		// limit returns the file-size limit for a file of size bytes whose
		// pages reach used bytes, and may make room in the file first.
		limit func(t *testing.T, path string, size, used int64) int64
	}{
		{"the file cannot grow", "raise", func(t *testing.T, path string, size, used int64) int64 {
			return size
		}},
		{"writes fail inside the file", "raise", func(t *testing.T, path string, size, used int64) int64 {
			// Room in the file, so bbolt does not need to grow it; the
			// limit cuts a page in two.
			if err := os.Truncate(path, size+1<<20); err != nil {
				t.Fatal(err)
			}
			return used + 5*int64(os.Getpagesize()) + 1000
		}},
		{"closed while full", "close", func(t *testing.T, path string, size, used int64) int64 {
			// The backup the setup wrote keeps the saves from starting
			// one; closing writes one, as the child's clock moves past
			// the interval (and lowers the limit first, so that it
			// cannot).
			return size
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db, path := openTest(t, "tester")
			a, err := db.Create(model.Assessment{Name: "Disk full", Services: model.Select("ec2", "s3")})
			if err != nil {
				t.Fatal(err)
			}
			earlier := map[string]model.Answer{}
			for i := range 20 {
				ans := model.Answer{Control: fmt.Sprintf("EARLY-%02d", i), Status: model.StatusImplemented,
					Notes:    strings.Repeat("reviewed; ", 50),
					Evidence: []model.EvidenceRef{{Title: "OQ report", DocumentID: fmt.Sprintf("OQ-%d", i), Supplier: model.SupplierCustomer}}}
				if _, err := db.Answer(a.ID, ans, ""); err != nil {
					t.Fatal(err)
				}
				earlier[ans.Control] = ans
			}
			setup, err := db.History(a.ID) // each earlier answer: the answer, its entry in the register, its link
			if err != nil {
				t.Fatal(err)
			}
			var used int64
			db.bolt.View(func(tx *bolt.Tx) error { used = tx.Size(); return nil })
			mustClose(t, db)
			info, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			limit := tc.limit(t, path, info.Size(), used)
			t.Logf("file %d bytes, pages up to %d, limit %d", info.Size(), used, limit)

			before := listBackups(path)
			lines := runDiskFullChild(t, path, a.ID, limit, tc.mode)
			report := strings.Join(lines, "\n")
			t.Logf("child:\n%s", report)
			saved := map[int]bool{}
			refused := -1
			for _, l := range lines {
				var n int
				if _, err := fmt.Sscanf(l, "saved %d", &n); err == nil {
					saved[n] = true
				}
				if strings.HasPrefix(l, "refused ") {
					fmt.Sscanf(l, "refused %d", &refused)
				}
			}
			if refused < 0 {
				t.Fatalf("no save was refused under the limit:\n%s", report)
			}
			if len(saved) == 0 {
				t.Errorf("the limit left no room: no save succeeded before the refused one")
			}
			retried := 0 // the refused answer, saved again while still full
			if strings.Contains(report, "\nretry saved") {
				retried = 1
			}
			want := []string{
				"efbig true", // the error says why: file too large
				fmt.Sprintf("read %d %q", len(earlier)+len(saved), model.StatusUnanswered), // reads work; the refused answer is not there
				fmt.Sprintf("verify ok %d", len(setup)+len(saved)+retried),
			}
			if tc.mode == "raise" {
				want = append(want, fmt.Sprintf("after raise saved %d", refused), "close ok")
			} else {
				want = append(want, "close ") // what the closing backup met
			}
			for _, w := range want {
				if !strings.Contains(report, "\n"+w) {
					t.Errorf("the child did not report %q:\n%s", w, report)
				}
			}
			if tc.mode == "close" && strings.Contains(report, "close ok") {
				t.Errorf("closing while full reported no error, but it had a backup to write:\n%s", report)
			}

			// Room again: the file opens (checked in full), every chain
			// verifies, every earlier and every saved answer is there,
			// and the file takes new answers.
			db, err = Open(path, Options{Actor: "tester"})
			if err != nil {
				t.Fatalf("the file does not open after the disk was full: %v", err)
			}
			defer mustClose(t, db)
			results, err := db.VerifyAll()
			if err != nil || len(results) != 1 || results[0].Err != "" {
				t.Fatalf("verify after the disk was full: %v %+v", err, results)
			}
			got, err := db.Get(a.ID)
			if err != nil {
				t.Fatal(err)
			}
			for c, ans := range earlier {
				if g, ev := got.Answer(c), linked(got, c); g.Status != ans.Status || g.Notes != ans.Notes || len(ev) != 1 || ev[0].DocumentID != ans.Evidence[0].DocumentID {
					t.Errorf("earlier answer %s changed: %+v", c, g)
				}
			}
			for i := range saved {
				if g, w := got.Answer(diskFullAnswer(i).Control), diskFullAnswer(i); g.Status != w.Status || g.Notes != w.Notes {
					t.Errorf("answer %d, saved under the limit, reads back as %+v", i, g.Status)
				}
			}
			refusedAns := diskFullAnswer(refused)
			if g := got.Answer(refusedAns.Control); tc.mode == "raise" && g.Notes != refusedAns.Notes {
				t.Errorf("the refused answer, saved again once there was room, is missing")
			} else if tc.mode == "close" && (g.Notes == refusedAns.Notes) != (retried == 1) {
				t.Errorf("the refused answer is in the file %t times, its retry while full reported %d times: %+v", g.Notes == refusedAns.Notes, retried, g.Status)
			}
			if _, err := db.Answer(a.ID, refusedAns, "room again"); err != nil {
				t.Fatalf("saving once there is room again: %v", err)
			}
			if r := db.Verify(a.ID); r.Err != "" {
				t.Fatal(r.Err)
			}
			// A backup that failed half-way leaves no file behind.
			if tmp, _ := filepath.Glob(filepath.Join(backupDir(path), ".backup-*")); len(tmp) > 0 {
				t.Errorf("a failed backup left %v", tmp)
			}
			if tc.mode == "close" {
				if backups := listBackups(path); !slices.Equal(backups, before) {
					t.Errorf("backups written while the disk was full: %v", backups)
				}
			}
		})
	}
}
