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

// size is the length of what writeTo writes: the quoted base64 of the
// compact encoding with the carried documents in their places.
func (s splice) size() int {
	n := len(s.compact)
	for _, in := range s.inner {
		n += in.size() - len(in.placeholder)
	}
	return 2 + base64.StdEncoding.EncodedLen(n)
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
func writeOSCAL(w io.Writer, doc any, carried splices, long ...*streamed) error {
	iw := newIndenter(w, carried)
	iw.long = long
	enc := json.NewEncoder(iw)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		return err
	}
	return iw.Close()
}

// indenter indents the compact JSON written to it as json.Indent does
// with two spaces, byte for byte, ends it with a newline (Close), and
// writes each carried document and streamed array in its placeholder's
// place: a document of any size is indented as it is encoded, never held
// a second time.
type indenter struct {
	w          io.Writer
	carried    splices
	long       []*streamed // written in their placeholders' places, element by element
	out        []byte
	depth      int
	needIndent bool
	inString   bool
	escaped    bool
	holding    bool // the string being read may be a placeholder: held in maybe
	maybe      []byte
	sized      bool // the output's room has been made (Write)
	err        error
}

// placeholderStart begins every placeholder (a carried document's, named
// by the SHA-256 of its encoding, or a streamed array's, by random bytes);
// placeholderLen is their length.
const placeholderStart = `"onus-placeholder:`

var placeholderLen = len(placeholderStart) + 2*sha256.Size + 1

func newIndenter(w io.Writer, carried splices) *indenter {
	return &indenter{w: w, carried: carried, out: make([]byte, 0, 64<<10)}
}

func (d *indenter) Write(p []byte) (int, error) {
	if !d.sized {
		// A document written to memory gets its room at once when no
		// array is streamed: the JSON encoder hands over the whole
		// compact document in its first Write, and the carried
		// documents' lengths are known, so a buffer of tens of megabytes
		// is allocated once rather than doubled into place (each doubling
		// a fresh allocation to clear, and a copy).
		d.sized = true
		if buf, ok := d.w.(interface{ Grow(int) }); ok && len(d.long) == 0 {
			buf.Grow(indentedLen(p, d.carried))
		}
	}
	for i := 0; i < len(p); i++ {
		if d.err != nil {
			return 0, d.err
		}
		if d.inString && !d.holding && !d.escaped {
			// Most of a document is the text inside its strings: copied
			// up to the next quote or backslash at once.
			run := p[i:]
			if q := bytes.IndexByte(run, '"'); q >= 0 {
				run = run[:q]
			}
			if b := bytes.IndexByte(run, '\\'); b >= 0 {
				run = run[:b]
			}
			if d.emit(run...); i+len(run) == len(p) {
				break
			}
			i += len(run)
		}
		d.byte(p[i])
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
		if len(d.carried)+len(d.long) > 0 {
			d.holding, d.maybe = true, append(d.maybe[:0], c)
		} else {
			d.emit(c)
		}
	default:
		d.emit(c)
	}
}

// indentedLen is the length of what an indenter writes for the compact
// JSON p, with the carried documents in their placeholders' places and
// the final newline: its indentation counted without writing it.
func indentedLen(p []byte, carried splices) int {
	n, depth, needIndent := 1, 0, false
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch c {
		case ' ', '\t', '\n', '\r':
			continue
		}
		if needIndent && c != '}' && c != ']' {
			needIndent = false
			depth++
			n += 1 + 2*depth
		}
		switch c {
		case '"': // the whole string, to its closing quote
			j := i + 1
			for {
				k := bytes.IndexByte(p[j:], '"')
				if k < 0 {
					j = len(p) - 1
					break
				}
				j += k
				backslashes := 0
				for b := j - 1; b > i && p[b] == '\\'; b-- {
					backslashes++
				}
				if backslashes%2 == 0 {
					break
				}
				j++
			}
			n += j - i + 1
			if j-i+1 == placeholderLen {
				for _, s := range carried {
					if bytes.Equal(p[i:j+1], s.placeholder) {
						n += s.size() - placeholderLen
					}
				}
			}
			i = j
		case '{', '[':
			needIndent = true
			n++
		case ',':
			n += 2 + 2*depth
		case ':':
			n += 2
		case '}', ']':
			if needIndent {
				needIndent = false
			} else {
				depth--
				n += 1 + 2*depth
			}
			n++
		default:
			n++
		}
	}
	return n
}

// placeholder writes the string just ended: a streamed array or a
// carried document when it is one's placeholder, else itself. An array's
// elements are written through the indenter, which indents them.
func (d *indenter) placeholder() {
	d.holding = false
	maybe := d.maybe
	for _, s := range d.long {
		if bytes.Equal(maybe, s.placeholder) {
			d.err = s.writeTo(d)
			return
		}
	}
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
	var doc pieces
	if err := write(&doc, in); err != nil {
		return nil, err
	}
	return doc.bytes(), nil
}

// pieces holds a document written to memory. A document whose length is
// known before it is written (Grow: the indenter's first Write, when no
// array is streamed) gets one piece of that length, which is the
// document; any other is kept in pieces that grow to 4 MiB and copied
// once into its exact length. A buffer doubled into place would touch
// twice the document and copy it at each step: at tens of megabytes,
// memory touched for the first time is most of an export's time.
type pieces struct {
	list [][]byte
	n    int
}

func (d *pieces) Grow(n int) {
	if d.n == 0 {
		d.list = [][]byte{make([]byte, 0, n)}
	}
}

func (d *pieces) Write(p []byte) (int, error) {
	for rest := p; len(rest) > 0; {
		last := len(d.list) - 1
		if last < 0 || len(d.list[last]) == cap(d.list[last]) {
			size := 32 << 10
			if last >= 0 {
				size = min(2*cap(d.list[last]), 4<<20)
			}
			d.list, last = append(d.list, make([]byte, 0, size)), last+1
		}
		piece := d.list[last]
		n := min(len(rest), cap(piece)-len(piece))
		d.list[last] = append(piece, rest[:n]...)
		rest = rest[n:]
	}
	d.n += len(p)
	return len(p), nil
}

func (d *pieces) bytes() []byte {
	if len(d.list) == 1 {
		return d.list[0]
	}
	out := make([]byte, 0, d.n)
	for _, p := range d.list {
		out = append(out, p...)
	}
	return out
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
	placeholder := placeholderStart[1:] + hex.EncodeToString(sum[:])
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
