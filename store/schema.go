package store

import (
	"fmt"
	"strconv"

	bolt "go.etcd.io/bbolt"
)

// The structure Onus's code expects of a file, by schema version, checked
// before anything reads it: bbolt returns nil for a missing bucket, and a
// nil bucket panics at its first use.

// bucketsOf lists the top-level buckets every file of a schema version
// has: version 1 wrote meta, assessments and trails; version 2 added the
// summaries and the store's log; version 3 the answers.
func bucketsOf(version int) [][]byte {
	b := [][]byte{bucketMeta, bucketAssessments, bucketTrails}
	if version >= 2 {
		b = append(b, bucketSummaries, bucketLog)
	}
	if version >= 3 {
		b = append(b, bucketAnswers)
	}
	return b
}

// nested says, for each top-level bucket, whether its keys hold buckets
// (a trail or the answers of one assessment) rather than values.
var nested = map[string]bool{
	string(bucketAssessments): false,
	string(bucketSummaries):   false,
	string(bucketLog):         false,
	string(bucketTrails):      true,
	string(bucketAnswers):     true,
}

// checkSchema checks that the file is an Onus file with the buckets its
// schema version promises. full also checks every key of those buckets:
// values where values belong and buckets where buckets belong, and
// 8-byte sequence numbers in the trails and the log. Without full it
// reads only the root and the meta bucket, which the quick page check
// covers. A file from a newer onus is left to the version check.
func checkSchema(tx *bolt.Tx, full bool) error {
	// Walk the root with a cursor: it tells buckets from values without
	// reading any bucket's pages.
	top := map[string]bool{}
	c := tx.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		top[string(k)] = v == nil
	}
	if !top[string(bucketMeta)] {
		return fmt.Errorf("it is not an onus database: it has no meta bucket")
	}
	raw := tx.Bucket(bucketMeta).Get(keySchema)
	version, err := strconv.Atoi(string(raw))
	if err != nil || version < 1 {
		return fmt.Errorf("its schema version %q is not a version onus wrote", truncateBytes(raw, 20))
	}
	if version > SchemaVersion {
		return nil
	}
	for _, name := range bucketsOf(version) {
		if !top[string(name)] {
			return fmt.Errorf("schema %d promises a %s bucket, and it is missing", version, name)
		}
	}
	if !full {
		return nil
	}
	for _, name := range bucketsOf(version) {
		if string(name) == string(bucketMeta) {
			continue
		}
		if err := checkKeys(tx.Bucket(name), string(name)); err != nil {
			return err
		}
	}
	return nil
}

// checkKeys checks the keys of one top-level bucket and, for trails and
// answers, of the buckets inside it.
func checkKeys(b *bolt.Bucket, name string) error {
	c := b.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		isBucket := v == nil
		if isBucket != nested[name] {
			return fmt.Errorf("%s holds %s under key %q where %s belongs", name, kind(isBucket), truncateBytes(k, 40), kind(nested[name]))
		}
		if name == string(bucketLog) && len(k) != 8 {
			return fmt.Errorf("log entry %q has no 8-byte sequence number", truncateBytes(k, 40))
		}
		if !isBucket {
			continue
		}
		inner := b.Bucket(k)
		if inner == nil {
			return fmt.Errorf("%s/%s cannot be read as a bucket", name, truncateBytes(k, 40))
		}
		ic := inner.Cursor()
		for ik, iv := ic.First(); ik != nil; ik, iv = ic.Next() {
			if iv == nil {
				return fmt.Errorf("%s/%s holds a bucket under key %q where a value belongs", name, truncateBytes(k, 40), truncateBytes(ik, 40))
			}
			if name == string(bucketTrails) && len(ik) != 8 {
				return fmt.Errorf("trail %s has an entry without an 8-byte sequence number", truncateBytes(k, 40))
			}
		}
	}
	return nil
}

func kind(bucket bool) string {
	if bucket {
		return "a bucket"
	}
	return "a value"
}

// truncateBytes shows at most n bytes of a key from the file (callers
// quote it; terminals get it sanitised).
func truncateBytes(b []byte, n int) string {
	if len(b) > n {
		return string(b[:n]) + "…"
	}
	return string(b)
}
