package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/onus-gxp/onus/assets"
	"github.com/onus-gxp/onus/model"
)

// updating reports -update, the flag the golden package defines.
func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

func defaultCatalog(t testing.TB) *model.Catalog {
	t.Helper()
	cat, err := model.ParseCatalog(assets.Catalog(), assets.CatalogName)
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

// goldenScope switches every scope condition on, so each golden shows every
// control that can apply to its services.
var goldenScope = model.Scope{
	Impact:         model.ImpactDirect,
	MultiTenant:    true,
	OpenSystem:     true,
	InternetFacing: true,
	ESignatures:    true,
	DataCategories: []model.DataCategory{model.DataHealth, model.DataPersonal},
}

// fargate is the assessment override that says a container service runs
// only on AWS Fargate, so AWS runs its operating system.
func fargate(id string) model.SelectedService {
	return model.SelectedService{ID: id, Overrides: []model.ServiceOverride{{
		Layer: "os", Owner: model.OwnerAWS, Justification: "Every task runs on AWS Fargate, so AWS runs and patches the operating system.",
	}}}
}

// TestMatrixGolden keeps the responsibility matrix of the default catalog
// for representative selections in testdata/matrix, as `onus matrix`
// prints it (MatrixText), so that every change to an owner, an
// applicability or a reason shows in review as a diff.
// Each service alone is in testdata/matrix/service: common.golden holds
// each control as it reads for most services, and one file per service
// lists the controls that apply to it and its rows that read otherwise.
// Regenerate with: go test ./report -run MatrixGolden -update
func TestMatrixGolden(t *testing.T) {
	cat := defaultCatalog(t)
	files := map[string]string{}
	for name, sels := range map[string][]model.SelectedService{
		"ec2-rds-s3":               model.Select("ec2", "rds", "s3"),
		"serverless":               model.Select("lambda", "apigateway", "dynamodb", "s3"),
		"eks":                      model.Select("eks"),
		"eks-fargate":              {fargate("eks")},
		"ecs":                      model.Select("ecs"),
		"ecs-fargate":              {fargate("ecs")},
		"glue-athena-s3":           model.Select("glue", "athena", "s3"),
		"workspaces":               model.Select("workspaces"),
		"appstream":                model.Select("appstream"),
		"network-only-vpc-and-dx":  model.Select("vpc", "directconnect"),
		"edge-greengrass-sitewise": model.Select("greengrass", "iotsitewise", "s3"),
	} {
		files[name] = string(MatrixText(cat, cat.Matrix(goldenScope, sels)))
	}
	for name, text := range singleServiceMatrices(cat, goldenScope) {
		files["service/"+name] = text
	}
	dir := filepath.Join("testdata", "matrix")
	for name, got := range files {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, name+".golden")
			if updating() {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./report -run MatrixGolden -update)", err)
			}
			if !bytes.Equal([]byte(got), want) {
				t.Errorf("%s differs from the golden; first difference:\n%s\nIf the change is intended, run go test ./report -run MatrixGolden -update and review the diff.", path, firstDiff(string(want), got))
			}
		})
	}
	// No golden file may be left over from a selection that is gone.
	filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		name := strings.TrimSuffix(strings.TrimPrefix(filepath.ToSlash(path), filepath.ToSlash(dir)+"/"), ".golden")
		if _, ok := files[name]; !ok {
			if updating() {
				return os.Remove(path)
			}
			t.Errorf("%s has no selection; remove it", path)
		}
		return nil
	})
}

// singleServiceMatrices writes the matrix of each service alone. Rows are
// compared with the service's name replaced by <service>: for each control
// the row most services share is written once, in "common", with the
// services it reads differently for; each service's own file lists the
// controls that apply to it and, in full, its rows that differ.
func singleServiceMatrices(cat *model.Catalog, scope model.Scope) map[string]string {
	type row struct {
		text     string // with <service> for the service's name
		services []string
	}
	rows := map[string][]row{}    // control id → its distinct texts
	own := map[[2]string]string{} // service, control → the row as written for it
	applicable := map[string][]string{}
	for _, svc := range cat.Services {
		for _, r := range cat.Matrix(scope, model.Select(svc.ID)).Rows {
			id := r.Control.ID
			applicable[svc.ID] = append(applicable[svc.ID], id)
			text := matrixRowText(r)
			own[[2]string{svc.ID, id}] = text
			text = strings.ReplaceAll(text, svc.Name, "<service>")
			rs := rows[id]
			i := slices.IndexFunc(rs, func(x row) bool { return x.text == text })
			if i < 0 {
				rs, i = append(rs, row{text: text}), len(rs)
			}
			rs[i].services = append(rs[i].services, svc.ID)
			rows[id] = rs
		}
	}
	common := map[string]int{} // control id → index of the row most services share
	for id, rs := range rows {
		best := 0
		for i, r := range rs {
			if len(r.services) > len(rs[best].services) {
				best = i
			}
		}
		common[id] = best
	}
	out := map[string]string{}
	var b strings.Builder
	fmt.Fprintf(&b, "Each control as it reads for most single services · catalog %s\n%s\n", cat.Version, matrixScopeLine(cat, scope))
	for _, ctrl := range cat.Controls {
		rs := rows[ctrl.ID]
		if len(rs) == 0 {
			fmt.Fprintf(&b, "\n%s %s\n  applies to no single service\n", ctrl.ID, ctrl.Title)
			continue
		}
		c := rs[common[ctrl.ID]]
		b.WriteString("\n" + c.text)
		var others []string
		for i, r := range rs {
			if i != common[ctrl.ID] {
				others = append(others, r.services...)
			}
		}
		slices.Sort(others)
		fmt.Fprintf(&b, "  reads so for %d services; otherwise for: %s\n", len(c.services), orNone(strings.Join(others, ", ")))
	}
	out["common"] = b.String()
	for _, svc := range cat.Services {
		var b strings.Builder
		b.WriteString(matrixHead(cat, cat.Matrix(scope, model.Select(svc.ID))))
		ids := applicable[svc.ID]
		fmt.Fprintf(&b, "\n%d controls apply: %s\n", len(ids), strings.Join(ids, " "))
		b.WriteString("The rows not shown read as in common.golden, with this service's name for <service>.\n")
		for _, id := range ids {
			if !slices.Contains(rows[id][common[id]].services, svc.ID) {
				b.WriteString("\n" + own[[2]string{svc.ID, id}])
			}
		}
		out[svc.ID] = b.String()
	}
	return out
}

func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(w), len(g)); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return fmt.Sprintf("line %d\n want: %s\n  got: %s", i+1, wl, gl)
		}
	}
	return "(none)"
}

// The matrix's JSON keeps the catalog's text exactly and names what each
// control's row is made of; its text and CSV are safe in a terminal and a
// spreadsheet, one row per control.
func TestMatrixFormats(t *testing.T) {
	for _, h := range hostile {
		in := hostileWith(h)
		cat := in.Catalog
		m := cat.Matrix(in.Assessment.Scope, in.Assessment.Services)
		if len(m.Rows) == 0 {
			t.Fatal("the fixture's matrix is empty")
		}
		raw, err := MatrixJSON(cat, m)
		if err != nil {
			t.Fatal(err)
		}
		var doc matrixJSON
		if err := json.Unmarshal(raw, &doc); err != nil {
			t.Fatalf("%q: %v", h, err)
		}
		if len(doc.Controls) != len(m.Rows) || doc.Controls[0].Title != m.Rows[0].Control.Title ||
			doc.Controls[0].Reason != m.Rows[0].Resolution.Reason() || doc.Catalog.Hash != cat.Hash {
			t.Errorf("%q: JSON %+v", h, doc.Controls[0])
		}
		checkTerminalSafe(t, "matrix text", h, string(MatrixText(cat, m)))
		out := MatrixCSV(cat, m)
		s := strings.TrimPrefix(string(out), "\uFEFF")
		checkTerminalSafe(t, "matrix csv", h, strings.ReplaceAll(s, "\r\n", "\n"))
		recs, err := csv.NewReader(strings.NewReader(s)).ReadAll()
		if err != nil {
			t.Fatalf("%q: %v", h, err)
		}
		if len(recs) != len(m.Rows)+1 || !slices.Equal(recs[0], matrixCSVHeader) {
			t.Fatalf("%q: %d records", h, len(recs))
		}
		for i, rec := range recs {
			for j, c := range rec {
				if formulaLike(c) {
					t.Errorf("%q record %d cell %d starts a formula: %q", h, i, j, c)
				}
			}
		}
	}
}
