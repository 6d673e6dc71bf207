//go:build unix

package relay

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// shortDir is a temporary directory with a path short enough for a
// socket (t.TempDir's can pass the 104 bytes on macOS).
func shortDir(t *testing.T) string {
	dir, err := os.MkdirTemp("", "rl")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

func listen(t *testing.T, db string, run Runner, uid ...int) *Listener {
	t.Helper()
	l, err := Listen(db, t.Logf)
	if err != nil {
		t.Fatal(err)
	}
	if len(uid) > 0 {
		l.uid = uid[0] // the user the server runs as, to the check
	}
	done := make(chan error, 1)
	go func() { done <- l.Serve(run) }()
	t.Cleanup(func() {
		l.Close()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return l
}

// A relayed command gets the caller's arguments, environment, working
// directory and streams, and its exit code comes back; the socket is the
// owner's alone, and goes with the server.
func TestRelayRunsTheCallersCommand(t *testing.T) {
	dir := shortDir(t)
	db := filepath.Join(dir, "onus.db")
	l := listen(t, db, func(r Request) int {
		wd, _ := os.Getwd()
		in := make([]byte, 5)
		n, _ := r.Stdin.Read(in)
		fmt.Fprintf(r.Stdout, "args=%s user=%s dir=%s stdin=%s", strings.Join(r.Args, ","), r.Getenv("ONUS_USER"), wd, in[:n])
		fmt.Fprint(r.Stderr, "a warning")
		return 4
	})
	if l.Path() != SocketPath(db) {
		t.Errorf("socket at %s, want %s", l.Path(), SocketPath(db))
	}
	for path, want := range map[string]os.FileMode{l.Path(): os.ModeSocket | 0o600, filepath.Dir(l.Path()): os.ModeDir | 0o700} {
		if info, err := os.Lstat(path); err != nil || info.Mode() != want {
			t.Errorf("%s: %v (%v), want %v", path, info.Mode(), err, want)
		}
	}

	caller := filepath.Join(dir, "elsewhere")
	if err := os.Mkdir(caller, 0o700); err != nil {
		t.Fatal(err)
	}
	home, _ := os.Getwd()
	t.Chdir(caller)           // the caller's directory; the server's (this process's) was home when it started
	c, err := Dial("onus.db") // relative to the caller: not served
	if err == nil {
		c.Close()
		t.Fatal("a database with no server was found served")
	}
	c, err = Dial(db)
	if err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	code, err := c.Run(context.Background(), []string{"list", "--json"}, []string{"ONUS_USER=Ana Ruiz"}, strings.NewReader("hello"), &out, &errb)
	if err != nil || code != 4 {
		t.Fatalf("Run: exit %d, %v", code, err)
	}
	if want := "args=list,--json user=Ana Ruiz dir=" + caller + " stdin=hello"; out.String() != want {
		t.Errorf("stdout %q, want %q", out.String(), want)
	}
	if errb.String() != "a warning" {
		t.Errorf("stderr %q", errb.String())
	}
	// The server (this process, here) is back in its own directory.
	if wd, _ := os.Getwd(); wd != home {
		t.Errorf("after the command the server is in %s, want its own %s", wd, home)
	}

	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(filepath.Dir(l.Path())); !os.IsNotExist(err) {
		t.Errorf("the socket's directory is left after Close: %v", err)
	}
}

// A caller whose user id is not the server's is refused, before anything
// of its request is read (exit 3, said); the kernel's word is taken
// (SO_PEERCRED), so the test makes the server's user another.
func TestRelayRefusesAnotherUser(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the peer's user id is checked on Linux; elsewhere the socket's modes keep others out")
	}
	ran := false
	l := listen(t, filepath.Join(shortDir(t), "onus.db"), func(Request) int { ran = true; return 0 }, os.Getuid()+1)
	c, err := Dial(strings.TrimSuffix(filepath.Dir(l.Path()), ".relay"))
	if err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	code, err := c.Run(context.Background(), []string{"list"}, nil, strings.NewReader(""), &out, &errb)
	if code != 3 || err == nil || !strings.Contains(err.Error(), fmt.Sprintf("user id %d may not", os.Getuid())) {
		t.Errorf("another user: exit %d, %v", code, err)
	}
	if ran || out.Len() > 0 {
		t.Errorf("the command ran for another user (%q)", out.String())
	}
}

// A socket left by a server that was killed (nothing answers on it) is
// replaced; one a live server answers on is not; a socket directory that
// others may enter is refused.
func TestRelayReplacesAStaleSocket(t *testing.T) {
	dir := shortDir(t)
	db := filepath.Join(dir, "onus.db")
	path := SocketPath(db)
	if err := os.Mkdir(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	dead, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
	if err != nil {
		t.Fatal(err)
	}
	dead.SetUnlinkOnClose(false)
	dead.Close() // as kill -9 leaves it: the socket file, no one listening
	if _, err := os.Lstat(path); err != nil {
		t.Fatalf("the stale socket: %v", err)
	}
	if _, err := Dial(db); err == nil {
		t.Fatal("a stale socket was taken for a server")
	}
	listen(t, db, func(r Request) int { return 7 })
	c, err := Dial(db)
	if err != nil {
		t.Fatalf("after the stale socket was replaced: %v", err)
	}
	if code, err := c.Run(context.Background(), nil, nil, strings.NewReader(""), &bytes.Buffer{}, &bytes.Buffer{}); code != 7 || err != nil {
		t.Errorf("exit %d, %v", code, err)
	}
	if _, err := Listen(db, nil); err == nil || !strings.Contains(err.Error(), "already listens") {
		t.Errorf("a second server on a live socket: %v", err)
	}

	open := filepath.Join(shortDir(t), "open.db")
	if err := os.Mkdir(open+".relay", 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := Listen(open, nil); err == nil || !strings.Contains(err.Error(), "mode 0700") {
		t.Errorf("a socket directory others may enter: %v", err)
	}
}

// A caller that connects and sends nothing (stopped with ctrl+z) does not
// hold up the server's stop.
func TestRelayStopsDespiteAStalledCaller(t *testing.T) {
	defer func(d time.Duration) { requestWait = d }(requestWait)
	requestWait = 200 * time.Millisecond
	db := filepath.Join(shortDir(t), "onus.db")
	l, err := Listen(db, t.Logf)
	if err != nil {
		t.Fatal(err)
	}
	go l.Serve(func(Request) int { return 0 })
	c, err := Dial(db)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	time.Sleep(50 * time.Millisecond) // accepted, waiting for the request
	closed := make(chan error, 1)
	go func() { closed <- l.Close() }()
	select {
	case <-closed:
	case <-time.After(5 * time.Second):
		t.Fatal("Close waited on a caller that sent nothing")
	}
}

// A caller interrupted while its command writes (ctrl+c on onus export)
// gets back exit 130 as soon as the server has stopped the command's
// streams: the command's next write is refused, and nothing more reaches
// the caller's file once Run has returned.
func TestRelayInterruptStopsTheCommand(t *testing.T) {
	db := filepath.Join(shortDir(t), "onus.db")
	refused := make(chan error, 1)
	listen(t, db, func(r Request) int {
		for end := time.Now().Add(5 * time.Second); time.Now().Before(end); time.Sleep(time.Millisecond) {
			if _, err := io.WriteString(r.Stdout, "a line of the report\n"); err != nil {
				refused <- err
				return 0 // the command's own code: the caller hears 130
			}
		}
		return 0
	})
	out, err := os.Create(filepath.Join(t.TempDir(), "out"))
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	c, err := Dial(db)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	start := time.Now()
	code, err := c.Run(ctx, []string{"export"}, nil, strings.NewReader(""), out, &bytes.Buffer{})
	if code != ExitInterrupted || !errors.Is(err, ErrInterrupted) {
		t.Fatalf("interrupted: exit %d, %v; want 130, interrupted", code, err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("Run returned %v after the interrupt", d)
	}
	written, _ := out.Seek(0, io.SeekEnd)
	if written == 0 {
		t.Fatal("the command wrote nothing before the interrupt: the test proves nothing")
	}
	select {
	case err := <-refused:
		if !errors.Is(err, ErrInterrupted) {
			t.Errorf("the write after the interrupt failed with %v, want ErrInterrupted", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the command's writes were never refused")
	}
	time.Sleep(50 * time.Millisecond)
	if after, _ := out.Seek(0, io.SeekEnd); after != written {
		t.Errorf("%d bytes reached the caller's file after Run returned", after-written)
	}
}

// A command still waiting for its turn (another runs) when its caller is
// interrupted never runs.
func TestRelayInterruptWhileWaiting(t *testing.T) {
	db := filepath.Join(shortDir(t), "onus.db")
	release := make(chan struct{})
	running := make(chan struct{})
	var ran atomic.Int32
	listen(t, db, func(r Request) int {
		if len(r.Args) > 0 && r.Args[0] == "first" {
			close(running)
			<-release
			return 0
		}
		ran.Add(1)
		return 0
	})
	first, err := Dial(db)
	if err != nil {
		t.Fatal(err)
	}
	firstDone := make(chan int, 1)
	go func() {
		code, _ := first.Run(context.Background(), []string{"first"}, nil, strings.NewReader(""), io.Discard, io.Discard)
		firstDone <- code
	}()
	<-running
	second, err := Dial(db)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	code, err := second.Run(ctx, []string{"answer"}, nil, strings.NewReader(""), io.Discard, io.Discard)
	if code != ExitInterrupted || !errors.Is(err, ErrInterrupted) {
		t.Errorf("the waiting command: exit %d, %v; want 130, interrupted", code, err)
	}
	close(release)
	if code := <-firstDone; code != 0 {
		t.Errorf("the first command: exit %d", code)
	}
	time.Sleep(50 * time.Millisecond)
	if n := ran.Load(); n != 0 {
		t.Errorf("the interrupted command ran %d times after its turn came", n)
	}
}

// A cancel that reaches the server before the request it names has been
// read stops that command as it arrives; old cancels are forgotten.
func TestRelayCancelBeforeItsCommand(t *testing.T) {
	l, err := Listen(filepath.Join(shortDir(t), "onus.db"), t.Logf)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if code := l.interrupt("tok"); code != 0 {
		t.Errorf("a cancel for no command: %d, want 0", code)
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	req := Request{Stdin: newStream(r), Stdout: newStream(w), Stderr: newStream(w)}
	cl := l.begin("tok", req)
	if _, err := req.Stdout.Write([]byte("x")); !errors.Is(err, ErrInterrupted) || !l.end("tok", cl) {
		t.Errorf("a command cancelled before it arrived: write %v, interrupted %v", err, cl.interrupted.Load())
	}
	l.early["old"] = time.Now().Add(-2 * requestWait)
	l.interrupt("new")
	if _, ok := l.early["old"]; ok {
		t.Error("a cancel older than any request could be is kept")
	}
}

// A server that cannot stop a command (an older onus, which refuses a
// cancel as a request without streams) is waited for, and its exit code
// is the caller's.
func TestRelayInterruptOnAnOlderServer(t *testing.T) {
	db := filepath.Join(shortDir(t), "onus.db")
	path := SocketPath(db)
	if err := os.Mkdir(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.AcceptUnix()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				_, _, _, files, err := readRequest(c)
				for _, f := range files {
					f.Close()
				}
				if len(files) != 3 {
					c.Write(encode(reply{Code: exitRefused, Error: "the request carries 0 streams, not 3"}))
					return
				}
				if err != nil {
					t.Error(err)
				}
				time.Sleep(300 * time.Millisecond)
				c.Write(encode(reply{Code: 5}))
			}()
		}
	}()
	c, err := Dial(db)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	if code, err := c.Run(ctx, []string{"export"}, nil, strings.NewReader(""), io.Discard, io.Discard); code != 5 || err != nil {
		t.Errorf("on a server that cannot stop it: exit %d, %v; want the command's 5", code, err)
	}
}
