package stacks

import (
	"fmt"
	"slices"
	"strings"

	"github.com/onus-gxp/onus/internal/safetext"
	"github.com/onus-gxp/onus/model"
)

// Column geometry. A service column is at least colMin cells (room for
// "▓▓ Customer" and an override mark) and at most colMax; columns are
// gap cells apart. The layer-name column gets its natural width when it
// can, and gives way down to leftMin before a service is paged out.
const (
	colMin  = 12
	colMax  = 16
	gap     = 2
	leftMin = 26
	leftMax = 44
	ruleCh  = "━"
)

// column is one service in a grid: its header and its layers, row-aligned
// with the grid's rows.
type column struct {
	head, sub string
	gamp      string // the service's GAMP category (GAMPLabel); "" draws no row for it
	model     model.ServiceModel
	layers    []model.StackLayer
	line      int // rule drawn before this row; -1 for none
}

// grid is the geometry of a side-by-side drawing.
type grid struct {
	left, col, shown int
}

// layoutGrid decides how many of n columns fit in w cells from a
// layer-name column whose natural width is natural.
func layoutGrid(w, natural, n int) grid {
	natural = min(max(natural, 1), leftMax)
	step := gap + colMin
	k := (w - min(natural, leftMin)) / step
	k = max(1, min(k, n))
	left := max(min(natural, w-k*step), 0)
	spare := w - left - k*step
	col := colMin + max(0, min(spare/k, colMax-colMin))
	return grid{left: left, col: col, shown: k}
}

// cell draws one owner as a bar w cells wide: glyph, word, and the
// override mark in the last cell.
func (t Theme) cell(own model.Owner, mark string, w int) string {
	if w <= 0 {
		return ""
	}
	g := Glyph(own)
	text := g + g + " " + ownerLabel(own)
	if w < 4 {
		text = g
	}
	if mark != "" {
		text = clip(text, w-cells(mark)) + mark
	}
	return t.paint(t.owner(own), fit(text, w))
}

// cellCache remembers the cells of one drawing: a stack has a dozen rows
// but only a handful of different cells, and painting is the costly part.
type cellCache struct {
	t Theme
	w int
	m map[cellKey]string
}

type cellKey struct {
	own  model.Owner
	mark string
}

func (t Theme) newCellCache(w int) *cellCache { return &cellCache{t: t, w: w, m: map[cellKey]string{}} }

func (c *cellCache) get(own model.Owner, mark string) string {
	k := cellKey{own, mark}
	s, ok := c.m[k]
	if !ok {
		s = c.t.cell(own, mark, c.w)
		c.m[k] = s
	}
	return s
}

// SideBySide draws several service stacks as columns next to each other,
// layer names once on the left, so the different heights of their
// of/in-the-cloud lines show at a glance. It starts at o.Offset and returns
// how many services it drew; when not all fit, the header says which are
// shown ("services 1–3 of 7 ▶"). All stacks must come from one catalog.
// Below MinDrawingWidth it returns the compact table of every service from
// the offset.
func SideBySide(sts []model.ServiceStack, o Options) (string, int) {
	if len(sts) == 0 {
		return "", 0
	}
	off := max(0, min(o.Offset, len(sts)-1))
	rest := sts[off:]
	w := o.width()
	if w < MinDrawingWidth {
		return Table(rest, o), len(rest)
	}
	rows := rest[0].Layers
	natural := 0
	for _, l := range rows {
		natural = max(natural, cells(layerName(l.Layer)))
	}
	// Lay out for all the services, so every page has the same geometry.
	g := layoutGrid(w, natural, len(sts))
	g.shown = min(g.shown, len(rest))
	cols := make([]column, g.shown)
	for i, st := range rest[:g.shown] {
		cols[i] = column{
			head:   ShortName(st.Service),
			gamp:   GAMPLabel(st),
			model:  st.Service.Model,
			layers: st.Layers,
			line:   st.Line,
		}
	}
	pager := ""
	if g.shown < len(sts) {
		pager = Pager(off, g.shown, len(sts))
	}
	lines := o.drawGrid(rows, cols, g, pager)
	lines = o.appendExtras(lines, rest[:g.shown])
	return finish(lines), g.shown
}

// Pager says which services a page shows, with arrows where there are more:
// "◀ services 4–6 of 7 ▶".
func Pager(offset, shown, total int) string {
	var b strings.Builder
	if offset > 0 {
		b.WriteString("◀ ")
	}
	if shown == 1 {
		fmt.Fprintf(&b, "service %d of %d", offset+1, total)
	} else {
		fmt.Fprintf(&b, "services %d–%d of %d", offset+1, offset+shown, total)
	}
	if offset+shown < total {
		b.WriteString(" ▶")
	}
	return b.String()
}

// drawGrid draws the header and the rows of a side-by-side drawing.
func (o Options) drawGrid(rows []model.StackLayer, cols []column, g grid, pager string) []string {
	t := o.Theme
	var b strings.Builder
	line := func() string { s := b.String(); b.Reset(); return s }
	lines := make([]string, 0, len(rows)+len(cols)+4)

	// Header: names, then models.
	b.WriteString(t.paint(t.Muted, fit(pager, g.left)))
	for _, c := range cols {
		b.WriteString(strings.Repeat(" ", gap))
		b.WriteString(t.paint(t.Title, fit(c.head, g.col)))
	}
	lines = append(lines, line())
	b.WriteString(strings.Repeat(" ", g.left))
	for _, c := range cols {
		b.WriteString(strings.Repeat(" ", gap))
		b.WriteString(t.paint(t.Muted, fit(modelLabel(c.model, g.col), g.col)))
	}
	lines = append(lines, line())
	if slices.ContainsFunc(cols, func(c column) bool { return c.gamp != "" }) {
		b.WriteString(strings.Repeat(" ", g.left))
		for _, c := range cols {
			b.WriteString(strings.Repeat(" ", gap))
			b.WriteString(t.paint(t.Muted, fit(c.gamp, g.col)))
		}
		lines = append(lines, line())
	}

	label := lineLabel(g.left)
	cell := t.newCellCache(g.col)
	for r := 0; r <= len(rows); r++ {
		if hasLine(cols, r) {
			// The first rule says what it is; the others only point.
			b.WriteString(t.paint(t.Muted, fitRight(label, g.left)))
			label = lineLabel(min(g.left, 3))
			for _, c := range cols {
				b.WriteString(strings.Repeat(" ", gap))
				if c.line == r {
					b.WriteString(t.paint(t.Line, strings.Repeat(ruleCh, g.col)))
				} else {
					b.WriteString(strings.Repeat(" ", g.col))
				}
			}
			lines = append(lines, line())
		}
		if r == len(rows) {
			break
		}
		b.WriteString(fit(layerName(rows[r].Layer), g.left))
		for _, c := range cols {
			b.WriteString(strings.Repeat(" ", gap))
			if r < len(c.layers) {
				l := c.layers[r]
				b.WriteString(cell.get(l.Owner, Mark(l)))
			} else {
				b.WriteString(strings.Repeat(" ", g.col))
			}
		}
		lines = append(lines, line())
	}
	return lines
}

func hasLine(cols []column, r int) bool {
	for _, c := range cols {
		if c.line == r {
			return true
		}
	}
	return false
}

// lineLabel names the of/in-the-cloud line in the layer-name column of a
// side-by-side drawing, as long as the column allows.
func lineLabel(w int) string {
	for _, s := range []string{"in the cloud ▲ ▼ of the cloud", "in ▲ ▼ of the cloud", "in ▲ ▼ of", "▲ ▼"} {
		if cells(s) <= w {
			return s
		}
	}
	return ""
}

// rule draws the full-width of/in-the-cloud line with its label.
func (t Theme) rule(w int) string {
	if w <= 0 {
		return ""
	}
	for _, s := range []string{
		"in the cloud ▲ customer · AWS ▼ of the cloud",
		"in the cloud ▲ ▼ of the cloud",
		"in ▲ ▼ of the cloud",
		"in ▲ ▼ of",
	} {
		if n := w - cells(s) - 4; n >= 2 {
			return t.paint(t.Line, strings.Repeat(ruleCh, 2)+" "+s+" "+strings.Repeat(ruleCh, n))
		}
	}
	return t.paint(t.Line, strings.Repeat(ruleCh, w))
}

// Service draws one service's stack: its layers top to bottom, each with
// its owner, the of/in-the-cloud line where it falls, and override marks.
func Service(st model.ServiceStack, o Options) string {
	w := o.width()
	if w < MinDrawingWidth {
		return Table([]model.ServiceStack{st}, o)
	}
	t := o.Theme
	natural := 0
	for _, l := range st.Layers {
		natural = max(natural, cells(layerName(l.Layer)))
	}
	col, left := stackGeometry(w, natural)

	name := safetext.Line(st.Service.Name)
	if name == "" {
		name = ShortName(st.Service)
	}
	lines := []string{o.title(name, serviceQualifier(st), w)}
	full := left + gap + col
	cell := t.newCellCache(col)
	for r := 0; r <= len(st.Layers); r++ {
		if r == st.Line {
			lines = append(lines, t.rule(full))
		}
		if r == len(st.Layers) {
			break
		}
		l := st.Layers[r]
		lines = append(lines, fit(layerName(l.Layer), left)+strings.Repeat(" ", gap)+cell.get(l.Owner, Mark(l)))
	}
	lines = o.appendExtras(lines, []model.ServiceStack{st})
	return finish(lines)
}

// stackGeometry sizes a single-column stack: the owner column and the
// layer-name column, giving names their natural width when they can have it.
func stackGeometry(w, natural int) (col, left int) {
	col = max(colMin, min(colMin+2, w-gap-natural))
	left = max(min(natural, leftMax, w-gap-col), 0)
	return col, left
}

// title draws a heading with a muted qualifier, clipped to w.
func (o Options) title(head, qual string, w int) string {
	t := o.Theme
	head = clip(head, w)
	qual = " · " + safetext.Line(qual)
	if qual == " · " || cells(head)+cells(qual) > w {
		return t.paint(t.Title, head)
	}
	return t.paint(t.Title, head) + t.paint(t.Muted, qual)
}

// appendExtras adds the legend and the notes when asked for.
func (o Options) appendExtras(lines []string, sts []model.ServiceStack) []string {
	if o.Legend {
		lines = append(lines, "", Legend(o))
	}
	if o.Notes {
		if n := Notes(sts, o); n != "" {
			lines = append(lines, "", n)
		}
	}
	return lines
}

// finish joins lines, dropping trailing blanks that would only pad them.
func finish(lines []string) string {
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return joinLines(lines)
}
