package report

import (
	"fmt"
	"strings"

	"github.com/onus-gxp/onus/model"
)

// DiffMarkdown renders a diff as a Markdown annex for a report: which two
// points were compared (each anchored by its trail head), then one table
// per kind of change. cat names services, layers and controls; it should
// be the catalog that resolved the diff's ownership.
func DiffMarkdown(cat *model.Catalog, d model.Diff) []byte {
	w, f := &mdWriter{}, &facts{cat: cat}
	w.heading(2, "Changes from "+mdLine(d.From.Spec)+" to "+mdLine(d.To.Spec))
	w.table("Point", "From", "To")
	w.row("Assessment", mdInline(d.From.Name+" ("+d.From.Assessment+")"), mdInline(d.To.Name+" ("+d.To.Assessment+")"))
	w.row("Milestone", mdInline(d.From.Milestone), mdInline(d.To.Milestone))
	w.row("Trail entries", fmt.Sprint(d.From.Entries), fmt.Sprint(d.To.Entries))
	w.row("Last entry at", dateTime(d.From.At), dateTime(d.To.At))
	w.row("Trail head (SHA-256)", mdInline(d.From.Head), mdInline(d.To.Head))
	w.line()
	w.line("Ownership resolved with catalog ", mdInline(orNone(d.Catalog.Version)), ", SHA-256 ", mdInline(orNone(d.Catalog.Hash)), ".")
	if d.Empty() {
		w.line()
		w.line("No differences.")
		return []byte(w.String())
	}
	fields := func(title string, cs []model.FieldChange) {
		if len(cs) == 0 {
			return
		}
		w.heading(3, title)
		w.table("Field", "From", "To")
		for _, c := range cs {
			w.row(mdInline(c.Field), mdInline(c.From), mdInline(c.To))
		}
	}
	fields("Assessment", d.Info)
	fields("Scope", d.Scope)

	if len(d.Services) > 0 {
		w.heading(3, "Services and overrides")
		w.table("Service", "Change", "Layer", "Override from", "Override to")
		for _, s := range d.Services {
			name := mdInline(f.serviceName(s.Service))
			if len(s.Overrides) == 0 {
				w.row(name, s.Change, "", "", "")
			}
			for _, o := range s.Overrides {
				w.row(name, s.Change, mdInline(layerName(cat, o.Layer)), overrideText(o.From), overrideText(o.To))
			}
		}
	}
	if len(d.Layers) > 0 {
		w.heading(3, "Ownership of the solution's layers")
		w.table("Layer", "From", "To", "Because of")
		for _, l := range d.Layers {
			names := make([]string, len(l.CausedBy))
			for i, id := range l.CausedBy {
				names[i] = f.serviceName(id)
			}
			w.row(mdInline(layerName(cat, l.Layer)), l.From.Label(), l.To.Label(), mdInline(strings.Join(names, ", ")))
		}
	}
	if len(d.Controls) > 0 {
		w.heading(3, "Ownership of controls")
		w.table("Control", "From", "To", "Why")
		for _, c := range d.Controls {
			w.row(mdInline(controlName(cat, c.Control)), responsibilityText(c.From), responsibilityText(c.To), mdInline(c.Reason))
		}
	}
	if len(d.Answers) > 0 {
		w.heading(3, "Answers")
		w.table("Control", "Change", "Field", "From", "To")
		for _, a := range d.Answers {
			name := mdInline(controlName(cat, a.Control))
			for _, f := range a.Fields {
				w.row(name, a.Change, mdInline(f.Field), mdInline(statusOr(f)), mdInline(statusTo(f)))
			}
			for _, l := range a.LinksRemoved {
				w.row(name, a.Change, "evidence", mdInline(f.linkText(l)), "")
			}
			for _, l := range a.LinksAdded {
				w.row(name, a.Change, "evidence", "", mdInline(f.linkText(l)))
			}
		}
	}
	if len(d.Supplier) > 0 {
		w.heading(3, "Supplier assessment")
		w.table("Evidence source", "Change", "Field", "From", "To")
		for _, s := range d.Supplier {
			name := mdInline(f.sourceName(s.Source))
			for _, f := range s.Fields {
				w.row(name, s.Change, mdInline(f.Field), mdInline(f.From), mdInline(f.To))
			}
		}
	}
	if len(d.Register) > 0 {
		w.heading(3, "Evidence register")
		w.table("Entry", "Change", "Field", "From", "To")
		for _, e := range d.Register {
			for _, c := range e.Fields {
				w.row(mdInline(e.Entry), e.Change, mdInline(c.Field), mdInline(c.From), mdInline(c.To))
			}
		}
	}
	if len(d.Reports) > 0 {
		w.heading(3, "AWS reports' relevance")
		w.table("Report", "From", "To")
		for _, r := range d.Reports {
			w.row(mdInline(f.sourceName(r.Source)), mdInline(choiceText(r.From)), mdInline(choiceText(r.To)))
		}
	}
	if len(d.SignOffs) > 0 {
		w.heading(3, "Sign-offs")
		w.table("Change", "Signed by", "Role", "Meaning", "Step", "Milestone", "At", "Key")
		for _, s := range d.SignOffs {
			key := s.Key
			if !s.Signed {
				key = "not signed"
			}
			w.row(s.Change, mdInline(s.By), mdInline(s.Role), mdInline(s.Meaning), string(s.Step), mdInline(s.Milestone), dateTime(s.At), mdInline(key))
		}
	}
	return []byte(w.String())
}

// linkText names a linked entry: "E2 PQ report, §5".
func (f *facts) linkText(l model.LinkChange) string {
	s := l.Entry
	if src, ok := strings.CutPrefix(l.Entry, model.SupplierPrefix); ok {
		s += " " + f.sourceName(src)
	} else if l.Title != "" {
		s += " " + l.Title
	}
	if l.Note != "" {
		s += ", " + l.Note
	}
	return s
}

// choiceText is a report's relevance as chosen; nil is the catalog's rule.
func choiceText(c *model.ReportChoice) string {
	switch {
	case c == nil:
		return "as the scope decides"
	case c.Relevant:
		return "added: " + c.Reason
	}
	return "dismissed: " + c.Reason
}

func layerName(cat *model.Catalog, id string) string {
	if l, ok := cat.Layer(id); ok {
		return l.Name
	}
	return id
}

func controlName(cat *model.Catalog, id string) string {
	if c, ok := cat.Control(id); ok {
		return id + " " + c.Title
	}
	return id
}

func overrideText(o *model.ServiceOverride) string {
	if o == nil {
		return ""
	}
	return mdInline(o.Owner.Label() + ": " + o.Justification)
}

func responsibilityText(r model.Responsibility) string {
	if r == "" {
		return "does not apply"
	}
	return r.Label()
}

// statusOr and statusTo write an answer's status for people ("unanswered"
// rather than nothing); other fields stay as they are.
func statusOr(f model.FieldChange) string {
	if f.Field == "status" {
		return model.Status(f.From).Label()
	}
	return f.From
}

func statusTo(f model.FieldChange) string {
	if f.Field == "status" {
		return model.Status(f.To).Label()
	}
	return f.To
}
