package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/onus-gxp/onus/model"
)

// hostileCatalog is a valid catalog whose text carries terminal escape
// sequences, carriage returns, C1 and bidi controls and huge strings.
const hostileCatalog = "../../testdata/hostile/catalog.yaml"

// hostile is what a user (or an imported bundle) can put in any text field:
// OSC 0 window title, OSC 8 hyperlink, OSC 52 clipboard write, CSI 2J
// clear screen, a DCS string, a carriage return, C1 CSI, bidi overrides.
const hostile = "\x1b]0;pwned\x07\x1b]8;;https://evil.example/\x1b\\link\x1b]8;;\x1b\\" +
	"\x1b]52;c;cHduZWQ=\x07\x1b[2J\x1bP+q544e\x1b\\\rfake\u202E\u009b\u2066\u2069"

// checkJSON is checkInert for JSON output: JSON keeps the exact text, so
// bidi and C1 characters may appear, but C0 controls are always escaped.
func checkJSON(t *testing.T, what, text string) {
	t.Helper()
	if i := strings.IndexAny(text, "\x1b\x07\r"); i >= 0 {
		t.Fatalf("%s: raw control byte at %d in JSON", what, i)
	}
}

// checkInert fails when text holds anything that acts on a terminal or
// disguises text: ESC, BEL, C1 controls, carriage returns, bidi controls.
func checkInert(t *testing.T, what, text string) {
	t.Helper()
	for i, r := range text {
		bad := r == 0x1b || r == 0x07 || r == '\r' || (r >= 0x80 && r <= 0x9f) ||
			(r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069)
		if bad {
			lo, hi := max(i-40, 0), min(i+40, len(text))
			t.Fatalf("%s: control %U at byte %d: %q", what, r, i, text[lo:hi])
		}
	}
}

func hostileNote() string {
	var b strings.Builder
	for i := range 10000 {
		if i%500 == 0 {
			b.WriteString(hostile)
		}
		b.WriteString("n\n")
	}
	return b.String()
}

// TestHostileTextNeverReachesTheTerminal runs every command that shows
// catalog or assessment text on a hostile catalog and hostile answers, and
// on a bundle carrying them imported into another file.
func TestHostileTextNeverReachesTheTerminal(t *testing.T) {
	if _, err := os.Stat(hostileCatalog); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "onus.db")
	env := map[string]string{"ONUS_DB": db, "ONUS_CATALOG": hostileCatalog, "ONUS_USER": "mallory" + hostile, "NO_COLOR": ""}
	step := func(want int, args ...string) string {
		t.Helper()
		code, out, errs := runOnus(t, env, args...)
		if code != want {
			t.Fatalf("onus %.300q: exit %d, want %d\nstdout: %.2000q\nstderr: %.2000q", args, code, want, out, errs)
		}
		what := fmt.Sprintf("onus %.200q", args)
		if slices.Contains(args, "csv") {
			out = strings.ReplaceAll(out, "\r\n", "\n") // RFC 4180 line ends
		}
		if slices.Contains(args, "--json") {
			checkJSON(t, what+" (stdout)", out)
		} else {
			checkInert(t, what+" (stdout)", out)
		}
		checkInert(t, what+" (stderr)", errs)
		return out
	}

	step(0, "stack", "ec2", "s3")
	step(0, "stack", "ec2", "s3", "--solution-only")
	step(0, "stack", "ec2", "--width", "40")
	step(0, "catalog", "validate", hostileCatalog)
	step(2, "answer", "x"+hostile, "REC-01", "--status", "nope"+hostile) // errors echo input too
	step(1, "show", "nosuch"+hostile)

	id := strings.TrimSpace(step(0, "new", "--name", "LIMS "+hostile, "--org", "Org"+hostile,
		"--system", "Sys"+hostile, "--classification", "c"+hostile, "--services", "ec2,s3"))
	note := hostileNote()
	step(0, "answer", id, "REC-01", "--status", "implemented", "--note", note,
		"--evidence", "OQ "+hostile+"|DOC-"+hostile+"|1"+hostile+"|2026-01-01|dms://"+hostile+"|customer",
		"--reason", "because "+hostile)
	step(0, "answer", id, "REC-02", "--status", "not-applicable", "--justification", "n/a "+hostile)
	step(0, "services", id, "--remove", "s3")
	step(0, "services", id, "--add", "s3")
	step(0, "show", id)
	step(0, "list")
	step(0, "list", "--all")
	step(0, "history", id)
	step(0, "verify")
	step(0, "verify", id)

	for _, f := range []string{"md", "html", "csv"} {
		step(0, "export", id, "--format", f)
		path := filepath.Join(dir, "report."+f)
		step(0, "export", id, "--format", f, "-o", path)
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		text := string(data)
		if f == "csv" {
			text = strings.ReplaceAll(text, "\r\n", "\n") // RFC 4180 line ends
		}
		checkInert(t, "the "+f+" export", text)
	}

	// JSON keeps the exact text: it is the record, not a display.
	bundlePath := filepath.Join(dir, "bundle.json")
	step(0, "export", id, "--format", "json", "-o", bundlePath)
	raw, err := os.ReadFile(bundlePath)
	if err != nil {
		t.Fatal(err)
	}
	b, err := model.DecodeBundle(raw)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Verify(); err != nil {
		t.Fatal(err)
	}
	a := b.Assessment
	if a.Name != "LIMS "+hostile || a.Organisation != "Org"+hostile || a.Answers["REC-01"].Notes != note ||
		a.Register[0].Title != "OQ "+hostile || a.Answers["REC-01"].Links[0].Entry != "E1" || a.Answers["REC-02"].Justification != "n/a "+hostile {
		t.Fatalf("the JSON export changed the text: %+v", a)
	}
	if b.Trail[0].Actor != "mallory"+hostile {
		t.Fatalf("the JSON export changed the actor: %q", b.Trail[0].Actor)
	}

	// The same bundle imported elsewhere: a hostile file from someone else.
	env["ONUS_DB"] = filepath.Join(dir, "other.db")
	step(0, "import", bundlePath)
	step(0, "list")
	step(0, "show", id)
	step(0, "history", id)
	step(0, "history", id, "--json") // JSON escapes C0 controls as \u001b, never raw
	step(0, "show", id, "--json")
	step(0, "export", id, "--format", "md")
	step(0, "stack", "ec2", "s3", "--json")
}
