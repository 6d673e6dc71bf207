package report

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// The OSCAL documents are validated against NIST's official complete JSON
// schemas, which the repository does not copy: they are read from
// ../shared/schemas next to the repository (or $ONUS_OSCAL_SCHEMAS).

var oscalSchemaVersions = []struct{ file, version string }{
	{"oscal_complete_schema-1-1-3.json", "1.1.3"},
	{"oscal_complete_schema-1-2-2.json", "1.2.2"},
}

func schemaDir(t testing.TB) string {
	if d := os.Getenv("ONUS_OSCAL_SCHEMAS"); d != "" {
		return d
	}
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "..", "shared", "schemas")
		}
		up := filepath.Dir(dir)
		if up == dir {
			t.Fatal("no go.mod above the test's directory")
		}
		dir = up
	}
}

var (
	schemaMu    sync.Mutex
	schemaCache = map[string]*jsonschema.Schema{}
)

// oscalSchema compiles one of NIST's schemas, or skips the test when the
// schemas are not there.
func oscalSchema(t testing.TB, file string) *jsonschema.Schema {
	t.Helper()
	path := filepath.Join(schemaDir(t), file)
	schemaMu.Lock()
	defer schemaMu.Unlock()
	if s, ok := schemaCache[path]; ok {
		return s
	}
	if _, err := os.Stat(path); err != nil {
		t.Skipf("OSCAL schema %s not found (%v): put NIST's OSCAL complete JSON schemas in ../shared/schemas or set ONUS_OSCAL_SCHEMAS", file, err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	s, err := c.Compile(path)
	if err != nil {
		t.Fatalf("compiling %s: %v", path, err)
	}
	schemaCache[path] = s
	return s
}

// validateOSCAL validates a document against a schema, with oscal-version
// set to the schema's own version.
func validateOSCAL(t *testing.T, doc []byte, file, version string) error {
	t.Helper()
	s := oscalSchema(t, file)
	doc = bytes.Replace(doc, []byte(`"oscal-version": "`+OSCALVersion+`"`), []byte(`"oscal-version": "`+version+`"`), 1)
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		t.Fatalf("document is not JSON: %v", err)
	}
	return s.Validate(inst)
}

func TestOSCALValidates(t *testing.T) {
	inputs := map[string]Input{
		"fixture": fixtureInput(t),
		"hostile": hostileInput(t),
		"empty":   emptyInput(t),
		"bench":   benchInput(50),
	}
	for name, in := range inputs {
		for _, format := range []string{"oscal-ar", "oscal-cd"} {
			out, err := Render(format, in)
			if err != nil {
				t.Fatal(err)
			}
			for _, sv := range oscalSchemaVersions {
				t.Run(name+"/"+format+"/"+sv.version, func(t *testing.T) {
					if err := validateOSCAL(t, out, sv.file, sv.version); err != nil {
						t.Errorf("%s is not valid OSCAL %s:\n%v", format, sv.version, err)
					}
				})
			}
		}
	}
}

// TestOSCALSchemaBites makes sure the validation can fail: a document
// without its required import-ap, or with a malformed uuid, is refused.
func TestOSCALSchemaBites(t *testing.T) {
	out, err := Render("oscal-ar", fixtureInput(t))
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]map[string]any
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	delete(doc["assessment-results"], "import-ap")
	broken, _ := json.Marshal(doc)
	for _, sv := range oscalSchemaVersions {
		if validateOSCAL(t, broken, sv.file, sv.version) == nil {
			t.Errorf("%s: a document without import-ap passed", sv.version)
		}
		bad := bytes.Replace(out, []byte(`"uuid": "`), []byte(`"uuid": "x`), 1)
		if validateOSCAL(t, bad, sv.file, sv.version) == nil {
			t.Errorf("%s: a document with a malformed uuid passed", sv.version)
		}
	}
}

var uuidPattern = regexp.MustCompile(`^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[45][0-9A-Fa-f]{3}-[89ABab][0-9A-Fa-f]{3}-[0-9A-Fa-f]{12}$`)

func TestUUID5(t *testing.T) {
	// RFC 9562 appendix A.4: the v5 UUID of "www.example.com" in the DNS namespace.
	dns := [16]byte{0x6b, 0xa7, 0xb8, 0x10, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8}
	if got, want := uuid5(dns, "www.example.com").String(), "2ed6657d-e927-568b-95e1-2665a8aea6a2"; got != want {
		t.Errorf("uuid5 = %s, want %s", got, want)
	}
	if !uuidPattern.MatchString(onusUUIDSpace.String()) {
		t.Errorf("namespace %s does not match OSCAL's uuid pattern", onusUUIDSpace)
	}
}

// TestOSCALContent checks the structure the issue asks for beyond the
// schema: a finding per applicable control with the right target status,
// evidence on observations, a risk per gap, the log from the trail, and a
// component per service with provider and customer roles.
func TestOSCALContent(t *testing.T) {
	in := fixtureInput(t)
	f := gather(in)

	out, err := Render("oscal-ar", in)
	if err != nil {
		t.Fatal(err)
	}
	var ar struct {
		AR struct {
			ImportAP struct{ Href string } `json:"import-ap"`
			Results  []struct {
				Findings []struct {
					Target struct {
						TargetID string `json:"target-id"`
						Status   struct{ State string }
						Impl     *struct{ State string } `json:"implementation-status"`
					}
				}
				Observations []struct {
					Evidence []struct{ Href, Description string } `json:"relevant-evidence"`
				}
				Risks []struct{ Title string }
				Log   struct {
					Entries []struct{ Start string }
				} `json:"assessment-log"`
			}
			BackMatter struct {
				Resources []struct{ UUID string }
			} `json:"back-matter"`
		} `json:"assessment-results"`
	}
	if err := json.Unmarshal(out, &ar); err != nil {
		t.Fatal(err)
	}
	res := ar.AR.Results[0]
	if len(res.Findings) != len(f.rows) {
		t.Fatalf("%d findings, want one per applicable control (%d)", len(res.Findings), len(f.rows))
	}
	for i, fd := range res.Findings {
		r := f.rows[i]
		want := "not-satisfied"
		if r.Ans.Status == "implemented" || r.Ans.Status == "not-applicable" {
			want = "satisfied"
		}
		if fd.Target.TargetID != r.Ctrl.ID || fd.Target.Status.State != want {
			t.Errorf("finding %d: %s %s, want %s %s", i, fd.Target.TargetID, fd.Target.Status.State, r.Ctrl.ID, want)
		}
		if r.Ans.Status == "partial" && (fd.Target.Impl == nil || fd.Target.Impl.State != "partial") {
			t.Errorf("finding %s: implementation status %+v, want partial", r.Ctrl.ID, fd.Target.Impl)
		}
	}
	// Each piece of evidence is a back-matter resource; an observation's
	// relevant evidence is each piece of its control's chain on file,
	// pointing at its resource.
	resources := map[string]bool{}
	for _, r := range ar.AR.BackMatter.Resources {
		resources["#"+r.UUID] = true
	}
	if len(ar.AR.BackMatter.Resources) != 2+len(f.review.Register) {
		t.Errorf("%d back-matter resources, want the plan, the catalog and %d pieces of evidence", len(ar.AR.BackMatter.Resources), len(f.review.Register))
	}
	evidence := 0
	for _, o := range res.Observations {
		evidence += len(o.Evidence)
		for _, e := range o.Evidence {
			if !resources[e.Href] {
				t.Errorf("evidence %q points at %q, no back-matter resource", e.Description, e.Href)
			}
		}
	}
	wantEv := 0
	for _, r := range f.rows {
		for _, ci := range r.Chain {
			if ci.Item >= 0 && (r.Ans.Status != "" || len(r.Ans.Links) > 0) {
				wantEv++
			}
		}
	}
	if evidence != wantEv || evidence == 0 {
		t.Errorf("%d evidence references on observations, want %d", evidence, wantEv)
	}
	if len(res.Risks) != len(f.review.Gaps) {
		t.Errorf("%d risks, want one per gap (%d)", len(res.Risks), len(f.review.Gaps))
	}
	if len(res.Log.Entries) != len(in.Trail) {
		t.Errorf("%d log entries, want one per trail entry (%d)", len(res.Log.Entries), len(in.Trail))
	}
	plan := strings.TrimPrefix(ar.AR.ImportAP.Href, "#")
	found := false
	for _, r := range ar.AR.BackMatter.Resources {
		found = found || r.UUID == plan
	}
	if !found {
		t.Errorf("import-ap %s points at no back-matter resource", ar.AR.ImportAP.Href)
	}

	out, err = Render("oscal-cd", in)
	if err != nil {
		t.Fatal(err)
	}
	var cd struct {
		CD struct {
			Components []struct {
				Type  string
				Title string
				Impls []struct {
					Source string
					Reqs   []struct {
						ControlID string `json:"control-id"`
						Roles     []struct {
							RoleID string `json:"role-id"`
						} `json:"responsible-roles"`
						Props []struct{ Name, Value string }
					} `json:"implemented-requirements"`
				} `json:"control-implementations"`
			}
		} `json:"component-definition"`
	}
	if err := json.Unmarshal(out, &cd); err != nil {
		t.Fatal(err)
	}
	if len(cd.CD.Components) != len(in.Assessment.Services) {
		t.Fatalf("%d components, want one per service", len(cd.CD.Components))
	}
	for _, c := range cd.CD.Components {
		if c.Type != "service" || len(c.Impls) != 1 || len(c.Impls[0].Reqs) != len(f.rows) {
			t.Errorf("component %s: type %s, %d implementations", c.Title, c.Type, len(c.Impls))
			continue
		}
		for _, req := range c.Impls[0].Reqs {
			resp := req.Props[0].Value
			roles := ""
			for _, r := range req.Roles {
				roles += r.RoleID + " "
			}
			want := map[string]string{"inherited": "provider ", "customer": "customer ", "shared": "provider customer "}[resp]
			if roles != want {
				t.Errorf("%s %s: %s with roles %q, want %q", c.Title, req.ControlID, resp, roles, want)
			}
		}
	}
}
