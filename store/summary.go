package store

import (
	"encoding/json"
	"fmt"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/onus-gxp/onus/model"
)

// decodeSummary decodes one list summary as json.Unmarshal does. The
// home list decodes every summary before its first frame, and
// encoding/json's reflection was most of that time (1,000 summaries:
// several milliseconds, more than Bubble Tea's first frame waits); the
// summaries are the compact objects json.Marshal wrote, so summaryFast
// reads that shape directly, and anything else (white space, a key in
// another case or unknown, null, a number or escape it does not read
// exactly) goes to json.Unmarshal. FuzzDecodeSummary holds the
// two to the same result.
func decodeSummary(raw []byte) (model.Summary, error) { return decodeSummaryLike(raw, nil) }

// decodeSummaryLike decodes as decodeSummary does, and where a text field
// that summaries repeat (organisation, system, workflow, the catalog's
// version and hash, counted_with) reads the same as like's, takes like's
// string rather than a new copy: a list of 1,000 summaries on one catalog
// holds one copy of its 64-character hash, not 1,000.
func decodeSummaryLike(raw []byte, like *model.Summary) (model.Summary, error) {
	if s, ok := summaryFast(raw, like); ok {
		return s, nil
	}
	var s model.Summary
	err := json.Unmarshal(raw, &s)
	return s, err
}

// summaryFast reads raw if it is a JSON object of Summary's keys, as
// json.Marshal writes them (in any order), with strings as str reads
// them and plain integers; ok is false for anything else. like (nil: none)
// is as for decodeSummaryLike.
func summaryFast(raw []byte, like *model.Summary) (s model.Summary, ok bool) {
	if like == nil {
		like = &model.Summary{}
	}
	r := reader{b: raw}
	ok = r.object(func(key []byte) bool {
		switch string(key) {
		case "id":
			return r.str(&s.ID)
		case "name":
			return r.str(&s.Name)
		case "organisation":
			return r.strLike(&s.Organisation, like.Organisation)
		case "system":
			return r.strLike(&s.System, like.System)
		case "workflow":
			var w string
			ok := r.strLike(&w, string(like.Workflow))
			s.Workflow = model.Workflow(w)
			return ok
		case "answered":
			return r.int(&s.Answered)
		case "applicable":
			return r.int(&s.Applicable)
		case "services":
			return r.int(&s.Services)
		case "updated_at":
			// time.Time's own decoding, on the quoted text as
			// json.Unmarshal hands it over.
			start := r.i
			var skip string
			if !r.str(&skip) {
				return false
			}
			return s.UpdatedAt.UnmarshalJSON(r.b[start:r.i]) == nil
		case "deleted":
			return r.bool(&s.Deleted)
		case "catalog":
			return r.object(func(key []byte) bool {
				switch string(key) {
				case "version":
					return r.strLike(&s.Catalog.Version, like.Catalog.Version)
				case "hash":
					return r.strLike(&s.Catalog.Hash, like.Catalog.Hash)
				}
				return false
			})
		case "counted_with":
			return r.strLike(&s.CountedWith, like.CountedWith)
		}
		return false
	})
	return s, ok && r.i == len(r.b)
}

// reader reads the compact JSON summaryFast accepts; each method reports
// false where it finds anything else.
type reader struct {
	b []byte
	i int
}

func (r *reader) next(c byte) bool {
	if r.i < len(r.b) && r.b[r.i] == c {
		r.i++
		return true
	}
	return false
}

// object reads {"key":value,...}, value read by field; a key with an
// escape is left to json.Unmarshal.
func (r *reader) object(field func(key []byte) bool) bool {
	if !r.next('{') {
		return false
	}
	if r.next('}') {
		return true
	}
	for {
		if !r.next('"') {
			return false
		}
		start := r.i
		for r.i < len(r.b) && r.b[r.i] != '"' && r.b[r.i] != '\\' {
			r.i++
		}
		key := r.b[start:r.i]
		if !r.next('"') || !r.next(':') || !field(key) {
			return false
		}
		if r.next('}') {
			return true
		}
		if !r.next(',') {
			return false
		}
	}
}

// str reads a string in valid UTF-8 with no control characters, and
// with no escapes but those json.Marshal writes (\" \\ \/ \b \f \n \r
// \t and \u of a character outside the surrogates, e.g. \u0026 for &):
// exactly the text json.Unmarshal would decode.
func (r *reader) str(out *string) bool { return r.strLike(out, "") }

// strLike reads a string as str does, and gives like itself when the
// text is the same.
func (r *reader) strLike(out *string, like string) bool {
	if !r.next('"') {
		return false
	}
	start, escaped := r.i, false
	for ; r.i < len(r.b) && r.b[r.i] != '"'; r.i++ {
		switch c := r.b[r.i]; {
		case c < 0x20:
			return false
		case c == '\\':
			escaped = true
			r.i++ // the escaped byte: never the closing quote
		}
	}
	if r.i >= len(r.b) {
		return false
	}
	v := r.b[start:r.i]
	r.i++
	if !utf8.Valid(v) {
		return false
	}
	if !escaped {
		if string(v) == like {
			*out = like
		} else {
			*out = string(v)
		}
		return true
	}
	text := make([]byte, 0, len(v))
	for i := 0; i < len(v); i++ {
		if v[i] != '\\' {
			text = append(text, v[i])
			continue
		}
		i++
		switch v[i] {
		case '"', '\\', '/':
			text = append(text, v[i])
		case 'b':
			text = append(text, '\b')
		case 'f':
			text = append(text, '\f')
		case 'n':
			text = append(text, '\n')
		case 'r':
			text = append(text, '\r')
		case 't':
			text = append(text, '\t')
		case 'u':
			if i+4 >= len(v) {
				return false
			}
			n, err := strconv.ParseUint(string(v[i+1:i+5]), 16, 16)
			if err != nil || utf16.IsSurrogate(rune(n)) {
				return false
			}
			text = utf8.AppendRune(text, rune(n))
			i += 4
		default:
			return false
		}
	}
	*out = string(text)
	return true
}

// int reads a JSON integer of at most 18 digits (no fraction or
// exponent), which fits an int on every platform Onus builds for but
// 32-bit ones; there, as anywhere it does not fit, it reports false.
func (r *reader) int(out *int) bool {
	start, neg := r.i, r.next('-')
	digits := r.i
	var n int64
	for r.i < len(r.b) && r.b[r.i] >= '0' && r.b[r.i] <= '9' {
		n = n*10 + int64(r.b[r.i]-'0')
		r.i++
	}
	count := r.i - digits
	switch {
	case count == 0 || count > 18:
		return false
	case count > 1 && r.b[digits] == '0': // JSON has no leading zeros
		return false
	case r.i < len(r.b) && (r.b[r.i] == '.' || r.b[r.i] == 'e' || r.b[r.i] == 'E'):
		return false
	}
	if neg {
		n = -n
	}
	if int64(int(n)) != n {
		r.i = start
		return false
	}
	*out = int(n)
	return true
}

func (r *reader) bool(out *bool) bool {
	switch {
	case len(r.b)-r.i >= 4 && string(r.b[r.i:r.i+4]) == "true":
		*out, r.i = true, r.i+4
		return true
	case len(r.b)-r.i >= 5 && string(r.b[r.i:r.i+5]) == "false":
		*out, r.i = false, r.i+5
		return true
	}
	return false
}

// openList is the list summaries a BackgroundCheck open's check read
// (with preads, page by page) before the file was opened for bbolt: the
// first List takes them if the file is still at the commit checked
// (txid), instead of reading every summary page again through bbolt's
// memory map, where each first touch of a page is a page fault. The
// wizard's first screen waits for that list.
type openList struct {
	txid uint64
	sums []model.Summary // decoded as the check read them, in key order
	err  error           // the first summary that would not decode; sums stop before it
}

// add decodes one summary out of the check's page buffers, which it
// reuses, sharing the repeated text of the one before (decodeSummaryLike):
// decoded at once, the raw summaries need no copy, and each new page of
// memory costs a page fault.
func (l *openList) add(key, value []byte) error {
	if l.err != nil {
		return nil // the check goes on; List reports the summary
	}
	var like *model.Summary
	if len(l.sums) > 0 {
		like = &l.sums[len(l.sums)-1]
	}
	s, err := decodeSummaryLike(value, like)
	if err != nil {
		l.err = unreadableSummary(key, err)
		return nil
	}
	l.sums = append(l.sums, s)
	return nil
}

// size makes room for about n summaries, once, at the first leaf page of
// the summaries (scope.size): a slice grown by append would touch every
// page of its earlier arrays too. A quarter more, which costs nothing
// until used, covers pages fuller than the first; at most 65,536 (12 MiB,
// whatever counts a damaged page claims), beyond which append grows it.
func (l *openList) size(n int) {
	if l.sums == nil {
		l.sums = make([]model.Summary, 0, min(n+n/4, 1<<16))
	}
}

// unreadableSummary is List's error for a summary that does not decode.
func unreadableSummary(key []byte, err error) error {
	return fmt.Errorf("the list summary of %s is unreadable (run onus verify): %w", key, err)
}
