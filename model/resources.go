package model

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
)

// ResourceTypes are the infrastructure-as-code resource types that mean a
// service is used: CloudFormation types (which SAM templates and CDK synth
// output use too) such as AWS::RDS::DBInstance, and Terraform AWS provider
// types such as aws_db_instance.
//
// An entry may carry a condition on the resource's properties, for one
// resource type that means one service or another by how it is
// configured: AWS::Lambda::Function[PackageType=Image] is a function
// packaged as a container image, whatever else AWS::Lambda::Function is.
// A condition is [Path=Value] (Value exactly, or a list holding it),
// [Path=Prefix*] (a value starting with Prefix) or [Path] (the property
// is there at all); Path names nested properties with dots. A reader
// picks the first entry whose condition holds, and the entry without a
// condition otherwise.
type ResourceTypes struct {
	CloudFormation []string `json:"cloudformation,omitempty" yaml:"cloudformation,omitempty"`
	Terraform      []string `json:"terraform,omitempty" yaml:"terraform,omitempty"`
	// Unmapped says why a service has no resource type in a format, or
	// none at all (a service used only through its API, such as
	// Textract).
	Unmapped string `json:"unmapped,omitempty" yaml:"unmapped,omitempty"`
}

// IsZero lets encoders omit a service without resource types.
func (r ResourceTypes) IsZero() bool {
	return len(r.CloudFormation) == 0 && len(r.Terraform) == 0 && r.Unmapped == ""
}

// Count is the number of entries in both formats.
func (r ResourceTypes) Count() int { return len(r.CloudFormation) + len(r.Terraform) }

// ResourceEntry is one entry of ResourceTypes, split into its parts.
type ResourceEntry struct {
	Type string // AWS::Lambda::Function, aws_lambda_function
	// Path, Value and Prefix are the condition; an empty Path means none.
	// An empty Value (with Prefix false) asks only that Path be there.
	Path   string
	Value  string
	Prefix bool
}

// Conditional reports whether the entry holds only under a condition.
func (e ResourceEntry) Conditional() bool { return e.Path != "" }

// String gives the entry back as the catalog writes it.
func (e ResourceEntry) String() string {
	switch {
	case e.Path == "":
		return e.Type
	case e.Value == "" && !e.Prefix:
		return fmt.Sprintf("%s[%s]", e.Type, e.Path)
	case e.Prefix:
		return fmt.Sprintf("%s[%s=%s*]", e.Type, e.Path, e.Value)
	}
	return fmt.Sprintf("%s[%s=%s]", e.Type, e.Path, e.Value)
}

// Condition is the condition in words: "PackageType is Image".
func (e ResourceEntry) Condition() string {
	switch {
	case e.Path == "":
		return ""
	case e.Value == "" && !e.Prefix:
		return e.Path + " is set"
	case e.Prefix:
		return fmt.Sprintf("%s starts with %s", e.Path, e.Value)
	}
	return fmt.Sprintf("%s is %s", e.Path, e.Value)
}

// The shape of an entry: a type (shapes.go gives the CloudFormation and
// Terraform ones) and the optional condition after it. Compiled on first
// use: every linked package's variables are set up before main, and onus
// starts for commands that never validate a catalog.
var resourceEntry = mustCompile(`^([^\[\]]+)(?:\[([A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*)(?:=([^\[\]*]+)(\*)?)?\])?$`)

// mustCompile is a regular expression compiled the first time it is used.
func mustCompile(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}

// ParseResourceEntry splits a catalog entry into type and condition; the
// format is "cloudformation" or "terraform".
func ParseResourceEntry(format, s string) (ResourceEntry, error) {
	e := ResourceEntry{Type: s} // without brackets, what the expression makes of it
	if s == "" || strings.ContainsAny(s, "[]") {
		m := resourceEntry().FindStringSubmatch(s)
		if m == nil {
			return ResourceEntry{}, fmt.Errorf("%q is not a resource type with an optional [Property=Value] condition", s)
		}
		e = ResourceEntry{Type: m[1], Path: m[2], Value: m[3], Prefix: m[4] == "*"}
	}
	shape, example := isCfnResourceType, "AWS::RDS::DBInstance"
	if format == "terraform" {
		shape, example = isTfResourceType, "aws_db_instance"
	}
	if !shape(e.Type) {
		return ResourceEntry{}, fmt.Errorf("%q is not a %s resource type (like %s)", e.Type, format, example)
	}
	return e, nil
}

// Entries lists the entries of one format, "cloudformation" or
// "terraform", parsed; entries that do not parse are left out (the
// catalog's validation refuses them).
func (r ResourceTypes) Entries(format string) []ResourceEntry {
	list := r.CloudFormation
	if format == "terraform" {
		list = r.Terraform
	}
	out := make([]ResourceEntry, 0, len(list))
	for _, s := range list {
		if e, err := ParseResourceEntry(format, s); err == nil {
			out = append(out, e)
		}
	}
	return out
}

// validateResources checks every service's resource types: each in its
// format's shape, none claimed twice (by one service or by two), and a
// reason for any service without one.
func (c *Catalog) validateResources(add func(path, format string, a ...any)) {
	entries := 0 // most services list none: a synthetic copy, an unmapped one
	for _, s := range c.Services {
		entries += len(s.Resources.CloudFormation) + len(s.Resources.Terraform)
	}
	owner := make(map[string]string, entries) // entry → service that lists it
	for i, s := range c.Services {
		at := elemAt("services", i)
		r := s.Resources
		if r.Unmapped != "" && strings.TrimSpace(r.Unmapped) == "" {
			add(at(".resources.unmapped"), "service %q: unmapped needs a reason in words", s.ID)
		}
		for _, f := range []struct {
			name string
			list []string
		}{{"cloudformation", r.CloudFormation}, {"terraform", r.Terraform}} {
			for j, entry := range f.list {
				ep := func() string { return at(fmt.Sprintf(".resources.%s[%d]", f.name, j)) }
				if _, err := ParseResourceEntry(f.name, entry); err != nil {
					add(ep(), "service %q: %v", s.ID, err)
					continue
				}
				switch prev, dup := owner[entry]; {
				case dup && prev == s.ID:
					add(ep(), "service %q lists resource type %s twice", s.ID, entry)
				case dup:
					add(ep(), "resource type %s is listed by both %q and %q; a type can mean one service (add a [Property=Value] condition to tell them apart)", entry, prev, s.ID)
				}
				owner[entry] = s.ID
			}
		}
	}
}

// UnmappedServices lists the services that name no resource type in
// either format; each says why in its resources' unmapped.
func (c *Catalog) UnmappedServices() []Service {
	var out []Service
	for _, s := range c.Services {
		if s.Resources.Count() == 0 {
			out = append(out, s)
		}
	}
	return out
}
