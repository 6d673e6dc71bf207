package model_test

import (
	"strings"
	"testing"

	"github.com/onus-gxp/onus/model"
)

// withResources is the minimal catalog with resource types added to its
// two services, ec2 and s3.
func withResources(t *testing.T, ec2, s3 string) []byte {
	t.Helper()
	src := string(readTestdata(t, "minimal.yaml"))
	src = strings.Replace(src, "model: infrastructure}", "model: infrastructure, resources: "+ec2+"}", 1)
	src = strings.Replace(src, "model: abstracted}", "model: abstracted, resources: "+s3+"}", 1)
	return []byte(src)
}

func TestResourceTypesValidate(t *testing.T) {
	const ok3 = `{cloudformation: [AWS::S3::Bucket], terraform: [aws_s3_bucket]}`
	cases := []struct {
		name, ec2, s3 string
		want          string // "" for valid
		line          int
	}{
		{"valid", `{cloudformation: [AWS::EC2::Instance, "AWS::EC2::Instance[Tenancy=dedicated]"], terraform: [aws_instance]}`, ok3, "", 0},
		{"conditions of every shape", `{cloudformation: ["AWS::EC2::Instance[Tenancy]", "AWS::EC2::Instance[Placement.Tenancy=host*]"]}`, ok3, "", 0},
		{"unknown CloudFormation shape", `{cloudformation: [aws_instance]}`, ok3,
			`service "ec2": "aws_instance" is not a cloudformation resource type (like AWS::RDS::DBInstance)`, 25},
		{"unknown Terraform shape", `{terraform: [AWS::EC2::Instance]}`, ok3,
			`service "ec2": "AWS::EC2::Instance" is not a terraform resource type (like aws_db_instance)`, 25},
		{"broken condition", `{cloudformation: ["AWS::EC2::Instance[Tenancy=]"]}`, ok3,
			`service "ec2": "AWS::EC2::Instance[Tenancy=]" is not a resource type with an optional [Property=Value] condition`, 25},
		{"duplicate across services", `{cloudformation: [AWS::S3::Bucket]}`, ok3,
			`resource type AWS::S3::Bucket is listed by both "ec2" and "s3"; a type can mean one service (add a [Property=Value] condition to tell them apart)`, 26},
		{"duplicate in one service", `{terraform: [aws_instance, aws_instance]}`, ok3,
			`service "ec2" lists resource type aws_instance twice`, 25},
		{"blank reason", `{unmapped: "  "}`, ok3, `service "ec2": unmapped needs a reason in words`, 25},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cat, err := model.ParseCatalog(withResources(t, tc.ec2, tc.s3), "r.yaml")
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				if s, _ := cat.Service("ec2"); s.Resources.Count() == 0 {
					t.Fatal("resources were not read")
				}
				return
			}
			ce, ok := err.(*model.CatalogError)
			if !ok || len(ce.Problems) != 1 {
				t.Fatalf("got %v, want one problem", err)
			}
			if p := ce.Problems[0]; p.Msg != tc.want || p.Line != tc.line {
				t.Errorf("got  line %d: %s\nwant line %d: %s", p.Line, p.Msg, tc.line, tc.want)
			}
		})
	}
}

func TestParseResourceEntry(t *testing.T) {
	cases := []struct {
		format, in string
		want       model.ResourceEntry
		words      string
	}{
		{"cloudformation", "AWS::Lambda::Function", model.ResourceEntry{Type: "AWS::Lambda::Function"}, ""},
		{"cloudformation", "AWS::Lambda::Function[PackageType=Image]", model.ResourceEntry{Type: "AWS::Lambda::Function", Path: "PackageType", Value: "Image"}, "PackageType is Image"},
		{"terraform", "aws_batch_compute_environment[compute_resources.type=FARGATE*]", model.ResourceEntry{Type: "aws_batch_compute_environment", Path: "compute_resources.type", Value: "FARGATE", Prefix: true}, "compute_resources.type starts with FARGATE"},
		{"terraform", "aws_eks_cluster[remote_network_config]", model.ResourceEntry{Type: "aws_eks_cluster", Path: "remote_network_config"}, "remote_network_config is set"},
	}
	for _, tc := range cases {
		got, err := model.ParseResourceEntry(tc.format, tc.in)
		if err != nil {
			t.Fatalf("%s: %v", tc.in, err)
		}
		if got != tc.want || got.String() != tc.in || got.Condition() != tc.words {
			t.Errorf("%s: got %+v (%q, %q)", tc.in, got, got.String(), got.Condition())
		}
	}
	for _, bad := range []string{"AWS::Lambda::Function[", "AWS::Lambda::Function[a=b][c=d]", "AWS::Lambda::Function[a b=c]", "aws_x[=y]"} {
		if _, err := model.ParseResourceEntry("cloudformation", bad); err == nil {
			t.Errorf("%q was accepted", bad)
		}
	}
}
