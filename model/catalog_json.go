package model

import (
	"crypto/sha256"
	"encoding/json"
	"hash"
	"maps"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The catalog's JSON without reflection. encoding/json spent most of the
// time a catalog file took to load (decoding it, and encoding it again for
// its hash); the catalog's shape is fixed, so it is read and written here
// by hand. Neither may ever differ from encoding/json: the decoder takes
// only what it reads exactly as encoding/json would and leaves the rest to
// it, and the encoder writes json.Marshal's bytes, which the hash recorded
// in assessments and reports is taken over. TestCatalogJSONMatchesEncodingJSON
// and FuzzCatalogJSON hold both to encoding/json, and
// TestCatalogJSONKnowsEveryField fails when a field is added to the
// catalog's types but not here.

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
	s   string
	i   int
	bad bool
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
	var seen [maxObjectKeys]string
	for n := 0; !r.bad; n++ {
		key := r.key()
		if n == maxObjectKeys {
			r.fail()
			return
		}
		for _, k := range seen[:n] {
			if k == key {
				r.fail()
				return
			}
		}
		seen[n] = key
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
// end: reading it then fails).
func (r *jsonReader) count() int {
	r.ws()
	if r.i >= len(r.s) || r.s[r.i] != '[' {
		return 0
	}
	n, depth, empty := 0, 0, true
	for i := r.i + 1; i < len(r.s); i++ {
		c := r.s[i]
		switch c {
		case '"':
			for i++; i < len(r.s) && r.s[i] != '"'; i++ {
				if r.s[i] == '\\' {
					i++
				}
			}
		case '[', '{':
			depth++
		case ']', '}':
			if depth == 0 {
				if empty {
					return 0
				}
				return n + 1
			}
			depth--
		case ',':
			if depth == 0 {
				n++
			}
		}
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			empty = false
		}
	}
	return 0
}

// str reads a string. One with escapes, control characters or bytes that
// are not UTF-8 is left to encoding/json, which decodes strings the same
// way whole documents.
func (r *jsonReader) str() string {
	if !r.eat('"') {
		r.fail()
		return ""
	}
	plain, ascii := true, true
	for i := r.i; i < len(r.s); i++ {
		switch c := r.s[i]; {
		case c == '"':
			start := r.i
			r.i = i + 1
			if plain && (ascii || utf8.ValidString(r.s[start:i])) {
				return r.s[start:i]
			}
			var s string
			if json.Unmarshal([]byte(r.s[start-1:i+1]), &s) != nil {
				r.fail()
			}
			return s
		case c == '\\':
			plain = false
			i++ // the escaped byte, which may be a quote
		case c < 0x20:
			plain = false
		case c >= utf8.RuneSelf:
			ascii = false
		}
	}
	r.fail()
	return ""
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
	out := []T{}
	r.array(func() { out = append(out, T(r.str())) })
	return out
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

// catalogJSON is json.Marshal(c): the catalog's canonical encoding.
func catalogJSON(c *Catalog) []byte {
	var w jsonWriter
	w.catalog(c)
	return w.b
}

// catalogHash is the SHA-256 of catalogJSON(c), written to the hash as it
// is encoded rather than held whole.
func catalogHash(c *Catalog) [sha256.Size]byte {
	w := jsonWriter{b: make([]byte, 0, 2*flushAt), to: sha256.New()}
	w.catalog(c)
	w.to.Write(w.b)
	return [sha256.Size]byte(w.to.Sum(nil))
}

// flushAt is how many bytes the writer holds before it passes them on.
const flushAt = 32 << 10

// jsonWriter writes what json.Marshal writes for the catalog's types:
// fields in their order, empty ones left out where the tag says
// omitempty (omitzero: where IsZero says so), map keys sorted, strings
// escaped as it escapes them. With to set, it passes what it wrote on
// to it every flushAt bytes or so.
type jsonWriter struct {
	b  []byte
	to hash.Hash
}

// flush passes the bytes written on, when there is a writer and enough.
func (w *jsonWriter) flush() {
	if w.to != nil && len(w.b) >= flushAt {
		w.to.Write(w.b)
		w.b = w.b[:0]
	}
}

// key starts a field, after a comma unless it is the object's first.
func (w *jsonWriter) key(k string) {
	if w.b[len(w.b)-1] != '{' {
		w.b = append(w.b, ',')
	}
	w.b = append(w.b, '"')
	w.b = append(w.b, k...)
	w.b = append(w.b, '"', ':')
}

func (w *jsonWriter) str(k, s string) {
	w.key(k)
	w.string(s)
}

// optStr and the other opt writers leave out an empty value (omitempty).
func (w *jsonWriter) optStr(k, s string) {
	if s != "" {
		w.str(k, s)
	}
}

func (w *jsonWriter) optInt(k string, n int) {
	if n != 0 {
		w.key(k)
		w.b = strconv.AppendInt(w.b, int64(n), 10)
	}
}

func (w *jsonWriter) optBool(k string, v bool) {
	if v {
		w.key(k)
		w.b = append(w.b, "true"...)
	}
}

// string writes s quoted: as is when it is printable ASCII that
// json.Marshal does not escape (it escapes <, > and &), else as
// json.Marshal writes it.
func (w *jsonWriter) string(s string) {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= utf8.RuneSelf || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			b, _ := json.Marshal(s)
			w.b = append(w.b, b...)
			return
		}
	}
	w.b = append(w.b, '"')
	w.b = append(w.b, s...)
	w.b = append(w.b, '"')
}

// strs writes a field holding a list of strings.
func strs[T ~string](w *jsonWriter, k string, list []T) {
	w.key(k)
	strList(w, list)
}

// strList writes a list of strings; nil is null, as json.Marshal has it.
func strList[T ~string](w *jsonWriter, list []T) {
	if list == nil {
		w.b = append(w.b, "null"...)
		return
	}
	w.b = append(w.b, '[')
	for i, s := range list {
		if i > 0 {
			w.b = append(w.b, ',')
		}
		w.string(string(s))
	}
	w.b = append(w.b, ']')
}

func optStrs[T ~string](w *jsonWriter, k string, list []T) {
	if len(list) > 0 {
		strs(w, k, list)
	}
}

// objects writes a list of objects, each with write; nil is null.
func objects[T any](w *jsonWriter, k string, list []T, write func(*jsonWriter, *T)) {
	w.key(k)
	if list == nil {
		w.b = append(w.b, "null"...)
		return
	}
	w.b = append(w.b, '[')
	for i := range list {
		if i > 0 {
			w.b = append(w.b, ',')
		}
		w.b = append(w.b, '{')
		write(w, &list[i])
		w.b = append(w.b, '}')
		w.flush()
	}
	w.b = append(w.b, ']')
}

// mapOf writes a map, its keys sorted, each value with write; nil is null.
func mapOf[K ~string, V any](w *jsonWriter, k string, m map[K]V, write func(*jsonWriter, V)) {
	w.key(k)
	if m == nil {
		w.b = append(w.b, "null"...)
		return
	}
	w.b = append(w.b, '{')
	for i, key := range slices.Sorted(maps.Keys(m)) {
		if i > 0 {
			w.b = append(w.b, ',')
		}
		w.string(string(key))
		w.b = append(w.b, ':')
		write(w, m[key])
	}
	w.b = append(w.b, '}')
}

func (w *jsonWriter) catalog(c *Catalog) {
	w.b = append(w.b, '{')
	w.key("schema")
	w.b = strconv.AppendInt(w.b, int64(c.Schema), 10)
	w.str("version", c.Version)
	w.str("name", c.Name)
	w.optStr("description", c.Description)
	objects(w, "layers", c.Layers, (*jsonWriter).layer)
	objects(w, "frameworks", c.Frameworks, (*jsonWriter).framework)
	objects(w, "domains", c.Domains, func(w *jsonWriter, d *Domain) {
		w.str("id", d.ID)
		w.str("name", d.Name)
	})
	objects(w, "evidence", c.Evidence, (*jsonWriter).evidence)
	if len(c.Programmes) > 0 {
		objects(w, "programmes", c.Programmes, func(w *jsonWriter, p *Programme) {
			w.str("id", p.ID)
			w.str("name", p.Name)
			w.optStr("description", p.Description)
		})
	}
	objects(w, "services", c.Services, (*jsonWriter).service)
	objects(w, "controls", c.Controls, (*jsonWriter).control)
	w.b = append(w.b, '}')
}

func (w *jsonWriter) layer(l *Layer) {
	w.str("id", l.ID)
	w.str("name", l.Name)
	w.optStr("description", l.Description)
	mapOf(w, "owners", l.Owners, func(w *jsonWriter, o Owner) { w.string(string(o)) })
	w.optStr("customer_duty", l.CustomerDuty)
	w.optStr("aws_duty", l.AWSDuty)
}

func (w *jsonWriter) framework(f *Framework) {
	w.str("id", f.ID)
	w.optStr("family", f.Family)
	w.str("name", f.Name)
	w.optStr("edition", f.Edition)
	w.optBool("draft", f.Draft)
	objects(w, "clauses", f.Clauses, func(w *jsonWriter, c *Clause) {
		w.str("id", c.ID)
		w.str("title", c.Title)
	})
}

func (w *jsonWriter) evidence(e *EvidenceSource) {
	w.str("id", e.ID)
	w.str("name", e.Name)
	w.str("supplier", string(e.Supplier))
	w.str("kind", string(e.Kind))
	w.optStr("description", e.Description)
	w.optStr("freshness", string(e.Freshness))
	w.optInt("valid_months", e.ValidMonths)
	w.optInt("cadence_months", e.CadenceMonths)
	w.optInt("publish_days", e.PublishDays)
	if v := e.Relevance; v != nil {
		w.key("relevance")
		w.b = append(w.b, '{')
		w.optBool("always", v.Always)
		w.optBool("optional", v.Optional)
		optStrs(w, "data_any", v.DataAny)
		optStrs(w, "programmes_any", v.ProgrammesAny)
		optStrs(w, "services_any", v.ServicesAny)
		w.b = append(w.b, '}')
	}
}

func (w *jsonWriter) service(s *Service) {
	w.str("id", s.ID)
	w.str("name", s.Name)
	w.str("category", string(s.Category))
	w.str("model", string(s.Model))
	w.optStr("description", s.Description)
	if len(s.Overrides) > 0 {
		objects(w, "overrides", s.Overrides, func(w *jsonWriter, o *LayerOverride) {
			w.str("layer", o.Layer)
			w.str("owner", string(o.Owner))
			w.str("reason", o.Reason)
		})
	}
	w.optInt("gamp_category", s.GAMPCategory)
	w.optStr("gamp_reason", s.GAMPReason)
	if r := s.Resources; !r.IsZero() {
		w.key("resources")
		w.b = append(w.b, '{')
		optStrs(w, "cloudformation", r.CloudFormation)
		optStrs(w, "terraform", r.Terraform)
		w.optStr("unmapped", r.Unmapped)
		w.b = append(w.b, '}')
	}
}

func (w *jsonWriter) control(k *Control) {
	w.str("id", k.ID)
	w.str("domain", k.Domain)
	w.str("title", k.Title)
	w.str("question", k.Question)
	w.optStr("guidance", k.Guidance)
	objects(w, "refs", k.Refs, func(w *jsonWriter, f *Ref) {
		w.str("framework", f.Framework)
		w.str("clause", f.Clause)
	})
	strs(w, "layers", k.Layers)
	w.optStr("customer_part", k.CustomerPart)
	w.optStr("aws_part", k.AWSPart)
	w.optBool("gxp_baseline", k.GxPBaseline)
	w.str("criticality", string(k.Criticality))
	optStrs(w, "aws_evidence", k.AWSEvidence)
	optStrs(w, "customer_evidence", k.CustomerEvidence)
	if a := k.AppliesWhen; !a.IsZero() {
		w.key("applies_when")
		w.b = append(w.b, '{')
		w.optBool("multi_tenant", a.MultiTenant)
		w.optBool("open_system", a.OpenSystem)
		w.optBool("esignatures", a.ESignatures)
		w.optBool("internet_facing", a.InternetFacing)
		w.optStr("min_impact", string(a.MinImpact))
		optStrs(w, "services_any", a.ServicesAny)
		optStrs(w, "categories_any", a.CategoriesAny)
		optStrs(w, "models_any", a.ModelsAny)
		if len(a.LayerOwners) > 0 {
			mapOf(w, "layer_owners", a.LayerOwners, strList[Owner])
		}
		optStrs(w, "data_any", a.DataAny)
		w.b = append(w.b, '}')
	}
	optStrs(w, "alcoa", k.Alcoa)
	if c := k.Checks; !c.IsZero() {
		w.key("checks")
		w.b = append(w.b, '{')
		optStrs(w, "config", c.Config)
		optStrs(w, "securityhub", c.SecurityHub)
		optStrs(w, "prowler", c.Prowler)
		w.b = append(w.b, '}')
	}
	w.optBool("procedural", k.Procedural)
}
