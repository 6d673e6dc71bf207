package tui

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/onus-gxp/onus/model"
)

func resize(w, h int) tea.WindowSizeMsg { return tea.WindowSizeMsg{Width: w, Height: h} }

// fuzzKeys are the keys the fuzzer presses; bytes index into it.
var fuzzKeys = []string{"enter", "esc", "tab", "shift+tab", "up", "down", "left", "right", "space",
	"pgdown", "pgup", "backspace", "n", "1", "2", "4", "5", "e", "o", "L", "u", "s", "v", "t", "x", "w", "S",
	"/", "?", "a", "d", "y", "D", "j", "k", "c", "3", "0", "é", "界"}

// FuzzRootModel feeds random keys and resizes to the root model: it must
// never panic, and the view must never exceed the terminal.
func FuzzRootModel(f *testing.F) {
	f.Add([]byte{12, 0, 'L', 'I', 2, 2, 3, 255, 80, 24, 5, 13, 8, 1})
	f.Add([]byte{255, 1, 1, 12, 0, 255, 20, 5, 2, 2, 2, 255, 250, 99})
	f.Add([]byte{12, 7, 7, 0, 2, 2, 8, 8, 2, 13, 5, 14, 16, 17, 0, 1, 22, 23, 1, 255, 140, 45})
	f.Add([]byte{28, 12, 0, 1, 29, 255, 79, 24, 30, 31, 32})
	f.Fuzz(func(t *testing.T, data []byte) { drive(t, newHarness(t, 100, 30), data) })
}

// drive presses the keys data encodes (255 w h is a resize) and checks the
// view fits the terminal after each.
func drive(t *testing.T, h *harness, data []byte) {
	if len(data) > 400 {
		data = data[:400]
	}
	w, ht := 100, 30
	for i := 0; i < len(data); i++ {
		b := data[i]
		if b == 255 && i+2 < len(data) {
			w, ht = int(data[i+1])%301, int(data[i+2])%101
			h.send(resize(w, ht))
			i += 2
		} else {
			h.press(fuzzKeys[int(b)%len(fuzzKeys)])
		}
		if h.quit {
			return
		}
		checkFits(t, h.m.View().Content, w, ht)
	}
}

// The committed seeds again, on the smallest catalog the loader accepts:
// one control, one AWS report, two services.
func TestMinimalCatalog(t *testing.T) {
	raw, err := os.ReadFile("../model/testdata/minimal.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cat, err := model.ParseCatalog(raw, "minimal.yaml")
	if err != nil {
		t.Fatal(err)
	}
	seeds, _ := filepath.Glob("testdata/fuzz/FuzzRootModel/*")
	if len(seeds) == 0 {
		t.Fatal("no committed fuzz seeds")
	}
	for _, f := range seeds {
		t.Run(filepath.Base(f), func(t *testing.T) {
			raw, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(string(raw), "\n")
			s, err := strconv.Unquote(strings.TrimSuffix(strings.TrimPrefix(lines[1], "[]byte("), ")"))
			if err != nil {
				t.Fatal(err)
			}
			drive(t, newHarnessWith(t, 100, 30, nil, cat), []byte(s))
		})
	}
}

// Every screen at extreme sizes: no panic, nothing overflows.
func TestExtremeSizes(t *testing.T) {
	for _, size := range [][2]int{{1, 1}, {20, 5}, {80, 24}, {300, 100}} {
		h := newHarness(t, 100, 30)
		h.newAssessment("LIMS on AWS with a very long name that goes on and on past any column width")
		h.tabTo("Services")
		h.selectServices("ec2", "rds", "s3", "eks", "lambda")
		// Each step leaves a screen or a form open; the forms are checked
		// to be there, so that the sizes are tried on them.
		for _, step := range []struct {
			keys []string
			open func() bool
		}{
			{nil, nil},
			{[]string{"O"}, is[*overrideDialog](h)},
			{[]string{"esc", "shift+tab"}, nil},
			{[]string{"enter"}, is[*supplierDialog](h)},
			{[]string{"enter", "d"}, is[*confirmDialog](h)},
			{[]string{"n", "tab", "tab"}, nil},
			{[]string{"o"}, is[*textDialog](h)},
			{[]string{"esc", "e"}, is[*pickerDialog](h)},
			{[]string{"enter"}, is[*entryDialog](h)},
			{[]string{"esc", "esc", "r"}, nil},
			{[]string{"esc", "L"}, nil},
			{[]string{"esc", "tab"}, nil},
			{[]string{"S"}, is[*signDialog](h)},
			{[]string{"esc", "v"}, nil},
			{[]string{"space"}, nil},
			{[]string{"esc", "t"}, nil},
			{[]string{"esc", "?"}, is[*helpDialog](h)},
			{[]string{"esc", ":"}, is[*paletteDialog](h)},
			{[]string{"esc", "x"}, is[*exportDialog](h)},
		} {
			h.press(step.keys...)
			if step.open != nil && !step.open() {
				t.Fatalf("after %q the form is not open:\n%s", step.keys, h.view())
			}
			h.send(resize(size[0], size[1]))
			checkFits(t, h.m.View().Content, size[0], size[1])
			h.send(resize(100, 30))
		}
	}
}

// is reports whether the dialog on top is of type D.
func is[D dialog](h *harness) func() bool {
	return func() bool { _, ok := h.m.dialog().(D); return ok }
}
