package store

import (
	"crypto/rand"
	"encoding/base32"
	"encoding/binary"
	"strings"
	"time"
)

// crockford is Crockford's base32 alphabet: no I, L, O or U to misread.
var crockford = base32.NewEncoding("0123456789ABCDEFGHJKMNPQRSTVWXYZ").WithPadding(base32.NoPadding)

// newID makes a sortable id: 48 bits of milliseconds then 32 random bits,
// so ids sort by creation time and two machines never collide in practice.
func newID(now time.Time) string {
	var b [10]byte
	binary.BigEndian.PutUint64(b[:8], uint64(now.UnixMilli())<<16)
	rand.Read(b[6:])
	return strings.ToLower(crockford.EncodeToString(b[:]))
}
