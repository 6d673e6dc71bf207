package tui

import (
	"fmt"
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/onus-gxp/onus/internal/plural"
	"github.com/onus-gxp/onus/internal/safetext"
	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/sign"
	"github.com/onus-gxp/onus/store"
)

// trailScreen shows the assessment's audit trail, newest first, with the
// highlighted entry in full underneath, under what the full check found:
// the trail (as onus verify checks it) and each signature.
type trailScreen struct {
	plainScreen
	entries []model.AuditEntry // newest first
	loaded  bool
	verify  store.VerifyResult
	sigs    map[uint64]sign.Result // by the entry that records the signature
	sigErr  string
	cursor  int
	filter  listFilter
	rows    int
	narrow  narrowing
	shown   struct { // what visible last returned, for its entries and query
		of    []model.AuditEntry
		query string
		list  []model.AuditEntry
	}
}

// load takes the trail in store order with what the checks found.
func (t *trailScreen) load(msg trailMsg) {
	t.verify, t.loaded = msg.verify, true
	t.entries = slices.Clone(msg.entries)
	slices.Reverse(t.entries)
	t.sigs = map[uint64]sign.Result{}
	for _, r := range msg.sigs {
		t.sigs[r.Seq] = r
	}
	t.sigErr = ""
	if msg.sigErr != nil {
		t.sigErr = msg.sigErr.Error()
	}
	t.cursor = 0
}

// signatureSummary counts the signatures by state, with the first that
// failed and why.
func (t *trailScreen) signatureSummary() (string, bool) {
	if t.sigErr != "" {
		return "signatures not checked: " + t.sigErr, true
	}
	if len(t.sigs) == 0 {
		return "no electronic signatures", false
	}
	counts := map[model.SignatureState]int{}
	var failed *sign.Result
	notChecked := false
	for _, e := range slices.Backward(t.entries) {
		r, ok := t.sigs[e.Seq]
		if !ok {
			continue
		}
		counts[r.State()]++
		if r.State() == model.SigFailed && failed == nil {
			failed = &r
		}
		notChecked = notChecked || !r.SignerChecked
	}
	var parts []string
	for _, s := range []model.SignatureState{model.SigVerified, model.SigSuperseded, model.SigFailed} {
		if counts[s] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", counts[s], s))
		}
	}
	out := "signatures: " + strings.Join(parts, ", ")
	if failed != nil {
		return out + fmt.Sprintf(" · #%d FAILED: %s", failed.N, failed.Problem), true
	}
	if notChecked {
		out += " · signers not checked: no allowed-signers file (onus verify --allowed-signers FILE)"
	}
	return out, false
}

func (t *trailScreen) typing() bool { return t.filter.on }

// visible are the entries the filter keeps.
func (t *trailScreen) visible() []model.AuditEntry {
	all, query := t.entries, strings.ToLower(t.filter.text())
	if !t.filter.active() || len(all) == 0 {
		return all
	}
	if len(t.shown.of) == len(all) && &t.shown.of[0] == &all[0] && t.shown.query == query {
		return t.shown.list
	}
	terms := strings.Fields(query)
	rows := narrowRows(&t.narrow, all, func(e model.AuditEntry) string {
		return fmt.Sprint(e.Seq) + " " + e.Actor + " " + e.Action + " " + e.Target + " " + e.Reason + " " + string(e.New)
	}, query, func(text string) bool { return containsAll(text, terms) }, nil)
	out := make([]model.AuditEntry, len(rows))
	for k, i := range rows {
		out[k] = all[i]
	}
	t.shown.of, t.shown.query, t.shown.list = all, query, out
	return out
}

func (t *trailScreen) setSize(_ *Model, w, h int) {
	t.filter.setWidth(w - 30)
	t.rows = max(1, h-9)
}

func (t *trailScreen) actions(m *Model) []action {
	refilter := func(*Model) { t.cursor = 0 }
	if t.filter.on {
		return t.filter.actions(m, refilter)
	}
	acts := append(listKeys(m.keys, &t.cursor, len(t.visible()), t.rows, nil), t.filter.openAction(m))
	if t.filter.active() {
		acts = append(acts, t.filter.clearAction(m, refilter))
	}
	return acts
}

func (t *trailScreen) update(m *Model, msg tea.Msg) tea.Cmd {
	if !t.filter.on {
		return nil
	}
	changed, cmd := t.filter.update(m, msg)
	if changed {
		t.cursor = 0
	}
	return cmd
}

// short is the first characters of a hash, enough to compare by eye.
func short(hash string) string { return hash[:min(len(hash), 8)] }

func (t *trailScreen) view(m *Model, hs *hits, w, h int) string {
	st := m.styles
	if !t.loaded {
		return st.Title.Render("Audit trail") + "\n\nloading…"
	}
	status := st.Saved.Render("  ✔ verified") + st.Muted.Render(" · head "+short(t.verify.Head))
	var failed []string // the trail's failed check, whole, under the title
	if t.verify.Err != "" {
		at := ""
		if t.verify.Seq > 0 {
			at = fmt.Sprintf(" at entry %d", t.verify.Seq)
		}
		status = st.Error.Render("  ✘ FAILS its check" + at)
		failed = problemLines(st.Error, t.verify.Err, w)
	}
	list := t.visible()
	head := st.Title.Render("Audit trail  "+plural.Count(len(t.entries), "entry", "entries")) + status
	if t.filter.active() {
		head = st.Title.Render(fmt.Sprintf("Audit trail  %d of %d", len(list), len(t.entries))) + "  " + t.filter.view(m, w-30)
	}
	sigLine, bad := t.signatureSummary()
	sigStyle := st.Muted
	if bad {
		sigStyle = st.Error
	}
	lines := append([]string{truncate(head, w, "…")}, failed...)
	lines = append(lines, sigStyle.Render(cell(safetext.Line(sigLine), w)))
	for _, n := range t.verify.Notes {
		lines = append(lines, st.Muted.Render(cell("note: "+n, w)))
	}
	const (
		seqW, timeW, actorW, actionW, targetW, hashW = 4, 16, 10, 12, 16, 8
	)
	restW := max(0, w-2-seqW-timeW-actorW-actionW-targetW-hashW-6)
	row := func(seq, time, actor, action, target, hash, rest string) string {
		return fmt.Sprintf("%-*s %-*s %-*s %-*s %-*s %-*s %s", seqW, seq, timeW, time, actorW, cell(actor, actorW),
			actionW, cell(action, actionW), targetW, cell(target, targetW), hashW, hash, cell(rest, restW))
	}
	lines = append(lines, st.Muted.Render("  "+row("SEQ", "TIME (UTC)", "ACTOR", "ACTION", "TARGET", "HASH", "REASON")))
	const detailH = 7
	rows := max(1, h-len(lines)-detailH)
	off := scrollOffset(t.cursor, 0, rows, len(list))
	for i := off; i < len(list) && i < off+rows; i++ {
		e := list[i]
		line := row(fmt.Sprint(e.Seq), e.Time.UTC().Format("2006-01-02 15:04"), e.Actor, e.Action, e.Target, short(e.Hash), e.Reason)
		i := i
		hs.row(len(lines), 0, w, func(m *Model) tea.Cmd { m.trail.cursor = i; return nil })
		if i == t.cursor {
			lines = append(lines, st.Selected.Render(cell("▸ "+line, w)))
		} else {
			lines = append(lines, cell("  "+line, w))
		}
	}
	if len(list) > rows {
		lines = append(lines, st.Muted.Render(fmt.Sprintf("  entries %d–%d of %d", off+1, min(len(list), off+rows), len(list))))
	}
	if t.cursor < len(list) {
		lines = append(lines, "")
		lines = append(lines, t.detail(m, list[t.cursor], w, max(detailH-1, h-len(lines)))...)
	}
	return strings.Join(lines, "\n")
}

// detail shows one entry: when, who, why, the old and new values, the
// signature it carries and the links, in h lines: the values in full,
// wrapped, when they fit, else a line each.
func (t *trailScreen) detail(m *Model, e model.AuditEntry, w, h int) []string {
	st := m.styles
	var sig string
	if r, ok := t.sigs[e.Seq]; ok {
		sig = fmt.Sprintf("signature #%d %s: %s, key %s, signed head %s (entry %d)", r.N, strings.ToUpper(string(r.State())), r.Signer, r.Key, short(r.Head), r.Entries)
		if r.Problem != "" {
			sig += " · " + r.Problem
		}
		if r.ChangedAt > 0 {
			sig += fmt.Sprintf(" · the record changed after it, at entry %d", r.ChangedAt)
		}
	}
	laid := func(prose, value func(string) []string) []string {
		out := []string{st.Title.Render(cell(fmt.Sprintf("#%d %s %s by %s at %s UTC", e.Seq, e.Action, e.Target, e.Actor, e.Time.UTC().Format("2006-01-02 15:04:05")), w))}
		out = append(out, prose("reason: "+orDash(e.Reason))...)
		if sig != "" {
			out = append(out, cell(safetext.Line(sig), w))
		}
		out = append(out, value("old: "+orDash(string(e.Old)))...)
		out = append(out, value("new: "+orDash(string(e.New)))...)
		return append(out, st.Muted.Render(cell("hash "+e.Hash+" · previous "+short(e.PrevHash), w)))
	}
	// The reason is wrapped at its spaces, a value cut into lines as wide
	// as the screen, every character kept where it was (JSON has no words
	// to break at); a newline in either shows as a mark, so that neither
	// can draw a line that looks like another field.
	out := laid(func(s string) []string { return safetext.Wrap(s, w) }, func(s string) []string { return chunks(s, w) })
	if len(out) > h {
		line := func(s string) []string { return []string{cell(s, w)} }
		out = laid(line, line)
	}
	return out[:min(len(out), h)]
}
