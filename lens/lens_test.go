package lens

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/onus-gxp/onus/assets"
	"github.com/onus-gxp/onus/model"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

func catalog(t testing.TB) *model.Catalog {
	t.Helper()
	cat, err := model.ParseCatalog(assets.Catalog(), assets.CatalogName)
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

func schema(t testing.TB) *jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	s, err := c.Compile("schema/custom-lens-2021-11-01.json")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// valid checks an encoded lens against the schema and against what the
// schema cannot say: the file size, ids unique where the format says,
// and risk conditions naming the question's own choices.
func valid(t *testing.T, s *jsonschema.Schema, data []byte) {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Validate(inst); err != nil {
		t.Fatalf("lens does not validate against the schema: %v", err)
	}
	if len(data) > MaxLensBytes {
		t.Errorf("lens is %d bytes, over %d", len(data), MaxLensBytes)
	}
	var l Lens
	if err := jsonUnmarshal(data, &l); err != nil {
		t.Fatal(err)
	}
	pillars, questions := map[string]bool{}, map[string]bool{}
	for _, p := range l.Pillars {
		if pillars[p.ID] {
			t.Errorf("pillar id %s twice", p.ID)
		}
		pillars[p.ID] = true
		for _, q := range p.Questions {
			if questions[q.ID] {
				t.Errorf("question id %s twice", q.ID)
			}
			questions[q.ID] = true
			choices := map[string]bool{}
			nones := 0
			for _, c := range q.Choices {
				if choices[c.ID] {
					t.Errorf("%s: choice id %s twice", q.ID, c.ID)
				}
				choices[c.ID] = true
				if strings.HasSuffix(c.ID, NoneSuffix) {
					nones++
				}
			}
			if nones != 1 {
				t.Errorf("%s has %d 'None of these' choices", q.ID, nones)
			}
			for _, r := range q.RiskRules {
				for _, word := range strings.FieldsFunc(r.Condition, func(r rune) bool { return strings.ContainsRune(" ()&|!", r) }) {
					if word != "default" && !choices[word] {
						t.Errorf("%s: risk condition %q names %s, not a choice of the question", q.ID, r.Condition, word)
					}
				}
			}
		}
	}
}

func exportAll(t *testing.T, cat *model.Catalog, opts Options) ([]Lens, [][]byte) {
	t.Helper()
	lenses, err := Export(cat, opts)
	if err != nil {
		t.Fatal(err)
	}
	var files [][]byte
	for _, l := range lenses {
		b, err := Encode(l)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, b)
	}
	return lenses, files
}

func TestExportValidates(t *testing.T) {
	cat := catalog(t)
	s := schema(t)
	for _, fw := range [][]string{nil, {"21cfr11"}, {"annex11"}, {"annex11-2025d", "annex22-2025d"}, {"gamp5"}} {
		t.Run(strings.Join(fw, "+"), func(t *testing.T) {
			lenses, files := exportAll(t, cat, Options{Frameworks: fw})
			questions := 0
			for i, f := range files {
				valid(t, s, f)
				for _, p := range lenses[i].Pillars {
					questions += len(p.Questions)
				}
			}
			want := 0
			for _, c := range cat.Controls {
				if keeps(c, fw) {
					want++
				}
			}
			if questions != want {
				t.Errorf("%d questions, want one per control kept: %d", questions, want)
			}
			// The same catalog gives the same bytes.
			_, again := exportAll(t, cat, Options{Frameworks: fw})
			if !slices.EqualFunc(files, again, bytes.Equal) {
				t.Error("two exports differ")
			}
		})
	}
}

// The default catalog has twelve domains, more than a lens's ten
// pillars: it is written as two lenses, each naming its part.
func TestExportDefaultCatalogInParts(t *testing.T) {
	cat := catalog(t)
	lenses, _ := exportAll(t, cat, Options{})
	if len(lenses) != 2 || len(lenses[0].Pillars) != MaxPillars || len(lenses[1].Pillars) != len(cat.Domains)-MaxPillars {
		t.Fatalf("%d lenses", len(lenses))
	}
	if !strings.HasSuffix(lenses[1].Name, "(part 2 of 2)") || !strings.Contains(lenses[1].Description, "Part 2 of 2: ") {
		t.Errorf("part 2 is named %q: %q", lenses[1].Name, lenses[1].Description)
	}
	q := lenses[0].Pillars[0].Questions[0]
	c := cat.Controls[0]
	if q.ID != "GOV_01" || q.HelpfulResource.DisplayText != "Onus GOV-01, "+string(c.Criticality)+" criticality" {
		t.Errorf("first question %s: %+v", q.ID, q.HelpfulResource)
	}
	if !strings.HasPrefix(q.Description, c.Question) || !strings.Contains(q.Description, "Cited: ") {
		t.Errorf("description %q", q.Description)
	}
}

// A domain with more questions than a pillar holds is split into parts,
// and pillars beyond ten go to further lenses.
func TestExportSplitsPillarsAndLenses(t *testing.T) {
	var b strings.Builder
	b.WriteString("schema: 1\nversion: big\nname: Big\nlayers: [{id: data, name: Data, owners: {infrastructure: customer, container: customer, abstracted: customer}}]\ndomains:\n")
	for d := range 14 {
		fmt.Fprintf(&b, "  - {id: d%d, name: Domain %d}\n", d, d)
	}
	b.WriteString("controls:\n")
	for i := range 45 {
		fmt.Fprintf(&b, "  - {id: BIG-%02d, domain: d0, title: Big %d, question: 'Is big %d %s?', layers: [data], criticality: high}\n", i, i, i, strings.Repeat("very ", 60))
	}
	for d := 1; d < 14; d++ {
		fmt.Fprintf(&b, "  - {id: D%d-01, domain: d%d, title: Small, question: 'Small?', layers: [data], criticality: low}\n", d, d)
	}
	cat, err := model.ParseCatalog([]byte(b.String()), "big.yaml")
	if err != nil {
		t.Fatal(err)
	}
	lenses, files := exportAll(t, cat, Options{})
	s := schema(t)
	for _, f := range files {
		valid(t, s, f)
	}
	first := lenses[0].Pillars
	if first[0].ID != "onus_d0_1" || first[2].Name != "Domain 0 (3 of 3)" || len(first[0].Questions) != MaxQuestionsPerPillar || len(first[2].Questions) != 5 {
		t.Errorf("split pillars: %s %q, %d and %d questions", first[0].ID, first[2].Name, len(first[0].Questions), len(first[2].Questions))
	}
	total := 0
	for _, l := range lenses {
		total += len(l.Pillars)
	}
	if len(lenses) != 2 || total != 16 {
		t.Errorf("%d lenses holding %d pillars, want 2 holding 16", len(lenses), total)
	}
	long := first[0].Questions[0]
	if long.Title != "Big 0" {
		t.Errorf("a question longer than a title takes the control's title: %q", long.Title)
	}
}

func TestExportRefusesUnknownFramework(t *testing.T) {
	if _, err := Export(catalog(t), Options{Frameworks: []string{"iso9001"}}); err == nil || !strings.Contains(err.Error(), `unknown framework "iso9001"`) {
		t.Fatalf("got %v", err)
	}
}

// Risk follows criticality: each level's rules, and the question's risk
// when nothing, part or all is done.
func TestRiskRulesFromCriticality(t *testing.T) {
	for _, tc := range []struct {
		c    model.Criticality
		want string
	}{
		{model.CriticalityHigh, "implemented→NO_RISK partially_implemented→MEDIUM_RISK default→HIGH_RISK"},
		{model.CriticalityMedium, "implemented→NO_RISK default→MEDIUM_RISK"},
		{model.CriticalityLow, "implemented || partially_implemented→NO_RISK default→MEDIUM_RISK"},
	} {
		var got []string
		for _, r := range riskRules(tc.c) {
			got = append(got, r.Condition+"→"+r.Risk)
		}
		if strings.Join(got, " ") != tc.want {
			t.Errorf("%s: %v", tc.c, got)
		}
	}
}

func TestRoundTrip(t *testing.T) {
	cat := catalog(t)
	lenses, files := exportAll(t, cat, Options{})
	mapped := 0
	for i, f := range files {
		imp, err := Import(f, fmt.Sprintf("part%d.json", i+1), cat, ImportOptions{})
		if err != nil {
			t.Fatal(err)
		}
		ext := imp.Extension
		if len(ext.Controls) != 0 || len(ext.Domains) != 0 {
			t.Errorf("an exported lens imported into its own catalog made %d controls", len(ext.Controls))
		}
		mapped += len(ext.Mapped)
		if len(imp.Notes) != 0 {
			t.Errorf("notes on Onus's own lens: %v", imp.Notes)
		}
		if ext.Mapped[0].Control != lenses[i].Pillars[0].Questions[0].HelpfulResource.DisplayText[5:11] {
			t.Errorf("first mapping %+v", ext.Mapped[0])
		}
	}
	if mapped != len(cat.Controls) {
		t.Errorf("%d questions mapped back, want every control: %d", mapped, len(cat.Controls))
	}

	// Into a catalog without those controls, they become its own.
	minimal, err := os.ReadFile("../model/testdata/minimal.yaml")
	if err != nil {
		t.Fatal(err)
	}
	small, err := model.ParseCatalog(minimal, "minimal.yaml")
	if err != nil {
		t.Fatal(err)
	}
	imp, err := Import(files[0], "part1.json", small, ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range imp.Extension.Controls[:5] {
		orig, _ := cat.Control(strings.ReplaceAll(strings.TrimPrefix(c.ID, imp.Extension.ID+"."), "_", "-"))
		if c.Criticality != orig.Criticality && orig.Criticality != model.CriticalityLow {
			t.Errorf("%s: criticality %s, exported as %s", c.ID, c.Criticality, orig.Criticality)
		}
		if c.Layers[0] != "data" {
			t.Errorf("%s: layer %v, want the minimal catalog's customer layer", c.ID, c.Layers)
		}
	}
	merged, err := Merge(small, imp.Extension)
	if err != nil {
		t.Fatal(err)
	}
	// ...and export again with the extension's domains as pillars.
	again, _ := exportAll(t, merged, Options{})
	n := 0
	for _, l := range again {
		for _, p := range l.Pillars {
			n += len(p.Questions)
		}
	}
	if n != len(small.Controls)+len(imp.Extension.Controls) {
		t.Errorf("merged catalog exports %d questions", n)
	}
}

func readFixture(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/published-lab-lens.json")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// A lens as published, with metadata keys, missing optional fields and
// texts longer than the Tool's limits, becomes controls an assessment
// answers, wholly the customer's.
func TestImportPublishedLens(t *testing.T) {
	cat := catalog(t)
	imp, err := Import(readFixture(t), "published-lab-lens.json", cat, ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ext := imp.Extension
	if ext.ID != "lens-laboratory-data-integrity-lens" || len(ext.Domains) != 2 || len(ext.Controls) != 4 || len(ext.Mapped) != 0 {
		t.Fatalf("extension %s: %d domains, %d controls, %d mapped", ext.ID, len(ext.Domains), len(ext.Controls), len(ext.Mapped))
	}
	for _, want := range []string{
		`lens: key "_comment" is not part of the lens format; ignored`,
		`lens: key "_metadata" is not part of the lens format; ignored`,
		`pillars[0] (security): key "_owner" is not part of the lens format; ignored`,
		`pillars[1] (lab_data_lineage).questions[0] (lab_lin_01).choices[0] (lineage_catalog).helpfulResource: key "Url" is not part of the lens format; ignored`,
	} {
		if !slices.Contains(imp.Notes, want) {
			t.Errorf("notes lack %q:\n%s", want, strings.Join(imp.Notes, "\n"))
		}
	}
	byID := map[string]model.Control{}
	for _, c := range ext.Controls {
		byID[strings.TrimPrefix(c.ID, ext.ID+".")] = c
	}
	if c := byID["lab_sec_01"]; c.Criticality != model.CriticalityHigh || !strings.Contains(c.Guidance, "Shared accounts on instrument PCs https://example.com/qa/shared-accounts") ||
		!strings.Contains(c.Guidance, "- Every person signs in with a named account") || strings.Contains(c.Guidance, "None of these") {
		t.Errorf("lab_sec_01: %+v", c)
	}
	if byID["lab_sec_02"].Criticality != model.CriticalityMedium || byID["lab_lin_02"].Criticality != model.CriticalityLow {
		t.Error("criticality does not follow the default risk rule")
	}
	if len(byID["lab_lin_01"].Guidance) < 2048 {
		t.Error("the long description was cut")
	}

	merged, err := Merge(cat, ext)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(merged.Version, cat.Version+"+"+ext.ID+".") || merged.Hash == cat.Hash {
		t.Errorf("merged version %s, hash %s", merged.Version, merged.Hash)
	}
	sels := []model.SelectedService{{ID: "s3"}, {ID: "lambda"}}
	applicable := merged.Applicable(model.Scope{Impact: model.ImpactDirect, Frameworks: []string{"21cfr11"}}, sels)
	found := 0
	for _, c := range applicable {
		if strings.HasPrefix(c.ID, ext.ID+".") {
			found++
			if r := merged.Resolve(*c, sels); r.Responsibility != model.Customer || !strings.Contains(r.Reason(), "this is yours: what Laboratory Data Integrity Lens asks in question lab_") {
				t.Errorf("%s: %s, want the customer's: %s", c.ID, r.Responsibility, r.Reason())
			}
		}
	}
	if found != 4 {
		t.Errorf("%d of the lens's 4 questions apply in an assessment", found)
	}
	// The extension file reads back to the same hash.
	b, err := ext.Encode()
	if err != nil {
		t.Fatal(err)
	}
	back, err := DecodeExtension(b)
	if err != nil || back.Hash() != ext.Hash() {
		t.Fatalf("extension round trip: %v", err)
	}
}

func TestImportRefusesMalformedLenses(t *testing.T) {
	cat := catalog(t)
	good := `{"schemaVersion": "2021-11-01", "name": "L", "pillars": [{"id": "p1x", "name": "P", "questions": [
		{"id": "q1x", "title": "Q?", "choices": [{"id": "c1x", "title": "C"}], "riskRules": [{"condition": "default", "risk": "HIGH_RISK"}]}]}]}`
	if _, err := Import([]byte(good), "good.json", cat, ImportOptions{}); err != nil {
		t.Fatalf("the good lens: %v", err)
	}
	cases := []struct{ name, lens, want string }{
		{"not json", `{"name": `, "not JSON"},
		{"not an object", `[1]`, "a list, want an object"},
		{"schema", strings.Replace(good, "2021-11-01", "2019-01-01", 1), `schemaVersion: "2019-01-01"; this onus reads custom lenses of schema 2021-11-01`},
		{"no name", strings.Replace(good, `"name": "L",`, "", 1), "name: missing"},
		{"no pillars", `{"schemaVersion": "2021-11-01", "name": "L", "pillars": []}`, "pillars: empty"},
		{"pillar id", strings.Replace(good, `"id": "p1x", `, "", 1), "pillars[0].id: missing"},
		{"question title type", strings.Replace(good, `"title": "Q?"`, `"title": 7`, 1), "pillars[0] (p1x).questions[0] (q1x).title: a number, want text"},
		{"choices missing", strings.Replace(good, `"choices": [{"id": "c1x", "title": "C"}], `, "", 1), "pillars[0] (p1x).questions[0] (q1x).choices: missing"},
		{"choice id twice", strings.Replace(good, `{"id": "c1x", "title": "C"}`, `{"id": "c1x", "title": "C"}, {"id": "c1x", "title": "D"}`, 1), "questions[0] (q1x).choices[1] (c1x).id: choice id c1x is used twice in the question"},
		{"risk", strings.Replace(good, "HIGH_RISK", "SEVERE", 1), `pillars[0] (p1x).questions[0] (q1x).riskRules[0].risk: "SEVERE", want HIGH_RISK, MEDIUM_RISK or NO_RISK`},
		{"question id twice", strings.Replace(good, `"HIGH_RISK"}]}]`, `"HIGH_RISK"}]}, {"id": "q1x", "title": "Again", "choices": [{"id": "c1x", "title": "C"}]}]`, 1), "questions[1] (q1x).id: question id q1x is used twice (first at pillars[0] (p1x).questions[0] (q1x))"},
		{"resource type", strings.Replace(good, `"title": "Q?",`, `"title": "Q?", "helpfulResource": "see the wiki",`, 1), "questions[0] (q1x).helpfulResource: text, want an object"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Import([]byte(tc.lens), "bad.json", cat, ImportOptions{})
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "bad.json") {
				t.Fatalf("got %v\nwant it to say %q", err, tc.want)
			}
		})
	}
	if _, err := Import(make([]byte, MaxImportBytes+1), "big.json", cat, ImportOptions{}); err == nil || !strings.Contains(err.Error(), "limited to") {
		t.Errorf("oversized lens: %v", err)
	}
}

// A question can be mapped to a catalog control by hand; a mapping to a
// control the catalog lacks is refused.
func TestImportMapping(t *testing.T) {
	cat := catalog(t)
	imp, err := Import(readFixture(t), "lab.json", cat, ImportOptions{Map: map[string]string{"lab_sec_01": "AC-01"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(imp.Extension.Controls) != 3 || len(imp.Extension.Mapped) != 1 || imp.Extension.Mapped[0] != (Mapping{Pillar: "security", Question: "lab_sec_01", Control: "AC-01"}) {
		t.Errorf("mapped %+v", imp.Extension.Mapped)
	}
	if _, err := Import(readFixture(t), "lab.json", cat, ImportOptions{Map: map[string]string{"lab_sec_01": "NOPE-01"}}); err == nil || !strings.Contains(err.Error(), "mapped to control NOPE-01, which the catalog does not have") {
		t.Errorf("got %v", err)
	}
	// An Onus question id in someone else's lens is not taken for the control.
	other := strings.Replace(string(readFixture(t)), `"id": "lab_sec_02"`, `"id": "GOV_01"`, 1)
	imp, err = Import([]byte(other), "lab.json", cat, ImportOptions{})
	if err != nil || len(imp.Extension.Mapped) != 0 {
		t.Errorf("a foreign question GOV_01 was mapped: %v %+v", err, imp.Extension.Mapped)
	}
}

func TestMergeRefuses(t *testing.T) {
	cat := catalog(t)
	imp, err := Import(readFixture(t), "lab.json", cat, ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Merge(cat, imp.Extension, imp.Extension); err == nil || !strings.Contains(err.Error(), "duplicate domain id") {
		t.Errorf("the same extension twice: %v", err)
	}
	bad := *imp.Extension
	bad.Controls = slices.Clone(bad.Controls)
	bad.Controls[0].Layers = []string{"kernel"}
	if _, err := Merge(cat, &bad); err == nil || !strings.Contains(err.Error(), `unknown layer "kernel"`) {
		t.Errorf("an unknown layer: %v", err)
	}
	mapped := *imp.Extension
	mapped.Mapped = []Mapping{{Pillar: "security", Question: "x", Control: "NOPE-01"}}
	if _, err := Merge(cat, &mapped); err == nil || !strings.Contains(err.Error(), "NOPE-01") {
		t.Errorf("a mapping to a missing control: %v", err)
	}
	b, _ := imp.Extension.Encode()
	for _, tc := range []struct{ data, want string }{
		{strings.Replace(string(b), `"format": "onus-catalog-extension"`, `"format": "other"`, 1), `not an onus catalog extension (format "other")`},
		{strings.Replace(string(b), `"version": 1,`, `"version": 2,`, 1), "version 2 is not supported"},
		{strings.Replace(string(b), `"name":`, `"colour": "red", "name":`, 1), `unknown field "colour"`},
	} {
		if _, err := DecodeExtension([]byte(tc.data)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("got %v, want %q", err, tc.want)
		}
	}
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }

// The schema refuses what the Tool refuses, so that validating against
// it means something.
func TestSchemaRefuses(t *testing.T) {
	s := schema(t)
	lenses, files := exportAll(t, catalog(t), Options{})
	edit := func(f func(l *Lens)) []byte {
		var l Lens
		if err := jsonUnmarshal(files[0], &l); err != nil {
			t.Fatal(err)
		}
		f(&l)
		b, err := Encode(l)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	cases := map[string][]byte{
		"eleven pillars":             edit(func(l *Lens) { l.Pillars = append(l.Pillars, lenses[1].Pillars[0]) }),
		"a long question resource":   edit(func(l *Lens) { l.Pillars[0].Questions[0].HelpfulResource.DisplayText = strings.Repeat("x", 65) }),
		"a choice without a plan":    edit(func(l *Lens) { l.Pillars[0].Questions[0].Choices[0].ImprovementPlan = nil }),
		"no default risk rule":       edit(func(l *Lens) { l.Pillars[0].Questions[0].RiskRules = l.Pillars[0].Questions[0].RiskRules[:1] }),
		"a short pillar id":          edit(func(l *Lens) { l.Pillars[0].ID = "ab" }),
		"a hyphen in a question id":  edit(func(l *Lens) { l.Pillars[0].Questions[0].ID = "GOV-01" }),
		"a URL without a scheme":     edit(func(l *Lens) { l.Pillars[0].Questions[0].HelpfulResource.URL = "example.com/x" }),
		"a long question title":      edit(func(l *Lens) { l.Pillars[0].Questions[0].Title = strings.Repeat("é", 129) }),
		"twenty-one questions":       edit(func(l *Lens) { l.Pillars[0].Questions = slices.Repeat(l.Pillars[0].Questions[:1], 21) }),
		"a published lens as it is":  readFixture(t),
		"an unknown key":             bytes.Replace(files[0], []byte(`"name":`), []byte(`"colour": "red", "name":`), 1),
		"another schema version":     bytes.Replace(files[0], []byte(SchemaVersion), []byte("2022-01-01"), 1),
		"metadata is allowed (pass)": bytes.Replace(files[0], []byte(`"name":`), []byte(`"_generator": "onus", "name":`), 1),
	}
	for name, data := range cases {
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		err = s.Validate(inst)
		if pass := strings.HasSuffix(name, "(pass)"); pass != (err == nil) {
			t.Errorf("%s: validation gave %v", name, err)
		}
	}
}

// README's import example is this package's output for the fixture.
func TestREADMEExample(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	cat := catalog(t)
	imp, err := Import(readFixture(t), "lab-lens.json", cat, ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	merged, err := Merge(cat, imp.Extension)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"note: " + imp.Notes[1] + "\n",
		"note: " + imp.Notes[4] + "\n",
		fmt.Sprintf("%s: %d domains, %d controls\n", imp.Extension.ID, len(imp.Extension.Domains), len(imp.Extension.Controls)),
		"`" + merged.Version + "`",
	} {
		if !strings.Contains(readme, want) {
			t.Errorf("README lacks %q", want)
		}
	}
	flat := strings.Join(strings.Fields(readme), " ")
	limits := fmt.Sprintf("A lens holds at most %d pillars, %d questions a pillar and %d KB", MaxPillars, MaxQuestionsPerPillar, MaxLensBytes/1000)
	if !strings.Contains(flat, limits) {
		t.Errorf("README does not say %q", limits)
	}
}

func TestFileNames(t *testing.T) {
	for _, tc := range []struct {
		name string
		n    int
		want []string
	}{
		{"gxp-lens.json", 1, []string{"gxp-lens.json"}},
		{"gxp-lens.json", 2, []string{"gxp-lens-1.json", "gxp-lens-2.json"}},
		{"out/v1.2/lens", 2, []string{"out/v1.2/lens-1", "out/v1.2/lens-2"}},
	} {
		if got := FileNames(tc.name, tc.n); !slices.Equal(got, tc.want) {
			t.Errorf("%s ×%d: %v", tc.name, tc.n, got)
		}
	}
}
