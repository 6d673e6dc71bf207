package stacks

import (
	"strconv"
	"strings"

	"github.com/onus-gxp/onus/model"
)

// Solution draws the stack of the whole solution: for each layer the
// strongest obligation any selected service puts on it, and which services
// put it there ("EC2, EKS"). cat names the services; when nil, their ids
// are shown in capitals.
func Solution(cat *model.Catalog, sol model.SolutionStack, o Options) string {
	w := o.width()
	if w < MinDrawingWidth {
		return compactSolution(cat, sol, o)
	}
	t := o.Theme
	natural := 0
	for _, l := range sol.Layers {
		natural = max(natural, cells(layerName(l.Layer)))
	}
	col, left := stackGeometry(w, natural)
	room := w - left - 2*gap - col // for the services that cause each layer
	var why []string
	used := 0
	names := serviceNames(cat)
	if room >= 8 {
		why = make([]string, len(sol.Layers))
		for i, l := range sol.Layers {
			if l.Owner != model.OwnerAWS {
				why[i] = causes(names, l.CausedBy, room)
				used = max(used, cells(why[i]))
			}
		}
	}
	full := left + gap + col
	if used > 0 {
		full += gap + used
	}

	lines := make([]string, 0, len(sol.Layers)+4)
	lines = append(lines, o.title("Solution stack", "the strongest obligation per layer, and which services set it", w))
	var b strings.Builder
	cell := t.newCellCache(col)
	for r := 0; r <= len(sol.Layers); r++ {
		if r == sol.Line {
			lines = append(lines, t.rule(full))
		}
		if r == len(sol.Layers) {
			break
		}
		l := sol.Layers[r]
		b.Reset()
		b.WriteString(fit(layerName(l.Layer), left))
		b.WriteString(strings.Repeat(" ", gap))
		b.WriteString(cell.get(l.Owner, ""))
		if why != nil && why[r] != "" {
			b.WriteString(strings.Repeat(" ", gap))
			b.WriteString(why[r])
		}
		lines = append(lines, b.String())
	}
	if o.Legend {
		lines = append(lines, "", Legend(o))
	}
	return finish(lines)
}

// causes names the services in ids within w cells: as many as fit, then how
// many more ("EC2, RDS, S3 +97 more"). It stops looking once the line is
// full, so a layer shared by a thousand services costs no more than one
// shared by ten.
func causes(name func(id string) string, ids []string, w int) string {
	if len(ids) == 0 || w <= 0 {
		return ""
	}
	var b strings.Builder
	width := 0
	for i, id := range ids {
		n := name(id)
		sep := 0
		if i > 0 {
			sep = 2
		}
		need := width + sep + cells(n)
		if left := len(ids) - i - 1; left > 0 {
			need += cells(more(left))
		}
		if need > w {
			tail := more(len(ids) - i)
			if i == 0 {
				// Not even one name fits with the count: give the count
				// alone, or nothing rather than a misleading part.
				if tail = strings.TrimPrefix(tail, " "); cells(tail) > w {
					return ""
				}
			}
			b.WriteString(tail)
			return b.String()
		}
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(n)
		width += sep + cells(n)
	}
	return b.String()
}

func more(n int) string { return " +" + strconv.Itoa(n) + " more" }

func compactSolution(cat *model.Catalog, sol model.SolutionStack, o Options) string {
	t := o.Theme
	w := o.width()
	names := serviceNames(cat)
	lines := []string{t.paint(t.Title, clip("Solution stack", w))}
	for r := 0; r <= len(sol.Layers); r++ {
		if r == sol.Line {
			lines = append(lines, t.rule(w))
		}
		if r == len(sol.Layers) {
			break
		}
		l := sol.Layers[r]
		name := clip(layerName(l.Layer), w-2)
		row := t.paint(t.owner(l.Owner), Glyph(l.Owner)) + " " + name
		if room := w - 2 - cells(name) - 3; room >= 3 && l.Owner != model.OwnerAWS {
			if c := causes(names, l.CausedBy, room); c != "" {
				row += t.paint(t.Muted, " · "+c)
			}
		}
		lines = append(lines, row)
	}
	if o.Legend {
		lines = append(lines, "", Legend(o))
	}
	return finish(lines)
}
