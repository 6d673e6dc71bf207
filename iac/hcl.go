package iac

import (
	"bytes"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// A reader of Terraform's native syntax (HCL) that is just large enough
// for what Onus takes from a .tf file: its blocks (type, labels, nested
// bodies) and the value of each argument whose expression is a literal:
// a string without interpolation, a heredoc, a number, a bool, null, or a
// list or object of those. Any other expression (a reference, a function
// call, an operator, a template with ${...} or %{...}, a for expression)
// is kept as its source text, which is how Onus names what it could not
// read; Terraform itself works that out only with the variables and
// providers at hand. It replaced github.com/hashicorp/hcl/v2 and
// github.com/zclconf/go-cty, whose package initialisation every start
// of onus paid for (see docs/PERFORMANCE.md).

// tfBody is a block's body, or a file's: its arguments by name and its
// nested blocks in order.
type tfBody struct {
	attrs  map[string]*tfAttr
	blocks []*tfBlock
}

// tfBlock is one block: resource "aws_s3_bucket" "data" { ... }.
type tfBlock struct {
	typ    string
	labels []string
	body   *tfBody
}

// tfAttr is one argument: its expression's source text and, when the
// expression is a literal, its value.
type tfAttr struct {
	text    string
	literal bool
	val     tfValue
	start   int // offset in the file
}

type tfKind uint8

const (
	tfNull tfKind = iota
	tfString
	tfNumber
	tfBool
	tfList   // a tuple: [a, b]
	tfObject // an object: {a = 1, "b" = 2}
)

// tfValue is a literal value.
type tfValue struct {
	kind  tfKind
	str   string     // a string; "true" or "false"
	num   *big.Float // a number
	items []tfValue  // a list's elements; an object's values, in keys' order
	keys  []string   // an object's keys, sorted
}

// get is an object's value for key.
func (v tfValue) get(key string) (tfValue, bool) {
	if v.kind != tfObject {
		return tfValue{}, false
	}
	if i, ok := slices.BinarySearch(v.keys, key); ok {
		return v.items[i], true
	}
	return tfValue{}, false
}

// hclError is a syntax error at a line.
type hclError struct {
	line int
	msg  string
}

func (e *hclError) Error() string { return e.msg }

// hclParser reads one file.
type hclParser struct {
	src   []byte
	pos   int
	depth int // blocks, brackets and strings open, against maxHCLDepth
}

// maxHCLDepth bounds nesting, so a hostile file cannot exhaust the stack.
const maxHCLDepth = 500

// nest enters one more level of nesting at offset at; the returned
// function leaves it.
func (p *hclParser) nest(at int) func() {
	if p.depth++; p.depth > maxHCLDepth {
		p.fail(at, "Nesting too deep: blocks, brackets and strings are nested more than %d deep", maxHCLDepth)
	}
	return func() { p.depth-- }
}

// lineOf is the line holding offset at, from 1.
func (p *hclParser) lineOf(at int) int { return 1 + bytes.Count(p.src[:at], []byte("\n")) }

// parseHCL reads a file's body.
func parseHCL(src []byte) (body *tfBody, err error) {
	p := &hclParser{src: src}
	defer func() {
		if r := recover(); r != nil {
			e, ok := r.(*hclError)
			if !ok {
				panic(r)
			}
			body, err = nil, e
		}
	}()
	return p.body(-1), nil
}

// fail stops the parse with a message about the line holding offset at.
func (p *hclParser) fail(at int, format string, a ...any) {
	panic(&hclError{line: p.lineOf(min(max(at, 0), len(p.src))), msg: fmt.Sprintf(format, a...)})
}

func (p *hclParser) eof() bool { return p.pos >= len(p.src) }

func (p *hclParser) peek() byte {
	if p.eof() {
		return 0
	}
	return p.src[p.pos]
}

func (p *hclParser) at(s string) bool { return bytes.HasPrefix(p.src[p.pos:], []byte(s)) }

// space skips blanks and comments, and newlines too when newlines is set.
// A line comment's newline is left to end the line.
func (p *hclParser) space(newlines bool) {
	for !p.eof() {
		switch c := p.src[p.pos]; {
		case c == ' ' || c == '\t' || c == '\r':
			p.pos++
		case c == '\n' && newlines:
			p.pos++
		case c == '#' || p.at("//"):
			for !p.eof() && p.src[p.pos] != '\n' {
				p.pos++
			}
		case p.at("/*"):
			start := p.pos
			end := bytes.Index(p.src[p.pos+2:], []byte("*/"))
			if end < 0 {
				p.fail(start, "Unterminated block comment: there is no closing marker for this comment")
			}
			p.pos += 2 + end + 2
		default:
			return
		}
	}
}

// ident reads an identifier (letters, digits, _ and -, not starting with
// a digit or -), or returns "".
func (p *hclParser) ident() string {
	start := p.pos
	for !p.eof() {
		r, n := utf8.DecodeRune(p.src[p.pos:])
		if !(unicode.IsLetter(r) || r == '_' || (p.pos > start && (unicode.IsDigit(r) || r == '-'))) {
			break
		}
		p.pos += n
	}
	return string(p.src[start:p.pos])
}

// body reads arguments and blocks up to the closing brace of the block
// opened at offset open, or to the end of the file when open is -1.
func (p *hclParser) body(open int) *tfBody {
	defer p.nest(open)()
	b := &tfBody{attrs: map[string]*tfAttr{}}
	for {
		p.space(true)
		if p.eof() {
			if open >= 0 {
				p.fail(open, "Unclosed configuration block: there is no closing brace for this block before the end of the file; this may be caused by incorrect brace nesting elsewhere in this file")
			}
			return b
		}
		if p.peek() == '}' {
			if open < 0 {
				p.fail(p.pos, "Argument or block definition required: an argument or block definition is required here")
			}
			p.pos++
			return b
		}
		start := p.pos
		name := p.ident()
		if name == "" {
			p.fail(p.pos, "Argument or block definition required: an argument or block definition is required here")
		}
		p.space(false)
		if p.peek() == '=' && !p.at("==") {
			p.pos++
			if prev, ok := b.attrs[name]; ok {
				p.fail(start, "Attribute redefined: the argument %q was already set at line %d; each argument may be set only once", name, p.lineOf(prev.start))
			}
			a := p.attr(open >= 0)
			a.start = start
			b.attrs[name] = a
			continue
		}
		blk := &tfBlock{typ: name}
		for {
			p.space(false)
			switch c := p.peek(); {
			case c == '"':
				at := p.pos
				s, literal := p.quoted()
				if !literal {
					p.fail(at, "Invalid block label: a block label must be a string without interpolation")
				}
				blk.labels = append(blk.labels, s.str)
				continue
			case c == '{':
				brace := p.pos
				p.pos++
				blk.body = p.body(brace)
			default:
				if label := p.ident(); label != "" {
					blk.labels = append(blk.labels, label)
					continue
				}
				p.fail(p.pos, "Invalid block definition: either a quoted string block label or an opening brace (\"{\") is expected here")
			}
			break
		}
		b.blocks = append(b.blocks, blk)
	}
}

// attr reads an argument's expression, which ends at the end of its line
// (or at the closing brace of a one-line block).
func (p *hclParser) attr(inBlock bool) *tfAttr {
	p.space(false)
	start := p.pos
	stop := "\n"
	if inBlock {
		stop = "\n}"
	}
	val, literal := p.expr(stop, true)
	text := string(p.src[start:p.pos])
	p.space(false)
	if !p.eof() && !strings.ContainsRune(stop, rune(p.peek())) {
		p.fail(p.pos, "Missing newline after argument: an argument definition must end with a newline")
	}
	return &tfAttr{text: text, literal: literal, val: val}
}

// expr reads one expression. It stops before any byte of stop found
// outside brackets and strings; a newline not in stop is a blank where
// blankLines is set (inside brackets), else it ends the expression too.
// It returns the value when the expression is a literal, and leaves the
// position after the expression's last byte (before any comment).
func (p *hclParser) expr(stop string, blankLines bool) (tfValue, bool) {
	start := p.pos
	val, literal, ok := p.literal()
	if !ok {
		p.raw(start, start, stop, blankLines)
		return tfValue{}, false
	}
	// A literal followed by more (an operator, an index, a conditional)
	// is an expression after all.
	end := p.pos
	p.space(blankLines && !strings.Contains(stop, "\n"))
	if p.eof() || strings.IndexByte(stop, p.peek()) >= 0 || p.peek() == '\n' && !blankLines {
		p.pos = end
		return val, literal
	}
	p.raw(start, end, stop, blankLines) // the literal read is balanced: go on after it
	return tfValue{}, false
}

// literal reads a literal value if one starts here: ok is false (and
// nothing is read) when none does; literal is false when what was read
// holds an expression (a template, a list with a reference in it).
func (p *hclParser) literal() (val tfValue, literal, ok bool) {
	start := p.pos
	switch c := p.peek(); {
	case c == '"':
		v, lit := p.quoted()
		return v, lit, true
	case p.at("<<"):
		v, lit := p.heredoc()
		return v, lit, true
	case c >= '0' && c <= '9':
		return p.number(), true, true
	case c == '-':
		p.pos++
		p.space(false)
		if d := p.peek(); d >= '0' && d <= '9' {
			v := p.number()
			v.num.Neg(v.num)
			return v, true, true
		}
		p.pos = start
		return tfValue{}, false, false
	case c == '[':
		return p.list()
	case c == '(':
		done := p.nest(start)
		p.pos++
		p.space(true)
		v, lit := p.expr(")", true)
		p.space(true)
		done()
		if p.peek() != ')' {
			p.fail(start, "Unbalanced parentheses: expected a closing parenthesis")
		}
		p.pos++
		return v, lit, true
	case c == '{':
		return p.object()
	}
	switch word := p.ident(); word {
	case "true", "false":
		if !p.continues() {
			return tfValue{kind: tfBool, str: word}, true, true
		}
	case "null":
		if !p.continues() {
			return tfValue{kind: tfNull}, true, true
		}
	}
	p.pos = start
	return tfValue{}, false, false
}

// continues reports whether the word just read goes on (var.x, f(x)).
func (p *hclParser) continues() bool {
	c := p.peek()
	return c == '.' || c == '(' || c == '['
}

func (p *hclParser) number() tfValue {
	start := p.pos
	digits := func() {
		for !p.eof() && p.peek() >= '0' && p.peek() <= '9' {
			p.pos++
		}
	}
	digits()
	if p.peek() == '.' && p.pos+1 < len(p.src) && p.src[p.pos+1] >= '0' && p.src[p.pos+1] <= '9' {
		p.pos++
		digits()
	}
	if c := p.peek(); c == 'e' || c == 'E' {
		save := p.pos
		p.pos++
		if c := p.peek(); c == '+' || c == '-' {
			p.pos++
		}
		if d := p.peek(); d >= '0' && d <= '9' {
			digits()
		} else {
			p.pos = save
		}
	}
	f, _, err := big.ParseFloat(string(p.src[start:p.pos]), 10, 512, big.ToNearestEven)
	if err != nil {
		p.fail(start, "Invalid number: %v", err)
	}
	return tfValue{kind: tfNumber, num: f}
}

// quoted reads a quoted string. A string with interpolation or a
// directive (${...}, %{...}) is a template: read, but not a literal.
func (p *hclParser) quoted() (tfValue, bool) {
	start := p.pos
	defer p.nest(start)()
	p.pos++ // "
	var b strings.Builder
	literal := true
	for {
		if p.eof() || p.peek() == '\n' {
			p.fail(start, "Unterminated template string: no closing marker was found for the string")
		}
		c := p.peek()
		switch {
		case c == '"':
			p.pos++
			if !literal {
				return tfValue{}, false
			}
			return tfValue{kind: tfString, str: b.String()}, true
		case c == '\\':
			b.WriteString(p.escape())
		case p.at("$${") || p.at("%%{"):
			b.WriteString(string(p.src[p.pos+1 : p.pos+3]))
			p.pos += 3
		case p.at("${") || p.at("%{"):
			literal = false
			p.interpolation()
		default:
			_, n := utf8.DecodeRune(p.src[p.pos:])
			b.Write(p.src[p.pos : p.pos+n])
			p.pos += n
		}
	}
}

// escape reads one backslash escape of a quoted string.
func (p *hclParser) escape() string {
	start := p.pos
	p.pos++
	c := p.peek()
	p.pos++
	switch c {
	case 'n':
		return "\n"
	case 'r':
		return "\r"
	case 't':
		return "\t"
	case '"':
		return `"`
	case '\\':
		return `\`
	case 'u', 'U':
		n := 4
		if c == 'U' {
			n = 8
		}
		if p.pos+n <= len(p.src) {
			var r rune
			valid := true
			for _, h := range p.src[p.pos : p.pos+n] {
				switch {
				case h >= '0' && h <= '9':
					r = r<<4 | rune(h-'0')
				case h >= 'a' && h <= 'f':
					r = r<<4 | rune(h-'a'+10)
				case h >= 'A' && h <= 'F':
					r = r<<4 | rune(h-'A'+10)
				default:
					valid = false
				}
			}
			if valid && utf8.ValidRune(r) {
				p.pos += n
				return string(r)
			}
		}
	}
	p.fail(start, "Invalid escape sequence: the symbol %q is not a valid escape sequence selector", c)
	return ""
}

// interpolation skips a ${...} or %{...} sequence, with the strings and
// braces inside it.
func (p *hclParser) interpolation() {
	start := p.pos
	p.pos += 2
	depth := 1
	for depth > 0 {
		if p.eof() {
			p.fail(start, "Unclosed template interpolation: there is no closing brace for this interpolation")
		}
		switch c := p.peek(); {
		case c == '"':
			p.quoted()
			continue
		case c == '{':
			depth++
		case c == '}':
			depth--
		}
		p.pos++
	}
}

// heredoc reads <<MARKER or <<-MARKER up to the line holding only the
// marker. The indented form (<<-) loses the lines' common indentation.
func (p *hclParser) heredoc() (tfValue, bool) {
	start := p.pos
	p.pos += 2
	flush := p.peek() == '-'
	if flush {
		p.pos++
	}
	marker := p.ident()
	if marker == "" || p.peek() != '\n' && !p.at("\r\n") {
		p.fail(start, "Invalid heredoc introducer: a heredoc begins with << or <<- and an identifier, followed by a newline")
	}
	p.pos = start + bytes.IndexByte(p.src[start:], '\n') + 1
	var lines []string
	for {
		if p.eof() {
			p.fail(start, "Unterminated template string: no closing marker %q was found for the heredoc", marker)
		}
		end := bytes.IndexByte(p.src[p.pos:], '\n')
		if end < 0 {
			end = len(p.src) - p.pos
		}
		line := string(p.src[p.pos : p.pos+end])
		if strings.TrimSpace(line) == marker {
			p.pos += len(strings.TrimRight(line, " \t\r"))
			break
		}
		lines = append(lines, line)
		p.pos += end
		if !p.eof() {
			p.pos++ // the newline
		}
	}
	if flush {
		indent := -1
		for _, l := range lines {
			if strings.TrimSpace(l) == "" {
				continue
			}
			if n := len(l) - len(strings.TrimLeft(l, " \t")); indent < 0 || n < indent {
				indent = n
			}
		}
		for i, l := range lines {
			lines[i] = l[min(max(indent, 0), len(l)-len(strings.TrimLeft(l, " \t"))):]
		}
	}
	var b strings.Builder
	for _, l := range lines {
		b.WriteString(strings.TrimSuffix(l, "\r"))
		b.WriteByte('\n')
	}
	text := b.String()
	unescaped := strings.NewReplacer("$${", "", "%%{", "").Replace(text)
	if strings.Contains(unescaped, "${") || strings.Contains(unescaped, "%{") {
		return tfValue{}, false
	}
	return tfValue{kind: tfString, str: strings.NewReplacer("$${", "${", "%%{", "%{").Replace(text)}, true
}

// list reads [a, b, ...]; newlines inside are blanks.
func (p *hclParser) list() (tfValue, bool, bool) {
	open := p.pos
	defer p.nest(open)()
	p.pos++
	v := tfValue{kind: tfList}
	literal := true
	for {
		p.space(true)
		if p.eof() {
			p.fail(open, "Unclosed tuple: there is no closing bracket for this list")
		}
		if p.peek() == ']' {
			p.pos++
			return v, literal, true
		}
		if p.at("for") && !isIdentByte(p.byteAt(p.pos+3)) {
			p.pos = open
			return tfValue{}, false, false // a for expression
		}
		item, lit := p.expr(",]", true)
		literal = literal && lit
		v.items = append(v.items, item)
		p.space(true)
		switch p.peek() {
		case ',':
			p.pos++
		case ']':
		default:
			p.fail(p.pos, "Missing item separator: expected a comma to mark the beginning of the next item")
		}
	}
}

// object reads {key = value, ...}; a newline also separates items.
func (p *hclParser) object() (tfValue, bool, bool) {
	open := p.pos
	defer p.nest(open)()
	p.pos++
	fields := map[string]tfValue{}
	literal := true
	for {
		p.space(true)
		if p.eof() {
			p.fail(open, "Unclosed object: there is no closing brace for this object")
		}
		if p.peek() == '}' {
			p.pos++
			break
		}
		if p.at("for") && !isIdentByte(p.byteAt(p.pos+3)) {
			p.pos = open
			return tfValue{}, false, false // a for expression
		}
		keyStart := p.pos
		key, keyLiteral := "", false
		switch k, lit, ok := p.literal(); {
		case ok && lit && (k.kind == tfString || k.kind == tfBool || k.kind == tfNull):
			key, keyLiteral = k.str, k.kind != tfNull
		case ok && lit && k.kind == tfNumber:
			key, keyLiteral = k.num.Text('f', -1), true
		case !ok:
			if word := p.ident(); word != "" && !p.continues() {
				key, keyLiteral = word, true
			} else {
				p.pos = keyStart
			}
		}
		p.space(false)
		if !keyLiteral || (p.peek() != '=' && p.peek() != ':') || p.at("==") {
			if keyLiteral {
				p.fail(p.pos, "Missing key/value separator: expected an equals sign (\"=\") to mark the beginning of the attribute value")
			}
			p.raw(keyStart, p.pos, "=:", true)
			p.space(false)
			literal = false
		}
		if p.eof() || (p.peek() != '=' && p.peek() != ':') {
			p.fail(p.pos, "Missing key/value separator: expected an equals sign (\"=\") to mark the beginning of the attribute value")
		}
		p.pos++
		p.space(false)
		valStart := p.pos
		val, lit := p.expr(",}\n", false)
		if p.pos == valStart {
			p.fail(p.pos, "Invalid expression: expected the start of an expression, but found an invalid expression token")
		}
		literal = literal && lit
		if keyLiteral {
			fields[key] = val
		}
		p.space(false)
		switch p.peek() {
		case ',', '\n':
			p.pos++
		case '}':
		default:
			p.fail(p.pos, "Missing attribute separator: expected a newline or comma to mark the beginning of the next attribute")
		}
	}
	if !literal {
		return tfValue{}, false, true
	}
	v := tfValue{kind: tfObject}
	for k := range fields {
		v.keys = append(v.keys, k)
	}
	slices.Sort(v.keys)
	for _, k := range v.keys {
		v.items = append(v.items, fields[k])
	}
	return v, true, true
}

func (p *hclParser) byteAt(i int) byte {
	if i < len(p.src) {
		return p.src[i]
	}
	return 0
}

func isIdentByte(c byte) bool {
	return c == '_' || c == '-' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

// raw reads an expression that is not a literal, starting at start and
// going on from offset from (what was read before it is balanced): up to
// a byte of stop outside brackets, strings and comments (or a newline,
// unless blankLines). It must not be empty.
func (p *hclParser) raw(start, from int, stop string, blankLines bool) {
	p.pos = from
	end := from    // after the last byte that is not a blank or a comment
	var open []int // offsets of the brackets still open
	for !p.eof() {
		c := p.peek()
		if len(open) == 0 && (strings.IndexByte(stop, c) >= 0 || (c == '\n' && !blankLines)) {
			break
		}
		switch {
		case c == '"':
			p.quoted()
			end = p.pos
			continue
		case p.at("<<") && (isIdentByte(p.byteAt(p.pos+2)) || p.byteAt(p.pos+2) == '-' && isIdentByte(p.byteAt(p.pos+3))):
			p.heredoc()
			end = p.pos
			continue
		case c == '#' || p.at("//") || p.at("/*"):
			p.space(false)
			continue
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
			p.pos++
			continue
		case c == '(' || c == '[' || c == '{':
			open = append(open, p.pos)
		case c == ')' || c == ']' || c == '}':
			if len(open) == 0 {
				p.fail(p.pos, "Invalid expression: unexpected closing bracket %q", c)
			}
			want := map[byte]byte{'(': ')', '[': ']', '{': '}'}[p.src[open[len(open)-1]]]
			if c != want {
				p.fail(p.pos, "Invalid expression: expected %q to close the bracket opened at line %d, found %q", want, 1+strings.Count(string(p.src[:open[len(open)-1]]), "\n"), c)
			}
			open = open[:len(open)-1]
		}
		p.pos++
		end = p.pos
	}
	if len(open) > 0 {
		p.fail(open[len(open)-1], "Unclosed bracket: there is no closing bracket for this one before the end of the file")
	}
	if end == start {
		p.fail(start, "Invalid expression: expected the start of an expression, but found the end of the line")
	}
	p.pos = end
}
