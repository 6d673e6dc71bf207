package model

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"time"
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
	PrevHash   string          `json:"prev_hash"`
	Hash       string          `json:"hash"`
}

// ComputeHash is the SHA-256 over the entry's canonical encoding: every
// field but Hash, in a fixed order, each length-prefixed so no two
// different entries encode alike; times in UTC with nanoseconds; JSON values
// compacted so formatting never changes the hash.
func (e AuditEntry) ComputeHash() string {
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

// ChainError names the first entry at which a trail stops being trustworthy.
type ChainError struct {
	Seq    uint64
	Reason string
}

func (e *ChainError) Error() string {
	return fmt.Sprintf("audit trail broken at entry %d: %s", e.Seq, e.Reason)
}

// VerifyChain checks that entries form one unbroken chain: sequence numbers
// 1, 2, 3... in order, one assessment, each entry's hash matching its
// content, and each linking to the previous entry's hash.
func VerifyChain(entries []AuditEntry) error {
	prev := ""
	for i, e := range entries {
		want := uint64(i + 1)
		switch {
		case e.Seq != want:
			return &ChainError{Seq: want, Reason: fmt.Sprintf("expected entry %d, found entry %d (an entry was removed or reordered)", want, e.Seq)}
		case i > 0 && e.Assessment != entries[0].Assessment:
			return &ChainError{Seq: e.Seq, Reason: fmt.Sprintf("belongs to assessment %s, not %s", e.Assessment, entries[0].Assessment)}
		case e.PrevHash != prev:
			return &ChainError{Seq: e.Seq, Reason: "does not link to the previous entry's hash"}
		case e.ComputeHash() != e.Hash:
			return &ChainError{Seq: e.Seq, Reason: "content does not match its hash (the entry was modified)"}
		}
		prev = e.Hash
	}
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
}
