//go:build !unix

package relay

import (
	"context"
	"errors"
	"io"
)

// Listener: there is no relay on this system; headless commands are
// refused while a server runs (exit 3).
type Listener struct{}

// Listen says there is no relay here.
func Listen(string, func(string, ...any)) (*Listener, error) {
	return nil, errors.New("relay: headless commands cannot run through onus serve on this system")
}

func (*Listener) Path() string       { return "" }
func (*Listener) Serve(Runner) error { return nil }
func (*Listener) Close() error       { return nil }

// Hold runs fn.
func (*Listener) Hold(fn func() error) error { return fn() }

// Client is never made here.
type Client struct{}

// Dial finds no server here.
func Dial(string) (*Client, error) { return nil, ErrNotServing }

func (*Client) Close() error { return nil }
func (*Client) Run(context.Context, []string, []string, io.Reader, io.Writer, io.Writer) (int, error) {
	return 1, ErrNotServing
}
