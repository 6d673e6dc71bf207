package serve

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	"charm.land/wish/v2"
	"charm.land/wish/v2/bubbletea"
	gossh "golang.org/x/crypto/ssh"

	"github.com/onus-gxp/onus/internal/plural"
	"github.com/onus-gxp/onus/internal/safetext"
	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/sign"
	"github.com/onus-gxp/onus/store"
	"github.com/onus-gxp/onus/tui"
)

// DefaultListen is where onus serve listens unless told otherwise: this
// machine only. Serving the room takes --listen with an address of it.
const DefaultListen = "127.0.0.1:2222"

// Options are what a server is started with.
type Options struct {
	// DB is the open database; the server is its only writer while it runs.
	DB *store.DB
	// People are who may connect (the participants file).
	People []Person
	// ParticipantsFile, when set, is read again when an unknown key
	// knocks: adding its line there admits it without a restart.
	ParticipantsFile string
	// HostKey is the server's key (LoadHostKey).
	HostKey gossh.Signer
	// Wizard is the configuration every session's wizard starts from
	// (catalog, exports, colour); Store, ReadOnly and the signing keys
	// are set per session.
	Wizard tui.Config
	// Log receives a line for each connection, refusal and departure.
	Log io.Writer
}

// Server is a running onus serve.
type Server struct {
	opt    Options
	people struct {
		sync.Mutex
		list []Person
	}
	ssh *ssh.Server
	hub hub
	// waiting are the refused keys a facilitator may admit (admit.go).
	waiting waiting
	wg      sync.WaitGroup // the sessions running
	logm    sync.Mutex
}

// New builds a server; Serve runs it.
func New(opt Options) (*Server, error) {
	if opt.DB == nil || opt.HostKey == nil {
		return nil, errors.New("serve: a database and a host key are needed")
	}
	if opt.Log == nil {
		opt.Log = io.Discard
	}
	s := &Server{opt: opt}
	s.people.list = opt.People
	srv, err := wish.NewServer(
		wish.WithPublicKeyAuth(s.allow),
		wish.WithVersion("onus"),
		func(srv *ssh.Server) error { srv.AddHostKey(opt.HostKey); return nil },
		func(srv *ssh.Server) error {
			srv.Handler = bubbletea.MiddlewareWithProgramHandler(s.program)(s.ended)
			return nil
		},
	)
	if err != nil {
		return nil, err
	}
	s.ssh = srv
	return s, nil
}

// Listen opens the TCP listener for addr ("" is DefaultListen). It is
// the one place Onus listens on the network (see docs/SECURITY.md).
func Listen(addr string) (net.Listener, error) {
	if addr == "" {
		addr = DefaultListen
	}
	return net.Listen("tcp", addr)
}

// SSHCommand is the command a participant runs to reach addr.
func SSHCommand(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "ssh " + addr
	}
	return "ssh -p " + port + " " + host
}

// Serve accepts connections on ln until ctx is done, then ends every
// session cleanly (each wizard quits, saving what it had queued, and
// restores its participant's terminal) and returns.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	errc := make(chan error, 1)
	go func() { errc <- s.ssh.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	return s.shutdown()
}

// shutdown stops accepting, quits every wizard and waits for the
// sessions to end; connections still open after that are closed.
func (s *Server) shutdown() error {
	ctx, cancel := context.WithTimeout(context.Background(), shutdownWait)
	defer cancel()
	stopped := make(chan struct{})
	go func() { _ = s.ssh.Shutdown(ctx); close(stopped) }() // closes the listeners first
	s.hub.each(func(se *session) { se.p.Quit() })
	ended := make(chan struct{})
	go func() { s.wg.Wait(); close(ended) }()
	select {
	case <-ended:
	case <-ctx.Done():
		s.logf("stopping: a session did not end within %v; closing its connection", shutdownWait)
	}
	// A session's exit status goes out after its wizard has ended: let
	// each client close its connection on it (Shutdown returns when all
	// have, or at the deadline) rather than cutting them off first.
	<-stopped
	err := s.ssh.Close()
	if errors.Is(err, ssh.ErrServerClosed) {
		err = nil
	}
	return err
}

// shutdownWait bounds how long a stop waits for the wizards to quit.
const shutdownWait = 5 * time.Second

// Logf writes a line to the server's log, as for its own events.
func (s *Server) Logf(format string, args ...any) { s.logf(format, args...) }

func (s *Server) logf(format string, args ...any) {
	s.logm.Lock()
	defer s.logm.Unlock()
	fmt.Fprintf(s.opt.Log, time.Now().Format("15:04:05")+" "+format+"\n", args...)
}

// person is who a key belongs to.
func (s *Server) person(key ssh.PublicKey) (Person, bool) {
	s.people.Lock()
	defer s.people.Unlock()
	for _, p := range s.people.list {
		if ssh.KeysEqual(key, p.Key) {
			return p, true
		}
	}
	return Person{}, false
}

// allow admits the keys of the participants file and refuses the rest.
// An unknown key has the file read again first: the facilitator admits
// someone by adding their line, and they connect again.
func (s *Server) allow(ctx ssh.Context, key ssh.PublicKey) bool {
	if _, ok := s.person(key); ok {
		return true
	}
	if f := s.opt.ParticipantsFile; f != "" {
		// Not while a facilitator's admission is being written: its line
		// counts once it is recorded in the store's log.
		s.waiting.admit.Lock()
		people, err := ReadParticipants(f)
		s.waiting.admit.Unlock()
		if err != nil {
			s.logf("participants file not read again, the people admitted stay as they were: %v", err)
		} else {
			s.people.Lock()
			s.people.list = people
			s.people.Unlock()
			if p, ok := s.person(key); ok {
				s.logf("admitted %s (%s, %s): added to %s", p.Name, p.Role, p.Fingerprint(), f)
				return true
			}
		}
	}
	line := strings.TrimSpace(string(gossh.MarshalAuthorizedKey(key)))
	s.logf("refused %s from %s (%q): not in the participants file; to admit them, a facilitator presses ctrl+a in the wizard, or add\n  participant %s PRINTED NAME\nand they connect again",
		gossh.FingerprintSHA256(key), ctx.RemoteAddr(), safetext.Line(ctx.User()), line)
	s.refused(ctx, key)
	return false
}

// program starts a person's wizard on the shared file.
func (s *Server) program(sess ssh.Session) *tea.Program {
	who, ok := s.person(sess.PublicKey())
	if !ok {
		return nil // not reached: allow refused the key
	}
	s.connected(sess.RemoteAddr().String())
	se := newSession(who)
	cfg := s.opt.Wizard
	cfg.Store = liveStore{DB: s.opt.DB.As(who.Name), hub: &s.hub, s: se}
	cfg.SigningKeys = func() ([]sign.Candidate, error) {
		return nil, errors.New("signing is not offered over onus serve: the signer runs onus sign on their own machine, with their own key")
	}
	if who.Role == Observer {
		cfg.ReadOnly = "OBSERVER, read-only: " + who.Name + " follows the workshop"
	}
	if who.Role != Facilitator {
		cfg.WriteOut = func(string, func(io.Writer) error) (int64, error) {
			return 0, errors.New("exports are written on the facilitator's machine: the facilitator makes them")
		}
		cfg.ReadPack = func(string) ([]byte, error) {
			return nil, errors.New("a filled prep pack is read from the facilitator's machine: the facilitator imports it")
		}
	}
	cfg.OnMove = func(p tui.Place) { s.hub.at(se, p) }
	if who.Role == Facilitator {
		cfg.Facilitate = &tui.Facilitation{
			Follow:  func(on bool) { s.hub.follow(se, on) },
			Lock:    func(on bool) { s.hub.lock(se, on) },
			Admit:   func(a model.Admission) error { return s.admit(who, a) },
			Dismiss: func(fingerprint string) { s.dismiss(who, fingerprint) },
		}
	}
	m := tui.New(cfg)
	se.p = tea.NewProgram(tui.Session(m), bubbletea.MakeOptions(sess)...)
	se.model = m
	s.wg.Add(1)
	s.hub.join(se)
	se.moved = true // the people already here
	s.hub.mu.Lock()
	if by := s.hub.lockedBy; by != "" && who.Role != Facilitator {
		se.control = append(se.control, tui.Locked{By: by})
	}
	s.hub.mu.Unlock()
	if k := s.knocks(); who.Role == Facilitator && len(k) > 0 {
		se.mu.Lock()
		se.control = append(se.control, k)
		se.mu.Unlock()
	}
	go se.forward(&s.hub)
	s.hub.moved(se)
	sess.Context().SetValue(sessionKey{}, se)
	s.logf("joined: %s (%s) from %s", who.Name, who.Role, sess.RemoteAddr())
	return se.p
}

type sessionKey struct{}

// ended runs once a person's wizard has stopped, however it stopped:
// whatever it still had queued is saved before the session closes.
func (s *Server) ended(sess ssh.Session) {
	se, ok := sess.Context().Value(sessionKey{}).(*session)
	if !ok {
		return
	}
	s.hub.leave(se)
	close(se.done)
	s.hub.moved(se)
	lost := se.model.Flush()
	if lost > 0 {
		s.logf("left: %s; %s could not be saved", se.person.Name, plural.Count(lost, "change", "changes"))
	} else {
		s.logf("left: %s", se.person.Name)
	}
	s.wg.Done()
}
