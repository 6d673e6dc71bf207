package stacks

import (
	"strings"

	"github.com/onus-gxp/onus/model"
)

// ControlLayers draws, for the question drill-down, the layers a control
// lives on with their owner for each selected service, and what that makes
// the control for each service (customer, shared or inherited): per, from
// Solution.PerService. Like SideBySide it starts at o.Offset and returns
// how many services it drew. cat names the services; when nil, their ids
// are shown in capitals.
func ControlLayers(cat *model.Catalog, per []model.ServiceResolution, o Options) (string, int) {
	t := o.Theme
	w := o.width()
	if len(per) == 0 {
		lines := wrapHanging("", 0, "No services selected yet: select the solution's services to see who owns each layer of this control.", w)
		for i, l := range lines {
			lines[i] = t.paint(t.Muted, l)
		}
		return finish(lines), 0
	}
	off := max(0, min(o.Offset, len(per)-1))
	rest := per[off:]
	sts := make([]model.ServiceStack, len(rest))
	for i, sr := range rest {
		svc := model.Service{ID: sr.Service}
		if cat != nil {
			if s, ok := cat.Service(sr.Service); ok {
				svc = s
			}
		}
		sts[i] = model.ServiceStack{Service: svc, Layers: sr.Layers, Line: -1}
	}

	if w < MinDrawingWidth {
		var lines []string
		for i, st := range sts {
			if i > 0 {
				lines = append(lines, "")
			}
			r := rest[i].Responsibility
			lines = append(lines, t.paint(t.Title, clip(ShortName(st.Service), w))+
				t.paint(t.Muted, clip(" · "+responsibilityLabel(r), max(0, w-cells(clip(ShortName(st.Service), w))))))
			for _, l := range st.Layers {
				lines = append(lines, t.compactRow(l, w))
			}
		}
		if o.Notes {
			if n := o.notes(notesOf(sts)); n != "" {
				lines = append(lines, "", n)
			}
		}
		return finish(lines), len(rest)
	}

	rows := sts[0].Layers
	natural := cells("responsibility")
	for _, l := range rows {
		natural = max(natural, cells(layerName(l.Layer)))
	}
	g := layoutGrid(w, natural, len(per))
	g.shown = min(g.shown, len(sts))
	cols := make([]column, g.shown)
	for i, st := range sts[:g.shown] {
		cols[i] = column{head: ShortName(st.Service), model: st.Service.Model, layers: st.Layers, line: -1}
	}
	pager := ""
	if g.shown < len(per) {
		pager = Pager(off, g.shown, len(per))
	}
	lines := o.drawGrid(rows, cols, g, pager)

	var b strings.Builder
	b.WriteString(t.paint(t.Muted, fit("responsibility", g.left)))
	for _, sr := range rest[:g.shown] {
		b.WriteString(strings.Repeat(" ", gap))
		b.WriteString(t.responsibility(sr.Responsibility, g.col))
	}
	lines = append(lines, strings.Repeat(" ", g.left), b.String())
	if o.Legend {
		lines = append(lines, "", Legend(o))
	}
	if o.Notes {
		if n := o.notes(notesOf(sts[:g.shown])); n != "" {
			lines = append(lines, "", n)
		}
	}
	return finish(lines), g.shown
}

func notesOf(sts []model.ServiceStack) []note {
	var ns []note
	for i, st := range sts {
		for _, l := range st.Layers {
			if l.Overridden || l.ByAssessment {
				ns = append(ns, note{service: ShortName(st.Service), layer: l})
			}
		}
		if st.GAMPByAssessment {
			ns = append(ns, note{service: ShortName(st.Service), gamp: &sts[i]})
		}
	}
	return ns
}

// responsibility draws a control's responsibility for one service as a
// cell, painted like the owner it amounts to.
func (t Theme) responsibility(r model.Responsibility, w int) string {
	own := model.OwnerShared
	switch r {
	case model.Customer:
		own = model.OwnerCustomer
	case model.Inherited:
		own = model.OwnerAWS
	case model.NotApplicable:
		own = model.OwnerNone
	}
	g := Glyph(own)
	return t.paint(t.owner(own), fit(g+g+" "+responsibilityLabel(r), w))
}

func responsibilityLabel(r model.Responsibility) string {
	switch r {
	case model.Inherited:
		return "Inherited"
	case model.Customer:
		return "Customer"
	case model.Shared:
		return "Shared"
	case model.NotApplicable:
		return "n/a"
	}
	return "Unknown"
}
