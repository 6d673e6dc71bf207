// Package relay lets headless commands run while onus serve holds the
// database: the server listens on a Unix socket beside the file, and a
// command that finds it there hands the server its arguments, its
// environment, its working directory and its three standard streams (as
// open file descriptors), and gets back the exit code. The server runs
// the command in its own process, on the file it has open, writing to the
// caller's own terminal or pipes: the output is the command's.
//
// A caller interrupted (ctrl+c) while its command runs tells the server
// on a second connection, naming the command by the token it sent: the
// server stops the command's streams, so that nothing more reaches the
// caller's terminal once the caller has exited, and the command, or one
// still waiting for its turn, ends as interrupted (exit 130).
//
// Only the user who runs the server may connect: the socket is in a
// directory of mode 0700 and has mode 0600, and on Linux each caller's
// user id is checked again (SO_PEERCRED). Nothing listens on the network.
package relay

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
)

// SocketPath is where the server of the database at dbPath listens: in a
// directory of its own beside the file, which only its owner can enter.
func SocketPath(dbPath string) string { return filepath.Join(dbPath+".relay", "socket") }

// maxSocketPath is the longest path a Unix socket may have on every
// system Onus runs on (sun_path is 104 bytes on the BSDs and macOS).
const maxSocketPath = 103

// request is what a caller sends, with its stdin, stdout and stderr; or,
// on a connection of its own and with no streams, the token of a command
// to interrupt (Cancel). A server older than the token ignores it and
// refuses the cancel (it carries no streams).
type request struct {
	Args   []string `json:"args"`
	Env    []string `json:"env"`
	Dir    string   `json:"dir"`
	Token  string   `json:"token,omitempty"`
	Cancel string   `json:"cancel,omitempty"`
}

// reply is what the server answers once the command has run.
type reply struct {
	Code  int    `json:"code"`
	Error string `json:"error,omitempty"` // the server refused to run it
}

// maxRequest bounds what the server reads of a request.
const maxRequest = 1 << 20

// Request is a command to run, as the server's Runner gets it.
type Request struct {
	Args []string // the command line, without the program's name
	Env  []string // the caller's environment, KEY=VALUE
	// Stdin, Stdout and Stderr are the caller's own: a terminal, a pipe
	// or a file. Once the caller is interrupted they refuse every read
	// and write (ErrInterrupted). Closing them does nothing.
	Stdin, Stdout, Stderr *Stream

	dir string // the caller's working directory, where it runs
}

// Getenv looks a variable up in the caller's environment.
func (r Request) Getenv(key string) string {
	for i := len(r.Env) - 1; i >= 0; i-- {
		if k, v, ok := cut(r.Env[i]); ok && k == key {
			return v
		}
	}
	return ""
}

func cut(kv string) (string, string, bool) {
	for i := 0; i < len(kv); i++ {
		if kv[i] == '=' {
			return kv[:i], kv[i+1:], true
		}
	}
	return "", "", false
}

// Runner runs one relayed command and returns its exit code.
type Runner func(Request) int

// ErrInterrupted: the caller was interrupted while its command ran, or
// before it had its turn; its exit code is ExitInterrupted.
var ErrInterrupted = errors.New("interrupted")

// ExitInterrupted is the exit code of an interrupted command, as a shell
// reports one ended by SIGINT.
const ExitInterrupted = 130

// Stream is one of the caller's streams as the command gets it: the file
// the caller sent, until the caller is interrupted. It satisfies
// charmbracelet/x/term's File, so a command still sees a terminal as one.
type Stream struct {
	f       *os.File
	mu      sync.Mutex // held across each write, so none is under way after stop
	stopped bool
}

func newStream(f *os.File) *Stream { return &Stream{f: f} }

func (s *Stream) Read(p []byte) (int, error) {
	if s.isStopped() {
		return 0, ErrInterrupted
	}
	return s.f.Read(p)
}

func (s *Stream) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopped {
		return 0, ErrInterrupted
	}
	return s.f.Write(p)
}

// Close leaves the caller's stream open: the server closes it once the
// command has ended.
func (s *Stream) Close() error { return nil }

// Fd is the file's descriptor, for terminal checks and sizes; none
// (^uintptr(0), as a closed file's) once the caller is interrupted.
func (s *Stream) Fd() uintptr {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopped {
		return ^uintptr(0)
	}
	return s.f.Fd()
}

func (s *Stream) isStopped() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stopped
}

// stop refuses every later read and write, once the write under way (if
// any) has returned, and gives the caller's stream back: the server's
// copy of it closes now, not when the command ends.
func (s *Stream) stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.stopped {
		s.stopped = true
		s.f.Close()
	}
}

// ErrNotServing: no server listens for that database.
var ErrNotServing = errors.New("no onus serve listens for this database")

func encode(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("relay: %v", err)) // plain strings and ints always encode
	}
	return b
}
