package model

import "time"

// Limits keep one field, list or file from swamping the database, the
// screen or memory. The store refuses a change beyond them, and an import
// refuses a bundle whose history goes beyond them, so whatever onus writes
// it can read back. docs/SECURITY.md lists them.
const (
	MaxTextBytes    = 64 << 10 // any one text field: notes, justifications, reasons
	MaxNameBytes    = 200      // names and ids shown in lists; actor names
	MaxIDBytes      = 64       // an assessment id
	MaxEvidence     = 100      // evidence references per answer
	MaxServiceCount = 1000     // selected services per assessment
	MaxListLen      = 100      // frameworks in a scope, overrides per service
	MaxAnswers      = 50_000   // answered controls per assessment
	MaxSupplier     = 1000     // supplier records per assessment

	// MaxBundleBytes caps a bundle before it is parsed. Encode refuses a
	// bundle larger than this, so onus never writes one it would not
	// import.
	MaxBundleBytes = 1 << 30
	// MaxTrailEntries is the longest trail: 2 KiB of bundle per entry,
	// where 100,000 answers with notes and evidence take 1.3 KiB each
	// (TestLargestExportImportsAgain: 122 MiB). The store refuses to add
	// an entry beyond it.
	MaxTrailEntries = MaxBundleBytes >> 11

	// MaxStampSkew is how far a value's own time stamp (an answer's
	// updated_at, an assessment's created_at, a sign-off's at) may lie
	// before the time of the entry that records it: onus reads its clock
	// for both within one change. Entries in the format before
	// EntryFormat may also step back in time by this much (a system clock
	// set back); current entries never do, because the store refuses to
	// record a change dated before the last one.
	MaxStampSkew = time.Minute

	// MaxSignDelay is how long after its manifest's time a signature may
	// be recorded: onus reads the time for the manifest, the key signs it
	// (an agent may ask its owner to confirm), and the store records it.
	MaxSignDelay = 15 * time.Minute
)
