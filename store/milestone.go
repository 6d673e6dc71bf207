package store

import (
	bolt "go.etcd.io/bbolt"

	"github.com/onus-gxp/onus/model"
)

// Milestone records a named point of an assessment's trail: the state its
// trail has reached now. Signatures are made on milestones, and diffs
// compare them (ID@NAME).
func (db *DB) Milestone(id, name string) (model.Assessment, error) {
	if err := model.CheckMilestoneName(name); err != nil {
		return model.Assessment{}, err
	}
	return db.change(id, model.ActMilestone, "", func(a *model.Assessment) (string, any, any, error) {
		return "milestones/" + name, nil, name, nil
	})
}

// Point returns an assessment as it stood at a point of its trail, and
// that point: "ID" (now), "ID@MILESTONE" or "ID@TIME" (model.ParsePoint).
func (db *DB) Point(spec string) (model.Assessment, model.Point, error) {
	as, ps, err := db.points(spec)
	if err != nil {
		return model.Assessment{}, model.Point{}, err
	}
	return as[0], ps[0], nil
}

// Diff compares two points (see Point) through the catalog's resolution.
func (db *DB) Diff(cat *model.Catalog, from, to string) (model.Diff, error) {
	as, ps, err := db.points(from, to)
	if err != nil {
		return model.Diff{}, err
	}
	return model.Compare(cat, as[0], as[1], ps[0], ps[1]), nil
}

// points resolves specs, reading each assessment's trail once.
func (db *DB) points(specs ...string) ([]model.Assessment, []model.Point, error) {
	parsed := make([]model.PointSpec, len(specs))
	for i, s := range specs {
		var err error
		if parsed[i], err = model.ParsePoint(s); err != nil {
			return nil, nil, err
		}
	}
	as, ps := make([]model.Assessment, len(specs)), make([]model.Point, len(specs))
	for i := range parsed {
		if ps[i].Spec != "" {
			continue // resolved with an earlier one of the same assessment
		}
		trail, err := db.checkedHistory(parsed[i].ID)
		if err != nil {
			return nil, nil, err
		}
		var same []int
		for j := i; j < len(parsed); j++ {
			if parsed[j].ID == parsed[i].ID {
				same = append(same, j)
			}
		}
		group := make([]model.PointSpec, len(same))
		for k, j := range same {
			group[k] = parsed[j]
		}
		ga, gp, err := model.PointsOfChecked(trail, group...)
		if err != nil {
			return nil, nil, err
		}
		for k, j := range same {
			as[j], ps[j] = ga[k], gp[k]
		}
	}
	return as, ps, nil
}

// checkedHistory is History after the check every change makes: the
// stored trail and assessment are what onus wrote (else an
// IntegrityError names the first bad entry). Onus checked every entry
// when it wrote it, so the trail need not be hashed again.
func (db *DB) checkedHistory(id string) ([]model.AuditEntry, error) {
	var out []model.AuditEntry
	err := db.viewOf(assessment(id), func(tx *bolt.Tx) error {
		if _, _, err := loadForChange(tx, id, "compared"); err != nil {
			return err
		}
		var err error
		out, err = loadTrail(tx, id)
		return err
	})
	return out, err
}
