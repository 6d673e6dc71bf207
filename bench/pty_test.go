//go:build linux

package bench

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/onus-gxp/onus/internal/hostile"
)

// openPTY opens a pseudo-terminal pair of the given size.
func openPTY(cols, rows int) (master, slave *os.File, err error) { return hostile.PTY(cols, rows) }

// ansiOrSpace matches escape sequences (CSI, OSC, DCS and two-byte ones)
// and whitespace: the renderer moves the cursor instead of writing runs of
// spaces, so text is compared with both removed.
var ansiOrSpace = regexp.MustCompile(`\x1b\[[0-?]*[ -/]*[@-~]|\x1b[\]P_^][^\x07\x1b]*(\x07|\x1b\\)|\x1b[@-Z\\-_]|\x1b.|[\s\x00-\x1f]`)

// run is one process started in a fresh pseudo-terminal.
type run struct {
	cmd     *exec.Cmd
	master  *os.File
	started time.Time
	out     chan chunk
}

// chunk is one read from the terminal, stamped when it was read, so that
// the time taken to look for markers does not count.
type chunk struct {
	data []byte
	at   time.Time
}

// startInPTY starts path with args as the controlling terminal's session
// leader, the way a shell starts it, and returns once it is running.
func startInPTY(path string, env []string, args ...string) (*run, error) {
	master, slave, err := openPTY(80, 24)
	if err != nil {
		return nil, err
	}
	defer slave.Close()
	cmd := exec.Command(path, args...)
	cmd.Env = env
	cmd.Stdin, cmd.Stdout, cmd.Stderr = slave, slave, slave
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true}
	r := &run{cmd: cmd, master: master, out: make(chan chunk, 256)}
	r.started = time.Now()
	if err := cmd.Start(); err != nil {
		master.Close()
		return nil, err
	}
	go func() {
		defer close(r.out)
		for {
			buf := make([]byte, 32<<10)
			n, err := master.Read(buf)
			if n > 0 {
				r.out <- chunk{buf[:n], time.Now()}
			}
			if err != nil {
				return
			}
		}
	}()
	return r, nil
}

// waitFor reads output until every marker (compared without spaces and
// escape sequences) has appeared, and returns when the chunk that
// completed them was read.
func (r *run) waitFor(timeout time.Duration, markers ...string) (time.Time, error) {
	var seen bytes.Buffer
	deadline := time.After(timeout)
	for {
		select {
		case c, ok := <-r.out:
			if !ok {
				return time.Time{}, fmt.Errorf("program ended before drawing %q; it wrote %q", markers, seen.String())
			}
			seen.Write(c.data)
			text := ansiOrSpace.ReplaceAll(seen.Bytes(), nil)
			all := true
			for _, m := range markers {
				all = all && bytes.Contains(text, []byte(m))
			}
			if all {
				return c.at, nil
			}
		case <-deadline:
			return time.Time{}, fmt.Errorf("no %q within %v; the screen so far: %q", markers, timeout, ansiOrSpace.ReplaceAll(seen.Bytes(), nil))
		}
	}
}

// memory is what /proc says of a process: its peak resident set, which
// counts the pages of files it maps (Onus maps its database), and its
// private (anonymous) resident memory now, both in KiB.
type memory struct{ peak, private int64 }

// stop ends the program (SIGKILL: its exit is not measured, and nothing
// it holds needs flushing), drains its output, and returns its memory,
// read from /proc before the kill (the rusage of a child that Go starts
// also counts the parent's pages from before the exec).
func (r *run) stop() memory {
	mem := readMemory(r.cmd.Process.Pid)
	r.cmd.Process.Kill()
	r.cmd.Wait()
	for range r.out { // the reader ends when the last slave descriptor closes
	}
	r.master.Close()
	return mem
}

// cpu is the processor time the program's threads have used so far: the
// first field of /proc/PID/task/*/schedstat, each thread's time on a
// processor, the kernel's work for it included (its page faults, say). A
// thread that has ended is not counted (the Go runtime keeps its threads).
// -1 where /proc does not say.
func (r *run) cpu() time.Duration {
	tasks, err := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/schedstat", r.cmd.Process.Pid))
	if err != nil || len(tasks) == 0 {
		return -1
	}
	var sum time.Duration
	for _, t := range tasks {
		raw, err := os.ReadFile(t)
		if err != nil {
			continue // the thread ended meanwhile
		}
		field, _, _ := strings.Cut(string(raw), " ")
		ns, err := strconv.ParseInt(field, 10, 64)
		if err != nil {
			return -1
		}
		sum += time.Duration(ns)
	}
	return sum
}

// readMemory reads VmHWM and RssAnon; -1 where /proc does not say.
func readMemory(pid int) memory {
	mem := memory{-1, -1}
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return mem
	}
	for line := range strings.Lines(string(raw)) {
		name, value, _ := strings.Cut(line, ":")
		n, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(value), " kB"), 10, 64)
		switch {
		case err != nil:
		case name == "VmHWM":
			mem.peak = n
		case name == "RssAnon":
			mem.private = n
		}
	}
	return mem
}
