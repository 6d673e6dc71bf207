//go:build !linux

package filetext

import "os"

func mapFile(*os.File, int64) (string, error) { return "", ErrNotMapped }
