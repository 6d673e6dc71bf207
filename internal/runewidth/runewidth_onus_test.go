package runewidth

import (
	"os"
	"os/exec"
	"testing"
	"unicode/utf8"
)

// TestRuneWidthWithoutStrictLUT checks Onus's change: with the 2.2 MB
// strictWidthLUT unbuilt (as it stays outside the tests), RuneWidth gives
// every rune the width it gave with the table built, for each condition.
func TestRuneWidthWithoutStrictLUT(t *testing.T) {
	conditions := []*Condition{
		{EastAsianWidth: false, StrictEmojiNeutral: true},
		{EastAsianWidth: true, StrictEmojiNeutral: true},
		{EastAsianWidth: false, StrictEmojiNeutral: false},
		{EastAsianWidth: true, StrictEmojiNeutral: false},
	}
	without := make([][]byte, len(conditions))
	for i, c := range conditions {
		without[i] = allWidths(c)
	}

	// The table-building path, as upstream takes it on the first lookup
	// of a rune from U+0300 up.
	limit := strictWidthLUTLimit.Load()
	buildStrictWidthLUT()
	if strictWidthLUTLimit.Load() != 0x110000 {
		t.Fatal("buildStrictWidthLUT did not mark the table built")
	}
	t.Cleanup(func() { strictWidthLUTLimit.Store(limit) })
	for i, c := range conditions {
		with := allWidths(c)
		for r := range with {
			if without[i][r] != with[r] {
				t.Errorf("EastAsianWidth %v StrictEmojiNeutral %v: %U is %d wide without the table, %d with it",
					c.EastAsianWidth, c.StrictEmojiNeutral, r, without[i][r], with[r])
			}
		}
	}
}

// TestRuneWidthLeavesStrictLUTUnbuilt checks that lookups from U+0300 up
// no longer build the table (the change's point). It looks in a process of
// its own, since other tests here build the table on purpose.
func TestRuneWidthLeavesStrictLUTUnbuilt(t *testing.T) {
	if os.Getenv("RUNEWIDTH_UNBUILT_CHILD") == "" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestRuneWidthLeavesStrictLUTUnbuilt$", "-test.count=1")
		cmd.Env = append(os.Environ(), "RUNEWIDTH_UNBUILT_CHILD=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		return
	}
	for _, s := range []string{"▸", "─", "…", "つのだ☆HIRO", "👍🏽", "e\u0301"} {
		StringWidth(s)
		(&Condition{EastAsianWidth: true, StrictEmojiNeutral: true}).StringWidth(s)
		(&Condition{StrictEmojiNeutral: false}).StringWidth(s)
	}
	if got := strictWidthLUTLimit.Load(); got != 0x300 {
		t.Errorf("after lookups from U+0300 up, the table's limit is %#x, want 0x300 (unbuilt)", got)
	}
}

func allWidths(c *Condition) []byte {
	w := make([]byte, utf8.MaxRune+1)
	for r := range w {
		w[r] = byte(c.RuneWidth(rune(r)))
	}
	return w
}
