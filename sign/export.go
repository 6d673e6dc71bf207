package sign

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/onus-gxp/onus/internal/outfile"
	"github.com/onus-gxp/onus/model"
)

// WriteFiles writes each signature of a trail to dir as N.manifest (the
// exact bytes signed) and N.manifest.sig (the armored signature), N
// counting from 1 in trail order, superseded signatures included, so that
//
//	ssh-keygen -Y verify -f ALLOWED_SIGNERS -I SIGNER -n onus -s N.manifest.sig < N.manifest
//
// checks each without Onus. It returns the paths written.
func WriteFiles(dir string, trail []model.AuditEntry) ([]string, error) {
	sigs, err := Signatures(trail)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	var paths []string
	for _, s := range sigs {
		base := filepath.Join(dir, fmt.Sprintf("%d.manifest", s.N))
		for path, data := range map[string]string{base: s.SignOff.Manifest, base + ".sig": s.SignOff.Signature} {
			if err := writeFile(path, []byte(data)); err != nil {
				return paths, err
			}
		}
		paths = append(paths, base, base+".sig")
	}
	return paths, nil
}

// writeFile writes the one safe way (internal/outfile): never through a
// symlink, never half a file. The files are the trail's own signatures, so
// an earlier export's files are replaced.
func writeFile(path string, data []byte) error {
	return outfile.WriteFile(path, data, outfile.Options{Replace: true})
}
