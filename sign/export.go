package sign

import (
	"fmt"
	"os"
	"path/filepath"

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

// writeFile writes through a temporary file and a rename, so an
// interrupted export never leaves half a signature behind.
func writeFile(path string, data []byte) error {
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if serr := f.Sync(); err == nil {
		err = serr
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, path)
}
