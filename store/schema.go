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
// summaries and the store's log; version 3 the answers; version 4 the
// heads. The wizard's bucket (drafts.go) is made when first needed, so
// a file of any version may lack it: optional lists it.
func bucketsOf(version int) [][]byte {
	b := [][]byte{bucketMeta, bucketAssessments, bucketTrails}
	if version >= 2 {
		b = append(b, bucketSummaries, bucketLog)
	}
	if version >= 3 {
		b = append(b, bucketAnswers)
	}
	if version >= 4 {
		b = append(b, bucketHeads)
	}
	return b
}

// optional lists the top-level buckets a file may have or lack.
var optional = [][]byte{bucketWizard}

// depth says, for each top-level bucket but meta, how many levels of
// buckets its keys hold before the values: none for an assessment, a
// summary, a head or a log event; one for a trail, one assessment's
// answers, or the wizard's state in one assessment (by actor).
var depth = map[string]int{
	string(bucketAssessments): 0,
	string(bucketSummaries):   0,
	string(bucketLog):         0,
	string(bucketHeads):       0,
	string(bucketTrails):      1,
	string(bucketAnswers):     1,
	string(bucketWizard):      1,
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
	for _, name := range optional {
		if bucket, ok := top[string(name)]; ok && !bucket {
			return fmt.Errorf("%s is a value where a bucket belongs", name)
		}
	}
	if !full {
		return nil
	}
	for _, name := range append(bucketsOf(version), optional...) {
		b := tx.Bucket(name)
		if string(name) == string(bucketMeta) || b == nil {
			continue
		}
		if err := checkKeys(b, string(name), string(name), depth[string(name)]); err != nil {
			return err
		}
	}
	return nil
}

// checkKeys checks the keys of bucket b (at path, under top-level bucket
// top): buckets down to depth levels, values below, and 8-byte sequence
// numbers where the trails and the log keep their entries.
func checkKeys(b *bolt.Bucket, top, path string, depth int) error {
	seqKeys := depth == 0 && (top == string(bucketLog) || top == string(bucketTrails))
	c := b.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		isBucket := v == nil
		if isBucket != (depth > 0) {
			return fmt.Errorf("%s holds %s under key %q where %s belongs", path, kind(isBucket), truncateBytes(k, 40), kind(depth > 0))
		}
		if seqKeys && len(k) != 8 {
			return fmt.Errorf("%s has an entry %q without an 8-byte sequence number", path, truncateBytes(k, 40))
		}
		if !isBucket {
			continue
		}
		inner := b.Bucket(k)
		if inner == nil {
			return fmt.Errorf("%s/%s cannot be read as a bucket", path, truncateBytes(k, 40))
		}
		if err := checkKeys(inner, top, path+"/"+truncateBytes(k, 40), depth-1); err != nil {
			return err
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
