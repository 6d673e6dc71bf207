package model_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/onus-gxp/onus/assets"
	"github.com/onus-gxp/onus/internal/synth"
	"github.com/onus-gxp/onus/model"
)

// stdDecode is how catalogs were decoded before catalog_json.go, and what
// it must never differ from: encoding/json, unknown fields refused,
// nothing after the catalog.
func stdDecode(data []byte) (*model.Catalog, bool) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var c model.Catalog
	if dec.Decode(&c) != nil {
		return nil, false
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, false
	}
	return &c, true
}

// checkCatalogJSON holds the hand-written reader and writer to
// encoding/json on data: what the reader takes, encoding/json takes, to
// the same catalog; whatever encoding/json takes, the writer encodes to
// json.Marshal's bytes.
func checkCatalogJSON(t *testing.T, data []byte) (decoded bool) {
	t.Helper()
	fast, ok := model.DecodeCatalogJSON(string(data))
	std, stdOK := stdDecode(data)
	if ok {
		if !stdOK {
			t.Fatalf("the reader takes what encoding/json refuses:\n%.300s", data)
		}
		if !reflect.DeepEqual(fast, std) {
			t.Fatalf("the reader and encoding/json differ on:\n%.300s\nreader: %+v\nstd:    %+v", data, fast, std)
		}
	}
	if stdOK {
		want, err := json.Marshal(std)
		if err != nil {
			t.Fatal(err)
		}
		if got := model.CatalogJSON(std); !bytes.Equal(got, want) {
			t.Fatalf("the writer differs from json.Marshal:\n got %.600s\nwant %.600s", got, want)
		}
	}
	return ok
}

// TestCatalogJSONMatchesEncodingJSON: on the embedded catalog, the
// reviewed 2026.11.0 and the synthetic one ten times larger, the reader
// takes the file (the fast path is the one used) and agrees with
// encoding/json, and the hashes are those json.Marshal gave: an
// assessment records its catalog's hash, which must not change.
func TestCatalogJSONMatchesEncodingJSON(t *testing.T) {
	base := defaultCatalog(t)
	tenfold, err := json.Marshal(synth.Scale(base, 10))
	if err != nil {
		t.Fatal(err)
	}
	dumped, err := base.EncodeJSON() // as onus catalog dump writes it
	if err != nil {
		t.Fatal(err)
	}
	reviewed, _ := assets.Earlier("2026.11.0")
	for _, c := range []struct {
		name string
		data []byte
		hash string // "": the hash of json.Marshal's bytes, worked out here
	}{
		{"embedded", assets.Catalog(), ""},
		{"dumped", dumped, ""},
		{"2026.11.0", reviewed, "dd7aec67e9ec50c8e4118e0f5eb94bde764a6a23f80803f32c11c3531e19de47"},
		{"x10", tenfold, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			if !checkCatalogJSON(t, c.data) {
				t.Fatal("the reader leaves the catalog to encoding/json")
			}
			cat, err := model.ParseCatalog(c.data, c.name)
			if err != nil {
				t.Fatal(err)
			}
			want := c.hash
			if want == "" {
				std, _ := stdDecode(c.data)
				b, _ := json.Marshal(std)
				sum := sha256.Sum256(b)
				want = hex.EncodeToString(sum[:])
			}
			if cat.Hash != want {
				t.Fatalf("hash %s, want %s", cat.Hash, want)
			}
		})
	}
}

// TestCatalogJSONKnowsEveryField fills every field of every catalog type
// (and then leaves every one empty, or empty but not nil): a field added
// to the types but not to catalog_json.go makes the reader refuse the
// catalog or the writer differ from json.Marshal, and this fails.
func TestCatalogJSONKnowsEveryField(t *testing.T) {
	for _, text := range []string{"x", "a <b> & \"c\" \\ é\u2028\n"} {
		var full model.Catalog
		fill(reflect.ValueOf(&full).Elem(), text, 2)
		data, err := json.Marshal(&full)
		if err != nil {
			t.Fatal(err)
		}
		// Map keys with escapes are left to encoding/json.
		if !checkCatalogJSON(t, data) && text == "x" {
			t.Fatalf("the reader refuses a catalog with every field: %s", data)
		}
	}
	for _, n := range []int{0, -1} {
		var empty model.Catalog
		fill(reflect.ValueOf(&empty).Elem(), "", n)
		data, err := json.Marshal(&empty)
		if err != nil {
			t.Fatal(err)
		}
		checkCatalogJSON(t, data)
	}
}

// fill sets every exported field of v: strings to text, numbers and
// booleans to non-zero values, lists and maps to n entries (n < 0: nil).
func fill(v reflect.Value, text string, n int) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(text)
	case reflect.Int:
		if text != "" {
			v.SetInt(3)
		}
	case reflect.Bool:
		v.SetBool(text != "")
	case reflect.Pointer:
		if n >= 0 {
			v.Set(reflect.New(v.Type().Elem()))
			fill(v.Elem(), text, n)
		}
	case reflect.Slice:
		if n >= 0 {
			v.Set(reflect.MakeSlice(v.Type(), n, n))
			for i := range n {
				fill(v.Index(i), text+fmt.Sprint(i), n)
			}
		}
	case reflect.Map:
		if n >= 0 {
			v.Set(reflect.MakeMap(v.Type()))
			for i := range n {
				k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
				fill(k, fmt.Sprint("k", i, text), n)
				fill(e, text, n)
				v.SetMapIndex(k, e)
			}
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if f := v.Type().Field(i); f.IsExported() && f.Tag.Get("json") != "-" {
				fill(v.Field(i), text, n)
			}
		}
	}
}

// FuzzCatalogJSON holds the reader and writer to encoding/json on
// arbitrary bytes (see checkCatalogJSON).
func FuzzCatalogJSON(f *testing.F) {
	for _, s := range []string{
		`{}`, ` {"schema":1} `, `{"schema":1}x`, `{"schema":1}{}`,
		`{"schema":1,"schema":2}`, `{"Schema":1}`, `{"schema":null}`, `{"schema":1.0}`, `{"schema":-0}`, `{"schema":1e1}`,
		`{"schema":99999999999999999999}`, `{"version":"a\u0041\n\"<&>"}`, "{\"version\":\"\xff\"}", "{\"version\":\"\t\"}",
		`{"v\u0065rsion":"x"}`, `{"nope":1}`, `{"layers":[{"id":"a","owners":{"b":"aws","a":"shared"}}]}`,
		`{"layers":[{"owners":{"a":"x","a":"y"}}]}`, `{"layers":[{"id":"a","name":"n"}],"layers":[{"id":"b"}]}`, `{"layers":null}`, `{"layers":[]}`, `{"controls":[{"applies_when":{"layer_owners":{"os":[]}}}]}`,
		`{"controls":[{"refs":[],"layers":[],"checks":{},"applies_when":{},"alcoa":[]}]}`, `{"evidence":[{"relevance":{}}]}`,
		`{"services":[{"resources":{},"overrides":[],"gamp_category":0}]}`, `{"frameworks":[{"draft":true,"clauses":[{"id":"1","title":"t"}]}]}`,
	} {
		f.Add([]byte(s))
	}
	small := *defaultCatalog(f)
	small.Services, small.Controls, small.Evidence = small.Services[:3], small.Controls[:3], small.Evidence[:3]
	b, _ := json.Marshal(&small)
	f.Add(b)
	b, _ = small.EncodeJSON()
	f.Add(b)
	f.Fuzz(func(t *testing.T, data []byte) { checkCatalogJSON(t, data) })
}

// TestCatalogJSONStrings holds the reader and writer to encoding/json on
// strings whose bytes need a closer look, wherever they fall in the
// eight-byte words the reader and writer scan: escapes (an escaped quote
// or backslash last), characters json.Marshal escapes, control
// characters, UTF-8 valid and not; in a field and in a list. Plain text
// must stay on the reader's own path.
func TestCatalogJSONStrings(t *testing.T) {
	for _, s := range []string{
		`plain text`, `12345678`, `1234567`, `123456789`,
		`a\"b`, `a\\`, `a\\\"b`, `\\\\`, `\"`, `1234567\"`, `12345678\\`, `\u0041\u00e9\ud83d\ude00`,
		`<b>`, `a&b`, `1234567>`, `quote " inside`,
		"é", "1234567é", "naïve café", "\u2028", "12345678\u2029",
		"\xff", "1234567\xfe", "\t", "12345678\x1f", "\x7f",
	} {
		for _, doc := range []string{`{"version":"%s"}`, `{"controls":[{"layers":["x","%s"]}]}`} {
			data := strings.Replace(doc, "%s", s, 1)
			decoded := checkCatalogJSON(t, []byte(data))
			if plain := !strings.ContainsAny(s, "\\\"\t\x1f") && utf8.ValidString(s); plain && !decoded {
				t.Errorf("the reader leaves %s to encoding/json", data)
			}
		}
	}
}

// A catalog checked first (CheckCatalogText, as the wizard reads a
// catalog file) is, once asked for, the catalog ParseCatalogText makes,
// hash included, in JSON and in YAML; a catalog that is not valid is
// refused by the check with the same problems.
func TestCheckedCatalogIsTheParsedOne(t *testing.T) {
	for name, text := range map[string]string{"json": string(assets.Catalog()), "yaml": "# YAML\n" + string(assets.Catalog())} {
		parsed, err := model.ParseCatalogText(text, name)
		if err != nil {
			t.Fatal(err)
		}
		checked, err := model.CheckCatalogText(text, name)
		if err != nil {
			t.Fatal(err)
		}
		got := checked.Catalog()
		if got.Hash == "" || got.Hash != parsed.Hash || !reflect.DeepEqual(got, parsed) {
			t.Fatalf("%s: the checked catalog (hash %q) is not the parsed one (hash %q)", name, got.Hash, parsed.Hash)
		}
		if checked.Catalog() != got {
			t.Fatalf("%s: Catalog made a second catalog", name)
		}
	}
	bad := strings.Replace(string(assets.Catalog()), `"schema": 1`, `"schema": 99`, 1)
	_, perr := model.ParseCatalogText(bad, "bad")
	_, cerr := model.CheckCatalogText(bad, "bad")
	if perr == nil || cerr == nil || perr.Error() != cerr.Error() {
		t.Fatalf("a catalog that is not valid: parse %v, check %v", perr, cerr)
	}
}
