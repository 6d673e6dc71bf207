package model

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
)

// CatalogSchema is the catalog file format this build reads.
const CatalogSchema = 1

// MaxCatalogBytes caps a catalog file before it is parsed, so a huge or
// hostile file is refused instead of exhausting memory.
const MaxCatalogBytes = 16 << 20

// Problem is one thing wrong with a catalog file, with its line when known.
type Problem struct {
	Line int    `json:"line,omitempty"`
	Path string `json:"path,omitempty"` // e.g. controls[3].layers[1]
	Msg  string `json:"message"`
}

func (p Problem) String() string {
	if p.Line > 0 {
		return fmt.Sprintf("line %d: %s", p.Line, p.Msg)
	}
	return p.Msg
}

// CatalogError carries every problem found in a catalog file.
type CatalogError struct {
	Name     string
	Problems []Problem
}

func (e *CatalogError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d problem", e.Name, len(e.Problems))
	if len(e.Problems) != 1 {
		b.WriteString("s")
	}
	for _, p := range e.Problems {
		fmt.Fprintf(&b, "\n  %s:%s", e.Name, p)
	}
	return b.String()
}

// ParseCatalog reads a catalog from YAML (or JSON, which is YAML too),
// validates it and computes its hash. name is used in messages.
func ParseCatalog(data []byte, name string) (*Catalog, error) {
	if err := catalogSize(len(data), name); err != nil {
		return nil, err
	}
	if cat, ok := parseJSON(string(data)); ok {
		return cat.hashed(), nil
	}
	cat, err := parseYAML(data, name)
	if err != nil {
		return nil, err
	}
	return cat.hashed(), nil
}

// ParseCatalogText is ParseCatalog of a catalog held as a string, as onus
// reads a catalog file: a JSON catalog's strings are cut from it, not
// copied.
func ParseCatalogText(text, name string) (*Catalog, error) {
	c, err := CheckCatalogText(text, name)
	if err != nil {
		return nil, err
	}
	return c.Catalog(), nil
}

// CheckedCatalog is a catalog read and found valid, whose hash is still
// to be computed (2.3 ms for the 10x synthetic catalog in a fresh
// process), which the wizard leaves until its first screen is drawn. The
// catalog is only reached through Catalog, so none is used without its
// hash.
type CheckedCatalog struct {
	cat  *Catalog
	once sync.Once
}

// CheckCatalogText is ParseCatalogText up to the hash.
func CheckCatalogText(text, name string) (*CheckedCatalog, error) {
	if err := catalogSize(len(text), name); err != nil {
		return nil, err
	}
	if cat, ok := parseJSON(text); ok {
		return &CheckedCatalog{cat: cat}, nil
	}
	cat, err := parseYAML([]byte(text), name)
	if err != nil {
		return nil, err
	}
	return &CheckedCatalog{cat: cat}, nil
}

// Catalog computes the catalog's hash, the first time, and returns it.
func (c *CheckedCatalog) Catalog() *Catalog {
	c.once.Do(func() { c.cat.hashed() })
	return c.cat
}

// hashed sets the catalog's hash and returns it.
func (c *Catalog) hashed() *Catalog {
	c.Hash = c.computeHash()
	return c
}

func catalogSize(n int, name string) error {
	if n > MaxCatalogBytes {
		return &CatalogError{Name: name, Problems: []Problem{{Msg: fmt.Sprintf("file is %d bytes; catalogs are limited to %d MiB", n, MaxCatalogBytes>>20)}}}
	}
	return nil
}

// parseYAML reads and validates a catalog written in YAML (or
// JSON the fast path did not take), with every problem's line.
func parseYAML(data []byte, name string) (*Catalog, error) {
	// Parse into nodes first: that never expands aliases, so the expanded
	// size can be measured and an alias bomb refused before anything walks it.
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, &CatalogError{Name: name, Problems: yamlProblems(err)}
	}
	if root.Kind == 0 {
		return nil, &CatalogError{Name: name, Problems: []Problem{{Msg: "file is empty"}}}
	}
	if expandedSize(&root, map[*yaml.Node]int{}) > maxExpandedNodes {
		return nil, &CatalogError{Name: name, Problems: []Problem{{Msg: aliasBombMsg}}}
	}
	var cat Catalog
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&cat); err != nil {
		return nil, &CatalogError{Name: name, Problems: yamlProblems(err)}
	}
	lines := map[string]int{}
	recordLines(&root, "", lines)
	probs, ix := cat.validate()
	if len(probs) > 0 {
		for i := range probs {
			probs[i].Line = lineFor(lines, probs[i].Path)
		}
		sort.SliceStable(probs, func(i, j int) bool { return probs[i].Line < probs[j].Line })
		return nil, &CatalogError{Name: name, Problems: probs}
	}
	cat.index = ix
	return &cat, nil
}

// parseJSON is the fast path for JSON catalogs, such as the embedded one
// and the output of `onus catalog dump`: JSON reads some thirty times
// faster than the YAML parser, which matters at start-up. The catalog's
// own reader (catalog_json.go) takes the usual form, encoding/json
// anything else. Anything neither takes as a valid catalog goes the YAML
// way, which reports every problem with its line. Unlike YAML,
// encoding/json takes a duplicate key (the last one wins) and matches keys
// case-insensitively; the catalog it yields still passes the same
// validation and hashes the same.
func parseJSON(text string) (*Catalog, bool) {
	if t := strings.TrimLeft(text, " \t\r\n"); len(t) == 0 || t[0] != '{' {
		return nil, false
	}
	cat, ok := decodeCatalogJSON(text)
	if !ok {
		if cat, ok = decodeJSON([]byte(text)); !ok {
			return nil, false
		}
	}
	probs, ix := cat.validate()
	if len(probs) > 0 {
		return nil, false
	}
	cat.index = ix
	return cat, true
}

// decodeJSON is encoding/json's reading of a catalog, which
// decodeCatalogJSON leaves anything unusual to.
func decodeJSON(data []byte) (*Catalog, bool) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var cat Catalog
	if err := dec.Decode(&cat); err != nil {
		return nil, false
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, false // trailing data
	}
	return &cat, true
}

func yamlProblems(err error) []Problem {
	msg := err.Error()
	if strings.Contains(msg, "excessive aliasing") {
		return []Problem{{Msg: aliasBombMsg}}
	}
	if errors.Is(err, io.EOF) {
		return []Problem{{Msg: "file is empty"}}
	}
	var te *yaml.TypeError
	if errors.As(err, &te) {
		var out []Problem
		for _, e := range te.Errors {
			out = append(out, parseYAMLLine(e))
		}
		return out
	}
	return []Problem{parseYAMLLine(strings.TrimPrefix(msg, "yaml: "))}
}

// parseYAMLLine turns "line 12: field foo not found" into a Problem.
func parseYAMLLine(s string) Problem {
	s = strings.TrimPrefix(s, "yaml: ")
	if rest, ok := strings.CutPrefix(s, "line "); ok {
		if num, msg, ok := strings.Cut(rest, ": "); ok {
			if n, err := strconv.Atoi(num); err == nil {
				return Problem{Line: n, Msg: msg}
			}
		}
	}
	return Problem{Msg: s}
}

const aliasBombMsg = "refused: YAML aliases expand too far (an alias bomb?); write the content out instead of using aliases"

// maxExpandedNodes bounds the document size once aliases are expanded; the
// default catalog has a few tens of thousands of nodes.
const maxExpandedNodes = 2_000_000

// expandedSize counts the nodes a full alias expansion would produce,
// memoised per node so measuring a bomb costs no more than the file.
func expandedSize(n *yaml.Node, memo map[*yaml.Node]int) int {
	if v, ok := memo[n]; ok {
		return v
	}
	memo[n] = maxExpandedNodes + 1 // a cycle counts as too large
	size := 1
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		size += expandedSize(n.Alias, memo)
	}
	for _, c := range n.Content {
		size += expandedSize(c, memo)
		if size > maxExpandedNodes {
			break
		}
	}
	memo[n] = size
	return size
}

// recordLines maps each path in the document to its line.
func recordLines(n *yaml.Node, path string, lines map[string]int) {
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			recordLines(c, path, lines)
		}
	case yaml.MappingNode:
		lines[path] = n.Line
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			p := k.Value
			if path != "" {
				p = path + "." + k.Value
			}
			lines[p] = k.Line
			recordLines(v, p, lines)
		}
	case yaml.SequenceNode:
		lines[path] = n.Line
		for i, c := range n.Content {
			p := fmt.Sprintf("%s[%d]", path, i)
			lines[p] = c.Line
			recordLines(c, p, lines)
		}
	case yaml.ScalarNode:
		if _, ok := lines[path]; !ok {
			lines[path] = n.Line
		}
	}
}

// lineFor finds the line of a path, or of its nearest recorded parent.
func lineFor(lines map[string]int, path string) int {
	for path != "" {
		if l, ok := lines[path]; ok {
			return l
		}
		i := strings.LastIndexAny(path, ".[")
		if i < 0 {
			break
		}
		path = path[:i]
	}
	return 0
}

// computeHash is the SHA-256 of the catalog's canonical JSON encoding
// (json.Marshal's: struct field order, sorted map keys), so equal content
// gives equal hashes whatever the file's formatting. An assessment
// records it; catalogHash writes those bytes without reflection.
func (c *Catalog) computeHash() string {
	sum := catalogHash(c)
	return hex.EncodeToString(sum[:])
}

// Validate checks the catalog's internal consistency and returns every
// problem with the path of the offending value.
func (c *Catalog) Validate() []Problem {
	ps, _ := c.validate()
	return ps
}

// validate is Validate, and the catalog's index, which its checks of ids
// build: once there is no problem, the index the catalog is used through
// (building it again was as much new memory, which a large catalog's
// start-up pays for in page faults).
func (c *Catalog) validate() ([]Problem, *catalogIndex) {
	ix := newIndex(c)
	var ps []Problem
	add := func(path, format string, a ...any) {
		ps = append(ps, Problem{Path: path, Msg: fmt.Sprintf(format, a...)})
	}
	if c.Schema != CatalogSchema {
		add("schema", "schema is %d; this onus reads schema %d", c.Schema, CatalogSchema)
	}
	if strings.TrimSpace(c.Version) == "" {
		add("version", "missing version")
	}
	if len(c.Layers) == 0 {
		add("layers", "no layers")
	}
	// A path is built only for a problem: a large catalog has thousands
	// of elements (at gives the path of one, and of what is inside it).
	// seen records each id's first position in ids (an index's map), and
	// says whether it is the first.
	seen := func(kind string, ids map[string]int) func(at func(string) string, id string, i int) bool {
		return func(at func(string) string, id string, i int) bool {
			if strings.TrimSpace(id) == "" {
				add(at(""), "%s without an id", kind)
				return false
			}
			if _, dup := ids[id]; dup {
				add(at(".id"), "duplicate %s id %q", kind, id)
				return false
			}
			ids[id] = i
			return true
		}
	}

	layerIDs := ix.layer
	firstLayer := seen("layer", layerIDs)
	for i, l := range c.Layers {
		p := fmt.Sprintf("layers[%d]", i)
		firstLayer(pathAt(p), l.ID, i)
		if l.Name == "" {
			add(p, "layer %q has no name", l.ID)
		}
		for _, m := range ServiceModels {
			o, ok := l.Owners[m]
			if !ok {
				add(p+".owners", "layer %q has no owner for the %s model", l.ID, m)
			} else if !o.Valid() {
				add(p+".owners."+string(m), "layer %q: unknown owner %q (use aws, customer or shared)", l.ID, o)
			}
		}
		for m := range l.Owners {
			if !m.Valid() {
				add(p+".owners."+string(m), "layer %q: unknown model %q (use infrastructure, container or abstracted)", l.ID, m)
			}
		}
	}

	clauses := map[string]map[string]bool{}
	firstFw := seen("framework", ix.framework)
	editions := map[string][]Framework{} // family → its editions
	for i, f := range c.Frameworks {
		p := fmt.Sprintf("frameworks[%d]", i)
		if !firstFw(pathAt(p), f.ID, i) {
			continue
		}
		fam := f.FamilyID()
		for _, other := range editions[fam] {
			switch {
			case f.Edition == "" || other.Edition == "":
				add(p+".edition", "framework %q shares family %q with %q; each edition must name itself", f.ID, fam, other.ID)
			case f.Edition == other.Edition:
				add(p+".edition", "frameworks %q and %q are both edition %q of %q", other.ID, f.ID, f.Edition, fam)
			case !f.Draft && !other.Draft:
				add(p+".draft", "frameworks %q and %q are both in force for %q; mark all but one as draft", other.ID, f.ID, fam)
			}
		}
		editions[fam] = append(editions[fam], f)
		clauses[f.ID] = map[string]bool{}
		firstClause := seen("clause", make(map[string]int, len(f.Clauses)))
		for j, cl := range f.Clauses {
			if firstClause(elemAt(p+".clauses", j), f.ID+" "+cl.ID, j) {
				clauses[f.ID][cl.ID] = true
			}
		}
	}

	domains := ix.domain
	firstDomain := seen("domain", domains)
	for i, d := range c.Domains {
		firstDomain(elemAt("domains", i), d.ID, i)
	}

	evidence := ix.evidence
	firstEv := seen("evidence", evidence)
	for i, e := range c.Evidence {
		p := fmt.Sprintf("evidence[%d]", i)
		firstEv(pathAt(p), e.ID, i)
		if !e.Supplier.Valid() {
			add(p+".supplier", "evidence %q: unknown supplier %q (use aws, customer or third-party)", e.ID, e.Supplier)
		}
		validateFreshness(e, p, add)
	}

	programmes := ix.programme
	firstProg := seen("programme", programmes)
	for i, pr := range c.Programmes {
		p := fmt.Sprintf("programmes[%d]", i)
		firstProg(pathAt(p), pr.ID, i)
		if strings.TrimSpace(pr.Name) == "" {
			add(p, "programme %q has no name", pr.ID)
		}
	}

	services := ix.service
	firstSvc := seen("service", services)
	for i, s := range c.Services {
		at := elemAt("services", i)
		firstSvc(at, s.ID, i)
		if s.Name == "" {
			add(at(""), "service %q has no name", s.ID)
		}
		if !s.Model.Valid() {
			add(at(".model"), "service %q: unknown model %q (use infrastructure, container or abstracted)", s.ID, s.Model)
		}
		if s.Category == "" {
			add(at(""), "service %q has no category", s.ID)
		}
		for j, o := range s.Overrides {
			op := func(rest string) string { return at(fmt.Sprintf(".overrides[%d]%s", j, rest)) }
			if !has(layerIDs, o.Layer) {
				add(op(".layer"), "service %q overrides unknown layer %q", s.ID, o.Layer)
			}
			if !o.Owner.Valid() && o.Owner != OwnerNone {
				add(op(".owner"), "service %q: unknown owner %q (use aws, customer, shared or none)", s.ID, o.Owner)
			}
			if strings.TrimSpace(o.Reason) == "" {
				add(op(""), "service %q: override of layer %q has no reason", s.ID, o.Layer)
			}
		}
		switch {
		case s.GAMPCategory != 0 && !ValidGAMPCategory(s.GAMPCategory):
			add(at(".gamp_category"), "service %q: GAMP category %d (use 1, 3, 4 or 5)", s.ID, s.GAMPCategory)
		case s.GAMPCategory > GAMPInfrastructure && strings.TrimSpace(s.GAMPReason) == "":
			add(at(".gamp_category"), "service %q: GAMP category %d needs a gamp_reason", s.ID, s.GAMPCategory)
		}
	}

	for i, e := range c.Evidence {
		validateRelevance(e, elemAt("evidence", i), programmes, services, add)
	}

	c.validateResources(add)

	firstCtrl := seen("control", ix.control)
	for i, k := range c.Controls {
		at := elemAt("controls", i)
		firstCtrl(at, k.ID, i)
		if strings.TrimSpace(k.Title) == "" {
			add(at(".title"), "control %q has no title", k.ID)
		}
		if strings.TrimSpace(k.Question) == "" {
			add(at(".question"), "control %q has no question", k.ID)
		}
		if !has(domains, k.Domain) {
			add(at(".domain"), "control %q: unknown domain %q", k.ID, k.Domain)
		}
		if !k.Criticality.Valid() {
			add(at(".criticality"), "control %q: unknown criticality %q (use high, medium or low)", k.ID, k.Criticality)
		}
		if len(k.Layers) == 0 {
			add(at(".layers"), "control %q has no layer", k.ID)
		}
		for j, l := range k.Layers {
			if !has(layerIDs, l) {
				add(at(fmt.Sprintf(".layers[%d]", j)), "control %q: unknown layer %q", k.ID, l)
			}
		}
		for j, r := range k.Refs {
			if cl, ok := clauses[r.Framework]; !ok {
				add(at(fmt.Sprintf(".refs[%d].framework", j)), "control %q refers to unknown framework %q", k.ID, r.Framework)
			} else if !cl[r.Clause] {
				add(at(fmt.Sprintf(".refs[%d].clause", j)), "control %q refers to unknown clause %q of %s", k.ID, r.Clause, r.Framework)
			}
		}
		for j, e := range k.AWSEvidence {
			if !has(evidence, e) {
				add(at(fmt.Sprintf(".aws_evidence[%d]", j)), "control %q refers to unknown evidence %q", k.ID, e)
			}
		}
		for j, e := range k.CustomerEvidence {
			if !has(evidence, e) {
				add(at(fmt.Sprintf(".customer_evidence[%d]", j)), "control %q refers to unknown evidence %q", k.ID, e)
			}
		}
		validateIntegrityTags(k, at, add)
		w := k.AppliesWhen
		if w.MinImpact != "" && !w.MinImpact.Valid() {
			add(at(".applies_when.min_impact"), "control %q: unknown GxP impact %q (use none, indirect or direct)", k.ID, w.MinImpact)
		}
		for j, s := range w.ServicesAny {
			if !has(services, s) {
				add(at(fmt.Sprintf(".applies_when.services_any[%d]", j)), "control %q refers to unknown service %q", k.ID, s)
			}
		}
		for j, m := range w.ModelsAny {
			if !m.Valid() {
				add(at(fmt.Sprintf(".applies_when.models_any[%d]", j)), "control %q: unknown model %q", k.ID, m)
			}
		}
		for _, l := range sortedKeys(w.LayerOwners) {
			lp := func(rest string) string { return at(".applies_when.layer_owners." + l + rest) }
			if !has(layerIDs, l) {
				add(lp(""), "control %q: layer_owners names unknown layer %q", k.ID, l)
			}
			if len(w.LayerOwners[l]) == 0 {
				add(lp(""), "control %q: layer_owners of %q lists no owner", k.ID, l)
			}
			for j, o := range w.LayerOwners[l] {
				if !o.Valid() {
					add(lp(fmt.Sprintf("[%d]", j)), "control %q: unknown owner %q (use aws, customer or shared)", k.ID, o)
				}
			}
		}
		for j, d := range w.DataAny {
			if !d.Valid() {
				add(at(fmt.Sprintf(".applies_when.data_any[%d]", j)), "control %q: unknown data category %q (use health or personal)", k.ID, d)
			}
		}
	}
	return ps, ix
}

// has says whether an index's map holds id.
func has(ids map[string]int, id string) bool {
	_, ok := ids[id]
	return ok
}

// elemAt gives the path of element i of a list, with what follows it
// inside the element.
func elemAt(list string, i int) func(rest string) string {
	return func(rest string) string { return list + "[" + strconv.Itoa(i) + "]" + rest }
}

// pathAt gives a path, with what follows it.
func pathAt(p string) func(rest string) string {
	return func(rest string) string { return p + rest }
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// EncodeJSON is the form `onus catalog dump` prints and the binary embeds,
// which ParseCatalog reads on its fast path.
func (c *Catalog) EncodeJSON() ([]byte, error) { return EncodeJSON(c) }

// validateFreshness checks that an evidence source's staleness rule is
// known and has the numbers it needs, and no others.
func validateFreshness(e EvidenceSource, p string, add func(path, format string, a ...any)) {
	if e.ValidMonths < 0 || e.CadenceMonths < 0 || e.PublishDays < 0 {
		add(p, "evidence %q: valid_months, cadence_months and publish_days cannot be negative", e.ID)
	}
	series := e.CadenceMonths != 0 || e.PublishDays != 0
	switch e.Freshness {
	case "", FreshByAge, FreshCertificate:
		if series {
			add(p+".freshness", "evidence %q: cadence_months and publish_days need freshness next-report", e.ID)
		}
		if e.Freshness == FreshByAge && e.ValidMonths <= 0 {
			add(p+".valid_months", "evidence %q: freshness age needs valid_months", e.ID)
		}
	case FreshNextReport:
		if e.CadenceMonths <= 0 {
			add(p+".cadence_months", "evidence %q: freshness next-report needs cadence_months, how often a new report is published", e.ID)
		}
		if e.ValidMonths != 0 {
			add(p+".valid_months", "evidence %q: freshness next-report is set by cadence_months and publish_days, not valid_months", e.ID)
		}
		if e.PublishDays > 366 {
			add(p+".publish_days", "evidence %q: publish_days %d is more than a year", e.ID, e.PublishDays)
		}
	default:
		add(p+".freshness", "evidence %q: unknown freshness %q (use age, next-report or certificate)", e.ID, e.Freshness)
	}
}

// validateIntegrityTags checks a control's ALCOA+ attributes and automated
// checks: known attributes named once, identifiers in each tool's own
// shape and named once, and no control both procedural and checked.
func validateIntegrityTags(k Control, at func(string) string, add func(path, format string, a ...any)) {
	seenAttr := map[Alcoa]bool{}
	for j, a := range k.Alcoa {
		ap := func() string { return at(fmt.Sprintf(".alcoa[%d]", j)) }
		switch {
		case !a.Valid():
			add(ap(), "control %q: unknown ALCOA+ attribute %q (use attributable, legible, contemporaneous, original, accurate, complete, consistent, enduring or available)", k.ID, a)
		case seenAttr[a]:
			add(ap(), "control %q names ALCOA+ attribute %q twice", k.ID, a)
		}
		seenAttr[a] = true
	}
	for _, f := range automatedFormat {
		seen := map[string]bool{}
		for j, id := range f.ids(k.Checks) {
			cp := func() string { return at(fmt.Sprintf(".checks.%s[%d]", f.tool, j)) }
			switch {
			case !f.valid(id):
				add(cp(), "control %q: %q is not a %s check identifier (like %s)", k.ID, id, f.tool, f.example)
			case seen[id]:
				add(cp(), "control %q names %s check %q twice", k.ID, f.tool, id)
			}
			seen[id] = true
		}
	}
	if k.Procedural && !k.Checks.IsZero() {
		add(at(".procedural"), "control %q is marked procedural but names %d automated checks", k.ID, k.Checks.Count())
	}
}

// validateRelevance checks an evidence source's relevance rule: only AWS
// sources have one; exactly one of always, optional or conditions; every
// data category, programme and service known.
func validateRelevance(e EvidenceSource, at func(string) string, programmes, services map[string]int, add func(path, format string, a ...any)) {
	r := e.Relevance
	if r == nil {
		return
	}
	p := at(".relevance")
	if e.Supplier != SupplierAWS {
		add(p, "evidence %q: only AWS evidence has a relevance rule (it decides what the supplier assessment needs)", e.ID)
	}
	conditions := len(r.DataAny) + len(r.ProgrammesAny) + len(r.ServicesAny)
	given := 0
	for _, b := range []bool{r.Always, r.Optional, conditions > 0} {
		if b {
			given++
		}
	}
	if given != 1 {
		add(p, "evidence %q: relevance needs exactly one of always, optional, or conditions (data_any, programmes_any, services_any)", e.ID)
	}
	for j, d := range r.DataAny {
		if !d.Valid() {
			add(fmt.Sprintf("%s.data_any[%d]", p, j), "evidence %q: unknown data category %q", e.ID, d)
		}
	}
	for j, id := range r.ProgrammesAny {
		if !has(programmes, id) {
			add(fmt.Sprintf("%s.programmes_any[%d]", p, j), "evidence %q: unknown programme %q", e.ID, id)
		}
	}
	for j, id := range r.ServicesAny {
		if !has(services, id) {
			add(fmt.Sprintf("%s.services_any[%d]", p, j), "evidence %q: unknown service %q", e.ID, id)
		}
	}
}
