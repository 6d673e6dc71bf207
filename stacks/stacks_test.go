package stacks

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/onus-gxp/onus/model"
)

// layersAboveRule counts the layer rows drawn above the first full-width
// rule of a single-column drawing.
func layersAboveRule(t *testing.T, out string) int {
	t.Helper()
	n := 0
	for _, l := range strings.Split(out, "\n") {
		switch {
		case strings.HasPrefix(l, ruleCh):
			return n
		case strings.ContainsAny(l, "▓▒░") || strings.Contains(l, "··"):
			n++
		}
	}
	t.Fatalf("no rule in:\n%s", out)
	return 0
}

// The line sits exactly where the catalog puts it, in every view.
func TestLinePosition(t *testing.T) {
	cat := fixture()
	want := map[string]int{"ec2": 10, "rds": 8, "s3": 7, "eks": 10, "lambda": 8}
	ids := []string{"ec2", "rds", "s3", "eks", "lambda"}
	sts := stacksOf(t, cat, model.Select(ids...)...)
	for i, id := range ids {
		if sts[i].Line != want[id] {
			t.Fatalf("fixture: %s line %d, want %d", id, sts[i].Line, want[id])
		}
		for _, w := range []int{40, 80, 140} {
			if got := layersAboveRule(t, Service(sts[i], Options{Width: w, Theme: Plain()})); got != want[id] {
				t.Errorf("Service(%s) at %d: %d layers above the line, want %d", id, w, got, want[id])
			}
		}
		if got := layersAboveRule(t, Table(sts[i:i+1], Options{Width: 30, Theme: Plain()})); got != want[id] {
			t.Errorf("Table(%s): %d layers above the line, want %d", id, got, want[id])
		}
	}

	// Side by side: in each service's column, count layer cells above
	// that column's rule segment.
	out, shown := SideBySide(sts, Options{Width: 200, Theme: Plain()})
	if shown != len(ids) {
		t.Fatalf("shown %d of %d at 200 columns", shown, len(ids))
	}
	lines := strings.Split(out, "\n")
	head := []rune(lines[0])
	for _, id := range ids {
		name := ShortName(mustService(t, cat, id))
		x := strings.Index(string(head), name)
		if x < 0 {
			t.Fatalf("no header %q in %q", name, lines[0])
		}
		x = len([]rune(string(head)[:x])) // cells: the fixture is single-width
		above := 0
		for _, l := range lines[2:] {
			r := []rune(l)
			if x >= len(r) {
				continue
			}
			if string(r[x]) == ruleCh {
				break
			}
			if strings.ContainsRune("▓▒░", r[x]) {
				above++
			}
		}
		if above != want[id] {
			t.Errorf("side by side: %s column has %d layers above its line, want %d\n%s", id, above, want[id], out)
		}
	}

	sol := cat.SolutionStack(model.Select("rds", "s3"))
	if got := layersAboveRule(t, Solution(cat, sol, Options{Width: 80, Theme: Plain()})); got != 8 {
		t.Errorf("solution of RDS and S3: %d layers above the line, want 8", got)
	}
}

func mustService(t *testing.T, cat *model.Catalog, id string) model.Service {
	t.Helper()
	s, ok := cat.Service(id)
	if !ok {
		t.Fatalf("no service %s", id)
	}
	return s
}

func rowOf(out, layer string) string {
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, layer) {
			return l
		}
	}
	return ""
}

// An assessment's justified override changes the drawing, is marked apart
// from catalog overrides, and its justification is in the notes.
func TestAssessmentOverride(t *testing.T) {
	cat := fixture()
	const why = "We own the VPC endpoint policy that fronts every bucket."
	plain := Options{Width: 80, Theme: Plain(), Notes: true}
	def := Service(stacksOf(t, cat, model.SelectedService{ID: "s3"})[0], plain)
	sel := model.SelectedService{ID: "s3", Overrides: []model.ServiceOverride{
		{Layer: "network", Owner: model.OwnerCustomer, Justification: why},
	}}
	st := stacksOf(t, cat, sel)[0]
	got := Service(st, plain)
	if got == def {
		t.Fatal("the override did not change the drawing")
	}
	row := rowOf(got, "Network and firewall configuration")
	if !strings.Contains(row, "▓▓ Customer") || !strings.Contains(row, MarkAssessment) || strings.Contains(row, MarkCatalog) {
		t.Errorf("overridden row = %q, want the customer's with %s", row, MarkAssessment)
	}
	if !strings.Contains(rowOf(def, "Network and firewall configuration"), "░░ AWS") {
		t.Errorf("default row should be AWS's:\n%s", def)
	}
	if n := layersAboveRule(t, got); n != 8 {
		t.Errorf("the override should move S3's line to 8, got %d", n)
	}
	if !strings.Contains(got, MarkAssessment+" S3 · Network and firewall configuration → Customer (your assessment)") {
		t.Errorf("no note for the override:\n%s", got)
	}
	if !strings.Contains(strings.Join(strings.Fields(got), " "), why) {
		t.Errorf("the justification is not shown:\n%s", got)
	}

	// A catalog override is marked with the other mark and its reason.
	eks := Service(stacksOf(t, cat, model.SelectedService{ID: "eks"})[0], plain)
	if row := rowOf(eks, "Operating system and patching"); !strings.Contains(row, MarkCatalog) || strings.Contains(row, MarkAssessment) {
		t.Errorf("EKS os row = %q, want %s", row, MarkCatalog)
	}
	if !strings.Contains(eks, "(catalog)") || !strings.Contains(eks, "Worker nodes are EC2 instances") {
		t.Errorf("EKS notes missing:\n%s", eks)
	}

	// Side by side and in the control drill-down too.
	side, _ := SideBySide([]model.ServiceStack{st}, plain)
	if !strings.Contains(rowOf(side, "Network and firewall configuration"), MarkAssessment) || !strings.Contains(side, "(your assessment)") {
		t.Errorf("side by side lost the override:\n%s", side)
	}
	res := cat.PerService(model.Control{ID: "X", Layers: []string{"network"}}, []model.SelectedService{sel})
	ctl, _ := ControlLayers(cat, res, plain)
	if !strings.Contains(rowOf(ctl, "Network and firewall configuration"), MarkAssessment) || !strings.Contains(ctl, "(your assessment)") {
		t.Errorf("control drill-down lost the override:\n%s", ctl)
	}
}

// hostile is a catalog built to break layouts: very long and wide names,
// control characters, a service id longer than a column.
func hostile() *model.Catalog {
	cat := fixture()
	cat.Layers = append([]model.Layer(nil), cat.Layers...)
	cat.Layers[0].Name = strings.Repeat("Governance and quality management system oversight ", 5)
	cat.Layers[1].Name = "顧客データ 顧客データ 顧客データ 顧客データ 顧客データ"
	cat.Layers[2].Name = "Identity\x1b[31m and\ttabs\nand newlines"
	cat.Services = append(cat.Services,
		model.Service{ID: "verylongserviceidentifier", Name: "Amazon Very Long Service Name That Does Not Fit Anywhere", Model: model.ModelInfrastructure,
			Overrides: []model.LayerOverride{{Layer: "global", Owner: model.OwnerShared, Reason: strings.Repeat("Averyveryverylongwordwithoutanybreaks ", 4) + "\x1b]0;pwned\x07"}}},
		model.Service{ID: "wide", Name: "广域服务", Model: model.ModelContainer},
	)
	return cat
}

type render struct {
	name string
	fn   func(Options) string
}

func renders(t *testing.T, cat *model.Catalog) []render {
	ids := make([]string, len(cat.Services))
	for i, s := range cat.Services {
		ids[i] = s.ID
	}
	sels := model.Select(ids...)
	sels[0].Overrides = []model.ServiceOverride{{Layer: "foundation", Owner: model.OwnerShared, Justification: "Dedicated hosts under our own hardware tenancy contract."}}
	sts := stacksOf(t, cat, sels...)
	sol := cat.SolutionStack(sels)
	res := cat.PerService(model.Control{ID: "X", Layers: []string{"data", "iam", "os", "global"}}, sels)
	rs := []render{
		{"Solution", func(o Options) string { return Solution(cat, sol, o) }},
		{"SolutionNilCatalog", func(o Options) string { return Solution(nil, sol, o) }},
		{"Legend", Legend},
		{"Notes", func(o Options) string { return Notes(sts, o) }},
		{"Table", func(o Options) string { return Table(sts, o) }},
		{"ControlNone", func(o Options) string { s, _ := ControlLayers(cat, nil, o); return s }},
	}
	for i := range sts {
		rs = append(rs, render{"Service/" + ids[i], func(o Options) string { return Service(sts[i], o) }})
	}
	for off := range sts {
		rs = append(rs,
			render{fmt.Sprint("SideBySide/", off), func(o Options) string {
				o.Offset = off
				s, _ := SideBySide(sts, o)
				return s
			}},
			render{fmt.Sprint("ControlLayers/", off), func(o Options) string {
				o.Offset = off
				s, _ := ControlLayers(cat, res, o)
				return s
			}},
		)
	}
	return rs
}

// No line of any output is wider than the width asked for.
func TestWidths(t *testing.T) {
	for _, cat := range []*model.Catalog{fixture(), hostile()} {
		for _, r := range renders(t, cat) {
			for _, th := range themes {
				for w := 20; w <= 300; w++ {
					o := Options{Width: w, Theme: th.theme(), Legend: true, Notes: true}
					out := r.fn(o)
					for i, l := range strings.Split(out, "\n") {
						if got := ansi.StringWidth(l); got > w {
							t.Fatalf("%s/%s at width %d: line %d is %d cells:\n%q", r.name, th.name, w, i, got, ansi.Strip(l))
						}
					}
				}
			}
		}
	}
}

// Narrower than anyone should ask still must not panic.
func TestTinyWidths(t *testing.T) {
	for _, r := range renders(t, hostile()) {
		for w := -1; w < 20; w++ {
			_ = r.fn(Options{Width: w, Theme: Colour(false), Legend: true, Notes: true})
		}
	}
}

// Catalog text is sanitised: no escape sequence from the catalog reaches
// the terminal.
func TestSanitised(t *testing.T) {
	for _, r := range renders(t, hostile()) {
		out := r.fn(Options{Width: 120, Theme: Plain(), Legend: true, Notes: true})
		if strings.ContainsAny(out, "\x1b\x07\t") {
			t.Errorf("%s leaks control characters: %q", r.name, out)
		}
	}
}

// Paging walks every service exactly once, at least three at a time at 80
// columns, and says where it is.
func TestPaging(t *testing.T) {
	cat := fixture()
	var sels []model.SelectedService
	for range 3 {
		sels = append(sels, model.Select("ec2", "rds", "s3", "eks", "lambda")...)
	}
	sts := stacksOf(t, cat, sels[:7]...)
	for _, w := range []int{36, 60, 80, 100, 140, 200} {
		seen := 0
		for off := 0; off < len(sts); {
			out, shown := SideBySide(sts, Options{Width: w, Offset: off, Theme: Plain()})
			if shown < 1 {
				t.Fatalf("width %d offset %d: nothing shown", w, off)
			}
			if w >= 80 && shown < min(3, len(sts)-off) {
				t.Errorf("width %d: only %d services fit", w, shown)
			}
			if shown < len(sts) && !strings.Contains(out, Pager(off, shown, len(sts))) {
				t.Errorf("width %d offset %d: no pager in\n%s", w, off, out)
			}
			seen += shown
			off += shown
		}
		if seen != len(sts) {
			t.Errorf("width %d: paged over %d of %d services", w, seen, len(sts))
		}
	}
	if got := Pager(3, 3, 7); got != "◀ services 4–6 of 7 ▶" {
		t.Errorf("Pager(3,3,7) = %q", got)
	}
	if got := Pager(0, 3, 3); got != "services 1–3 of 3" {
		t.Errorf("Pager(0,3,3) = %q", got)
	}
	// An offset past the end still draws the last service.
	if _, shown := SideBySide(sts, Options{Width: 80, Offset: 99, Theme: Plain()}); shown != 1 {
		t.Errorf("offset past the end shows %d", shown)
	}
}

func TestCauses(t *testing.T) {
	cat := fixture()
	ids := []string{"ec2", "rds", "s3", "eks", "lambda"}
	for _, tc := range []struct {
		w    int
		want string
	}{
		{100, "EC2, RDS, S3, EKS, Lambda"},
		{25, "EC2, RDS, S3, EKS, Lambda"},
		{24, "EC2, RDS, S3 +2 more"},
		{12, "EC2 +4 more"},
		{7, "+5 more"},
		{6, ""},
	} {
		if got := causes(serviceNames(cat), ids, tc.w); got != tc.want {
			t.Errorf("causes at %d = %q, want %q", tc.w, got, tc.want)
		}
	}
}

func TestShortName(t *testing.T) {
	for _, tc := range []struct {
		svc  model.Service
		want string
	}{
		{model.Service{ID: "ec2", Name: "Amazon EC2"}, "EC2"},
		{model.Service{ID: "lambda", Name: "AWS Lambda"}, "Lambda"},
		{model.Service{ID: "eks", Name: "Amazon Elastic Kubernetes Service"}, "EKS"},
		{model.Service{ID: "elasticbeanstalk", Name: "AWS Elastic Beanstalk"}, "Elastic Bea…"},
		{model.Service{ID: "x"}, "X"},
	} {
		if got := ShortName(tc.svc); got != tc.want {
			t.Errorf("ShortName(%s) = %q, want %q", tc.svc.ID, got, tc.want)
		}
	}
}

// A layer the service does not have is drawn as n/a with the catalog's
// mark and reason, never as an owner, and the line falls above it.
func TestMissingLayerDrawnAsNotApplicable(t *testing.T) {
	cat := fixture()
	plain := Options{Width: 100, Theme: Plain(), Notes: true, Legend: true}
	st := stacksOf(t, cat, model.SelectedService{ID: "vpc"})[0]
	out := Service(st, plain)
	for _, layer := range []string{"Applications and platform", "Operating system and patching"} {
		if row := rowOf(out, layer); !strings.Contains(row, "·· n/a"+MarkCatalog) || strings.ContainsAny(row, "▓▒░") {
			t.Errorf("%s row = %q, want ·· n/a with %s", layer, row, MarkCatalog)
		}
	}
	if !strings.Contains(out, MarkCatalog+" VPC · Operating system and patching → n/a (catalog)") || !strings.Contains(out, "A network has no operating system.") {
		t.Errorf("no note for the missing layer:\n%s", out)
	}
	if !strings.Contains(out, "·· n/a       the service has no such layer") {
		t.Errorf("the legend does not explain n/a:\n%s", out)
	}
	if n := layersAboveRule(t, out); n != 8 {
		t.Errorf("VPC's line after %d layers, want 8 (below the network)", n)
	}
	sol := Solution(cat, cat.SolutionStack(model.Select("vpc")), plain)
	if row := rowOf(sol, "Operating system and patching"); !strings.Contains(row, "·· n/a") {
		t.Errorf("solution of a VPC alone: os row %q", row)
	}
	res := cat.PerService(model.Control{ID: "X", Layers: []string{"os"}}, model.Select("ec2", "vpc"))
	ctl, _ := ControlLayers(cat, res, plain)
	if row := rowOf(ctl, "responsibility"); !strings.Contains(row, "▓▓ Customer") || !strings.Contains(row, "·· n/a") {
		t.Errorf("control drill-down: responsibility row %q, want EC2 customer and VPC n/a", row)
	}
}

// Each service's heading carries its GAMP 5 category; one the assessment
// chose is marked as its overrides are, and its justification is in the
// notes, in every form of the drawing.
func TestGAMPCategoryInHeadings(t *testing.T) {
	cat := fixture()
	const why = "Custom dashboards built on the bucket's data."
	sel := model.SelectedService{ID: "s3", GAMP: &model.GAMPOverride{Category: model.GAMPCustom, Justification: why}}
	sts := stacksOf(t, cat, model.SelectedService{ID: "ec2"}, sel)
	plain := Options{Width: 100, Theme: Plain(), Notes: true}
	one := Service(sts[1], plain)
	if head := strings.SplitN(one, "\n", 2)[0]; !strings.HasSuffix(head, "abstracted · GAMP 5"+MarkAssessment) {
		t.Errorf("heading %q", head)
	}
	side, _ := SideBySide(sts, plain)
	gampRow := strings.Split(side, "\n")[2]
	if !strings.Contains(gampRow, "GAMP 1") || !strings.Contains(gampRow, "GAMP 5"+MarkAssessment) {
		t.Errorf("side by side: the GAMP row is %q", gampRow)
	}
	narrow := Table(sts, Options{Width: 70, Theme: Plain(), Notes: true})
	for name, out := range map[string]string{"service": one, "side by side": side, "compact": narrow} {
		if !strings.Contains(out, MarkAssessment+" S3 · Category 5: custom application (your assessment)") ||
			!strings.Contains(strings.Join(strings.Fields(out), " "), why) {
			t.Errorf("%s: no note for the GAMP category:\n%s", name, out)
		}
	}
	if strings.Contains(Service(sts[0], plain), MarkAssessment) {
		t.Error("the catalog's category is marked as the assessment's")
	}
}
