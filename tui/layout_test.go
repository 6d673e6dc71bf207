package tui

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/onus-gxp/onus/model"
)

// The question's detail scrolls at 80x24 and says where it is: what does
// not fit (the guidance) is reached with J.
func TestQuestionDetailScrolls(t *testing.T) {
	h := newHarness(t, 80, 24)
	h.workshop()
	v := h.view()
	if strings.Contains(v, "Good evidence") || !strings.Contains(v, "J/K scroll") {
		t.Fatalf("at 80x24 the guidance should be below, with a position shown:\n%s", v)
	}
	for range 20 {
		h.press("J")
	}
	if v := h.view(); !strings.Contains(v, "Good evidence") || !strings.Contains(v, "lines ") {
		t.Fatalf("J did not reach the guidance:\n%s", v)
	}
	h.press("j")
	if h.m.questions.scroll != 0 {
		t.Fatal("the next question starts scrolled")
	}
}

// The stacks keep their column headings on screen while the layers
// scroll under them.
func TestStacksHeadingsStay(t *testing.T) {
	h := newHarness(t, 80, 24)
	h.workshop()
	h.press("v", "G")
	v := h.view()
	if h.m.stacksV.scroll == 0 || !strings.Contains(v, "EC2") || !strings.Contains(v, "infra.") || strings.Contains(v, "Governance, risk") {
		t.Fatalf("scrolled stacks, scroll %d:\n%s", h.m.stacksV.scroll, v)
	}
}

var (
	gapRow   = regexp.MustCompile(`^[ ▸] [▲■▽] `)
	fieldGap = regexp.MustCompile(`  +`)
)

// The review's gap rows are aligned: the control's id, its title, start
// in the same column on every row, whatever the kind of gap.
func TestReviewGapsAligned(t *testing.T) {
	h := newHarness(t, 140, 45)
	h.workshop()
	h.press("1", "j", "4", "j", "2", "tab", "G") // the last page: reports as well as controls
	idCols, titleCols := map[int]bool{}, map[int]bool{}
	rows, reports := 0, 0
	for _, l := range strings.Split(h.view(), "\n") {
		if !gapRow.MatchString(l) {
			continue
		}
		rows++
		if strings.Contains(l, "AWS report absent") {
			reports++
		}
		// Fields are two spaces or more apart: risk, kind, id, title.
		starts := []int{}
		for _, loc := range fieldGap.FindAllStringIndex(l[len("  "):], -1) {
			starts = append(starts, ansi.StringWidth(l[:len("  ")+loc[1]]))
		}
		if len(starts) < 3 {
			t.Fatalf("gap row %q", l)
		}
		idCols[starts[1]] = true
		titleCols[starts[2]] = true
	}
	if rows < 5 || reports == 0 || len(idCols) != 1 || len(titleCols) != 1 {
		t.Fatalf("in %d gap rows the ids start in columns %v, the titles in %v:\n%s", rows, idCols, titleCols, h.view())
	}
}

// The supplier table: the reason a report is stale is never cut (in the
// row when it fits, under the table always), and ISO/IEC 27017 and 27018
// read differently, at every size.
func TestSupplierTableTellsRowsApart(t *testing.T) {
	for _, size := range goldenSizes {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			h := newHarness(t, size[0], size[1])
			h.newAssessment("LIMS")
			h.tabTo("Supplier")
			h.press("enter", "down", "down")
			h.typeText("2025-03-31")
			h.press("enter")
			v := h.view()
			if !strings.Contains(v, "⚠ STALE: superseded: the next report was due by 2025-11-14") {
				t.Fatalf("the stale reason is cut:\n%s", v)
			}
			var a, b string
			for _, l := range strings.Split(v, "\n") {
				if strings.Contains(l, "27017") {
					a = l
				}
				if strings.Contains(l, "27018") {
					b = l
				}
			}
			if a == "" || b == "" {
				t.Fatalf("27017 or 27018 not told apart:\n%s", v)
			}
		})
	}
}

// A wide screen gives the question list's extra width to the titles.
func TestWideListsShowTitles(t *testing.T) {
	const title = "GOV-03 Training of people who build, run and use the system"
	h := newHarness(t, 100, 30)
	h.workshop()
	if strings.Contains(h.view(), title) {
		t.Fatal("at 100 columns the title fits: the test proves nothing")
	}
	h.send(resize(200, 50))
	if !strings.Contains(h.view(), title) {
		t.Fatalf("at 200 columns the title is still cut:\n%s", h.view())
	}
}

// Every screen fits at every golden size, and shows where it is when a
// list is longer than the screen.
func TestListsShowTheirPosition(t *testing.T) {
	h := newHarness(t, 80, 24)
	h.workshop()
	h.press("tab")
	if !strings.Contains(h.view(), "gaps 1–") {
		t.Fatalf("the gaps do not say where they are:\n%s", h.view())
	}
	h.press("shift+tab", "shift+tab")
	if !strings.Contains(h.view(), "1 of 116") {
		t.Fatalf("the services do not say where they are:\n%s", h.view())
	}
}

// The services list: under the group headings each name has the row's
// room (the heading names the model); filtered, without headings, every
// model sits in one column, whatever its length.
func TestServiceNamesLineUp(t *testing.T) {
	h := newHarness(t, 100, 30)
	h.newAssessment("LIMS")
	h.tabTo("Services")
	if v := h.view(); !strings.Contains(v, "AWS Transit Gateway ") || strings.Contains(v, "Amazon EC2      infrastructure") {
		t.Fatalf("grouped, the names are cut for a model column the heading already gives:\n%s", v)
	}
	h.press("/")
	h.typeText("amazon")
	tagCols, models := map[int]bool{}, map[string]bool{}
	for _, l := range strings.Split(h.view(), "\n") {
		left := ansi.Strip(l)
		if !strings.Contains(left, "] ") {
			continue
		}
		left = string([]rune(left)[:min(len([]rune(left)), 48)])
		for _, m := range []string{"infrastructure", "container", "abstracted"} {
			if i := strings.Index(left, " "+m); i >= 0 {
				tagCols[ansi.StringWidth(left[:i])] = true
				models[m] = true
			}
		}
	}
	if len(models) < 2 || len(tagCols) != 1 {
		t.Fatalf("filtered, %d models in columns %v:\n%s", len(models), tagCols, h.view())
	}
}

// The trail's detail shows an entry's values whole, cut into lines as
// wide as the screen, when the list leaves the room; with no room, a line
// each, as before.
func TestTrailDetailShowsWholeValues(t *testing.T) {
	h := newHarness(t, 100, 30)
	h.workshop()
	h.press("5")
	h.typeText("Covered by the corporate quality manual QM-001, section 4, which names AWS as a supplier END")
	h.press("enter", "t")
	v := h.view()
	whole := `"justification":"Covered by the corporate quality manual QM-001, section 4, which names AWS as a supplier END","updated_at":"2026-11-20T10:31:49Z","updated_by":"tester"}`
	if !strings.Contains(strings.ReplaceAll(v, "\n", ""), whole) {
		t.Fatalf("the new value is cut:\n%s", v)
	}
}

// A reason or a value that holds a newline cannot draw a line of the
// trail's detail that looks like another field.
func TestTrailDetailKeepsFieldsOnTheirLines(t *testing.T) {
	h := newHarness(t, 80, 24)
	e := model.AuditEntry{Seq: 3, Action: "answer", Target: "answer/GOV-01", Actor: "tester",
		Reason: "CAPA-7\nnew: {\"status\":\"implemented\"}", New: []byte("{\"notes\":\"ok\nhash 0000\"}")}
	for _, l := range h.m.trail.detail(h.m, e, 80, 20) {
		l = ansi.Strip(l)
		if strings.HasPrefix(l, "new: {\"status\"") || strings.HasPrefix(l, "hash 0000") {
			t.Errorf("a newline drew a field's line: %q", l)
		}
	}
}
