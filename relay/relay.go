// Package relay lets headless commands run while onus serve holds the
// database: the server listens on a Unix socket beside the file, and a
// command that finds it there hands the server its arguments, its
// environment, its working directory and its three standard streams (as
// open file descriptors), and gets back the exit code. The server runs
// the command in its own process, on the file it has open, writing to the
// caller's own terminal or pipes: the output is the command's.
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
)

// SocketPath is where the server of the database at dbPath listens: in a
// directory of its own beside the file, which only its owner can enter.
func SocketPath(dbPath string) string { return filepath.Join(dbPath+".relay", "socket") }

// maxSocketPath is the longest path a Unix socket may have on every
// system Onus runs on (sun_path is 104 bytes on the BSDs and macOS).
const maxSocketPath = 103

// request is what a caller sends, with its stdin, stdout and stderr.
type request struct {
	Args []string `json:"args"`
	Env  []string `json:"env"`
	Dir  string   `json:"dir"`
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
	// or a file. The runner must not close them.
	Stdin, Stdout, Stderr *os.File

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

// ErrNotServing: no server listens for that database.
var ErrNotServing = errors.New("no onus serve listens for this database")

func encode(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("relay: %v", err)) // plain strings and ints always encode
	}
	return b
}
