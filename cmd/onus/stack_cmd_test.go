package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// stackCatalog is a small catalog of twelve layers and five services, so
// these tests do not depend on the embedded catalog's wording.
const stackCatalog = `schema: 1
version: "stack-test"
name: Stack test catalog
layers:
  - {id: governance, name: Governance, owners: {infrastructure: customer, container: customer, abstracted: customer}}
  - {id: data, name: Customer data, owners: {infrastructure: customer, container: customer, abstracted: customer}}
  - {id: iam, name: Identity and access, owners: {infrastructure: customer, container: customer, abstracted: customer}}
  - {id: client-encryption, name: Client-side encryption, owners: {infrastructure: customer, container: customer, abstracted: customer}}
  - {id: logging, name: Logging and monitoring, owners: {infrastructure: shared, container: shared, abstracted: shared}}
  - {id: server-encryption, name: Server-side encryption, owners: {infrastructure: customer, container: shared, abstracted: shared}}
  - {id: traffic-protection, name: Traffic protection, owners: {infrastructure: customer, container: shared, abstracted: shared}}
  - {id: network, name: Network configuration, owners: {infrastructure: customer, container: customer, abstracted: aws}}
  - {id: platform, name: Applications and platform, owners: {infrastructure: customer, container: aws, abstracted: aws}}
  - {id: os, name: Operating system, owners: {infrastructure: customer, container: aws, abstracted: aws}}
  - {id: foundation, name: Foundation services, owners: {infrastructure: aws, container: aws, abstracted: aws}}
  - {id: global, name: Global infrastructure, owners: {infrastructure: aws, container: aws, abstracted: aws}}
frameworks: []
domains: []
evidence: []
controls: []
services:
  - {id: ec2, name: Amazon EC2, category: compute, model: infrastructure}
  - {id: rds, name: Amazon RDS, category: database, model: container}
  - {id: s3, name: Amazon S3, category: storage, model: abstracted}
  - {id: lambda, name: AWS Lambda, category: compute, model: abstracted}
  - id: eks
    name: Amazon Elastic Kubernetes Service
    category: containers
    model: container
    overrides:
      - {layer: os, owner: customer, reason: Worker nodes are instances you patch.}
`

func stackEnv(t *testing.T) map[string]string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "catalog.yaml")
	if err := os.WriteFile(p, []byte(stackCatalog), 0o600); err != nil {
		t.Fatal(err)
	}
	return map[string]string{"ONUS_CATALOG": p}
}

func TestStackText(t *testing.T) {
	env := stackEnv(t)
	code, out, errOut := runOnus(t, env, "stack", "ec2", "rds", "s3", "lambda", "eks")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if strings.Contains(out, "\x1b") {
		t.Error("colour written to a pipe")
	}
	for _, want := range []string{"services 1–3 of 5 ▶", "◀ services 4–5 of 5", "Solution stack", "▓▓ Customer", "of the cloud", "† EKS · Operating system → Customer (catalog)"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	for _, l := range strings.Split(out, "\n") {
		if ansi.StringWidth(l) > 80 {
			t.Errorf("line wider than 80: %q", l)
		}
	}

	code, out, _ = runOnus(t, env, "stack", "ec2", "--width", "140", "--solution-only", "rds")
	if code != 0 || !strings.Contains(out, "Solution stack") || strings.Contains(out, "services 1") {
		t.Errorf("--solution-only: exit %d\n%s", code, out)
	}
	for _, l := range strings.Split(out, "\n") {
		if ansi.StringWidth(l) > 140 {
			t.Errorf("line wider than 140: %q", l)
		}
	}
}

func TestStackJSON(t *testing.T) {
	code, out, errOut := runOnus(t, stackEnv(t), "stack", "--json", "ec2", "s3", "eks")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var doc struct {
		Services []struct {
			ID, Model string
			Layers    []map[string]any
		}
		Solution struct {
			Layers []map[string]any
		}
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Services) != 3 || doc.Services[0].ID != "ec2" || doc.Services[0].Model != "infrastructure" {
		t.Fatalf("services: %+v", doc.Services)
	}
	for _, l := range doc.Services[0].Layers {
		for _, k := range []string{"id", "name", "owner"} {
			if _, ok := l[k]; !ok {
				t.Errorf("service layer without %q: %v", k, l)
			}
		}
		if _, ok := l["reason"]; ok {
			t.Errorf("EC2 has no override, yet a reason: %v", l)
		}
	}
	os := doc.Services[2].Layers[9]
	if os["id"] != "os" || os["owner"] != "customer" || os["overridden"] != true || os["reason"] == "" {
		t.Errorf("EKS os layer: %v", os)
	}
	if len(doc.Solution.Layers) != 12 {
		t.Fatalf("solution has %d layers", len(doc.Solution.Layers))
	}
	top, bottom := doc.Solution.Layers[0], doc.Solution.Layers[11]
	if top["owner"] != "customer" || len(top["caused_by"].([]any)) != 3 {
		t.Errorf("solution top layer: %v", top)
	}
	if _, ok := bottom["caused_by"]; ok || bottom["owner"] != "aws" {
		t.Errorf("solution bottom layer: %v", bottom)
	}
}

func TestStackErrors(t *testing.T) {
	env := stackEnv(t)
	for _, tc := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"stack"}, exitUsage, "at least one SERVICE_ID"},
		{[]string{"stack", "ec2", "ecs2"}, exitUsage, `unknown service "ecs2"`},
		{[]string{"stack", "ec2", "--width", "5"}, exitUsage, "--width"},
	} {
		code, _, errOut := runOnus(t, env, tc.args...)
		if code != tc.code || !strings.Contains(errOut, tc.msg) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", tc.args, code, errOut, tc.code, tc.msg)
		}
	}
}

func TestWantColour(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		tty  bool
		want bool
	}{
		{map[string]string{"TERM": "xterm-256color"}, true, true},
		{map[string]string{"TERM": "xterm-256color"}, false, false},
		{map[string]string{"TERM": "xterm-256color", "NO_COLOR": "1"}, true, false},
		{map[string]string{"TERM": "xterm-256color", "NO_COLOR": "0"}, true, false}, // any non-empty value
		{map[string]string{"TERM": "dumb"}, true, false},
	} {
		if got := wantColour(func(k string) string { return tc.env[k] }, tc.tty); got != tc.want {
			t.Errorf("wantColour(%v, tty=%v) = %v", tc.env, tc.tty, got)
		}
	}
}
