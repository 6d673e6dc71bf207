package iac

import (
	"fmt"
	"strings"

	"github.com/onus-gxp/onus/internal/plural"
	"github.com/onus-gxp/onus/internal/safetext"
	"github.com/onus-gxp/onus/model"
)

// Text is the result for a terminal, in the order a person checks it
// before the selection changes: the files read with their SHA-256, each
// service found with the resources that mean it and why, the resource
// types that mean no service, what was ignored, and what was not
// followed. Every string from the files is sanitised.
func (r *Result) Text(cat *model.Catalog) string {
	var b strings.Builder
	l := safetext.Line
	fmt.Fprintf(&b, "Read %s:\n", plural.Count(len(r.Files), "file", "files"))
	for _, f := range r.Files {
		fmt.Fprintf(&b, "  %s (%s, %d bytes, sha256 %s)\n", l(f.Path), f.Format, f.Bytes, f.SHA256)
	}
	services := r.Services(cat)
	fmt.Fprintf(&b, "\n%s found:\n", plural.Count(len(services), "service", "services"))
	for _, id := range services {
		name := id
		if s, ok := cat.Service(id); ok {
			name = s.Name
		}
		fmt.Fprintf(&b, "  %s (%s)\n", id, l(name))
		for _, res := range r.ResourcesOf(id) {
			fmt.Fprintf(&b, "    %s: %s %s\n      because %s\n", l(res.File), l(res.Name), l(res.Type), l(res.Why))
			if res.Note != "" {
				fmt.Fprintf(&b, "      note: %s\n", l(res.Note))
			}
		}
	}
	counted := func(title string, list []Unmapped) {
		if len(list) == 0 {
			return
		}
		fmt.Fprintf(&b, "\n%s:\n", title)
		for _, u := range list {
			fmt.Fprintf(&b, "  %s ×%d: %s (first: %s)\n", l(u.Type), u.Count, l(u.Why), l(u.First))
		}
	}
	counted("Resource types that mean no catalog service", r.Unmapped)
	counted("Ignored, not resources of the solution", r.Ignored)
	if len(r.References) > 0 {
		fmt.Fprintf(&b, "\nNot followed:\n")
		for _, ref := range r.References {
			src := ""
			if ref.Source != "" {
				src = " → " + l(ref.Source)
			}
			fmt.Fprintf(&b, "  %s: %s %s%s: %s\n", l(ref.File), ref.Kind, l(ref.Name), src, l(ref.Why))
		}
	}
	return b.String()
}

// AllSelected says that every service found is selected already, for the
// wizard and the CLI alike.
func AllSelected(n int) string {
	if n == 1 {
		return "Nothing to select: the service found is selected already"
	}
	return fmt.Sprintf("Nothing to select: the %d services found are selected already", n)
}
