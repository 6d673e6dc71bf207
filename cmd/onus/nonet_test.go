package main

import (
	"go/ast"
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

	"github.com/onus-gxp/onus/report"
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
	for _, f := range report.FormatIDs() {
		onus("export", id, "--format", f, "-o", filepath.Join(dir, "out."+f))
	}
	onus("catalog", "export", "--format", "oscal-catalog", "-o", filepath.Join(dir, "catalog.json"))
	onus("lens", "export", "-o", filepath.Join(dir, "lens.json"))
	onus("lens", "import", filepath.Join(dir, "lens-1.json"), "-o", filepath.Join(dir, "own.onus-extension.json"))
	sam, _ := filepath.Abs(filepath.Join("..", "..", "iac", "testdata", "sam", "template.yaml"))
	onus("--extension", filepath.Join(dir, "own.onus-extension.json"), "services", id, "--from", sam)
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
// dependency: Onus opens no sockets (docs/SECURITY.md), but for onus serve,
// which listens when asked: package serve alone may import net (and the
// SSH server it runs), and nothing else there; package relay, net alone,
// for onus serve's Unix-domain socket (TestNoDialer holds it to "unix").
func TestNoNetworkPackages(t *testing.T) {
	banned := map[string]bool{"net": true, "net/http": true, "net/rpc": true, "net/smtp": true, "crypto/tls": true, "net/http/httptrace": true}
	sshServer := map[string]bool{"charm.land/ssh": true, "charm.land/wish/v2": true, "charm.land/wish/v2/bubbletea": true}
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
		serving := filepath.ToSlash(filepath.Dir(path)) == "../../serve"
		relaying := filepath.ToSlash(filepath.Dir(path)) == "../../relay" // its Unix socket (TestNoDialer)
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if (serving && (p == "net" || sshServer[p])) || (relaying && p == "net") {
				continue
			}
			if banned[p] || strings.HasPrefix(p, "net/http/") || sshServer[p] {
				t.Errorf("%s imports %q: Onus must not use the network (only serve/ listens)", path, p)
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
	// net may be imported only by pflag, the command line's option parser,
	// for its IP-address option types (it parses addresses and opens
	// nothing; Onus has no such option), and by the SSH packages that make
	// and check signatures (and crypto/x509, which parses key files), for
	// their own types and for SSH connections Onus never makes (TestNoDialer
	// shows Onus calls none of their dialers). Nothing may import another
	// networking package. The SSH server of onus serve (charm.land/ssh,
	// which can wrap its listener in go-proxyproto's; Onus does not) and
	// serve itself import it too: they listen only when onus serve runs.
	netImporters := map[string]bool{"github.com/spf13/pflag": true, "golang.org/x/crypto/ssh": true, "golang.org/x/crypto/ssh/agent": true, "crypto/x509": true,
		"charm.land/ssh": true, "github.com/pires/go-proxyproto": true, "github.com/onus-gxp/onus/serve": true,
		"github.com/onus-gxp/onus/relay": true} // onus serve's Unix socket: AF_UNIX only (TestNoDialer)
	out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}} {{join .Imports \" \"}}", ".").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	linked := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		pkg, imports, _ := strings.Cut(line, " ")
		linked[pkg] = true
		if banned[pkg] && pkg != "net" {
			t.Errorf("the onus binary links %q (through a dependency: see go mod why %s)", pkg, pkg)
		}
		if !netImporters[pkg] && slices.Contains(strings.Fields(imports), "net") {
			t.Errorf("%s links \"net\" into the onus binary", pkg)
		}
	}
	if !linked["golang.org/x/crypto/ssh"] {
		t.Error("the SSH package is no longer linked: drop the exception for it")
	}
}

// TestNoDialer: no Onus package calls anything that opens a network
// connection, or listens but serve.Listen (onus serve) and relay's Unix-domain
// socket (onus serve's, for headless commands). Onus imports no networking package (above); the
// SSH packages it links can dial SSH servers and forward agents, which
// Onus never calls. The one socket Onus opens is ssh-agent's Unix-domain
// socket, dialled with the system calls of golang.org/x/sys/unix in
// sign/dial_unix.go (AF_UNIX only).
func TestNoDialer(t *testing.T) {
	dialers := map[string]map[string]bool{
		"golang.org/x/crypto/ssh":       {"Dial": true, "NewClient": true, "NewClientConn": true, "NewServerConn": true, "Listen": true},
		"golang.org/x/crypto/ssh/agent": {"ForwardToAgent": true, "ForwardToRemote": true, "RequestAgentForwarding": true},
		"golang.org/x/sys/unix":         {"Bind": true, "Listen": true, "Accept": true, "Accept4": true, "Sendto": true, "Sendmsg": true, "SendmsgN": true},
		"net": {"Dial": true, "DialTimeout": true, "DialTCP": true, "DialUDP": true, "DialIP": true, "DialUnix": true, "Listen": true, "ListenTCP": true,
			"ListenUDP": true, "ListenPacket": true, "ListenIP": true, "ListenUnix": true, "ListenUnixgram": true, "ListenMulticastUDP": true, "FileListener": true, "FileConn": true},
		"charm.land/ssh": {"ListenAndServe": true},
	}
	listens := 0
	unixSockets := map[string]int{} // relay/'s net.ListenUnix and net.DialUnix calls
	root := filepath.Join("..", "..")
	fset := token.NewFileSet()
	var connects []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != root && (name == "testdata" || name == "vendor" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		names := map[string]string{} // local name → import path
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if dialers[p] == nil {
				continue
			}
			name := p[strings.LastIndex(p, "/")+1:]
			if imp.Name != nil {
				name = imp.Name.Name
			}
			names[name] = p
		}
		relayFile := filepath.ToSlash(filepath.Dir(path)) == "../../relay"
		ast.Inspect(f, func(n ast.Node) bool {
			// relay/: onus serve's socket, Unix-domain only: each
			// net.ListenUnix or net.DialUnix names the "unix" network.
			if call, ok := n.(*ast.CallExpr); ok && relayFile {
				if sel, ok := call.Fun.(*ast.SelectorExpr); ok {
					if x, ok := sel.X.(*ast.Ident); ok && names[x.Name] == "net" && (sel.Sel.Name == "ListenUnix" || sel.Sel.Name == "DialUnix") {
						if lit, ok := call.Args[0].(*ast.BasicLit); !ok || lit.Value != `"unix"` {
							t.Errorf("%s: net.%s of a network other than \"unix\"", fset.Position(call.Pos()), sel.Sel.Name)
						}
						unixSockets[sel.Sel.Name]++
					}
				}
			}
			sel, ok := n.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			x, ok := sel.X.(*ast.Ident)
			if !ok || names[x.Name] == "" {
				return true
			}
			if names[x.Name] == "net" && sel.Sel.Name == "Listen" && filepath.ToSlash(path) == "../../serve/server.go" {
				listens++ // serve.Listen: onus serve, on localhost unless told otherwise
				return true
			}
			if names[x.Name] == "net" && relayFile && (sel.Sel.Name == "ListenUnix" || sel.Sel.Name == "DialUnix") {
				return true // checked above: "unix" only
			}
			if dialers[names[x.Name]][sel.Sel.Name] {
				t.Errorf("%s: %s.%s opens a network connection or listens", fset.Position(sel.Pos()), x.Name, sel.Sel.Name)
			}
			if names[x.Name] == "golang.org/x/sys/unix" && (sel.Sel.Name == "Connect" || sel.Sel.Name == "Socket") {
				connects = append(connects, fset.Position(sel.Pos()).Filename)
			}
			if names[x.Name] == "golang.org/x/sys/unix" && strings.HasPrefix(sel.Sel.Name, "AF_") && sel.Sel.Name != "AF_UNIX" {
				t.Errorf("%s: a socket of family %s", fset.Position(sel.Pos()), sel.Sel.Name)
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range connects {
		if filepath.ToSlash(f) != "../../sign/dial_unix.go" {
			t.Errorf("%s opens a socket: only sign/dial_unix.go does (the ssh-agent's Unix socket)", f)
		}
	}
	if listens != 1 {
		t.Errorf("found %d calls of net.Listen in serve/server.go, want 1 (serve.Listen): update this test", listens)
	}
	if unixSockets["ListenUnix"] != 1 || unixSockets["DialUnix"] != 2 {
		t.Errorf("relay/ calls net.ListenUnix %d times and net.DialUnix %d, want 1 and 2 (onus serve's socket): update this test", unixSockets["ListenUnix"], unixSockets["DialUnix"])
	}
	if len(connects) == 0 {
		t.Error("found no socket opened at all: the agent's dial moved; update this test")
	}
}
