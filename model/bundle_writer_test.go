package model_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/onus-gxp/onus/model"
)

// The bundle written entry by entry is the bundle encoding/json writes
// whole, byte for byte: old bundles and new ones are the same format.
func TestBundleWriterWritesWhatEncodingJSONDoes(t *testing.T) {
	a, trail := chain(t)
	a.Name = `<Lab & "QC"> — Säure`
	trail[0].Reason = "<script>&amp;</script>\u2028"
	for n := range len(trail) + 1 {
		b := model.NewBundle(a, trail[:n])
		if n == 0 {
			b.Trail = nil
		}
		want, err := model.EncodeJSON(b)
		if err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		bw, err := model.NewBundleWriter(&got, a)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range trail[:n] {
			if err := bw.Entry(e); err != nil {
				t.Fatal(err)
			}
		}
		if err := bw.Close(); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), want) {
			t.Fatalf("%d entries: the writer wrote\n%s\nencoding/json\n%s", n, got.Bytes(), want)
		}
		if enc, _ := b.Encode(); !bytes.Equal(enc, want) {
			t.Fatalf("%d entries: Encode differs from encoding/json", n)
		}
	}
}

// ChainVerifier finds what VerifyChain finds, at the same entry.
func TestChainVerifierIsVerifyChain(t *testing.T) {
	_, trail := chain(t)
	trail[2].Reason = "edited"
	want := model.VerifyChain(trail)
	var c model.ChainVerifier
	var got error
	for _, e := range trail {
		if got = c.Next(e); got != nil {
			break
		}
	}
	var wce, gce *model.ChainError
	if !errors.As(want, &wce) || !errors.As(got, &gce) || *wce != *gce || wce.Seq != 3 {
		t.Fatalf("streamed: %v; whole: %v", got, want)
	}
}
