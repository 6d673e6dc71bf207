package iac

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/onus-gxp/onus/assets"
	"github.com/onus-gxp/onus/model"
)

func catalog(t testing.TB) *model.Catalog {
	t.Helper()
	cat, err := model.ParseCatalog(assets.Catalog(), assets.CatalogName)
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

func mustScan(t *testing.T, paths ...string) *Result {
	t.Helper()
	r, err := Scan(catalog(t), paths...)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// find returns the resource of a name, failing when there is none.
func find(t *testing.T, r *Result, file, name string) Resource {
	t.Helper()
	for _, res := range r.Resources {
		if res.Name == name && strings.HasSuffix(res.File, file) {
			return res
		}
	}
	t.Fatalf("no resource %s in %s", name, file)
	return Resource{}
}

type want struct {
	file, name, service, why, note string
}

func check(t *testing.T, r *Result, cases []want) {
	t.Helper()
	for _, w := range cases {
		got := find(t, r, w.file, w.name)
		if got.Service != w.service {
			t.Errorf("%s: service %q, want %q (%s)", w.name, got.Service, w.service, got.Why)
		}
		if !strings.Contains(got.Why, w.why) {
			t.Errorf("%s: why %q, want it to say %q", w.name, got.Why, w.why)
		}
		if !strings.Contains(got.Note, w.note) {
			t.Errorf("%s: note %q, want it to say %q", w.name, got.Note, w.note)
		}
	}
}

func counted(list []Unmapped) map[string]int {
	m := map[string]int{}
	for _, u := range list {
		m[u.Type] += u.Count
	}
	return m
}

func paths(r *Result) []string {
	var out []string
	for _, f := range r.Files {
		out = append(out, filepath.ToSlash(f.Path))
	}
	return out
}

func TestSAMTemplate(t *testing.T) {
	r := mustScan(t, "testdata/sam/template.yaml")
	if got := paths(r); !slices.Equal(got, []string{"testdata/sam/template.yaml", "testdata/sam/network.yaml"}) {
		t.Errorf("files read: %v (the local nested application must be followed)", got)
	}
	check(t, r, []want{
		{"template.yaml", "IngestFunction", "lambda", "AWS::Serverless::Function is listed under lambda (AWS Lambda); not lambda-image, since PackageType is not set", ""},
		{"template.yaml", "RenderFunction", "lambda-image", "AWS::Serverless::Function where PackageType is Image is listed under lambda-image", ""},
		{"template.yaml", "RecordsTable", "dynamodb", "AWS::Serverless::SimpleTable is listed under dynamodb", ""},
		{"template.yaml", "ServerlessRestApi", "apigateway", "AWS::Serverless::Api is listed under apigateway", "SAM creates it for the Api event List of IngestFunction"},
		{"template.yaml", "IngestFunctionNightly", "events", "AWS::Events::Rule", "Schedule event Nightly"},
		{"template.yaml", "ArchiveBucket", "s3", "AWS::S3::Bucket is listed under s3", "created only when condition IsProd holds"},
		{"template.yaml", "RecordsKey", "kms", "", ""},
		{"template.yaml", "RenderQueue", "sqs", "", ""},
		{"template.yaml", "IngestErrors", "cloudwatch", "", ""},
		{"template.yaml", "(template)", "cloudformation", "AWS::CloudFormation::Stack", "CloudFormation deploys"},
		{"network.yaml", "Vpc", "vpc", "", ""},
		{"network.yaml", "FlowLogGroup", "logs", "", ""},
		{"network.yaml", "DynamoEndpoint", "vpc", "", ""},
	})
	// Two Api events share the one implicit API.
	apis := 0
	for _, res := range r.Resources {
		if res.Name == "ServerlessRestApi" {
			apis++
		}
	}
	if apis != 1 {
		t.Errorf("%d implicit REST APIs, want 1", apis)
	}
	if u := counted(r.Unmapped); u["AWS::Lambda::Permission"] != 1 || u["Custom::SlackNotifier"] != 1 || len(u) != 2 {
		t.Errorf("unmapped %v, want AWS::Lambda::Permission and Custom::SlackNotifier once each", u)
	}
	if len(r.References) != 1 || r.References[0].Name != "ReportingApp" || !strings.Contains(r.References[0].Why, "Serverless Application Repository") {
		t.Errorf("references %+v, want the repository application, not followed", r.References)
	}
	services := []string{"vpc", "lambda", "lambda-image", "sqs", "events", "apigateway", "kms", "cloudwatch", "logs", "cloudformation"}
	got := r.Services(catalog(t))
	for _, id := range services {
		if !slices.Contains(got, id) {
			t.Errorf("services %v lack %s", got, id)
		}
	}
}

// tiny is a catalog of two services told apart by a condition on one
// resource type.
func tiny(t *testing.T, format, conditional, plain string) *model.Catalog {
	t.Helper()
	src := `schema: 1
version: "t"
name: t
layers: [{id: data, name: Data, owners: {infrastructure: customer, container: customer, abstracted: customer}}]
services:
  - {id: special, name: Special, category: compute, model: abstracted, resources: {` + format + `: ["` + conditional + `"]}}
  - {id: plain, name: Plain, category: compute, model: abstracted, resources: {` + format + `: [` + plain + `]}}
`
	cat, err := model.ParseCatalog([]byte(src), "t.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

// SAM's Globals give a function the properties it does not set itself;
// a catalog condition on one of them reads it there.
func TestSAMGlobalsAnswerConditions(t *testing.T) {
	cat := tiny(t, "cloudformation", "AWS::Serverless::Function[Runtime=python3*]", "AWS::Serverless::Function")
	r, err := Scan(cat, "testdata/sam/template.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"IngestFunction", "RenderFunction"} {
		if got := find(t, r, "template.yaml", name); got.Service != "special" || !strings.Contains(got.Why, "where Runtime starts with python3") {
			t.Errorf("%s: %s (%s), want special from Globals.Function.Runtime", name, got.Service, got.Why)
		}
	}
}

func TestNestedStacks(t *testing.T) {
	r := mustScan(t, "testdata/nested/main.json")
	if got := paths(r); !slices.Equal(got, []string{"testdata/nested/main.json", "testdata/nested/database.yaml"}) {
		t.Errorf("files read: %v", got)
	}
	check(t, r, []want{
		{"main.json", "Database", "cloudformation", "AWS::CloudFormation::Stack is listed under cloudformation", ""},
		{"main.json", "ConverterFunction", "lambda", "PackageType could not be read (Fn::If), so lambda-image was not considered: check it", ""},
		{"main.json", "ConverterRole", "iam", "", ""},
		{"database.yaml", "AuroraCluster", "rds", "AWS::RDS::DBCluster is listed under rds", ""},
		{"database.yaml", "AuroraWriter", "rds", "not rds-custom, since Engine is aurora-postgresql", ""},
		{"database.yaml", "LegacyOracle", "rds-custom", "AWS::RDS::DBInstance where Engine starts with custom- is listed under rds-custom", ""},
		{"database.yaml", "ExportTask", "ecs", "AWS::ECS::TaskDefinition where RequiresCompatibilities is FARGATE is listed under ecs", ""},
		{"database.yaml", "DbSecret", "secretsmanager", "", ""},
	})
	refs := map[string]string{}
	for _, ref := range r.References {
		refs[ref.Name] = ref.Why
	}
	if !strings.Contains(refs["Monitoring"], "S3 or on the web") || !strings.Contains(refs["Escape"], "leaves the directory") || len(refs) != 2 {
		t.Errorf("references %v, want the S3 template and the escaping path, neither followed", refs)
	}
}

func TestCDKAssembly(t *testing.T) {
	r := mustScan(t, "testdata/cdk.out")
	files := []string{
		"testdata/cdk.out/manifest.json",
		"testdata/cdk.out/PipelineStack.template.json",
		"testdata/cdk.out/assembly-Prod/manifest.json",
		"testdata/cdk.out/assembly-Prod/ProdAppStack.template.json",
		"testdata/cdk.out/assembly-Prod/ProdAppStackData5E8A3F21.nested.template.json",
	}
	if got := paths(r); !slices.Equal(got, files) {
		t.Errorf("files read:\n%v\nwant\n%v", got, files)
	}
	check(t, r, []want{
		{"PipelineStack.template.json", "PipelineC660917D", "codepipeline", "", ""},
		{"PipelineStack.template.json", "BuildProject097C5DB7", "codebuild", "", ""},
		{"PipelineStack.template.json", "ArtifactsBucket2AAC5544", "s3", "", ""},
		{"ProdAppStack.template.json", "ServiceD69D759B", "ecs", "AWS::ECS::Service where LaunchType is FARGATE is listed under ecs (Amazon ECS)", ""},
		{"ProdAppStack.template.json", "ServiceLBE9A1ADBC", "elbv2", "", ""},
		{"ProdAppStack.template.json", "DataNestedStackDataNestedStackResourceB6F2DA7C", "cloudformation", "", ""},
		{"nested.template.json", "SamplesTable4B5C2D1E", "dynamodb", "", ""},
		{"nested.template.json", "IndexerFunction8F1A2B3C", "lambda", "", ""},
	})
	if ig := counted(r.Ignored); ig["AWS::CDK::Metadata"] != 1 {
		t.Errorf("ignored %v, want the CDK metadata once", ig)
	}
	if len(r.Unmapped) != 0 || len(r.References) != 0 {
		t.Errorf("unmapped %v, references %v, want none", r.Unmapped, r.References)
	}
	// The manifest named directly reads the same.
	if again := mustScan(t, "testdata/cdk.out/manifest.json"); !slices.Equal(paths(again), files) {
		t.Errorf("manifest.json read %v", paths(again))
	}
}

func TestTerraformPlan(t *testing.T) {
	r := mustScan(t, "testdata/plan/plan.json")
	if r.Files[0].Format != FormatTerraformPlan {
		t.Fatalf("format %s", r.Files[0].Format)
	}
	check(t, r, []want{
		{"plan.json", "aws_s3_bucket.records[0]", "s3", "aws_s3_bucket is listed under s3", ""},
		{"plan.json", "aws_s3_bucket.records[1]", "s3", "", ""},
		{"plan.json", "aws_lambda_function.ingest", "lambda", "not lambda-image, since package_type is Zip", ""},
		{"plan.json", "aws_lambda_function.render", "lambda-image", "aws_lambda_function where package_type is Image", ""},
		{"plan.json", "aws_ecs_service.web", "ecs", "where launch_type is FARGATE", ""},
		{"plan.json", "aws_batch_compute_environment.reports", "batch", "where compute_resources.type starts with FARGATE", ""},
		{"plan.json", "aws_db_instance.lims", "rds-custom", "where engine starts with custom-", ""},
		{"plan.json", "module.network.aws_vpc.this", "vpc", "", ""},
		{"plan.json", `module.network.aws_subnet.private["b"]`, "vpc", "", ""},
		{"plan.json", "module.network.module.endpoints.aws_vpc_endpoint.s3", "vpc", "", ""},
	})
	for _, res := range r.Resources {
		if res.Name == "aws_instance.legacy" {
			t.Error("a resource the plan deletes was reported")
		}
	}
	if u := counted(r.Unmapped); u["aws_lambda_permission"] != 1 || u["random_password"] != 1 || len(u) != 2 {
		t.Errorf("unmapped %v", u)
	}
	for _, u := range r.Unmapped {
		if u.Type == "random_password" && !strings.Contains(u.Why, "not a resource of the Terraform AWS provider") {
			t.Errorf("random_password: %s", u.Why)
		}
	}
	if ig := counted(r.Ignored); ig["aws_iam_policy_document"] != 1 || ig["aws_region"] != 1 {
		t.Errorf("ignored %v, want both data sources", ig)
	}
}

func TestTerraformConfiguration(t *testing.T) {
	r := mustScan(t, "testdata/tf")
	if got := paths(r); !slices.Equal(got, []string{"testdata/tf/hybrid.tf", "testdata/tf/main.tf"}) {
		t.Errorf("files read %v; modules are named, not followed", got)
	}
	check(t, r, []want{
		{"main.tf", "aws_s3_bucket.data", "s3", "", "for_each = local.buckets"},
		{"main.tf", "aws_lambda_function.render", "lambda-image", "where package_type is Image", ""},
		{"main.tf", "aws_lambda_function.tunable", "lambda", "package_type could not be read (var.package_type), so lambda-image was not considered: check it", ""},
		{"main.tf", "aws_ecs_task_definition.plant", "ecs-anywhere", "where requires_compatibilities is EXTERNAL", ""},
		{"main.tf", "aws_batch_compute_environment.reports", "batch", "where compute_resources.type starts with FARGATE", ""},
		{"main.tf", "aws_instance.worker", "ec2", "", "count = var.replicas"},
		{"main.tf", "aws_iam_role.fn", "iam", "", ""},
		{"hybrid.tf", "aws_eks_cluster.plant", "eks", "", ""},
		{"hybrid.tf", "aws_eks_access_entry.plant_nodes", "eks-hybrid-nodes", "where type is HYBRID_LINUX", ""},
		{"hybrid.tf", "aws_subnet.private", "vpc", "", ""},
	})
	ig := counted(r.Ignored)
	if ig["aws_instance"] != 1 || ig["aws_caller_identity"] != 1 || ig["aws_iam_policy_document"] != 1 {
		t.Errorf("ignored %v, want the count = 0 instance and both data sources", ig)
	}
	if u := counted(r.Unmapped); u["random_id"] != 1 || len(u) != 1 {
		t.Errorf("unmapped %v", u)
	}
	var modules []string
	for _, ref := range r.References {
		modules = append(modules, ref.Name+"="+ref.Source)
	}
	if !slices.Equal(modules, []string{"module.network=./modules/network", "module.registry_vpc=terraform-aws-modules/vpc/aws"}) {
		t.Errorf("modules %v", modules)
	}
}

// A dynamic block cannot be read before Terraform runs; a condition on
// it is named as unreadable, not taken as absent.
func TestTerraformDynamicBlock(t *testing.T) {
	src := []byte(`resource "aws_batch_compute_environment" "x" {
  dynamic "compute_resources" {
    for_each = var.envs
    content { type = compute_resources.value }
  }
}`)
	cat := tiny(t, "terraform", "aws_batch_compute_environment[compute_resources.type=FARGATE*]", "aws_batch_compute_environment")
	r, err := scan(fstest.MapFS{"main.tf": {Data: src}}, newMapper(cat), []string{"main.tf"})
	if err != nil {
		t.Fatal(err)
	}
	if got := r.Resources[0]; got.Service != "plain" || !strings.Contains(got.Why, "compute_resources.type could not be read (a dynamic block), so special was not considered") {
		t.Errorf("%+v", got)
	}
}

func TestFilesAreHashed(t *testing.T) {
	r := mustScan(t, "testdata/sam/template.yaml", "testdata/plan/plan.json")
	for _, f := range r.Files {
		data, err := os.ReadFile(f.Path)
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(data)
		if f.SHA256 != hex.EncodeToString(sum[:]) || f.Bytes != len(data) {
			t.Errorf("%s: sha256 %s, %d bytes", f.Path, f.SHA256, f.Bytes)
		}
		if !strings.Contains(r.Reason(), f.Path+" (sha256 "+f.SHA256+")") {
			t.Errorf("reason %q does not name %s with its hash", r.Reason(), f.Path)
		}
	}
}

func TestText(t *testing.T) {
	cat := catalog(t)
	src := "Resources:\n  \"Evil\\e]0;pwned\\a\":\n    Type: AWS::S3::Bucket\n  Perm:\n    Type: AWS::Lambda::Permission\n"
	r, err := scan(fstest.MapFS{"t.yaml": {Data: []byte(src)}}, newMapper(cat), []string{"t.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	text := r.Text(cat)
	if strings.ContainsAny(text, "\x1b\x07") {
		t.Errorf("control characters reached the text:\n%q", text)
	}
	for _, wantLine := range []string{
		"Read 1 file:",
		"  s3 (Amazon S3)",
		"because AWS::S3::Bucket is listed under s3 (Amazon S3)",
		"AWS::Lambda::Permission ×1: no catalog service lists AWS::Lambda::Permission (first: t.yaml: Perm)",
	} {
		if !strings.Contains(text, wantLine) {
			t.Errorf("text lacks %q:\n%s", wantLine, text)
		}
	}
}

func TestRefusals(t *testing.T) {
	cat := catalog(t)
	bomb := "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
	for i := 'b'; i <= 'j'; i++ {
		bomb += string(i) + ": &" + string(i) + " [*" + string(i-1) + ", *" + string(i-1) + ", *" + string(i-1) + ", *" + string(i-1) + ", *" + string(i-1) + ", *" + string(i-1) + ", *" + string(i-1) + ", *" + string(i-1) + ", *" + string(i-1) + ", *" + string(i-1) + "]\n"
	}
	cases := []struct {
		name string
		fs   fstest.MapFS
		path string
		want string
	}{
		{"yaml syntax", fstest.MapFS{"t.yaml": {Data: []byte("Resources:\n  A:\n    Type: [unclosed\n")}}, "t.yaml", "t.yaml: line "},
		{"json syntax", fstest.MapFS{"t.json": {Data: []byte("{\n \"Resources\": {\n  \"A\": {\"Type\": \"AWS::S3::Bucket\",}\n }\n}\n")}}, "t.json", "t.json: line 3: "},
		{"hcl syntax", fstest.MapFS{"m.tf": {Data: []byte("resource \"aws_s3_bucket\" \"x\" {\n  bucket = \n}\n")}}, "m.tf", "m.tf: line 2: Invalid expression"},
		{"no resources", fstest.MapFS{"t.yaml": {Data: []byte("Description: nothing\n")}}, "t.yaml", "no Resources section"},
		{"unknown json", fstest.MapFS{"x.json": {Data: []byte(`{"hello": 1}`)}}, "x.json", "not a CloudFormation template (no Resources), a CDK manifest"},
		{"empty", fstest.MapFS{"t.yaml": {Data: nil}}, "t.yaml", "the file is empty"},
		{"missing", fstest.MapFS{}, "t.yaml", "t.yaml: "},
		{"empty directory", fstest.MapFS{"d/readme.md": {Data: []byte("x")}}, "d", "neither a CDK cloud assembly"},
		{"tf json", fstest.MapFS{"main.tf.json": {Data: []byte(`{"resource": {}}`)}}, "main.tf.json", "JSON configuration syntax is not read"},
		{"alias bomb", fstest.MapFS{"t.yaml": {Data: []byte(bomb + "Resources: {}\n")}}, "t.yaml", "refused: the template expands to more than"},
		{"too large", fstest.MapFS{"t.yaml": {Data: make([]byte, MaxFileBytes+1)}}, "t.yaml", "refused: larger than"},
		{"bad plan", fstest.MapFS{"p.json": {Data: []byte(`{"format_version": "9.0", "planned_values": {}}`)}}, "p.json", "not a Terraform plan"},
	}
	many := fstest.MapFS{}
	var parent strings.Builder
	parent.WriteString("Resources:\n")
	for i := range MaxFiles {
		fmt.Fprintf(&parent, "  S%d: {Type: AWS::CloudFormation::Stack, Properties: {TemplateURL: n%d.yaml}}\n", i, i)
		many[fmt.Sprintf("n%d.yaml", i)] = &fstest.MapFile{Data: []byte("Resources: {B: {Type: AWS::S3::Bucket}}\n")}
	}
	many["parent.yaml"] = &fstest.MapFile{Data: []byte(parent.String())}
	cases = append(cases, struct {
		name string
		fs   fstest.MapFS
		path string
		want string
	}{"too many files", many, "parent.yaml", fmt.Sprintf("refused: a scan reads at most %d files", MaxFiles)})
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := scan(tc.fs, newMapper(cat), []string{tc.path})
			var e *Error
			if !errors.As(err, &e) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an *Error saying %q", err, tc.want)
			}
		})
	}
}

// A template that names itself as its own nested stack is read once.
func TestNestedCycle(t *testing.T) {
	src := "Resources:\n  Self:\n    Type: AWS::CloudFormation::Stack\n    Properties: {TemplateURL: t.yaml}\n"
	r, err := scan(fstest.MapFS{"t.yaml": {Data: []byte(src)}}, newMapper(catalog(t)), []string{"t.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Files) != 1 {
		t.Errorf("read %d files", len(r.Files))
	}
}
