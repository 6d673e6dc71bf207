package model

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Action items are the workshop's parking lot: what someone must still do,
// about one control or about the assessment as a whole, by whom and by
// when. Each is raised and changed through the audit trail (ActAction), so
// the trail says who raised it, who moved its date and who closed it.

// ActionStatus is where an action item stands.
type ActionStatus string

const (
	ActionOpen ActionStatus = "open"
	ActionDone ActionStatus = "done"
)

// Valid reports whether s is a known action status.
func (s ActionStatus) Valid() bool { return s == ActionOpen || s == ActionDone }

// ActionItem is one follow-up.
type ActionItem struct {
	// ID is "A1", "A2"… in the order the items were raised; it never
	// changes and is never reused.
	ID string `json:"id"`
	// Control is the control the item is about; empty for the assessment
	// as a whole.
	Control   string       `json:"control,omitempty"`
	Text      string       `json:"text"`
	Owner     string       `json:"owner"`
	Due       string       `json:"due"` // YYYY-MM-DD
	Status    ActionStatus `json:"status"`
	RaisedBy  string       `json:"raised_by"`
	RaisedAt  time.Time    `json:"raised_at"`
	UpdatedBy string       `json:"updated_by"`
	UpdatedAt time.Time    `json:"updated_at"`
}

// MaxActions bounds the action items of one assessment.
const MaxActions = 10_000

var actionIDPattern = mustCompile(`^A[1-9][0-9]{0,5}$`)

// ActionID is the id of the n-th action item raised (from 1).
func ActionID(n int) string { return "A" + strconv.Itoa(n) }

// NextActionID is the id the next action item raised gets.
func (a *Assessment) NextActionID() string { return ActionID(len(a.Actions) + 1) }

// Action finds an action item by id (case-insensitive: a7 is A7).
func (a *Assessment) Action(id string) (ActionItem, bool) {
	for _, it := range a.Actions {
		if strings.EqualFold(it.ID, id) {
			return it, true
		}
	}
	return ActionItem{}, false
}

// ValidateAction checks an action item's own fields: the text, owner and
// due date a person gives, and the status.
func ValidateAction(it ActionItem) error {
	if !actionIDPattern().MatchString(it.ID) {
		return fmt.Errorf("%q is not an action id (A1, A2, …)", it.ID)
	}
	if strings.TrimSpace(it.Text) == "" {
		return errors.New("an action needs a text: what is to be done")
	}
	if err := CheckText("action text", it.Text, MaxTextBytes); err != nil {
		return err
	}
	if strings.TrimSpace(it.Owner) == "" {
		return errors.New("an action needs an owner: who does it")
	}
	if err := CheckText("action owner", it.Owner, MaxNameBytes); err != nil {
		return err
	}
	if !validDate(it.Due) {
		return fmt.Errorf("due date %q is not YYYY-MM-DD", it.Due)
	}
	if !it.Status.Valid() {
		return fmt.Errorf("unknown action status %q (use open or done)", it.Status)
	}
	return CheckText("control id", it.Control, MaxNameBytes)
}

// stepAction is Step's rule for ActAction: an item is raised open, as the
// next id, by the entry's actor; a change keeps its id, its control and
// who raised it when, and is stamped with the entry's actor and time.
func stepAction(a *Assessment, e AuditEntry, cat *Catalog, check bool) error {
	var it ActionItem
	if err := decodeStrict(e.New, &it); err != nil {
		return err
	}
	i := slices.IndexFunc(a.Actions, func(x ActionItem) bool { return x.ID == it.ID })
	if check {
		if err := checkAction(a, e, cat, it, i); err != nil {
			return err
		}
	}
	a.Actions = putAt(a.Actions, i, &it)
	return nil
}

func checkAction(a *Assessment, e AuditEntry, cat *Catalog, it ActionItem, i int) error {
	if e.Target != "action/"+it.ID {
		return fmt.Errorf("the action is %q", it.ID)
	}
	if err := checkActionItem(cat, it); err != nil {
		return err
	}
	if it.UpdatedBy != e.Actor {
		return fmt.Errorf("changed by %q in an entry by %q", it.UpdatedBy, e.Actor)
	}
	if err := checkStamp(e, "the action's time", it.UpdatedAt); err != nil {
		return err
	}
	if i < 0 {
		switch {
		case it.ID != a.NextActionID():
			return fmt.Errorf("raises %s where the next action is %s", it.ID, a.NextActionID())
		case len(a.Actions) >= MaxActions:
			return fmt.Errorf("%d actions; the limit is %d", len(a.Actions)+1, MaxActions)
		case it.Status != ActionOpen:
			return errors.New("an action is raised open")
		case it.RaisedBy != e.Actor || !it.RaisedAt.Equal(it.UpdatedAt):
			return errors.New("an action is raised by the entry's actor at the entry's time")
		case !absent(e.Old):
			return errors.New("records an old value where there was none")
		}
		return nil
	}
	held := a.Actions[i]
	if absent(e.Old) {
		return errors.New("records no old value, but the assessment held one")
	}
	var old ActionItem
	if err := decodeStrict(e.Old, &old); err != nil {
		return fmt.Errorf("old value: %v", err)
	}
	switch {
	case !sameAction(old, held):
		return errors.New("its old value is not what the assessment held before it")
	case it.Control != held.Control:
		return fmt.Errorf("moves %s from control %q to %q", it.ID, held.Control, it.Control)
	case it.RaisedBy != held.RaisedBy || !it.RaisedAt.Equal(held.RaisedAt):
		return fmt.Errorf("changes who raised %s, or when", it.ID)
	}
	return nil
}

// checkActionItem checks an item's fields, and its control against the
// catalog.
func checkActionItem(cat *Catalog, it ActionItem) error {
	if err := ValidateAction(it); err != nil {
		return fmt.Errorf("action %s: %w", it.ID, err)
	}
	if err := ValidateActor(it.RaisedBy); err != nil {
		return fmt.Errorf("action %s: raised by: %w", it.ID, err)
	}
	if err := ValidateActor(it.UpdatedBy); err != nil {
		return fmt.Errorf("action %s: changed by: %w", it.ID, err)
	}
	if cat != nil && it.Control != "" {
		if _, ok := cat.Control(it.Control); !ok {
			return fmt.Errorf("action %s: unknown control %q in catalog %s", it.ID, it.Control, cat.Version)
		}
	}
	return nil
}

// checkInitialActions checks the action items an assessment starts with
// (a baseline carries its source's): ids in order, each item sound.
func checkInitialActions(cat *Catalog, items []ActionItem) error {
	if len(items) > MaxActions {
		return fmt.Errorf("%d actions; the limit is %d", len(items), MaxActions)
	}
	for i, it := range items {
		if it.ID != ActionID(i+1) {
			return fmt.Errorf("action %d is %q, not %s", i+1, it.ID, ActionID(i+1))
		}
		if err := checkActionItem(cat, it); err != nil {
			return err
		}
	}
	return nil
}

func sameAction(x, y ActionItem) bool {
	return x.ID == y.ID && x.Control == y.Control && x.Text == y.Text && x.Owner == y.Owner && x.Due == y.Due &&
		x.Status == y.Status && x.RaisedBy == y.RaisedBy && x.RaisedAt.Equal(y.RaisedAt) &&
		x.UpdatedBy == y.UpdatedBy && x.UpdatedAt.Equal(y.UpdatedAt)
}

// Overdue reports whether an open item's due date is before day
// (YYYY-MM-DD).
func (it ActionItem) Overdue(day string) bool { return it.Status == ActionOpen && it.Due < day }

// ActionsByDue orders items for an action plan: open before done, then by
// due date, then by id in the order raised.
func ActionsByDue(items []ActionItem) []ActionItem {
	out := slices.Clone(items)
	slices.SortStableFunc(out, func(x, y ActionItem) int {
		if c := cmp.Compare(statusRank(x.Status), statusRank(y.Status)); c != 0 {
			return c
		}
		if c := cmp.Compare(x.Due, y.Due); c != 0 {
			return c
		}
		return compareActionIDs(x.ID, y.ID)
	})
	return out
}

// ActionsByOwner orders items by owner (case-insensitive), then as
// ActionsByDue.
func ActionsByOwner(items []ActionItem) []ActionItem {
	out := ActionsByDue(items)
	slices.SortStableFunc(out, func(x, y ActionItem) int {
		return cmp.Compare(strings.ToLower(x.Owner), strings.ToLower(y.Owner))
	})
	return out
}

func statusRank(s ActionStatus) int {
	if s == ActionDone {
		return 1
	}
	return 0
}

func compareActionIDs(x, y string) int {
	nx, _ := strconv.Atoi(strings.TrimPrefix(x, "A"))
	ny, _ := strconv.Atoi(strings.TrimPrefix(y, "A"))
	return cmp.Compare(nx, ny)
}
