package tui

import (
	"errors"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/store"
)

// countingGets counts the store's reads of one assessment.
type countingGets struct {
	Store
	gets *atomic.Int32
}

func (c countingGets) Get(id string) (model.Assessment, error) {
	c.gets.Add(1)
	return c.Store.Get(id)
}

// listedTwo is a wizard on the home list of two assessments with a
// service each, the newer ("Newer") highlighted, with the store's reads
// of an assessment counted from here on.
func listedTwo(t *testing.T) (*harness, *atomic.Int32, [2]string) {
	t.Helper()
	gets := &atomic.Int32{}
	h := newHarnessWith(t, 100, 30, func(db *store.DB) Store { return countingGets{db, gets} }, nil)
	var ids [2]string
	for i, name := range []string{"Older", "Newer"} {
		a, err := h.db.Create(model.Assessment{Name: name, Services: []model.SelectedService{{ID: "ec2"}}})
		if err != nil {
			t.Fatal(err)
		}
		ids[i] = a.ID
	}
	h.run(h.m.loadSummaries())
	if s, _ := h.m.home.selected(h.m); s.ID != ids[1] {
		t.Fatalf("the highlighted assessment is %q, want the newer one", s.Name)
	}
	gets.Store(0)
	return h, gets, ids
}

// send delivers a message and holds back the messages its commands bring
// that hold picks; the others are delivered.
func (h *harness) sendHolding(msg tea.Msg, hold func(tea.Msg) bool) []tea.Msg {
	next, cmd := h.m.Update(msg)
	h.m = next.(*Model)
	return h.deliver(cmd, hold)
}

func isPrefetch(msg tea.Msg) bool { _, ok := msg.(prefetchedMsg); return ok }

// readAheadHeld has the newer assessment read ahead again and holds that
// read in flight: a change to the older one makes the copy there out of
// date, and the next message starts another.
func readAheadHeld(t *testing.T, h *harness, ids [2]string) tea.Msg {
	t.Helper()
	if _, err := h.db.As("someone else").UpdateInfo(ids[0], model.Info{Name: "Older, renamed"}, ""); err != nil {
		t.Fatal(err)
	}
	held := h.sendHolding(tea.WindowSizeMsg{Width: 100, Height: 30}, isPrefetch)
	if len(held) != 1 || !h.m.pre.running || h.m.pre.id != ids[1] {
		t.Fatalf("no read ahead of the newer assessment in flight (%d held)", len(held))
	}
	return held[0]
}

// The home list reads the highlighted assessment ahead, and enter opens
// it with that copy, without reading it again.
func TestEnterOpensTheAssessmentReadAhead(t *testing.T) {
	h, gets, ids := listedTwo(t)
	h.press("down", "up") // reads the older one ahead, then the newer again
	if n := gets.Load(); n != 2 {
		t.Fatalf("moving the highlight read %d assessments ahead, want 2", n)
	}
	h.press("enter")
	if h.m.a == nil || h.m.a.ID != ids[1] || h.m.screen != screenQuestions {
		t.Fatalf("enter did not open the newer assessment at its questions:\n%s", h.view())
	}
	if n := gets.Load(); n != 2 {
		t.Fatalf("enter read the assessment again (%d reads): the copy read ahead was not used", n)
	}
	if h.m.pre.msg != nil {
		t.Fatal("the copy read ahead is kept after it was opened: it would be opened twice")
	}
}

// A change to the file after the copy was read (here another user's
// answer, as onus serve or a relayed command makes it) makes enter read
// the assessment again: what opens is what the file holds.
func TestEnterReadsAgainWhenTheFileChangedSinceTheReadAhead(t *testing.T) {
	h, gets, ids := listedTwo(t)
	if h.m.pre.msg == nil || h.m.pre.id != ids[1] {
		t.Fatal("the highlighted assessment was not read ahead")
	}
	ctrl := h.m.pre.msg.review.Applicable[0].ID
	if _, err := h.db.As("someone else").Answer(ids[1], model.Answer{Control: ctrl, Status: model.StatusPartial}, ""); err != nil {
		t.Fatal(err)
	}
	h.press("enter")
	if h.m.a == nil || h.m.a.ID != ids[1] {
		t.Fatalf("enter did not open the newer assessment:\n%s", h.view())
	}
	if got := h.m.cur.Answer(ctrl).Status; got != model.StatusPartial {
		t.Fatalf("the assessment opened without the answer saved after the read ahead (status %q): a stale copy was shown", got)
	}
	if n := gets.Load(); n != 1 {
		t.Fatalf("%d reads after the read ahead, want enter's own", n)
	}
}

// The copy is of a day: evidence goes stale by the date, so after
// midnight enter reads (and judges) again.
func TestEnterReadsAgainOnAnotherDay(t *testing.T) {
	h, gets, ids := listedTwo(t)
	h.m.cfg.Now = func() time.Time { return testNow.Add(24 * time.Hour) }
	h.press("enter")
	if h.m.a == nil || h.m.a.ID != ids[1] {
		t.Fatalf("enter did not open the newer assessment:\n%s", h.view())
	}
	if n := gets.Load(); n != 1 {
		t.Fatalf("%d reads after the read ahead: a copy read ahead yesterday was opened today", n)
	}
}

// Enter while the read ahead is still in flight waits for it, with the
// keys after it, rather than reading beside it; it then opens with it,
// and the keys act on the questions, in order.
func TestEnterWaitsForTheReadAheadInFlight(t *testing.T) {
	h, gets, ids := listedTwo(t)
	held := readAheadHeld(t, h, ids)
	h.press("enter", "down")
	if h.m.a != nil {
		t.Fatal("enter opened before the read ahead came")
	}
	h.send(held)
	if h.m.a == nil || h.m.a.ID != ids[1] || h.m.screen != screenQuestions {
		t.Fatalf("the read ahead did not open the newer assessment:\n%s", h.view())
	}
	if n := gets.Load(); n != 1 {
		t.Fatalf("%d reads, want the read ahead only", n)
	}
	if h.m.questions.cursor != 1 {
		t.Fatalf("the key pressed after enter did not move to the second question (cursor %d)", h.m.questions.cursor)
	}
}

// A read ahead that comes back after a change to the file is not opened:
// the enter that waited for it reads again.
func TestEnterWaitingForAStaleReadAheadReadsAgain(t *testing.T) {
	h, gets, ids := listedTwo(t)
	held := readAheadHeld(t, h, ids)
	ctrl := held.(prefetchedMsg).msg.review.Applicable[0].ID
	if _, err := h.db.As("someone else").Answer(ids[1], model.Answer{Control: ctrl, Status: model.StatusPartial}, ""); err != nil {
		t.Fatal(err)
	}
	h.press("enter")
	if h.m.a != nil {
		t.Fatal("enter opened before the read ahead came")
	}
	h.send(held)
	if h.m.a == nil || h.m.a.ID != ids[1] {
		t.Fatalf("enter did not open the newer assessment:\n%s", h.view())
	}
	if got := h.m.cur.Answer(ctrl).Status; got != model.StatusPartial {
		t.Fatalf("the stale read ahead was opened (status %q)", got)
	}
	if n := gets.Load(); n != 2 {
		t.Fatalf("%d reads, want the read ahead and enter's own", n)
	}
}

// The highlight moved while the read ahead of another assessment is in
// flight: enter opens the one highlighted, and the read ahead coming
// late changes nothing.
func TestEnterOpensTheHighlightedNotTheOneBeingReadAhead(t *testing.T) {
	h, _, ids := listedTwo(t)
	if h.m.pre.msg == nil {
		t.Fatal("nothing was read ahead")
	}
	held := h.sendHolding(keyMsg("down"), isPrefetch) // the older: held in flight
	if len(held) != 1 || h.m.pre.id != ids[0] {
		t.Fatal("no read ahead of the older assessment in flight")
	}
	h.press("up", "enter")
	if h.m.a == nil || h.m.a.ID != ids[1] {
		t.Fatalf("enter did not open the highlighted (newer) assessment:\n%s", h.view())
	}
	h.send(held[0])
	if h.m.a == nil || h.m.a.ID != ids[1] {
		t.Fatal("the late read ahead of the older assessment changed what is open")
	}
}

// A catalog file known to be valid holds the keys until its hash is
// computed, but not the read ahead: the highlighted assessment is read as
// soon as the catalog is checked, so that the first enter, pressed as the
// list shows, waits for less; that enter still waits for the catalog, and
// opens the copy read ahead.
func TestReadAheadStartsOnceTheCatalogIsChecked(t *testing.T) {
	h, gets, ids := listedTwo(t)
	h.m.cfg.CatalogLoaded = func() error { return nil }
	h.m.cfg.CatalogChecked = func() error { return nil }
	h.m.pre = prefetch{} // nothing read ahead yet, as at start-up
	h.m.awaitCatalog()   // the keys held, as at start-up; its messages are sent below
	held := h.sendHolding(catalogCheckedMsg{}, isPrefetch)
	if len(held) != 1 || h.m.pre.id != ids[1] {
		t.Fatalf("nothing read ahead once the catalog was checked (%d held)", len(held))
	}
	h.press("enter")
	if h.m.screen != screenHome || len(h.m.pending) != 1 {
		t.Fatalf("enter was acted on before the catalog was loaded (pending %d)", len(h.m.pending))
	}
	h.send(held[0])
	h.send(catalogLoadedMsg{})
	if h.m.a == nil || h.m.a.ID != ids[1] || h.m.screen != screenQuestions {
		t.Fatalf("enter did not open the newer assessment once the catalog was loaded:\n%s", h.view())
	}
	if n := gets.Load(); n != 1 {
		t.Fatalf("%d reads of the assessment, want the one read ahead", n)
	}
}

// Started once the catalog was checked, a read ahead answers with an
// error, not a panic, when the catalog then fails to load (the wizard is
// stopping for it).
func TestReadAheadOfACatalogThatDidNotLoad(t *testing.T) {
	h, _, ids := listedTwo(t)
	h.m.cfg.Catalog = func() *model.Catalog { return nil }
	if msg := h.m.reader()(ids[1]); !errors.Is(msg.err, errCatalogNotLoaded) {
		t.Fatalf("read with no catalog: %v", msg.err)
	}
}
