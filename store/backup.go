package store

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// keepBackups is how many rolling backups are kept beside the database.
const keepBackups = 5

func backupDir(path string) string { return path + ".backups" }

// Backup writes a consistent copy of the database to a temporary file,
// fsyncs it, renames it into the backup folder and prunes the oldest.
func (db *DB) Backup() (string, error) {
	dir := backupDir(db.path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	name := filepath.Join(dir, fmt.Sprintf("onus-%s.db", db.opt.Now().UTC().Format("20060102T150405.000000000Z")))
	tmp, err := os.CreateTemp(dir, ".backup-*")
	if err != nil {
		return "", err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return "", err
	}
	err = db.view(func(tx *bolt.Tx) error {
		_, err := tx.WriteTo(tmp)
		return err
	})
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", err
	}
	if err := os.Rename(tmp.Name(), name); err != nil {
		return "", err
	}
	if err := syncDir(dir); err != nil {
		return "", err
	}
	backups := listBackups(db.path)
	for len(backups) > keepBackups {
		os.Remove(backups[0])
		backups = backups[1:]
	}
	return name, nil
}

// listBackups returns the backups, oldest first (names sort by time).
func listBackups(path string) []string {
	entries, err := os.ReadDir(backupDir(path))
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "onus-") && strings.HasSuffix(e.Name(), ".db") {
			out = append(out, filepath.Join(backupDir(path), e.Name()))
		}
	}
	sort.Strings(out)
	return out
}

// backupInterval spaces rolling backups, so a script answering controls one
// command at a time does not copy the whole file on every call.
const backupInterval = 10 * time.Minute

// backupDue reports whether the newest backup is older than backupInterval.
func (db *DB) backupDue() bool {
	newest := newestBackup(db.path)
	if newest == "" {
		return true
	}
	info, err := os.Stat(newest)
	return err != nil || db.opt.Now().Sub(info.ModTime()) > backupInterval
}

func newestBackup(path string) string {
	b := listBackups(path)
	if len(b) == 0 {
		return ""
	}
	return b[len(b)-1]
}
