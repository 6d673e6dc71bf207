//go:build !(aix || darwin || dragonfly || freebsd || linux || netbsd || openbsd || solaris || zos)

package main

// hideInput cannot turn off echo here (Windows: accessible mode reads a
// passphrase as typed, shown); ssh-agent needs none.
func hideInput(int) (restore func()) { return func() {} }
