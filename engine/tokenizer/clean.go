package tokenizer

import (
	"html"
	"strings"
	"unicode"
	"unicode/utf8"
)

// cleanText applies CLIP's text cleanup to a prompt before pre-tokenization:
//
//   - invalid UTF-8 becomes U+FFFD (Python would refuse to decode it);
//   - HTML entities are unescaped twice, like CLIP's basic_clean
//     ("&amp;amp;" becomes "&");
//   - runs of Unicode white space (the White_Space property, as "\s" in the
//     regex engines of CLIP and Hugging Face) collapse to one space, and the
//     ends are trimmed;
//   - letters are lower-cased with the full Unicode mapping, so "İ" becomes
//     "i" followed by U+0307 as in Python and Rust.
//
// ftfy's mojibake repair and NFC normalization are not applied.
func cleanText(text string) string {
	if !utf8.ValidString(text) {
		text = strings.ToValidUTF8(text, "\uFFFD")
	}
	if strings.IndexByte(text, '&') >= 0 {
		text = html.UnescapeString(html.UnescapeString(text))
	}
	if isCleanASCII(text) {
		return text
	}
	var b strings.Builder
	b.Grow(len(text))
	space := false
	for _, r := range text {
		if unicode.IsSpace(r) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		switch {
		case r < utf8.RuneSelf:
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			}
			b.WriteByte(byte(r))
		case r == 'İ':
			b.WriteString("i\u0307")
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// isCleanASCII reports whether s is already clean: ASCII without upper-case
// letters, with single spaces between words and none at the ends, and no
// other white space.
func isCleanASCII(s string) bool {
	prevSpace := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= utf8.RuneSelf, 'A' <= c && c <= 'Z':
			return false
		case c == ' ':
			if prevSpace {
				return false
			}
			prevSpace = true
		case c == '\t', c == '\n', c == '\v', c == '\f', c == '\r':
			return false
		default:
			prevSpace = false
		}
	}
	return !prevSpace || len(s) == 0
}
