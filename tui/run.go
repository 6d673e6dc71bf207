package tui

import (
	"errors"
	"fmt"

	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
)

// Running the wizard: what stops it (the user, a signal, a panic), and how
// each leaves the terminal and the file.

// ErrInterrupted is returned by Run when the user pressed ctrl+c; the
// command line maps it to exit code 130.
var ErrInterrupted = errors.New("interrupted")

// Run runs the wizard until the user quits. It returns ErrInterrupted for
// ctrl+c (and SIGINT), so the caller can exit with 130, a *SignalError when
// SIGTERM or SIGHUP stopped it, a *PanicError when it stopped on a panic,
// and a *DamagedError when it found the file damaged (exit 4, however it
// was left). Whatever happened, the terminal is restored when Run returns,
// and every change the wizard showed as saved is in the file (each is
// committed before the screen says so).
//
// With Config.Opening, Run returns its error as is when the file could
// not be opened; nothing was drawn.
//
// profile is the colour profile the caller found (colorprofile.Detect):
// detecting it reads the terminal's terminfo entry from disk, and the
// caller has already done that once. sigs are the signals the caller
// started catching (CatchSignals); with nil, Run catches them itself.
// Bubble Tea gets an environment without TMUX, so the wizard runs no
// other program, and writes to the terminal only once the first list is
// there (heldOutput).
func Run(m *Model, profile colorprofile.Profile, sigs *Signals, opts ...tea.ProgramOption) error {
	st := &runState{testPanic: m.cfg.TestPanic}
	out := holdOutput(os.Stdout)
	out.written = m.cfg.FirstFrame
	defer out.drop() // stopped before its first screen: the terminal never saw it
	m.showOutput = out.show
	opts = append([]tea.ProgramOption{tea.WithOutput(out), tea.WithEnvironment(withoutTMUX(os.Environ())), tea.WithColorProfile(profile)}, opts...)
	p := tea.NewProgram(guard{m: m, st: st}, append(opts, tea.WithoutSignalHandler())...)
	if sigs == nil {
		sigs = CatchSignals()
	}
	caught, stop := forwardSignals(p, sigs)
	_, err := p.Run()
	stop()
	sig, lost := caught(), 0
	if sig != 0 && st.crash == nil && !errors.Is(err, tea.ErrProgramPanic) {
		// A signal stops the program without the wizard's own quit, or
		// cuts that quit short: what was still queued, and the text
		// being typed, are saved here, so a closed window loses nothing.
		lost = m.Flush()
	}
	return runResult(m, st, err, sig, lost)
}

// runResult is what Run returns once the program stopped: the model Update
// changed in place, the guard's state, Bubble Tea's error, the signal that
// stopped it (0 for none), and how many changes Flush could not save after
// it. A crash outranks everything; damage the wizard found outranks how it
// was left, because it is what a script must not miss.
func runResult(last *Model, st *runState, err error, sig syscall.Signal, lost int) error {
	unsaved := last.unsaved() + lost
	switch {
	case st.crash != nil:
		st.crash.Unsaved = unsaved
		return st.crash
	case errors.Is(err, tea.ErrProgramPanic):
		// Bubble Tea caught it (in View, say) and printed it with its stack.
		return &PanicError{}
	case last.openErr != nil:
		return last.openErr
	case last.damaged != "":
		return &DamagedError{Msg: last.damaged}
	case sig == syscall.SIGTERM || sig == syscall.SIGHUP, sig == syscall.SIGINT && unsaved > 0:
		// SIGINT is ctrl+c (exit 130 either way); as a SignalError it
		// can say what it lost.
		return &SignalError{Signal: sig, Unsaved: unsaved}
	case errors.Is(err, tea.ErrInterrupted) || last.Interrupted():
		return ErrInterrupted
	}
	return err
}

// DamagedError says the wizard found its file damaged while it ran (the
// check after its first screen). It saved nothing more from then on.
type DamagedError struct{ Msg string }

func (e *DamagedError) Error() string { return e.Msg }

// ExitCode is 4, as for every damaged file.
func (e *DamagedError) ExitCode() int { return 4 }

// withoutTMUX drops TMUX: with it, Bubble Tea's terminal checks run "tmux
// info", found through PATH, so a program planted there would run.
func withoutTMUX(environ []string) []string {
	out := make([]string, 0, len(environ))
	for _, kv := range environ {
		if !strings.HasPrefix(kv, "TMUX=") {
			out = append(out, kv)
		}
	}
	return out
}

// SignalError says SIGTERM or SIGHUP stopped the wizard (or SIGINT, when
// changes were lost with it). It quit as q does, and Run saved what was
// still queued.
type SignalError struct {
	Signal  syscall.Signal
	Unsaved int // changes that could not be saved, which went with it
}

func (e *SignalError) Error() string {
	name := "SIGTERM"
	switch e.Signal {
	case syscall.SIGHUP:
		name = "SIGHUP"
	case syscall.SIGINT:
		name = "SIGINT"
	}
	return "stopped by " + name
}

// PanicError says the wizard stopped on a panic: a bug in Onus.
type PanicError struct {
	Value   any    // what panicked; nil when Bubble Tea caught it and printed it
	Stack   []byte // where; nil when Bubble Tea caught it and printed it
	Unsaved int    // changes marked NOT SAVED on screen, which went with it
}

func (e *PanicError) Error() string {
	if e.Stack == nil {
		return "internal error (a panic, shown above)"
	}
	return fmt.Sprintf("internal error: %v", e.Value)
}

// Signals are the signals that stop the wizard (SIGINT, SIGTERM and
// SIGHUP), caught from CatchSignals on and handed to the wizard once it
// runs.
type Signals struct {
	c     chan os.Signal
	ready chan struct{} // closed once they are caught
}

// CatchSignals starts catching the signals that stop the wizard, on a
// goroutine of its own, so that the caller's start goes on meanwhile:
// catching a signal for the first time is a round trip with a thread of
// the runtime's own, about a millisecond for the three before the
// wizard's first frame (docs/PERFORMANCE.md). One caught before Run
// starts waits for it. The caller stops them (Stop) if it never calls Run.
func CatchSignals() *Signals {
	s := &Signals{c: make(chan os.Signal, 2), ready: make(chan struct{})}
	go func() {
		signal.Notify(s.c, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
		close(s.ready)
	}()
	return s
}

// Stop gives the signals back their default actions, once they are
// caught; Run does so as it returns.
func (s *Signals) Stop() {
	<-s.ready
	signal.Stop(s.c)
}

// forwardSignals turns SIGINT into ctrl+c, and SIGTERM and SIGHUP (the
// terminal went away) into q, in place of Bubble Tea's own handler, which
// knows no SIGHUP: its default action killed the process with the terminal
// left in raw mode. A second signal, or a quit still running two seconds
// after the first, kills the program, which restores the terminal too.
// It waits until the signals are caught, so that none has its default
// action once the terminal is in raw mode. Its goroutine and
// CatchSignals' are the only ones the wizard starts itself; neither does
// anything that can panic.
func forwardSignals(p *tea.Program, s *Signals) (caught func() syscall.Signal, stop func()) {
	<-s.ready
	sigs := s.c
	done := make(chan struct{})
	var first atomic.Int64
	go func() {
		var late <-chan time.Time
		for {
			select {
			case <-done:
				return
			case <-late:
				p.Kill()
				return
			case s := <-sigs:
				if !first.CompareAndSwap(0, int64(s.(syscall.Signal))) {
					p.Kill()
					return
				}
				late = time.After(2 * time.Second)
				if s == syscall.SIGINT {
					go p.Send(tea.InterruptMsg{}) // Send waits for the event loop
				} else {
					go p.Quit()
				}
			}
		}
	}()
	caught = func() syscall.Signal { return syscall.Signal(first.Load()) }
	stop = func() {
		s.Stop()
		close(done)
	}
	return caught, stop
}

// guard wraps the root model for Run. It contains a panic in Update or in
// a command (every store call runs as one) and turns it into a clean quit,
// so the terminal is restored the usual way and Run can say what happened.
// Bubble Tea recovers such panics too, but prints them itself, and for a
// command from the command's goroutine while the program shuts down, racing
// the caller's message. A panic in View is left to Bubble Tea (it runs in
// Run's goroutine, which restores the terminal and returns ErrProgramPanic).
type guard struct {
	m  *Model
	st *runState
}

// runState is shared by the guard's copies; only the event loop touches it.
type runState struct {
	crash     *PanicError
	testPanic string
	viewPanic bool
}

// panicMsg carries a panic out of a command's goroutine.
type panicMsg struct{ err *PanicError }

// newPanicError records what panicked and where; a *PanicError carried
// from another goroutine keeps the stack it was made with.
func newPanicError(r any) *PanicError {
	if pe, ok := r.(*PanicError); ok {
		return pe
	}
	return &PanicError{Value: r, Stack: debug.Stack()}
}

func (g guard) Init() tea.Cmd { return contain(g.m.Init()) }

func (g guard) Update(msg tea.Msg) (next tea.Model, cmd tea.Cmd) {
	if g.st.crash != nil {
		return g, nil // stopping: nothing more reaches the model
	}
	if k, ok := msg.(tea.KeyPressMsg); ok && k.String() == "ctrl+v" {
		// Bubbles' text input pastes ctrl+v from the system clipboard by
		// running xclip, xsel or wl-paste through PATH. The terminal's own
		// paste (bracketed, a tea.PasteMsg) is what the wizard takes.
		return g, nil
	}
	if pm, ok := msg.(panicMsg); ok {
		g.st.crash = pm.err
		return g, tea.Quit
	}
	defer func() {
		if r := recover(); r != nil {
			g.st.crash = newPanicError(r)
			next, cmd = g, tea.Quit
		}
	}()
	if hook, ok := g.testPanic(msg); ok {
		return g, contain(hook)
	}
	nm, cmd := g.m.Update(msg)
	g.m = nm.(*Model)
	return g, contain(cmd)
}

func (g guard) View() tea.View {
	if g.st.crash != nil {
		v := tea.NewView("")
		v.AltScreen = true
		return v
	}
	if g.st.viewPanic {
		panic("test panic in View (ONUS_TEST_PANIC=view)")
	}
	return g.m.View()
}

// contain makes a command return a panic as a panicMsg; a batch's commands
// are contained as the batch is unpacked. (tea.Sequence's are not, its
// message being Bubble Tea's own; Onus does not use it. Bubble Tea's own
// recovery still catches those.)
func contain(cmd tea.Cmd) tea.Cmd {
	if cmd == nil {
		return nil
	}
	return func() (msg tea.Msg) {
		defer func() {
			if r := recover(); r != nil {
				msg = panicMsg{newPanicError(r)}
			}
		}()
		msg = cmd()
		if batch, ok := msg.(tea.BatchMsg); ok {
			contained := make(tea.BatchMsg, len(batch))
			for i, c := range batch {
				contained[i] = contain(c)
			}
			return contained
		}
		return msg
	}
}

// testPanic panics on the key "!" where Config.TestPanic says, so that the
// end-to-end tests can show that a panic anywhere leaves the terminal
// restored and the file intact (cmd/onus/panic_test.go).
func (g guard) testPanic(msg tea.Msg) (tea.Cmd, bool) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok || g.st.testPanic == "" || k.String() != "!" {
		return nil, false
	}
	boom := func() tea.Msg { panic("test panic in a command (ONUS_TEST_PANIC=" + g.st.testPanic + ")") }
	switch g.st.testPanic {
	case "update":
		panic("test panic in Update (ONUS_TEST_PANIC=update)")
	case "view":
		g.st.viewPanic = true
		return nil, true
	case "cmd":
		return boom, true
	case "batch":
		return tea.Batch(func() tea.Msg { return nil }, boom), true
	}
	return nil, false
}
