package hostile

import "unicode"

func isFormat(r rune) bool { return unicode.Is(unicode.Cf, r) }
