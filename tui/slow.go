package tui

import (
	"time"

	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/store"
)

// SlowWrites wraps a store so that every write takes d longer, as on a
// network home, an encrypted USB stick or a VDI disk, where one fsync can
// take a tenth of a second or more. It is for tests: the wizard's own,
// which show that no key is lost or misrouted however slow the disk, and
// the end-to-end test of the real binary, whose command line can wrap its
// store with it (see the ONUS_TEST_SLOW_WRITES hook in the report of
// issue 14). Reads are not slowed.
func SlowWrites(st Store, d time.Duration) Store { return slowStore{st, d} }

type slowStore struct {
	Store
	d time.Duration
}

func (s slowStore) slow() { time.Sleep(s.d) }

// Checked passes the store's background check through (checked.go).
func (s slowStore) Checked() error {
	if c, ok := s.Store.(checker); ok {
		return c.Checked()
	}
	return nil
}

func (s slowStore) Create(a model.Assessment) (model.Assessment, error) {
	s.slow()
	return s.Store.Create(a)
}

func (s slowStore) UpdateInfo(id string, in model.Info, reason string) (model.Assessment, error) {
	s.slow()
	return s.Store.UpdateInfo(id, in, reason)
}

func (s slowStore) UpdateScope(id string, sc model.Scope, reason string) (model.Assessment, error) {
	s.slow()
	return s.Store.UpdateScope(id, sc, reason)
}

func (s slowStore) SelectServices(id string, ids []string) (model.Assessment, error) {
	s.slow()
	return s.Store.SelectServices(id, ids)
}

func (s slowStore) DeselectServices(id string, ids []string) (model.Assessment, error) {
	s.slow()
	return s.Store.DeselectServices(id, ids)
}

func (s slowStore) SetOverride(id, service string, o model.ServiceOverride) (model.Assessment, error) {
	s.slow()
	return s.Store.SetOverride(id, service, o)
}

func (s slowStore) ClearOverride(id, service, layer string) (model.Assessment, error) {
	s.slow()
	return s.Store.ClearOverride(id, service, layer)
}

func (s slowStore) SetSupplierRecord(id string, r model.SupplierRecord) (model.Assessment, error) {
	s.slow()
	return s.Store.SetSupplierRecord(id, r)
}

func (s slowStore) RemoveSupplierRecord(id, source string) (model.Assessment, error) {
	s.slow()
	return s.Store.RemoveSupplierRecord(id, source)
}

func (s slowStore) Answer(id string, ans model.Answer, reason string) (model.Assessment, error) {
	s.slow()
	return s.Store.Answer(id, ans, reason)
}

func (s slowStore) SetWorkflow(id string, w model.Workflow, reason string) (model.Assessment, error) {
	s.slow()
	return s.Store.SetWorkflow(id, w, reason)
}

func (s slowStore) Sign(id string, req store.SignRequest, cat *model.Catalog, key store.Signer) (model.Assessment, error) {
	s.slow()
	return s.Store.Sign(id, req, cat, key)
}

func (s slowStore) Reopen(id, reason string) (model.Assessment, error) {
	s.slow()
	return s.Store.Reopen(id, reason)
}

func (s slowStore) Milestone(id, name string) (model.Assessment, error) {
	s.slow()
	return s.Store.Milestone(id, name)
}

func (s slowStore) Duplicate(id, newName string) (model.Assessment, error) {
	s.slow()
	return s.Store.Duplicate(id, newName)
}

func (s slowStore) Delete(id, reason string) (model.Assessment, error) {
	s.slow()
	return s.Store.Delete(id, reason)
}

func (s slowStore) SetWizardState(id string, ws store.WizardState) error {
	s.slow()
	return s.Store.SetWizardState(id, ws)
}
