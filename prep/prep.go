// Package prep reads a filled workshop prep pack (the spreadsheet onus
// export --format prep-xlsx writes, report.PrepXLSX) back into answers:
// what would change, what conflicts with answers given since the pack was
// made, and every problem in the file by sheet, row and column. Nothing
// is written unless the file has no problem at all, and then in one
// transaction, each answer recorded by the named respondent with the
// file's SHA-256 in the trail.
package prep

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/onus-gxp/onus/internal/xlsx"
	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/report"
)

// Problem is one error in the file: where it is and what is wrong.
type Problem struct {
	Sheet  string
	Row    int    // 1-based; 0 for the sheet as a whole
	Column string // the column's letter and header, "K (Status)"; "" for the row
	Msg    string
}

func (p Problem) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "sheet %s", p.Sheet)
	if p.Row > 0 {
		fmt.Fprintf(&b, ", row %d", p.Row)
	}
	if p.Column != "" {
		fmt.Fprintf(&b, ", column %s", p.Column)
	}
	return b.String() + ": " + p.Msg
}

// Change is one row that changes an answer.
type Change struct {
	Row       int
	Old, New  model.Answer
	Conflict  bool      // the answer was changed after the pack was made
	ChangedBy string    // who changed it since (the latest such change)
	ChangedAt time.Time // and when
}

// Plan is what importing a file would do.
type Plan struct {
	File       string
	SHA256     string
	Assessment string
	Catalog    string // the catalog version the pack was made with
	PackSeq    uint64 // the trail entry the pack was made from
	PackHead   string
	Changes    []Change // in row order; Conflict ones are applied only when taken
	Unchanged  int      // rows whose answer is already the one held
	Problems   []Problem
	Warnings   []string
}

// Conflicts are the changes to answers given since the pack was made.
func (p *Plan) Conflicts() []Change {
	var out []Change
	for _, c := range p.Changes {
		if c.Conflict {
			out = append(out, c)
		}
	}
	return out
}

// Accepted is what Apply records: every change without a conflict, and
// the conflicts whose control is in take.
func (p *Plan) Accepted(take []string) []model.Answer {
	var out []model.Answer
	for _, c := range p.Changes {
		if !c.Conflict || slices.Contains(take, c.New.Control) {
			out = append(out, c.New)
		}
	}
	return out
}

// Reason is what the trail records with each imported answer.
func (p *Plan) Reason() string {
	return fmt.Sprintf("imported from %s (sha256 %s), a prep pack made at trail entry %d", p.File, p.SHA256, p.PackSeq)
}

// Read reads a filled pack against the assessment's bundle (as it is now)
// and its catalog. name is the file's name, for the trail.
func Read(data []byte, name string, cat *model.Catalog, b model.Bundle) *Plan {
	sum := sha256.Sum256(data)
	p := &Plan{File: name, SHA256: hex.EncodeToString(sum[:]), Assessment: b.Assessment.ID}
	f, err := xlsx.Read(data)
	if err != nil {
		p.Problems = append(p.Problems, Problem{Sheet: "(the file)", Msg: err.Error()})
		return p
	}
	if !p.readMeta(f, cat, b) {
		return p
	}
	p.readAnswers(f, cat, b)
	return p
}

func (p *Plan) problem(sheet string, row int, col, format string, args ...any) {
	p.Problems = append(p.Problems, Problem{Sheet: sheet, Row: row, Column: col, Msg: fmt.Sprintf(format, args...)})
}

// readMeta checks the hidden sheet: the pack is this assessment's, made
// from a point of its trail.
func (p *Plan) readMeta(f *xlsx.File, cat *model.Catalog, b model.Bundle) bool {
	s, ok := f.Sheet(report.PrepMetaSheet)
	if !ok {
		p.problem(report.PrepMetaSheet, 0, "", "the file has no sheet %q: it is not a prep pack written by onus export --format prep-xlsx", report.PrepMetaSheet)
		return false
	}
	meta := map[string]string{}
	rowOf := map[string]int{}
	for i, r := range s.Rows {
		if len(r) > 0 {
			k := strings.ToLower(strings.TrimSpace(r[0]))
			meta[k], rowOf[k] = strings.TrimSpace(s.Cell(i, 1)), i+1
		}
	}
	at := func(k string) int { return max(rowOf[k], 1) }
	if meta[report.PrepMetaFormat] != report.PrepFormat {
		p.problem(s.Name, at(report.PrepMetaFormat), "B", "format %q: this Onus reads %q", meta[report.PrepMetaFormat], report.PrepFormat)
		return false
	}
	if id := meta[report.PrepMetaAssessment]; id != b.Assessment.ID {
		p.problem(s.Name, at(report.PrepMetaAssessment), "B", "the pack is for assessment %q, not %s", id, b.Assessment.ID)
		return false
	}
	p.Catalog, p.PackHead = meta[report.PrepMetaCatalog], meta[report.PrepMetaHead]
	seq, err := strconv.ParseUint(meta[report.PrepMetaSeq], 10, 64)
	if err != nil || !slices.ContainsFunc(b.Trail, func(e model.AuditEntry) bool { return e.Seq == seq && e.Hash == p.PackHead }) {
		p.problem(s.Name, at(report.PrepMetaHead), "B", "the pack was made from trail entry %q (head %.16s), which this assessment's trail does not hold", meta[report.PrepMetaSeq], p.PackHead)
		return false
	}
	p.PackSeq = seq
	if cat != nil && p.Catalog != cat.Version {
		p.Warnings = append(p.Warnings, fmt.Sprintf("the pack was made with catalog %s; this is catalog %s", p.Catalog, cat.Version))
	}
	return true
}

// The answer columns, found by their header.
type columns struct {
	header                                 int // 0-based row of the header
	control, status, just, evidence, notes int // -1 when the column is not there
}

func findColumns(s *xlsx.ReadSheet) (columns, bool) {
	for i := 0; i < len(s.Rows) && i < 20; i++ {
		c := columns{header: i, control: -1, status: -1, just: -1, evidence: -1, notes: -1}
		for j, v := range s.Rows[i] {
			switch strings.ToLower(strings.Join(strings.Fields(v), " ")) {
			case strings.ToLower(report.PrepColControl):
				c.control = j
			case strings.ToLower(report.PrepColStatus):
				c.status = j
			case strings.ToLower(report.PrepColJustification):
				c.just = j
			case strings.ToLower(report.PrepColEvidence):
				c.evidence = j
			case strings.ToLower(report.PrepColNotes):
				c.notes = j
			}
		}
		if c.control >= 0 {
			return c, true
		}
	}
	return columns{}, false
}

func colName(i int, header string) string { return xlsx.ColumnName(i) + " (" + header + ")" }

func (p *Plan) readAnswers(f *xlsx.File, cat *model.Catalog, b model.Bundle) {
	s, ok := f.Sheet(report.PrepSheet)
	if !ok {
		p.problem(report.PrepSheet, 0, "", "the file has no sheet %q", report.PrepSheet)
		return
	}
	c, ok := findColumns(s)
	if !ok {
		p.problem(s.Name, 1, "", "no header row with a %q column", report.PrepColControl)
		return
	}
	if c.status < 0 {
		p.problem(s.Name, c.header+1, "", "the header has no %q column: it was deleted or renamed", report.PrepColStatus)
		return
	}
	a := b.Assessment
	applicable := map[string]bool{}
	for _, ctrl := range cat.Applicable(a.Scope, a.Services) {
		applicable[ctrl.ID] = true
	}
	since := changedSince(b.Trail, p.PackSeq)
	seen := map[string]int{}
	cell := func(row, col int) string {
		if col < 0 {
			return ""
		}
		return strings.TrimSpace(s.Cell(row, col))
	}
	for i := c.header + 1; i < len(s.Rows); i++ {
		row := i + 1
		id := strings.ToUpper(cell(i, c.control))
		status, just, ev, notes := cell(i, c.status), cell(i, c.just), cell(i, c.evidence), cell(i, c.notes)
		answered := status != "" || just != "" || ev != "" || notes != ""
		if id == "" {
			if answered {
				p.problem(s.Name, row, colName(c.control, report.PrepColControl), "an answer with no control")
			}
			continue // a row of the respondent's own, or a blank one
		}
		ctrl := colName(c.control, report.PrepColControl)
		if _, ok := cat.Control(id); !ok {
			p.problem(s.Name, row, ctrl, "%q is not a control of catalog %s", id, cat.Version)
			continue
		}
		if !applicable[id] {
			p.problem(s.Name, row, ctrl, "%s does not apply to this assessment's scope and services", id)
			continue
		}
		if first, dup := seen[id]; dup {
			p.problem(s.Name, row, ctrl, "%s is answered twice (also row %d)", id, first)
			continue
		}
		seen[id] = row
		if status == "" {
			if answered {
				p.problem(s.Name, row, colName(c.status, report.PrepColStatus), "a justification, evidence or notes without a status")
			}
			continue
		}
		old := a.Answer(id)
		old.Evidence = a.EvidenceRefs(id) // what the answer rests on, to compare with the file's
		ans := model.Answer{Control: id, Status: normalStatus(status), Justification: old.Justification, Notes: old.Notes}
		if !ans.Status.Valid() {
			p.problem(s.Name, row, colName(c.status, report.PrepColStatus), "%q is not a status (use %s)", status, statusList())
			continue
		}
		if c.just >= 0 {
			ans.Justification = just
		}
		if c.notes >= 0 {
			ans.Notes = notes
		}
		if c.evidence >= 0 {
			ans.Evidence = nil
			bad := false
			for _, line := range strings.Split(ev, "\n") {
				if line = strings.TrimSpace(line); line == "" {
					continue
				}
				ref, err := model.ParseEvidenceRef(line)
				if err != nil {
					p.problem(s.Name, row, colName(c.evidence, report.PrepColEvidence), "%v", err)
					bad = true
					break
				}
				ans.Evidence = append(ans.Evidence, ref)
			}
			if bad {
				continue
			}
		}
		if err := model.ValidateAnswer(ans); err != nil {
			col := colName(c.status, report.PrepColStatus)
			switch {
			case strings.Contains(err.Error(), "justification") && c.just >= 0:
				col = colName(c.just, report.PrepColJustification)
			case strings.Contains(err.Error(), "evidence") && c.evidence >= 0:
				col = colName(c.evidence, report.PrepColEvidence)
			}
			p.problem(s.Name, row, col, "%v", err)
			continue
		}
		if sameAnswer(old, ans) {
			p.Unchanged++
			continue
		}
		ch := Change{Row: row, Old: old, New: ans}
		if e, ok := since[id]; ok {
			if sameAnswer(e.atPack, ans) { // the row as the pack gave it: nothing new from the respondent
				p.Unchanged++
				continue
			}
			ch.Conflict, ch.ChangedBy, ch.ChangedAt = true, e.last.Actor, e.last.Time
		}
		p.Changes = append(p.Changes, ch)
	}
}

// changed is a control answered after the pack was made: its answer
// then, and the latest change.
type changed struct {
	atPack model.Answer
	last   model.AuditEntry
}

// changedSince finds the controls answered after entry seq.
func changedSince(trail []model.AuditEntry, seq uint64) map[string]changed {
	out := map[string]changed{}
	for _, e := range trail {
		if e.Seq <= seq || e.Action != model.ActAnswer {
			continue
		}
		id, ok := strings.CutPrefix(e.Target, "answer/")
		if !ok {
			continue
		}
		c, seen := out[id]
		if !seen && len(e.Old) > 0 {
			_ = json.Unmarshal(e.Old, &c.atPack) // null or absent: unanswered then
		}
		c.last = e
		out[id] = c
	}
	return out
}

// normalStatus reads a status as people type it: any case, spaces or
// underscores for the hyphen, the label instead of the id.
func normalStatus(s string) model.Status {
	s = strings.ToLower(strings.Join(strings.Fields(strings.ReplaceAll(s, "_", " ")), "-"))
	for _, st := range model.Statuses {
		if s == strings.ToLower(strings.Join(strings.Fields(st.Label()), "-")) {
			return st
		}
	}
	return model.Status(s)
}

func statusList() string {
	var s []string
	for _, st := range model.Statuses {
		s = append(s, string(st))
	}
	return strings.Join(s, ", ")
}

// sameAnswer: b changes nothing of a. Evidence is added, never removed
// (an answer's links to the register are changed in Onus): b's evidence
// is the same when a already rests on all of it.
func sameAnswer(a, b model.Answer) bool {
	for _, e := range b.Evidence {
		if !slices.Contains(a.Evidence, e) {
			return false
		}
	}
	return a.Status == b.Status && a.Justification == b.Justification && a.Notes == b.Notes
}

// AnswerText is an answer in one line, for a preview.
func AnswerText(a model.Answer) string {
	if a.Status == model.StatusUnanswered {
		return "unanswered"
	}
	parts := []string{string(a.Status)}
	if a.Justification != "" {
		parts = append(parts, "justification: "+a.Justification)
	}
	if n := len(a.Evidence); n > 0 {
		parts = append(parts, fmt.Sprintf("%d evidence", n))
	}
	if a.Notes != "" {
		parts = append(parts, "notes: "+a.Notes)
	}
	return strings.Join(parts, "; ")
}

// Recorder records answers by a named respondent: the store (*store.DB),
// or the wizard's handle on it.
type Recorder interface {
	Actor() string
	AnswersAs(respondent, id string, answers []model.Answer, reason string) (model.Assessment, error)
}

// Apply records the accepted answers (Accepted) by respondent (the
// session's actor when empty), all in one transaction, each with Reason in
// the trail. It writes nothing when the plan has any problem.
func Apply(db Recorder, p *Plan, respondent string, take []string) (model.Assessment, []model.Answer, error) {
	if len(p.Problems) > 0 {
		return model.Assessment{}, nil, fmt.Errorf("%s has %d problems; nothing was imported", p.File, len(p.Problems))
	}
	for _, id := range take {
		if !slices.ContainsFunc(p.Changes, func(c Change) bool { return c.Conflict && c.New.Control == id }) {
			return model.Assessment{}, nil, fmt.Errorf("%s is not among the conflicts of %s", id, p.File)
		}
	}
	if respondent == "" {
		respondent = db.Actor()
	}
	if err := model.ValidateActor(respondent); err != nil {
		return model.Assessment{}, nil, err
	}
	answers := p.Accepted(take)
	a, err := db.AnswersAs(respondent, p.Assessment, answers, p.Reason())
	if err != nil {
		return model.Assessment{}, nil, err
	}
	return a, answers, nil
}

// Summary is the preview's count of what importing would do.
func (p *Plan) Summary(take []string) string {
	return fmt.Sprintf("%d answers to record, %d in conflict, %d unchanged", len(p.Accepted(take)), len(p.Conflicts()), p.Unchanged)
}

// Differs reports whether q, the same file read again, would import
// other than p: an answer it changes was changed meanwhile.
func (p *Plan) Differs(q *Plan) bool {
	return len(p.Problems) != len(q.Problems) || !slices.EqualFunc(p.Changes, q.Changes, func(a, b Change) bool {
		return a.Row == b.Row && a.Conflict == b.Conflict && a.New.Control == b.New.Control && a.Old.UpdatedAt.Equal(b.Old.UpdatedAt) &&
			AnswerText(a.Old) == AnswerText(b.Old)
	})
}

// MaxFileBytes bounds the spreadsheet read: a filled pack of a few hundred
// questions is well under a megabyte.
const MaxFileBytes = 32 << 20

// ReadFile reads a filled pack from path, refusing one beyond MaxFileBytes.
func ReadFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxFileBytes {
		return nil, fmt.Errorf("%s: larger than the %d MiB limit", path, MaxFileBytes>>20)
	}
	return data, nil
}
