package store

import (
	bolt "go.etcd.io/bbolt"

	"github.com/onus-gxp/onus/model"
)

// migrateIntegrity: version 4 keeps a head record per assessment (see
// trail.go), so a change can check the stored bytes against what onus
// wrote, and chains the store's log. An assessment gets its head only if
// it passes the full check now: one that fails it stays without a head,
// is never written to, and verify names what is wrong with it. The log's
// earlier events are chained as they are found (adoptLog).
func migrateIntegrity(tx *bolt.Tx, _ func(*model.Assessment) (int, int)) error {
	heads, err := tx.CreateBucketIfNotExists(bucketHeads)
	if err != nil {
		return err
	}
	for _, id := range assessmentIDs(tx) {
		_, st, r := verifyContent(tx, id)
		if r.Err != "" {
			continue
		}
		h := head{Rest: st.Rest, Answers: st.Answers, Summary: st.Summary}
		c := tx.Bucket(bucketTrails).Bucket([]byte(id)).Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			h.Trail = foldTrail(h.Trail, k, v)
			if err := jsonUnmarshal(v, &h.ChainHead); err != nil {
				return err
			}
		}
		if err := putJSON(heads, []byte(id), h); err != nil {
			return err
		}
	}
	return adoptLog(tx)
}
