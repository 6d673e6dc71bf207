package report

import (
	"crypto/sha1"
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/onus-gxp/onus/model"
)

// OSCAL output: NIST OSCAL 1.1.3 JSON, checked against NIST's official
// complete schema (1.1.3 and 1.2.2) in the tests. The documents link up
// as OSCAL's tools expect: assessment results import an assessment plan,
// which imports the system security plan, which imports a profile of the
// Onus catalog; component definitions take their controls from the
// catalog. Each import points at a back-matter resource carrying the
// imported document in base64 (and, where Onus exports it as a file, a
// relative link to that file with its SHA-256), so that every reference
// resolves offline from one file.
//
// Text from users and catalogs goes into markup fields (titles,
// descriptions, remarks, prose) escaped as Markdown (oscal_markup.go), so
// that it renders as the exact text; into plain-string fields (names,
// property values) exactly, cleaned only where the schema restricts the
// form (tokens, single lines).

// OSCALVersion is the OSCAL version the documents conform to.
const OSCALVersion = "1.1.3"

// onusNS is the namespace of Onus's own OSCAL properties.
const onusNS = "https://github.com/onus-gxp/onus/ns/oscal"

// nistNS is OSCAL's own namespace, for risk facets.
const nistNS = "http://csrc.nist.gov/ns/oscal"

// Deterministic UUIDs: version 5 (SHA-1, RFC 9562) under a namespace of
// Onus's own, so the same assessment always gives the same identifiers.

// urlNamespace is RFC 9562's namespace for URLs.
var urlNamespace = [16]byte{0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8}

// onusUUIDSpace is the root namespace of every identifier Onus makes.
var onusUUIDSpace = uuid5(urlNamespace, "https://github.com/onus-gxp/onus/oscal")

type uuidNS [16]byte

func uuid5(ns [16]byte, name string) uuidNS {
	var buf [256]byte
	return uuid5Of(append(append(buf[:0], ns[:]...), name...))
}

// uuid5Of is the version 5 UUID of data: a namespace's 16 bytes, then the
// name. A document derives one per statement, so the name is hashed from
// the caller's buffer, without a hash object or a copy of its own.
func uuid5Of(data []byte) uuidNS {
	sum := sha1.Sum(data)
	var u uuidNS
	copy(u[:], sum[:])
	u[6] = (u[6] & 0x0f) | 0x50 // version 5
	u[8] = (u[8] & 0x3f) | 0x80 // RFC 4122 variant
	return u
}

func (u uuidNS) String() string {
	const hexd = "0123456789abcdef"
	var b [36]byte
	j := 0
	for i, x := range u {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			b[j] = '-'
			j++
		}
		b[j], b[j+1] = hexd[x>>4], hexd[x&0x0f]
		j += 2
	}
	return string(b[:])
}

// ids makes the identifiers of one document: stable per assessment and
// kind of thing, so two exports of one assessment can be compared.
type ids struct{ ns uuidNS }

func newIDs(assessmentID string) ids {
	return ids{ns: uuid5(onusUUIDSpace, "assessment\x00"+assessmentID)}
}

func (i ids) of(kind string, key ...string) string {
	var buf [256]byte
	name := append(append(append(buf[:0], i.ns[:]...), kind...), 0) // kind, then the keys, each after a NUL
	for j, k := range key {
		if j > 0 {
			name = append(name, 0)
		}
		name = append(name, k...)
	}
	return uuid5Of(name).String()
}

// Common OSCAL structures, as far as Onus uses them. Field order is the
// output order.

type oProp struct {
	Name    string `json:"name"`
	NS      string `json:"ns,omitempty"`
	Value   string `json:"value"`
	Class   string `json:"class,omitempty"`
	Remarks string `json:"remarks,omitempty"`
}

type oLink struct {
	Href string `json:"href"`
	Rel  string `json:"rel,omitempty"`
	Text string `json:"text,omitempty"`
}

type oRole struct {
	ID          string `json:"id"`
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
}

type oParty struct {
	UUID      string  `json:"uuid"`
	Type      string  `json:"type"`
	Name      string  `json:"name,omitempty"`
	ShortName string  `json:"short-name,omitempty"`
	Props     []oProp `json:"props,omitempty"`
	Remarks   string  `json:"remarks,omitempty"`
}

type oRespParty struct {
	RoleID     string   `json:"role-id"`
	PartyUUIDs []string `json:"party-uuids"`
}

type oRespRole struct {
	RoleID     string   `json:"role-id"`
	Props      []oProp  `json:"props,omitempty"`
	PartyUUIDs []string `json:"party-uuids,omitempty"`
	Remarks    string   `json:"remarks,omitempty"`
}

type oMetadata struct {
	Title              string       `json:"title"`
	LastModified       string       `json:"last-modified"`
	Version            string       `json:"version"`
	OSCALVersion       string       `json:"oscal-version"`
	Props              []oProp      `json:"props,omitempty"`
	Links              []oLink      `json:"links,omitempty"`
	Roles              []oRole      `json:"roles,omitempty"`
	Parties            []oParty     `json:"parties,omitempty"`
	ResponsibleParties []oRespParty `json:"responsible-parties,omitempty"`
	Remarks            string       `json:"remarks,omitempty"`
}

type oHash struct {
	Algorithm string `json:"algorithm"`
	Value     string `json:"value"`
}

type oRLink struct {
	Href      string  `json:"href"`
	MediaType string  `json:"media-type,omitempty"`
	Hashes    []oHash `json:"hashes,omitempty"`
}

type oBase64 struct {
	Filename  string `json:"filename,omitempty"`
	MediaType string `json:"media-type,omitempty"`
	Value     string `json:"value"`
}

type oCitation struct {
	Text string `json:"text"`
}

type oDocumentID struct {
	Scheme     string `json:"scheme,omitempty"`
	Identifier string `json:"identifier"`
}

type oResource struct {
	UUID        string        `json:"uuid"`
	Title       string        `json:"title,omitempty"`
	Description string        `json:"description,omitempty"`
	Props       []oProp       `json:"props,omitempty"`
	DocumentIDs []oDocumentID `json:"document-ids,omitempty"`
	Citation    *oCitation    `json:"citation,omitempty"`
	RLinks      []oRLink      `json:"rlinks,omitempty"`
	Base64      *oBase64      `json:"base64,omitempty"`
	Remarks     string        `json:"remarks,omitempty"`
}

type oBackMatter struct {
	Resources []oResource `json:"resources,omitempty"`
}

// oPart is a part of a control (with an id) or of an attestation (with a
// uuid).
type oPart struct {
	ID    string  `json:"id,omitempty"`
	UUID  string  `json:"uuid,omitempty"`
	Name  string  `json:"name"`
	NS    string  `json:"ns,omitempty"`
	Class string  `json:"class,omitempty"`
	Title string  `json:"title,omitempty"`
	Props []oProp `json:"props,omitempty"`
	Prose string  `json:"prose,omitempty"`
}

// oscalTime formats a time as OSCAL's date-time-with-timezone; a time the
// schema cannot carry (zero, before 1900 or after 2999) becomes fallback.
func oscalTime(t, fallback time.Time) string {
	if t.IsZero() || t.Year() < 1900 || t.Year() > 2999 {
		t = fallback
	}
	if t.IsZero() || t.Year() < 1900 || t.Year() > 2999 {
		t = time.Unix(0, 0)
	}
	return t.UTC().Format(time.RFC3339Nano)
}

// oneLine is text for a field that must be a non-empty single line without
// leading or trailing blanks (OSCAL string and markup-line): line breaks
// and other separators become spaces. Empty text becomes fallback.
func oneLine(s, fallback string) string {
	if strings.IndexFunc(s, lineBreakish) >= 0 {
		s = strings.Map(func(r rune) rune {
			if lineBreakish(r) {
				return ' '
			}
			return r
		}, s)
	}
	s = strings.TrimFunc(s, unicode.IsSpace)
	if s == "" {
		return fallback
	}
	return s
}

func lineBreakish(r rune) bool {
	return r == '\n' || r == '\r' || r == '\u2028' || r == '\u2029' || r == '\u0085' || r == '\v' || r == '\f'
}

// token turns an identifier into an OSCAL token (an XML NCName): a letter
// or underscore, then letters, digits, '.', '-' or '_'. Other characters
// become '_'.
func token(s string) string {
	var b strings.Builder
	for i, r := range s {
		ok := unicode.IsLetter(r) || r == '_' || (i > 0 && (unicode.IsDigit(r) || unicode.Is(unicode.N, r) || r == '.' || r == '-'))
		if i == 0 && !ok && (unicode.Is(unicode.N, r) || r == '.' || r == '-') {
			b.WriteByte('_')
			ok = true
		}
		if ok {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	if b.Len() == 0 {
		return "_"
	}
	return b.String()
}

func prop(name, value string) oProp {
	return oProp{Name: name, NS: onusNS, Value: oneLine(value, "none")}
}

// documentVersion names a revision of the assessment: its workflow state
// and the sequence number of the trail's last entry.
func documentVersion(a *model.Assessment, trail []model.AuditEntry) string {
	v := oneLine(string(a.Workflow), "draft")
	if n := len(trail); n > 0 {
		v += fmt.Sprintf("+seq.%v", trail[n-1].Seq)
	}
	return v
}

// documentSeed identifies the content a document is made from, for the
// document's own uuid: a new revision of the assessment gives a new uuid,
// the same one gives the same.
func documentSeed(f *facts) string {
	head := ""
	if n := len(f.in.Trail); n > 0 {
		head = f.in.Trail[n-1].Hash
	}
	return strings.Join([]string{f.a.UpdatedAt.UTC().Format(time.RFC3339Nano), f.asOf.Format(time.RFC3339Nano), head, f.cat.Hash, f.cat.Version,
		fmt.Sprint(len(f.a.Answers))}, "\x00")
}

// partyBook gives each person and organisation named in the data one
// party, in the order they are first met.
type partyBook struct {
	ids     ids
	parties []oParty
	byKey   map[string]string
}

func newPartyBook(i ids) *partyBook {
	return &partyBook{ids: i, byKey: map[string]string{}}
}

func (p *partyBook) add(kind, name string) string {
	key := kind + "\x00" + name
	if u, ok := p.byKey[key]; ok {
		return u
	}
	u := p.ids.of("party", kind, name)
	party := oParty{UUID: u, Type: kind, Name: oneLine(name, "(unnamed)")}
	if party.Name != name {
		party.Remarks = mdMarkup(name)
	}
	p.parties = append(p.parties, party)
	p.byKey[key] = u
	return u
}

func (p *partyBook) person(name string) string { return p.add("person", name) }

// aws is the party of the cloud service provider.
func (p *partyBook) aws() string {
	key := "organization\x00Amazon Web Services"
	if u, ok := p.byKey[key]; ok {
		return u
	}
	u := p.ids.of("party", "organization", "aws")
	p.parties = append(p.parties, oParty{UUID: u, Type: "organization", Name: "Amazon Web Services", ShortName: "AWS"})
	p.byKey[key] = u
	return u
}

// customer is the party of the organisation that owns the assessment.
func (p *partyBook) customer(org string) string {
	return p.add("organization", oneLine(org, "Customer"))
}

func responsibilityProp(r model.Responsibility) oProp {
	return prop("responsibility", string(r))
}
