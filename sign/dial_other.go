//go:build !unix

package sign

import (
	"errors"
	"os"
)

func dialUnix(string) (*os.File, error) {
	return nil, errors.New("signing through ssh-agent needs a Unix system here; sign with a key file instead")
}
