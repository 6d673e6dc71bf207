package model

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/gowebpki/jcs"
)

// AuditEntry is one link of an assessment's audit trail: who changed what,
// when, from which value to which, and why. Each entry carries the hash of
// the one before, so removing, reordering or editing any entry breaks the
// chain (21 CFR 11.10(e), Annex 11 clause 9).
type AuditEntry struct {
	Assessment string          `json:"assessment"`
	Seq        uint64          `json:"seq"`
	Time       time.Time       `json:"time"`
	Actor      string          `json:"actor"`
	Action     string          `json:"action"`
	Target     string          `json:"target"`
	Old        json.RawMessage `json:"old,omitempty"`
	New        json.RawMessage `json:"new,omitempty"`
	Reason     string          `json:"reason,omitempty"`
	// Format says how Hash is computed and which rules the entry meets:
	// absent (0) for entries written before canonical hashes,
	// CanonicalFormat for those of the release that brought them, and
	// EntryFormat for every entry onus writes now.
	Format   int    `json:"format,omitempty"`
	PrevHash string `json:"prev_hash"`
	Hash     string `json:"hash"`
}

// EntryFormat is the format of the entries this build writes: Hash is the
// SHA-256 of the entry's RFC 8785 canonical JSON, so it covers the data,
// not one way of writing it, and any faithful copy of a bundle (Python,
// Node, jq, another escape form) verifies. Entries without a format keep
// the hash they were written with (see ComputeHash).
//
// Format 3 is hashed as format 2 (CanonicalFormat) is; what it adds are
// the workflow's rules (workflow.go): an assessment becomes final only
// through a signature and is read-only while final. A release wrote
// format 2 entries that made an assessment final through the workflow
// key, so those rules hold from format 3 on, and such trails keep
// verifying as they were written.
const EntryFormat = 3

// CanonicalFormat is the first format hashed over canonical JSON; every
// known format from it on is.
const CanonicalFormat = 2

// KnownFormat reports whether this build can check entries of format f.
func KnownFormat(f int) bool { return f == 0 || f == CanonicalFormat || f == EntryFormat }

// CanonicalJSON is v as RFC 8785 (JSON Canonicalization Scheme) JSON: keys
// sorted, no white space, numbers and strings in one form. Every hash onus
// computes over data is a hash of this.
func CanonicalJSON(v any) ([]byte, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return jcs.Transform(raw)
}

// CanonicalHash is the hex SHA-256 of v's canonical JSON.
func CanonicalHash(v any) (string, error) {
	c, err := CanonicalJSON(v)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(c)
	return hex.EncodeToString(sum[:]), nil
}

// hashedEntry is what an entry's hash covers: every field but the hash,
// under a name that keeps it apart from any other hashed object.
type hashedEntry struct {
	Domain     string          `json:"domain"`
	Format     int             `json:"format"`
	Assessment string          `json:"assessment"`
	Seq        uint64          `json:"seq"`
	Time       string          `json:"time"`
	Actor      string          `json:"actor"`
	Action     string          `json:"action"`
	Target     string          `json:"target"`
	Old        json.RawMessage `json:"old,omitempty"`
	New        json.RawMessage `json:"new,omitempty"`
	Reason     string          `json:"reason"`
	PrevHash   string          `json:"prev_hash"`
}

// ComputeHash is the hash the entry should carry. For EntryFormat, the
// SHA-256 of the canonical JSON of every field but Hash; times in UTC with
// nanoseconds. For the format before it (0), the SHA-256 over every field
// but Hash in a fixed order, each length-prefixed, with Old and New as
// compacted JSON. An unknown format has no hash ("").
func (e AuditEntry) ComputeHash() string {
	switch e.Format {
	case 0:
		return e.legacyHash()
	case CanonicalFormat, EntryFormat:
		h, err := CanonicalHash(hashedEntry{Domain: "onus-audit", Format: e.Format, Assessment: e.Assessment, Seq: e.Seq,
			Time: e.Time.UTC().Format(time.RFC3339Nano), Actor: e.Actor, Action: e.Action, Target: e.Target,
			Old: e.Old, New: e.New, Reason: e.Reason, PrevHash: e.PrevHash})
		if err != nil {
			return ""
		}
		return h
	}
	return ""
}

func (e AuditEntry) legacyHash() string {
	var b bytes.Buffer
	field := func(s string) {
		b.WriteString(strconv.Itoa(len(s)))
		b.WriteByte(':')
		b.WriteString(s)
		b.WriteByte('\n')
	}
	field("onus-audit-v1")
	field(e.Assessment)
	field(strconv.FormatUint(e.Seq, 10))
	field(e.Time.UTC().Format(time.RFC3339Nano))
	field(e.Actor)
	field(e.Action)
	field(e.Target)
	field(compactJSON(e.Old))
	field(compactJSON(e.New))
	field(e.Reason)
	field(e.PrevHash)
	sum := sha256.Sum256(b.Bytes())
	return hex.EncodeToString(sum[:])
}

func compactJSON(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		return string(raw)
	}
	return b.String()
}

// HashMatches reports whether the entry's content matches its Hash. An
// entry of the format before EntryFormat was hashed over Old and New as
// onus's JSON encoder wrote them; a copy saved by another tool (other
// escapes, other key order) is encoded again as onus wrote it first.
func (e AuditEntry) HashMatches() bool {
	if e.ComputeHash() == e.Hash {
		return true
	}
	if e.Format != 0 {
		return false
	}
	old, ok1 := reencodeLegacy(e.Action, e.Old)
	nw, ok2 := reencodeLegacy(e.Action, e.New)
	if !ok1 || !ok2 {
		return false
	}
	e.Old, e.New = old, nw
	return e.legacyHash() == e.Hash
}

// reencodeLegacy encodes an entry's value again as the store wrote it: the
// value of the action's type through encoding/json's Marshal.
func reencodeLegacy(action string, raw json.RawMessage) (json.RawMessage, bool) {
	if len(raw) == 0 {
		return raw, true
	}
	var v any
	switch action {
	case ActCreate:
		v = new(Assessment)
	case ActInfo:
		v = new(Info)
	case ActScope:
		v = new(Scope)
	case ActServices:
		v = new([]SelectedService)
	case ActSupplier:
		v = new(*SupplierRecord)
	case ActAnswer:
		v = new(Answer)
	case ActWorkflow:
		v = new(Workflow)
	case ActSignOff:
		v = new(SignOff)
	case ActDelete, ActRestore:
		v = new(bool)
	default:
		return nil, false
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return nil, false
	}
	out, err := json.Marshal(v)
	return out, err == nil
}

// ChainHead is what the next entry of a trail needs of the last one.
type ChainHead struct {
	Seq    uint64    `json:"seq"`
	Hash   string    `json:"hash"`
	Time   time.Time `json:"time"`
	Format int       `json:"format,omitempty"`
}

// Link is the entry as the head of its trail.
func (e AuditEntry) Link() ChainHead {
	return ChainHead{Seq: e.Seq, Hash: e.Hash, Time: e.Time, Format: e.Format}
}

// ChainError names the first entry at which a trail stops being trustworthy.
type ChainError struct {
	Seq    uint64
	Reason string
	Err    error // the rule the entry broke, when one has a type of its own (a FinalError)
}

func (e *ChainError) Error() string {
	return fmt.Sprintf("audit trail broken at entry %d: %s", e.Seq, e.Reason)
}

func (e *ChainError) Unwrap() error { return e.Err }

// VerifyChain checks that entries form one unbroken chain: sequence numbers
// 1, 2, 3... in order, one assessment, each entry's hash matching its
// content, and each linking to the previous entry's hash.
func VerifyChain(entries []AuditEntry) error {
	var c ChainVerifier
	for _, e := range entries {
		if err := c.Next(e); err != nil {
			return err
		}
	}
	return nil
}

// ChainVerifier checks a trail as VerifyChain does, one entry at a time,
// for a trail read as a stream rather than held whole. Its zero value
// expects the first entry.
type ChainVerifier struct {
	n                uint64 // entries checked
	assessment, prev string
}

// Next checks the next entry of the trail.
func (c *ChainVerifier) Next(e AuditEntry) error {
	want := c.n + 1
	switch {
	case e.Seq != want:
		return &ChainError{Seq: want, Reason: fmt.Sprintf("expected entry %d, found entry %d (an entry was removed or reordered)", want, e.Seq)}
	case c.n > 0 && e.Assessment != c.assessment:
		return &ChainError{Seq: e.Seq, Reason: fmt.Sprintf("belongs to assessment %s, not %s", e.Assessment, c.assessment)}
	case e.PrevHash != c.prev:
		return &ChainError{Seq: e.Seq, Reason: "does not link to the previous entry's hash"}
	case !KnownFormat(e.Format):
		return &ChainError{Seq: e.Seq, Reason: fmt.Sprintf("unknown entry format %d (written by a newer onus?)", e.Format)}
	case !e.HashMatches():
		return &ChainError{Seq: e.Seq, Reason: "content does not match its hash (the entry was modified)"}
	}
	if c.n == 0 {
		c.assessment = e.Assessment
	}
	c.n, c.prev = want, e.Hash
	return nil
}

// Head returns the hash of the last entry: the value a report prints so a
// reader can anchor the whole trail.
func Head(entries []AuditEntry) string {
	if len(entries) == 0 {
		return ""
	}
	return entries[len(entries)-1].Hash
}

// Summary is an assessment's line on the home screen and in `onus list`,
// kept apart so listing never decodes every answer.
type Summary struct {
	ID           string     `json:"id"`
	Name         string     `json:"name"`
	Organisation string     `json:"organisation,omitempty"`
	System       string     `json:"system,omitempty"`
	Workflow     Workflow   `json:"workflow"`
	Answered     int        `json:"answered"`
	Applicable   int        `json:"applicable"`
	Services     int        `json:"services"`
	UpdatedAt    time.Time  `json:"updated_at"`
	Deleted      bool       `json:"deleted,omitempty"`
	Catalog      CatalogRef `json:"catalog"`
	// CountedWith is the hash of the catalog that counted Answered and
	// Applicable, so that a check with the same catalog can count again
	// and compare; empty when unknown.
	CountedWith string `json:"counted_with,omitempty"`
}

// CountedOther reports whether Answered and Applicable were counted by
// another catalog than the one whose hash is given, or by one the
// summary does not name (written before onus recorded it).
func (s Summary) CountedOther(hash string) bool { return s.CountedWith != hash }
