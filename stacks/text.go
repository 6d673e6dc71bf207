package stacks

import (
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/onus-gxp/onus/internal/safetext"
	"github.com/onus-gxp/onus/model"
)

const ellipsis = "…"

// cells is the display width of s; printable ASCII, most of any catalog,
// is counted without segmenting graphemes.
func cells(s string) int {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return ansi.StringWidth(s)
		}
	}
	return len(s)
}

// clip cuts s to at most w cells, ending with an ellipsis when cut.
func clip(s string, w int) string {
	if w <= 0 {
		return ""
	}
	if cells(s) <= w {
		return s
	}
	return ansi.Truncate(s, w, ellipsis)
}

// fit clips s to w cells and pads it with spaces to exactly w.
func fit(s string, w int) string {
	s = clip(s, w)
	if n := w - cells(s); n > 0 {
		s += strings.Repeat(" ", n)
	}
	return s
}

// fitRight clips s to w cells and right-aligns it in w.
func fitRight(s string, w int) string {
	s = clip(s, w)
	if n := w - cells(s); n > 0 {
		s = strings.Repeat(" ", n) + s
	}
	return s
}

// wrapHanging word-wraps text to width, the first line after head and the
// following lines indented by indent spaces. Words longer than a line are
// broken. When the width leaves too little room, the text is clipped to one
// line instead.
func wrapHanging(head string, indent int, text string, width int) []string {
	room := width - indent
	first := width - cells(head)
	if room < 12 || first < 1 {
		return []string{clip(head+text, width)}
	}
	pad := strings.Repeat(" ", indent)
	var lines []string
	var cur strings.Builder
	curW, limit := 0, first
	flush := func() {
		if len(lines) == 0 {
			lines = append(lines, head+cur.String())
		} else {
			lines = append(lines, pad+cur.String())
		}
		cur.Reset()
		curW, limit = 0, room
	}
	for _, word := range strings.Fields(text) {
		ww := cells(word)
		if curW > 0 && curW+1+ww > limit {
			flush()
		}
		// A word longer than a whole line is cut into line-sized pieces.
		for ww > limit-curW && curW == 0 {
			piece := ansi.Truncate(word, limit, "")
			cur.WriteString(piece)
			curW = cells(piece)
			if piece == "" { // a grapheme wider than the line
				break
			}
			word = word[len(piece):]
			ww = cells(word)
			flush()
		}
		if ww == 0 {
			continue
		}
		if curW > 0 {
			cur.WriteByte(' ')
			curW++
		}
		cur.WriteString(word)
		curW += ww
	}
	if curW > 0 || len(lines) == 0 {
		flush()
	}
	return lines
}

// ShortName is how a service is named in a column header or a list: the
// name without "Amazon " or "AWS " when that is short, else the id in
// capitals ("EKS"), else the name clipped. It is sanitised for the terminal.
func ShortName(svc model.Service) string {
	name := safe(svc.Name)
	for _, p := range []string{"Amazon ", "AWS "} {
		name = strings.TrimPrefix(name, p)
	}
	if name != "" && cells(name) <= colMin {
		return name
	}
	if id := strings.ToUpper(safe(svc.ID)); id != "" && cells(id) <= colMin {
		return id
	}
	if name == "" {
		name = safe(svc.ID)
	}
	return clip(name, colMin)
}

// serviceNames names service ids through the catalog, falling back to the
// id in capitals when the catalog is missing or does not know it. It
// remembers the names it made, for one drawing.
func serviceNames(cat *model.Catalog) func(id string) string {
	memo := map[string]string{}
	return func(id string) string {
		if n, ok := memo[id]; ok {
			return n
		}
		svc := model.Service{ID: id}
		if cat != nil {
			if s, ok := cat.Service(id); ok {
				svc = s
			}
		}
		n := ShortName(svc)
		memo[id] = n
		return n
	}
}

// modelLabel names a service model in w cells.
func modelLabel(m model.ServiceModel, w int) string {
	s := safe(string(m))
	if cells(s) <= w {
		return s
	}
	if m == model.ModelInfrastructure && w >= 6 {
		return "infra."
	}
	return clip(s, w)
}

func layerName(l model.Layer) string {
	if l.Name == "" {
		return safe(l.ID)
	}
	return safe(l.Name)
}

// safe is safetext.Line with a fast path for printable ASCII, which needs
// no cleaning.
func safe(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return safetext.Line(s)
		}
	}
	return s
}

// joinLines ends every line with a newline-free join; empty input gives "".
func joinLines(lines []string) string { return strings.Join(lines, "\n") }
