package tui

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/onus-gxp/onus/internal/plural"
	"github.com/onus-gxp/onus/model"
)

// An assessment made with another catalog than the one in effect keeps
// working: every screen shows it with the catalog in effect. Opening it
// says what a move to that catalog changes for it, and offers the move, a
// change recorded in the audit trail like any other.

// catalogChangesMsg is what a move would change for the open assessment.
type catalogChangesMsg struct {
	id      string
	changes model.CatalogChanges
}

// compareCatalogs works out, in a command, what a move to the catalog in
// effect changes for an assessment just opened that was made with
// another: the earlier catalog is parsed only then, never at start-up.
// An assessment that names no catalog at all (made outside the wizard and
// the commands, which always record it) is taken as made with this one,
// as the reports take it.
func (m *Model) compareCatalogs(a model.Assessment) tea.Cmd {
	cat := m.catalog()
	if a.Catalog == (model.CatalogRef{}) || cat.Is(a.Catalog) || a.Deleted {
		return nil
	}
	earlier := m.cfg.Earlier
	return func() tea.Msg {
		var from *model.Catalog
		if earlier != nil {
			from, _ = earlier(a.Catalog)
		}
		return catalogChangesMsg{id: a.ID, changes: model.CompareCatalogs(from, cat, &a)}
	}
}

// catalogCompared offers the move, if the assessment is still open.
func (m *Model) catalogCompared(msg catalogChangesMsg) tea.Cmd {
	if m.a == nil || m.a.ID != msg.id || m.dialog() != nil {
		return nil
	}
	ch := msg.changes
	m.confirm("Another catalog", moveText(ch), func(m *Model) tea.Cmd {
		to := m.catalog()
		return m.action("moved to catalog "+to.Version, nil, func(st Store) (model.Assessment, error) {
			return st.MoveToCatalog(msg.id, to, "moved to the catalog in effect from the wizard")
		}, nil)
	})
	return nil
}

// moveText says what the move changes, one line per kind of change.
func moveText(ch model.CatalogChanges) string {
	from := orDash(ch.From.Version)
	lines := []string{fmt.Sprintf("This assessment was made with catalog %s; it is shown with the catalog in effect, %s.", from, ch.To.Version)}
	if !ch.Known {
		lines = append(lines, "Catalog "+from+" is not one this onus knows, so what changed cannot be listed; the answers a move would drop can.")
	} else {
		lines = append(lines, "For this assessment, with its services and scope, moving it:")
		lines = append(lines, changeLine("+", "come to apply", "no control comes to apply", ch.Added, false))
		lines = append(lines, changeLine("−", "no longer apply", "no control stops applying", ch.Removed, false))
		lines = append(lines, changeLine("~", "change owner", "no control changes owner", ch.Owner, true))
	}
	if n := len(ch.Dropped); n == 0 {
		lines = append(lines, fmt.Sprintf("Answers: %s kept, none dropped.", plural.Count(ch.Kept, "answer", "answers")))
	} else {
		lines = append(lines, fmt.Sprintf("Answers: %d kept; %d dropped, to controls %s lacks (%s); the audit trail keeps them.",
			ch.Kept, n, ch.To.Version, listSome(ch.Dropped, 4)))
	}
	if len(ch.Services) > 0 {
		lines = append(lines, "Services "+ch.To.Version+" does not know: "+listSome(ch.Services, 4)+".")
	}
	lines = append(lines, fmt.Sprintf("y moves it to %s (recorded in the audit trail) · n leaves it on %s for now; you are asked again when you open it.", ch.To.Version, from))
	return strings.Join(lines, "\n")
}

func changeLine(mark, what, none string, cs []model.MovedControl, owners bool) string {
	if len(cs) == 0 {
		return "  " + mark + " " + none
	}
	// A few ids, so that the line does not wrap inside one (ansi breaks
	// at hyphens); onus catalog migrate --dry-run lists them all.
	ids := make([]string, len(cs))
	n := 4
	for i, c := range cs {
		ids[i] = c.ID
		if owners {
			ids[i] += " " + c.From.Label() + " → " + c.To.Label()
			n = 2
		}
	}
	return fmt.Sprintf("  %s %d %s: %s", mark, len(cs), what, listSome(ids, n))
}

// listSome lists up to n items, then how many more.
func listSome(items []string, n int) string {
	if len(items) <= n {
		return strings.Join(items, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(items[:n], ", "), len(items)-n)
}
