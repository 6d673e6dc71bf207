// Package plural writes a count with its noun, for every text Onus shows
// or writes: "1 answer", "2 answers", "0 answers".
package plural

import "strconv"

// Count is n followed by one when n is 1, else by many.
func Count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
