package model

import (
	"errors"
	"regexp"
	"testing"
)

// The regular expressions shapes.go writes out, which were matched before.
var shapeExpressions = []struct {
	name  string
	re    *regexp.Regexp
	shape func(string) bool
}{
	{"config", regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)+$`), isConfigRuleID},
	{"prowler", regexp.MustCompile(`^[a-z0-9]+(_[a-z0-9]+)+$`), isProwlerCheckID},
	{"securityhub", regexp.MustCompile(`^[A-Za-z][A-Za-z0-9]*\.[0-9]+$`), isSecurityHubID},
	{"cloudformation", regexp.MustCompile(`^AWS::[A-Za-z0-9]+::[A-Za-z0-9]+$`), isCfnResourceType},
	{"terraform", regexp.MustCompile(`^aws_[a-z0-9]+(_[a-z0-9]+)*$`), isTfResourceType},
}

var shapeSeeds = []string{
	"", "a", "-", "_", ".", "a-b", "a--b", "-a-b", "a-b-", "ab-c9-d0", "A-b", "a_b", "a__b", "_a_b", "a_b_", "a_b-c",
	"CloudTrail.1", "C.1", "1C.1", "C.", ".1", "C.1.2", "C1x.12", "C-1.1", "c.a",
	"AWS::RDS::DBInstance", "AWS::RDS", "AWS::::X", "AWS::R::", "AWS::R::D::E", "AWS::R:D", "aws::R::D", "AWS::R-S::D", "AWS::R::D\n",
	"aws_db_instance", "aws_", "aws_a", "aws__a", "aws_a_", "aws_A", "aws_a-b", "aws_a\n", "é-a", "a-é",
}

// TestShapesMatchTheirExpressions holds each shape to the regular
// expression it replaced.
func TestShapesMatchTheirExpressions(t *testing.T) {
	for _, s := range shapeSeeds {
		checkShapes(t, s)
	}
}

func checkShapes(t *testing.T, s string) {
	t.Helper()
	for _, e := range shapeExpressions {
		if got, want := e.shape(s), e.re.MatchString(s); got != want {
			t.Errorf("%s %q: %v, the expression says %v", e.name, s, got, want)
		}
	}
	for _, format := range []string{"cloudformation", "terraform"} {
		got, gotErr := ParseResourceEntry(format, s)
		want, wantErr := parseResourceEntryByExpression(format, s)
		if got != want || (gotErr == nil) != (wantErr == nil) {
			t.Errorf("%s entry %q: %+v %v, by the expressions %+v %v", format, s, got, gotErr, want, wantErr)
		}
	}
}

// parseResourceEntryByExpression is ParseResourceEntry as it was, with
// every part matched by its expression.
func parseResourceEntryByExpression(format, s string) (ResourceEntry, error) {
	m := resourceEntry().FindStringSubmatch(s)
	if m == nil {
		return ResourceEntry{}, errBadEntry
	}
	e := ResourceEntry{Type: m[1], Path: m[2], Value: m[3], Prefix: m[4] == "*"}
	re := shapeExpressions[3].re
	if format == "terraform" {
		re = shapeExpressions[4].re
	}
	if !re.MatchString(e.Type) {
		return ResourceEntry{}, errBadEntry
	}
	return e, nil
}

var errBadEntry = errors.New("bad entry") // only whether there is an error is compared

func FuzzShapes(f *testing.F) {
	for _, s := range shapeSeeds {
		f.Add(s)
	}
	for _, s := range []string{"AWS::Lambda::Function[PackageType=Image]", "aws_lambda_function[package_type=Im*]", "AWS::S3::Bucket[A.B]", "x[]", "[a]"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkShapes(t, s) })
}
