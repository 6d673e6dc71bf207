package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/onus-gxp/onus/model"
)

// LogEvent is a store-level event: purges, imports and salvages, which no
// assessment's own trail can record (a purged trail is gone), and the
// admissions to a live workshop, which belong to no assessment. The events
// form a hash chain of their own, like a trail, whose head is kept in the
// meta bucket.
type LogEvent struct {
	Seq        uint64    `json:"seq,omitempty"`
	Time       time.Time `json:"time"`
	Actor      string    `json:"actor"`
	Action     string    `json:"action"`
	Assessment string    `json:"assessment"`
	Head       string    `json:"head,omitempty"`
	From       string    `json:"from,omitempty"` // salvage: the assessment that failed its check
	// An admission (onus serve): the person admitted, their role and
	// their key's fingerprint; Actor is the facilitator who admitted them.
	Person   string `json:"person,omitempty"`
	Role     string `json:"role,omitempty"`
	Key      string `json:"key,omitempty"`
	PrevHash string `json:"prev_hash,omitempty"`
	Hash     string `json:"hash,omitempty"`
}

var keyLogHead = []byte("loghead") // in bucket meta: the log's last event

// computeHash is the SHA-256 of the event's canonical JSON, without Hash.
func (ev LogEvent) computeHash() string {
	ev.Hash = ""
	h, err := model.CanonicalHash(struct {
		Domain string `json:"domain"`
		LogEvent
	}{"onus-log", ev})
	if err != nil {
		return ""
	}
	return h
}

// logEvent appends ev, stamped with this session's actor and clock, to
// the store's log, after checking that the log's last event is the one
// onus wrote.
func (db *DB) logEvent(tx *bolt.Tx, ev LogEvent) error {
	if err := model.ValidateActor(db.actor); err != nil {
		return err
	}
	log := tx.Bucket(bucketLog)
	var lh model.ChainHead
	if _, err := getJSON(tx.Bucket(bucketMeta), keyLogHead, &lh); err != nil {
		return &IntegrityError{Finding: fmt.Sprintf("its head is unreadable: %v", err), Refused: "recorded"}
	}
	if err := checkLogTail(log, lh); err != nil {
		return &IntegrityError{Seq: lh.Seq, Finding: err.Error(), Refused: "recorded"}
	}
	ev.Seq, ev.Time, ev.Actor, ev.PrevHash = lh.Seq+1, db.now(), db.actor, lh.Hash
	ev.Hash = ev.computeHash()
	if err := putJSON(appendOnly(log), seqKey(ev.Seq), ev); err != nil {
		return err
	}
	return putJSON(tx.Bucket(bucketMeta), keyLogHead, model.ChainHead{Seq: ev.Seq, Hash: ev.Hash, Time: ev.Time})
}

// checkLogTail checks the log's last event against its head.
func checkLogTail(log *bolt.Bucket, lh model.ChainHead) error {
	k, v := log.Cursor().Last()
	if k == nil {
		if lh.Seq != 0 {
			return fmt.Errorf("onus last wrote event %d, but the log is empty", lh.Seq)
		}
		return nil
	}
	var ev LogEvent
	if err := json.Unmarshal(v, &ev); err != nil {
		return fmt.Errorf("its last event is unreadable: %v", err)
	}
	switch {
	case string(k) != string(seqKey(lh.Seq)) || ev.Seq != lh.Seq || ev.Hash != lh.Hash:
		return fmt.Errorf("onus last wrote event %d (hash %.12s), but the log ends at event %d (hash %.12s): events were removed, added or rewritten outside onus",
			lh.Seq, lh.Hash, ev.Seq, ev.Hash)
	case ev.computeHash() != ev.Hash:
		return fmt.Errorf("event %d does not match its hash (it was modified)", ev.Seq)
	}
	return nil
}

// verifyLog checks the whole log: events 1, 2, 3... each linked to the one
// before and matching its hash, and the last one the head onus wrote. A
// file not yet upgraded (no log head) has an unchained log: nothing to
// check.
func verifyLog(tx *bolt.Tx) error {
	log, meta := tx.Bucket(bucketLog), tx.Bucket(bucketMeta)
	if log == nil || meta == nil || meta.Get(keyLogHead) == nil {
		return nil
	}
	var lh model.ChainHead
	if _, err := getJSON(meta, keyLogHead, &lh); err != nil {
		return &IntegrityError{Finding: fmt.Sprintf("its head is unreadable: %v", err), Refused: "changed"}
	}
	var last LogEvent
	n := uint64(0)
	err := log.ForEach(func(k, v []byte) error {
		n++
		bad := func(why string) error {
			return &IntegrityError{Seq: n, Finding: fmt.Sprintf("event %d %s", n, why), Refused: "changed"}
		}
		var ev LogEvent
		switch {
		case json.Unmarshal(v, &ev) != nil:
			return bad("is unreadable")
		case string(k) != string(seqKey(n)) || ev.Seq != n:
			return bad("is missing or out of order (an event was removed or reordered)")
		case ev.PrevHash != last.Hash:
			return bad("does not link to the previous event's hash")
		case ev.computeHash() != ev.Hash:
			return bad("does not match its hash (it was modified)")
		}
		last = ev
		return nil
	})
	if err != nil {
		return err
	}
	if last.Seq != lh.Seq || last.Hash != lh.Hash {
		return &IntegrityError{Seq: last.Seq + 1, Finding: fmt.Sprintf("onus last wrote event %d (hash %.12s), but the log ends at event %d: events were removed outside onus", lh.Seq, lh.Hash, last.Seq), Refused: "changed"}
	}
	return nil
}

// adoptLog chains the events of a log written before the log had a chain,
// as they are found: from then on, an edit to them is detected, though
// nothing proves what they said before.
func adoptLog(tx *bolt.Tx) error {
	log := tx.Bucket(bucketLog)
	if log == nil {
		var err error
		if log, err = tx.CreateBucket(bucketLog); err != nil {
			return err
		}
	}
	var events []LogEvent
	var keys [][]byte
	err := log.ForEach(func(k, v []byte) error {
		var ev LogEvent
		if err := json.Unmarshal(v, &ev); err != nil {
			return fmt.Errorf("log event %x is unreadable: %w", k, err)
		}
		events, keys = append(events, ev), append(keys, append([]byte(nil), k...))
		return nil
	})
	if err != nil {
		return err
	}
	for _, k := range keys {
		if err := log.Delete(k); err != nil {
			return err
		}
	}
	var lh model.ChainHead
	for i, ev := range events {
		ev.Seq, ev.PrevHash = uint64(i+1), lh.Hash
		ev.Hash = ev.computeHash()
		if ev.Hash == "" {
			return errors.New("a log event cannot be hashed")
		}
		if err := putJSON(appendOnly(log), seqKey(ev.Seq), ev); err != nil {
			return err
		}
		lh = model.ChainHead{Seq: ev.Seq, Hash: ev.Hash, Time: ev.Time}
	}
	return putJSON(tx.Bucket(bucketMeta), keyLogHead, lh)
}
