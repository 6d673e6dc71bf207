package serve

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/onus-gxp/onus/assets"
	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/store"
	"github.com/onus-gxp/onus/tui"
)

// workshop is a server on 127.0.0.1 with its database and people.
type workshop struct {
	db      *store.DB
	id      string // the assessment everyone works on
	addr    string
	hostKey gossh.PublicKey
	srv     *Server
	keys    map[string]gossh.Signer // printed name → key
	stop    context.CancelFunc
	done    chan error
}

func newKey(t testing.TB) gossh.Signer {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// startWorkshop serves a new database with one assessment to people
// named by role ("participant" → names).
func startWorkshop(t testing.TB, roles map[Role][]string) *workshop {
	t.Helper()
	cat, err := model.ParseCatalog(assets.Catalog(), assets.CatalogName)
	if err != nil {
		t.Fatal(err)
	}
	catalog := func() *model.Catalog { return cat }
	dbPath := filepath.Join(t.TempDir(), "onus.db")
	db, err := store.Open(dbPath, store.Options{Actor: "setup", Catalog: catalog})
	if err != nil {
		t.Fatal(err)
	}
	a, err := db.Create(model.Assessment{Name: "Workshop LIMS", Services: []model.SelectedService{{ID: "ec2"}, {ID: "s3"}}})
	if err != nil {
		t.Fatal(err)
	}
	w := &workshop{db: db, id: a.ID, keys: map[string]gossh.Signer{}, done: make(chan error, 1)}
	var people []Person
	for role, names := range roles {
		for _, n := range names {
			k := newKey(t)
			w.keys[n] = k
			people = append(people, Person{Role: role, Key: k.PublicKey(), Name: n})
		}
	}
	host, created, err := LoadHostKey(HostKeyPath(dbPath))
	if err != nil || !created {
		t.Fatalf("host key: created %v, %v", created, err)
	}
	w.hostKey = host.PublicKey()
	w.srv, err = New(Options{DB: db, People: people, HostKey: host, Wizard: tui.Config{Catalog: catalog}})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	w.addr = ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	w.stop = cancel
	go func() { w.done <- w.srv.Serve(ctx, ln) }()
	t.Cleanup(func() {
		w.shutdown(t)
		db.Close()
	})
	return w
}

// shutdown stops the server as SIGTERM does (once).
func (w *workshop) shutdown(t testing.TB) {
	t.Helper()
	if w.stop == nil {
		return
	}
	w.stop()
	w.stop = nil
	select {
	case err := <-w.done:
		if err != nil {
			t.Errorf("serve: %v", err)
		}
	case <-time.After(2 * shutdownWait):
		t.Error("the server did not stop")
	}
}

// client is one participant's SSH session with a terminal.
type client struct {
	conn *gossh.Client
	sess *gossh.Session
	in   io.WriteCloser
	out  *lockedBuffer
	exit chan error
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func (w *workshop) dial(t testing.TB, key gossh.Signer) (*client, error) {
	cfg := &gossh.ClientConfig{User: "workshop", Auth: []gossh.AuthMethod{gossh.PublicKeys(key)},
		HostKeyCallback: gossh.FixedHostKey(w.hostKey), Timeout: 10 * time.Second}
	conn, err := gossh.Dial("tcp", w.addr, cfg)
	if err != nil {
		return nil, err
	}
	sess, err := conn.NewSession()
	if err != nil {
		conn.Close()
		return nil, err
	}
	c := &client{conn: conn, sess: sess, out: &lockedBuffer{}, exit: make(chan error, 1)}
	sess.Stdout, sess.Stderr = c.out, c.out
	if c.in, err = sess.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	if err := sess.RequestPty("xterm-256color", 30, 100, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	go func() { c.exit <- sess.Wait() }()
	t.Cleanup(func() { conn.Close() })
	return c, nil
}

func (c *client) keys(t testing.TB, s string) {
	t.Helper()
	if _, err := io.WriteString(c.in, s); err != nil {
		t.Fatalf("typing %q: %v", s, err)
	}
}

// waitFor polls cond (the test's own check, not the server's) until it
// holds or the deadline passes.
func waitFor(t testing.TB, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", d, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// showing asks every connected wizard what it shows of the assessment.
func (w *workshop) showing(t testing.TB) map[string]*model.Assessment {
	t.Helper()
	out := map[string]*model.Assessment{}
	var mu sync.Mutex
	w.srv.hub.each(func(se *session) {
		reply := make(chan *model.Assessment, 1)
		se.p.Send(tui.Showing{Reply: reply})
		select {
		case a := <-reply:
			mu.Lock()
			out[se.person.Name] = a
			mu.Unlock()
		case <-time.After(5 * time.Second):
			t.Errorf("%s's wizard did not answer", se.person.Name)
		}
	})
	return out
}

func (w *workshop) answersBy(t testing.TB) map[string][]string {
	t.Helper()
	trail, err := w.db.History(w.id)
	if err != nil {
		t.Fatal(err)
	}
	by := map[string][]string{}
	for _, e := range trail {
		if e.Action == model.ActAnswer {
			by[e.Actor] = append(by[e.Actor], strings.TrimPrefix(e.Target, "answer/"))
		}
	}
	return by
}

func names(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s %02d", prefix, i+1)
	}
	return out
}
