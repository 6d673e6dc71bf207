// Command readonekey is the baseline for `onus list --json` in
// scripts/bench-store.sh: the least a program can do with an onus file,
// open it read-only, read one key, close.
//
//	go build -o readonekey ./store/testdata/readonekey
//	readonekey FILE ID
package main

import (
	"fmt"
	"os"
	"time"

	bolt "go.etcd.io/bbolt"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: readonekey FILE ID")
		os.Exit(2)
	}
	db, err := bolt.Open(os.Args[1], 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	n := 0
	db.View(func(tx *bolt.Tx) error {
		n = len(tx.Bucket([]byte("assessments")).Get([]byte(os.Args[2])))
		return nil
	})
	db.Close()
	if n == 0 {
		fmt.Fprintln(os.Stderr, "key not found")
		os.Exit(1)
	}
	fmt.Println(n)
}
