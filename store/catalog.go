package store

import (
	"fmt"
	"slices"

	"github.com/onus-gxp/onus/model"
)

// The Part 11 record inventory, a service's GAMP category and the move to
// another catalog: each an audited change like any other.

// SetRecord adds or replaces one entry of the record inventory. was is the
// data class the entry had before an edit ("" for a new entry); when it
// differs from the entry's, the entry is renamed: the old class is removed
// and the new one added, in one transaction.
func (db *DB) SetRecord(id, was string, r model.RecordEntry) (model.Assessment, error) {
	if err := r.Validate(); err != nil {
		return model.Assessment{}, err
	}
	return db.changes(id, model.ActRecord, func(b *batch) error {
		if was != "" && was != r.DataClass {
			prev, ok := recordOf(b.a, was)
			if !ok {
				return fmt.Errorf("no record entry for %q", was)
			}
			if _, taken := recordOf(b.a, r.DataClass); taken {
				return fmt.Errorf("data class %q is listed already", r.DataClass)
			}
			if err := b.record(model.ActRecord, "records/"+was, prev, nil, ""); err != nil {
				return err
			}
		}
		var old any
		if prev, ok := recordOf(b.a, r.DataClass); ok {
			old = prev
		}
		return b.record(model.ActRecord, "records/"+r.DataClass, old, r, "")
	})
}

// RemoveRecord removes one entry of the record inventory.
func (db *DB) RemoveRecord(id, class string) (model.Assessment, error) {
	return db.change(id, model.ActRecord, "", func(a *model.Assessment) (string, any, any, error) {
		prev, ok := recordOf(a, class)
		if !ok {
			return "", nil, nil, fmt.Errorf("no record entry for %q", class)
		}
		return "records/" + class, prev, nil, nil
	})
}

func recordOf(a *model.Assessment, class string) (model.RecordEntry, bool) {
	i := slices.IndexFunc(a.Records, func(r model.RecordEntry) bool { return r.DataClass == class })
	if i < 0 {
		return model.RecordEntry{}, false
	}
	return a.Records[i], true
}

// SetGAMP gives a selected service a GAMP 5 category of the assessment's
// own, with its justification; nil goes back to the catalog's.
func (db *DB) SetGAMP(id, service string, g *model.GAMPOverride) (model.Assessment, error) {
	if g != nil {
		if err := model.ValidateGAMPOverride(*g); err != nil {
			return model.Assessment{}, err
		}
	}
	return db.editService(id, service, func(s *model.SelectedService) error {
		if g == nil && s.GAMP == nil {
			return fmt.Errorf("%s has no GAMP category of this assessment's own; nothing to clear", service)
		}
		s.GAMP = g
		return nil
	})
}

// MoveToCatalog moves an assessment to a catalog (the one in effect):
// the reference is updated, every answer to a control the catalog still
// has is kept, and the others are dropped, named in the entry (see
// model.Catalog.MoveOf).
func (db *DB) MoveToCatalog(id string, to *model.Catalog, reason string) (model.Assessment, error) {
	return db.change(id, model.ActCatalog, reason, func(a *model.Assessment) (string, any, any, error) {
		mv, ok := to.MoveOf(a)
		if !ok {
			return "", nil, nil, fmt.Errorf("assessment %s is on catalog %s already", id, to.Version)
		}
		return "catalog", a.Catalog, mv, nil
	})
}
