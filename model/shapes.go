package model

import "strings"

// The shapes of identifiers validation enforces, written out rather than
// matched with regular expressions, which cost most of a large catalog's
// validation. Each says the regular expression it is;
// TestShapesMatchTheirExpressions holds them to it.

// isConfigRuleID: ^[a-z0-9]+(-[a-z0-9]+)+$ (cloudtrail-enabled).
func isConfigRuleID(s string) bool { return words(s, '-', isLowerDigit) >= 2 }

// isProwlerCheckID: ^[a-z0-9]+(_[a-z0-9]+)+$ (cloudtrail_multi_region_enabled).
func isProwlerCheckID(s string) bool { return words(s, '_', isLowerDigit) >= 2 }

// isSecurityHubID: ^[A-Za-z][A-Za-z0-9]*\.[0-9]+$ (CloudTrail.1).
func isSecurityHubID(s string) bool {
	name, num, ok := strings.Cut(s, ".")
	return ok && name != "" && isLetter(name[0]) && all(name, isAlnum) && num != "" && all(num, isDigit)
}

// isCfnResourceType: ^AWS::[A-Za-z0-9]+::[A-Za-z0-9]+$ (AWS::RDS::DBInstance).
func isCfnResourceType(s string) bool {
	rest, ok := strings.CutPrefix(s, "AWS::")
	if !ok {
		return false
	}
	service, kind, ok := strings.Cut(rest, "::")
	return ok && service != "" && kind != "" && all(service, isAlnum) && all(kind, isAlnum)
}

// isTfResourceType: ^aws_[a-z0-9]+(_[a-z0-9]+)*$ (aws_db_instance).
func isTfResourceType(s string) bool {
	rest, ok := strings.CutPrefix(s, "aws_")
	return ok && words(rest, '_', isLowerDigit) >= 1
}

// words counts the words of s separated by sep, each made of bytes in
// class; 0 when a word is empty or holds another byte.
func words(s string, sep byte, class func(byte) bool) int {
	n := 1
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == sep && i > 0 && i < len(s)-1 && s[i-1] != sep:
			n++
		case !class(s[i]):
			return 0
		}
	}
	if s == "" {
		return 0
	}
	return n
}

func all(s string, class func(byte) bool) bool {
	for i := 0; i < len(s); i++ {
		if !class(s[i]) {
			return false
		}
	}
	return true
}

func isDigit(c byte) bool      { return '0' <= c && c <= '9' }
func isLetter(c byte) bool     { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func isAlnum(c byte) bool      { return isLetter(c) || isDigit(c) }
func isLowerDigit(c byte) bool { return 'a' <= c && c <= 'z' || isDigit(c) }
