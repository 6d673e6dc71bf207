package report

import (
	"crypto/ed25519"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/sign"
	"github.com/onus-gxp/onus/store"
)

// signedInput is an assessment signed, reopened and signed again through
// the store with a real Ed25519 key, with what sign.Verify found.
func signedInput(t *testing.T) (Input, *sign.Key, []model.AuditEntry) {
	t.Helper()
	cat := fixtureCatalog()
	now := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	db, err := store.Open(filepath.Join(t.TempDir(), "onus.db"), store.Options{Actor: "Jane Smith",
		Now: func() time.Time { now = now.Add(time.Second); return now }})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	a, err := db.Create(model.Assessment{Name: "LIMS", Catalog: model.CatalogRef{Version: cat.Version, Hash: cat.Hash}})
	if err != nil {
		t.Fatal(err)
	}
	signer, err := ssh.NewSignerFromKey(ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize)))
	if err != nil {
		t.Fatal(err)
	}
	key := sign.NewKey(signer, "jane@laptop", "test")
	req := store.SignRequest{Meaning: "approved", Role: "QA", Acknowledgement: "CAPA-1 closes the gaps"}
	if _, err := db.Sign(a.ID, req, cat, key); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Reopen(a.ID, "CAPA-2"); err != nil {
		t.Fatal(err)
	}
	if a, err = db.Sign(a.ID, req, cat, key); err != nil {
		t.Fatal(err)
	}
	b, err := db.Export(a.ID)
	if err != nil {
		t.Fatal(err)
	}
	return Input{Catalog: cat, Assessment: b.Assessment, Trail: b.Trail}, key, b.Trail
}

// Every format says of each signature whether it is verified, superseded,
// unsigned or failed, with the signer, the key's fingerprint and the head
// it signed.
func TestSignatureStatusInEveryFormat(t *testing.T) {
	in, key, trail := signedInput(t)
	allowed, err := sign.ParseAllowedSigners([]byte(`"Jane Smith" namespaces="onus" ` + string(ssh.MarshalAuthorizedKey(key.PublicKey()))))
	if err != nil {
		t.Fatal(err)
	}
	checks, err := sign.Verify(trail, allowed)
	if err != nil || len(checks) != 2 {
		t.Fatalf("verify: %v %+v", err, checks)
	}
	in.Signatures = checks
	fp := key.Fingerprint()
	for _, format := range []string{"md", "html", "csv", "oscal-ar", "oscal-cd"} {
		out, err := Render(format, in)
		if err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		text := string(out)
		// The summary (CSV rows, page margins, OSCAL metadata): the
		// latest signature, verified, its key and head.
		if !strings.Contains(text, "signature: verified, key "+fp+", head "+checks[1].Head) {
			t.Errorf("%s: the sign-off summary does not give the latest signature's state, key and head", format)
		}
		if format == "md" || format == "html" || format == "oscal-ar" {
			for _, want := range []string{"superseded", fp, checks[0].Head, checks[1].Head} {
				if !strings.Contains(text, want) {
					t.Errorf("%s: no %q for each sign-off", format, want)
				}
			}
		}
	}

	// A key the file does not list: failed, in words.
	other, _ := sign.ParseAllowedSigners(nil)
	in.Signatures, _ = sign.Verify(trail, other)
	md, _ := Render("md", in)
	if !strings.Contains(string(md), "FAILED (") || !strings.Contains(string(md), "signature: failed") {
		t.Errorf("a signer the allowed-signers file does not list:\n%s", md)
	}
	// Not checked at all: the report says so rather than guess.
	in.Signatures = nil
	md, _ = Render("md", in)
	if !strings.Contains(string(md), "not checked (this report was made without checking signatures)") || strings.Contains(string(md), "verified: signed") {
		t.Errorf("unchecked signatures:\n%s", md)
	}
	// A sign-off recorded by name only, before signatures: unsigned.
	in.Assessment.SignOffs = append([]model.SignOff{{By: "Bob", Meaning: "reviewed", At: in.Assessment.CreatedAt}}, in.Assessment.SignOffs...)
	in.Signatures = checks
	md, _ = Render("md", in)
	if !strings.Contains(string(md), "unsigned (no electronic signature)") || !strings.Contains(string(md), "verified: signed by Jane Smith") {
		t.Errorf("an unsigned sign-off beside signed ones:\n%s", md)
	}
}
