package report

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
)

// streamed is a long array of a document (the findings of ten thousand
// controls), written element by element in its place: the document is
// encoded with a placeholder string there, and the indenter, reaching
// it, encodes one element at a time into what it writes. Neither the
// JSON encoder nor the output then holds the array whole, and no buffer
// is doubled into place (which at tens of megabytes is most of an
// export's time: memory touched for the first time).
type streamed struct {
	placeholder []byte // quoted, as the encoder writes it
	n           int
	elem        func(i int) any
}

// streamOf is items as a streamed array; nil (left out under omitempty)
// when there are none.
func streamOf[T any](long *[]*streamed, items []T) *streamed {
	if len(items) == 0 {
		return nil
	}
	var nonce [sha256.Size]byte // as long as a carried document's name
	rand.Read(nonce[:])
	s := &streamed{
		placeholder: []byte(placeholderStart + hex.EncodeToString(nonce[:]) + `"`),
		n:           len(items),
		elem:        func(i int) any { return &items[i] },
	}
	*long = append(*long, s)
	return s
}

// MarshalJSON gives the placeholder, which no text can be: it names
// random bytes drawn for this document.
func (s *streamed) MarshalJSON() ([]byte, error) { return s.placeholder, nil }

// writeTo writes the array through w (the indenter, which indents it),
// one element's compact encoding at a time.
func (s *streamed) writeTo(w io.Writer) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if _, err := w.Write([]byte{'['}); err != nil {
		return err
	}
	for i := range s.n {
		buf.Reset()
		if i > 0 {
			buf.WriteByte(',')
		}
		if err := enc.Encode(s.elem(i)); err != nil {
			return err
		}
		if _, err := w.Write(buf.Bytes()); err != nil {
			return err
		}
	}
	_, err := w.Write([]byte{']'})
	return err
}
