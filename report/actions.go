package report

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/onus-gxp/onus/model"
)

// The action plan: the assessment's action items (model.ActionItem), open
// ones first by due date, each with what it is about, its owner and
// whether it is overdue on the report's date. The Markdown and HTML
// reports print it after the gaps; OSCAL assessment results carry each
// item as a remediation task of the risks of its control (oscal_ar.go).

// planItem is one action item as the reports print it.
type planItem struct {
	model.ActionItem
	Subject string // "GOV-01 Quality system" or "the assessment as a whole"
	Overdue bool   // open and due before the report's date
}

func (f *facts) actionPlan() []planItem {
	day := f.asOf.Format(time.DateOnly)
	var out []planItem
	for _, it := range model.ActionsByDue(f.a.Actions) {
		out = append(out, planItem{ActionItem: it, Subject: f.actionSubject(it), Overdue: it.Overdue(day)})
	}
	return out
}

func (f *facts) actionSubject(it model.ActionItem) string {
	if it.Control == "" {
		return "the assessment as a whole"
	}
	if c, ok := f.cat.Control(it.Control); ok {
		return c.ID + " " + c.Title
	}
	return it.Control
}

func (p planItem) statusText() string {
	switch {
	case p.Overdue:
		return "open, overdue"
	case p.Status == model.ActionDone:
		return fmt.Sprintf("done %s by %s", p.UpdatedAt.UTC().Format(time.DateOnly), p.UpdatedBy)
	}
	return string(p.Status)
}

// openByOwner counts the open items per owner, most first.
func openByOwner(plan []planItem) string {
	n := map[string]int{}
	for _, p := range plan {
		if p.Status == model.ActionOpen {
			n[p.Owner]++
		}
	}
	return countsText(sortCounts(n))
}

func (f *facts) mdActions(w *mdWriter) {
	plan := f.actionPlan()
	if len(plan) == 0 {
		return
	}
	w.heading(2, "Action plan")
	if owners := openByOwner(plan); owners != "" {
		w.line("Open by owner: ", mdInline(owners), ".")
		w.line()
	}
	w.table("Action", "About", "What", "Owner", "Due", "Status", "Raised")
	for _, p := range plan {
		w.row(p.ID, mdInline(p.Subject), mdInline(p.Text), mdInline(p.Owner), p.Due, mdInline(p.statusText()),
			mdInline(p.RaisedBy)+" "+p.RaisedAt.UTC().Format(time.DateOnly))
	}
}

// actionRowH is one action item in the HTML report.
type actionRowH struct {
	ID, Subject, Text, Owner, Due, Status, Raised string
	Overdue, Done                                 bool
}

func (f *facts) htmlActions() (rows []actionRowH, owners string) {
	plan := f.actionPlan()
	for _, p := range plan {
		rows = append(rows, actionRowH{ID: p.ID, Subject: clean(p.Subject), Text: clean(p.Text), Owner: clean(p.Owner), Due: p.Due,
			Status: clean(p.statusText()), Raised: clean(p.RaisedBy) + " " + p.RaisedAt.UTC().Format(time.DateOnly),
			Overdue: p.Overdue, Done: p.Status == model.ActionDone})
	}
	return rows, clean(openByOwner(plan))
}

// actionsOf are the action items about one control, in the plan's order.
// The plan is ordered and split by control once per report, not once per
// risk.
func (f *facts) actionsOf(control string) []model.ActionItem {
	if f.actionsBy == nil {
		f.actionsBy = map[string][]model.ActionItem{}
		for _, it := range actionsByDue(f.a.Actions) {
			f.actionsBy[it.Control] = append(f.actionsBy[it.Control], it)
		}
	}
	return f.actionsBy[control]
}

// actionsByDue is model.ActionsByDue; a variable so that a test can count
// the plan's orderings.
var actionsByDue = model.ActionsByDue

// unlinkedActions lists the items no risk carries (about the assessment,
// or a control without a gap), for the OSCAL result's remarks.
func unlinkedActions(items []model.ActionItem, linked map[string]bool) string {
	var out []string
	for _, it := range model.ActionsByDue(items) {
		if !linked[it.ID] {
			out = append(out, fmt.Sprintf("%s (%s, owner %s, due %s): %s", it.ID, it.Status, it.Owner, it.Due, it.Text))
		}
	}
	return strings.Join(slices.Clip(out), "; ")
}

// OSCAL: an action item about a control is a planned remediation of each
// risk of that control, holding the item as a task.
type arResponse struct {
	UUID        string   `json:"uuid"`
	Lifecycle   string   `json:"lifecycle"`
	Title       string   `json:"title"`
	Description string   `json:"description"`
	Props       []oProp  `json:"props,omitempty"`
	Tasks       []arTask `json:"tasks,omitempty"`
}

type arTask struct {
	UUID             string      `json:"uuid"`
	Type             string      `json:"type"`
	Title            string      `json:"title"`
	Description      string      `json:"description,omitempty"`
	Props            []oProp     `json:"props,omitempty"`
	Timing           *arTiming   `json:"timing,omitempty"`
	ResponsibleRoles []oRespRole `json:"responsible-roles,omitempty"`
}

type arTiming struct {
	OnDate struct {
		Date string `json:"date"`
	} `json:"on-date"`
}

// remediations are the responses to one risk of a control: one per action
// item about it, "completed" once the item is done. linked records the
// items carried.
func (f *facts) remediations(id ids, book *partyBook, control, risk string, linked map[string]bool) []arResponse {
	var out []arResponse
	for _, it := range f.actionsOf(control) {
		linked[it.ID] = true
		lifecycle := "planned"
		if it.Status == model.ActionDone {
			lifecycle = "completed"
		}
		task := arTask{
			UUID:        id.of("task", risk, it.ID),
			Type:        "action",
			Title:       mdMarkupLine(it.ID+": "+it.Text, it.ID),
			Description: mdMarkup(it.Text),
			Props: []oProp{prop("action-id", it.ID), prop("status", string(it.Status)), prop("owner", it.Owner),
				prop("raised-by", it.RaisedBy)},
			Timing:           &arTiming{},
			ResponsibleRoles: []oRespRole{{RoleID: roleCustomer.ID, PartyUUIDs: []string{book.person(it.Owner)}}},
		}
		task.Timing.OnDate.Date = it.Due + "T23:59:59Z"
		out = append(out, arResponse{
			UUID:        id.of("remediation", risk, it.ID),
			Lifecycle:   lifecycle,
			Title:       mdMarkupLine("Action "+it.ID, "Action"),
			Description: mdMarkup(it.Text + "\n\nOwner: " + it.Owner + "; due " + it.Due + "; " + string(it.Status) + "."),
			Props:       []oProp{prop("action-id", it.ID)},
			Tasks:       []arTask{task},
		})
	}
	return out
}
