// Package accessible is the wizard's accessible mode: the same steps
// (scope, supplier, services, questions, review, export) as plain lines
// read from an io.Reader and written to an io.Writer, with no alternate
// screen and no cursor addressing, for screen readers, braille displays,
// dumb terminals and pipes. It follows charmbracelet/huh's accessible
// mode: numbered choices, a prompt that says what it takes, and input
// checked where it is typed.
//
// Every screen says where it is first ("Question 12 of 85, Identity and
// access"), then its content, then the choices with their numbers, then
// the prompt. At every prompt q or quit ends the session and help says
// what the prompt takes; the end of the input (ctrl+d) ends it too. Each
// change is one store call, made before the next prompt, through the
// same store operations the wizard uses, so nothing typed and confirmed
// is ever waiting to be written.
package accessible

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/onus-gxp/onus/internal/plural"
	"github.com/onus-gxp/onus/internal/safetext"
	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/sign"
	"github.com/onus-gxp/onus/store"
)

// Store is what accessible mode needs from the database (*store.DB): the
// wizard's store operations, less the wizard's own screen state.
type Store interface {
	Actor() string
	List(includeDeleted bool) ([]model.Summary, error)
	Get(id string) (model.Assessment, error)
	Create(a model.Assessment) (model.Assessment, error)
	UpdateInfo(id string, in model.Info, reason string) (model.Assessment, error)
	UpdateScope(id string, s model.Scope, reason string) (model.Assessment, error)
	SelectServices(id string, ids []string) (model.Assessment, error)
	DeselectServices(id string, ids []string) (model.Assessment, error)
	SetSupplierRecord(id string, r model.SupplierRecord) (model.Assessment, error)
	RemoveSupplierRecord(id, source string) (model.Assessment, error)
	Answer(id string, ans model.Answer, reason string) (model.Assessment, error)
	SetRecord(id, was string, r model.RecordEntry) (model.Assessment, error)
	RemoveRecord(id, class string) (model.Assessment, error)
	AddEntry(id string, e model.EvidenceEntry) (model.Assessment, error)
	EditEntry(id string, e model.EvidenceEntry) (model.Assessment, error)
	RemoveEntry(id, entry string) (model.Assessment, error)
	Link(id, entry string, controls []string, note string) (model.Assessment, error)
	Unlink(id, entry string, controls []string) (model.Assessment, error)
	SetWorkflow(id string, w model.Workflow, reason string) (model.Assessment, error)
	PrepareSign(id string, req store.SignRequest, cat *model.Catalog, fingerprint string) (model.Manifest, error)
	Sign(id string, req store.SignRequest, cat *model.Catalog, key store.Signer) (model.Assessment, error)
	Reopen(id, reason string) (model.Assessment, error)
	MoveToCatalog(id string, to *model.Catalog, reason string) (model.Assessment, error)
	Milestone(id, name string) (model.Assessment, error)
	Export(id string) (model.Bundle, error)
	// Check is the check every change makes; an assessment that fails it
	// opens read-only, as in the wizard.
	Check(id string) error
	// Checked is the verdict on the whole file (a *store.DamagedError).
	Checked() error
}

// Config is what a session is started with.
type Config struct {
	Catalog func() *model.Catalog
	// Earlier finds the catalog an assessment was made with, when it is
	// not the one in effect (assets.EarlierFor), to say what a move to
	// the one in effect changes; nil: only the answers it drops are said.
	Earlier func(model.CatalogRef) (*model.Catalog, bool)
	Store   Store
	DBPath  string // named when the session ends: where everything is
	In      io.Reader
	Out     io.Writer
	// Echo writes each line read after its prompt: on a pipe nothing
	// else shows what was answered, and the output reads as a transcript.
	// A terminal echoes by itself.
	Echo bool
	Now  func() time.Time // the clock (stale evidence, today's date); nil means time.Now
	// ExportDir is the folder an export is offered in; WriteOut writes
	// the file (atomically, in cmd/onus).
	ExportDir string
	// It writes what write writes as it makes it, and returns its length;
	// an error from write leaves no file.
	WriteOut func(path string, write func(io.Writer) error) (int64, error)
	// Render renders an exported bundle to w as the command line's export
	// does (each signature verified against the allowed signers); nil
	// renders it with the report package alone, the signatures unchecked.
	Render func(w io.Writer, format string, cat *model.Catalog, b model.Bundle) error
	// SigningKeys lists the keys a signer may choose (nil: none).
	SigningKeys func() ([]sign.Candidate, error)
	// HideInput stops the terminal echoing what is typed, until restore
	// is called: a passphrase is read with it. nil on a pipe, where
	// nothing echoes but Echo, which a passphrase never passes.
	HideInput func() (restore func())
}

// Session ends: q typed, or the input ended.
var (
	errQuit = errors.New("quit")
	errEOF  = errors.New("end of input")
)

// maxLine is the longest line taken: the longest text onus records, and
// room for the line's end.
const maxLine = model.MaxTextBytes + 2

// Run runs a session until q, the end of the input, or ctx is cancelled
// (a signal): then it returns context.Cause(ctx). Everything confirmed is
// saved in each of these cases; input that ends in the middle of a form of
// several prompts returns an error naming the form, which was not saved.
// The whole file is checked first, as the wizard's first screen has it
// checked: a damaged file ends the session where it is found, with its
// *store.DamagedError (exit 4), as it ends the wizard's. Other errors are
// the store's when it cannot even list the assessments.
func Run(ctx context.Context, cfg Config) error {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	out := safetext.NewWriter(cfg.Out)
	defer out.Flush()
	done := make(chan struct{})
	defer close(done)
	s := &session{cfg: cfg, ctx: ctx, out: out, lines: make(chan input), cat: cfg.Catalog()}
	go readLines(cfg.In, s.lines, done)

	s.say("Onus, accessible mode. Every answer is saved as you give it, in %s, recorded as %s.", line(cfg.DBPath), line(cfg.Store.Actor()))
	s.say("Type the number of a choice and press enter. At any prompt: help explains it, q quits.")
	err := cfg.Store.Checked()
	if err == nil {
		err = s.home()
	}
	var damaged *store.DamagedError
	switch {
	case errors.As(err, &damaged) || errors.As(s.damaged, &damaged):
		if s.damaged == nil { // not read out yet
			s.say("The database is damaged: %s.", strings.TrimSuffix(line(damaged.Error()), "."))
		}
		s.say("The session ends here: onus writes nothing to a damaged file.")
		return damaged
	case errors.Is(err, errQuit):
		s.say("Goodbye. Everything is saved in %s.", line(cfg.DBPath))
		return nil
	case errors.Is(err, errEOF) && s.cut != "":
		// A script that ends too soon must not pass for a complete one.
		s.say("End of input in the middle of %s, which is not saved. Everything given before it is saved in %s.", s.cut, line(cfg.DBPath))
		return fmt.Errorf("the input ended in the middle of %s, which was not saved", s.cut)
	case errors.Is(err, errEOF):
		s.say("End of input. Everything is saved in %s.", line(cfg.DBPath))
		return nil
	case ctx.Err() != nil && s.cut != "":
		s.say("Interrupted in the middle of %s, which is not saved. Everything given before it is saved in %s.", s.cut, line(cfg.DBPath))
		return context.Cause(ctx)
	case ctx.Err() != nil:
		s.say("Interrupted. Everything is saved in %s.", line(cfg.DBPath))
		return context.Cause(ctx)
	}
	return err
}

// session is one run: the streams, the catalog, and the assessment open.
type session struct {
	cfg   Config
	ctx   context.Context
	out   *safetext.Writer
	lines chan input
	cat   *model.Catalog

	a      model.Assessment // the open assessment, as last saved
	review model.Review     // of a
	broken string           // why a fails the check every change makes, or ""
	// typing names the form being filled in, which is saved only once
	// complete; cut is the one the end of the input or a signal cut
	// short, to say it was not saved.
	typing, cut string

	damaged error // the file is damaged: the session ends at the next prompt

	recounted bool // the list's progress was counted again (recount), once a session
}

// input is one line read, or why there are no more.
type input struct {
	text string
	long bool // longer than maxLine: dropped
	err  error
}

// readLines sends the lines of r, then the error that ended them.
func readLines(r io.Reader, lines chan<- input, done <-chan struct{}) {
	br := bufio.NewReader(r)
	send := func(in input) bool {
		select {
		case lines <- in:
			return true
		case <-done:
			return false
		}
	}
	for {
		text, long, err := readLine(br)
		if (text != "" || long || err == nil) && !send(input{text: text, long: long}) {
			return
		}
		if err != nil {
			send(input{err: err})
			return
		}
	}
}

// readLine reads up to the end of a line, keeping at most maxLine bytes.
func readLine(br *bufio.Reader) (text string, long bool, err error) {
	var buf []byte
	for {
		frag, err := br.ReadSlice('\n')
		if len(buf)+len(frag) > maxLine {
			long, buf = true, nil
		} else if !long {
			buf = append(buf, frag...)
		}
		if err != bufio.ErrBufferFull {
			return strings.TrimRight(string(buf), "\r\n"), long, err
		}
	}
}

// say writes a line; its arguments are written as given, so untrusted
// text goes through line first. Everything passes safetext's Writer on
// its way out as well, so no escape sequence reaches the terminal.
func (s *session) say(format string, a ...any) {
	fmt.Fprintf(s.out, format+"\n", a...)
}

// fail reads out why something was not done, where it happened. A
// damaged file is noted, to end the session at the next prompt.
func (s *session) fail(what string, err error) {
	if de := (*store.DamagedError)(nil); errors.As(err, &de) {
		s.damaged = de
	}
	// A failed check found on a change: read-only from now on, as in the wizard.
	if ie := (*store.IntegrityError)(nil); errors.As(err, &ie) && ie.ID != "" && ie.ID == s.a.ID {
		s.broken = brokenWhy(ie.ID, ie)
	}
	s.say("%s: %s.", what, strings.TrimSuffix(safetext.Line(err.Error()), "."))
}

// line is untrusted text on one line: a name, a title, a note.
func line(s string) string { return safetext.Line(s) }

// ask writes a prompt and reads the answer, trimmed. q or quit ends the
// session (errQuit), help or ? calls help and asks again.
func (s *session) ask(prompt string, help func()) (string, error) {
	for {
		if s.damaged != nil { // no prompt for what cannot be saved
			return "", s.damaged
		}
		fmt.Fprint(s.out, prompt+" ")
		in, err := s.read()
		if err != nil {
			return "", err
		}
		switch strings.ToLower(in) {
		case "q", "quit":
			return "", errQuit
		case "help", "?":
			help()
			continue
		}
		return in, nil
	}
}

// read waits for a line, the end of the input, or ctx, and trims it.
func (s *session) read() (string, error) {
	in, err := s.readRaw()
	return strings.TrimSpace(in), err
}

// readRaw is read without the trimming (a passphrase is taken as typed).
// A damaged file found meanwhile ends the session here, after the
// store's reason.
func (s *session) readRaw() (string, error) {
	for {
		if s.damaged != nil {
			return "", s.damaged
		}
		s.out.Flush()
		if s.ctx.Err() != nil {
			s.say("")
			s.cut = s.typing
			return "", s.ctx.Err()
		}
		var in input
		select {
		case <-s.ctx.Done():
			s.say("")
			s.cut = s.typing
			return "", s.ctx.Err()
		case in = <-s.lines:
		}
		if in.err != nil {
			s.say("")
			s.cut = s.typing
			if in.err != io.EOF {
				s.fail("Could not read the input", in.err)
			}
			return "", errEOF
		}
		if s.cfg.Echo && in.long {
			s.say("(a line longer than %d KiB)", model.MaxTextBytes>>10)
		} else if s.cfg.Echo {
			s.say("%s", line(in.text))
		}
		if in.long {
			s.say("That line is longer than %d KiB, the longest text onus records; it was not taken. Type it again, shorter:", model.MaxTextBytes>>10)
			continue
		}
		return in.text, nil
	}
}

// choose lists options numbered from 1 and reads a number. def is what
// enter alone picks (1-based; 0: enter picks nothing). help says what the
// options are for, and is read again with them on help.
func (s *session) choose(options []string, def int, help string) (int, error) {
	list := func() {
		for i, o := range options {
			s.say("  %d. %s", i+1, o)
		}
	}
	list()
	return s.pick(len(options), def, help, list, "")
}

// pick reads a number from 1 to n, or enter for def; enterMeans names
// what enter does when def is 0 and enter is still allowed (returns 0).
func (s *session) pick(n, def int, help string, list func(), enterMeans string) (int, error) {
	prompt := fmt.Sprintf("Choose 1 to %d:", n)
	switch {
	case n == 1:
		prompt = "Choose 1:"
	case def > 0:
		prompt = fmt.Sprintf("Choose 1 to %d, or enter for %d:", n, def)
	case enterMeans != "":
		prompt = fmt.Sprintf("Choose 1 to %d, or enter %s:", n, enterMeans)
	}
	switch {
	case n == 1 && def > 0:
		prompt = "Choose 1, or enter for 1:"
	case n == 1 && enterMeans != "":
		prompt = "Choose 1, or enter " + enterMeans + ":"
	}
	for {
		in, err := s.ask(prompt, func() {
			s.say("%s", help)
			list()
		})
		if err != nil {
			return 0, err
		}
		if in == "" {
			if def > 0 {
				return def, nil
			}
			if enterMeans != "" {
				return 0, nil
			}
			s.say("Type a number from 1 to %d; help reads the choices again.", n)
			continue
		}
		i, err := strconv.Atoi(in)
		if err != nil || i < 1 || i > n {
			s.say("%q is not a choice. Type a number from 1 to %d; help reads the choices again.", line(in), n)
			continue
		}
		return i, nil
	}
}

// yesNo asks a question answered y or n; enter gives def.
func (s *session) yesNo(question string, def bool) (bool, error) {
	hint := map[bool]string{true: "y", false: "n"}[def]
	for {
		in, err := s.ask(fmt.Sprintf("%s Type y or n, or enter for %s:", question, hint), func() {
			s.say("y or yes says yes, n or no says no.")
		})
		if err != nil {
			return false, err
		}
		switch strings.ToLower(in) {
		case "":
			return def, nil
		case "y", "yes":
			return true, nil
		case "n", "no":
			return false, nil
		}
		s.say("%q is neither y nor n.", line(in))
	}
}

// clearWord, typed at an optional text prompt, empties the field.
const clearWord = "-"

// text asks for a line of text, showing what it is now: enter keeps that,
// a dash clears it (unless required). check says why a value cannot be
// taken; the prompt is asked again until one can.
func (s *session) text(label, cur string, required bool, help string, check func(string) error) (string, error) {
	var prompt string
	switch {
	case cur == "" && required:
		prompt = label + " (required):"
	case cur == "":
		prompt = label + " (empty now; enter leaves it so):"
	case required:
		prompt = fmt.Sprintf("%s (now: %s; enter keeps it):", label, line(cur))
	default:
		prompt = fmt.Sprintf("%s (now: %s; enter keeps it, %s clears it):", label, line(cur), clearWord)
	}
	for {
		in, err := s.ask(prompt, func() { s.say("%s", help) })
		if err != nil {
			return "", err
		}
		v := in
		switch {
		case in == "":
			v = cur
		case in == clearWord && !required:
			v = ""
		}
		if required && v == "" {
			// The store's own words when it has some, as the wizard's.
			if check == nil || check(v) == nil {
				s.say("%s is required.", label)
			} else {
				s.fail("Not taken", check(v))
			}
			continue
		}
		if check != nil {
			if err := check(v); err != nil {
				s.fail("Not taken", err)
				continue
			}
		}
		return v, nil
	}
}

// date asks for a date as YYYY-MM-DD, the same way as text.
func (s *session) date(label, cur string, required bool, help string) (string, error) {
	return s.text(label+", YYYY-MM-DD", cur, required, help, func(v string) error {
		if _, err := time.Parse(time.DateOnly, v); v != "" && err != nil {
			return fmt.Errorf("%q is not a date as YYYY-MM-DD", v)
		}
		return nil
	})
}

// limit is a check that text fits a store limit.
func limit(field string, n int) func(string) error {
	return func(v string) error { return model.CheckText(field, v, n) }
}

// numbers reads a list of choice numbers from 1 to n, separated by
// spaces or commas; a number given twice counts once.
func numbers(in string, n int) ([]int, error) {
	var out []int
	for _, f := range strings.FieldsFunc(in, func(r rune) bool { return r == ',' || r == ' ' }) {
		i, err := strconv.Atoi(f)
		if err != nil || i < 1 || i > n {
			return nil, fmt.Errorf("%q is not a number from 1 to %d", line(f), n)
		}
		if !slices.Contains(out, i) {
			out = append(out, i)
		}
	}
	return out, nil
}

// filling marks a form of several prompts as being filled in, until the
// function it returns is called.
func (s *session) filling(what string) (done func()) {
	s.typing = what
	return func() { s.typing = "" }
}

// readOnly is why the open assessment cannot be changed, or "": it is
// final (reopening it, with a reason, makes it editable), or it fails the
// check the store makes before every change (salvage continues it).
func (s *session) readOnly() string {
	switch {
	case s.broken != "":
		return s.broken
	case s.a.Workflow == model.WorkflowFinal:
		return "It is final: reopening it from the review, with a reason, makes it editable again; its signatures become superseded"
	}
	return ""
}

// refuseEdit reads out why the open assessment cannot be changed, if it
// cannot, and reports whether it did.
func (s *session) refuseEdit() bool {
	if why := s.readOnly(); why != "" {
		s.say("Read-only. %s.", why)
		return true
	}
	return false
}

// set makes a the open assessment, as saved, and reviews it: its
// free-text evidence shown as the register entries the store files it as
// at the next change to evidence or answers, as in the wizard.
func (s *session) set(a model.Assessment) {
	s.a = model.WithRegister(a)
	s.review = s.cat.Review(&s.a, s.cfg.Now())
}

// saved takes what a store call returned: on success the assessment as
// saved, and a line that says what was saved; on failure the store's
// reason, read out where it happened.
func (s *session) saved(a model.Assessment, err error, what string) bool {
	if err != nil {
		s.fail("Not saved", err)
		return false
	}
	s.set(a)
	s.say("Saved: %s.", what)
	return true
}

// sentence ends s with a full stop, unless it ends a sentence already.
func sentence(s string) string {
	if strings.HasSuffix(s, ".") || strings.HasSuffix(s, "?") || strings.HasSuffix(s, "!") {
		return s
	}
	return s + "."
}

// matches says how many things match a search: "1 service matches".
func matches(n int, one, many, term string) string {
	verb := "match"
	if n == 1 {
		verb = "matches"
	}
	return fmt.Sprintf("%s %s %q:", plural.Count(n, one, many), verb, line(term))
}
