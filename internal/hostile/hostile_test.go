package hostile

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// The traps record what runs, and Unsafe finds every kind of character
// Text carries.
func TestTrapsAndText(t *testing.T) {
	dir, ran := TrapPath(t)
	if got := ran(); got != nil {
		t.Fatalf("ran before anything ran: %q", got)
	}
	exec.Command(filepath.Join(dir, "tmux"), "info").Run()
	if got := ran(); len(got) != 1 || got[0] != "tmux info" {
		t.Errorf("ran = %q, want [tmux info]", got)
	}
	for _, s := range []string{"\x1b", "\u009b", "\u200b", "\u200e", "\u061c", "\u202e", "\x7f", "\r"} {
		if _, bad := Unsafe("ok " + s); !bad {
			t.Errorf("Unsafe missed %+q", s)
		}
	}
	if r, bad := Unsafe("plain\ttext\nünïcödé 日本"); bad {
		t.Errorf("Unsafe flagged %U in safe text", r)
	}
	if _, bad := Unsafe(Text); !bad {
		t.Error("Text is safe")
	}
	if _, err := os.Stat(filepath.Join(dir, "xclip")); err != nil {
		t.Error(err)
	}
}
