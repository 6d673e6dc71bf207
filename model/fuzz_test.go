package model_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/onus-gxp/onus/model"
)

// FuzzParseCatalog feeds arbitrary bytes to the catalog loader: it must
// never panic, a catalog it accepts must validate cleanly, and the
// catalog's JSON dump must load back to the same hash.
func FuzzParseCatalog(f *testing.F) {
	f.Add([]byte("schema: 1\nversion: x\n"))
	f.Add([]byte("{}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cat, err := model.ParseCatalog(data, "fuzz.yaml")
		if err != nil {
			if cat != nil {
				t.Fatalf("error %v with a catalog", err)
			}
			return
		}
		if probs := cat.Validate(); len(probs) > 0 {
			t.Fatalf("accepted catalog has problems: %v", probs)
		}
		dump, err := json.Marshal(cat)
		if err != nil {
			t.Fatalf("dump: %v", err)
		}
		again, err := model.ParseCatalog(dump, "dump.json")
		if err != nil {
			t.Fatalf("the dump of an accepted catalog does not load: %v\n%s", err, dump)
		}
		if again.Hash != cat.Hash {
			t.Fatalf("hash changed through the dump: %s != %s", again.Hash, cat.Hash)
		}
	})
}

// FuzzDecodeBundle feeds arbitrary bytes to the bundle decoder: it must
// never panic, and a bundle that verifies must re-encode to bytes that
// decode and encode to the very same bytes.
func FuzzDecodeBundle(f *testing.F) {
	f.Add([]byte(`{"format":"onus-bundle","version":1,"assessment":{},"trail":[]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := model.DecodeBundle(data)
		if err != nil {
			return
		}
		if b.Verify() != nil {
			return
		}
		enc, err := b.Encode()
		if err != nil {
			t.Fatalf("encode: %v", err)
		}
		b2, err := model.DecodeBundle(enc)
		if err != nil {
			t.Fatalf("a verified bundle's encoding does not decode: %v", err)
		}
		if err := b2.Verify(); err != nil {
			t.Fatalf("a verified bundle no longer verifies after a round trip: %v", err)
		}
		enc2, err := b2.Encode()
		if err != nil {
			t.Fatalf("encode again: %v", err)
		}
		if !bytes.Equal(enc, enc2) {
			t.Fatalf("round trip changed the bytes:\n%s\n---\n%s", enc, enc2)
		}
	})
}
