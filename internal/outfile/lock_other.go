//go:build !unix

package outfile

import "os"

const (
	noFollow = 0
	nonBlock = 0
)

func lock(*os.File) {}

func tryLock(*os.File) bool { return true }
