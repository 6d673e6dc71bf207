package report

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestHTMLScreenshot opens the fixture's HTML report in headless Chromium
// through scripts/html-screenshot.sh and checks that a PNG comes out. It
// runs where Chromium is installed (see needBrowser); with
// ONUS_SCREENSHOT_OUT=FILE it also keeps the screenshot there.
func TestHTMLScreenshot(t *testing.T) {
	needBrowser(t, false)
	out, err := Render("html", fixtureInput(t))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	html := filepath.Join(dir, "report.html")
	if err := os.WriteFile(html, out, 0o644); err != nil {
		t.Fatal(err)
	}
	png := filepath.Join(dir, "report.png")
	if keep := os.Getenv("ONUS_SCREENSHOT_OUT"); keep != "" {
		if png, err = filepath.Abs(keep); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command("sh", filepath.Join("..", "scripts", "html-screenshot.sh"), html, png)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("html-screenshot.sh: %v\n%s", err, msg)
	}
	img, err := os.ReadFile(png)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(img, []byte("\x89PNG\r\n\x1a\n")) || len(img) < 20_000 {
		t.Fatalf("%s is not a plausible screenshot (%d bytes)", png, len(img))
	}
}
