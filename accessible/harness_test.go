package accessible

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/onus-gxp/onus/assets"
	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/sign/signtest"
	"github.com/onus-gxp/onus/store"
)

var testNow = time.Date(2026, 11, 20, 10, 30, 0, 0, time.UTC)

// harness is a database in a temporary folder, with a clock that moves
// one second per reading, and the embedded catalog.
type harness struct {
	t   *testing.T
	db  *store.DB
	dir string
	cat *model.Catalog
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	return newHarnessWith(t, nil)
}

func newHarnessWith(t *testing.T, cat *model.Catalog) *harness {
	t.Helper()
	if cat == nil {
		var err error
		if cat, err = model.ParseCatalog(assets.Catalog(), assets.CatalogName); err != nil {
			t.Fatal(err)
		}
	}
	dir := t.TempDir()
	tick := 0
	clock := func() time.Time { tick++; return testNow.Add(time.Duration(tick) * time.Second) }
	db, err := store.Open(filepath.Join(dir, "onus.db"), store.Options{Actor: "Ana Ruiz", Now: clock, Catalog: func() *model.Catalog { return cat }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return &harness{t: t, db: db, dir: dir, cat: cat}
}

// config is a session on the harness reading input and writing to out.
func (h *harness) config(input string, out *strings.Builder) Config {
	return Config{
		Catalog: func() *model.Catalog { return h.cat }, Earlier: assets.EarlierFor, Store: h.db, DBPath: "/data/onus.db",
		In: strings.NewReader(input), Out: out, Echo: true,
		Now:         func() time.Time { return testNow },
		ExportDir:   filepath.Join(h.dir, "exports"),
		WriteOut:    h.writeOut,
		SigningKeys: testKeys,
	}
}

// writeOut writes an export, refusing any path outside the test's
// temporary folder: a relative path typed at the file prompt would
// otherwise land in the source tree.
func (h *harness) writeOut(path string, write func(io.Writer) error) (int64, error) {
	if rel, err := filepath.Rel(h.dir, path); err != nil || !filepath.IsLocal(rel) {
		h.t.Errorf("an export written outside the test's folder: %s", path)
		return 0, fmt.Errorf("%s is outside the test's folder", path)
	}
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		return 0, err
	}
	return int64(buf.Len()), os.WriteFile(path, buf.Bytes(), 0o600)
}

// The fixed test keys (sign/signtest): the goldens show their
// fingerprints.
const testPassphrase = signtest.Passphrase

var testKeys = signtest.Keys

// run runs a session on the lines given and returns its transcript,
// with the temporary folder and the assessment ids made stable.
func (h *harness) run(lines ...string) string {
	h.t.Helper()
	var out strings.Builder
	input := strings.Join(lines, "\n")
	if len(lines) > 0 {
		input += "\n"
	}
	if err := Run(context.Background(), h.config(input, &out)); err != nil {
		h.t.Fatalf("Run: %v\n%s", err, out.String())
	}
	return h.stable(out.String())
}

// trailHead is an export's trail head, which hashes the random id, and
// hash a chain head or the catalog's hash, which every catalog edit
// changes.
var (
	trailHead = regexp.MustCompile(`trail head [0-9a-f]{12}`)
	hash      = regexp.MustCompile(`\b[0-9a-f]{64}\b`)
)

func (h *harness) stable(s string) string {
	s = strings.ReplaceAll(s, h.dir, "TMP")
	s = trailHead.ReplaceAllString(s, "trail head HEAD")
	s = hash.ReplaceAllString(s, "HASH")
	list, _ := h.db.List(true)
	for i, a := range list {
		s = strings.ReplaceAll(s, a.ID, "ID"+string(rune('A'+i)))
	}
	return s
}

// only is the one assessment in the file.
func (h *harness) only() model.Assessment {
	h.t.Helper()
	list, err := h.db.List(false)
	if err != nil || len(list) != 1 {
		h.t.Fatalf("%d assessments (%v)", len(list), err)
	}
	a, err := h.db.Get(list[0].ID)
	if err != nil {
		h.t.Fatal(err)
	}
	return a
}
