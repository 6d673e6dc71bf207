package model

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The catalog's JSON without reflection. encoding/json spent most of the
// time a catalog file took to load (decoding it, and encoding it again for
// its hash); the catalog's shape is fixed, so it is read here and written
// in catalog_hash.go by hand. Neither may ever differ from encoding/json:
// the reader takes only what it reads exactly as encoding/json would and
// leaves the rest to it, and the writer writes json.Marshal's bytes, which
// the hash recorded in assessments and reports is taken over.
// TestCatalogJSONMatchesEncodingJSON and FuzzCatalogJSON hold both to
// encoding/json, and TestCatalogJSONKnowsEveryField fails when a field is
// added to the catalog's types but not here. Strings, most of a catalog's
// bytes, are found with strings.IndexByte and looked at eight bytes at a
// time (plainText); TestCatalogJSONStrings holds the few that need more
// to encoding/json.

// decodeCatalogJSON decodes a catalog as encoding/json (with unknown
// fields disallowed) does, for the form catalogs are written in: each key
// spelled exactly and given once, no null, integers written plainly, one
// value and nothing after it. Anything else returns false; encoding/json,
// which may take it (a key in other case) or refuse it, decides. The
// catalog's strings are cut from text rather than allocated one by one:
// the catalog they make up lives as long as the process anyway, and fresh
// memory is much of what a large catalog costs to load.
func decodeCatalogJSON(text string) (*Catalog, bool) {
	r := jsonReader{s: text}
	c := new(Catalog)
	r.into(c)
	r.ws()
	if r.bad || r.i != len(r.s) {
		return nil, false
	}
	return c, true
}

// jsonReader reads JSON from s; on anything it does not take it sets bad
// and stops.
type jsonReader struct {
	s    string
	i    int
	bad  bool
	keys []string // the keys read so far of each object being read
}

func (r *jsonReader) fail() { r.bad, r.i = true, len(r.s) }

func (r *jsonReader) ws() {
	for r.i < len(r.s) {
		switch r.s[r.i] {
		case ' ', '\t', '\n', '\r':
			r.i++
		default:
			return
		}
	}
}

// eat consumes c, after any whitespace, if it comes next.
func (r *jsonReader) eat(c byte) bool {
	r.ws()
	if r.i < len(r.s) && r.s[r.i] == c {
		r.i++
		return true
	}
	return false
}

func (r *jsonReader) expect(c byte) {
	if !r.eat(c) {
		r.fail()
	}
}

// maxObjectKeys bounds the keys of one object, so that finding a key given
// twice stays cheap; no catalog object comes near it.
const maxObjectKeys = 64

// object reads an object, calling field with each key to read its value;
// field returns false for a key it does not know. A key given twice, or
// written with an escape, fails.
func (r *jsonReader) object(field func(key string) bool) {
	r.expect('{')
	if r.bad || r.eat('}') {
		return
	}
	base := len(r.keys) // the keys of the objects this one is in come before
	defer func() { r.keys = r.keys[:base] }()
	for !r.bad {
		key := r.key()
		if len(r.keys)-base == maxObjectKeys || slices.Contains(r.keys[base:], key) {
			r.fail()
			return
		}
		r.keys = append(r.keys, key)
		r.expect(':')
		if r.bad || !field(key) {
			r.fail()
			return
		}
		if !r.eat(',') {
			r.expect('}')
			return
		}
	}
}

// key reads an object's key, which must be plain printable ASCII.
func (r *jsonReader) key() string {
	if !r.eat('"') {
		r.fail()
		return ""
	}
	for i := r.i; i < len(r.s); i++ {
		switch c := r.s[i]; {
		case c == '"':
			k := r.s[r.i:i]
			r.i = i + 1
			return k
		case c == '\\' || c < 0x20 || c >= utf8.RuneSelf:
			r.fail()
			return ""
		}
	}
	r.fail()
	return ""
}

// array reads an array, calling elem to read each element.
func (r *jsonReader) array(elem func()) {
	r.expect('[')
	if r.bad || r.eat(']') {
		return
	}
	for !r.bad {
		elem()
		if !r.eat(',') {
			r.expect(']')
			return
		}
	}
}

// maxPresized bounds the room made for a list before it is read, which
// hostile input could otherwise make huge (a list of commas).
const maxPresized = 10_000

// count is how many elements the array that comes next has, found by
// skipping over them (0 when what comes next is not an array or does not
// end: reading it then fails). Strings, most of a catalog's bytes, are
// skipped whole (closingQuote).
func (r *jsonReader) count() int {
	r.ws()
	s := r.s
	if r.i >= len(s) || s[r.i] != '[' {
		return 0
	}
	n, depth := 0, 0
	for i := r.i + 1; i < len(s); i++ {
		switch s[i] {
		case '"':
			if i = closingQuote(s, i+1); i < 0 {
				return 0
			}
		case '[', '{':
			depth++
		case ']', '}':
			if depth == 0 {
				if n == 0 && s[i-1] == '[' {
					return 0 // [] (with whitespace inside, one element's room is made)
				}
				return n + 1
			}
			depth--
		case ',':
			if depth == 0 {
				n++
			}
		}
	}
	return 0
}

// closingQuote is the index of the quote that ends the string whose text
// starts at s[i] (after its opening quote), or -1 when there is none.
func closingQuote(s string, i int) int {
	for start := i; ; i++ {
		j := strings.IndexByte(s[i:], '"')
		if j < 0 {
			return -1
		}
		i += j
		k := i // a quote after an odd number of backslashes is escaped
		for k > start && s[k-1] == '\\' {
			k--
		}
		if (i-k)%2 == 0 {
			return i
		}
	}
}

// Classes of the bytes in a string's text, ORed over it: what reading it
// and writing it need beyond taking it as it is.
const (
	nonASCII     = 1 << iota // taken as is when valid UTF-8; json.Marshal escapes some of it
	readSlow                 // an escape or a control character: encoding/json reads it
	writeEscaped             // json.Marshal escapes it: " \ < > & and control characters
)

var byteClass = func() (t [256]uint8) {
	for c := range 256 {
		switch {
		case c >= utf8.RuneSelf:
			t[c] = nonASCII
		case c < 0x20 || c == '\\':
			t[c] = readSlow | writeEscaped
		case c == '"' || c == '<' || c == '>' || c == '&':
			t[c] = writeEscaped
		}
	}
	return t
}()

// classOf is the classes of the bytes of s, ORed.
func classOf(s string) uint8 {
	if plainText(s) {
		return 0
	}
	var k uint8
	for i := 0; i < len(s); i++ {
		k |= byteClass[s[i]]
	}
	return k
}

// plainText says whether s is free of every class (classOf(s) == 0),
// looking at eight bytes at a time: most of a catalog is such text.
func plainText(s string) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	zero := func(v uint64) uint64 { return (v - ones) &^ v } // its high bits mark zero bytes
	i := 0
	for ; i+8 <= len(s); i += 8 {
		w := s[i : i+8] // one load, the compiler sees
		x := uint64(w[0]) | uint64(w[1])<<8 | uint64(w[2])<<16 | uint64(w[3])<<24 |
			uint64(w[4])<<32 | uint64(w[5])<<40 | uint64(w[6])<<48 | uint64(w[7])<<56
		if (x|(x-0x20*ones)| // >= 0x80 or < 0x20
			zero(x^'\\'*ones)|
			zero((x^'"'*ones)&^(4*ones))| // " or &
			zero((x^'<'*ones)&^(2*ones)))&highs != 0 { // < or >
			return false
		}
	}
	for ; i < len(s); i++ {
		if byteClass[s[i]] != 0 {
			return false
		}
	}
	return true
}

// str reads a string. One with escapes, control characters or bytes that
// are not UTF-8 is left to encoding/json, which decodes strings the same
// way whole documents.
func (r *jsonReader) str() string {
	if !r.eat('"') {
		r.fail()
		return ""
	}
	start := r.i
	end := strings.IndexByte(r.s[start:], '"')
	if end < 0 {
		r.fail()
		return ""
	}
	end += start
	switch k := classOf(r.s[start:end]); {
	case k == 0 || k == nonASCII && utf8.ValidString(r.s[start:end]):
		r.i = end + 1
		return r.s[start:end]
	case k&readSlow != 0:
		if end = closingQuote(r.s, start); end < 0 { // the quote found may be escaped
			r.fail()
			return ""
		}
	}
	r.i = end + 1
	var s string
	if json.Unmarshal([]byte(r.s[start-1:end+1]), &s) != nil {
		r.fail()
	}
	return s
}

// integer reads an integer written plainly (no fraction, no exponent).
func (r *jsonReader) integer() int {
	r.ws()
	start := r.i
	if r.i < len(r.s) && r.s[r.i] == '-' {
		r.i++
	}
	digits := r.i
	for r.i < len(r.s) && '0' <= r.s[r.i] && r.s[r.i] <= '9' {
		r.i++
	}
	if r.i == digits || r.s[digits] == '0' && r.i-digits > 1 ||
		r.i < len(r.s) && (r.s[r.i] == '.' || r.s[r.i] == 'e' || r.s[r.i] == 'E') {
		r.fail()
		return 0
	}
	n, err := strconv.Atoi(r.s[start:r.i])
	if err != nil {
		r.fail()
	}
	return n
}

func (r *jsonReader) boolean() bool {
	r.ws()
	switch {
	case strings.HasPrefix(r.s[r.i:], "true"):
		r.i += 4
		return true
	case strings.HasPrefix(r.s[r.i:], "false"):
		r.i += 5
		return false
	}
	r.fail()
	return false
}

// stringsOf reads an array of strings; [] is an empty slice, not nil, as
// encoding/json makes it (and encodes it back: [] rather than null).
func stringsOf[T ~string](r *jsonReader) []T {
	var buf [16]T // most lists fit: one allocation, of the list's length
	list := buf[:0]
	r.array(func() { list = append(list, T(r.str())) })
	return append(make([]T, 0, len(list)), list...)
}

// jsonFields is a catalog type's fields as the decoder reads them: the
// value of key, or false for a key the type does not have.
type jsonFields interface {
	decodeField(r *jsonReader, key string) bool
}

// into reads an object into v.
func (r *jsonReader) into(v jsonFields) {
	r.object(func(key string) bool { return v.decodeField(r, key) })
}

// objectsOf reads an array of objects, into a slice made as long as the
// array at once (a catalog's lists of controls and services are large,
// and growing them copies them again and again).
func objectsOf[T any, P interface {
	*T
	jsonFields
}](r *jsonReader) []T {
	out := make([]T, 0, min(r.count(), maxPresized))
	r.array(func() {
		out = append(out, *new(T))
		r.into(P(&out[len(out)-1]))
	})
	return out
}

func (c *Catalog) decodeField(r *jsonReader, key string) bool {
	switch key {
	case "schema":
		c.Schema = r.integer()
	case "version":
		c.Version = r.str()
	case "name":
		c.Name = r.str()
	case "description":
		c.Description = r.str()
	case "layers":
		c.Layers = objectsOf[Layer](r)
	case "frameworks":
		c.Frameworks = objectsOf[Framework](r)
	case "domains":
		c.Domains = objectsOf[Domain](r)
	case "evidence":
		c.Evidence = objectsOf[EvidenceSource](r)
	case "programmes":
		c.Programmes = objectsOf[Programme](r)
	case "services":
		c.Services = objectsOf[Service](r)
	case "controls":
		c.Controls = objectsOf[Control](r)
	default:
		return false
	}
	return true
}

func (l *Layer) decodeField(r *jsonReader, key string) bool {
	switch key {
	case "id":
		l.ID = r.str()
	case "name":
		l.Name = r.str()
	case "description":
		l.Description = r.str()
	case "owners":
		l.Owners = map[ServiceModel]Owner{}
		r.object(func(k string) bool {
			l.Owners[ServiceModel(k)] = Owner(r.str())
			return true
		})
	case "customer_duty":
		l.CustomerDuty = r.str()
	case "aws_duty":
		l.AWSDuty = r.str()
	default:
		return false
	}
	return true
}

func (f *Framework) decodeField(r *jsonReader, key string) bool {
	switch key {
	case "id":
		f.ID = r.str()
	case "family":
		f.Family = r.str()
	case "name":
		f.Name = r.str()
	case "edition":
		f.Edition = r.str()
	case "draft":
		f.Draft = r.boolean()
	case "clauses":
		f.Clauses = objectsOf[Clause](r)
	default:
		return false
	}
	return true
}

func (c *Clause) decodeField(r *jsonReader, key string) bool {
	switch key {
	case "id":
		c.ID = r.str()
	case "title":
		c.Title = r.str()
	default:
		return false
	}
	return true
}

func (d *Domain) decodeField(r *jsonReader, key string) bool {
	switch key {
	case "id":
		d.ID = r.str()
	case "name":
		d.Name = r.str()
	default:
		return false
	}
	return true
}

func (e *EvidenceSource) decodeField(r *jsonReader, key string) bool {
	switch key {
	case "id":
		e.ID = r.str()
	case "name":
		e.Name = r.str()
	case "supplier":
		e.Supplier = Supplier(r.str())
	case "kind":
		e.Kind = EvidenceKind(r.str())
	case "description":
		e.Description = r.str()
	case "freshness":
		e.Freshness = Freshness(r.str())
	case "valid_months":
		e.ValidMonths = r.integer()
	case "cadence_months":
		e.CadenceMonths = r.integer()
	case "publish_days":
		e.PublishDays = r.integer()
	case "relevance":
		e.Relevance = new(Relevance)
		r.into(e.Relevance)
	default:
		return false
	}
	return true
}

func (v *Relevance) decodeField(r *jsonReader, key string) bool {
	switch key {
	case "always":
		v.Always = r.boolean()
	case "optional":
		v.Optional = r.boolean()
	case "data_any":
		v.DataAny = stringsOf[DataCategory](r)
	case "programmes_any":
		v.ProgrammesAny = stringsOf[string](r)
	case "services_any":
		v.ServicesAny = stringsOf[string](r)
	default:
		return false
	}
	return true
}

func (p *Programme) decodeField(r *jsonReader, key string) bool {
	switch key {
	case "id":
		p.ID = r.str()
	case "name":
		p.Name = r.str()
	case "description":
		p.Description = r.str()
	default:
		return false
	}
	return true
}

func (s *Service) decodeField(r *jsonReader, key string) bool {
	switch key {
	case "id":
		s.ID = r.str()
	case "name":
		s.Name = r.str()
	case "category":
		s.Category = Category(r.str())
	case "model":
		s.Model = ServiceModel(r.str())
	case "description":
		s.Description = r.str()
	case "overrides":
		s.Overrides = objectsOf[LayerOverride](r)
	case "gamp_category":
		s.GAMPCategory = r.integer()
	case "gamp_reason":
		s.GAMPReason = r.str()
	case "resources":
		r.into(&s.Resources)
	default:
		return false
	}
	return true
}

func (o *LayerOverride) decodeField(r *jsonReader, key string) bool {
	switch key {
	case "layer":
		o.Layer = r.str()
	case "owner":
		o.Owner = Owner(r.str())
	case "reason":
		o.Reason = r.str()
	default:
		return false
	}
	return true
}

func (t *ResourceTypes) decodeField(r *jsonReader, key string) bool {
	switch key {
	case "cloudformation":
		t.CloudFormation = stringsOf[string](r)
	case "terraform":
		t.Terraform = stringsOf[string](r)
	case "unmapped":
		t.Unmapped = r.str()
	default:
		return false
	}
	return true
}

func (k *Control) decodeField(r *jsonReader, key string) bool {
	switch key {
	case "id":
		k.ID = r.str()
	case "domain":
		k.Domain = r.str()
	case "title":
		k.Title = r.str()
	case "question":
		k.Question = r.str()
	case "guidance":
		k.Guidance = r.str()
	case "refs":
		k.Refs = objectsOf[Ref](r)
	case "layers":
		k.Layers = stringsOf[string](r)
	case "customer_part":
		k.CustomerPart = r.str()
	case "aws_part":
		k.AWSPart = r.str()
	case "gxp_baseline":
		k.GxPBaseline = r.boolean()
	case "criticality":
		k.Criticality = Criticality(r.str())
	case "aws_evidence":
		k.AWSEvidence = stringsOf[string](r)
	case "customer_evidence":
		k.CustomerEvidence = stringsOf[string](r)
	case "applies_when":
		r.into(&k.AppliesWhen)
	case "alcoa":
		k.Alcoa = stringsOf[Alcoa](r)
	case "checks":
		r.into(&k.Checks)
	case "procedural":
		k.Procedural = r.boolean()
	default:
		return false
	}
	return true
}

func (f *Ref) decodeField(r *jsonReader, key string) bool {
	switch key {
	case "framework":
		f.Framework = r.str()
	case "clause":
		f.Clause = r.str()
	default:
		return false
	}
	return true
}

func (w *Conditions) decodeField(r *jsonReader, key string) bool {
	switch key {
	case "multi_tenant":
		w.MultiTenant = r.boolean()
	case "open_system":
		w.OpenSystem = r.boolean()
	case "esignatures":
		w.ESignatures = r.boolean()
	case "internet_facing":
		w.InternetFacing = r.boolean()
	case "min_impact":
		w.MinImpact = GxPImpact(r.str())
	case "services_any":
		w.ServicesAny = stringsOf[string](r)
	case "categories_any":
		w.CategoriesAny = stringsOf[Category](r)
	case "models_any":
		w.ModelsAny = stringsOf[ServiceModel](r)
	case "layer_owners":
		w.LayerOwners = map[string][]Owner{}
		r.object(func(k string) bool {
			w.LayerOwners[k] = stringsOf[Owner](r)
			return true
		})
	case "data_any":
		w.DataAny = stringsOf[DataCategory](r)
	default:
		return false
	}
	return true
}

func (a *AutomatedChecks) decodeField(r *jsonReader, key string) bool {
	switch key {
	case "config":
		a.Config = stringsOf[string](r)
	case "securityhub":
		a.SecurityHub = stringsOf[string](r)
	case "prowler":
		a.Prowler = stringsOf[string](r)
	default:
		return false
	}
	return true
}
