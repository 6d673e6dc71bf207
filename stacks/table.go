package stacks

import (
	"github.com/onus-gxp/onus/model"
)

// Table is the compact form of service stacks for narrow terminals: one
// block per service, one line per layer ("▓† Operating system…"), the
// of/in-the-cloud line as a rule. It uses every width down to a few cells.
func Table(sts []model.ServiceStack, o Options) string {
	t := o.Theme
	w := o.width()
	var lines []string
	for i, st := range sts {
		if i > 0 {
			lines = append(lines, "")
		}
		lines = append(lines, o.title(ShortName(st.Service), serviceQualifier(st), w))
		for r := 0; r <= len(st.Layers); r++ {
			if r == st.Line {
				lines = append(lines, t.rule(w))
			}
			if r == len(st.Layers) {
				break
			}
			lines = append(lines, t.compactRow(st.Layers[r], w))
		}
	}
	lines = o.appendExtras(lines, sts)
	return finish(lines)
}

// compactRow is one layer in a compact table: glyph, mark, name.
func (t Theme) compactRow(l model.StackLayer, w int) string {
	if w < 4 {
		return t.paint(t.owner(l.Owner), clip(Glyph(l.Owner)+Mark(l), w))
	}
	return t.paint(t.owner(l.Owner), Glyph(l.Owner)+fit(Mark(l), 1)) + " " + clip(layerName(l.Layer), w-3)
}
