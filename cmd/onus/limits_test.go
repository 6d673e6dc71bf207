package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/store"
)

// Every size limit answers with a message that names the limit, and the
// oversized files are refused before they are read.
func TestSizeLimitsSayWhy(t *testing.T) {
	env, _ := storeEnv(t)
	dir := t.TempDir()
	// Sparse files: the size is checked before a byte is read.
	sparse := func(name string, size int64) string {
		p := filepath.Join(dir, name)
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.Truncate(size); err != nil {
			t.Fatal(err)
		}
		f.Close()
		return p
	}
	failsOnus(t, env, exitError, []string{fmt.Sprintf("larger than the %d MiB limit", model.MaxBundleBytes>>20)}, "import", sparse("bundle.json", model.MaxBundleBytes+1))
	failsOnus(t, env, exitError, []string{"larger than the 16 MiB limit"}, "catalog", "validate", sparse("catalog.yaml", model.MaxCatalogBytes+1))

	failsOnus(t, env, exitError, []string{"name too long: 201 bytes, and the limit is 200"}, "new", "--name", strings.Repeat("n", store.MaxNameBytes+1))
	a := newAssessment(t, env, "--name", "LIMS", "--services", "ec2")
	control := "REC-01"
	failsOnus(t, env, exitError, []string{"notes too long: 65537 bytes, and the limit is 65536"},
		"answer", a.ID, control, "--status", "planned", "--note", strings.Repeat("x", store.MaxTextBytes+1))
	args := []string{"answer", a.ID, control, "--status", "implemented"}
	for i := range store.MaxEvidence + 1 {
		args = append(args, "--evidence", "OQ report "+strings.Repeat("i", i%3))
	}
	failsOnus(t, env, exitError, []string{"101 evidence references; the limit is 100 per answer"}, args...)
	if h := historyOf(t, env, a.ID); len(h) != 1 {
		t.Fatalf("a refused change reached the trail: %d entries", len(h))
	}
}
