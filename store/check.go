package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"os"
	"runtime/debug"
	"sort"
)

// bbolt reads its file through a memory map and trusts every page number
// and offset it finds there: one flipped bit in a child pointer or a value
// size sends it outside the map, and that fault kills the process whatever
// recover does. So before bbolt walks a file, checkPages walks the same
// structure with bounds-checked slices and checks that every page, key and
// value lies inside the file. It knows only the on-disk layout of bbolt's
// file format version 2 (bbolt 1.x), and checks only what bbolt's own reads
// would need, so a healthy file can never fail it.
const (
	boltMagic     = 0xED0CDAED
	boltVersion   = 2
	pageHeader    = 16 // id u64, flags u16, count u16, overflow u32
	elemSize      = 16 // branch: pos, ksize u32, pgid u64; leaf: flags, pos, ksize, vsize u32
	bucketHeader  = 16 // root pgid u64, sequence u64; an inline bucket's page follows
	flagBranch    = 0x01
	flagLeaf      = 0x02
	flagFreelist  = 0x10
	leafBucket    = 0x01
	noFreelist    = ^uint64(0)
	maxTreeDepth  = 64
	minPageSize   = 512
	maxPageSize   = 16 << 20
	metaSumOffset = 56 // the checksum covers the meta fields before it
)

var ne = binary.NativeEndian // bbolt writes its integers in the machine's order

// boltMeta is one of the two meta pages.
type boltMeta struct {
	valid                     bool
	pageSize                  int
	root, freelist, hwm, txid uint64
}

func parseMeta(page []byte) boltMeta {
	if len(page) < pageHeader+metaSumOffset+8 {
		return boltMeta{}
	}
	m := page[pageHeader:]
	sum := fnv.New64a()
	sum.Write(m[:metaSumOffset])
	return boltMeta{
		valid: ne.Uint32(m[0:]) == boltMagic && ne.Uint32(m[4:]) == boltVersion &&
			ne.Uint64(m[metaSumOffset:]) == sum.Sum64(),
		pageSize: int(ne.Uint32(m[8:])),
		root:     ne.Uint64(m[16:]),
		freelist: ne.Uint64(m[32:]),
		hwm:      ne.Uint64(m[40:]),
		txid:     ne.Uint64(m[48:]),
	}
}

// pageWalker reads pages of one file.
type pageWalker struct {
	data     []byte   // the file's pages below hwm, mapped; nil: read them from f
	f        *os.File // a quick walk reads its few pages instead of mapping the file
	pageSize int
	hwm      uint64 // pages below this belong to the file's current state
	seen     []bool // by page id: a page reached twice is damage
	free     []bool // by page id: the pages the freelist lists
	// bufs are what a walk without the map reads pages into, one per
	// level of the tree, the walk holding one page per level at a time:
	// a new buffer for every page read would touch new memory for each,
	// a page fault every 4 KiB. What scope.read is given lies in them,
	// so a caller that keeps it copies it (openList).
	bufs [maxTreeDepth + 2][]byte
	// keys and children are node's lists of a page's keys and of the
	// children it walks, one of each per level for the same reason.
	keys     [maxTreeDepth + 2][][]byte
	children [maxTreeDepth + 2][]bool
}

// level returns the lists of level depth, holding n elements each.
func (w *pageWalker) level(depth, n int) (keys [][]byte, children []bool) {
	if cap(w.keys[depth]) < n {
		w.keys[depth], w.children[depth] = make([][]byte, n), make([]bool, n)
	}
	children = w.children[depth][:n]
	clear(children)
	return w.keys[depth][:n], children
}

// scope names what a transaction reads, so that a check can cover that
// and no more: top-level buckets read whole (the list reads every
// summary), and assessments, by id: in each top-level bucket keyed by
// assessment, the pages bbolt's search for the id passes through, and
// everything stored under the id.
type scope struct {
	buckets [][]byte
	ids     []string
	// read, when set, is called with each key and value of the buckets
	// (of readIn alone, when set) as the check reads them, in key order:
	// the list reads its summaries in the pass that checks them, rather
	// than again through bbolt's memory map (where the kernel maps 64 KiB
	// of the file around each page touched: 128 MiB of a 450 MB file for
	// 10,000 summaries).
	read   func(key, value []byte) error
	readIn []byte
	// size, when set, is told at each leaf page of read's bucket about
	// how many values the bucket holds (that page's count times the pages
	// beside it; the first is close enough), so that what keeps them can
	// be made once, at its size.
	size func(n int)
}

// keyedByAssessment are the top-level buckets whose keys are assessment
// ids.
var keyedByAssessment = [][]byte{bucketAssessments, bucketSummaries, bucketTrails, bucketAnswers, bucketHeads, bucketWizard}

// keyOf is the key of assessment id in the top-level bucket name: the id,
// but in the wizard's bucket, where the home screen's state is kept under
// a key of its own, wizardKey.
func keyOf(name []byte, id string) []byte {
	if bytes.Equal(name, bucketWizard) {
		return wizardKey(id)
	}
	return []byte(id)
}

func assessment(ids ...string) scope { return scope{ids: ids} }

func has(list [][]byte, name []byte) bool {
	for _, b := range list {
		if bytes.Equal(b, name) {
			return true
		}
	}
	return false
}

// reach says how far a walk goes below a page: everything (the zero
// reach); in the root bucket, the top-level buckets a scope names (top);
// or the paths to keys and what is stored under them (keys).
type reach struct {
	top  *scope
	keys [][]byte
	read func(key, value []byte) error // the values of this bucket (scope.read)
	// size is scope.size, and fanout the pages of this bucket at the
	// level being walked, as far as the branches above say (the product
	// of their counts).
	size   func(n int)
	fanout int
}

// below is the reach for the bucket stored under key in a page walked
// with r, and whether the walk goes into it at all.
func (r reach) below(key []byte) (reach, bool) {
	switch {
	case r.top != nil:
		if has(r.top.buckets, key) {
			if r.top.readIn != nil && !bytes.Equal(key, r.top.readIn) {
				return reach{}, true
			}
			return reach{read: r.top.read, size: r.top.size, fanout: 1}, true
		}
		if len(r.top.ids) > 0 && has(keyedByAssessment, key) {
			keys := make([][]byte, len(r.top.ids))
			for i, id := range r.top.ids {
				keys[i] = keyOf(key, id)
			}
			return reach{keys: keys}, true
		}
		return reach{}, false
	case r.keys != nil:
		return reach{}, has(r.keys, key)
	}
	return reach{}, true
}

// searchBranch is the child bbolt's search for key goes to in a branch
// page of count elements (Cursor.searchPage, to the letter: on a page
// whose keys are out of order it must go where bbolt goes).
func searchBranch(count int, keyAt func(int) []byte, key []byte) int {
	exact := false
	i := sort.Search(count, func(i int) bool {
		ret := bytes.Compare(keyAt(i), key)
		if ret == 0 {
			exact = true
		}
		return ret != -1
	})
	if !exact && i > 0 {
		i--
	}
	return i
}

// pagesFound is what checkPages learnt about a file beyond its verdict.
type pagesFound struct {
	// recovered: one meta page failed its checksum, so bbolt will use the
	// other: the last commit before a crash may be lost, and the
	// application's own integrity checks must run before the file is
	// trusted.
	recovered bool
	// noFreelist: the file keeps no freelist, so a read-write open writes
	// one at once.
	noFreelist bool
	// txid and root: the commit checked (the newer valid meta page) and
	// its root page, for a check made inside a transaction to compare
	// with the transaction's.
	txid, root uint64
}

// checkPages checks the structure of the bbolt file at path as described
// above. With a scope, it checks the freelist, the root and what the
// scope names, whose pages are then safe for bbolt to read; the rest is
// not looked at. Errors from the system (opening or reading the file)
// come back as they are, for openFailure to tell from damage.
func checkPages(path string, sc *scope) (found pagesFound, err error) {
	// Slices are bounds-checked; this turns the one fault left, the file
	// shrinking under the map, into a panic that checkFile recovers.
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))

	f, err := openRegular(path, os.O_RDONLY, 0)
	if err != nil {
		return found, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return found, err
	}
	size := info.Size()

	// The page size is in the first meta page; if that one is damaged,
	// bbolt looks for the second at each power of two from 1 KiB.
	readAt := func(off int64, n int) []byte {
		b := make([]byte, n)
		if m, _ := f.ReadAt(b, off); m < n {
			return nil
		}
		return b
	}
	m0 := parseMeta(readAt(0, pageHeader+metaSumOffset+8))
	var m1 boltMeta
	if m0.valid {
		m1 = parseMeta(readAt(int64(m0.pageSize), pageHeader+metaSumOffset+8))
	} else {
		for off := int64(1024); off < size-1024 && off <= maxPageSize; off *= 2 {
			if m1 = parseMeta(readAt(off, pageHeader+metaSumOffset+8)); m1.valid {
				break
			}
		}
	}
	// bbolt uses the meta with the higher transaction id if it is valid,
	// else the other.
	newer, older := m0, m1
	if m1.txid > m0.txid {
		newer, older = m1, m0
	}
	meta := newer
	if !meta.valid {
		meta = older
	}
	if !meta.valid {
		return found, errors.New("both meta pages are invalid: this is not a bbolt file, or its header was overwritten")
	}
	found = pagesFound{recovered: !m0.valid || !m1.valid, noFreelist: meta.freelist == noFreelist, txid: meta.txid, root: meta.root}
	if meta.pageSize < minPageSize || meta.pageSize > maxPageSize {
		return found, fmt.Errorf("page size %d is out of range", meta.pageSize)
	}
	if meta.hwm > uint64(size)/uint64(meta.pageSize) {
		return found, fmt.Errorf("the file is %d bytes but its pages reach %d bytes: it was cut short", size, meta.hwm*uint64(meta.pageSize))
	}

	w := &pageWalker{f: f, pageSize: meta.pageSize, hwm: meta.hwm, seen: make([]bool, meta.hwm), free: make([]bool, meta.hwm)}
	if sc == nil {
		data, unmap, err := mapFile(f, int(meta.hwm)*meta.pageSize)
		if err != nil {
			return found, err
		}
		defer unmap()
		w.data = data
	}
	if meta.freelist != noFreelist {
		if err := w.freelist(meta.freelist); err != nil {
			return found, err
		}
	}
	buf, err := w.page(meta.root, 0)
	if err != nil {
		return found, fmt.Errorf("root: %w", err)
	}
	return found, w.node(buf, meta.root, false, 0, reach{top: sc}, nil, nil)
}

// page returns page id with its overflow pages, after checking that they
// lie below the high-water mark and that the page names itself correctly
// (bbolt asserts the same). depth is its level in the walk: the page read
// before at that level is done with.
func (w *pageWalker) page(id uint64, depth int) ([]byte, error) {
	if id < 2 || id >= w.hwm {
		return nil, fmt.Errorf("page %d is outside the file's %d pages", id, w.hwm)
	}
	if w.seen[id] {
		return nil, fmt.Errorf("page %d is referenced twice", id)
	}
	w.seen[id] = true
	if w.free[id] {
		return nil, fmt.Errorf("page %d is in use and listed as free", id)
	}
	start := int(id) * w.pageSize
	buf, err := w.bytes(start, w.pageSize, depth)
	if err != nil {
		return nil, fmt.Errorf("page %d: %w", id, err)
	}
	if got := ne.Uint64(buf); got != id {
		return nil, fmt.Errorf("page %d identifies itself as page %d", id, got)
	}
	if overflow := uint64(ne.Uint32(buf[12:])); overflow > 0 {
		if overflow >= w.hwm-id {
			return nil, fmt.Errorf("page %d claims %d overflow pages, past the end of the file", id, overflow)
		}
		// bbolt frees a page with its overflow pages: none of them may be
		// free already, or another page.
		for o := id + 1; o <= id+overflow; o++ {
			if w.seen[o] || w.free[o] {
				return nil, fmt.Errorf("page %d claims page %d as an overflow page, which is free or another page", id, o)
			}
			w.seen[o] = true
		}
		if buf, err = w.bytes(start, int(overflow+1)*w.pageSize, depth); err != nil {
			return nil, fmt.Errorf("page %d: %w", id, err)
		}
	}
	return buf, nil
}

// bytes returns n bytes of the file from start, which page has checked
// lie below the high-water mark, read into the buffer of level depth.
func (w *pageWalker) bytes(start, n, depth int) ([]byte, error) {
	if w.data != nil {
		return w.data[start : start+n], nil
	}
	if cap(w.bufs[depth]) < n {
		w.bufs[depth] = make([]byte, n)
	}
	b := w.bufs[depth][:n]
	if _, err := w.f.ReadAt(b, int64(start)); err != nil {
		return nil, err
	}
	return b, nil
}

func (w *pageWalker) freelist(id uint64) error {
	buf, err := w.page(id, 0) // done with before the root is read
	if err != nil {
		return fmt.Errorf("freelist: %w", err)
	}
	if flags := ne.Uint16(buf[8:]); flags != flagFreelist {
		return fmt.Errorf("freelist page %d has type %#x", id, flags)
	}
	n, first := uint64(ne.Uint16(buf[10:])), uint64(0)
	if n == 0xFFFF { // the real count is the first element
		if len(buf) < pageHeader+8 {
			return fmt.Errorf("freelist page %d is too short", id)
		}
		n, first = ne.Uint64(buf[pageHeader:]), 1
	}
	if n > uint64(len(buf)-pageHeader)/8 || (first+n)*8 > uint64(len(buf)-pageHeader) {
		return fmt.Errorf("freelist page %d lists %d pages, more than it holds", id, n)
	}
	// bbolt hands free pages out for its next writes without looking:
	// a meta page there would be overwritten with data, a page past the
	// end makes bbolt panic. (Its own check misses both.)
	for i := first; i < first+n; i++ {
		free := ne.Uint64(buf[pageHeader+i*8:])
		if free < 2 || free >= w.hwm {
			return fmt.Errorf("freelist page %d lists page %d, outside the file's data pages 2 to %d", id, free, w.hwm-1)
		}
		w.free[free] = true
	}
	return nil
}

// node checks one branch or leaf page (buf holds it), then the pages and
// buckets below it that r reaches. An inline bucket's page lives inside a
// value and has no page id of its own. A page below a branch has keys from
// its parent's key for it (from) to before the parent's next key (to), as
// bbolt's search assumes and its check requires; nil bounds none.
func (w *pageWalker) node(buf []byte, id uint64, inline bool, depth int, r reach, from, to []byte) error {
	if depth > maxTreeDepth {
		return fmt.Errorf("page %d: the tree is deeper than %d levels", id, maxTreeDepth)
	}
	if len(buf) < pageHeader {
		return fmt.Errorf("page %d: an inline bucket shorter than a page header", id)
	}
	// bbolt writes an inline bucket's page with id and overflow zero, and
	// frees the page its id names when the bucket outgrows its value.
	if inline && (ne.Uint64(buf) != 0 || ne.Uint32(buf[12:]) != 0) {
		return fmt.Errorf("page %d: an inline bucket's page names page %d", id, ne.Uint64(buf))
	}
	flags, count := ne.Uint16(buf[8:]), uint64(ne.Uint16(buf[10:]))
	if pageHeader+count*elemSize > uint64(len(buf)) {
		return fmt.Errorf("page %d: %d elements do not fit in %d bytes", id, count, len(buf))
	}
	switch {
	case flags == flagLeaf:
	case flags == flagBranch && !inline: // inline buckets hold one leaf page
	default:
		return fmt.Errorf("page %d has type %#x where a branch or leaf page belongs", id, flags)
	}
	// Every element first: where its key (and value) lie, and that the
	// keys ascend, as bbolt's search assumes.
	keys, children := w.level(depth, int(count))
	for i := range count {
		off := pageHeader + i*elemSize
		e := buf[off : off+elemSize]
		var end uint64
		var key []byte
		if flags == flagBranch {
			pos, ksize := uint64(ne.Uint32(e[0:])), uint64(ne.Uint32(e[4:]))
			if end = off + pos + ksize; end > uint64(len(buf)) {
				return fmt.Errorf("page %d: key %d lies past the end of the page", id, i)
			}
			key = buf[off+pos : end]
		} else {
			pos, ksize, vsize := uint64(ne.Uint32(e[4:])), uint64(ne.Uint32(e[8:])), uint64(ne.Uint32(e[12:]))
			if end = off + pos + ksize + vsize; end > uint64(len(buf)) {
				return fmt.Errorf("page %d: key or value %d lies past the end of the page", id, i)
			}
			key = buf[off+pos : off+pos+ksize]
		}
		switch {
		case i > 0 && bytes.Compare(keys[i-1], key) >= 0:
			return fmt.Errorf("page %d: key %d is not after key %d", id, i, i-1)
		case i == 0 && from != nil && bytes.Compare(key, from) < 0:
			return fmt.Errorf("page %d: its first key is before its parent's key for it", id)
		case to != nil && bytes.Compare(key, to) >= 0:
			return fmt.Errorf("page %d: key %d is not before its parent's next key", id, i)
		}
		keys[i] = key
	}
	if flags == flagBranch {
		switch {
		case r.keys == nil:
			for i := range children {
				children[i] = true
			}
		case count == 0: // bbolt's search would index past the page
			return fmt.Errorf("page %d: a branch page without elements", id)
		default:
			for _, k := range r.keys {
				children[searchBranch(int(count), func(i int) []byte { return keys[i] }, k)] = true
			}
		}
		below := r
		below.fanout = min(r.fanout, 1<<14) * int(count) // no overflow, whatever a damaged page claims: the estimate stops at 65,536 anyway
		for i, want := range children {
			if !want {
				continue
			}
			child := ne.Uint64(buf[pageHeader+uint64(i)*elemSize+8:])
			cbuf, err := w.page(child, depth+1)
			if err != nil {
				return fmt.Errorf("page %d, element %d: %w", id, i, err)
			}
			next := to
			if i+1 < len(keys) {
				next = keys[i+1]
			}
			if err := w.node(cbuf, child, false, depth+1, below, keys[i], next); err != nil {
				return err
			}
		}
		return nil
	}
	if r.size != nil {
		r.size(int(count) * max(r.fanout, 1))
	}
	for i := range count {
		off := pageHeader + i*elemSize
		e := buf[off : off+elemSize]
		pos, ksize, vsize := uint64(ne.Uint32(e[4:])), uint64(ne.Uint32(e[8:])), uint64(ne.Uint32(e[12:]))
		v := buf[off+pos+ksize : off+pos+ksize+vsize]
		isBucket := ne.Uint32(e[0:])&leafBucket != 0
		switch {
		case r.read != nil && isBucket:
			return fmt.Errorf("page %d: a bucket under key %d where a value belongs", id, i)
		case r.read != nil:
			if err := r.read(keys[i], v); err != nil {
				return err
			}
			continue
		case !isBucket:
			continue
		}
		inner, ok := r.below(keys[i])
		if !ok {
			continue
		}
		if len(v) < bucketHeader {
			return fmt.Errorf("page %d: bucket %d has a %d-byte header", id, i, len(v))
		}
		root := ne.Uint64(v)
		if root == 0 {
			if err := w.node(v[bucketHeader:], id, true, depth+1, inner, nil, nil); err != nil {
				return err
			}
			continue
		}
		cbuf, err := w.page(root, depth+1)
		if err != nil {
			return fmt.Errorf("page %d, bucket %d: %w", id, i, err)
		}
		if err := w.node(cbuf, root, false, depth+1, inner, nil, nil); err != nil {
			return err
		}
	}
	return nil
}
