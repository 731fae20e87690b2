package tokenizer

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// clipPattern is the pre-tokenizer regular expression of CLIP, as written in
// Hugging Face tokenizer.json files. nextPretoken implements it by hand.
const clipPattern = `<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+`

// contractions are the apostrophe alternatives of clipPattern, in order.
var contractions = [...]string{"'s", "'t", "'re", "'ve", "'m", "'ll", "'d"}

// nextPretoken finds the next match of clipPattern in s at or after byte
// offset i, with the leftmost-first semantics of a backtracking engine, and
// returns its bounds; start == len(s) when there is none. White space between
// matches is skipped. It runs in time linear in the length of the match.
func nextPretoken(s string, i int) (start, end int) {
	for i < len(s) {
		r, size := decodeRune(s, i)
		switch {
		case r == '<':
			if strings.HasPrefix(s[i:], "<|startoftext|>") {
				return i, i + len("<|startoftext|>")
			}
			if strings.HasPrefix(s[i:], "<|endoftext|>") {
				return i, i + len("<|endoftext|>")
			}
		case r == '\'':
			for _, c := range contractions {
				if strings.HasPrefix(s[i:], c) {
					return i, i + len(c)
				}
			}
		case unicode.IsSpace(r):
			i += size
			continue
		case isLetter(r):
			j := i + size
			for j < len(s) {
				r, size := decodeRune(s, j)
				if !isLetter(r) {
					break
				}
				j += size
			}
			return i, j
		case isNumber(r):
			return i, i + size
		}
		// [^\s\p{L}\p{N}]+
		j := i + size
		for j < len(s) {
			r, size := decodeRune(s, j)
			if unicode.IsSpace(r) || isLetter(r) || isNumber(r) {
				break
			}
			j += size
		}
		return i, j
	}
	return len(s), len(s)
}

// decodeRune decodes the rune at s[i:], with an ASCII fast path.
func decodeRune(s string, i int) (rune, int) {
	if c := s[i]; c < utf8.RuneSelf {
		return rune(c), 1
	}
	return utf8.DecodeRuneInString(s[i:])
}

// isLetter reports whether r is in \p{L}.
func isLetter(r rune) bool {
	if r < utf8.RuneSelf {
		return ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z')
	}
	return unicode.IsLetter(r)
}

// isNumber reports whether r is in \p{N}.
func isNumber(r rune) bool {
	if r < utf8.RuneSelf {
		return '0' <= r && r <= '9'
	}
	return unicode.IsNumber(r)
}

// addedMatcher finds the added (special) tokens of a vocabulary in text, which
// Hugging Face splits off before pre-tokenization.
type addedMatcher struct {
	contents []string // non-empty contents, longest first
	ids      []int    // ids parallel to contents
}

// newAddedMatcher builds a matcher for the given added tokens.
func newAddedMatcher(tokens []addedToken) addedMatcher {
	var m addedMatcher
	for _, t := range tokens {
		if t.Content == "" {
			continue
		}
		m.contents = append(m.contents, t.Content)
		m.ids = append(m.ids, t.ID)
	}
	// Longest first, so that at one position the longest token wins.
	for i := 1; i < len(m.contents); i++ {
		for j := i; j > 0 && len(m.contents[j]) > len(m.contents[j-1]); j-- {
			m.contents[j], m.contents[j-1] = m.contents[j-1], m.contents[j]
			m.ids[j], m.ids[j-1] = m.ids[j-1], m.ids[j]
		}
	}
	return m
}

// addedScan walks a text through the added tokens it contains.
type addedScan struct {
	m    *addedMatcher
	s    string
	next []int // next occurrence of each added token at or after the scan, -1 if none
	buf  [4]int
}

// start begins a scan of s for the added tokens of m.
func (a *addedScan) start(m *addedMatcher, s string) {
	a.m, a.s = m, s
	a.next = a.buf[:0]
	for _, c := range m.contents {
		a.next = append(a.next, strings.Index(s, c))
	}
}

// find returns the first added token at or after byte offset pos: its start,
// end and id. With none it returns start == len(s) and id -1. At one
// position the longest token wins.
func (a *addedScan) find(pos int) (start, end, id int) {
	best := -1
	for k, c := range a.m.contents {
		if a.next[k] >= 0 && a.next[k] < pos {
			// That occurrence overlapped an earlier match; look again.
			if n := strings.Index(a.s[pos:], c); n >= 0 {
				a.next[k] = pos + n
			} else {
				a.next[k] = -1
			}
		}
		if a.next[k] >= 0 && (best < 0 || a.next[k] < a.next[best]) {
			best = k
		}
	}
	if best < 0 {
		return len(a.s), len(a.s), -1
	}
	return a.next[best], a.next[best] + len(a.m.contents[best]), a.m.ids[best]
}
