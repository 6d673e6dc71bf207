package store

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/onus-gxp/onus/model"
)

// The audit trail, and what keeps it honest between two changes.
//
// Every change appends one entry to the assessment's trail and stores the
// assessment it leaves, in one transaction (record). Beside each trail the
// store keeps a head: the last entry, and digests of the bytes it wrote
// for the trail, the assessment, its answers and its summary. Before a
// change, the stored bytes are digested again and compared with the head
// (loadForChange): a value edited in the file, an entry edited, removed or
// added, is found without replaying the trail, and the assessment is not
// written to. Only then does the full check (verify) run, to name what
// changed.

// head is what the store keeps in bucket heads for each assessment.
type head struct {
	model.ChainHead        // the last entry
	Trail           string `json:"trail"`   // running SHA-256 over every entry as stored
	Rest            string `json:"rest"`    // SHA-256 of the stored assessment (without its answers)
	Answers         string `json:"answers"` // sum mod 2^256 of the SHA-256 of each stored answer
	Summary         string `json:"summary"` // SHA-256 of the stored summary
}

// stored is the digests of an assessment as loaded.
type stored struct {
	Rest, Answers, Summary string
}

func digest(raw []byte) string {
	sum := sha256.Sum256(raw)
	return hex.EncodeToString(sum[:])
}

// foldTrail extends a trail digest by one stored entry.
func foldTrail(prev string, key, raw []byte) string {
	h := sha256.New()
	h.Write([]byte(prev))
	h.Write(key)
	h.Write(raw)
	return hex.EncodeToString(h.Sum(nil))
}

// answerSum is the digest of a set of answers: the sum of the SHA-256 of
// each, so a change to one answer updates it without reading the others.
type answerSum [32]byte

// parseSum reads a stored sum; a malformed one reads as zero, which the
// check then finds does not match.
func parseSum(s string) answerSum {
	var a answerSum
	if b, err := hex.DecodeString(s); err == nil && len(b) == len(a) {
		copy(a[:], b)
	}
	return a
}

func (a answerSum) String() string { return hex.EncodeToString(a[:]) }

// add adds (or, with minus, subtracts) the digest of one stored answer.
func (a *answerSum) add(control, raw []byte, minus bool) {
	h := sha256.New()
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], uint64(len(control)))
	h.Write(n[:])
	h.Write(control)
	h.Write(raw)
	d := h.Sum(nil)
	carry := 0
	for i := 31; i >= 0; i-- {
		v := int(a[i]) + carry
		if minus {
			v -= int(d[i])
		} else {
			v += int(d[i])
		}
		carry = 0
		switch {
		case v < 0:
			v, carry = v+256, -1
		case v > 255:
			v, carry = v-256, 1
		}
		a[i] = byte(v)
	}
}

// appendOnly fills b's pages before they split, for a bucket whose keys
// only grow (a trail, the log: sequence numbers): bbolt splits a full
// page at FillPercent, half by default, which leaves every page of such a
// bucket half empty for good, as no key ever lands before the last. The
// setting lasts only as long as the transaction's bucket handle.
func appendOnly(b *bolt.Bucket) *bolt.Bucket {
	b.FillPercent = 1
	return b
}

func seqKey(n uint64) []byte {
	var k [8]byte
	binary.BigEndian.PutUint64(k[:], n)
	return k[:]
}

func (db *DB) now() time.Time { return db.opt.Now().UTC() }

// change runs one audited change on an assessment in one transaction,
// after checking the assessment against its head. edit returns the target,
// the old and the new value. A change to answers or evidence of an
// assessment whose answers still carry free-text evidence first files it
// in the register (fileFreeText).
func (db *DB) change(id, action, reason string, edit func(a *model.Assessment) (target string, old, new any, err error)) (model.Assessment, error) {
	return db.changes(id, action, func(r *batch) error {
		target, old, new, err := edit(r.a)
		if err != nil {
			return err
		}
		return r.record(action, target, old, new, reason)
	})
}

// batch records entries on one assessment inside a change's
// transaction, each on the state the last one left.
type batch struct {
	db *DB
	tx *bolt.Tx
	a  *model.Assessment
	h  head
	p  pending // what the entries changed, stored once they are all recorded
}

func (r *batch) record(action, target string, old, new any, reason string) error {
	h, err := r.db.appendEntry(r.tx, r.a, r.h, &r.p, action, target, old, new, reason)
	if err == nil {
		r.h = h
	}
	return err
}

// changes runs fn, which records one or more entries (a first, action,
// decides whether a deleted assessment may take them and whether free
// text is filed first), as one transaction: all or none.
func (db *DB) changes(id, action string, fn func(r *batch) error) (model.Assessment, error) {
	db.mu.Lock()
	defer db.mu.Unlock()
	// Take the cached assessment out first: whatever happens below, the
	// cache is only ever set from a committed change.
	cached := db.last
	db.last = nil
	var out lastChange
	var copied chan model.Assessment
	err := db.updateOf(assessment(id), func(tx *bolt.Tx) error {
		var a model.Assessment
		var h head
		filed := false
		var counted *progress
		if cached != nil && cached.a.ID == id {
			a, h, filed, counted = cached.a, cached.head, cached.filed, cached.counted
		} else {
			var err error
			if a, h, err = loadForChange(tx, id, "written to"); err != nil {
				return err
			}
		}
		if a.Deleted && action != model.ActDelete && action != model.ActRestore {
			return fmt.Errorf("assessment %s is deleted; restore it first (onus restore %s)", id, id)
		}
		r := &batch{db: db, tx: tx, a: &a, h: h, p: pending{counted: counted}}
		if filesFirst(action) && !filed {
			if err := r.fileFreeText(); err != nil {
				return err
			}
		}
		if err := fn(r); err != nil {
			return err
		}
		if r.p.recorded {
			var err error
			if counted, err = db.seal(tx, r.a, &r.h, &r.p); err != nil {
				return err
			}
		}
		out = lastChange{a, r.h, filed || filesFirst(action), counted}
		// The caller's copy is made while the commit waits for the disk
		// (cloning every answer is most of a save's CPU once an
		// assessment has hundreds): nothing changes a until the next
		// change, which waits for db.mu.
		copied = make(chan model.Assessment, 1)
		go func() { copied <- a.Clone() }()
		return nil
	})
	if err != nil {
		return model.Assessment{}, err
	}
	db.markChanged(out.head.Time)
	db.committed(out.a)
	db.last = &out
	return <-copied, nil
}

// record appends one entry to an assessment's trail, checks it and applies
// it through model.Step (as an import would replay it), and stores the
// assessment, its summary and its head: all in the caller's transaction.
// h is the trail's head (zero for a new trail); the new head is returned.
func (db *DB) record(tx *bolt.Tx, a *model.Assessment, h head, action, target string, old, new any, reason string) (head, error) {
	var p pending
	h, err := db.appendEntry(tx, a, h, &p, action, target, old, new, reason)
	if err != nil {
		return h, err
	}
	_, err = db.seal(tx, a, &h, &p)
	return h, err
}

// pending is what the entries appended in one transaction changed, for
// seal to store once after the last of them: a change that records
// several entries (an answer and its evidence links) writes the
// assessment, its summary, its head and each answer once, not once per
// entry.
type pending struct {
	recorded bool
	answers  bool     // they changed answers (none, for a new assessment without any)
	controls []string // whose answers they changed, repeats allowed

	// The progress counts are counted from counted, those of the summary
	// before the entries, when these changed only answers: was holds each
	// answered control's status before. recount: they changed more.
	counted *progress
	was     map[string]model.Status
	recount bool
}

// progress is the counts a summary holds, and the hash of the catalog
// that counted them.
type progress struct {
	answered int
	with     string
}

// appendEntry appends one entry to an assessment's trail, checks it and
// applies it to a through model.Step (as an import would replay it), and
// notes in p what seal must store. h is the trail's head (zero for a new
// trail); the new head is returned.
func (db *DB) appendEntry(tx *bolt.Tx, a *model.Assessment, h head, p *pending, action, target string, old, new any, reason string) (head, error) {
	if err := model.ValidateActor(db.actor); err != nil {
		return h, err
	}
	if err := model.CheckText("reason", reason, model.MaxTextBytes); err != nil {
		return h, err
	}
	if err := model.CheckValueText("the new value", new); err != nil {
		return h, err
	}
	if h.Seq >= model.MaxTrailEntries {
		return h, fmt.Errorf("the trail of %s holds %d entries, the most a bundle carries; duplicate the assessment to go on", a.ID, h.Seq)
	}
	now := db.now()
	if now.Before(h.Time) {
		return h, &ClockError{Now: now, Last: h.Time}
	}
	e := model.AuditEntry{Assessment: a.ID, Seq: h.Seq + 1, Time: now, Actor: db.actor, Action: action, Target: target,
		Reason: reason, Format: model.EntryFormat, PrevHash: h.Hash}
	var err error
	if old != nil {
		if e.Old, err = json.Marshal(old); err != nil {
			return h, err
		}
	}
	if e.New, err = json.Marshal(new); err != nil {
		return h, err
	}
	if e.Hash = e.ComputeHash(); e.Hash == "" {
		return h, fmt.Errorf("%s %s: the entry cannot be hashed", action, target)
	}
	switch action {
	case model.ActAnswer:
		c := strings.TrimPrefix(target, "answer/")
		if _, ok := p.was[c]; !ok {
			if p.was == nil {
				p.was = map[string]model.Status{}
			}
			p.was[c] = a.Answer(c).Status
		}
	case model.ActLinks, model.ActEntry: // no status, scope or service changes
	default:
		p.recount = true
	}
	if err := model.Step(a, h.ChainHead, e, nil); err != nil {
		var final *model.FinalError
		if errors.As(err, &final) {
			return h, final // says how to reopen
		}
		var ce *model.ChainError
		if errors.As(err, &ce) {
			return h, fmt.Errorf("onus will not record this change: %s", ce.Reason)
		}
		return h, err
	}
	trail, err := tx.Bucket(bucketTrails).CreateBucketIfNotExists([]byte(a.ID))
	if err != nil {
		return h, err
	}
	if err := putEntry(trail, &h, e); err != nil {
		return h, err
	}
	p.recorded = true
	var controls []string
	switch action {
	case model.ActCreate, model.ActSalvage:
		controls = slices.Collect(maps.Keys(a.Answers))
	case model.ActAnswer:
		controls = []string{strings.TrimPrefix(target, "answer/")}
	case model.ActLinks:
		controls = []string{strings.TrimPrefix(target, "links/")}
	case model.ActFile:
		controls = slices.Collect(maps.Keys(new.(model.Filing).Links))
	case model.ActCatalog:
		controls = new.(model.CatalogMove).Dropped
	default:
		return h, nil
	}
	p.answers, p.controls = true, append(p.controls, controls...)
	return h, nil
}

// seal stores what the entries appended since the last seal changed (p):
// the answers they changed, the assessment and its summary, and the head
// recording the digests of all of it. It returns the summary's progress
// counts when the catalog in effect counted them.
func (db *DB) seal(tx *bolt.Tx, a *model.Assessment, h *head, p *pending) (*progress, error) {
	if p.answers {
		slices.Sort(p.controls)
		if err := putAnswersDigest(tx, a, slices.Compact(p.controls), h); err != nil {
			return nil, err
		}
	}
	sum := db.summaryAfter(a, p)
	*p = pending{}
	if err := putStored(tx, a, sum, h); err != nil {
		return nil, err
	}
	if err := putJSON(tx.Bucket(bucketHeads), []byte(a.ID), *h); err != nil {
		return nil, err
	}
	if sum.CountedWith == "" {
		return nil, nil
	}
	return &progress{answered: sum.Answered, with: sum.CountedWith}, nil
}

// summaryAfter is db.summary, counted from the summary before the
// entries p records when they changed answers alone, with the same
// catalog.
func (db *DB) summaryAfter(a *model.Assessment, p *pending) model.Summary {
	cat := db.catalog()
	if cat == nil || p.recount || p.counted == nil || p.counted.with != cat.Hash {
		return db.summary(a)
	}
	s := summaryOf(a, func(a *model.Assessment) (int, int) { return cat.ProgressAfter(a, p.counted.answered, p.was) })
	s.CountedWith = cat.Hash
	return s
}

// putEntry stores one entry and moves the head to it.
func putEntry(trail *bolt.Bucket, h *head, e model.AuditEntry) error {
	raw, err := json.Marshal(e)
	if err != nil {
		return err
	}
	key := seqKey(e.Seq)
	if err := appendOnly(trail).Put(key, raw); err != nil {
		return err
	}
	h.Trail = foldTrail(h.Trail, key, raw)
	h.ChainHead = e.Link()
	return nil
}

// putAssessment stores an assessment without its answers (putAnswers keeps
// those, one per key, so answering a control writes one small value rather
// than the whole assessment), and its summary, recording both in h.
func (db *DB) putAssessment(tx *bolt.Tx, a *model.Assessment, h *head) error {
	return putStored(tx, a, db.summary(a), h)
}

// putStored is putAssessment with the summary given.
func putStored(tx *bolt.Tx, a *model.Assessment, summary model.Summary, h *head) error {
	rest := *a
	rest.Answers = nil
	raw, err := json.Marshal(rest)
	if err != nil {
		return err
	}
	if err := tx.Bucket(bucketAssessments).Put([]byte(a.ID), raw); err != nil {
		return err
	}
	sum, err := json.Marshal(summary)
	if err != nil {
		return err
	}
	h.Rest, h.Summary = digest(raw), digest(sum)
	return tx.Bucket(bucketSummaries).Put([]byte(a.ID), sum)
}

// putAnswers stores the answers of a to the given controls, deleting the
// ones a no longer has.
func putAnswers(tx *bolt.Tx, a *model.Assessment, controls []string) error {
	return putAnswersDigest(tx, a, controls, nil)
}

// putAnswersDigest is putAnswers keeping h's digest of the answers (when
// h is not nil) up to date with what it replaces.
func putAnswersDigest(tx *bolt.Tx, a *model.Assessment, controls []string, h *head) error {
	b, err := tx.Bucket(bucketAnswers).CreateBucketIfNotExists([]byte(a.ID))
	if err != nil {
		return err
	}
	var sum answerSum
	if h != nil {
		sum = parseSum(h.Answers)
	}
	for _, c := range controls {
		key := []byte(c)
		if old := b.Get(key); old != nil {
			sum.add(key, old, true)
		}
		ans, ok := a.Answers[c]
		if !ok {
			if err := b.Delete(key); err != nil {
				return err
			}
			continue
		}
		raw, err := json.Marshal(ans)
		if err != nil {
			return err
		}
		if err := b.Put(key, raw); err != nil {
			return err
		}
		sum.add(key, raw, false)
	}
	if h != nil {
		h.Answers = sum.String()
	}
	return nil
}

// loadAssessment reads an assessment with its answers. Files before schema
// 3 (read without migrating) keep the answers inside the assessment.
func loadAssessment(tx *bolt.Tx, id string) (model.Assessment, error) {
	a, _, err := loadStored(tx, id)
	return a, err
}

// loadStored is loadAssessment with the digests of what it read.
func loadStored(tx *bolt.Tx, id string) (model.Assessment, stored, error) {
	var a model.Assessment
	var st stored
	raw := tx.Bucket(bucketAssessments).Get([]byte(id))
	if raw == nil {
		return a, st, &NotFoundError{ID: id}
	}
	st.Rest = digest(raw)
	if err := json.Unmarshal(raw, &a); err != nil {
		return a, st, fmt.Errorf("assessment %s is unreadable (run onus verify): %w", id, err)
	}
	if sums := tx.Bucket(bucketSummaries); sums != nil {
		if s := sums.Get([]byte(id)); s != nil {
			st.Summary = digest(s)
		}
	}
	var sum answerSum
	st.Answers = sum.String()
	var answers *bolt.Bucket
	if b := tx.Bucket(bucketAnswers); b != nil {
		answers = b.Bucket([]byte(id))
	}
	if answers == nil {
		return a, st, nil
	}
	err := answers.ForEach(func(k, v []byte) error {
		var ans model.Answer
		if err := json.Unmarshal(v, &ans); err != nil {
			return fmt.Errorf("the answer to %s in assessment %s is unreadable (run onus verify): %w", k, id, err)
		}
		sum.add(k, v, false)
		if a.Answers == nil {
			a.Answers = map[string]model.Answer{}
		}
		a.Answers[string(k)] = ans
		return nil
	})
	st.Answers = sum.String()
	return a, st, err
}

// loadForChange loads an assessment that is about to change (or be purged,
// duplicated or salvaged from), and its head, after checking that the
// stored bytes are the ones onus wrote. When they are not, the full check
// names what changed, and the result is an IntegrityError saying what was
// refused.
func loadForChange(tx *bolt.Tx, id, refused string) (model.Assessment, head, error) {
	a, st, err := loadStored(tx, id)
	if errors.Is(err, ErrNotFound) {
		return a, head{}, err
	}
	var h head
	if err == nil {
		if h, err = checkHead(tx, id, st); err == nil {
			return a, h, nil
		}
	}
	r := verifyTx(tx, id)
	if r.Err == "" {
		// Only a file not upgraded yet (read-only: nothing is written to
		// it) has no head to compare, and passes the full check.
		return a, h, nil
	}
	return a, h, &IntegrityError{ID: id, Seq: r.Seq, Finding: r.Err, Refused: refused}
}

// checkHead compares what was loaded, and the stored trail, with the head
// onus wrote last, and returns that head.
func checkHead(tx *bolt.Tx, id string, st stored) (head, error) {
	var h head
	heads := tx.Bucket(bucketHeads)
	if heads == nil {
		return h, errors.New("the file has no head records yet (it is upgraded by the first onus that opens it for writing)")
	}
	ok, err := getJSON(heads, []byte(id), &h)
	switch {
	case err != nil:
		return h, fmt.Errorf("its head record is unreadable: %w", err)
	case !ok:
		return h, errors.New("it has no head record (its trail was not written by onus, or it failed its check when the file was upgraded)")
	}
	var last model.ChainHead
	folded := ""
	if trail := tx.Bucket(bucketTrails).Bucket([]byte(id)); trail != nil {
		c := trail.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			folded = foldTrail(folded, k, v)
		}
		if k, v := c.Last(); k != nil {
			json.Unmarshal(v, &last)
		}
	}
	switch {
	case last.Seq != h.Seq || last.Hash != h.Hash:
		return h, fmt.Errorf("onus last wrote entry %d (hash %.12s), but the trail ends at entry %d (hash %.12s): entries were removed, added or rewritten outside onus",
			h.Seq, h.Hash, last.Seq, last.Hash)
	case folded != h.Trail:
		return h, errors.New("its trail is not as onus wrote it (an entry was edited outside onus)")
	case st.Rest != h.Rest:
		return h, errors.New("the stored assessment is not as onus last wrote it (edited outside onus)")
	case st.Answers != h.Answers:
		return h, errors.New("its stored answers are not as onus last wrote them (edited outside onus)")
	case st.Summary != h.Summary:
		return h, errors.New("its list summary is not as onus last wrote it (edited outside onus)")
	}
	return h, nil
}

// History returns an assessment's audit trail, oldest first.
func (db *DB) History(id string) ([]model.AuditEntry, error) {
	var out []model.AuditEntry
	err := db.viewOf(assessment(id), func(tx *bolt.Tx) error {
		var err error
		out, err = loadTrail(tx, id)
		return err
	})
	return out, err
}

func loadTrail(tx *bolt.Tx, id string) ([]model.AuditEntry, error) {
	trail := tx.Bucket(bucketTrails).Bucket([]byte(id))
	if trail == nil {
		return nil, &NotFoundError{ID: id}
	}
	var out []model.AuditEntry
	err := trail.ForEach(func(k, v []byte) error {
		var e model.AuditEntry
		if err := json.Unmarshal(v, &e); err != nil {
			return fmt.Errorf("audit entry %x of %s is unreadable (run onus verify): %w", k, id, err)
		}
		out = append(out, e)
		return nil
	})
	return out, err
}

func cloneServices(in []model.SelectedService) []model.SelectedService {
	out := make([]model.SelectedService, len(in))
	for i, s := range in {
		s.Overrides = slices.Clone(s.Overrides)
		if s.GAMP != nil {
			g := *s.GAMP
			s.GAMP = &g
		}
		out[i] = s
	}
	return out
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }
