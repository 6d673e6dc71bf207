package prefault

import (
	"bytes"
	"testing"
)

// Write leaves what a buffer holds as it was, whatever its size and
// alignment, including a buffer of fresh memory (all zeros).
func TestWriteKeepsTheBytes(t *testing.T) {
	for _, n := range []int{0, 1, 4095, 4096, 8193, 1 << 20} {
		for _, off := range []int{0, 1, 100} {
			b := make([]byte, n+off)[off:]
			if bytes.IndexFunc(b, func(r rune) bool { return r != 0 }) >= 0 {
				t.Fatal("fresh memory is not zero")
			}
			for i := range b {
				b[i] = byte(i * 7)
			}
			want := bytes.Clone(b)
			Write(b)
			if !bytes.Equal(b, want) {
				t.Fatalf("%d bytes at offset %d changed", n, off)
			}
			fresh := make([]byte, n)
			Write(fresh)
			if !bytes.Equal(fresh, make([]byte, n)) {
				t.Fatalf("%d fresh bytes are no longer zero", n)
			}
		}
	}
}
