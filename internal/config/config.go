// Package config reads Onus's configuration file,
// $XDG_CONFIG_HOME/onus/config.toml: the defaults a user sets once (their
// name, the database, the export folder, the theme, ...), one TOML key
// each at the top level, named as the command line's option.
//
// The file is parsed with github.com/pelletier/go-toml/v2: its errors
// carry the line and the key, for syntax and for types alike, and its
// parser gives the line of every key, so a mistake anywhere in the file
// is reported where it is. A file that does not parse, a key Onus does
// not know, a value of the wrong type or one its check refuses is an
// error, never a silent default.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"
)

// MaxBytes is the largest config file read: a few lines are expected.
const MaxBytes = 64 << 10

// Kind is what a key's value must be.
type Kind int

const (
	Text Kind = iota // a string
	Path             // a string naming a file or folder: absolute, or ~/...
	Bool             // true or false
)

// Key is one key the file may set.
type Key struct {
	Name  string
	Kind  Kind
	Check func(string) error // nil: any value of its kind
}

// File is a config file as read: each key it sets, its value as text
// (a Bool as "true" or "false", a Path with ~ expanded) and its line.
type File struct {
	Path   string // "" when no file was read
	values map[string]value
}

type value struct {
	text string
	line int
}

// Get returns a key's value and the line it is set on; ok is false when
// the file does not set it.
func (f *File) Get(key string) (text string, line int, ok bool) {
	if f == nil {
		return "", 0, false
	}
	v, ok := f.values[key]
	return v.text, v.line, ok
}

// Error is a problem in the file, with the line and the key when known.
type Error struct {
	Path string
	Line int    // 0: the file as a whole
	Key  string // "": not about one key
	Msg  string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Path)
	if e.Line > 0 {
		fmt.Fprintf(&b, " line %d", e.Line)
	}
	if e.Key != "" {
		fmt.Fprintf(&b, ", key %q", e.Key)
	}
	b.WriteString(": ")
	b.WriteString(e.Msg)
	return b.String()
}

// DefaultPath is the config file Onus reads: ONUS_CONFIG, else
// $XDG_CONFIG_HOME/onus/config.toml (when absolute), else
// $HOME/.config/onus/config.toml; "" when none of those is set.
func DefaultPath(getenv func(string) string) string {
	if p := getenv("ONUS_CONFIG"); p != "" {
		return p
	}
	if dir := Dir(getenv); dir != "" {
		return filepath.Join(dir, "config.toml")
	}
	return ""
}

// Dir is Onus's configuration folder: $XDG_CONFIG_HOME/onus, else
// $HOME/.config/onus; "" without either.
func Dir(getenv func(string) string) string {
	if d := getenv("XDG_CONFIG_HOME"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "onus")
	}
	if h := getenv("HOME"); h != "" {
		return filepath.Join(h, ".config", "onus")
	}
	return ""
}

// Read reads the file at path against the keys it may set; home expands
// a leading ~ in a Path. A file that does not exist sets nothing and is
// no error; an empty path reads nothing.
func Read(path, home string, keys []Key) (*File, error) {
	f := &File{values: map[string]value{}}
	if path == "" {
		return f, nil
	}
	data, err := readCapped(path)
	if errors.Is(err, fs.ErrNotExist) {
		return f, nil
	}
	if err != nil {
		return nil, err
	}
	f.Path = path
	return f, f.parse(data, home, keys)
}

func readCapped(path string) ([]byte, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	data, err := io.ReadAll(io.LimitReader(fh, MaxBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxBytes {
		return nil, &Error{Path: path, Msg: fmt.Sprintf("larger than %d KiB; a config file holds a few lines", MaxBytes>>10)}
	}
	return data, nil
}

func (f *File) parse(data []byte, home string, keys []Key) error {
	// Syntax first, with go-toml's line and key.
	var doc map[string]any
	if err := toml.NewDecoder(bytes.NewReader(data)).Decode(&doc); err != nil {
		return f.decodeError(err)
	}
	lines := keyLines(data)
	known := map[string]Key{}
	for _, k := range keys {
		known[k.Name] = k
	}
	var errs []error
	for name, raw := range doc {
		line := lines[name]
		k, ok := known[name]
		if !ok {
			errs = append(errs, &Error{Path: f.Path, Line: line, Key: name, Msg: "not a setting Onus knows (" + names(keys) + ")"})
			continue
		}
		text, err := valueText(k, raw, home)
		if err == nil && k.Check != nil {
			err = k.Check(text)
		}
		if err != nil {
			errs = append(errs, &Error{Path: f.Path, Line: line, Key: name, Msg: err.Error()})
			continue
		}
		f.values[name] = value{text, line}
	}
	slices.SortFunc(errs, func(a, b error) int { return a.(*Error).Line - b.(*Error).Line })
	return errors.Join(errs...)
}

// decodeError keeps go-toml's line and key, without its "toml: ".
func (f *File) decodeError(err error) error {
	var de *toml.DecodeError
	if !errors.As(err, &de) {
		return &Error{Path: f.Path, Msg: err.Error()}
	}
	line, _ := de.Position()
	return &Error{Path: f.Path, Line: line, Key: strings.Join(de.Key(), "."), Msg: strings.TrimPrefix(de.Error(), "toml: ")}
}

// keyLines gives the line of each top-level key. The document has
// already parsed, so the parser meets no error here.
func keyLines(data []byte) map[string]int {
	lines := map[string]int{}
	var p unstable.Parser
	p.Reset(data)
	table := false // keys under a [table] are not top-level
	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.Table, unstable.ArrayTable:
			table = true
			if k := e.Key(); k.Next() {
				if name := string(k.Node().Data); lines[name] == 0 {
					lines[name] = p.Shape(k.Node().Raw).Start.Line
				}
			}
		case unstable.KeyValue:
			if k := e.Key(); !table && k.Next() {
				lines[string(k.Node().Data)] = p.Shape(k.Node().Raw).Start.Line
			}
		}
	}
	return lines
}

func valueText(k Key, raw any, home string) (string, error) {
	switch k.Kind {
	case Bool:
		b, ok := raw.(bool)
		if !ok {
			return "", fmt.Errorf("want true or false, not %s", describe(raw))
		}
		if b {
			return "true", nil
		}
		return "false", nil
	case Path:
		s, ok := raw.(string)
		if !ok {
			return "", fmt.Errorf("want a path in quotes, not %s", describe(raw))
		}
		return expandPath(s, home)
	default:
		s, ok := raw.(string)
		if !ok {
			return "", fmt.Errorf("want text in quotes, not %s", describe(raw))
		}
		return s, nil
	}
}

// expandPath takes an absolute path, or one under the home folder
// written ~/...: a relative path would depend on where onus is started.
func expandPath(s, home string) (string, error) {
	switch {
	case s == "~" || strings.HasPrefix(s, "~/"):
		if home == "" {
			return "", errors.New("~ needs a home folder, and HOME is not set")
		}
		return filepath.Join(home, s[1:]), nil
	case filepath.IsAbs(s):
		return s, nil
	case s == "":
		return "", errors.New("empty; leave the key out for the default")
	}
	return "", fmt.Errorf("%q is relative: write it absolute, or under your home folder as ~/%s", s, s)
}

func describe(v any) string {
	switch v := v.(type) {
	case string:
		return fmt.Sprintf("the text %q", v)
	case bool:
		return fmt.Sprintf("%t", v)
	case int64, float64:
		return fmt.Sprintf("the number %v", v)
	case map[string]any:
		return "a table"
	case []any:
		return "a list"
	}
	return fmt.Sprintf("a %T", v)
}

func names(keys []Key) string {
	ns := make([]string, len(keys))
	for i, k := range keys {
		ns[i] = k.Name
	}
	return strings.Join(ns, ", ")
}
