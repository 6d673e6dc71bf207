package store

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/onus-gxp/onus/model"
)

const crashEnv = "ONUS_CRASH_CHILD_DB"

// TestCrashChild is the writer that TestCrashKill starts and kills. It
// creates an assessment, prints "ready ID", then answers controls in a loop,
// printing each control id only after Answer has returned nil.
func TestCrashChild(t *testing.T) {
	path := os.Getenv(crashEnv)
	if path == "" {
		t.Skip("the child process of TestCrashKill")
	}
	fail := func(err error) {
		fmt.Fprintln(os.Stderr, "child:", err)
		os.Exit(3)
	}
	db, err := Open(path, Options{Actor: "child", Timeout: 5 * time.Second})
	if err != nil {
		fail(err)
	}
	round := os.Getenv("ONUS_CRASH_ROUND")
	a, err := db.Create(model.Assessment{Name: "crash round " + round, Services: model.Select("ec2", "s3")})
	if err != nil {
		fail(err)
	}
	// os.Stdout is unbuffered: each line is one write(2), so the parent
	// sees it as soon as it is printed, and a line is never half-written.
	if _, err := os.Stdout.WriteString("ready " + a.ID + "\n"); err != nil {
		fail(err)
	}
	for i := 0; ; i++ {
		ctl := fmt.Sprintf("C-%s-%05d", round, i)
		ans := model.Answer{Control: ctl, Status: model.Statuses[i%4], Notes: strings.Repeat("note ", i%40),
			Evidence: []model.EvidenceRef{{Title: "evidence " + ctl, DocumentID: "DOC-" + strconv.Itoa(i), Supplier: model.SupplierCustomer}}}
		if _, err := db.Answer(a.ID, ans, ""); err != nil {
			fail(err)
		}
		if _, err := os.Stdout.WriteString(ctl + "\n"); err != nil {
			fail(err)
		}
		if i%16 == 15 { // touch other parts of the file too
			if _, err := db.SetSupplierRecord(a.ID, model.SupplierRecord{Source: "soc2", Obtained: "2026-01-0" + strconv.Itoa(1+i%9)}); err != nil {
				fail(err)
			}
		}
	}
}

// crashRound starts the child, kills it with SIGKILL at a random moment and
// returns the assessment it created ("" if killed before it said so) and the
// controls it reported answered.
func crashRound(t *testing.T, rng *rand.Rand, path string, round int, fromStart bool) (id string, answered []string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$")
	cmd.Env = append(os.Environ(), crashEnv+"="+path, "ONUS_CRASH_ROUND="+strconv.Itoa(round))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	lines := make(chan string, 1<<16)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill() // if the test fails before the kill
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()

	delay := time.Duration(5+rng.IntN(146)) * time.Millisecond
	if !fromStart {
		select { // bounded wait for the child to start writing
		case l, ok := <-lines:
			if !ok || !strings.HasPrefix(l, "ready ") {
				cmd.Wait()
				t.Fatalf("round %d: child said %q before ready; stderr: %s", round, l, stderr.String())
			}
			id = strings.TrimPrefix(l, "ready ")
		case <-time.After(20 * time.Second):
			t.Fatalf("round %d: child not ready after 20s; stderr: %s", round, stderr.String())
		}
	}
	time.Sleep(delay) // the moment of the crash, not synchronisation
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	// The pipe ends when the child is gone; read every line it completed.
	deadline := time.After(20 * time.Second)
	for done := false; !done; {
		select {
		case l, ok := <-lines:
			switch {
			case !ok:
				done = true
			case strings.HasPrefix(l, "ready "):
				id = strings.TrimPrefix(l, "ready ")
			default:
				answered = append(answered, l)
			}
		case <-deadline:
			t.Fatalf("round %d: child output did not end after SIGKILL", round)
		}
	}
	err = cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		t.Fatalf("round %d: child ended with %v, want killed; stderr: %s", round, err, stderr.String())
	}
	if ws, ok := ee.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("round %d: child ended by itself (%v), not by SIGKILL; stderr: %s", round, err, stderr.String())
	}
	t.Logf("round %d: killed after %v (from %s), %d answers reported", round, delay,
		map[bool]string{true: "start", false: "ready"}[fromStart], len(answered))
	return id, answered
}

// TestCrashKill kills a writing process at random moments, over and over on
// the same file: each time the file must open clean, every chain must
// verify, and every answer the writer saw committed must be there.
func TestCrashKill(t *testing.T) {
	if os.Getenv(crashEnv) != "" {
		t.Skip("in the child")
	}
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("ONUS_CRASH_SEED"); s != "" {
		seed, _ = strconv.ParseUint(s, 10, 64)
	}
	t.Logf("seed %d (set ONUS_CRASH_SEED to repeat)", seed)
	rng := rand.New(rand.NewPCG(seed, 0))

	path := filepath.Join(t.TempDir(), "onus.db")
	committed := map[string][]string{} // assessment → controls reported answered
	total := 0
	const rounds = 24
	for round := 1; round <= rounds; round++ {
		// Every fourth round dies at a random moment of start-up (open,
		// backup check, create) rather than while answering.
		id, answered := crashRound(t, rng, path, round, round%4 == 0)
		if len(answered) > 0 && id == "" {
			t.Fatalf("round %d: answers reported but no assessment", round)
		}
		if id != "" {
			committed[id] = answered
		}
		total += len(answered)

		db, err := Open(path, Options{ReadOnly: true})
		if err != nil {
			t.Fatalf("round %d: the file does not open after SIGKILL: %v", round, err)
		}
		results, err := db.VerifyAll()
		if err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		for _, r := range results {
			if r.Err != "" {
				t.Errorf("round %d: %s fails verification: %s", round, r.ID, r.Err)
			}
		}
		for aid, controls := range committed {
			a, err := db.Get(aid)
			if err != nil {
				t.Fatalf("round %d: assessment %s, reported created, is missing: %v", round, aid, err)
			}
			for _, c := range controls {
				if a.Answer(c).Status == model.StatusUnanswered {
					t.Errorf("round %d: %s was reported committed but is missing from %s", round, c, aid)
				}
			}
		}
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		if t.Failed() {
			t.FailNow()
		}
	}
	if total < rounds {
		t.Errorf("only %d answers were committed in %d rounds: the test did not exercise writes", total, rounds)
	}
	t.Logf("%d rounds, %d answers committed and found, %d assessments", rounds, total, len(committed))
}
