// Package outfile writes files the one safe way: into a temporary file
// created exclusively beside the target (never through a symlink), synced,
// then moved into place, and removed on any failure. An existing file is
// replaced only when the caller says so, and never the database or one of
// its backups. Reports get the mode the user's umask gives; the database
// and its backups stay private (0600).
package outfile

import (
	"bufio"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Options say how a file may be written.
type Options struct {
	// Replace lets an existing file be replaced (--force on the command
	// line, a confirmation in the wizard).
	Replace bool
	// Private makes the file 0600 whatever the umask: the database and
	// its backups. Otherwise the file is 0666 less the umask, as a shared
	// report should be.
	Private bool
	// Protect lists files never to be written over, and directories
	// never to be written into: the database and its backups folder.
	Protect []string
}

// ExistsError says the target exists and Options.Replace was not given;
// the caller says how to replace it (--force, or a confirmation).
type ExistsError struct{ Path string }

func (e *ExistsError) Error() string {
	return fmt.Sprintf("%s already exists; onus replaces a file only when told to", e.Path)
}

// ProtectedError says the target is the database, or inside its backups.
type ProtectedError struct{ Path, Protected string }

func (e *ProtectedError) Error() string {
	return fmt.Sprintf("refusing to write %s: it is %s, which only onus itself writes", e.Path, e.Protected)
}

// NotRegularError says the target exists and is not a regular file (a
// directory, a device, a FIFO, or a symlink to one).
type NotRegularError struct {
	Path string
	Mode fs.FileMode
}

func (e *NotRegularError) Error() string {
	return fmt.Sprintf("refusing to write %s: it is %s, not a regular file", e.Path, Describe(e.Mode))
}

// Describe names the type of a file that is not a regular one, in words.
func Describe(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a FIFO"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a block device"
	case m&fs.ModeSymlink != 0:
		return "a symbolic link to nothing"
	}
	return "a special file"
}

// tempPrefix starts the name of every temporary file; IsTemp recognises
// them, so that what an interrupted write left can be found.
const tempPrefix = ".onus-tmp-"

// IsTemp reports whether a file name is one of this package's temporary
// files.
func IsTemp(name string) bool { return strings.HasPrefix(name, tempPrefix) }

// TempName is a new name for a temporary file beside path, one IsTemp
// recognises, for a writer that must create the file itself (a database
// written by bbolt); it must create it with O_EXCL, and lock it as Create
// does while it writes.
func TempName(path string) string {
	base := filepath.Base(path)
	if len(base) > 64 {
		base = strings.ToValidUTF8(base[:64], "")
	}
	var rnd [6]byte
	rand.Read(rnd[:])
	return filepath.Join(filepath.Dir(path), tempPrefix+hex.EncodeToString(rnd[:])+"-"+base)
}

// File is an output file being written. Nothing appears at its path
// until Commit; Abort (or a failed Commit) removes the temporary file.
type File struct {
	f      *os.File
	path   string
	opt    Options
	closed bool
}

// Create checks that path may be written as opt says, and opens a new
// temporary file in its directory.
func Create(path string, opt Options) (*File, error) {
	if err := check(path, opt); err != nil {
		return nil, err
	}
	mode := fs.FileMode(0o666)
	if opt.Private {
		mode = 0o600
	}
	for range 10 {
		name := TempName(path)
		// O_EXCL: a file or symlink already at the name is an error,
		// never followed or truncated.
		f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL|noFollow, mode)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		lock(f) // tells a cleaner the file is in use
		if opt.Private {
			// The umask may have taken bits away, never added them; this
			// makes sure of 0600 whatever the file system did.
			if err := f.Chmod(0o600); err != nil {
				f.Close()
				os.Remove(name)
				return nil, err
			}
		}
		return &File{f: f, path: path, opt: opt}, nil
	}
	return nil, fmt.Errorf("cannot create a temporary file beside %s", path)
}

// check refuses a target that is protected, not a regular file, or
// exists when it may not be replaced.
func check(path string, opt Options) error {
	if base := filepath.Base(path); base == "." || base == ".." || base == string(filepath.Separator) || strings.HasSuffix(path, string(filepath.Separator)) {
		return fmt.Errorf("%s is not a file name", path)
	}
	if err := checkProtected(path, opt.Protect); err != nil {
		return err
	}
	info, err := os.Stat(path) // through a symlink: what it points at
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if _, lerr := os.Lstat(path); lerr == nil {
			// A dangling symlink: replacing it would only replace the
			// link, but writing "through" it is what a user would expect;
			// refuse rather than surprise.
			return &NotRegularError{Path: path, Mode: fs.ModeSymlink}
		}
		return nil
	case err != nil:
		return err
	case !info.Mode().IsRegular():
		return &NotRegularError{Path: path, Mode: info.Mode()}
	case !opt.Replace:
		return &ExistsError{Path: path}
	}
	return nil
}

// checkProtected refuses path when it is one of the protected files, or
// lies in one of the protected directories (compared as files, so another
// name or a hard link for the same file is caught too).
func checkProtected(path string, protect []string) error {
	if len(protect) == 0 {
		return nil
	}
	target, terr := os.Stat(path)
	dir, derr := os.Stat(filepath.Dir(path))
	abs, _ := filepath.Abs(path)
	for _, p := range protect {
		info, err := os.Stat(p)
		if err != nil {
			if pabs, _ := filepath.Abs(p); pabs == abs {
				return &ProtectedError{Path: path, Protected: "the database"}
			}
			continue
		}
		if info.IsDir() {
			if derr == nil && os.SameFile(dir, info) {
				return &ProtectedError{Path: path, Protected: "inside " + p}
			}
			continue
		}
		if terr == nil && os.SameFile(target, info) {
			return &ProtectedError{Path: path, Protected: "the database " + p}
		}
	}
	return nil
}

// Write writes to the temporary file.
func (f *File) Write(p []byte) (int, error) { return f.f.Write(p) }

// Name is the temporary file's path, for writers that need a path.
func (f *File) Name() string { return f.f.Name() }

// Commit syncs the file, puts it at its path (replacing a file there
// only if Options.Replace allows) and syncs the directory. On failure the
// temporary file is removed and nothing is at the path that was not there
// before.
func (f *File) Commit() error {
	err := f.f.Sync()
	if err == nil {
		// Checked again: the target may have appeared or changed since
		// Create.
		err = check(f.path, f.opt)
	}
	if err == nil {
		err = Publish(f.f.Name(), f.path, f.opt.Replace)
	}
	// Closed after the move, so the lock holds until the file is in place.
	if cerr := f.close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.f.Name())
	}
	return err
}

// Abort removes the temporary file; after Commit it does nothing.
func (f *File) Abort() {
	if !f.closed {
		f.close()
		os.Remove(f.f.Name())
	}
}

func (f *File) close() error {
	if f.closed {
		return nil
	}
	f.closed = true
	return f.f.Close()
}

// WriteFile writes data to path as Options say.
func WriteFile(path string, data []byte, opt Options) error {
	_, err := WriteWith(path, opt, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
	return err
}

// WriteWith writes to path, as Options say, what write writes as it
// makes it (an export of tens of megabytes is never held whole), and
// returns its length. An error from write leaves nothing at path.
func WriteWith(path string, opt Options, write func(io.Writer) error) (int64, error) {
	f, err := Create(path, opt)
	if err != nil {
		return 0, err
	}
	buf := bufio.NewWriterSize(f, 64<<10)
	counted := &Counter{W: buf}
	if err = write(counted); err == nil {
		err = buf.Flush()
	}
	if err != nil {
		f.Abort()
		return 0, err
	}
	return counted.N, f.Commit()
}

// Counter counts the bytes written through it to W.
type Counter struct {
	W io.Writer
	N int64
}

func (c *Counter) Write(p []byte) (int, error) {
	n, err := c.W.Write(p)
	c.N += int64(n)
	return n, err
}

// Publish moves a finished temporary file tmp to path, in the same
// directory, and syncs the directory. Without replace it links rather
// than renames, so a file that appeared at path meanwhile is never
// replaced (an *ExistsError); a file system without hard links gets a
// rename after a last check instead. tmp is gone afterwards unless an
// error is returned.
func Publish(tmp, path string, replace bool) error {
	if replace {
		if err := rename(tmp, path); err != nil {
			return err
		}
	} else if err := link(tmp, path); err != nil {
		if _, lerr := os.Lstat(path); lerr == nil {
			return &ExistsError{Path: path}
		}
		if errors.Is(err, fs.ErrExist) {
			return &ExistsError{Path: path}
		}
		if err := rename(tmp, path); err != nil {
			return err
		}
	} else if err := os.Remove(tmp); err != nil {
		return err
	}
	return syncDir(filepath.Dir(path))
}

// link and rename are variables so that a test can make them fail.
var (
	link   = os.Link
	rename = os.Rename
)

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// RemoveStale removes path if no process holds a lock on it: a temporary
// file an interrupted onus left behind. It reports whether it removed it.
func RemoveStale(path string) bool {
	f, err := os.OpenFile(path, os.O_RDONLY|noFollow|nonBlock, 0)
	if err != nil {
		return false
	}
	defer f.Close()
	if info, err := f.Stat(); err != nil || !info.Mode().IsRegular() {
		return false
	}
	if !tryLock(f) {
		return false // still being written
	}
	return os.Remove(path) == nil
}
