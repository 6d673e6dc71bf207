package sign_test

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"

	"github.com/onus-gxp/onus/assets"
	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/sign"
	"github.com/onus-gxp/onus/store"
)

func newKey(t *testing.T, name string) *sign.Key {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := ssh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return sign.NewKey(s, name, "test")
}

func allowedFor(t *testing.T, lines map[string]*sign.Key) *sign.AllowedSigners {
	t.Helper()
	var b strings.Builder
	for who, k := range lines {
		b.WriteString(`"` + who + `" ` + string(ssh.MarshalAuthorizedKey(k.PublicKey())))
	}
	s, err := sign.ParseAllowedSigners([]byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

type fixture struct {
	db  *store.DB
	cat *model.Catalog
	id  string
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	cat, err := model.ParseCatalog(assets.Catalog(), assets.CatalogName)
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(filepath.Join(t.TempDir(), "onus.db"), store.Options{Actor: "jane"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	a, err := db.Create(model.Assessment{Name: "LIMS", Services: model.Select("ec2", "s3"),
		Catalog: model.CatalogRef{Version: cat.Version, Hash: cat.Hash}})
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{db: db, cat: cat, id: a.ID}
	f.answer(t, 0, model.StatusImplemented)
	return f
}

func (f *fixture) answer(t *testing.T, i int, st model.Status) {
	t.Helper()
	a, err := f.db.Get(f.id)
	if err != nil {
		t.Fatal(err)
	}
	ctrl := f.cat.Applicable(a.Scope, a.Services)[i]
	if _, err := f.db.Answer(f.id, model.Answer{Control: ctrl.ID, Status: st}, ""); err != nil {
		t.Fatal(err)
	}
}

func (f *fixture) sign(t *testing.T, k *sign.Key, name, meaning string) {
	t.Helper()
	if _, err := f.db.Sign(f.id, store.SignRequest{Name: name, Meaning: meaning, Acknowledgement: "CAPA-12 tracks the open controls"}, f.cat, k); err != nil {
		t.Fatal(err)
	}
}

func (f *fixture) trail(t *testing.T) []model.AuditEntry {
	t.Helper()
	trail, err := f.db.History(f.id)
	if err != nil {
		t.Fatal(err)
	}
	return trail
}

// rehash relinks a trail after an edit, as someone rewriting the file
// consistently would: every hash recomputed, so the chain verifies.
func rehash(trail []model.AuditEntry) {
	for i := range trail {
		trail[i].PrevHash = model.Head(trail[:i])
		trail[i].Hash = trail[i].ComputeHash()
	}
}

func TestVerifySignatures(t *testing.T) {
	f := newFixture(t)
	jane, bob := newKey(t, "jane"), newKey(t, "bob")
	f.sign(t, jane, "Jane Smith", "approved")
	f.sign(t, bob, "Bob Builder", "approved for release")
	allowed := allowedFor(t, map[string]*sign.Key{"Jane Smith": jane, "Bob Builder": bob})

	rs, err := sign.Verify(f.trail(t), allowed)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 2 {
		t.Fatalf("%d results", len(rs))
	}
	for i, r := range rs {
		if !r.Valid() || r.Problem != "" || r.ChangedAt != 0 || r.Superseded || r.Milestone != "final-1" || r.Step != model.WorkflowFinal {
			t.Errorf("signature %d: %+v", i+1, r)
		}
	}
	if rs[0].Signer != "Jane Smith" || rs[0].Key != jane.Fingerprint() || rs[1].Key != bob.Fingerprint() || rs[0].Head != rs[1].Head {
		t.Errorf("signers and keys: %+v", rs)
	}

	// Without a file the signatures are intact but the signers unchecked;
	// a file without Bob's key refuses his.
	rs, _ = sign.Verify(f.trail(t), nil)
	if !rs[0].Intact || rs[0].Allowed || !strings.Contains(rs[0].Problem, "no allowed-signers file") {
		t.Errorf("no file: %+v", rs[0])
	}
	rs, _ = sign.Verify(f.trail(t), allowedFor(t, map[string]*sign.Key{"Jane Smith": jane, "Bob Builder": jane}))
	if !rs[0].Valid() || rs[1].Valid() || !rs[1].Intact || !strings.Contains(rs[1].Problem, "does not list key") {
		t.Errorf("bob not allowed: %+v", rs[1])
	}

	// Reopened and changed: still intact, now superseded and changed after.
	if _, err := f.db.Reopen(f.id, "CAPA-7"); err != nil {
		t.Fatal(err)
	}
	f.answer(t, 1, model.StatusPartial)
	rs, _ = sign.Verify(f.trail(t), allowed)
	last := f.trail(t)[len(f.trail(t))-1].Seq
	for _, r := range rs {
		if !r.Valid() || !r.Superseded || r.ChangedAt != last {
			t.Errorf("after reopening: %+v (want changed at %d)", r, last)
		}
	}
}

// The acceptance case: a trail rewritten consistently passes the chain
// check, but every signature made before the rewrite fails.
func TestVerifyDetectsConsistentRewrite(t *testing.T) {
	f := newFixture(t)
	jane := newKey(t, "jane")
	f.sign(t, jane, "Jane Smith", "approved")
	f.sign(t, jane, "Jane Smith", "approved again")
	allowed := allowedFor(t, map[string]*sign.Key{"Jane Smith": jane})

	trail := f.trail(t)
	var ans model.Answer
	if err := json.Unmarshal(trail[1].New, &ans); err != nil || trail[1].Action != model.ActAnswer {
		t.Fatalf("entry 2: %s %v", trail[1].Action, err)
	}
	ans.Status = model.StatusNotApplicable
	ans.Justification = "not used"
	trail[1].New, _ = json.Marshal(ans)
	rehash(trail)

	rebuilt, err := model.Replay(trail)
	if err != nil {
		t.Fatal(err)
	}
	if err := model.NewBundle(rebuilt, trail).Verify(); err != nil {
		t.Fatalf("the rewrite should pass the chain check (that is the point): %v", err)
	}
	rs, err := sign.Verify(trail, allowed)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		if r.Intact || r.Valid() || !strings.Contains(r.Problem, "the trail was rewritten") {
			t.Errorf("signature %d after a rewrite: %+v", r.N, r)
		}
	}
	if len(rs) != 2 {
		t.Fatalf("%d signatures", len(rs))
	}

	// An edit without the rehash breaks the chain itself.
	trail = f.trail(t)
	trail[1].Actor = "mallory"
	rs, _ = sign.Verify(trail, allowed)
	for _, r := range rs {
		if r.Intact || !strings.Contains(r.Problem, "broken at entry 2") {
			t.Errorf("signature %d on a broken chain: %+v", r.N, r)
		}
	}
}

func TestVerifyRefusesForgeries(t *testing.T) {
	f := newFixture(t)
	jane := newKey(t, "jane")
	f.sign(t, jane, "Jane Smith", "approved")
	allowed := allowedFor(t, map[string]*sign.Key{"Jane Smith": jane})
	signIndex := len(f.trail(t)) - 1

	forge := func(edit func(*model.SignOff)) []model.AuditEntry {
		trail := f.trail(t)
		var so model.SignOff
		if err := json.Unmarshal(trail[signIndex].New, &so); err != nil {
			t.Fatal(err)
		}
		edit(&so)
		trail[signIndex].New, _ = json.Marshal(so)
		rehash(trail)
		return trail
	}
	resign := func(edit func(*model.Manifest)) func(*model.SignOff) {
		return func(so *model.SignOff) {
			m, err := model.ParseManifest([]byte(so.Manifest))
			if err != nil {
				t.Fatal(err)
			}
			edit(&m)
			text, _ := m.Encode()
			sig, err := jane.Sign(text)
			if err != nil {
				t.Fatal(err)
			}
			*so = m.SignOff(string(text), string(sig))
		}
	}
	mallory := newKey(t, "mallory")
	for name, c := range map[string]struct {
		edit func(*model.SignOff)
		want string
	}{
		"meaning shown ≠ signed": {func(so *model.SignOff) { so.Meaning = "reviewed" }, "differs"},
		"manifest edited":        {func(so *model.SignOff) { so.Manifest = strings.Replace(so.Manifest, "role:\n", "role: \n", 1) }, "not written as"},
		"meaning edited in both": {func(so *model.SignOff) {
			so.Manifest = strings.Replace(so.Manifest, "meaning: approved", "meaning: rejected", 1)
			so.Meaning = "rejected"
		}, "does not verify"},
		"signed by another key": {func(so *model.SignOff) {
			m, _ := so.ParseManifest()
			m.Key = mallory.Fingerprint()
			text, _ := m.Encode()
			sig, _ := mallory.Sign(text)
			*so = m.SignOff(string(text), string(sig))
		}, "does not list key"},
		"another namespace": {func(so *model.SignOff) {
			so.Signature = strings.ReplaceAll(so.Signature, "x", "y")
		}, "signature"},
		"moved from another record": {resign(func(m *model.Manifest) { m.Assessment = "0000000000000000" }), "moved from another record"},
		"later head":                {resign(func(m *model.Manifest) { m.Entries += 2 }), "does not come before it"},
	} {
		rs, err := sign.Verify(forge(c.edit), allowed)
		if err != nil {
			t.Fatal(err)
		}
		if len(rs) != 1 || rs[0].Valid() || !strings.Contains(rs[0].Problem, c.want) {
			t.Errorf("%s: %+v, want %q", name, rs, c.want)
		}
	}
}

func TestWriteFiles(t *testing.T) {
	f := newFixture(t)
	jane := newKey(t, "jane")
	f.sign(t, jane, "Jane Smith", "approved")
	f.sign(t, jane, "Jane Smith", "approved again")
	dir := filepath.Join(t.TempDir(), "signatures")
	paths, err := sign.WriteFiles(dir, f.trail(t))
	if err != nil {
		t.Fatal(err)
	}
	sigs, _ := sign.Signatures(f.trail(t))
	if len(paths) != 4 || len(sigs) != 2 {
		t.Fatalf("wrote %q", paths)
	}
	for _, s := range sigs {
		for suffix, want := range map[string]string{".manifest": s.SignOff.Manifest, ".manifest.sig": s.SignOff.Signature} {
			got, err := os.ReadFile(filepath.Join(dir, fmt.Sprint(s.N)+suffix))
			if err != nil || string(got) != want {
				t.Errorf("%d%s: %v", s.N, suffix, err)
			}
		}
	}
	if !strings.HasPrefix(sigs[0].SignOff.Signature, "-----BEGIN SSH SIGNATURE-----") {
		t.Errorf("signature not armored: %q", sigs[0].SignOff.Signature)
	}
}
