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
//   - Terraform plans and states: encoding/json into the few fields of
//     `terraform show -json` Onus reads (format_version, the planned
//     values or values, each module's resources and child modules),
//     refusing a format version outside what HashiCorp's own reader,
//     github.com/hashicorp/terraform-json, accepts (0.1 up to 2.0).
//   - Terraform configuration: a reader of Terraform's native syntax of
//     its own (hcl.go): blocks with their labels and bodies, and each
//     argument's value when its expression is a literal (a string without
//     interpolation, a heredoc, a number, a bool, null, a list or object
//     of those), else its source text, so a literal (package_type =
//     "Image") is told from an expression (var.package_type).
//     TestHCLReaderMatchesHCL and FuzzDiffHCL check it against
//     github.com/hashicorp/hcl/v2's hclsyntax, the parser Terraform uses,
//     which is linked only into that test; constant arithmetic (1 + 1),
//     which hcl folds, is named as an expression here.
//
// terraform-json and hcl (with go-cty) took the stripped binary from
// 9,293,986 to 11,620,514 bytes when they were first used here, and
// their package initialisation (go-cty's function library, hclsyntax's
// tables) ran at every start of onus, whatever the command; the reader
// of its own took the binary from 19,976,354 to 18,174,114 bytes (`go
// build -trimpath -ldflags '-s -w'`, docs/PERFORMANCE.md).
//
// # Hostile input
//
// A file is refused above MaxFileBytes, a scan above MaxTotalBytes or
// MaxFiles, a template whose YAML aliases expand past a million values or
// contain themselves, nesting deeper than MaxNesting, and a .tf file
// whose blocks, brackets and strings nest deeper than 500. A nested
// template is read only by a relative path that stays inside the
// directory of the file naming it. Parsing never panics: each format has
// a fuzz target (FuzzCloudFormation, FuzzTerraformPlan,
// FuzzTerraformConfig, FuzzCDKAssembly) whose seeds are committed under
// testdata/fuzz. Strings in a Result are as the files have them: Text
// sanitises them; any other display must use internal/safetext.
package iac
