package accessible

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/report"
)

// export writes the open assessment in a format, to a file: the JSON
// bundle is offered first, as in the wizard, since it is the one format
// that is imported again. A missing folder is created, and an existing
// file replaced, only on a yes.
func (s *session) export() error {
	s.say("")
	s.say("Export %s.", line(s.a.Name))
	var opts []string
	for _, f := range report.Formats {
		opts = append(opts, fmt.Sprintf("%s, %s: %s", f.ID, f.Name, f.Desc))
	}
	def := slices.IndexFunc(report.Formats, func(f report.Format) bool { return f.ID == "json" }) + 1
	n, err := s.choose(opts, def, "The format of the file. Every one names the assessment, its revision and its audit trail's head.")
	if err != nil {
		return err
	}
	format := report.Formats[n-1].ID
	path := filepath.Join(s.cfg.ExportDir, report.FileName(s.a.ID, format))
	for {
		in, err := s.ask(fmt.Sprintf("File (enter for %s):", path), func() {
			s.say("The file to write: a full path, or a path from the current folder. A folder that does not exist is created when you say so.")
		})
		if err != nil {
			return err
		}
		target := path
		if in != "" {
			target = absPath(in)
		}
		done, err := s.writeExport(format, target)
		if err != nil || done {
			return err
		}
	}
}

// writeExport writes the export to path, asking first to create a
// missing folder or to replace a file; done is false when the user said
// no, to ask for another path.
func (s *session) writeExport(format, path string) (done bool, err error) {
	dir := filepath.Dir(path)
	info, serr := os.Stat(dir)
	switch {
	case errors.Is(serr, fs.ErrNotExist):
		yes, err := s.yesNo(fmt.Sprintf("The folder %s does not exist. Create it?", line(dir)), false)
		if err != nil || !yes {
			return false, err
		}
		if err := os.MkdirAll(dir, 0o700); err != nil {
			s.fail("Not exported", err)
			return false, nil
		}
	case serr != nil:
		s.fail("Not exported", serr)
		return false, nil
	case !info.IsDir():
		s.say("Not exported: %s is a file, not a folder.", line(dir))
		return false, nil
	}
	if _, err := os.Stat(path); err == nil {
		yes, err := s.yesNo(fmt.Sprintf("%s exists. Replace it?", line(path)), false)
		if err != nil || !yes {
			return false, err
		}
	}
	b, err := s.cfg.Store.Export(s.a.ID)
	var n int64
	if err == nil {
		n, err = s.cfg.WriteOut(path, func(w io.Writer) error {
			if s.cfg.Render != nil {
				return s.cfg.Render(w, format, s.cat, b)
			}
			return report.RenderTo(w, format, report.Input{Catalog: s.cat, Assessment: b.Assessment, Trail: b.Trail})
		})
	}
	if err != nil {
		s.fail("Not exported", err)
		return false, nil
	}
	s.say("Written: %s, %d bytes, %s, trail head %.12s.", line(path), n, format, model.Head(b.Trail))
	return true, nil
}

// absPath is a typed path made absolute, a leading ~ as the home folder.
func absPath(p string) string {
	if rest, ok := strings.CutPrefix(p, "~"); ok && (rest == "" || rest[0] == '/') {
		if home, err := os.UserHomeDir(); err == nil {
			p = home + rest
		}
	}
	if abs, err := filepath.Abs(p); err == nil {
		return abs
	}
	return p
}
