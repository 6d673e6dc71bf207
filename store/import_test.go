package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	bolt "go.etcd.io/bbolt"

	"github.com/onus-gxp/onus/model"
)

// sourceBundle is an export of richAssessment: entries 1 create, 2
// services (with an override), 3 supplier soc2, 4 answer REC-01, 5 answer
// REC-02 (not applicable), 6 workflow in-review, 7 milestone reviewed-1, 8
// evidence entry E1, 9 REC-01's links, 10 report csa-star added.
func sourceBundle(t *testing.T) model.Bundle {
	t.Helper()
	db, _ := openTest(t, "alice")
	defer mustClose(t, db)
	a := richAssessment(t, db)
	b, err := db.Export(a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Trail) != 10 {
		t.Fatalf("the source has %d entries", len(b.Trail))
	}
	return b
}

// forge edits a copy of b's trail and makes everything else agree with the
// edit, as a forger who knows the format would: entries renumbered and
// hashed again in a chain, and the assessment replaced by what the trail
// rebuilds. Only the meaning of the entries can then give it away.
func forge(t *testing.T, b model.Bundle, edit func(tr []model.AuditEntry) []model.AuditEntry) model.Bundle {
	t.Helper()
	tr := edit(slices.Clone(b.Trail))
	prev := ""
	for i := range tr {
		tr[i].Seq, tr[i].PrevHash, tr[i].Assessment = uint64(i+1), prev, b.Assessment.ID
		tr[i].Hash = tr[i].ComputeHash()
		prev = tr[i].Hash
	}
	out := model.NewBundle(b.Assessment, tr)
	if a, err := model.Replay(tr); err == nil {
		out.Assessment = a
	}
	if err := model.VerifyChain(tr); err != nil {
		t.Fatalf("the forgery's chain does not hold: %v", err)
	}
	return out
}

// value replaces an entry's new value after editing it as JSON.
func value(t *testing.T, raw json.RawMessage, edit func(map[string]any)) json.RawMessage {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	edit(v)
	out, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func jsonOf(t *testing.T, v any) json.RawMessage {
	t.Helper()
	out, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// Bundles whose chain and hashes all agree but whose history onus could
// never have written are refused, and a refused import leaves the file as
// it was. These include the forgeries tried by hand against the release
// before entries were checked for meaning.
func TestForgedBundlesAreRefused(t *testing.T) {
	src := sourceBundle(t)
	cat := embedded(t)
	cases := []struct {
		name string
		edit func(tr []model.AuditEntry) []model.AuditEntry
		says string
	}{
		{"final and a sign-off inside the creation entry, with no sign-off entry", func(tr []model.AuditEntry) []model.AuditEntry {
			tr[0].New = value(t, tr[0].New, func(v map[string]any) {
				v["workflow"] = "final"
				v["signoffs"] = []any{map[string]any{"by": "The CEO", "meaning": "approved", "at": tr[0].Time}}
			})
			return tr[:5]
		}, "starts as a draft"},
		{"a sign-off inside the creation entry of a draft", func(tr []model.AuditEntry) []model.AuditEntry {
			tr[0].New = value(t, tr[0].New, func(v map[string]any) {
				v["signoffs"] = []any{map[string]any{"by": "The CEO", "meaning": "approved", "at": tr[0].Time}}
			})
			return tr
		}, "starts with no sign-offs"},
		{"a status that does not exist", func(tr []model.AuditEntry) []model.AuditEntry {
			tr[3].New = value(t, tr[3].New, func(v map[string]any) { v["status"] = "approved-by-fda" })
			return tr
		}, `unknown status "approved-by-fda"`},
		{"an unknown service", func(tr []model.AuditEntry) []model.AuditEntry {
			tr[1].New = jsonOf(t, append(model.Select("ec2", "s3"), model.SelectedService{ID: "quantum-db"}))
			return tr
		}, `unknown service "quantum-db"`},
		{"an unknown control", func(tr []model.AuditEntry) []model.AuditEntry {
			tr[3].Target = "answer/XYZ-99"
			tr[3].New = value(t, tr[3].New, func(v map[string]any) { v["control"] = "XYZ-99" })
			return tr
		}, `unknown control "XYZ-99"`},
		{"a 1999 time stamp between 2026 entries", func(tr []model.AuditEntry) []model.AuditEntry {
			tr[3].Time = time.Date(1999, 12, 31, 23, 59, 0, 0, time.UTC)
			return tr
		}, "dated 1999-12-31T23:59:00Z, before the entry it follows"},
		{"a 10 MB actor name", func(tr []model.AuditEntry) []model.AuditEntry {
			tr[5].Actor = strings.Repeat("a", 10<<20)
			return tr
		}, "actor name too long: 10485760 bytes"},
		{"an action onus does not have", func(tr []model.AuditEntry) []model.AuditEntry {
			tr[5].Action = "approve"
			return tr
		}, "unknown action"},
		{"a second creation inside the trail", func(tr []model.AuditEntry) []model.AuditEntry {
			return slices.Insert(tr, 3, tr[0])
		}, "a creation inside a trail"},
		{"an answer filed under another control", func(tr []model.AuditEntry) []model.AuditEntry {
			tr[3].Target = "answer/REC-09"
			return tr
		}, `the answer is to "REC-01"`},
		{"an old value the assessment never held", func(tr []model.AuditEntry) []model.AuditEntry {
			tr[3].Old = tr[3].New
			return tr
		}, "records an old value where there was none"},
		{"a workflow status that does not exist", func(tr []model.AuditEntry) []model.AuditEntry {
			tr[5].New = jsonOf(t, "approved")
			return tr
		}, `unknown workflow status "approved"`},
		{"a sign-off in someone else's name", func(tr []model.AuditEntry) []model.AuditEntry {
			return append(tr, model.AuditEntry{Time: tr[len(tr)-1].Time, Actor: "alice", Action: model.ActSignOff, Target: "signoffs", Format: model.EntryFormat,
				New: jsonOf(t, model.SignOff{By: "The CEO", Meaning: "approved", At: tr[len(tr)-1].Time})})
		}, `signed by "The CEO" in an entry by "alice"`},
		{"final through a workflow entry, with no signature", func(tr []model.AuditEntry) []model.AuditEntry {
			tr[5].New = jsonOf(t, model.WorkflowFinal)
			return tr
		}, "final only through an electronic signature"},
		{"a signature on a milestone the assessment does not have", func(tr []model.AuditEntry) []model.AuditEntry {
			m := model.Manifest{Assessment: src.Assessment.ID, Name: src.Assessment.Name, CatalogVersion: src.Assessment.Catalog.Version,
				CatalogHash: src.Assessment.Catalog.Hash, Head: tr[5].Hash, Entries: 6, Milestone: "elsewhere", Step: model.WorkflowFinal,
				Meaning: "approved", Signer: "alice", Key: "SHA256:x", Time: tr[len(tr)-1].Time.Truncate(time.Second)}
			text, _ := m.Encode()
			return append(tr, model.AuditEntry{Time: tr[len(tr)-1].Time, Actor: "alice", Action: model.ActSign, Target: "signoffs", Format: model.EntryFormat,
				New: jsonOf(t, m.SignOff(string(text), "-----BEGIN SSH SIGNATURE-----"))})
		}, `names milestone "elsewhere"`},
		{"an answer to a deleted assessment", func(tr []model.AuditEntry) []model.AuditEntry {
			del := model.AuditEntry{Time: tr[2].Time, Actor: "alice", Action: model.ActDelete, Target: "assessment", Format: model.EntryFormat,
				Old: jsonOf(t, false), New: jsonOf(t, true)}
			return slices.Insert(tr, 3, del)
		}, "changes a deleted assessment"},
		{"a review claimed without a reviewer or a date", func(tr []model.AuditEntry) []model.AuditEntry {
			tr[2].New = value(t, tr[2].New, func(v map[string]any) {
				v["status"] = "reviewed"
				delete(v, "reviewer")
				delete(v, "reviewed_on")
			})
			return tr
		}, "only with the name of who reviewed it"},
		{"a field onus does not write", func(tr []model.AuditEntry) []model.AuditEntry {
			tr[3].New = value(t, tr[3].New, func(v map[string]any) { v["approved_by"] = "FDA" })
			return tr
		}, `unknown field "approved_by"`},
		{"not-applicable without a justification", func(tr []model.AuditEntry) []model.AuditEntry {
			tr[4].New = value(t, tr[4].New, func(v map[string]any) { delete(v, "justification") })
			return tr
		}, "not-applicable needs a justification"},
		{"an unknown framework", func(tr []model.AuditEntry) []model.AuditEntry {
			tr[0].New = value(t, tr[0].New, func(v map[string]any) { v["scope"].(map[string]any)["frameworks"] = []string{"iso13485"} })
			return tr
		}, `unknown framework "iso13485"`},
		{"an override of an unknown layer", func(tr []model.AuditEntry) []model.AuditEntry {
			tr[1].New = jsonOf(t, []model.SelectedService{{ID: "ec2", Overrides: []model.ServiceOverride{{Layer: "firmware", Owner: model.OwnerAWS, Justification: "x"}}}, {ID: "s3"}})
			return tr
		}, `unknown layer "firmware"`},
		{"notes over the text limit", func(tr []model.AuditEntry) []model.AuditEntry {
			tr[3].New = value(t, tr[3].New, func(v map[string]any) { v["notes"] = strings.Repeat("n", model.MaxTextBytes+1) })
			return tr
		}, "notes too long"},
		{"an answer stamped long before its entry", func(tr []model.AuditEntry) []model.AuditEntry {
			tr[3].New = value(t, tr[3].New, func(v map[string]any) { v["updated_at"] = "2020-01-01T00:00:00Z" })
			return tr
		}, "the answer's time (2020-01-01T00:00:00Z) is not the time of its entry"},
		{"an answer in someone else's name", func(tr []model.AuditEntry) []model.AuditEntry {
			tr[3].New = value(t, tr[3].New, func(v map[string]any) { v["updated_by"] = "QA lead" })
			return tr
		}, `answered by "QA lead" in an entry by "alice"`},
		{"an import entry naming another head", func(tr []model.AuditEntry) []model.AuditEntry {
			return append(tr, model.AuditEntry{Time: tr[len(tr)-1].Time, Actor: "bob", Action: model.ActImport, Target: "import", Format: model.EntryFormat,
				New: jsonOf(t, model.ImportNote{Head: strings.Repeat("0", 64), Entries: 10})})
		}, "names head 000000000000 after 10 entries"},
		{"an evidence id out of turn", func(tr []model.AuditEntry) []model.AuditEntry {
			tr[7].Target = "evidence/E5"
			tr[7].New = value(t, tr[7].New, func(v map[string]any) { v["id"] = "E5" })
			return tr[:8]
		}, "the next id the register issues"},
		{"a link to an entry not in the register", func(tr []model.AuditEntry) []model.AuditEntry {
			tr[8].New = jsonOf(t, []model.EvidenceLink{{Entry: "E7"}})
			return tr
		}, `no evidence entry "E7"`},
		{"an entry removed while linked", func(tr []model.AuditEntry) []model.AuditEntry {
			rm := tr[7]
			rm.Old, rm.New, rm.Time = rm.New, jsonOf(t, nil), tr[8].Time
			return slices.Insert(tr, 9, rm)
		}, "REC-01 links to it"},
		{"a report dismissed without a reason", func(tr []model.AuditEntry) []model.AuditEntry {
			tr[9].New = value(t, tr[9].New, func(v map[string]any) { v["reason"] = " " })
			return tr
		}, "needs a reason"},
		{"an answer that changes its links", func(tr []model.AuditEntry) []model.AuditEntry {
			ans := tr[3]
			ans.Old = value(t, ans.New, func(v map[string]any) { v["links"] = []any{map[string]any{"entry": "E1", "note": "§4"}} })
			ans.New = value(t, ans.New, func(v map[string]any) { v["updated_at"] = tr[9].Time })
			ans.Time = tr[9].Time
			return append(tr, ans)
		}, "only evidence-links does"},
		{"an unknown evidence source", func(tr []model.AuditEntry) []model.AuditEntry {
			tr[2].Target = "supplier/soc9"
			tr[2].New = value(t, tr[2].New, func(v map[string]any) { v["source"] = "soc9" })
			return tr
		}, `unknown evidence source "soc9"`},
		{"a new assessment that starts with answers", func(tr []model.AuditEntry) []model.AuditEntry {
			tr[0].New = value(t, tr[0].New, func(v map[string]any) {
				v["answers"] = map[string]any{"REC-03": map[string]any{"control": "REC-03", "status": "implemented", "updated_at": tr[0].Time, "updated_by": "alice"}}
			})
			return tr
		}, "starts with no answers"},
		{"an assessment created in someone else's name", func(tr []model.AuditEntry) []model.AuditEntry {
			tr[0].New = value(t, tr[0].New, func(v map[string]any) { v["created_by"] = "The CEO" })
			return tr
		}, `created by "The CEO" in an entry by "alice"`},
		{"an entry in the old format after current ones", func(tr []model.AuditEntry) []model.AuditEntry {
			tr[6].Format = 0
			return tr
		}, "older format after an entry in a newer one"},
	}
	path := filepath.Join(t.TempDir(), "onus.db")
	db, err := Open(path, Options{Actor: "bob", Now: (&clock{now: time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)}).Now,
		Catalog: func() *model.Catalog { return cat }})
	if err != nil {
		t.Fatal(err)
	}
	// The untouched source imports here: each case is refused for its edit.
	if _, err := db.Import(src); err != nil {
		t.Fatalf("the source bundle: %v", err)
	}
	if err := db.Purge(src.Assessment.ID); err != nil {
		t.Fatal(err)
	}
	mustClose(t, db)
	before := fileSHA(t, path)
	db, err = Open(path, Options{Actor: "bob", Now: (&clock{now: time.Date(2026, 4, 2, 0, 0, 0, 0, time.UTC)}).Now,
		Catalog: func() *model.Catalog { return cat }})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := forge(t, src, c.edit)
			_, err := db.Import(b)
			if err == nil || !strings.Contains(err.Error(), "bundle refused") || !strings.Contains(err.Error(), c.says) {
				t.Errorf("Import: %v\nwant it refused saying %q", err, c.says)
			}
			// What a refused import must not leave: a file decoded from
			// the bundle's bytes is refused the same way.
			data, err := b.Encode()
			if err != nil {
				t.Fatal(err)
			}
			if back, err := model.DecodeBundle(data); err == nil {
				if _, err := back.Check(cat); err == nil {
					t.Error("Check passes the forgery once encoded and decoded")
				}
			}
		})
	}
	if sums, _ := db.List(true); len(sums) != 0 {
		t.Errorf("refused imports left %d assessments", len(sums))
	}
	mustClose(t, db)
	if fileSHA(t, path) != before {
		t.Error("refused imports changed the file")
	}
}

// Bytes no JSON tool should accept as a bundle, and what Onus would not
// write, are refused before the trail is looked at.
func TestMalformedBundlesAreRefused(t *testing.T) {
	src := sourceBundle(t)
	data, err := src.Encode()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		data []byte
		says string
	}{
		{"a byte that is not UTF-8", bytes.Replace(data, []byte(`"LIMS"`), []byte("\"LI\xffS\""), 1), "not UTF-8 at byte"},
		{"a key given twice", bytes.Replace(data, []byte(`"version": 3,`), []byte(`"version": 3, "version": 3,`), 1), `"version" appears twice`},
		{"an unknown top-level field", bytes.Replace(data, []byte(`"version": 3,`), []byte(`"version": 3, "signature": "trust me",`), 1), `unknown field "signature"`},
		{"something after the bundle", append(slices.Clone(data), []byte(`{"format":"onus-bundle"}`)...), "data after the bundle"},
		{"an entry format onus does not know", bytes.Replace(data, []byte(`"format": 3,`), []byte(`"format": 4,`), 1), "unknown entry format 4"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if bytes.Equal(c.data, data) {
				t.Fatal("the case changed nothing")
			}
			b, err := model.ReadBundle(bytes.NewReader(c.data))
			if err == nil {
				_, err = b.Check(nil)
			}
			if err == nil || !strings.Contains(err.Error(), c.says) {
				t.Errorf("%v, want it refused saying %q", err, c.says)
			}
		})
	}
}

// A bundle is the same record however a JSON tool writes it again: other
// key orders, other escapes (\u003c for <, \u00fc for ü, \u2028), other
// white space. Bundles made by the release before entries had a format
// (testdata/release3, see make.sh: saved again by Python, Node and jq) and
// by this build both import.
func TestResavedBundlesImport(t *testing.T) {
	cat := embedded(t)
	importInto := func(t *testing.T, data []byte) model.Assessment {
		t.Helper()
		db, err := Open(filepath.Join(t.TempDir(), "onus.db"), Options{Actor: "bob",
			Now: (&clock{now: time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)}).Now, Catalog: func() *model.Catalog { return cat }})
		if err != nil {
			t.Fatal(err)
		}
		defer mustClose(t, db)
		b, err := model.ReadBundle(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		a, err := db.Import(b)
		if err != nil {
			t.Fatalf("Import: %v", err)
		}
		if r := db.Verify(a.ID); r.Err != "" {
			t.Fatalf("Verify after the import: %s", r.Err)
		}
		return a
	}
	release, err := os.ReadFile("testdata/release3/bundle.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"bundle.json", "bundle.python.json", "bundle.node.json", "bundle.jq.json"} {
		t.Run("release3/"+name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata/release3", name))
			if err != nil {
				t.Fatal(err)
			}
			if name != "bundle.json" && bytes.Equal(data, release) {
				t.Fatal("not saved again")
			}
			if a := importInto(t, data); a.Name != `LIMS <prod> & "QC"` || a.Organisation != "Grüne Pharma AG" || a.Answers["AT-01"].Notes != "review found one gap" {
				t.Errorf("imported: %s", asJSON(a))
			}
		})
	}
	// A bundle of this build, saved again: Go's default escapes, sorted
	// keys, and every non-ASCII character escaped, as Python writes.
	db, _ := openTest(t, "alice")
	a, err := db.Create(model.Assessment{Name: `LIMS <prod> & "QC"`, Organisation: "Grüne Pharma AG", Services: model.Select("ec2")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Answer(a.ID, model.Answer{Control: "AT-01", Status: model.StatusPartial, Notes: "one <gap> & more\u2028line two 🙂"}, "a > b"); err != nil {
		t.Fatal(err)
	}
	src, err := db.Export(a.ID)
	if err != nil {
		t.Fatal(err)
	}
	mustClose(t, db)
	data, err := src.Encode()
	if err != nil {
		t.Fatal(err)
	}
	var generic any
	if err := json.Unmarshal(data, &generic); err != nil {
		t.Fatal(err)
	}
	escaped, err := json.Marshal(generic) // sorted keys, \u003c, \u0026
	if err != nil {
		t.Fatal(err)
	}
	var ascii bytes.Buffer
	for _, r := range string(escaped) {
		switch {
		case r < 0x80:
			ascii.WriteRune(r)
		case r > 0xffff:
			r1, r2 := utf16.EncodeRune(r)
			fmt.Fprintf(&ascii, `\u%04x\u%04x`, r1, r2)
		default:
			fmt.Fprintf(&ascii, `\u%04x`, r)
		}
	}
	if !bytes.Contains(ascii.Bytes(), []byte(`\u003cgap\u003e`)) || !bytes.Contains(ascii.Bytes(), []byte(`Gr\u00fcne`)) {
		t.Fatalf("not saved again as intended: %s", ascii.Bytes())
	}
	t.Run("this build, saved again", func(t *testing.T) {
		if got := importInto(t, ascii.Bytes()); got.Answers["AT-01"].Notes != "one <gap> & more\u2028line two 🙂" {
			t.Errorf("imported notes: %q", got.Answers["AT-01"].Notes)
		}
	})
}

// An import is the last entry of the imported trail, and the trail still
// verifies for the next onus: exported again, it imports elsewhere with
// the first bundle's head inside it. The store's log names the head too.
func TestImportIsRecordedInItsTrail(t *testing.T) {
	src := sourceBundle(t)
	b := openTestAt(t, "bob", time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC))
	defer mustClose(t, b)
	if _, err := b.Import(src); err != nil {
		t.Fatal(err)
	}
	again, err := b.Export(src.Assessment.ID)
	if err != nil {
		t.Fatal(err)
	}
	last := again.Trail[len(again.Trail)-1]
	var note model.ImportNote
	if len(again.Trail) != len(src.Trail)+1 || last.Action != model.ActImport || last.Actor != "bob" ||
		json.Unmarshal(last.New, &note) != nil || note.Head != model.Head(src.Trail) || note.Entries != uint64(len(src.Trail)) {
		t.Fatalf("the import's entry: %+v", last)
	}
	var events []LogEvent
	b.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketLog).ForEach(func(_, v []byte) error {
			var ev LogEvent
			json.Unmarshal(v, &ev)
			events = append(events, ev)
			return nil
		})
	})
	if len(events) != 1 || events[0].Action != model.ActImport || events[0].Head != model.Head(src.Trail) || events[0].Actor != "bob" {
		t.Errorf("log: %+v", events)
	}
	c := openTestAt(t, "carol", time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC))
	defer mustClose(t, c)
	if _, err := c.Import(again); err != nil {
		t.Fatalf("a bundle carrying an import entry: %v", err)
	}
	h, _ := c.History(src.Assessment.ID)
	if len(h) != len(src.Trail)+2 || h[len(src.Trail)-1].Hash != model.Head(src.Trail) {
		t.Errorf("the second import's trail: %d entries", len(h))
	}
}
