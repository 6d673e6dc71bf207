package filetext

import (
	"errors"
	"fmt"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// mapping is a file's text mapped from the page cache, with the
// descriptor that holds its read lease.
type mapping struct {
	fd    int
	addr  unsafe.Pointer
	pages uintptr // the mapping's length: the file's, in whole pages
}

// settleAfter is how long a text stays the file's pages: past the
// start-up, where new memory is dear. (A variable for the tests, which
// make it longer to see a break answered without it.)
var settleAfter = time.Second

var (
	mu      sync.Mutex // held while a text is mapped, and while texts are copied
	leased  []*mapping // texts mapped and leased still
	watched sync.Once
)

func mapFile(f *os.File, limit int64) (string, error) {
	if inBackground() {
		return "", notMapped(errors.New("a background job, which its terminal may stop"))
	}
	// Watched before the first lease, so that no break goes unseen.
	watched.Do(watchBreaks)
	raw, err := f.SyscallConn()
	if err != nil {
		return "", notMapped(err)
	}
	fd := -1
	if cerr := raw.Control(func(d uintptr) { fd, err = unix.FcntlInt(d, unix.F_DUPFD_CLOEXEC, 0) }); cerr != nil {
		err = cerr
	}
	if err != nil {
		return "", notMapped(err)
	}
	// Held from the lease until the text is listed: a break in between
	// waits for it, then finds the text to copy.
	mu.Lock()
	defer mu.Unlock()
	m, n, err := leaseAndMap(fd, limit)
	if err != nil {
		unlease(fd)
		return "", notMapped(err)
	}
	leased = append(leased, m)
	time.AfterFunc(settleAfter, func() { _ = settle() }) // a copy that fails is tried again at a break (watchBreaks)
	return unsafe.String((*byte)(m.addr), n), nil
}

func notMapped(err error) error { return fmt.Errorf("%w: %w", ErrNotMapped, err) }

// leaseAndMap takes the file's read lease, then maps it. The size is
// read under the lease: from then on no one can open the file to change
// it.
func leaseAndMap(fd int, limit int64) (*mapping, int, error) {
	if err := changedOnlyHere(fd); err != nil {
		return nil, 0, err
	}
	// EAGAIN: the file is open for writing; EACCES: not the caller's own;
	// EINVAL: a file system without leases.
	if _, err := unix.FcntlInt(uintptr(fd), unix.F_SETLEASE, unix.F_RDLCK); err != nil {
		return nil, 0, err
	}
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		return nil, 0, err
	}
	if st.Mode&unix.S_IFMT != unix.S_IFREG || st.Size <= 0 || st.Size > limit {
		return nil, 0, errors.New("not a regular file within the limit")
	}
	// MAP_POPULATE maps every page in with one call rather than a fault
	// each as the text is first read.
	addr, err := unix.MmapPtr(fd, 0, nil, uintptr(st.Size), unix.PROT_READ, unix.MAP_PRIVATE|unix.MAP_POPULATE)
	if err != nil {
		return nil, 0, err
	}
	page := uintptr(os.Getpagesize())
	return &mapping{fd: fd, addr: addr, pages: (uintptr(st.Size) + page - 1) / page * page}, int(st.Size), nil
}

// changedOnlyHere refuses a file on a file system not known to change
// its files only through this kernel, where a lease holds. The kernel
// may grant a lease on others all the same (FUSE: a virtual machine's
// shared folder, sshfs), where the file can change at its other end,
// the text with it, and reading a page past a new end stops the program.
func changedOnlyHere(fd int) error {
	var fs unix.Statfs_t
	if err := unix.Fstatfs(fd, &fs); err != nil {
		return err
	}
	switch uint32(fs.Type) {
	case unix.EXT4_SUPER_MAGIC, unix.XFS_SUPER_MAGIC, unix.BTRFS_SUPER_MAGIC, unix.F2FS_SUPER_MAGIC,
		unix.BCACHEFS_SUPER_MAGIC, zfsSuperMagic, unix.TMPFS_MAGIC, unix.OVERLAYFS_SUPER_MAGIC:
		return nil
	}
	return fmt.Errorf("a file system (%#x) whose files may change elsewhere", uint32(fs.Type))
}

const zfsSuperMagic = 0x2fc12fc1 // OpenZFS's; not in x/sys/unix

// inBackground says whether the program is a background job of the
// terminal on one of its standard descriptors (started with &). The
// terminal stops such a job as soon as it uses it (the wizard, at its
// first screen), and a stopped program answers no break: a writer would
// wait the kernel's lease-break time and then change the file under it.
func inBackground() bool {
	own := unix.Getpgrp()
	for fd := range 3 {
		if fg, err := unix.IoctlGetInt(fd, unix.TIOCGPGRP); err == nil && fg != own {
			return true
		}
	}
	return false
}

// watchBreaks copies the texts whenever the kernel says a lease is to be
// broken (someone opening a leased file for writing, whose open waits
// meanwhile). A copy that fails leaves its text leased; the kernel then
// takes the lease back after /proc/sys/fs/lease-break-time (45 s by
// default), after which the file may change under it: a copy fails only
// when the system is out of memory, where the program cannot go on
// anyway.
func watchBreaks() {
	breaks := make(chan os.Signal, 1)
	signal.Notify(breaks, syscall.SIGIO) // a lease break's signal unless F_SETSIG says otherwise
	go func() {
		for range breaks {
			_ = settle()
		}
	}()
}

// settle copies every text still mapped (own) and lets go of its lease.
// Texts whose copy fails stay mapped and leased, as correct as before.
func settle() error {
	mu.Lock()
	defer mu.Unlock()
	var errs []error
	kept := leased[:0]
	for _, m := range leased {
		if err := m.own(); err != nil {
			errs = append(errs, err)
			kept = append(kept, m)
		}
	}
	clear(leased[len(kept):])
	leased = kept
	return errors.Join(errs...)
}

// own copies the text into memory of the program's own and moves that
// over the file's mapping, in one call, so that the text keeps its
// address and reads the same throughout; then it lets go of the lease.
func (m *mapping) own() error {
	anon, err := unix.MmapPtr(-1, 0, nil, m.pages, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_ANONYMOUS)
	if err != nil {
		return fmt.Errorf("copying a mapped file's text: %w", err)
	}
	copy(unsafe.Slice((*byte)(anon), m.pages), unsafe.Slice((*byte)(m.addr), m.pages)) // past the end of the file, its last page reads as zeros
	err = unix.Mprotect(unsafe.Slice((*byte)(anon), m.pages), unix.PROT_READ)
	if err == nil {
		_, err = unix.MremapPtr(anon, m.pages, m.addr, m.pages, unix.MREMAP_MAYMOVE|unix.MREMAP_FIXED)
	}
	if err != nil {
		_ = unix.MunmapPtr(anon, m.pages)
		return fmt.Errorf("copying a mapped file's text: %w", err)
	}
	unlease(m.fd)
	return nil
}

// unlease lets go of the lease taken on fd, if any, and closes it. (The
// lease belongs to the open file, which the caller's descriptor may
// still hold open.)
func unlease(fd int) {
	_, _ = unix.FcntlInt(uintptr(fd), unix.F_SETLEASE, unix.F_UNLCK) // an error only when none was taken
	_ = unix.Close(fd)
}
