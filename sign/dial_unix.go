//go:build unix

package sign

import (
	"os"

	"golang.org/x/sys/unix"
)

// dialUnix connects to a Unix-domain socket. It uses the system calls
// rather than package net, which Onus does not import: the agent's socket
// is the only one Onus ever opens, and it is local.
func dialUnix(path string) (*os.File, error) {
	fd, err := unix.Socket(unix.AF_UNIX, unix.SOCK_STREAM, 0)
	if err != nil {
		return nil, err
	}
	unix.CloseOnExec(fd)
	if err := unix.Connect(fd, &unix.SockaddrUnix{Name: path}); err != nil {
		unix.Close(fd)
		return nil, err
	}
	return os.NewFile(uintptr(fd), path), nil
}
