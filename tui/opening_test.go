package tui

import (
	"errors"
	"io"
	"os"
	"reflect"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"github.com/onus-gxp/onus/model"
)

// What Bubble Tea writes is held until show, then goes out with the next
// write, in one piece; after drop nothing goes out, show or not.
func TestHeldOutput(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	h := holdOutput(w)
	h.Write([]byte("set-up "))
	h.Write([]byte("frame-1 "))
	h.show()
	h.Write([]byte("frame-2"))
	h.Write([]byte(" frame-3"))
	h.drop() // after show: nothing to drop
	h.Write([]byte(" frame-4"))
	w.Close()
	got, _ := io.ReadAll(r)
	if want := "set-up frame-1 frame-2 frame-3 frame-4"; string(got) != want {
		t.Fatalf("the terminal got %q, want %q", got, want)
	}

	r, w, err = os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	h = holdOutput(w)
	h.Write([]byte("set-up"))
	h.drop()
	h.show()
	h.Write([]byte("restore"))
	w.Close()
	if got, _ := io.ReadAll(r); len(got) != 0 {
		t.Fatalf("the terminal got %q after drop", got)
	}
}

// openingHarness is the wizard started on a database still being opened
// (Config.Opening), counting when its output is let through.
func openingHarness(t *testing.T, openErr, catalogErr error) (*harness, *int) {
	t.Helper()
	base := newHarness(t, 100, 30) // a store and catalog to hand over
	shown := 0
	cat := base.m.cfg.Catalog
	h := &harness{t: t, db: base.db, dir: base.dir, writes: map[string][]byte{}}
	h.m = New(Config{
		Now: func() time.Time { return testNow },
		Opening: func() (Config, error) {
			return Config{Catalog: cat, CatalogLoaded: func() error { return catalogErr }, Store: base.db}, openErr
		},
	})
	h.m.showOutput = func() { shown++ }
	h.send(tea.WindowSizeMsg{Width: 100, Height: 30})
	h.run(h.m.Init())
	return h, &shown
}

// Keys wait for the open; the first screen is let out once the list and
// the catalog being read are both in.
func TestOpeningShowsTheListOnce(t *testing.T) {
	h, shown := openingHarness(t, nil, nil)
	if *shown != 1 || h.quit {
		t.Fatalf("shown %d times, quit %v; want shown once", *shown, h.quit)
	}
	if !h.m.listIn || !h.m.catalogOK {
		t.Fatalf("list in %v, catalog in %v", h.m.listIn, h.m.catalogOK)
	}
	h.send(summariesMsg{list: []model.Summary{}})
	if *shown != 1 {
		t.Fatalf("shown %d times after a second list", *shown)
	}
}

// A file that cannot be opened, or a catalog that is not valid, stops the
// wizard before anything is let out.
func TestOpeningFailureStopsUndrawn(t *testing.T) {
	boom := errors.New("the file is damaged")
	h, shown := openingHarness(t, boom, nil)
	if !h.quit || !errors.Is(h.m.openErr, boom) || *shown != 0 {
		t.Fatalf("quit %v, open error %v, shown %d", h.quit, h.m.openErr, *shown)
	}
	bad := errors.New(`unknown layer "nosuch"`)
	h, shown = openingHarness(t, nil, bad)
	if !h.quit || !errors.Is(h.m.CatalogFailed(), bad) || *shown != 0 {
		t.Fatalf("quit %v, catalog error %v, shown %d", h.quit, h.m.CatalogFailed(), *shown)
	}
}

// Run returns Opening's error as it is, and nothing is drawn.
func TestRunReturnsTheOpeningError(t *testing.T) {
	boom := errors.New("the file is damaged")
	in, feed := io.Pipe()
	defer feed.Close()
	m := New(Config{Opening: func() (Config, error) { return Config{}, boom }})
	done := make(chan error, 1)
	go func() {
		done <- Run(m, colorprofile.Ascii, nil, tea.WithInput(in), tea.WithOutput(io.Discard), tea.WithWindowSize(100, 30))
	}()
	select {
	case err := <-done:
		if err != boom {
			t.Fatalf("Run: %v, want the opening's error as it is", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not stop after the open failed")
	}
}

// Letting the output through redraws the whole screen: the renderer
// writes only what changed, and when the list could not be read before
// the catalog came in, nothing changes when it does, so without a redraw
// the terminal would stay blank until a key.
func TestShowingRedrawsTheScreen(t *testing.T) {
	shown := 0
	m := New(Config{CatalogLoaded: func() error { return nil }})
	m.showOutput = func() { shown++ }
	m.listIn = true // the list, or why it could not be read
	if cmd := m.showFirstScreen(); cmd != nil || shown != 0 {
		t.Fatalf("shown %d before the catalog is in", shown)
	}
	m.catalogOK = true
	cmd := m.showFirstScreen()
	if shown != 1 || cmd == nil || reflect.TypeOf(cmd()) != reflect.TypeOf(tea.ClearScreen()) {
		t.Fatalf("shown %d, command %v: want the output let through and the screen drawn again", shown, cmd)
	}
	if cmd := m.showFirstScreen(); cmd != nil || shown != 1 {
		t.Fatalf("shown %d times", shown)
	}
}

// With CatalogChecked, the first screen is let out once the catalog is
// known to be valid, before it is loaded (its hash still being computed);
// a key pressed then waits for CatalogLoaded. A catalog that is not valid
// shows nothing and stops the wizard when CatalogLoaded says so.
func TestOpeningShowsOnceTheCatalogIsChecked(t *testing.T) {
	h := newHarness(t, 100, 30)
	shown := 0
	h.m.cfg.CatalogLoaded = func() error { return nil }
	h.m.cfg.CatalogChecked = func() error { return nil }
	h.m.showOutput = func() { shown++ }
	h.m.waiting++ // as awaitCatalog does
	h.send(catalogCheckedMsg{})
	if shown != 1 {
		t.Fatalf("shown %d times once the catalog is checked, want 1", shown)
	}
	h.press("n")
	if len(h.m.pending) != 1 || len(h.m.dialogs) != 0 {
		t.Fatalf("the key was acted on before the catalog was loaded (pending %d)", len(h.m.pending))
	}
	h.send(catalogLoadedMsg{})
	if len(h.m.pending) != 0 || len(h.m.dialogs) != 1 {
		t.Fatalf("the key waited on after the catalog was loaded (pending %d)", len(h.m.pending))
	}
	if shown != 1 {
		t.Fatalf("shown %d times", shown)
	}

	bad := errors.New(`unknown layer "nosuch"`)
	h = newHarness(t, 100, 30)
	shown = 0
	h.m.cfg.CatalogLoaded = func() error { return bad }
	h.m.cfg.CatalogChecked = func() error { return bad }
	h.m.showOutput = func() { shown++ }
	h.m.waiting++
	h.send(catalogCheckedMsg{err: bad})
	if shown != 0 || h.quit {
		t.Fatalf("shown %d, quit %v on a catalog that is not valid", shown, h.quit)
	}
	h.send(catalogLoadedMsg{err: bad})
	if shown != 0 || !h.quit || !errors.Is(h.m.CatalogFailed(), bad) {
		t.Fatalf("shown %d, quit %v, catalog error %v", shown, h.quit, h.m.CatalogFailed())
	}
}

// FirstFrame is called once, after what was held has reached the
// terminal, and not for the writes after it.
func TestHeldOutputSaysWhenTheFirstFrameIsOut(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for _, before := range []string{"set-up ", ""} { // with something held, and nothing
		calls := make(chan int, 4)
		h := holdOutput(w)
		h.written = func() { calls <- 1 }
		if before != "" {
			h.Write([]byte(before))
		}
		h.show()
		if len(calls) != 0 {
			t.Fatal("FirstFrame called before the frame was written")
		}
		h.Write([]byte("frame-1"))
		h.Write([]byte(" frame-2 "))
		select {
		case <-calls:
		case <-time.After(5 * time.Second):
			t.Fatalf("FirstFrame was not called (held %q)", before)
		}
		time.Sleep(20 * time.Millisecond)
		if len(calls) != 0 {
			t.Fatalf("FirstFrame called %d more times", len(calls))
		}
	}
	w.Close()
	if got, _ := io.ReadAll(r); string(got) != "set-up frame-1 frame-2 frame-1 frame-2 " {
		t.Fatalf("the terminal got %q", got)
	}
}
