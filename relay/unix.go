//go:build unix

package relay

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// Listener is a running relay: onus serve's socket.
type Listener struct {
	path string
	ln   *net.UnixListener
	uid  int // the one user whose commands run
	log  func(format string, args ...any)

	// run lets one command run at a time: each runs in its caller's
	// working directory, which is the process's.
	run  sync.Mutex
	home string // the server's own working directory
	wg   sync.WaitGroup

	// calls are the commands received and not yet ended, by token; a
	// cancel that comes before its command's request has been read is
	// kept in early, so that the command is stopped as it arrives.
	callsMu sync.Mutex
	calls   map[string]*call
	early   map[string]time.Time
}

// call is one relayed command: its streams, and whether its caller
// interrupted it.
type call struct {
	streams     [3]*Stream
	interrupted atomic.Bool
}

// Listen opens the socket of the database at dbPath (SocketPath). A
// socket left by a server that was killed is replaced; one a live server
// answers on is an error. log receives a line for each refusal.
func Listen(dbPath string, log func(format string, args ...any)) (*Listener, error) {
	abs, err := filepath.Abs(dbPath)
	if err != nil {
		return nil, err
	}
	home, err := os.Getwd()
	if err != nil {
		return nil, err
	}
	path := SocketPath(abs)
	if len(path) > maxSocketPath {
		return nil, fmt.Errorf("relay: the socket path %s is longer than the %d bytes a Unix socket may have: move the database to a shorter path", path, maxSocketPath)
	}
	if err := privateDir(filepath.Dir(path)); err != nil {
		return nil, err
	}
	if _, err := os.Lstat(path); err == nil {
		if c, err := net.DialUnix("unix", nil, &net.UnixAddr{Name: path, Net: "unix"}); err == nil {
			c.Close()
			return nil, fmt.Errorf("relay: a server already listens on %s", path)
		}
		if err := os.Remove(path); err != nil { // left by a server that was killed
			return nil, fmt.Errorf("relay: %w", err)
		}
	}
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
	if err != nil {
		return nil, fmt.Errorf("relay: %w", err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		ln.Close()
		return nil, fmt.Errorf("relay: %w", err)
	}
	if log == nil {
		log = func(string, ...any) {}
	}
	return &Listener{path: path, ln: ln, uid: os.Getuid(), log: log, home: home,
		calls: map[string]*call{}, early: map[string]time.Time{}}, nil
}

// privateDir makes dir, or checks the one there: a directory (not a
// link) of this user's, which no one else may enter.
func privateDir(dir string) error {
	if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("relay: %w", err)
	}
	info, err := os.Lstat(dir)
	if err != nil {
		return fmt.Errorf("relay: %w", err)
	}
	st, ok := info.Sys().(*syscall.Stat_t)
	if !info.IsDir() || !ok || int(st.Uid) != os.Getuid() || info.Mode().Perm() != 0o700 {
		return fmt.Errorf("relay: %s is not a directory of this user's with mode 0700 (it is %v): remove it", dir, info.Mode())
	}
	return nil
}

// Path is the socket's path.
func (l *Listener) Path() string { return l.path }

// Serve runs each command a caller relays with run, until Close.
func (l *Listener) Serve(run Runner) error {
	for {
		c, err := l.ln.AcceptUnix()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return nil
			}
			return err
		}
		l.wg.Add(1)
		go func() {
			defer l.wg.Done()
			defer c.Close()
			l.handle(c, run)
		}()
	}
}

// Close stops listening, removes the socket and its directory, and
// returns once the commands running have finished.
func (l *Listener) Close() error {
	err := l.ln.Close() // removes the socket
	l.wg.Wait()
	os.Remove(filepath.Dir(l.path))
	return err
}

// Hold runs fn while no relayed command runs (onus serve writes the
// facilitator's exports so, one file operation at a time). The wizards
// of onus serve resolve relative paths against the server's folder
// themselves (tui.Config.Dir), never the process's working directory.
func (l *Listener) Hold(fn func() error) error {
	if l == nil {
		return fn()
	}
	l.run.Lock()
	defer l.run.Unlock()
	return fn()
}

func (l *Listener) handle(c *net.UnixConn, run Runner) {
	if err := l.allowed(c); err != nil {
		l.log("relay: refused a command: %v", err)
		c.Write(encode(reply{Code: exitRefused, Error: err.Error()}))
		return
	}
	// A caller sends its request as it connects: one that stalls (stopped
	// with ctrl+z, say) must not hold up the server's stop.
	c.SetReadDeadline(time.Now().Add(requestWait))
	req, token, cancel, files, err := readRequest(c)
	c.SetReadDeadline(time.Time{})
	if err == nil && cancel != "" {
		c.Write(encode(reply{Code: l.interrupt(cancel)}))
		return
	}
	code := exitRefused
	if err != nil {
		err = fmt.Errorf("relay: %w", err)
	} else {
		cl := l.begin(token, req)
		code, err = l.runIn(req, run, cl)
		if l.end(token, cl) {
			code, err = ExitInterrupted, nil
		}
	}
	// The caller waits for its pipes to close before it reads the reply.
	for _, f := range files {
		f.Close()
	}
	rep := reply{Code: code}
	if err != nil {
		rep = reply{Code: exitRefused, Error: err.Error()}
	}
	c.Write(encode(rep))
}

// begin records a command by its token (none: it cannot be interrupted),
// stopped at once if its caller's cancel came first.
func (l *Listener) begin(token string, req Request) *call {
	cl := &call{streams: [3]*Stream{req.Stdin, req.Stdout, req.Stderr}}
	if token == "" {
		return cl
	}
	l.callsMu.Lock()
	_, early := l.early[token]
	delete(l.early, token)
	l.calls[token] = cl
	l.callsMu.Unlock()
	if early {
		cl.stop()
	}
	return cl
}

// end forgets the command and tells whether it was interrupted.
func (l *Listener) end(token string, cl *call) bool {
	if token != "" {
		l.callsMu.Lock()
		delete(l.calls, token)
		l.callsMu.Unlock()
	}
	return cl.interrupted.Load()
}

// interrupt stops the command with token: its streams refuse every read
// and write from now on, and it ends as interrupted (if it is still
// waiting for its turn, it never runs). It returns ExitInterrupted when
// it found the command, 0 when that had already ended, or had not yet
// arrived (then it is stopped as it arrives).
func (l *Listener) interrupt(token string) int {
	l.callsMu.Lock()
	cl, ok := l.calls[token]
	if ok {
		l.callsMu.Unlock()
		cl.stop() // outside the lock: it waits for a write under way
		return ExitInterrupted
	}
	defer l.callsMu.Unlock()
	now := time.Now()
	for t, at := range l.early { // a request comes within requestWait or never
		if now.Sub(at) > requestWait {
			delete(l.early, t)
		}
	}
	l.early[token] = now
	return 0
}

func (cl *call) stop() {
	cl.interrupted.Store(true)
	for _, s := range cl.streams {
		s.stop()
	}
}

// requestWait bounds the wait for a caller's request.
var requestWait = 10 * time.Second

// exitRefused is the exit code of a command the server would not run:
// 3, as for a database in use.
const exitRefused = 3

// allowed checks the caller is the user the server runs as.
func (l *Listener) allowed(c *net.UnixConn) error {
	uid, known, err := peerUID(c)
	if err != nil {
		return err
	}
	if known && uid != l.uid {
		return fmt.Errorf("user id %d may not run commands through the server of user id %d", uid, l.uid)
	}
	return nil
}

// runIn runs the command in its caller's directory, one at a time,
// unless its caller interrupted it while it waited.
func (l *Listener) runIn(req Request, run Runner, cl *call) (code int, err error) {
	l.run.Lock()
	defer l.run.Unlock()
	if cl.interrupted.Load() {
		return ExitInterrupted, nil
	}
	if err := os.Chdir(req.dir); err != nil {
		return 0, fmt.Errorf("the server cannot run the command in %s: %v", req.dir, err)
	}
	defer func() {
		if err := os.Chdir(l.home); err != nil {
			l.log("relay: back to %s: %v", l.home, err)
		}
	}()
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(req.Stderr, "onus: the command stopped on an internal error: %v\n", r)
			code = 1
		}
	}()
	return run(req), nil
}

// readRequest reads a request and the three descriptors sent with it, or
// a cancel (the token of the command to interrupt), which carries none.
func readRequest(c *net.UnixConn) (req Request, token, cancel string, files []*os.File, err error) {
	buf := make([]byte, 64<<10)
	oob := make([]byte, syscall.CmsgSpace(3*4))
	n, oobn, _, _, err := c.ReadMsgUnix(buf, oob)
	if err != nil {
		return Request{}, "", "", nil, err
	}
	msgs, err := syscall.ParseSocketControlMessage(oob[:oobn])
	if err != nil {
		return Request{}, "", "", nil, err
	}
	for _, m := range msgs {
		fds, err := syscall.ParseUnixRights(&m)
		if err != nil {
			return Request{}, "", "", files, err
		}
		for _, fd := range fds {
			files = append(files, os.NewFile(uintptr(fd), "relayed"))
		}
	}
	rest, err := io.ReadAll(io.LimitReader(c, maxRequest))
	if err != nil {
		return Request{}, "", "", files, err
	}
	var r request
	if err := json.Unmarshal(append(buf[:n], rest...), &r); err != nil {
		return Request{}, "", "", files, err
	}
	if r.Cancel != "" && len(files) == 0 {
		return Request{}, "", r.Cancel, nil, nil
	}
	if len(files) != 3 {
		return Request{}, "", "", files, fmt.Errorf("the request carries %d streams, not 3", len(files))
	}
	if !filepath.IsAbs(r.Dir) {
		return Request{}, "", "", files, fmt.Errorf("the working directory %q is not absolute", r.Dir)
	}
	return Request{Args: r.Args, Env: r.Env, dir: r.Dir,
		Stdin: newStream(files[0]), Stdout: newStream(files[1]), Stderr: newStream(files[2])}, r.Token, "", files, nil
}

// Client is a connection to the server of a database.
type Client struct {
	c    *net.UnixConn
	path string // the socket, for a cancel
}

// Dial connects to the server of the database at dbPath; ErrNotServing
// when none listens there (none runs, or one was killed and left its
// socket).
func Dial(dbPath string) (*Client, error) {
	abs, err := filepath.Abs(dbPath)
	if err != nil {
		return nil, err
	}
	path := SocketPath(abs)
	c, err := dial(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNotServing, err)
	}
	return &Client{c, path}, nil
}

func dial(socket string) (*net.UnixConn, error) {
	return net.DialUnix("unix", nil, &net.UnixAddr{Name: socket, Net: "unix"})
}

// Close drops the connection without running anything.
func (cl *Client) Close() error { return cl.c.Close() }

// Run has the server run args with this process's environment env and
// working directory, on stdin, stdout and stderr, and returns the exit
// code. A refusal (another user, a directory the server cannot enter)
// comes back as an error with the code to exit with. When ctx ends first
// (the caller's ctrl+c), the server is told to stop the command, and Run
// returns ExitInterrupted and ErrInterrupted as soon as the server says
// nothing more will be written to the streams; a server that cannot stop
// it (an older onus) is waited for as before.
func (cl *Client) Run(ctx context.Context, args, env []string, stdin io.Reader, stdout, stderr io.Writer) (int, error) {
	defer cl.c.Close()
	if ctx.Err() != nil {
		return ExitInterrupted, ErrInterrupted
	}
	dir, err := os.Getwd()
	if err != nil {
		return 1, err
	}
	streams, done, err := asFiles(stdin, stdout, stderr)
	if err != nil {
		return 1, err
	}
	token := rand.Text()
	msg := encode(request{Args: args, Env: env, Dir: dir, Token: token})
	rights := syscall.UnixRights(int(streams[0].Fd()), int(streams[1].Fd()), int(streams[2].Fd()))
	n, _, err := cl.c.WriteMsgUnix(msg, rights, nil)
	if err == nil && n < len(msg) {
		_, err = cl.c.Write(msg[n:])
	}
	if err == nil {
		err = cl.c.CloseWrite()
	}
	// A refusal comes before the server reads the request: read it even
	// when sending failed.
	replied := make(chan []byte, 1)
	var rerr error
	go func() {
		var raw []byte
		raw, rerr = io.ReadAll(io.LimitReader(cl.c, maxRequest))
		replied <- raw
	}()
	var raw []byte
	select {
	case raw = <-replied:
	case <-ctx.Done():
		if cl.cancel(token) {
			done()
			return ExitInterrupted, ErrInterrupted
		}
		raw = <-replied
	}
	done()
	var rep reply
	if json.Unmarshal(raw, &rep) != nil {
		if err == nil {
			err = rerr
		}
		return 1, fmt.Errorf("the server stopped before the command finished (%v): run it again", err)
	}
	if rep.Error != "" {
		return rep.Code, errors.New(rep.Error)
	}
	if rep.Code == ExitInterrupted && ctx.Err() != nil {
		return rep.Code, ErrInterrupted
	}
	return rep.Code, nil
}

// cancel asks the server, on a connection of its own, to stop the
// command with token, and tells whether it did: once it says so, nothing
// more of the command reaches the streams.
func (cl *Client) cancel(token string) bool {
	c, err := dial(cl.path)
	if err != nil {
		return false
	}
	defer c.Close()
	if _, err := c.Write(encode(request{Cancel: token})); err != nil || c.CloseWrite() != nil {
		return false
	}
	raw, _ := io.ReadAll(io.LimitReader(c, maxRequest))
	var rep reply
	return json.Unmarshal(raw, &rep) == nil && rep.Error == "" && rep.Code == ExitInterrupted
}

// asFiles gives the streams as files, to send: the process's own as they
// are, others (a test's buffers) through pipes copied here. done closes
// the pipes and waits for what they carried.
func asFiles(stdin io.Reader, stdout, stderr io.Writer) ([3]*os.File, func(), error) {
	var files [3]*os.File
	var closers []*os.File
	var copies sync.WaitGroup
	fail := func(err error) ([3]*os.File, func(), error) {
		for _, f := range closers {
			f.Close()
		}
		return files, nil, err
	}
	if f, ok := stdin.(*os.File); ok {
		files[0] = f
	} else {
		r, w, err := os.Pipe()
		if err != nil {
			return fail(err)
		}
		files[0], closers = r, append(closers, r)
		go func() { io.Copy(w, stdin); w.Close() }()
	}
	for i, out := range []io.Writer{stdout, stderr} {
		if f, ok := out.(*os.File); ok {
			files[i+1] = f
			continue
		}
		r, w, err := os.Pipe()
		if err != nil {
			return fail(err)
		}
		files[i+1], closers = w, append(closers, w)
		copies.Add(1)
		go func() { defer copies.Done(); io.Copy(out, r); r.Close() }()
	}
	return files, func() {
		for _, f := range closers {
			f.Close()
		}
		copies.Wait()
	}, nil
}
