package iac

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/onus-gxp/onus/model"
)

// Limits on what a scan reads, so a huge or hostile input is refused
// instead of exhausting memory.
const (
	// MaxFileBytes caps one file. CloudFormation itself takes templates
	// of at most 1 MB; Terraform plans of large estates run to tens of MB.
	MaxFileBytes = 64 << 20
	// MaxTotalBytes caps everything one scan reads.
	MaxTotalBytes = 256 << 20
	// MaxFiles caps the files one scan reads, nested templates included;
	// their names and hashes must fit in the audit entry's reason.
	MaxFiles = 200
	// MaxResources caps the resources one scan reports.
	MaxResources = 200_000
	// MaxNesting caps how deep nested stacks and CDK assemblies are followed.
	MaxNesting = 16
	// maxNodes caps the values one template expands to, YAML aliases
	// included, so an alias bomb costs no more than the limit.
	maxNodes = 1_000_000
)

// Format is the kind of file a scan read.
type Format string

const (
	FormatCloudFormation Format = "cloudformation" // a CloudFormation or SAM template, YAML or JSON
	FormatCDKAssembly    Format = "cdk-assembly"   // a CDK cloud assembly's manifest.json
	FormatTerraformPlan  Format = "terraform-plan" // terraform show -json of a plan
	FormatTerraformState Format = "terraform-state"
	FormatTerraform      Format = "terraform" // a .tf configuration file
)

// File is one file a scan read, with the SHA-256 of its bytes.
type File struct {
	Path   string `json:"path"`
	Format Format `json:"format"`
	SHA256 string `json:"sha256"`
	Bytes  int    `json:"bytes"`
}

// Resource is one resource found, and the service it means.
type Resource struct {
	File string `json:"file"`
	// Name is the logical id (CloudFormation) or the address (Terraform).
	Name string `json:"name"`
	Type string `json:"type"`
	// Service is the catalog service the resource means; empty when no
	// service lists its type (it is then also counted in Unmapped).
	Service string `json:"service,omitempty"`
	// Why says how the resource was mapped: the catalog entry that
	// matched and, for a type that can mean two services, which property
	// decided.
	Why string `json:"why"`
	// Note says what else a reader should know: a CloudFormation
	// condition the resource is created under, a Terraform count, a
	// property that could not be read.
	Note string `json:"note,omitempty"`
}

// Unmapped is a resource type found that means no catalog service, with
// how often and why; nothing found is dropped silently.
type Unmapped struct {
	Type  string `json:"type"`
	Count int    `json:"count"`
	Why   string `json:"why"`
	// First is where it was first seen: file and name.
	First string `json:"first"`
}

// Reference is something a file points at that the scan did not read: a
// Terraform module, a nested stack in S3, an application from the
// Serverless Application Repository.
type Reference struct {
	File   string `json:"file"`
	Name   string `json:"name"`
	Kind   string `json:"kind"`
	Source string `json:"source,omitempty"`
	Why    string `json:"why"`
}

// Result is what a scan found.
type Result struct {
	Files      []File      `json:"files"`
	Resources  []Resource  `json:"resources"`
	Unmapped   []Unmapped  `json:"unmapped,omitempty"`
	Ignored    []Unmapped  `json:"ignored,omitempty"` // not resources of the solution: data sources, CDK metadata
	References []Reference `json:"references,omitempty"`
}

// Services lists the services the resources mean, once each, in the
// catalog's order.
func (r *Result) Services(cat *model.Catalog) []string {
	found := map[string]bool{}
	for _, res := range r.Resources {
		if res.Service != "" {
			found[res.Service] = true
		}
	}
	var out []string
	for _, s := range cat.Services {
		if found[s.ID] {
			out = append(out, s.ID)
		}
	}
	return out
}

// ResourcesOf lists the resources that mean one service.
func (r *Result) ResourcesOf(service string) []Resource {
	var out []Resource
	for _, res := range r.Resources {
		if res.Service == service {
			out = append(out, res)
		}
	}
	return out
}

// Reason is the sentence an audit entry records for a selection made from
// this result: every file read, by its name and SHA-256.
func (r *Result) Reason() string {
	parts := make([]string, len(r.Files))
	for i, f := range r.Files {
		parts[i] = fmt.Sprintf("%s (sha256 %s)", f.Path, f.SHA256)
	}
	return "services found in infrastructure as code: " + strings.Join(parts, ", ")
}

// Error is a file a scan could not read, with the line when known.
type Error struct {
	Path string
	Line int
	Msg  string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s: line %d: %s", e.Path, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.Path, e.Msg)
}

// source is where a scan reads files: the file system, or a map in tests.
type source interface {
	fs.StatFS
	fs.ReadDirFS
}

// osFS reads the real file system by the paths as given, a relative one
// from dir ("": the working directory).
type osFS struct{ dir string }

func (f osFS) at(name string) string {
	if f.dir == "" || filepath.IsAbs(name) {
		return name
	}
	return filepath.Join(f.dir, name)
}

func (f osFS) Open(name string) (fs.File, error)          { return os.Open(f.at(name)) }
func (f osFS) Stat(name string) (fs.FileInfo, error)      { return os.Stat(f.at(name)) }
func (f osFS) ReadDir(name string) ([]fs.DirEntry, error) { return os.ReadDir(f.at(name)) }

// Scan reads infrastructure-as-code files and directories and maps every
// resource in them to the catalog's services. A path may be a
// CloudFormation or SAM template (YAML or JSON), a CDK cloud assembly
// (cdk.out, or its manifest.json), a Terraform plan or state as
// `terraform show -json` writes it, a Terraform .tf file, or a directory
// of .tf files. Every string in the result is as the files have it:
// sanitise it before it reaches a terminal.
func Scan(cat *model.Catalog, paths ...string) (*Result, error) {
	return ScanIn("", cat, paths...)
}

// ScanIn is Scan with relative paths starting in dir, and named in the
// result as given (the wizard's, where onus serve's relayed commands
// change the process's working directory).
func ScanIn(dir string, cat *model.Catalog, paths ...string) (*Result, error) {
	return scan(osFS{dir}, newMapper(cat), paths)
}

func scan(src source, m *mapper, paths []string) (*Result, error) {
	if len(paths) == 0 {
		return nil, errors.New("no file to read")
	}
	s := &scanner{src: src, mapper: m, read: map[string]bool{}, unmapped: map[string]int{}, ignored: map[string]int{}}
	for _, p := range paths {
		if err := s.path(p, 0); err != nil {
			return nil, err
		}
	}
	return s.result(), nil
}

// scanner holds one scan's state.
type scanner struct {
	src      source
	mapper   *mapper
	res      Result
	read     map[string]bool // files read, by cleaned path
	total    int
	unmapped map[string]int // index into res.Unmapped by type and why
	ignored  map[string]int
}

// path reads a file or a directory named by the user or by a file.
func (s *scanner) path(p string, depth int) error {
	info, err := s.src.Stat(p)
	if err != nil {
		return &Error{Path: p, Msg: errText(err)}
	}
	if !info.IsDir() {
		return s.file(p, depth)
	}
	if _, err := s.src.Stat(filepath.Join(p, "manifest.json")); err == nil {
		return s.file(filepath.Join(p, "manifest.json"), depth)
	}
	entries, err := s.src.ReadDir(p)
	if err != nil {
		return &Error{Path: p, Msg: errText(err)}
	}
	var tf []string
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".tf") {
			tf = append(tf, filepath.Join(p, e.Name()))
		}
	}
	if len(tf) == 0 {
		return &Error{Path: p, Msg: "a directory with neither a CDK cloud assembly (manifest.json) nor Terraform configuration (.tf files) in it; name the templates or plans themselves"}
	}
	for _, f := range tf {
		if err := s.file(f, depth); err != nil {
			return err
		}
	}
	return nil
}

// file reads one file, by the format its name and content show.
func (s *scanner) file(p string, depth int) error {
	p = filepath.Clean(p)
	if s.read[p] {
		return nil // named twice, or a nested template shared by two parents
	}
	data, err := s.readFile(p)
	if err != nil {
		return err
	}
	s.read[p] = true
	format, err := detect(p, data)
	if err != nil {
		return &Error{Path: p, Msg: err.Error()}
	}
	sum := sha256.Sum256(data)
	s.res.Files = append(s.res.Files, File{Path: p, Format: format, SHA256: hex.EncodeToString(sum[:]), Bytes: len(data)})
	switch format {
	case FormatCloudFormation:
		return s.cloudFormation(p, data, depth)
	case FormatCDKAssembly:
		return s.cdkAssembly(p, data, depth)
	case FormatTerraformPlan, FormatTerraformState:
		return s.terraformPlan(p, data, format)
	case FormatTerraform:
		return s.terraformConfig(p, data)
	}
	return nil
}

func (s *scanner) readFile(p string) ([]byte, error) {
	if len(s.read) >= MaxFiles {
		return nil, &Error{Path: p, Msg: fmt.Sprintf("refused: a scan reads at most %d files", MaxFiles)}
	}
	f, err := s.src.Open(p)
	if err != nil {
		return nil, &Error{Path: p, Msg: errText(err)}
	}
	defer f.Close()
	if info, err := f.Stat(); err == nil && info.IsDir() {
		return nil, &Error{Path: p, Msg: "is a directory"}
	} else if err == nil && info.Size() > MaxFileBytes {
		return nil, &Error{Path: p, Msg: fmt.Sprintf("refused: larger than %d MiB", MaxFileBytes>>20)}
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxFileBytes+1))
	if err != nil {
		return nil, &Error{Path: p, Msg: errText(err)}
	}
	if len(data) > MaxFileBytes {
		return nil, &Error{Path: p, Msg: fmt.Sprintf("refused: larger than %d MiB", MaxFileBytes>>20)}
	}
	if s.total += len(data); s.total > MaxTotalBytes {
		return nil, &Error{Path: p, Msg: fmt.Sprintf("refused: a scan reads at most %d MiB in all", MaxTotalBytes>>20)}
	}
	return data, nil
}

// errText is an error without the path the caller already names.
func errText(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// detect tells the format of a file by its name and, for JSON, by its
// top-level keys.
func detect(p string, data []byte) (Format, error) {
	if strings.HasSuffix(p, ".tf") {
		return FormatTerraform, nil
	}
	if strings.HasSuffix(p, ".tf.json") {
		//lint:ignore ST1005 the sentence starts with a name
		return "", errors.New("Terraform's JSON configuration syntax is not read; give the .tf files, or a plan from terraform show -json")
	}
	trimmed := bytes.TrimLeft(data, " \t\r\n\ufeff")
	if len(trimmed) == 0 {
		return "", errors.New("the file is empty")
	}
	if trimmed[0] != '{' {
		return FormatCloudFormation, nil // YAML: CloudFormation is the only YAML format read
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(trimmed, &top); err != nil {
		return FormatCloudFormation, nil // let the template reader report it with its line
	}
	switch {
	case top["planned_values"] != nil || top["resource_changes"] != nil:
		return FormatTerraformPlan, nil
	case top["terraform_version"] != nil && top["format_version"] != nil:
		return FormatTerraformState, nil
	case top["artifacts"] != nil && top["version"] != nil:
		return FormatCDKAssembly, nil
	case top["Resources"] != nil || top["AWSTemplateFormatVersion"] != nil:
		return FormatCloudFormation, nil
	}
	return "", errors.New("not a CloudFormation template (no Resources), a CDK manifest (no artifacts) or a Terraform plan or state from terraform show -json")
}

// add records one resource found, mapped to its service.
func (s *scanner) add(r Resource, format string, props lookup) error {
	if len(s.res.Resources) >= MaxResources {
		return &Error{Path: r.File, Msg: fmt.Sprintf("refused: more than %d resources", MaxResources)}
	}
	if r.Type == "" {
		s.count(&s.res.Unmapped, s.unmapped, "(no type)", "the resource has no type, so it cannot be mapped", r.File+": "+r.Name)
		return nil
	}
	r.Service, r.Why = s.mapper.resolve(format, r.Type, props)
	if r.Service == "" {
		s.count(&s.res.Unmapped, s.unmapped, r.Type, r.Why, r.File+": "+r.Name)
	}
	s.res.Resources = append(s.res.Resources, r)
	return nil
}

// ignore counts something found that is not a resource of the solution.
func (s *scanner) ignore(typ, why, where string) {
	s.count(&s.res.Ignored, s.ignored, typ, why, where)
}

func (s *scanner) count(list *[]Unmapped, index map[string]int, typ, why, where string) {
	key := typ + "\x00" + why
	if i, ok := index[key]; ok {
		(*list)[i].Count++
		return
	}
	index[key] = len(*list)
	*list = append(*list, Unmapped{Type: typ, Count: 1, Why: why, First: where})
}

func (s *scanner) refer(r Reference) { s.res.References = append(s.res.References, r) }

// result sorts the counted lists, most frequent first.
func (s *scanner) result() *Result {
	for _, l := range [][]Unmapped{s.res.Unmapped, s.res.Ignored} {
		sort.SliceStable(l, func(i, j int) bool {
			if l[i].Count != l[j].Count {
				return l[i].Count > l[j].Count
			}
			return l[i].Type < l[j].Type
		})
	}
	out := s.res
	out.Files = slices.Clip(out.Files)
	return &out
}
