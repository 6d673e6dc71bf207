package store

// Benchmarks in pairs, so one run gives ratios (scripts/bench-store.sh):
//
//   AnswerCommit / RawWriteFsync: what a committed, audited answer costs
//   over the bare minimum of writing as many bytes and fsyncing them.
//   AnswerVsRaw alternates the two in one loop and reports the ratio.
//
//   OpenList1000 / OpenReadOneKey: `onus list --json` (open with its
//   integrity check, list 1,000 summaries, close) over a minimal program
//   (bbolt read-only open, one Get, close). List1000 is the listing alone.
//   ListVsReadOneKey alternates the two and reports the ratio.

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/onus-gxp/onus/assets"
	"github.com/onus-gxp/onus/internal/synth"
	"github.com/onus-gxp/onus/model"
)

// benchAnswer is the answer both halves of the commit pair write.
func benchAnswer(i int) model.Answer {
	return model.Answer{Control: fmt.Sprintf("REC-%02d", i%50), Status: model.Statuses[i%4], Notes: "reviewed with QA on site",
		Evidence: []model.EvidenceRef{{Title: "OQ report", DocumentID: "OQ-042", Version: "2.0", Date: "2025-10-01",
			Location: "DMS/val/OQ-042", Supplier: model.SupplierCustomer}}}
}

func BenchmarkAnswerCommit(b *testing.B) {
	db, _ := openTest(b, "bench")
	defer db.Close()
	a, err := db.Create(model.Assessment{Name: "bench", Services: model.Select("ec2", "s3", "rds")})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if _, err := db.Answer(a.ID, benchAnswer(i), ""); err != nil {
			b.Fatal(err)
		}
	}
}

// answerBytes is the size of one answer's JSON plus its audit entry's.
func answerBytes(b *testing.B) int {
	ans := benchAnswer(1)
	ans.UpdatedAt, ans.UpdatedBy = time.Now().UTC(), "bench"
	raw, err := json.Marshal(ans)
	if err != nil {
		b.Fatal(err)
	}
	e := model.AuditEntry{Assessment: "06h28s4m70841h55", Seq: 42, Time: time.Now().UTC(), Actor: "bench", Action: model.ActAnswer,
		Target: "answer/" + ans.Control, Old: raw, New: raw, PrevHash: fmt.Sprintf("%064x", 1)}
	e.Hash = e.ComputeHash()
	entry, err := json.Marshal(e)
	if err != nil {
		b.Fatal(err)
	}
	return len(raw) + len(entry)
}

func BenchmarkRawWriteFsync(b *testing.B) {
	n := answerBytes(b)
	f, err := os.OpenFile(filepath.Join(b.TempDir(), "raw"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	buf := make([]byte, n)
	for i := range buf {
		buf[i] = byte('a' + i%26)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := f.Write(buf); err != nil {
			b.Fatal(err)
		}
		if err := f.Sync(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n), "bytes/write")
}

// BenchmarkAnswerVsRaw alternates the two halves of the commit pair in one
// loop on the same disk, so both meet the same conditions. It reports the
// ratio of their total times as answer/raw (the cost of a session's saves,
// the goal's measure since the store was built) with the mean of each, and
// the ratio of their medians as answer/raw-median (a typical single save;
// the raw write's slow syncs weigh less there, so the ratio is higher).
// BenchmarkAnswerVsRaw saves answers as the wizard and the command line
// do, with the store counting the assessment's progress in every write
// (Options.Progress), on the hard case: an assessment of 80 services on a
// catalog ten times the default.
func BenchmarkAnswerVsRaw(b *testing.B) {
	cat := scaledCatalog(b, 10)
	path := filepath.Join(b.TempDir(), "onus.db")
	db, err := Open(path, Options{Actor: "bench", Now: newClock().Now, Progress: cat.Progress, Catalog: func() *model.Catalog { return cat }})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	a, err := db.Create(model.Assessment{Name: "bench", Services: model.Select(synth.PickServices(cat, 80)...)})
	if err != nil {
		b.Fatal(err)
	}
	var controls []string
	for _, c := range cat.Applicable(a.Scope, a.Services) {
		controls = append(controls, c.ID)
	}
	if len(controls) < 500 {
		b.Fatalf("%d applicable controls: not the 10x case", len(controls))
	}
	answerOf := func(i int) model.Answer {
		ans := benchAnswer(i)
		ans.Control = controls[i%len(controls)]
		return ans
	}
	f, err := os.OpenFile(filepath.Join(filepath.Dir(path), "raw"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	buf := make([]byte, answerBytes(b))
	var raw, answer time.Duration
	var raws, answers []time.Duration
	for i := 0; b.Loop(); i++ {
		t0 := time.Now()
		if _, err := f.Write(buf); err != nil {
			b.Fatal(err)
		}
		if err := f.Sync(); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		if _, err := db.Answer(a.ID, answerOf(i), ""); err != nil {
			b.Fatal(err)
		}
		r, an := t1.Sub(t0), time.Since(t1)
		raw, answer = raw+r, answer+an
		raws, answers = append(raws, r), append(answers, an)
	}
	b.ReportMetric(float64(answer)/float64(raw), "answer/raw")
	b.ReportMetric(float64(raw.Nanoseconds())/float64(b.N), "raw-ns/op")
	b.ReportMetric(float64(answer.Nanoseconds())/float64(b.N), "answer-ns/op")
	mr, ma := median(raws), median(answers)
	b.ReportMetric(float64(ma)/float64(mr), "answer/raw-median")
	b.ReportMetric(float64(mr.Nanoseconds()), "raw-median-ns")
	b.ReportMetric(float64(ma.Nanoseconds()), "answer-median-ns")
}

// scaledCatalog is the embedded catalog factor times larger.
func scaledCatalog(b testing.TB, factor int) *model.Catalog {
	base, err := model.ParseCatalog(assets.Catalog(), assets.CatalogName)
	if err != nil {
		b.Fatal(err)
	}
	raw, err := json.Marshal(synth.Scale(base, factor))
	if err != nil {
		b.Fatal(err)
	}
	cat, err := model.ParseCatalog(raw, "synthetic")
	if err != nil {
		b.Fatal(err)
	}
	return cat
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

// The 1,000-assessment file is built once per process, each assessment
// imported with a trail of a creation and 20 answers.
var (
	list1000Once sync.Once
	list1000Dir  string
	list1000Path string
	list1000ID   string
	list1000Err  error
)

func list1000(b testing.TB) string {
	list1000Once.Do(func() {
		if list1000Dir, list1000Err = os.MkdirTemp("", "onus-bench-"); list1000Err != nil {
			return
		}
		list1000Path = filepath.Join(list1000Dir, "onus.db")
		db, err := Open(list1000Path, Options{Actor: "bench"})
		if err != nil {
			list1000Err = err
			return
		}
		defer db.Close()
		at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		for i := range 1000 {
			v := &v1Assessment{}
			id := fmt.Sprintf("bench%011d", i)
			v.add(b, at, "bench", model.ActCreate, "assessment", nil, model.Assessment{ID: id, Name: fmt.Sprintf("Assessment %d", i),
				Organisation: "Acme", System: "LIMS", Scope: model.Scope{Impact: model.ImpactDirect}, Services: model.Select("ec2", "s3", "rds"),
				Workflow: model.WorkflowDraft, CreatedAt: at, UpdatedAt: at, CreatedBy: "bench"}, "")
			for j := range 20 {
				at = at.Add(time.Second)
				ans := benchAnswer(j)
				ans.UpdatedAt, ans.UpdatedBy = at, "bench"
				v.add(b, at, "bench", model.ActAnswer, "answer/"+ans.Control, nil, ans, "")
			}
			if _, err := db.Import(model.NewBundle(v.a, v.trail)); err != nil {
				list1000Err = err
				return
			}
			if i == 500 {
				list1000ID = id
			}
		}
	})
	if list1000Err != nil {
		b.Fatal(list1000Err)
	}
	return list1000Path
}

var list1000Out = flag.String("list1000-out", "", "copy the 1,000-assessment benchmark file to this path (scripts/bench-store.sh)")

// TestWriteList1000 writes the benchmark file for the process-level
// comparison in scripts/bench-store.sh, and prints the id it reads.
func TestWriteList1000(t *testing.T) {
	if *list1000Out == "" {
		t.Skip("run with -list1000-out FILE")
	}
	copyFile(t, list1000(t), *list1000Out)
	fmt.Println("list1000-id", list1000ID)
}

func TestMain(m *testing.M) {
	code := m.Run()
	if list1000Dir != "" {
		os.RemoveAll(list1000Dir)
	}
	os.Exit(code)
}

func BenchmarkList1000(b *testing.B) {
	path := list1000(b)
	db, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	b.ResetTimer()
	for b.Loop() {
		sums, err := db.List(false)
		if err != nil || len(sums) != 1000 {
			b.Fatalf("List: %d, %v", len(sums), err)
		}
	}
}

func BenchmarkOpenReadOneKey(b *testing.B) {
	path := list1000(b)
	b.ResetTimer()
	for b.Loop() {
		bdb, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		bdb.View(func(tx *bolt.Tx) error {
			n = len(tx.Bucket([]byte("assessments")).Get([]byte(list1000ID)))
			return nil
		})
		if n == 0 {
			b.Fatal("key not found")
		}
		if err := bdb.Close(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkOpenList1000(b *testing.B) {
	path := list1000(b)
	b.ResetTimer()
	for b.Loop() {
		db, err := Open(path, Options{ReadOnly: true})
		if err != nil {
			b.Fatal(err)
		}
		sums, err := db.List(false)
		if err != nil || len(sums) != 1000 {
			b.Fatalf("List: %d, %v", len(sums), err)
		}
		if err := db.Close(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkListVsReadOneKey alternates the two halves of the list pair and
// reports the ratio of their total times as list/one-key.
func BenchmarkListVsReadOneKey(b *testing.B) {
	path := list1000(b)
	var list, one time.Duration
	for b.Loop() {
		t0 := time.Now()
		db, err := Open(path, Options{ReadOnly: true})
		if err != nil {
			b.Fatal(err)
		}
		if sums, err := db.List(false); err != nil || len(sums) != 1000 {
			b.Fatalf("List: %d, %v", len(sums), err)
		}
		db.Close()
		t1 := time.Now()
		bdb, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
		if err != nil {
			b.Fatal(err)
		}
		bdb.View(func(tx *bolt.Tx) error {
			if tx.Bucket([]byte("assessments")).Get([]byte(list1000ID)) == nil {
				b.Fatal("key not found")
			}
			return nil
		})
		bdb.Close()
		list, one = list+t1.Sub(t0), one+time.Since(t1)
	}
	b.ReportMetric(float64(list)/float64(one), "list/one-key")
}

// BenchmarkFileBytesPerAnswer answers 10,000 times, over the 880
// applicable controls of 80 services of the 10x catalog, and reports the
// file's size per answer (goal: 1.5 KB), and the part of it bbolt has
// used: it grows the file in steps (doubling up to 1 GiB), and pages a
// commit frees stay inside.
func BenchmarkFileBytesPerAnswer(b *testing.B) {
	const answers = 10000
	cat := scaledCatalog(b, 10)
	for b.Loop() {
		path := filepath.Join(b.TempDir(), "onus.db")
		db, err := Open(path, Options{Actor: "bench", Now: newClock().Now, Progress: cat.Progress})
		if err != nil {
			b.Fatal(err)
		}
		a, err := db.Create(model.Assessment{Name: "bench", Services: model.Select(synth.PickServices(cat, 80)...)})
		if err != nil {
			b.Fatal(err)
		}
		var controls []string
		for _, c := range cat.Applicable(a.Scope, a.Services) {
			controls = append(controls, c.ID)
		}
		for i := range answers {
			ans := benchAnswer(i)
			ans.Control = controls[i%len(controls)]
			if _, err := db.Answer(a.ID, ans, ""); err != nil {
				b.Fatal(err)
			}
		}
		if err := db.Close(); err != nil {
			b.Fatal(err)
		}
		info, err := os.Stat(path)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(info.Size())/answers, "bytes/answer")
		bdb, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
		if err != nil {
			b.Fatal(err)
		}
		err = bdb.View(func(tx *bolt.Tx) error {
			b.ReportMetric(float64(tx.Size())/answers, "highwater-bytes/answer")
			return nil
		})
		bdb.Close()
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSaveBackupDue saves answers in a file of 1,000 assessments, as
// a wizard or onus serve session does, alternating two saves that find a
// rolling backup due (the first starts it; the second comes while it is
// written) with two saves that do not, after it is done. It reports the
// mean of each pair and their ratio as due/none (goal: 1.5x). The copy of
// the file is synced, and saved to once, before anything is timed: the
// first save's sync would otherwise write out the whole 39 MiB copy,
// which no user's file has waiting (it was 40 ms of the first due pair).
func BenchmarkSaveBackupDue(b *testing.B) {
	path := filepath.Join(b.TempDir(), "onus.db")
	copyFile(b, list1000(b), path)
	syncFile(b, path)
	c := &clock{now: time.Now()}
	db, err := Open(path, Options{Actor: "bench", Now: c.Now})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	save := func(i int) time.Duration {
		t0 := time.Now()
		if _, err := db.Answer(list1000ID, benchAnswer(i), ""); err != nil {
			b.Fatal(err)
		}
		return time.Since(t0)
	}
	save(0)
	db.backups.Wait() // the copy has no backups: the first save starts one
	var due, none time.Duration
	for i := 0; b.Loop(); i++ {
		c.mu.Lock()
		c.now = c.now.Add(2 * backupInterval)
		c.mu.Unlock()
		due += save(4*i) + save(4*i+1)
		db.backups.Wait()
		db.mu.Lock()
		written := !db.backupDue(c.now)
		db.mu.Unlock()
		if !written {
			b.Fatal("no backup was written")
		}
		none += save(4*i+2) + save(4*i+3)
	}
	n := float64(2 * b.N)
	b.ReportMetric(float64(due.Nanoseconds())/n, "due-ns/save")
	b.ReportMetric(float64(none.Nanoseconds())/n, "none-ns/save")
	b.ReportMetric(float64(due)/float64(none), "due/none")
	info, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(info.Size())/(1<<20), "file-MiB")
}
