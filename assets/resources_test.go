package assets_test

import (
	"slices"
	"testing"

	"github.com/onus-gxp/onus/assets"
	"github.com/onus-gxp/onus/model"
)

// Every service of the default catalog says which resource types mean it
// is used. Those that no template can show (used only through their API,
// ordered rather than declared) are exactly these, each with its reason;
// adding to the list is a decision, not an oversight.
func TestEveryServiceIsMappedToResourceTypes(t *testing.T) {
	cat, err := model.ParseCatalog(assets.Catalog(), assets.CatalogName)
	if err != nil {
		t.Fatal(err)
	}
	var none []string
	for _, s := range cat.UnmappedServices() {
		none = append(none, s.ID)
		if s.Resources.Unmapped == "" {
			t.Errorf("%s names no resource type and does not say why", s.ID)
		}
	}
	want := []string{"mgn", "drs", "snowball", "eks-anywhere", "health", "textract", "comprehendmedical"}
	if !slices.Equal(none, want) {
		t.Errorf("services without a resource type: %v, want %v", none, want)
	}
	for _, s := range cat.Services {
		for _, f := range []struct {
			name string
			list []string
		}{{"cloudformation", s.Resources.CloudFormation}, {"terraform", s.Resources.Terraform}} {
			if len(f.list) == 0 && s.Resources.Count() > 0 && s.Resources.Unmapped == "" {
				t.Errorf("%s has no %s resource type and does not say why", s.ID, f.name)
			}
		}
	}
}

// The split services are told apart by the properties their formats use:
// a function's package type, a task's launch type, a database engine.
func TestSplitServicesHaveConditions(t *testing.T) {
	cat, err := model.ParseCatalog(assets.Catalog(), assets.CatalogName)
	if err != nil {
		t.Fatal(err)
	}
	for id, want := range map[string][]string{
		"lambda-image": {"AWS::Lambda::Function[PackageType=Image]", "AWS::Serverless::Function[PackageType=Image]", "aws_lambda_function[package_type=Image]"},
		"lambda":       {"AWS::Lambda::Function", "AWS::Serverless::Function", "aws_lambda_function"},
		"ecs":          {"AWS::ECS::Service[LaunchType=FARGATE]", "AWS::ECS::TaskDefinition[RequiresCompatibilities=FARGATE]", "aws_ecs_service[launch_type=FARGATE]"},
		"ecs-anywhere": {"AWS::ECS::Service[LaunchType=EXTERNAL]", "aws_ecs_task_definition[requires_compatibilities=EXTERNAL]"},
		"rds-custom":   {"AWS::RDS::DBInstance[Engine=custom-*]", "aws_db_instance[engine=custom-*]"},
	} {
		s, ok := cat.Service(id)
		if !ok {
			t.Fatalf("no service %s", id)
		}
		all := append(slices.Clone(s.Resources.CloudFormation), s.Resources.Terraform...)
		for _, w := range want {
			if !slices.Contains(all, w) {
				t.Errorf("%s does not list %s", id, w)
			}
		}
	}
}
