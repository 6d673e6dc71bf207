// Package iac finds the AWS services a solution uses in its
// infrastructure as code, so that an assessment's selection of services
// starts from what is built rather than from memory.
//
// Scan reads CloudFormation templates (YAML with the short-form tags
// !Ref, !Sub, !GetAtt, !If, !Join, !Select, !FindInMap, !Condition, ...,
// and JSON), SAM templates (the AWS::Serverless-2016-10-31 transform's
// resource types, its Globals, and the APIs and EventBridge rules SAM
// creates for a function's events without the template declaring them),
// CDK synth output (cdk.out: manifest.json, each stack's template, the
// nested stacks the templates name by their asset paths, and the
// assemblies of CDK stages), Terraform plans and states as
// `terraform show -json` writes them (every child module's resources
// included) and Terraform configuration (the resource blocks of .tf files;
// modules are named, not followed).
//
// Every resource is mapped to a catalog service by the resource types the
// catalog lists for each service (model.ResourceTypes), and the result
// says why: the entry that matched, and for a type that means one service
// or another by its configuration (a Lambda function packaged as a .zip
// or as a container image, an ECS task on Fargate, on EC2 or on your own
// servers) which property decided, or that it could not be read because
// it is not a literal. Resource types that mean no service are counted
// with their reason, never dropped; data sources and the CDK's metadata
// are counted as ignored; nested templates in S3, repository
// applications and Terraform modules are listed as not followed. Every
// file read is recorded with its SHA-256, for the audit trail.
//
// # Parsers, and why
//
//   - CloudFormation and SAM YAML: go.yaml.in/yaml/v3, already Onus's
//     YAML parser, read into nodes and walked with the short-form tags
//     turned into their long forms, so YAML and JSON templates take one
//     path. github.com/awslabs/goformation/v7 was measured and refused:
//     used for real (parsing, then asking each resource its type) it took
//     the stripped onus binary from 11,620,514 to 28,459,170 bytes, for
//     typed structs of 1,255 resource types of which Onus reads a
//     handful of properties; it also resolves intrinsics and drops what
//     it does not model, where Onus must say what it could not read.
//   - CloudFormation JSON and the CDK manifest: encoding/json.
//   - Terraform plans and states: github.com/hashicorp/terraform-json,
//     HashiCorp's own definition of the format, which also refuses a
//     format version it does not know.
//   - Terraform configuration: github.com/hashicorp/hcl/v2's hclsyntax,
//     the parser Terraform itself uses, so every valid .tf file parses and
//     a literal (package_type = "Image") is told from an expression
//     (var.package_type) exactly as Terraform would.
//
// Together terraform-json and hcl took the stripped binary from 9,293,986
// to 11,620,514 bytes (measured with this package linked into cmd/onus and
// called; `go build -trimpath -ldflags '-s -w'`).
//
// # Hostile input
//
// A file is refused above MaxFileBytes, a scan above MaxTotalBytes or
// MaxFiles, a template whose YAML aliases expand past a million values or
// contain themselves, and nesting deeper than MaxNesting. A nested
// template is read only by a relative path that stays inside the
// directory of the file naming it. Parsing never panics: each format has
// a fuzz target (FuzzCloudFormation, FuzzTerraformPlan,
// FuzzTerraformConfig, FuzzCDKAssembly) whose seeds are committed under
// testdata/fuzz. Strings in a Result are as the files have them: Text
// sanitises them; any other display must use internal/safetext.
package iac
