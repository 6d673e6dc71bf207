package main

import (
	"bytes"
	"io"
	"time"

	"github.com/onus-gxp/onus/tui"
)

// testHooksTag is the build tag that compiles the test hooks in
// (go build -tags onus_test_hooks). make build, make dist and go install
// leave it out, so a released binary has no hook at all: an
// ONUS_TEST_SLOW_WRITES left in someone's environment does nothing there.
const testHooksTag = "onus_test_hooks"

// slowWritesForTests: ONUS_TEST_SLOW_WRITES=300ms, in a binary built with
// the onus_test_hooks tag, makes every write of the wizard take that much
// longer (tui.SlowWrites), as on a network home or an encrypted USB stick,
// so that an end-to-end test of the real binary can show that no key is
// lost on a slow disk (slowdisk_test.go). Without the tag it does nothing.
func slowWritesForTests(env *Env, st tui.Store) (tui.Store, error) {
	if !testHooksBuilt {
		return st, nil
	}
	return slowWrites(env.Getenv("ONUS_TEST_SLOW_WRITES"), st)
}

// testPanicForTests: ONUS_TEST_PANIC=update|cmd|batch|view|list|open|catalog, in a
// binary built with the onus_test_hooks tag, makes the wizard panic in that
// place (panic_test.go shows that the terminal is restored and nothing is
// lost). A released binary never reads it.
func testPanicForTests(env *Env) string {
	if !testHooksBuilt {
		return ""
	}
	return env.Getenv("ONUS_TEST_PANIC")
}

// slowWrites wraps st when v is set. A value that is not a duration is
// refused rather than ignored, so that such a test cannot pass on a fast
// disk by mistake.
func slowWrites(v string, st tui.Store) (tui.Store, error) {
	if v == "" {
		return st, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 {
		return nil, settingError{"ONUS_TEST_SLOW_WRITES=" + v + ": not a duration such as 300ms (a hook for tests)"}
	}
	return tui.SlowWrites(st, d), nil
}

// slowOutputForTests: ONUS_TEST_SLOW_OUTPUT=20ms, in a binary built with
// the onus_test_hooks tag, has a command relayed to onus serve write its
// standard output a line at a time, each that much later, as to a slow
// terminal, so that an end-to-end test can interrupt it while it runs
// (relayed_test.go). Without the tag, or with a value that is not a
// duration, it does nothing.
func slowOutputForTests(getenv func(string) string, w io.Writer) io.Writer {
	if !testHooksBuilt {
		return w
	}
	d, err := time.ParseDuration(getenv("ONUS_TEST_SLOW_OUTPUT"))
	if err != nil || d <= 0 {
		return w
	}
	return slowLines{w, d}
}

type slowLines struct {
	w io.Writer
	d time.Duration
}

func (s slowLines) Write(p []byte) (int, error) {
	n := 0
	for len(p) > 0 {
		line := p
		if i := bytes.IndexByte(p, '\n'); i >= 0 {
			line = p[:i+1]
		}
		time.Sleep(s.d)
		m, err := s.w.Write(line)
		n += m
		if err != nil {
			return n, err
		}
		p = p[len(line):]
	}
	return n, nil
}
