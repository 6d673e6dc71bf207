package accessible

import (
	"fmt"
	"strings"

	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/report"
)

// offerCatalogMove: an assessment made with another catalog than the one
// in effect is worked on with the one in effect, as in the wizard.
// Opening it reads out what moving it there changes, every control
// listed, and offers the move, a change recorded in the audit trail like
// any other. No leaves it where it is, and it is offered again at the
// next open.
func (s *session) offerCatalogMove() error {
	a := s.a
	if a.Catalog == (model.CatalogRef{}) || s.cat.Is(a.Catalog) || a.Deleted {
		return nil
	}
	var from *model.Catalog
	if s.cfg.Earlier != nil {
		from, _ = s.cfg.Earlier(a.Catalog)
	}
	ch := model.CompareCatalogs(from, s.cat, &a)
	var text strings.Builder
	if err := report.CatalogChanges(&text, ch); err != nil {
		return err
	}
	s.say("")
	s.say("Another catalog. This assessment is shown with the catalog in effect, %s; moving it there changes, for its services and scope:", line(s.cat.Version))
	for _, l := range strings.Split(strings.TrimSpace(text.String()), "\n") {
		if l != "" {
			s.say("%s", strings.TrimSpace(l))
		}
	}
	if why := s.readOnly(); why != "" {
		s.say("It stays on catalog %s: it is read-only. %s.", line(orDash(ch.From.Version)), why)
		return nil
	}
	yes, err := s.yesNo(fmt.Sprintf("Move it to catalog %s now? The move is recorded in the audit trail; no leaves it on %s, and it is offered again when you open it.",
		line(s.cat.Version), line(orDash(ch.From.Version))), false)
	if err != nil || !yes {
		return err
	}
	moved, err := s.cfg.Store.MoveToCatalog(a.ID, s.cat, "moved to the catalog in effect from the accessible wizard")
	s.saved(moved, err, "moved to catalog "+line(s.cat.Version))
	return nil
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
