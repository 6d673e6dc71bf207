//go:build linux

package store

import (
	"os"
	"syscall"
	"testing"

	"github.com/onus-gxp/onus/model"
)

// seekHole is lseek's SEEK_HOLE on Linux: the next hole at or after an
// offset, or the file's end.
const seekHole = 4

// Saves that grow the file past several steps leave no hole in it: the
// file is grown with written zeros before bbolt's pages reach its end
// (zeroAhead), so no commit's fdatasync allocates blocks. The first
// pages, which bbolt lays out when it creates the file, are not looked
// at. The file verifies, and reopens, as any other.
func TestSavesGrowTheFileWithoutHoles(t *testing.T) {
	db, path := openTest(t, "alice")
	a, err := db.Create(model.Assessment{Name: "grow", Services: model.Select("ec2", "s3")})
	if err != nil {
		t.Fatal(err)
	}
	size := func() int64 {
		info, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		return info.Size()
	}
	for i := 0; size() < 3*growStep; i++ {
		if _, err := db.Answer(a.ID, diskFullAnswer(i), ""); err != nil {
			t.Fatal(err)
		}
	}
	if r := db.Verify(a.ID); r.Err != "" {
		t.Fatalf("verify: %s", r.Err)
	}
	mustClose(t, db)
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	const start = 64 << 10
	hole, err := syscall.Seek(int(f.Fd()), start, seekHole)
	if err != nil {
		t.Skipf("the file system does not report holes: %v", err)
	}
	if end := size(); hole < end {
		t.Errorf("a hole at %d of the file's %d bytes", hole, end)
	}
	db, err = Open(path, Options{Actor: "alice"})
	if err != nil {
		t.Fatal(err)
	}
	defer mustClose(t, db)
	if r := db.Verify(a.ID); r.Err != "" {
		t.Fatalf("verify after reopening: %s", r.Err)
	}
}
