package iac

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// The .tf reader (hcl.go) is checked against github.com/hashicorp/hcl/v2,
// the parser Terraform uses, which Onus links only into this test: on the
// fixtures, the fuzz seeds, the cases below and (FuzzDiffHCL) any input,
// a file hcl reads without error must read, with the same blocks and the
// same value for every argument whose expression is a literal. What hcl
// reads and this reader refuses fails the test; the reverse is allowed (a
// file Terraform would refuse need not be refused here). Expressions with
// operators are skipped: hcl folds constant arithmetic (1 + 1, 0 - 0, a
// condition on a literal); this reader names such an expression instead,
// as it names every other expression.

// hclValues lists a body as hcl reads it: each argument's literal value
// (or EXPR), each block with its labels, in order.
func hclValues(body *hclsyntax.Body, src []byte) string {
	var b strings.Builder
	var walk func(body *hclsyntax.Body, ind string)
	walk = func(body *hclsyntax.Body, ind string) {
		names := []string{}
		for n := range body.Attributes {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			e := body.Attributes[n].Expr
			v, diags := e.Value(nil)
			if diags.HasErrors() || !v.IsWhollyKnown() {
				fmt.Fprintf(&b, "%s%s = EXPR\n", ind, n)
				continue
			}
			vals, _, ok := ctyStrings(v)
			fmt.Fprintf(&b, "%s%s = %q %v\n", ind, n, vals, ok)
		}
		for _, blk := range body.Blocks {
			fmt.Fprintf(&b, "%s%s %q {\n", ind, blk.Type, blk.Labels)
			walk(blk.Body, ind+"  ")
		}
	}
	walk(body, "")
	return b.String()
}

func ctyStrings(v cty.Value) ([]string, string, bool) {
	if v.IsNull() {
		return nil, "", false
	}
	var out []string
	var add func(cty.Value)
	add = func(v cty.Value) {
		switch {
		case v.IsNull():
		case v.Type() == cty.String:
			out = append(out, v.AsString())
		case v.Type() == cty.Number:
			out = append(out, v.AsBigFloat().Text('f', -1))
		case v.Type() == cty.Bool:
			out = append(out, fmt.Sprint(v.True()))
		case v.CanIterateElements():
			for it := v.ElementIterator(); it.Next(); {
				_, el := it.Element()
				add(el)
			}
		}
	}
	add(v)
	return out, "", true
}

// readValues lists a body as this package reads it, in the same form.
func readValues(body *tfBody) string {
	var b strings.Builder
	var walk func(body *tfBody, ind string)
	walk = func(body *tfBody, ind string) {
		names := []string{}
		for n := range body.attrs {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			a := body.attrs[n]
			if !a.literal {
				fmt.Fprintf(&b, "%s%s = EXPR\n", ind, n)
				continue
			}
			vals, _, ok := valuePath(a.val, nil)
			fmt.Fprintf(&b, "%s%s = %q %v\n", ind, n, vals, ok)
		}
		for _, blk := range body.blocks {
			fmt.Fprintf(&b, "%s%s %q {\n", ind, blk.typ, blk.labels)
			walk(blk.body, ind+"  ")
		}
	}
	walk(body, "")
	return b.String()
}

// compare reads src with both and fails on a difference that matters.
func compare(t *testing.T, src []byte) {
	file, diags := hclsyntax.ParseConfig(src, "x.tf", hcl.InitialPos)
	nb, err := parseHCL(src)
	if diags.HasErrors() {
		if err == nil {
			t.Logf("hcl refuses (%v), this reader does not: %q", diags, src)
		}
		return
	}
	if err != nil {
		t.Errorf("this reader refuses (%v) what hcl reads: %q", err, src)
		return
	}
	o, n := hclValues(file.Body.(*hclsyntax.Body), src), readValues(nb)
	if o != n && !strings.ContainsAny(string(src), "+-*/%?<>!&|") {
		t.Errorf("the readers differ on %q\nhcl:\n%s\nthis one:\n%s", src, o, n)
	}
}

func TestHCLReaderMatchesHCL(t *testing.T) {
	var files []string
	filepath.Walk("testdata", func(p string, info os.FileInfo, err error) error {
		if strings.HasSuffix(p, ".tf") || strings.Contains(p, "FuzzTerraformConfig") && !info.IsDir() {
			files = append(files, p)
		}
		return nil
	})
	for _, f := range files {
		data, _ := os.ReadFile(f)
		if strings.Contains(f, "fuzz") {
			s := string(data)
			i := strings.Index(s, "[]byte(")
			if i < 0 {
				continue
			}
			var q string
			fmt.Sscanf(s[i+7:], "%q", &q)
			data = []byte(q)
		}
		compare(t, data)
	}
	for _, s := range []string{
		"a = 1\n", "a = -1.5e3\n", "a = \"x\\ty\\u00e9\"\n", "a = \"$${x}\"\n", "a = \"${x}\"\n",
		"a = [1, \"b\", true, null]\n", "a = [\n 1,\n 2,\n]\n", "a = {x = 1, \"y\" = [2]}\n", "a = {\n x = 1\n y: 2\n}\n",
		"a = <<EOF\nhello\n  world\nEOF\n", "a = <<-EOF\n    hello\n      world\n    EOF\n", "a = 1 + 1\n", "a = true ? 1 : 2\n",
		"a = [for x in y : x]\n", "a = {for k, v in y : k => v}\n", "a = x.y[0]\n", "b \"l\" { c = 1 }\n", "b l m { c = {} }\n",
		"a = 1 # c\n", "a = 1 // c\n", "a = /* c */ 1\n", "a = [1, /* c */ 2]\n", "a = {}\n", "a = []\n", "a = null\n",
		"a = \"x\" # c\nb = 2\n", "r \"a\" \"b\" {\n dynamic \"x\" {\n for_each = []\n content {}\n }\n}\n", "a = 007\n", "a = 1.0\n",
		"a = { (k) = 1 }\n", "a = {a = 1, a = 2}\n", "a = [[1], [2, [3]]]\n", "a = -x\n", "a = \"%{if x}y%{endif}\"\n", "a = \"%%{x}\"\n",
		"a = <<EOF\n${x}\nEOF\n", "a = {\"k\" = 1, k2 = \"v\"}\n", "a = {1 = 2}\n", "a = {true = 2}\n", "a = 1\n\n\n", "a=1", "a = [1 , 2 ]\n",
	} {
		compare(t, []byte(s))
	}
}

// FuzzDiffHCL compares the readers on any valid UTF-8 input.
func FuzzDiffHCL(f *testing.F) {
	for _, s := range []string{"a = 1\n", "r \"a\" \"b\" {\n x = [1, {y = \"z\"}]\n}\n"} {
		f.Add([]byte(s))
	}
	data, _ := os.ReadFile("testdata/tf/main.tf")
	f.Add(data)
	f.Fuzz(func(t *testing.T, src []byte) {
		if slices.Contains(src, 0) || !utf8.Valid(src) {
			return
		}
		compare(t, src)
	})
}

// Nesting past maxHCLDepth is refused with a line, not a crash of the
// stack; and a deep expression is read once, not once per level.
func TestHCLNestingBounded(t *testing.T) {
	deep := "a = " + strings.Repeat("[", maxHCLDepth+1) + strings.Repeat("]", maxHCLDepth+1) + "\n"
	if _, err := parseHCL([]byte(deep)); err == nil || !strings.Contains(err.Error(), "Nesting too deep") {
		t.Errorf("nesting %d deep: %v", maxHCLDepth+1, err)
	}
	n := maxHCLDepth - 10
	ok := "a = " + strings.Repeat("(", n) + "1" + strings.Repeat(") + 1", n) + "\nb = " + strings.Repeat("[1, ", n) + strings.Repeat("]", n) + "\n"
	body, err := parseHCL([]byte(ok))
	if err != nil {
		t.Fatal(err)
	}
	if a, b := body.attrs["a"], body.attrs["b"]; a.literal || !b.literal {
		t.Errorf("a literal %v (an expression), b literal %v (a list)", a.literal, b.literal)
	}
}
