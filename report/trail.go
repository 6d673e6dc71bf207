package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/onus-gxp/onus/internal/plural"
	"github.com/onus-gxp/onus/model"
)

// recentEntries is how many of the latest trail entries the reports list.
const recentEntries = 15

// trailRow is one audit entry as the reports print it.
type trailRow struct {
	Seq                                   string
	Time                                  time.Time
	Actor, Action, Target, Change, Reason string
}

type counted struct {
	Name string
	N    int
}

// trailSummary is what the reports say about the audit trail.
type trailSummary struct {
	Entries           int
	FirstSeq, LastSeq string
	First, Last       time.Time
	Head              string // the hash of the last entry: the chain's head
	Verified          bool
	VerifyErr         string
	Actors, Actions   []counted // most first, then by name
	Recent            []trailRow
}

// summariseTrail summarises a trail; chain verifies it (facts.chainErr).
func summariseTrail(tr []model.AuditEntry, chain func() error) trailSummary {
	var s trailSummary
	s.Entries = len(tr)
	if len(tr) == 0 {
		return s
	}
	first, last := tr[0], tr[len(tr)-1]
	s.FirstSeq, s.LastSeq = fmt.Sprint(first.Seq), fmt.Sprint(last.Seq)
	s.First, s.Last = first.Time, last.Time
	s.Head = model.Head(tr)
	if err := chain(); err != nil {
		s.VerifyErr = err.Error()
	} else {
		s.Verified = true
	}
	actors, actions := map[string]int{}, map[string]int{}
	for _, e := range tr {
		actors[e.Actor]++
		actions[string(e.Action)]++
	}
	s.Actors, s.Actions = sortCounts(actors), sortCounts(actions)
	for _, e := range tr[max(0, len(tr)-recentEntries):] {
		s.Recent = append(s.Recent, rowOf(e))
	}
	return s
}

func rowOf(e model.AuditEntry) trailRow {
	return trailRow{
		Seq: fmt.Sprint(e.Seq), Time: e.Time, Actor: e.Actor, Action: string(e.Action), Target: e.Target,
		Change: changeOf(e), Reason: e.Reason,
	}
}

// maxChange caps the old and new values a report prints for one entry; the
// JSON bundle keeps them whole.
const maxChange = 160

// changeOf says in words what an entry changed: the answer's status, the
// workflow step, the services; other values as compact JSON.
func changeOf(e model.AuditEntry) string {
	has := func(raw json.RawMessage) bool { return len(raw) > 0 && string(raw) != "null" }
	switch e.Action {
	case model.ActCreate:
		var a model.Assessment
		if json.Unmarshal(e.New, &a) == nil {
			return "created " + a.Name
		}
	case model.ActInfo:
		var in model.Info
		if json.Unmarshal(e.New, &in) == nil {
			return "→ " + strings.Join(nonEmpty(in.Name, in.Organisation, in.System), "; ")
		}
	case model.ActScope:
		var sc model.Scope
		if json.Unmarshal(e.New, &sc) == nil {
			fw := "the editions in force"
			if len(sc.Frameworks) > 0 {
				fw = strings.Join(sc.Frameworks, ", ")
			}
			return fmt.Sprintf("→ %s impact; %s; multi-tenant %s; open system %s; internet-facing %s; e-signatures %s; data: %s",
				orNone(string(sc.Impact)), fw, yesNo(sc.MultiTenant), yesNo(sc.OpenSystem), yesNo(sc.InternetFacing), yesNo(sc.ESignatures),
				dataCategoriesText(sc.DataCategories))
		}
	case model.ActRecord:
		var r model.RecordEntry
		switch {
		case !has(e.New):
			return "removed"
		case json.Unmarshal(e.New, &r) == nil && r.Part11:
			return "→ Part 11 record under " + r.PredicateRule + "; kept " + r.Retention + " in " + r.SystemOfRecord
		case json.Unmarshal(e.New, &r) == nil:
			return "→ not a Part 11 record; kept " + r.Retention + " in " + r.SystemOfRecord
		}
	case model.ActCatalog:
		var from model.CatalogRef
		var mv model.CatalogMove
		if json.Unmarshal(e.Old, &from) == nil && json.Unmarshal(e.New, &mv) == nil {
			out := "catalog " + orNone(from.Version) + " → " + mv.Catalog.Version
			if len(mv.Dropped) > 0 {
				out += "; answers dropped: " + strings.Join(mv.Dropped, ", ")
			}
			return out
		}
	case model.ActServices:
		var sels []model.SelectedService
		if json.Unmarshal(e.New, &sels) == nil {
			ids := make([]string, len(sels))
			for i, s := range sels {
				ids[i] = s.ID
				var notes []string
				if n := len(s.Overrides); n > 0 {
					notes = append(notes, plural.Count(n, "override", "overrides"))
				}
				if s.GAMP != nil {
					notes = append(notes, fmt.Sprintf("GAMP category %d", s.GAMP.Category))
				}
				if len(notes) > 0 {
					ids[i] += " (" + strings.Join(notes, ", ") + ")"
				}
			}
			return "→ " + strings.Join(ids, ", ")
		}
	case model.ActSupplier:
		if !has(e.New) {
			return "removed"
		}
		var r model.SupplierRecord
		if json.Unmarshal(e.New, &r) == nil {
			return "→ " + string(r.Status)
		}
	case model.ActAnswer:
		var o, n model.Answer
		if json.Unmarshal(e.New, &n) == nil {
			to := n.Status.Label()
			if k := len(n.Evidence); k > 0 {
				to += ", " + plural.Count(k, "evidence reference", "evidence references")
			}
			if has(e.Old) && json.Unmarshal(e.Old, &o) == nil {
				return o.Status.Label() + " → " + to
			}
			return "→ " + to
		}
	case model.ActEntry, model.ActLinks, model.ActFile, model.ActReport:
		if c, ok := registerChange(e); ok {
			return c
		}
	case model.ActWorkflow:
		var o, n model.Workflow
		if json.Unmarshal(e.New, &n) == nil {
			if has(e.Old) && json.Unmarshal(e.Old, &o) == nil {
				return string(o) + " → " + string(n)
			}
			return "→ " + string(n)
		}
	case model.ActSignOff, model.ActSign:
		var so model.SignOff
		if json.Unmarshal(e.New, &so) == nil {
			who := so.By
			if so.Role != "" {
				who += " (" + so.Role + ")"
			}
			if so.Signed() {
				return fmt.Sprintf("signed by %s: %s (%s, milestone %s, key %s)", who, so.Meaning, so.Step, so.Milestone, so.Key)
			}
			return "signed by " + who + ": " + so.Meaning
		}
	case model.ActMilestone:
		var name string
		if json.Unmarshal(e.New, &name) == nil {
			return fmt.Sprintf("milestone %s at entry %d", name, e.Seq-1)
		}
	case model.ActReopen:
		return "reopened → draft; earlier signatures superseded"
	case model.ActDelete:
		return "deleted"
	case model.ActRestore:
		return "restored"
	}
	return changeText(textOf(e.Old), textOf(e.New))
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

func changeText(old, new string) string {
	old, new = clipText(old, maxChange), clipText(new, maxChange)
	switch {
	case old == "" && new == "":
		return ""
	case old == "":
		return "→ " + new
	case new == "":
		return old + " → (removed)"
	}
	return old + " → " + new
}

func clipText(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// textOf prints an audit value: JSON documents compactly.
func textOf(raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		return string(raw)
	}
	return b.String()
}

func sortCounts(m map[string]int) []counted {
	out := make([]counted, 0, len(m))
	for k, n := range m {
		out = append(out, counted{k, n})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].N != out[j].N {
			return out[i].N > out[j].N
		}
		return out[i].Name < out[j].Name
	})
	return out
}

func countsText(cs []counted) string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		name := c.Name
		if name == "" {
			name = "(unnamed)"
		}
		parts[i] = fmt.Sprintf("%s %d", name, c.N)
	}
	return strings.Join(parts, ", ")
}
