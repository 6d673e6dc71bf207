package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"syscall"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"github.com/onus-gxp/onus/internal/outfile"
)

// Opening a file: what it is, and who may open it, decide before any
// byte of it is read whether a failure is the user's (exit 1) or the
// file's (damage, exit 4).

// NotRegularError says the database path is not a regular file: a FIFO
// (opening it would wait forever for a writer), a device, a directory, a
// socket, or a symlink to one of those or to nothing.
type NotRegularError struct {
	Path string
	Mode fs.FileMode
}

func (e *NotRegularError) Error() string {
	return fmt.Sprintf("%s is %s, not a database file; onus opens only regular files (use --db to name another)", e.Path, outfile.Describe(e.Mode))
}

// ExitCode is 1: a mistake in what was named, not damage.
func (e *NotRegularError) ExitCode() int { return 1 }

// AccessError says the operating system refused to let Onus open or
// create the file: a permission problem or a read-only file system, never
// damage, so there is nothing to restore.
type AccessError struct {
	Path string
	Op   string // "open" or "create"
	Err  error
}

func (e *AccessError) Error() string {
	if errors.Is(e.Err, fs.ErrPermission) {
		return fmt.Sprintf("cannot %s %s: permission denied (check who owns it and its mode, and its folder's)", e.Op, e.Path)
	}
	return fmt.Sprintf("cannot %s %s: %v", e.Op, e.Path, underlying(e.Err))
}

// ExitCode is 1.
func (e *AccessError) ExitCode() int { return 1 }

func (e *AccessError) Unwrap() error { return e.Err }

// underlying strips the path an *fs.PathError repeats.
func underlying(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// openRegular opens path as bbolt and the page check do, but refuses at
// once anything but a regular file. O_NONBLOCK keeps a FIFO that appeared
// after the first look from blocking the open; on a regular file it
// changes nothing.
func openRegular(path string, flag int, perm os.FileMode) (*os.File, error) {
	f, err := os.OpenFile(path, flag|nonBlock, perm)
	if err != nil {
		return nil, err
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if !info.Mode().IsRegular() {
		f.Close()
		return nil, &NotRegularError{Path: path, Mode: info.Mode()}
	}
	return f, nil
}

// boltOpen opens the database file with bbolt through openRegular and
// says why it could not: another onus holds it, it is not a regular file,
// the system refused access, or (anything else bbolt found) damage. A
// panic in bbolt is damage too.
func boltOpen(path string, opt *bolt.Options) (b *bolt.DB, err error) {
	defer func() {
		if r := recover(); r != nil {
			b, err = nil, &DamagedError{Path: path, Backup: newestBackup(path), Cause: fmt.Errorf("%v", r)}
		}
	}()
	for range 3 {
		var f *os.File
		opt.OpenFile = func(name string, flag int, perm os.FileMode) (*os.File, error) {
			opened, err := openRegular(name, flag, perm)
			f = opened
			return opened, err
		}
		if b, err = bolt.Open(path, 0o600, opt); err != nil {
			return nil, openFailure(path, err)
		}
		if !replaced(f, path) {
			return b, nil
		}
		// onus compact put a new file in its place while this one
		// waited for the lock: open that one.
		b.Close()
	}
	return nil, &InUseError{Path: path}
}

// replaced reports whether path no longer names the file f opened.
func replaced(f *os.File, path string) bool {
	fi, err := f.Stat()
	if err != nil {
		return false
	}
	pi, err := os.Stat(path)
	return err == nil && !os.SameFile(fi, pi)
}

// openFailure turns an error met while opening path into what it means
// for the user.
func openFailure(path string, err error) error {
	var nr *NotRegularError
	var pe *fs.PathError
	var errno syscall.Errno
	switch {
	case errors.As(err, &nr):
		return nr
	case errors.Is(err, berrors.ErrTimeout):
		return &InUseError{Path: path}
	case errors.As(err, &pe), errors.As(err, &errno):
		// The system said no (permission, read-only file system, too
		// many open files): nothing about the file's content.
		return &AccessError{Path: path, Op: "open", Err: err}
	}
	return &DamagedError{Path: path, Backup: newestBackup(path), Cause: err}
}

// statDatabase looks at path before anything opens it: nil info means
// there is no file yet.
func statDatabase(path string) (fs.FileInfo, error) {
	info, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if _, lerr := os.Lstat(path); lerr == nil {
			return nil, &NotRegularError{Path: path, Mode: fs.ModeSymlink} // dangling
		}
		return nil, nil
	case err != nil:
		return nil, &AccessError{Path: path, Op: "open", Err: err}
	case !info.Mode().IsRegular():
		return nil, &NotRegularError{Path: path, Mode: info.Mode()}
	}
	return info, nil
}
