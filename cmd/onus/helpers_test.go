package main

import (
	"bytes"
	"strings"
	"testing"
)

// runOnus runs one invocation in-process and returns its exit code and
// output streams.
func runOnus(t *testing.T, env map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &Env{
		Stdin:  strings.NewReader(""),
		Stdout: &out,
		Stderr: &errb,
		Getenv: func(k string) string { return env[k] },
	}
	code = run(e, args)
	return code, out.String(), errb.String()
}
