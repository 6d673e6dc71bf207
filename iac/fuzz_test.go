package iac

import (
	"crypto/sha256"
	"encoding/hex"
	"testing"
	"testing/fstest"
)

// fuzzScan reads arbitrary bytes as one file of a format: the reader must
// never panic, and what it accepts must be consistent: the file hashed as
// read, every resource typed, and every resource without a service
// counted among the unmapped.
func fuzzScan(f *testing.F, path string, extra fstest.MapFS) {
	m := newMapper(catalog(f))
	f.Fuzz(func(t *testing.T, data []byte) {
		fsys := fstest.MapFS{path: {Data: data}}
		for k, v := range extra {
			fsys[k] = v
		}
		r, err := scan(fsys, m, []string{path})
		if err != nil {
			if r != nil {
				t.Fatalf("error %v with a result", err)
			}
			return
		}
		sum := sha256.Sum256(data)
		if r.Files[0].SHA256 != hex.EncodeToString(sum[:]) {
			t.Fatal("the file's hash is not the hash of its bytes")
		}
		unmapped := 0
		for _, u := range r.Unmapped {
			unmapped += u.Count
		}
		without := 0
		for _, res := range r.Resources {
			if res.Type == "" || res.Why == "" {
				t.Fatalf("resource without a type or a reason: %+v", res)
			}
			if res.Service == "" {
				without++
			}
		}
		if without > unmapped {
			t.Fatalf("%d resources without a service, %d counted as unmapped", without, unmapped)
		}
	})
}

// Seeds: testdata/fuzz/FuzzCloudFormation, from the SAM, nested and CDK
// fixtures, YAML and JSON.
func FuzzCloudFormation(f *testing.F) { fuzzScan(f, "template", nil) }

// Seeds: testdata/fuzz/FuzzTerraformPlan, from the plan fixture.
func FuzzTerraformPlan(f *testing.F) { fuzzScan(f, "plan.json", nil) }

// Seeds: testdata/fuzz/FuzzTerraformConfig, from the .tf fixtures.
func FuzzTerraformConfig(f *testing.F) { fuzzScan(f, "main.tf", nil) }

// Seeds: testdata/fuzz/FuzzCDKAssembly, from the CDK manifests; the
// fuzzed manifest sits beside a stack template it may name.
func FuzzCDKAssembly(f *testing.F) {
	fuzzScan(f, "cdk.out/manifest.json", fstest.MapFS{
		"cdk.out/S.template.json": {Data: []byte(`{"Resources": {"B": {"Type": "AWS::S3::Bucket"}}}`)},
	})
}
