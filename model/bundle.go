package model

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"
	"unicode/utf8"
)

// Audit actions. Each entry's New holds the complete new value of its
// Target, so the trail alone rebuilds the assessment (see Step).
const (
	ActCreate    = "create"       // target "assessment"; New: the initial Assessment
	ActSalvage   = "salvage"      // target "assessment"; Old: SalvageNote; New: the initial Assessment, from a broken one's last good entry
	ActInfo      = "update-info"  // target "info"; New: Info
	ActScope     = "update-scope" // target "scope"; New: Scope
	ActServices  = "services"     // target "services"; New: []SelectedService
	ActSupplier  = "supplier"     // target "supplier/SOURCE"; New: SupplierRecord, or null when removed
	ActAnswer    = "answer"       // target "answer/CONTROL"; New: Answer
	ActWorkflow  = "workflow"     // target "workflow"; New: Workflow (never final in an entry of EntryFormat)
	ActSignOff   = "sign-off"     // target "signoffs"; New: SignOff, appended (a name without a signature: before ActSign)
	ActSign      = "sign"         // target "signoffs"; New: SignOff with its manifest and signature, appended; the workflow moves to its step
	ActMilestone = "milestone"    // target "milestones/NAME"; New: the name; its head and entries are the entry's prev_hash and seq-1
	ActReopen    = "reopen"       // target "workflow"; Old: the Workflow; New: draft; marks every sign-off superseded; a reason is required
	ActDelete    = "delete"       // target "assessment"; New: true
	ActRestore   = "restore"      // target "assessment"; New: false
	ActImport    = "import"       // target "import"; New: ImportNote; also a line of the store's own log
	ActAction    = "action"       // target "action/ID"; New: ActionItem (model/actions.go)
	ActRecord    = "record"       // target "records/DATA CLASS"; New: RecordEntry, or null when removed
	ActCatalog   = "catalog"      // target "catalog"; Old: CatalogRef; New: CatalogMove
	BundleFormat = "onus-bundle"
)

// BundleVersion is the version of the bundle format this build writes:
// 2 since entries carry their format (EntryFormat), 3 since assessments
// carry an evidence register (its entries, answers' links, the register's
// actions). Versions 1 and 2 still read; an onus before 3 refuses a
// version 3 bundle rather than drop its register.
const BundleVersion = 3

// Info is the descriptive part of an assessment.
type Info struct {
	Name         string `json:"name"`
	Organisation string `json:"organisation,omitempty"`
	System       string `json:"system,omitempty"`
}

// Bundle is one assessment with its whole audit trail, for moving between
// offline machines and for archiving.
type Bundle struct {
	Format     string       `json:"format"`
	Version    int          `json:"version"`
	Assessment Assessment   `json:"assessment"`
	Trail      []AuditEntry `json:"trail"`
}

// NewBundle wraps an assessment and its trail.
func NewBundle(a Assessment, trail []AuditEntry) Bundle {
	return Bundle{Format: BundleFormat, Version: BundleVersion, Assessment: a, Trail: trail}
}

// Encode writes the canonical form: indented JSON in struct order with sorted
// map keys and a final newline; no export time, so the same data always
// gives the same bytes. It refuses a bundle larger than MaxBundleBytes,
// which no onus would import.
func (b Bundle) Encode() ([]byte, error) {
	if len(b.Trail) == 0 { // null or [], as encoding/json writes them
		return EncodeJSON(b)
	}
	var buf bytes.Buffer
	bw, err := NewBundleWriter(&buf, b.Assessment)
	for _, e := range b.Trail {
		if err != nil {
			break
		}
		err = bw.Entry(e)
	}
	if err == nil {
		err = bw.Close()
	}
	if err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// BundleWriter writes a bundle as Encode does, byte for byte, with its
// trail given one entry at a time: a long trail is written as it is read,
// never held whole in memory nor as one encoding. Like Encode, it refuses
// to write more than MaxBundleBytes. It does not check the chain (see
// ChainVerifier).
type BundleWriter struct {
	w       io.Writer
	n       int // bytes written
	entries int
	buf     bytes.Buffer
	enc     *json.Encoder // an entry, indented as it stands in the trail
}

// NewBundleWriter writes the beginning of the bundle of a, up to its trail.
func NewBundleWriter(w io.Writer, a Assessment) (*BundleWriter, error) {
	head, err := EncodeJSON(NewBundle(a, nil))
	if err != nil {
		return nil, err
	}
	// The encoding ends "trail": null, the place of the entries.
	head, ok := bytes.CutSuffix(head, []byte("null\n}\n"))
	if !ok {
		return nil, errors.New("bundle: the trail is not the last field")
	}
	bw := &BundleWriter{w: w}
	bw.enc = json.NewEncoder(&bw.buf)
	bw.enc.SetIndent("    ", "  ")
	bw.enc.SetEscapeHTML(false)
	return bw, bw.write(head)
}

// Entry writes the next entry of the trail.
func (bw *BundleWriter) Entry(e AuditEntry) error {
	bw.buf.Reset()
	if bw.entries == 0 {
		bw.buf.WriteString("[\n    ")
	} else {
		bw.buf.WriteString(",\n    ")
	}
	if err := bw.enc.Encode(e); err != nil {
		return err
	}
	bw.entries++
	return bw.write(bytes.TrimSuffix(bw.buf.Bytes(), []byte("\n")))
}

// Close writes the end of the bundle (null for a trail without entries,
// as Encode writes an absent trail).
func (bw *BundleWriter) Close() error {
	if bw.entries == 0 {
		return bw.write([]byte("null\n}\n"))
	}
	return bw.write([]byte("\n  ]\n}\n"))
}

func (bw *BundleWriter) write(p []byte) error {
	if bw.n+len(p) > MaxBundleBytes {
		return fmt.Errorf("the bundle would be over %d MiB; bundles are limited to %d MiB", MaxBundleBytes>>20, MaxBundleBytes>>20)
	}
	n, err := bw.w.Write(p)
	bw.n += n
	return err
}

// EncodeJSON is how Onus writes JSON everywhere: indented by two spaces,
// fields in struct order, map keys sorted, a final newline, and <, > and
// & kept as they are (the text is the record; escaping is the reader's).
func EncodeJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// DecodeBundle reads a bundle held in memory (see ReadBundle).
func DecodeBundle(data []byte) (Bundle, error) {
	if len(data) > MaxBundleBytes {
		return Bundle{}, fmt.Errorf("bundle is %d bytes; bundles are limited to %d MiB", len(data), MaxBundleBytes>>20)
	}
	return ReadBundle(bytes.NewReader(data))
}

// ReadBundle reads a bundle entry by entry, so the bytes of a large one
// are never all in memory. It refuses input over MaxBundleBytes, input that
// is not UTF-8 (as JSON must be), unknown formats, versions and fields, a
// key given twice, more than MaxTrailEntries entries, and anything after
// the bundle. Whether the bundle is true is Check's business.
func ReadBundle(r io.Reader) (Bundle, error) {
	in := &bundleReader{r: r, left: MaxBundleBytes}
	b, err := readBundle(json.NewDecoder(in))
	if in.err != nil { // the reader's own finding explains the decoder's
		err = in.err
	}
	if err != nil {
		return Bundle{}, fmt.Errorf("not a valid onus bundle: %w", err)
	}
	if b.Format != BundleFormat {
		return Bundle{}, fmt.Errorf("not an onus bundle (format %q)", b.Format)
	}
	if b.Version < 1 || b.Version > BundleVersion {
		return Bundle{}, fmt.Errorf("bundle version %d is not supported (this onus reads versions 1 to %d)", b.Version, BundleVersion)
	}
	return b, nil
}

func readBundle(dec *json.Decoder) (Bundle, error) {
	var b Bundle
	dec.DisallowUnknownFields()
	if err := expectDelim(dec, '{'); err != nil {
		return b, err
	}
	seen := map[string]bool{}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return b, err
		}
		key, _ := t.(string)
		if seen[key] {
			return b, fmt.Errorf("%q appears twice", key)
		}
		seen[key] = true
		switch key {
		case "format":
			err = dec.Decode(&b.Format)
		case "version":
			err = dec.Decode(&b.Version)
		case "assessment":
			err = dec.Decode(&b.Assessment)
		case "trail":
			err = readTrail(dec, &b)
		default:
			err = fmt.Errorf("unknown field %q", key)
		}
		if err != nil {
			return b, fmt.Errorf("%s: %w", key, err)
		}
	}
	if err := expectDelim(dec, '}'); err != nil {
		return b, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return b, errors.New("data after the bundle")
	}
	return b, nil
}

func readTrail(dec *json.Decoder, b *Bundle) error {
	t, err := dec.Token()
	if err != nil || t == nil { // null: no trail, which Check refuses
		return err
	}
	if d, ok := t.(json.Delim); !ok || d != '[' {
		return fmt.Errorf("expected a list of entries, found %v", t)
	}
	for dec.More() {
		if len(b.Trail) == MaxTrailEntries {
			return fmt.Errorf("more than %d entries", MaxTrailEntries)
		}
		var e AuditEntry
		if err := dec.Decode(&e); err != nil {
			return fmt.Errorf("entry %d: %w", len(b.Trail)+1, err)
		}
		b.Trail = append(b.Trail, e)
	}
	return expectDelim(dec, ']')
}

func expectDelim(dec *json.Decoder, want json.Delim) error {
	t, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := t.(json.Delim); !ok || d != want {
		return fmt.Errorf("expected %q, found %v", want, t)
	}
	return nil
}

// bundleReader passes at most left bytes through and checks that they
// are UTF-8: the JSON decoder would quietly turn an invalid byte into
// U+FFFD, and the bundle would then say something its author did not.
type bundleReader struct {
	r       io.Reader
	left    int
	offset  int
	carry   []byte // the start of a character split across reads
	scratch []byte
	err     error
}

func (br *bundleReader) Read(p []byte) (int, error) {
	if br.err != nil {
		return 0, br.err
	}
	n, err := br.r.Read(p)
	if n > br.left {
		br.err = fmt.Errorf("larger than the %d MiB limit", MaxBundleBytes>>20)
		return 0, br.err
	}
	br.left -= n
	buf := append(append(br.scratch[:0], br.carry...), p[:n]...)
	br.scratch = buf
	i := 0
	for i < len(buf) {
		if buf[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(buf[i:])
		if r == utf8.RuneError && size == 1 {
			if !utf8.FullRune(buf[i:]) && err == nil {
				break // completed by the next read
			}
			br.err = fmt.Errorf("not UTF-8 at byte %d", br.offset-len(br.carry)+i)
			return 0, br.err
		}
		i += size
	}
	br.offset += n
	br.carry = append(br.carry[:0], buf[i:]...)
	return n, err
}

// Check checks a bundle before it is imported or trusted: Verify's
// integrity, and the meaning of every entry. The trail must be a chain of
// changes onus itself could have made (Step, against cat when not nil),
// within the limits, that rebuilds exactly the assessment the bundle
// carries. It returns the assessment the trail rebuilds.
func (b Bundle) Check(cat *Catalog) (Assessment, error) {
	if len(b.Trail) > MaxTrailEntries {
		return Assessment{}, fmt.Errorf("the trail has %d entries; the limit is %d", len(b.Trail), MaxTrailEntries)
	}
	return b.rebuild(func(trail []AuditEntry) (Assessment, error) { return ReplayChecked(trail, cat) })
}

// Verify checks a bundle's integrity: the trail is an unbroken chain whose
// entries match their hashes, and it rebuilds exactly the assessment the
// bundle carries, so neither can be edited alone. Whether each entry is a
// change onus could have made is Check's business.
func (b Bundle) Verify() error {
	_, err := b.rebuild(Replay)
	return err
}

func (b Bundle) rebuild(replay func([]AuditEntry) (Assessment, error)) (Assessment, error) {
	if len(b.Trail) == 0 {
		return Assessment{}, fmt.Errorf("the bundle has no audit trail")
	}
	if err := VerifyChain(b.Trail); err != nil {
		return Assessment{}, err
	}
	if b.Trail[0].Assessment != b.Assessment.ID {
		return Assessment{}, fmt.Errorf("trail belongs to assessment %s, bundle holds %s", b.Trail[0].Assessment, b.Assessment.ID)
	}
	rebuilt, err := replay(b.Trail)
	if err != nil {
		return Assessment{}, err
	}
	if !SameAssessment(rebuilt, b.Assessment) {
		return Assessment{}, fmt.Errorf("the assessment does not match its audit trail (edited outside onus?)")
	}
	return rebuilt, nil
}

// SameAssessment compares two assessments as their canonical JSON, so a
// nil and an empty list, or times in different zones, compare equal.
func SameAssessment(x, y Assessment) bool {
	a, err1 := json.Marshal(normalised(x))
	b, err2 := json.Marshal(normalised(y))
	return err1 == nil && err2 == nil && bytes.Equal(a, b)
}

func normalised(a Assessment) Assessment {
	a.CreatedAt, a.UpdatedAt = a.CreatedAt.UTC(), a.UpdatedAt.UTC()
	if len(a.Services) == 0 {
		a.Services = nil
	} else {
		s := make([]SelectedService, len(a.Services))
		for i, sel := range a.Services {
			if len(sel.Overrides) == 0 {
				sel.Overrides = nil
			}
			s[i] = sel
		}
		a.Services = s
	}
	if len(a.Supplier) == 0 {
		a.Supplier = nil
	}
	if len(a.Answers) == 0 {
		a.Answers = nil
	} else {
		ans := make(map[string]Answer, len(a.Answers))
		for k, v := range a.Answers {
			v.UpdatedAt = v.UpdatedAt.UTC()
			if len(v.Evidence) == 0 {
				v.Evidence = nil
			}
			ans[k] = v
		}
		a.Answers = ans
	}
	if len(a.SignOffs) == 0 {
		a.SignOffs = nil
	} else {
		s := make([]SignOff, len(a.SignOffs))
		for i, so := range a.SignOffs {
			so.At = so.At.UTC()
			s[i] = so
		}
		a.SignOffs = s
	}
	if len(a.Scope.Frameworks) == 0 {
		a.Scope.Frameworks = nil
	}
	return a
}

// AsOf returns the bundle as it stood at t: the trail up to, not
// including, its first entry stamped after t, and the assessment that
// prefix rebuilds. The result verifies like any bundle; its head hash
// names the state an auditor can compare with a report of that day.
func (b Bundle) AsOf(t time.Time) (Bundle, error) {
	n := 0
	for n < len(b.Trail) && !b.Trail[n].Time.After(t) {
		n++
	}
	if n == 0 {
		return Bundle{}, fmt.Errorf("assessment %s did not exist yet at %s", b.Assessment.ID, t.UTC().Format(time.RFC3339))
	}
	prefix := b.Trail[:n:n]
	a, err := Replay(prefix)
	if err != nil {
		return Bundle{}, err
	}
	return NewBundle(a, prefix), nil
}
