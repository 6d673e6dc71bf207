package store

import (
	"fmt"
	"strings"

	"github.com/onus-gxp/onus/model"
)

// RaiseAction records a new action item: its text, owner, due date and
// control (empty for the assessment as a whole). The id, status (open),
// author and times are set here; the assessment returned holds it last.
func (db *DB) RaiseAction(id string, it model.ActionItem, reason string) (model.Assessment, error) {
	return db.change(id, model.ActAction, reason, func(a *model.Assessment) (string, any, any, error) {
		now := db.now()
		it.ID, it.Status = a.NextActionID(), model.ActionOpen
		it.RaisedBy, it.RaisedAt, it.UpdatedBy, it.UpdatedAt = db.actor, now, db.actor, now
		if err := model.ValidateAction(it); err != nil {
			return "", nil, nil, err
		}
		return "action/" + it.ID, nil, it, nil
	})
}

// UpdateAction replaces the text, owner, due date and status of the action
// item it.ID; who raised it and when, and its control, stay.
func (db *DB) UpdateAction(id string, it model.ActionItem, reason string) (model.Assessment, error) {
	return db.change(id, model.ActAction, reason, func(a *model.Assessment) (string, any, any, error) {
		held, ok := a.Action(it.ID)
		if !ok {
			return "", nil, nil, fmt.Errorf("assessment %s has no action %s (onus action list %s)", id, strings.ToUpper(it.ID), id)
		}
		next := held
		next.Text, next.Owner, next.Due, next.Status = it.Text, it.Owner, it.Due, it.Status
		next.UpdatedBy, next.UpdatedAt = db.actor, db.now()
		if err := model.ValidateAction(next); err != nil {
			return "", nil, nil, err
		}
		return "action/" + held.ID, held, next, nil
	})
}

// As is a handle on the same open file whose changes, and wizard state,
// are another person's: onus serve gives each participant one. It shares
// everything else with db, Close included: close only the DB Open returned.
func (db *DB) As(actor string) *DB { return &DB{file: db.file, actor: actor} }
