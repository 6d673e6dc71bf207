package main

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestNoNetworkAssessment runs a whole assessment with the real binary in a
// user and network namespace that has no network interfaces at all (not
// even loopback): any attempt to dial would fail, and so would the command.
func TestNoNetworkAssessment(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	unshare, err := exec.LookPath("unshare")
	if err != nil {
		t.Skip("unshare is not installed (util-linux); the import check below still runs")
	}
	if out, err := exec.Command(unshare, "-rn", "true").CombinedOutput(); err != nil {
		t.Skipf("unshare -rn is not permitted here (%v: %s); the import check below still runs", err, strings.TrimSpace(string(out)))
	}
	bin := buildOnus(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "onus.db")
	onus := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(unshare, append([]string{"-rn", bin}, args...)...)
		cmd.Env = append(os.Environ(), "ONUS_DB="+db, "ONUS_USER=offline", "NO_COLOR=1")
		out, err := cmd.Output()
		if err != nil {
			stderr := ""
			if ee, ok := err.(*exec.ExitError); ok {
				stderr = string(ee.Stderr)
			}
			t.Fatalf("onus %q without a network: %v\n%s%s", args, err, out, stderr)
		}
		return string(out)
	}
	// The namespace really has no network: loopback at most (and it is down).
	out, err := exec.Command(unshare, "-rn", "cat", "/proc/net/dev").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(out), "\n") {
		if name, _, ok := strings.Cut(strings.TrimSpace(l), ":"); ok && name != "lo" {
			t.Fatalf("the namespace has interface %q:\n%s", name, out)
		}
	}

	id := strings.TrimSpace(onus("new", "--name", "Offline LIMS", "--org", "Acme", "--services", "ec2,rds"))
	onus("services", id, "--add", "s3,lambda", "--remove", "rds")
	onus("answer", id, "GOV-01", "--status", "implemented", "--evidence", "QMS manual|QM-001|3|2026-01-10|DMS/QM-001|customer")
	onus("answer", id, "GOV-02", "--status", "partial", "--note", "validation plan in review")
	onus("answer", id, "GOV-03", "--status", "not-applicable", "--justification", "no users are trained by this system")
	onus("show", id)
	onus("history", id)
	for _, f := range []string{"md", "html", "csv", "json", "oscal-ar", "oscal-cd"} {
		onus("export", id, "--format", f, "-o", filepath.Join(dir, "out."+f))
	}
	onus("verify")
	onus("stack", "ec2", "s3")
	// Import the bundle into a second file.
	cmd := exec.Command(unshare, "-rn", bin, "--db", filepath.Join(dir, "other.db"), "import", filepath.Join(dir, "out.json"))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("import without a network: %v\n%s", err, out)
	}
}

// TestNoNetworkPackages fails when any Onus package (tests aside) imports a
// networking package, or when the binary links one in through a
// dependency: Onus opens no sockets (docs/SECURITY.md).
func TestNoNetworkPackages(t *testing.T) {
	banned := map[string]bool{"net": true, "net/http": true, "net/rpc": true, "net/smtp": true, "crypto/tls": true, "net/http/httptrace": true}
	root := filepath.Join("..", "..")
	fset := token.NewFileSet()
	files := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			name := d.Name()
			if path != root && (name == "testdata" || name == "vendor" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		files++
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if banned[p] || strings.HasPrefix(p, "net/http/") {
				t.Errorf("%s imports %q: Onus must not use the network", path, p)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 20 {
		t.Fatalf("scanned only %d files from %s: wrong root?", files, root)
	}

	// What the binary links, dependencies included, with what each imports.
	// The one exception is net itself imported by pflag, the command line's
	// option parser, for its IP-address option types: it parses addresses
	// and opens nothing (Onus has no such option; TestNoNetworkAssessment runs
	// without a network).
	out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}} {{join .Imports \" \"}}", ".").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		pkg, imports, _ := strings.Cut(line, " ")
		if banned[pkg] && pkg != "net" {
			t.Errorf("the onus binary links %q (through a dependency: see go mod why %s)", pkg, pkg)
		}
		if pkg != "github.com/spf13/pflag" && slices.Contains(strings.Fields(imports), "net") {
			t.Errorf("%s links \"net\" into the onus binary", pkg)
		}
	}
}
