package report

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
)

// Writing OSCAL documents, and carrying one inside another.
//
// A document that imports another carries it in a back-matter resource:
// in base64 (compact JSON: the same document, not the same bytes as its
// file) and, when Onus writes it as a file, as a relative link to that
// file with the file's SHA-256. The documents nest four deep (assessment
// results, plan, system security plan, baseline profile, catalog), and the
// base64 of the inner ones runs to megabytes, so it is never passed
// through the JSON encoder or indenter: a document is encoded with a
// placeholder in each carried document's place, and the base64 is spliced
// in afterwards. A placeholder names the SHA-256 of the document it stands
// for, so no text can be one by chance or on purpose.

// splice is a carried document's base64, as a quoted JSON string, and the
// placeholder that stands for it.
type splice struct{ placeholder, value []byte }

type splices []splice

// apply puts the carried documents in their placeholders' places.
func (sp splices) apply(data []byte) []byte {
	for _, s := range sp {
		data = bytes.Replace(data, s.placeholder, s.value, 1)
	}
	return data
}

// writeOSCAL encodes a document as its file is written: the bytes
// model.EncodeJSON gives (two-space indentation, a final newline), with the
// documents it carries spliced in.
func writeOSCAL(doc any, carried splices) ([]byte, error) {
	compact, err := encodeCompact(doc)
	if err != nil {
		return nil, err
	}
	return carried.apply(indentOSCAL(compact)), nil
}

// encodeCompact encodes without indentation, as a carried document is.
func encodeCompact(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

func indentOSCAL(compact []byte) []byte {
	var buf bytes.Buffer
	if err := json.Indent(&buf, compact, "", "  "); err != nil {
		panic("report: indenting the JSON encoding/json made: " + err.Error())
	}
	buf.WriteByte('\n')
	return buf.Bytes()
}

// carry makes the back-matter resource that carries a document (with the
// documents it carries in turn): its base64, under the name file, and,
// when linked, a relative link to that file with the file's SHA-256. It
// returns the splice the carrier's encoding needs.
func carry(uuid, file, mediaType string, linked bool, doc any, inner splices) (oResource, splice, error) {
	small, err := encodeCompact(doc)
	if err != nil {
		return oResource{}, splice{}, err
	}
	compact := inner.apply(small)
	sum := sha256.Sum256(compact)
	placeholder := "onus-carried-document-sha256:" + hex.EncodeToString(sum[:])
	r := oResource{UUID: uuid, Base64: &oBase64{Filename: file, MediaType: mediaType, Value: placeholder}}
	if linked {
		fileSum := sha256.Sum256(inner.apply(indentOSCAL(small)))
		r.RLinks = []oRLink{{Href: file, MediaType: mediaType, Hashes: []oHash{{Algorithm: "SHA-256", Value: hex.EncodeToString(fileSum[:])}}}}
	}
	value := make([]byte, 0, base64.StdEncoding.EncodedLen(len(compact))+2)
	value = append(value, '"')
	value = base64.StdEncoding.AppendEncode(value, compact)
	value = append(value, '"')
	return r, splice{placeholder: []byte(`"` + placeholder + `"`), value: value}, nil
}
