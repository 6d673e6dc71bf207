package model

import (
	"crypto/sha256"
	"encoding/json"
	"hash"
	"maps"
	"slices"
	"strconv"
)

// The catalog's canonical encoding, json.Marshal's bytes, written by hand
// for its hash (see catalog_json.go).

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

// object writes the field k as an object whose fields write writes.
func (w *jsonWriter) object(k string, write func()) {
	w.key(k)
	w.b = append(w.b, '{')
	write()
	w.b = append(w.b, '}')
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

// string writes s quoted: as is when it is ASCII that json.Marshal does
// not escape, else as json.Marshal writes it.
func (w *jsonWriter) string(s string) {
	if classOf(s)&(nonASCII|writeEscaped) != 0 {
		b, _ := json.Marshal(s)
		w.b = append(w.b, b...)
		return
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
		w.object("relevance", func() {
			w.optBool("always", v.Always)
			w.optBool("optional", v.Optional)
			optStrs(w, "data_any", v.DataAny)
			optStrs(w, "programmes_any", v.ProgrammesAny)
			optStrs(w, "services_any", v.ServicesAny)
		})
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
		w.object("resources", func() {
			optStrs(w, "cloudformation", r.CloudFormation)
			optStrs(w, "terraform", r.Terraform)
			w.optStr("unmapped", r.Unmapped)
		})
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
		w.object("applies_when", func() {
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
		})
	}
	optStrs(w, "alcoa", k.Alcoa)
	if c := k.Checks; !c.IsZero() {
		w.object("checks", func() {
			optStrs(w, "config", c.Config)
			optStrs(w, "securityhub", c.SecurityHub)
			optStrs(w, "prowler", c.Prowler)
		})
	}
	w.optBool("procedural", k.Procedural)
}
