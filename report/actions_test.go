package report

import (
	"strings"
	"testing"

	"github.com/onus-gxp/onus/model"
)

// actionsInput is the fixture with action items: two about REC-02 (a
// not-implemented gap), one closed, one about the assessment as a whole,
// one about a control with no risk.
func actionsInput(t *testing.T) Input {
	in := fixtureInput(t)
	item := func(n int, control, text, owner, due string, st model.ActionStatus) model.ActionItem {
		return model.ActionItem{ID: model.ActionID(n), Control: control, Text: text, Owner: owner, Due: due, Status: st,
			RaisedBy: "anna.keller", RaisedAt: at(6, "09:00"), UpdatedBy: "anna.keller", UpdatedAt: at(6, "09:00")}
	}
	in.Assessment.Actions = []model.ActionItem{
		item(1, "REC-02", "Move RDS snapshots to a customer-managed KMS key", "Marc Dubois", "2025-06-30", model.ActionOpen),
		item(2, "", "Book the follow-up workshop", "Anna Keller", "2025-01-31", model.ActionOpen),
		item(3, "REC-02", "Ask AWS for the KMS key-rotation evidence", "Anna Keller", "2025-04-01", model.ActionDone),
		item(4, "SUP-01", "File the supplier report in the DMS", "J. Weber", "2025-05-01", model.ActionOpen),
	}
	return in
}

// Every report carries the action plan: open items first by due date,
// the overdue ones marked, the done ones with who closed them.
func TestActionPlanInReports(t *testing.T) {
	in := actionsInput(t)
	md, err := Markdown(in)
	if err != nil {
		t.Fatal(err)
	}
	s := string(md)
	plan := s[strings.Index(s, "## Action plan"):]
	plan = plan[:strings.Index(plan, "\n## ")]
	var ids []string
	for _, l := range strings.Split(plan, "\n") {
		if strings.HasPrefix(l, "| A") && !strings.HasPrefix(l, "| Action") {
			ids = append(ids, strings.TrimSpace(strings.Split(l, "|")[1]))
		}
	}
	if strings.Join(ids, " ") != "A2 A4 A1 A3" {
		t.Errorf("plan order %v, want open by due date then done:\n%s", ids, plan)
	}
	for _, want := range []string{
		"Open by owner: Anna Keller 1, J. Weber 1, Marc Dubois 1.",
		"| A2 | the assessment as a whole | Book the follow-up workshop | Anna Keller | 2025-01-31 | open, overdue |",
		"| A1 | REC-02 ", "done 2025-03-09 by anna.keller",
	} {
		if !strings.Contains(plan, want) {
			t.Errorf("the Markdown plan lacks %q:\n%s", want, plan)
		}
	}
	html, err := HTML(in)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`<section id="actions">`, "Move RDS snapshots to a customer-managed KMS key", `<span class="r-high">open, overdue</span>`} {
		if !strings.Contains(string(html), want) {
			t.Errorf("the HTML report lacks %q", want)
		}
	}
	// Without action items, no section.
	plain := fixtureInput(t)
	for _, f := range []func(Input) ([]byte, error){Markdown, HTML} {
		out, _ := f(plain)
		if strings.Contains(string(out), "Action plan") {
			t.Error("a report without action items has an action plan")
		}
	}
}

// OSCAL assessment results carry an item about a control as a planned (or
// completed) remediation of each of that control's risks, with the item as
// a task, due on its date, its owner a party; items no risk carries are
// named in the result's remarks. The document stays valid.
func TestActionsAsRemediations(t *testing.T) {
	in := actionsInput(t)
	doc := renderDoc(t, "oscal-ar", in)
	res := path(doc, "results", 0).(map[string]any)
	found := map[string]string{}
	for _, r := range res["risks"].([]any) {
		risk := r.(map[string]any)
		rems, _ := risk["remediations"].([]any)
		for _, x := range rems {
			rem := x.(map[string]any)
			task := path(rem, "tasks", 0).(map[string]any)
			id := propValue(task, "action-id")
			found[id] = rem["lifecycle"].(string) + " " + path(task, "timing", "on-date", "date").(string) + " " + propValue(task, "owner")
			if !strings.Contains(risk["title"].(string), "REC-02") {
				t.Errorf("action %s on the risk %q", id, risk["title"])
			}
		}
	}
	if found["A1"] != "planned 2025-06-30T23:59:59Z Marc Dubois" || found["A3"] != "completed 2025-04-01T23:59:59Z Anna Keller" || len(found) != 2 {
		t.Errorf("remediations: %v", found)
	}
	partyNamed(t, doc, "Marc Dubois")
	if rm := res["remarks"].(string); !strings.Contains(rm, "A2 (open, owner Anna Keller, due 2025-01-31): Book the follow-up workshop") || !strings.Contains(rm, "A4 ") {
		t.Errorf("remarks: %s", rm)
	}
	out, err := Render("oscal-ar", in)
	if err != nil {
		t.Fatal(err)
	}
	for _, sv := range oscalSchemaVersions {
		if err := validateOSCAL(t, out, sv.file, sv.version); err != nil {
			t.Errorf("not valid OSCAL %s: %v", sv.version, err)
		}
	}
	walkOSCAL(t, "actions oscal-ar", out)
}

// The assessment results order the action plan once, however many risks
// carry its items: before, each risk of a control ordered the whole plan
// again to find that control's items (risks × items).
func TestOSCALOrdersThePlanOnce(t *testing.T) {
	in := actionsInput(t)
	risks := 0
	for _, g := range gather(in).review.Gaps {
		if g.Control != "" && g.Kind != model.GapUnanswered {
			risks++
		}
	}
	if risks < 3 {
		t.Fatalf("%d risks of a control: too few to tell", risks)
	}
	calls := 0
	defer func(f func([]model.ActionItem) []model.ActionItem) { actionsByDue = f }(actionsByDue)
	actionsByDue = func(items []model.ActionItem) []model.ActionItem {
		calls++
		return model.ActionsByDue(items)
	}
	out := mustRender(t, "oscal-ar", in)
	if calls != 1 {
		t.Errorf("the plan was ordered %d times for %d risks, want once", calls, risks)
	}
	if !strings.Contains(string(out), "Move RDS snapshots to a customer-managed KMS key") {
		t.Error("the assessment results lack REC-02's action item")
	}
}
