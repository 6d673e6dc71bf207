package report

import (
	"encoding/csv"
	"fmt"
	"html"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/stacks"
)

// findings lists, per control, every note, justification and piece of
// evidence the fixture's answers hold.
func findings(a model.Assessment) map[string][]string {
	out := map[string][]string{}
	for id, ans := range a.Answers {
		var texts []string
		for _, s := range []string{ans.Notes, ans.Justification} {
			if s != "" {
				texts = append(texts, s)
			}
		}
		for _, e := range ans.Evidence {
			for _, s := range []string{e.Title, e.DocumentID, e.Version, e.Date, e.Location} {
				if s != "" {
					texts = append(texts, s)
				}
			}
		}
		out[id] = texts
	}
	return out
}

var tagRE = regexp.MustCompile(`<[^>]*>`)

// TestReportsCarryEveryFinding: every note (several lines kept as lines),
// justification and evidence reference of an applicable control is in the
// Markdown, HTML and CSV reports.
func TestReportsCarryEveryFinding(t *testing.T) {
	in := fixtureInput(t)
	applicable := map[string]bool{}
	for _, r := range gather(in).rows {
		applicable[r.Ctrl.ID] = true
	}
	md, _ := Render("md", in)
	page, _ := Render("html", in)
	text := html.UnescapeString(tagRE.ReplaceAllString(string(page), ""))
	cells := csvCells(t, in)
	notes := 0
	for id, texts := range findings(in.Assessment) {
		if !applicable[id] {
			continue
		}
		for _, s := range texts {
			if !strings.Contains(string(md), mdInline(s)) {
				t.Errorf("md: %s's %q is missing", id, s)
			}
			if !strings.Contains(text, s) {
				t.Errorf("html: %s's %q is missing", id, s)
			}
			if !slices.ContainsFunc(cells[id], func(c string) bool { return strings.Contains(c, s) }) {
				t.Errorf("csv: %s's %q is not in its row", id, s)
			}
		}
		if ans := in.Assessment.Answers[id]; ans.Notes != "" {
			notes++
			if got := cells[id][slices.Index(csvHeader, "Notes")]; got != ans.Notes {
				t.Errorf("csv: %s's Notes cell is %q, want %q", id, got, ans.Notes)
			}
		}
	}
	if notes < 3 {
		t.Fatalf("the fixture has %d notes on applicable controls; the test needs several", notes)
	}
	// A note of several lines keeps its lines.
	if !strings.Contains(string(md), "Access reviews are quarterly.<br>Last review") {
		t.Error("md: the note's line break is lost")
	}
	if !strings.Contains(string(page), "Access reviews are quarterly.\nLast review") || !strings.Contains(htmlCSS, ".pre { white-space: pre-line") {
		t.Error("html: the note's line break is lost")
	}
}

// csvCells parses the CSV export into its rows by control id.
func csvCells(t *testing.T, in Input) map[string][]string {
	t.Helper()
	out, err := Render("csv", in)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(out), "\uFEFF"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(recs[0], csvHeader) {
		t.Fatalf("csv header %q", recs[0])
	}
	rows := map[string][]string{}
	for _, r := range recs[1:] {
		if r[0] == csvRecordsTitle { // the record inventory follows
			break
		}
		rows[r[0]] = r
	}
	return rows
}

// TestCSVIdentity: every row of the CSV names the assessment, its
// revision (the trail's last sequence number), the audit trail's head and
// the sign-off status.
func TestCSVIdentity(t *testing.T) {
	in := fixtureInput(t)
	want := map[string]string{
		"Assessment": in.Assessment.ID, "Revision": "40", "Audit trail head": model.Head(in.Trail),
		"Sign-off": "Anna Keller (System owner), 2025-03-12 16:00 UTC; signature: unsigned",
	}
	if n := len(in.Trail); n != 40 {
		t.Fatalf("the fixture's trail has %d entries", n)
	}
	rows := csvCells(t, in)
	for id, row := range rows {
		for col, w := range want {
			if got := row[slices.Index(csvHeader, col)]; got != w {
				t.Errorf("csv row %s: %s is %q, want %q", id, col, got, w)
			}
		}
	}
}

// TestHeadAndSignOffInEveryExport: the audit trail's head hash is in
// every export, and the sign-off status in every one that describes
// sign-offs (the JSON bundle carries the sign-off records themselves).
func TestHeadAndSignOffInEveryExport(t *testing.T) {
	in := fixtureInput(t)
	head := model.Head(in.Trail)
	for _, f := range Formats {
		out, err := Render(f.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(out), head) {
			t.Errorf("%s: the head hash %s is missing", f.ID, head)
		}
		if f.ID != "json" && !strings.Contains(string(out), "signature: unsigned") {
			t.Errorf("%s: the sign-off status is missing", f.ID)
		}
	}
}

func TestSignOffSummary(t *testing.T) {
	in := fixtureInput(t)
	in.Assessment.SignOffs = nil
	if got := gather(in).id.SignOff; got != "none" {
		t.Errorf("no sign-off: %q", got)
	}
	in.Assessment.SignOffs = []model.SignOff{
		{By: "Anna Keller", Role: "System owner", Meaning: "Approved", At: at(9, "16:00")},
		{By: "Jan Weber", Meaning: "QA approval", At: at(10, "09:15")},
	}
	if got, want := gather(in).id.SignOff, "2, latest Jan Weber, 2025-03-13 09:15 UTC; signature: unsigned"; got != want {
		t.Errorf("two sign-offs: %q, want %q", got, want)
	}
	in.Trail = nil
	id := gather(in).id
	if id.headText() != "none (no audit trail in this export)" || id.Revision != "" {
		t.Errorf("without a trail: head %q, revision %q", id.headText(), id.Revision)
	}
}

// TestMarkdownStacks: the Markdown report draws the stacks as Markdown
// tables made from the model's stacks: every service under its whole name,
// every layer under its whole name, each owner and override mark where the
// model puts it, the of/in-the-cloud rule under the last layer in the
// cloud, and no terminal drawing (no code block, no paging hints).
func TestMarkdownStacks(t *testing.T) {
	for name, in := range map[string]Input{"fixture": fixtureInput(t), "workshop": workshopInput(t)} {
		out, err := Render("md", in)
		if err != nil {
			t.Fatal(err)
		}
		md := string(out)
		if strings.Contains(md, "```") || strings.Contains(md, " of "+strconv.Itoa(len(in.Assessment.Services))+"\n") {
			t.Errorf("%s: the stacks are still a terminal drawing", name)
		}
		start := strings.Index(md, "## Responsibility stacks")
		sec := md[start : start+strings.Index(md[start:], "### Solution stack")]
		f := gather(in)
		seen := map[string]bool{}
		for _, tbl := range mdTables(sec) {
			head := tbl[0]
			for _, row := range tbl[1:] {
				if len(row) != len(head) {
					t.Fatalf("%s: a stack row with %d cells under %d headings: %q", name, len(row), len(head), row)
				}
			}
			for c, h := range head[1:] {
				st := stackNamed(f.stacks, h)
				if st == nil {
					t.Fatalf("%s: column %q is no selected service under its whole name", name, h)
				}
				seen[st.Service.ID] = true
				for i, l := range f.cat.Layers {
					row := tbl[1+i]
					if row[0] != mdInline(l.Name) {
						t.Fatalf("%s: row %d is %q, want the layer %q", name, i+1, row[0], l.Name)
					}
					want := st.Layers[i].Owner.Label()
					if m := stacks.Mark(st.Layers[i]); m != "" {
						want += " " + m
					}
					switch {
					case i == st.Line-1:
						want += "<br>" + mdRule
					case st.Line == 0 && i == 0:
						want = mdRule + "<br>" + want
					}
					if got := row[1+c]; got != want {
						t.Errorf("%s: %s · %s is %q, want %q", name, st.Service.Name, l.Name, got, want)
					}
				}
			}
		}
		if len(seen) != len(f.stacks) {
			t.Errorf("%s: %d of %d services drawn", name, len(seen), len(f.stacks))
		}
	}
}

// mdTables returns the Markdown tables in s, each as its rows of cells
// (the delimiter row left out).
func mdTables(s string) [][][]string {
	var out [][][]string
	var cur [][]string
	for _, l := range strings.Split(s, "\n") {
		if !strings.HasPrefix(l, "|") {
			if cur != nil {
				out = append(out, cur)
				cur = nil
			}
			continue
		}
		if strings.HasPrefix(l, "| --- |") {
			continue
		}
		var cells []string
		for _, c := range strings.Split(strings.Trim(l, "|"), " | ") {
			cells = append(cells, strings.TrimSpace(c))
		}
		cur = append(cur, cells)
	}
	if cur != nil {
		out = append(out, cur)
	}
	return out
}

// stackNamed finds the stack whose service a Markdown heading cell names:
// its whole name, a line break, its kind and line.
func stackNamed(all []model.ServiceStack, head string) *model.ServiceStack {
	for i, st := range all {
		if head == fmt.Sprintf("%s<br>%s, %d in the cloud", mdInline(st.Service.Name), st.Service.Model, st.Line) {
			return &all[i]
		}
	}
	return nil
}
