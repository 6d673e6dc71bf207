package store

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/onus-gxp/onus/internal/outfile"
)

// An onus killed while it created the database or wrote a backup leaves
// its temporary file behind: a full copy of the data, under a hidden name.
// The next open removes every one no process still holds (each is locked
// while it is written), and Leftovers lists them for onus doctor.

// Leftovers lists the temporary files of interrupted operations beside
// the database at path and in its backups folder, whether or not another
// onus is still writing them.
func Leftovers(path string) []string {
	var out []string
	add := func(dir string, match func(string) bool) {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if match(e.Name()) {
				out = append(out, filepath.Join(dir, e.Name()))
			}
		}
	}
	add(filepath.Dir(path), isNewFileTemp)
	add(backupDir(path), func(name string) bool {
		// .backup-*: what versions before outfile named them.
		return outfile.IsTemp(name) || strings.HasPrefix(name, ".backup-")
	})
	return out
}

// isNewFileTemp matches the temporary files createFile makes.
func isNewFileTemp(name string) bool {
	ok, _ := filepath.Match(newFilePattern, name)
	return ok
}

// removeLeftovers removes the leftovers no process holds and returns a
// warning naming each it removed.
func removeLeftovers(path string) []string {
	var warnings []string
	for _, f := range Leftovers(path) {
		if outfile.RemoveStale(f) {
			warnings = append(warnings, fmt.Sprintf("removed %s, a temporary file an interrupted onus left", f))
		}
	}
	return warnings
}
