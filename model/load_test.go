package model_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/onus-gxp/onus/model"
)

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestMinimalCatalogIsValid(t *testing.T) {
	cat, err := model.ParseCatalog(readTestdata(t, "minimal.yaml"), "minimal.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(cat.Hash) != 64 {
		t.Fatalf("hash %q is not a SHA-256 hex digest", cat.Hash)
	}
}

// Each broken file carries exactly one class of error; the loader must name
// it with the line a user would fix.
func TestBrokenCatalogs(t *testing.T) {
	cases := []struct {
		file string
		want model.Problem
	}{
		{"unknown-layer.yaml", model.Problem{Line: 33, Msg: `control "REC-01": unknown layer "kernel"`}},
		{"duplicate-id.yaml", model.Problem{Line: 26, Msg: `duplicate service id "ec2"`}},
		{"no-layer.yaml", model.Problem{Line: 33, Msg: `control "REC-01" has no layer`}},
		{"dangling-ref.yaml", model.Problem{Line: 32, Msg: `control "REC-01" refers to unknown clause "11.10(z)" of 21cfr11`}},
		{"dangling-evidence.yaml", model.Problem{Line: 36, Msg: `control "REC-01" refers to unknown evidence "pq"`}},
		{"unknown-model.yaml", model.Problem{Line: 26, Msg: `service "s3": unknown model "serverless" (use infrastructure, container or abstracted)`}},
		{"missing-question.yaml", model.Problem{Line: 28, Msg: `control "REC-01" has no question`}},
		{"unknown-field.yaml", model.Problem{Line: 35, Msg: `field colour not found in type model.Control`}},
		{"alias-bomb.yaml", model.Problem{Msg: `refused: YAML aliases expand too far (an alias bomb?); write the content out instead of using aliases`}},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			_, err := model.ParseCatalog(readTestdata(t, "broken/"+tc.file), tc.file)
			ce, ok := err.(*model.CatalogError)
			if !ok {
				t.Fatalf("got %v, want a *model.CatalogError", err)
			}
			if len(ce.Problems) != 1 {
				t.Fatalf("got %d problems, want 1:\n%v", len(ce.Problems), err)
			}
			got := ce.Problems[0]
			if got.Line != tc.want.Line || got.Msg != tc.want.Msg {
				t.Errorf("got  line %d: %s\nwant line %d: %s", got.Line, got.Msg, tc.want.Line, tc.want.Msg)
			}
			if !strings.Contains(err.Error(), tc.file+":") {
				t.Errorf("message does not name the file: %v", err)
			}
		})
	}
}

func TestCatalogSizeCap(t *testing.T) {
	big := make([]byte, model.MaxCatalogBytes+1)
	_, err := model.ParseCatalog(big, "big.yaml")
	if err == nil || !strings.Contains(err.Error(), "limited to") {
		t.Fatalf("got %v, want a size refusal", err)
	}
}

func TestEmptyCatalog(t *testing.T) {
	_, err := model.ParseCatalog(nil, "empty.yaml")
	if err == nil || !strings.Contains(err.Error(), "file is empty") {
		t.Fatalf("got %v, want 'file is empty'", err)
	}
}

// JSON takes the fast path, and a JSON file with a problem still gets the
// YAML path's answer: the problem with its line.
func TestJSONCatalogs(t *testing.T) {
	fromYAML, err := model.ParseCatalog(readTestdata(t, "minimal.yaml"), "minimal.yaml")
	if err != nil {
		t.Fatal(err)
	}
	good, err := fromYAML.EncodeJSON()
	if err != nil {
		t.Fatal(err)
	}
	fromJSON, err := model.ParseCatalog(good, "minimal.json")
	if err != nil {
		t.Fatal(err)
	}
	if fromJSON.Hash != fromYAML.Hash {
		t.Fatalf("hash %s from JSON, %s from YAML", fromJSON.Hash, fromYAML.Hash)
	}
	if _, ok := fromJSON.Service("ec2"); !ok {
		t.Fatal("the JSON catalog has no index")
	}

	broken := strings.Replace(string(good), `"question": "`, `"question": "",  "colour": "`, 1)
	_, err = model.ParseCatalog([]byte(broken), "broken.json")
	ce, ok := err.(*model.CatalogError)
	if !ok || len(ce.Problems) != 1 || ce.Problems[0].Line == 0 || !strings.Contains(ce.Problems[0].Msg, "field colour not found") {
		t.Fatalf("unknown field in JSON: got %v", err)
	}
	invalid := strings.Replace(string(good), `"question": "`, `"question": "", "x_question": "`, 1)
	invalid = strings.Replace(invalid, `"x_question": "`, `"title": "`, 1)
	if _, err := model.ParseCatalog([]byte(invalid), "invalid.json"); err == nil {
		t.Fatal("a JSON catalog with an empty question and a duplicate key was accepted")
	}
}
