package report

import (
	"bytes"
	"encoding/json"
	"fmt"
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
// schemas are not there (make test then says so), unless
// ONUS_REQUIRE_OSCAL_SCHEMAS=1 makes that a failure: .ci/run sets it when
// ../shared/schemas exists.
func oscalSchema(t testing.TB, file string) *jsonschema.Schema {
	t.Helper()
	path := filepath.Join(schemaDir(t), file)
	schemaMu.Lock()
	defer schemaMu.Unlock()
	if s, ok := schemaCache[path]; ok {
		return s
	}
	if _, err := os.Stat(path); err != nil {
		msg := fmt.Sprintf("NOT RUN: OSCAL schema %s not found (%v): put NIST's OSCAL complete JSON schemas in ../shared/schemas or set ONUS_OSCAL_SCHEMAS", file, err)
		if os.Getenv("ONUS_REQUIRE_OSCAL_SCHEMAS") == "1" {
			t.Fatal(msg)
		}
		t.Skip(msg)
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
	doc = bytes.Replace(doc, []byte(`"oscal-version":"`+OSCALVersion+`"`), []byte(`"oscal-version":"`+version+`"`), 1)
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		t.Fatalf("document is not JSON: %v", err)
	}
	return s.Validate(inst)
}

// oscalDocuments renders every OSCAL document of an input: the catalog, a
// profile per framework edition that controls cite, and the assessment's
// results, plan, system security plan and component definition.
func oscalDocuments(t *testing.T, in Input) map[string][]byte {
	t.Helper()
	docs := map[string][]byte{}
	for _, format := range []string{"oscal-ar", "oscal-ap", "oscal-ssp", "oscal-cd"} {
		out, err := Render(format, in)
		if err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		docs[format] = out
	}
	out, err := OSCALCatalog(in.Catalog)
	if err != nil {
		t.Fatal(err)
	}
	docs["oscal-catalog"] = out
	for _, fw := range ProfileFrameworks(in.Catalog) {
		out, err := OSCALProfile(in.Catalog, fw)
		if err != nil {
			t.Fatalf("profile %s: %v", fw, err)
		}
		docs["oscal-profile "+fw] = out
	}
	return docs
}

func oscalInputs(t *testing.T) map[string]Input {
	fixture := fixtureInput(t)
	fixture.Version = "v1.4.0 (commit 0123456789ab)" // as onus export names itself
	return map[string]Input{
		"fixture": fixture,
		"hostile": hostileInput(t),
		"empty":   emptyInput(t),
		"bench":   benchInput(50),
	}
}

// TestOSCALValidates: every OSCAL document, and every document carried in
// one's back-matter, is valid against NIST's schemas 1.1.3 and 1.2.2.
func TestOSCALValidates(t *testing.T) {
	for name, in := range oscalInputs(t) {
		docs := oscalDocuments(t, in)
		for _, format := range sortedKeys(docs) {
			for _, w := range walkOSCAL(t, format, docs[format]).all() {
				for _, sv := range oscalSchemaVersions {
					t.Run(name+"/"+w.name+"/"+sv.version, func(t *testing.T) {
						if err := validateOSCAL(t, w.raw, sv.file, sv.version); err != nil {
							t.Errorf("%s is not valid OSCAL %s:\n%v", w.name, sv.version, err)
						}
					})
				}
			}
		}
	}
}

// TestOSCALReferencesResolve walks every document (walkOSCAL): uuids
// unique, every reference and internal link resolved, every import
// carried, every control-id in the imported baseline.
func TestOSCALReferencesResolve(t *testing.T) {
	for name, in := range oscalInputs(t) {
		docs := oscalDocuments(t, in)
		for _, format := range sortedKeys(docs) {
			w := walkOSCAL(t, name+" "+format, docs[format])
			if format != "oscal-catalog" && len(w.controls) == 0 && name != "empty" {
				t.Errorf("%s %s: no control reached through its imports", name, format)
			}
		}
	}
}

// TestOSCALWalkerBites makes sure the walker can fail: a dangling party,
// a link to no resource and a control the baseline lacks are found.
func TestOSCALWalkerBites(t *testing.T) {
	out, err := Render("oscal-ar", fixtureInput(t))
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]map[string]any
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	res := doc["assessment-results"]["results"].([]any)[0].(map[string]any)
	res["findings"].([]any)[0].(map[string]any)["target"].(map[string]any)["target-id"] = "NOPE-1_smt"
	obs := res["observations"].([]any)[0].(map[string]any)
	obs["origins"].([]any)[0].(map[string]any)["actors"].([]any)[0].(map[string]any)["actor-uuid"] = "00000000-0000-4000-8000-000000000000"
	obs["relevant-evidence"].([]any)[0].(map[string]any)["href"] = "#00000000-0000-4000-8000-000000000001"
	res["reviewed-controls"].(map[string]any)["control-selections"].([]any)[0].(map[string]any)["include-controls"].([]any)[0].(map[string]any)["control-id"] = "NOPE-1"
	broken, _ := json.Marshal(doc)
	rec := &recorder{}
	walkOSCAL(rec, "broken", broken)
	for _, want := range []string{"finding target NOPE-1_smt", "actor-uuid 00000000-0000-4000-8000-000000000000",
		"link #00000000-0000-4000-8000-000000000001", "control-id NOPE-1 "} {
		if !strings.Contains(strings.Join(rec.errs, "\n"), want) {
			t.Errorf("the walker did not report %q; it reported:\n%s", want, strings.Join(rec.errs, "\n"))
		}
	}
}

// recorder collects what the walker reports.
type recorder struct{ errs []string }

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}
func (r *recorder) Fatalf(format string, args ...any) {
	panic(fmt.Sprintf(format, args...))
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
