package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/onus-gxp/onus/internal/safetext"
	"github.com/onus-gxp/onus/model"
)

// CatalogChanges writes, as plain text, what moving an assessment to the
// catalog in effect changes for it (model.CompareCatalogs), every control
// listed: onus catalog migrate prints it, and the accessible wizard reads
// it out before it offers the move.
func CatalogChanges(w io.Writer, ch model.CatalogChanges) error {
	p := &errWriter{w: w}
	l := safetext.Line
	p.printf("made with catalog %s (%s); the catalog in effect is %s (%s)\n", l(orNone(ch.From.Version)), shortHash(ch.From.Hash),
		l(ch.To.Version), shortHash(ch.To.Hash))
	if !ch.Known {
		p.printf("catalog %s is not one this onus knows: what changed cannot be listed, only the answers a move drops\n", l(orNone(ch.From.Version)))
	} else {
		list := func(head string, cs []model.MovedControl, line func(model.MovedControl) string) {
			p.printf("\n%s: %d\n", head, len(cs))
			for _, c := range cs {
				p.printf("  %-8s %s\n", l(c.ID), l(line(c)))
			}
		}
		list("controls that come to apply", ch.Added, func(c model.MovedControl) string {
			return c.Title + " · " + c.To.Label() + map[bool]string{true: "", false: " · new in this catalog"}[c.InCatalog]
		})
		list("controls that no longer apply", ch.Removed, func(c model.MovedControl) string {
			return c.Title + " · was " + c.From.Label() + map[bool]string{true: "", false: " · not in this catalog"}[c.InCatalog]
		})
		list("controls whose owner changes", ch.Owner, func(c model.MovedControl) string {
			return c.Title + " · " + c.From.Label() + " → " + c.To.Label()
		})
	}
	dropped := ""
	if len(ch.Dropped) > 0 {
		dropped = " (" + l(strings.Join(ch.Dropped, ", ")) + "; the audit trail keeps them)"
	}
	p.printf("\nanswers kept: %d; dropped: %d%s\n", ch.Kept, len(ch.Dropped), dropped)
	if len(ch.Services) > 0 {
		p.printf("services this catalog does not know: %s\n", l(strings.Join(ch.Services, ", ")))
	}
	if len(ch.Frameworks) > 0 {
		p.printf("frameworks this catalog does not know: %s\n", l(strings.Join(ch.Frameworks, ", ")))
	}
	return p.err
}

// errWriter keeps the first write error, so a run of prints checks once.
type errWriter struct {
	w   io.Writer
	err error
}

func (p *errWriter) printf(format string, a ...any) {
	if p.err == nil {
		_, p.err = fmt.Fprintf(p.w, format, a...)
	}
}

func shortHash(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}
