package report

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"io"
	"slices"
)

// Writing OSCAL documents, and carrying one inside another.
//
// A document that imports another carries it in a back-matter resource:
// in base64 (compact JSON: the same document, not the same bytes as its
// file) and, when Onus writes it as a file, as a relative link to that
// file with the file's SHA-256. The documents nest four deep (assessment
// results, plan, system security plan, baseline profile, catalog), and the
// base64 of the inner ones runs to tens of megabytes, so it is never passed
// through the JSON encoder or indenter, nor held in memory: a document is
// encoded with a placeholder in each carried document's place, and the
// base64 is streamed into its place as the document is written
// (splices.expand), from the carried document's own encoding with its own
// placeholders. A placeholder names the SHA-256 of that encoding (which
// names the documents it carries by theirs), so no text can be one by
// chance or on purpose.

// splice is a carried document: its compact encoding, with placeholders
// for the documents it carries in turn, and the placeholder (a quoted JSON
// string) that stands for it in the carrier.
type splice struct {
	placeholder []byte
	compact     []byte
	inner       splices
}

type splices []splice

// writeTo writes the carried document's value: its compact encoding, with
// the documents it carries in their places, in base64, as a JSON string.
func (s splice) writeTo(w io.Writer) error {
	if _, err := io.WriteString(w, `"`); err != nil {
		return err
	}
	enc := base64.NewEncoder(base64.StdEncoding, w)
	if err := s.inner.expand(enc, s.compact); err != nil {
		return err
	}
	if err := enc.Close(); err != nil {
		return err
	}
	_, err := io.WriteString(w, `"`)
	return err
}

// expand writes data with the carried documents in their placeholders'
// places.
func (sp splices) expand(w io.Writer, data []byte) error {
	type at struct {
		i int
		s splice
	}
	var places []at
	for _, s := range sp {
		if i := bytes.Index(data, s.placeholder); i >= 0 {
			places = append(places, at{i, s})
		}
	}
	slices.SortFunc(places, func(a, b at) int { return a.i - b.i })
	for _, p := range places {
		if _, err := w.Write(data[:p.i]); err != nil {
			return err
		}
		if err := p.s.writeTo(w); err != nil {
			return err
		}
		data = data[p.i+len(p.s.placeholder):]
	}
	_, err := w.Write(data)
	return err
}

// writeOSCAL writes a document as its file is written: the bytes
// model.EncodeJSON gives (two-space indentation, a final newline), with the
// documents it carries streamed into their places.
func writeOSCAL(w io.Writer, doc any, carried splices) error {
	iw := newIndenter(w, carried)
	enc := json.NewEncoder(iw)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		return err
	}
	return iw.Close()
}

// indenter indents the compact JSON written to it as json.Indent does
// with two spaces, byte for byte, ends it with a newline (Close), and
// writes each carried document in its placeholder's place: a document of
// any size is indented as it is encoded, never held a second time.
type indenter struct {
	w          io.Writer
	carried    splices
	out        []byte
	depth      int
	needIndent bool
	inString   bool
	escaped    bool
	holding    bool // the string being read may be a placeholder: held in maybe
	maybe      []byte
	err        error
}

// placeholderStart begins every placeholder; placeholderLen is their length.
const placeholderStart = `"onus-carried-document-sha256:`

var placeholderLen = len(placeholderStart) + 2*sha256.Size + 1

func newIndenter(w io.Writer, carried splices) *indenter {
	return &indenter{w: w, carried: carried, out: make([]byte, 0, 64<<10)}
}

func (d *indenter) Write(p []byte) (int, error) {
	for _, c := range p {
		if d.err != nil {
			return 0, d.err
		}
		d.byte(c)
	}
	return len(p), d.err
}

func (d *indenter) byte(c byte) {
	if d.inString {
		switch {
		case d.escaped:
			d.escaped = false
		case c == '\\':
			d.escaped = true
		case c == '"':
			d.inString = false
		}
		if !d.holding {
			d.emit(c)
			return
		}
		d.maybe = append(d.maybe, c)
		if !d.inString {
			d.placeholder()
		} else if n := len(d.maybe); n > placeholderLen || (n <= len(placeholderStart) && placeholderStart[n-1] != c) {
			d.holding = false
			d.emit(d.maybe...)
		}
		return
	}
	switch c {
	case ' ', '\t', '\n', '\r':
		return
	}
	if d.needIndent && c != '}' && c != ']' {
		d.needIndent = false
		d.depth++
		d.newline()
	}
	switch c {
	case '{', '[':
		d.needIndent = true // {} and [] stay as they are
		d.emit(c)
	case ',':
		d.emit(c)
		d.newline()
	case ':':
		d.emit(c, ' ')
	case '}', ']':
		if d.needIndent {
			d.needIndent = false
		} else {
			d.depth--
			d.newline()
		}
		d.emit(c)
	case '"':
		d.inString = true
		if len(d.carried) > 0 {
			d.holding, d.maybe = true, append(d.maybe[:0], c)
		} else {
			d.emit(c)
		}
	default:
		d.emit(c)
	}
}

// placeholder writes the string just ended: a carried document when it
// is one's placeholder, else itself.
func (d *indenter) placeholder() {
	d.holding = false
	maybe := d.maybe
	for _, s := range d.carried {
		if bytes.Equal(maybe, s.placeholder) {
			if d.flush(); d.err == nil {
				d.err = s.writeTo(d.w)
			}
			return
		}
	}
	d.emit(maybe...)
}

func (d *indenter) newline() {
	d.emit('\n')
	for range d.depth {
		d.emit(' ', ' ')
	}
}

func (d *indenter) emit(c ...byte) {
	d.out = append(d.out, c...)
	if len(d.out) >= 32<<10 {
		d.flush()
	}
}

func (d *indenter) flush() {
	if d.err == nil && len(d.out) > 0 {
		_, d.err = d.w.Write(d.out)
	}
	d.out = d.out[:0]
}

// Close ends the document with a newline and writes what is held.
func (d *indenter) Close() error {
	d.emit('\n')
	d.flush()
	return d.err
}

// oscalBytes is a document a write function writes, in memory.
func oscalBytes[T any](in T, write func(io.Writer, T) error) ([]byte, error) {
	var buf bytes.Buffer
	if err := write(&buf, in); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// oscalDocBytes is writeOSCAL's document in memory.
func oscalDocBytes(doc any, carried splices) ([]byte, error) {
	var buf bytes.Buffer
	if err := writeOSCAL(&buf, doc, carried); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
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

// carry makes the back-matter resource that carries a document (with the
// documents it carries in turn): its base64, under the name file, and,
// when linked, a relative link to that file with the file's SHA-256. It
// returns the splice the carrier's encoding needs.
func carry(uuid, file, mediaType string, linked bool, doc any, inner splices) (oResource, splice, error) {
	compact, err := encodeCompact(doc)
	if err != nil {
		return oResource{}, splice{}, err
	}
	sum := sha256.Sum256(compact)
	placeholder := "onus-carried-document-sha256:" + hex.EncodeToString(sum[:])
	r := oResource{UUID: uuid, Base64: &oBase64{Filename: file, MediaType: mediaType, Value: placeholder}}
	if linked {
		fileSum := sha256.New()
		iw := newIndenter(fileSum, inner)
		iw.Write(compact)
		if err := iw.Close(); err != nil {
			return oResource{}, splice{}, err
		}
		r.RLinks = []oRLink{{Href: file, MediaType: mediaType, Hashes: []oHash{{Algorithm: "SHA-256", Value: hex.EncodeToString(fileSum.Sum(nil))}}}}
	}
	return r, splice{placeholder: []byte(`"` + placeholder + `"`), compact: compact, inner: inner}, nil
}
