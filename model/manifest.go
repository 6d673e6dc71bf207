package model

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// SignatureState is what checking a sign-off's electronic signature
// found, in the words every report and screen uses.
type SignatureState string

const (
	// SigVerified: the signature verifies over its manifest, which names
	// this record at a point its trail still holds, by a key the
	// allowed-signers file lists for the signer (when one was given).
	SigVerified SignatureState = "verified"
	// SigSuperseded: verified, and the assessment was reopened since; it
	// no longer vouches for the assessment as it is.
	SigSuperseded SignatureState = "superseded"
	// SigUnsigned: a sign-off recorded by name, role, meaning and time
	// only, before Onus signed them.
	SigUnsigned SignatureState = "unsigned"
	// SigFailed: the signature, its binding to this trail, or its signer
	// does not check.
	SigFailed SignatureState = "failed"
)

// SignatureCheck is what verifying one electronic signature found
// (sign.Verify), as the reports and the wizard show it.
type SignatureCheck struct {
	N         int       `json:"n"`
	Seq       uint64    `json:"seq"` // the entry that records it
	Signer    string    `json:"signer"`
	Role      string    `json:"role,omitempty"`
	Meaning   string    `json:"meaning"`
	Step      Workflow  `json:"step"`
	Milestone string    `json:"milestone"`
	Time      time.Time `json:"time"`
	Key       string    `json:"key"`     // fingerprint of the key that made the signature
	Head      string    `json:"head"`    // the chain head it signed
	Entries   uint64    `json:"entries"` // how many entries it signed
	// Intact: the signature verifies over its manifest, the manifest is
	// what the sign-off shows, and the trail still holds the record signed.
	Intact bool `json:"intact"`
	// Allowed: the allowed-signers file lists the key for the signer at
	// the time of signing (false when no file was given).
	Allowed bool `json:"allowed"`
	// SignerChecked: an allowed-signers file was given, so Allowed says
	// something.
	SignerChecked bool   `json:"signer_checked"`
	Problem       string `json:"problem,omitempty"` // why it is not intact or not allowed
	// ChangedAt is the first entry after the signed head that changed the
	// record (0: unchanged since signing).
	ChangedAt  uint64 `json:"changed_at,omitempty"`
	Superseded bool   `json:"superseded"` // reopened after it
}

// Valid reports whether the signature holds: intact and by an allowed
// signer.
func (r SignatureCheck) Valid() bool { return r.Intact && r.Allowed }

// State is the result in one word, as reports and the wizard say it:
// failed when the signature, its binding to the trail or (with an
// allowed-signers file) its signer fails; else superseded after a
// reopening, else verified. Without an allowed-signers file a signature
// is verified as made by its key over this record, and Problem says that
// its signer was not checked.
func (r SignatureCheck) State() SignatureState {
	switch {
	case !r.Intact || r.SignerChecked && !r.Allowed:
		return SigFailed
	case r.Superseded:
		return SigSuperseded
	}
	return SigVerified
}

// ManifestHeader is the first line of every signature manifest; it names
// the format and its version.
const ManifestHeader = "onus-signature-manifest v1"

// Manifest is what an electronic signature signs: which record, at which
// point of its trail, what the signature means, and who signed when. Its
// text (Encode) is the signed message, so that
//
//	ssh-keygen -Y verify -f ALLOWED_SIGNERS -I SIGNER -n onus -s N.manifest.sig < N.manifest
//
// checks a signature without Onus.
//
// The text is stable: the header line, then one "field: value" line per
// field, every field always present and in the order below ("field:" alone
// when the value is empty), each line ending in a line feed, nothing else.
// Values are UTF-8; a backslash is written \\, a line feed \n, a carriage
// return \r and any other control character (U+0000–U+001F, U+007F) \xHH.
//
//	assessment       the assessment's id
//	name             its name when signed
//	catalog-version  the catalog it was assessed against
//	catalog-hash     that catalog's SHA-256
//	chain-head       hash of the last audit entry signed
//	chain-entries    how many entries were signed (the sequence number of that entry)
//	milestone        the named point signed
//	step             the workflow status the signature moves the assessment to
//	meaning          what the signature means (21 CFR 11.50(a)(3))
//	signer           the printed name, as in the organisation's allowed-signers file
//	role             the signer's role, if given
//	key              SHA-256 fingerprint of the signing key
//	time             when it was signed, UTC, RFC 3339, whole seconds
//	open-high-gaps   high-risk gaps open when signed
//	acknowledgement  why it was signed with them open
type Manifest struct {
	Assessment      string
	Name            string
	CatalogVersion  string
	CatalogHash     string
	Head            string
	Entries         uint64
	Milestone       string
	Step            Workflow
	Meaning         string
	Signer          string
	Role            string
	Key             string
	Time            time.Time
	OpenHighGaps    int
	Acknowledgement string
}

// manifestFields names the fields in their order; values gives them.
var manifestFields = []string{"assessment", "name", "catalog-version", "catalog-hash", "chain-head", "chain-entries",
	"milestone", "step", "meaning", "signer", "role", "key", "time", "open-high-gaps", "acknowledgement"}

func (m *Manifest) values() []string {
	return []string{m.Assessment, m.Name, m.CatalogVersion, m.CatalogHash, m.Head, strconv.FormatUint(m.Entries, 10),
		m.Milestone, string(m.Step), m.Meaning, m.Signer, m.Role, m.Key, m.Time.UTC().Format(time.RFC3339),
		strconv.Itoa(m.OpenHighGaps), m.Acknowledgement}
}

// Encode returns the manifest's text, the bytes that are signed. It
// refuses text that is not UTF-8.
func (m Manifest) Encode() ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(ManifestHeader)
	b.WriteByte('\n')
	for i, v := range m.values() {
		if !utf8.ValidString(v) {
			return nil, fmt.Errorf("manifest %s is not valid UTF-8", manifestFields[i])
		}
		b.WriteString(manifestFields[i])
		b.WriteByte(':')
		if v != "" {
			b.WriteByte(' ')
			escapeManifest(&b, v)
		}
		b.WriteByte('\n')
	}
	return b.Bytes(), nil
}

func escapeManifest(b *bytes.Buffer, s string) {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\':
			b.WriteString(`\\`)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\r':
			b.WriteString(`\r`)
		case c < 0x20 || c == 0x7f:
			fmt.Fprintf(b, `\x%02x`, c)
		default:
			b.WriteByte(c)
		}
	}
}

func unescapeManifest(s string) (string, error) {
	if !strings.Contains(s, `\`) {
		return s, nil
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' {
			b.WriteByte(s[i])
			continue
		}
		if i+1 == len(s) {
			return "", errors.New("a value ends in a lone backslash")
		}
		i++
		switch s[i] {
		case '\\':
			b.WriteByte('\\')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 'x':
			if i+2 >= len(s) {
				return "", errors.New(`a value ends in an incomplete \x escape`)
			}
			n, err := strconv.ParseUint(s[i+1:i+3], 16, 8)
			if err != nil {
				return "", fmt.Errorf(`bad escape \x%s`, s[i+1:i+3])
			}
			b.WriteByte(byte(n))
			i += 2
		default:
			return "", fmt.Errorf(`unknown escape \%c`, s[i])
		}
	}
	return b.String(), nil
}

// ParseManifest reads a manifest's text. It accepts only the one text
// Encode writes for the manifest it returns, so a manifest that parses
// is also the exact message signed.
func ParseManifest(text []byte) (Manifest, error) {
	bad := func(format string, args ...any) (Manifest, error) {
		return Manifest{}, fmt.Errorf("not an onus signature manifest: "+format, args...)
	}
	if !utf8.Valid(text) {
		return bad("not UTF-8")
	}
	lines := strings.Split(string(text), "\n")
	if len(lines) != len(manifestFields)+2 || lines[len(lines)-1] != "" {
		return bad("%d lines, expected %d ending in a line feed", len(lines)-1, len(manifestFields)+1)
	}
	if lines[0] != ManifestHeader {
		return bad("first line %q, expected %q", lines[0], ManifestHeader)
	}
	vals := make([]string, len(manifestFields))
	for i, name := range manifestFields {
		line := lines[i+1]
		rest, ok := strings.CutPrefix(line, name+":")
		if !ok {
			return bad("line %d is not the %s field", i+2, name)
		}
		if rest != "" {
			if rest, ok = strings.CutPrefix(rest, " "); !ok || rest == "" {
				return bad("line %d: the %s field is not written as \"%s: value\"", i+2, name, name)
			}
		}
		v, err := unescapeManifest(rest)
		if err != nil {
			return bad("line %d: %v", i+2, err)
		}
		vals[i] = v
	}
	m := Manifest{Assessment: vals[0], Name: vals[1], CatalogVersion: vals[2], CatalogHash: vals[3], Head: vals[4],
		Milestone: vals[6], Step: Workflow(vals[7]), Meaning: vals[8], Signer: vals[9], Role: vals[10], Key: vals[11],
		Acknowledgement: vals[14]}
	var err error
	if m.Entries, err = strconv.ParseUint(vals[5], 10, 64); err != nil {
		return bad("chain-entries %q is not a number", vals[5])
	}
	if m.Time, err = time.Parse(time.RFC3339, vals[12]); err != nil {
		return bad("time %q is not an RFC 3339 time", vals[12])
	}
	if m.OpenHighGaps, err = strconv.Atoi(vals[13]); err != nil {
		return bad("open-high-gaps %q is not a number", vals[13])
	}
	again, err := m.Encode()
	if err != nil || !bytes.Equal(again, text) {
		return bad("not in its canonical form (times in UTC to the second, numbers without leading zeros)")
	}
	return m, nil
}

// ParseManifest returns the manifest a signed sign-off carries, checked
// against the sign-off's own fields: what the record shows is what was
// signed.
func (s SignOff) ParseManifest() (Manifest, error) {
	m, err := ParseManifest([]byte(s.Manifest))
	if err != nil {
		return m, err
	}
	mismatch := func(field string) (Manifest, error) {
		return m, fmt.Errorf("the sign-off's %s differs from the %s it signed", field, field)
	}
	switch {
	case s.By != m.Signer:
		return mismatch("signer")
	case s.Role != m.Role:
		return mismatch("role")
	case s.Meaning != m.Meaning:
		return mismatch("meaning")
	case !s.At.Equal(m.Time):
		return mismatch("time")
	case s.Step != m.Step:
		return mismatch("step")
	case s.Milestone != m.Milestone:
		return mismatch("milestone")
	case s.Key != m.Key:
		return mismatch("key")
	case s.OpenHighGaps != m.OpenHighGaps:
		return mismatch("open high-risk gaps")
	case s.Acknowledgement != m.Acknowledgement:
		return mismatch("acknowledgement")
	}
	return m, nil
}

// SignOff is the sign-off that records this manifest's signature.
func (m Manifest) SignOff(text, signature string) SignOff {
	return SignOff{By: m.Signer, Role: m.Role, Meaning: m.Meaning, At: m.Time.UTC(), Step: m.Step, Milestone: m.Milestone,
		Key: m.Key, OpenHighGaps: m.OpenHighGaps, Acknowledgement: m.Acknowledgement, Manifest: text, Signature: signature}
}
