package stacks

import (
	"strings"

	"github.com/onus-gxp/onus/internal/safetext"
	"github.com/onus-gxp/onus/model"
)

// fullLegendWidth is the narrowest width for the legend with explanations;
// below it the legend is a compact key.
const fullLegendWidth = 60

// Legend explains the glyphs, the line and the override marks.
func Legend(o Options) string {
	t := o.Theme
	w := o.width()
	if w < fullLegendWidth {
		return finish(compactLegend(t, w))
	}
	entries := []struct {
		own  model.Owner
		text string
	}{
		{model.OwnerCustomer, "yours: you run, configure and evidence it"},
		{model.OwnerShared, "AWS provides the mechanism; you configure and enforce it"},
		{model.OwnerAWS, "AWS runs it; you inherit it and rely on AWS's audit reports"},
		{model.OwnerNone, "the service has no such layer, as a network has no operating system"},
	}
	const key = 12 // "▓▓ Customer" and a space
	var lines []string
	for _, e := range entries {
		lines = append(lines, o.keyed(t.cell(e.own, "", key), key, e.text, w)...)
	}
	lines = append(lines, o.keyed(t.paint(t.Line, strings.Repeat(ruleCh, key-1)), key,
		"the of/in-the-cloud line: the customer's above it, AWS's below", w)...)
	lines = append(lines, o.keyed(fitRight(MarkCatalog, key), key,
		"the catalog's override for this service; the reason is in the notes", w)...)
	lines = append(lines, o.keyed(fitRight(MarkAssessment, key), key,
		"your assessment's own override; the justification is in the notes", w)...)
	return finish(lines)
}

// keyed lays out a legend entry: a key keyW cells wide, a space, then the
// text wrapped under itself.
func (o Options) keyed(key string, keyW int, text string, w int) []string {
	pad := keyW + 1
	lines := wrapHanging(strings.Repeat(" ", pad), pad, text, w)
	if len(lines[0]) >= pad {
		lines[0] = key + strings.Repeat(" ", max(0, pad-cells(key))) + lines[0][pad:]
	}
	return lines
}

func compactLegend(t Theme, w int) []string {
	items := []string{
		t.paint(t.Customer, Glyph(model.OwnerCustomer)+Glyph(model.OwnerCustomer)) + " customer",
		t.paint(t.Shared, Glyph(model.OwnerShared)+Glyph(model.OwnerShared)) + " shared",
		t.paint(t.AWS, Glyph(model.OwnerAWS)+Glyph(model.OwnerAWS)) + " AWS",
		t.paint(t.Muted, Glyph(model.OwnerNone)+Glyph(model.OwnerNone)) + " n/a",
		t.paint(t.Line, ruleCh+ruleCh) + " the line",
		MarkCatalog + " catalog override",
		MarkAssessment + " your override",
	}
	var lines []string
	cur := ""
	for _, it := range items {
		switch {
		case cur == "":
			cur = it
		case cells(cur)+2+cells(it) <= w:
			cur += "  " + it
		default:
			lines = append(lines, cur)
			cur = it
		}
	}
	lines = append(lines, cur)
	for i, l := range lines {
		if cells(l) > w {
			lines[i] = clip(l, w)
		}
	}
	return lines
}

// note is one overridden layer of one service, or (gamp set) the GAMP
// category the assessment gave it.
type note struct {
	service string // short name
	layer   model.StackLayer
	gamp    *model.ServiceStack
}

// Notes lists the overridden layers of the stacks with their reasons:
// "† EKS · Operating system and patching → Customer", then the reason.
// Catalog overrides are marked †, the assessment's own ‡, as are the GAMP
// categories the assessment chose ("‡ EC2 · Category 4: configured
// product"), with the justification. Empty when there is none.
func Notes(sts []model.ServiceStack, o Options) string {
	return o.notes(notesOf(sts))
}

func (o Options) notes(ns []note) string {
	if len(ns) == 0 {
		return ""
	}
	t := o.Theme
	w := o.width()
	var lines []string
	for _, n := range ns {
		mark, who := MarkCatalog, "catalog"
		if n.layer.ByAssessment || n.gamp != nil {
			mark, who = MarkAssessment, "your assessment"
		}
		head := mark + " " + n.service + " · " + layerName(n.layer.Layer) + " → " + ownerLabel(n.layer.Owner) + " (" + who + ")"
		reason := strings.TrimSpace(safetext.Line(n.layer.Reason))
		if n.gamp != nil {
			head = mark + " " + n.service + " · " + model.GAMPCategoryLabel(n.gamp.GAMP) + " (" + who + ")"
			reason = strings.TrimSpace(safetext.Line(n.gamp.GAMPReason))
		}
		lines = append(lines, t.paint(t.Title, clip(head, w)))
		if reason == "" {
			reason = "no reason given"
		}
		for _, l := range wrapHanging("  ", 2, reason, w) {
			lines = append(lines, t.paint(t.Muted, l))
		}
	}
	return finish(lines)
}
