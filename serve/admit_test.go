package serve

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/onus-gxp/onus/model"
)

// participantsLine is k's line of the participants file.
func participantsLine(role Role, name string, k gossh.PublicKey) string {
	return string(role) + " " + strings.TrimSpace(string(gossh.MarshalAuthorizedKey(k))) + " " + name + "\n"
}

// withParticipantsFile writes the workshop's people to a participants
// file the server reads and admits to.
func (w *workshop) withParticipantsFile(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("# the LIMS workshop\n")
	for _, p := range w.srv.people.list {
		b.WriteString(participantsLine(p.Role, p.Name, p.Key))
	}
	file := filepath.Join(t.TempDir(), "people.txt")
	if err := os.WriteFile(file, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	w.srv.opt.ParticipantsFile = file
	return file
}

func (w *workshop) person(name string) Person {
	p, _ := w.srv.person(w.keys[name].PublicKey())
	return p
}

// A refused key shows on the facilitator's screen (and no one else's);
// the facilitator admits it from the wizard, naming the person: their
// line is in the participants file, the admission in the store's log as
// the facilitator's, and the person connects and answers as that name.
// A participant or an observer cannot admit anyone.
func TestAdmitFromTheWizard(t *testing.T) {
	w := startWorkshop(t, map[Role][]string{Facilitator: {"Ann Lead"}, Participant: {"Pat Answer"}, Observer: {"Olive Watch"}})
	file := w.withParticipantsFile(t)
	ann, err := w.dial(t, w.keys["Ann Lead"])
	if err != nil {
		t.Fatal(err)
	}
	pat, err := w.dial(t, w.keys["Pat Answer"])
	if err != nil {
		t.Fatal(err)
	}
	olive, err := w.dial(t, w.keys["Olive Watch"])
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []*client{ann, pat, olive} {
		waitFor(t, 30*time.Second, "the list of assessments", func() bool { return strings.Contains(c.out.String(), "Workshop LIMS") })
	}

	late := newKey(t)
	fp := gossh.FingerprintSHA256(late.PublicKey())
	if _, err := w.dial(t, late); err == nil {
		t.Fatal("an unknown key was admitted")
	}
	waitFor(t, 10*time.Second, "the refused key on the facilitator's screen", func() bool { return strings.Contains(ann.out.String(), "KEY REFUSED: "+fp) })

	// Neither a participant nor an observer is told, or can admit.
	pat.keys(t, "\x01") // ctrl+a
	olive.keys(t, "\x01")
	time.Sleep(300 * time.Millisecond)
	for name, c := range map[string]*client{"the participant": pat, "the observer": olive} {
		if out := c.out.String(); strings.Contains(out, "KEY REFUSED") || strings.Contains(out, "Admit a refused key") {
			t.Errorf("%s is offered the refused key", name)
		}
	}
	for _, who := range []string{"Pat Answer", "Olive Watch"} {
		if err := w.srv.admit(w.person(who), model.Admission{Name: "Lee Late", Role: "participant", Fingerprint: fp}); err == nil || !strings.Contains(err.Error(), "only a facilitator") {
			t.Errorf("%s admitted a key: %v", who, err)
		}
	}

	ann.keys(t, "\x01")
	waitFor(t, 10*time.Second, "the admission form", func() bool { return strings.Contains(ann.out.String(), "Admit a refused key") })
	ann.keys(t, "Lee Late\r")
	waitFor(t, 10*time.Second, "the admission in the store's log", func() bool {
		events, err := w.db.Log()
		return err == nil && len(events) == 1
	})
	events, _ := w.db.Log()
	if ev := events[0]; ev.Action != model.ActAdmit || ev.Actor != "Ann Lead" || ev.Person != "Lee Late" || ev.Role != "participant" || ev.Key != fp {
		t.Errorf("the log says %+v", ev)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if want := participantsLine(Participant, "Lee Late", late.PublicKey()); !strings.HasSuffix(string(data), want) {
		t.Errorf("the participants file ends\n%s\nwant its last line %q", data, want)
	}
	if people, err := ReadParticipants(file); err != nil || len(people) != 4 {
		t.Errorf("the participants file reads back as %d people, %v", len(people), err)
	}
	waitFor(t, 10*time.Second, "the facilitator told", func() bool { return strings.Contains(ann.out.String(), "admitted Lee Late as participant") })

	lee, err := w.dial(t, late)
	if err != nil {
		t.Fatalf("after the admission: %v", err)
	}
	lee.openQuestions(t)
	lee.keys(t, "g1")
	waitFor(t, 30*time.Second, "their answer, as theirs", func() bool { return len(w.answersBy(t)["Lee Late"]) == 1 })

	// verify and doctor check the store's log with every assessment (on
	// the file at rest: bbolt's page check is for a file no one writes).
	w.shutdown(t)
	if _, err := w.db.VerifyAll(); err != nil {
		t.Errorf("VerifyAll after an admission: %v", err)
	}
}

// What the file would refuse, an admission refuses: names with control
// or invisible characters, a name or a key already there, a facilitator's
// role, a key no longer waiting. Nothing is written or logged for them.
func TestAdmitRefusesWhatTheFileWould(t *testing.T) {
	w := startWorkshop(t, map[Role][]string{Facilitator: {"Ann Lead"}, Participant: {"Pat Answer"}})
	file := w.withParticipantsFile(t)
	late := newKey(t)
	fp := gossh.FingerprintSHA256(late.PublicKey())
	if _, err := w.dial(t, late); err == nil {
		t.Fatal("an unknown key was admitted")
	}
	before, _ := os.ReadFile(file)
	ann := w.person("Ann Lead")
	cases := map[string]struct {
		a    model.Admission
		want string
	}{
		"an escape":        {model.Admission{Name: "Eve\x1b[2J", Role: "participant", Fingerprint: fp}, "control or invisible"},
		"a bidi override":  {model.Admission{Name: "Eve\u202eetal", Role: "participant", Fingerprint: fp}, "control or invisible"},
		"a new line":       {model.Admission{Name: "Eve\nobserver x", Role: "participant", Fingerprint: fp}, "control or invisible"},
		"no name":          {model.Admission{Name: " ", Role: "participant", Fingerprint: fp}, "printed name"},
		"doubled spaces":   {model.Admission{Name: "Eve  Two", Role: "participant", Fingerprint: fp}, "doubled"},
		"too long":         {model.Admission{Name: strings.Repeat("E", 2000), Role: "participant", Fingerprint: fp}, "too long"},
		"a name taken":     {model.Admission{Name: "Pat Answer", Role: "participant", Fingerprint: fp}, "already on line"},
		"as a facilitator": {model.Admission{Name: "Eve", Role: "facilitator", Fingerprint: fp}, "admitted as participant or observer"},
		"a key not waiting": {model.Admission{Name: "Eve", Role: "participant",
			Fingerprint: gossh.FingerprintSHA256(newKey(t).PublicKey())}, "no refused key"},
	}
	for name, c := range cases {
		if err := w.srv.admit(ann, c.a); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", name, err, c.want)
		}
	}
	// The key added to the file by hand meanwhile: admitting it again
	// would list it twice.
	f, err := os.OpenFile(file, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(participantsLine(Observer, "Lee By Hand", late.PublicKey()))
	f.Close()
	if err := w.srv.admit(ann, model.Admission{Name: "Lee Late", Role: "participant", Fingerprint: fp}); err == nil || !strings.Contains(err.Error(), "already on line") {
		t.Errorf("a key already in the file: %v", err)
	}
	after, _ := os.ReadFile(file)
	if want := string(before) + participantsLine(Observer, "Lee By Hand", late.PublicKey()); string(after) != want {
		t.Errorf("the participants file changed:\n%s", after)
	}
	if events, err := w.db.Log(); err != nil || len(events) != 0 {
		t.Errorf("refused admissions logged: %+v, %v", events, err)
	}
}

// A client offering several keys (an agent's) is not left waiting for
// the unknown ones once one of its keys is admitted.
func TestAnotherKeyOfAnAdmittedClientDoesNotWait(t *testing.T) {
	w := startWorkshop(t, map[Role][]string{Participant: {"Pat Answer"}})
	cfg := &gossh.ClientConfig{User: "pat", Auth: []gossh.AuthMethod{gossh.PublicKeys(newKey(t), w.keys["Pat Answer"])},
		HostKeyCallback: gossh.FixedHostKey(w.hostKey), Timeout: 10 * time.Second}
	conn, err := gossh.Dial("tcp", w.addr, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	sess, err := conn.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	if err := sess.RequestPty("xterm-256color", 30, 100, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 10*time.Second, "Pat's session", func() bool {
		n := 0
		w.srv.hub.each(func(*session) { n++ })
		return n == 1
	})
	if k := w.srv.knocks(); len(k) != 0 {
		t.Errorf("waiting: %+v", k)
	}
}
