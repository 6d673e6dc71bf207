//go:build aix || darwin || dragonfly || freebsd || linux || netbsd || openbsd || solaris || zos

package main

import "golang.org/x/sys/unix"

// hideInput turns off the terminal's echo on fd, keeping its line
// editing, so a passphrase typed in accessible mode is not shown; restore
// turns it back on. Not a terminal: nothing to do.
func hideInput(fd int) (restore func()) {
	t, err := unix.IoctlGetTermios(fd, ioctlReadTermios)
	if err != nil {
		return func() {}
	}
	quiet := *t
	quiet.Lflag &^= unix.ECHO
	if unix.IoctlSetTermios(fd, ioctlWriteTermios, &quiet) != nil {
		return func() {}
	}
	return func() { unix.IoctlSetTermios(fd, ioctlWriteTermios, t) }
}
