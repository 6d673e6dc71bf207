//go:build aix || linux || solaris || zos

package main

import "golang.org/x/sys/unix"

// The termios requests, as golang.org/x/term names them.
const (
	ioctlReadTermios  = unix.TCGETS
	ioctlWriteTermios = unix.TCSETS
)
