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

// addedMatcher splits text around the added (special) tokens of a vocabulary,
// as Hugging Face does before pre-tokenization.
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

// split calls text for each stretch of s between added tokens and added for
// each added token, in order. Either callback may return false to stop.
func (m *addedMatcher) split(s string, text func(string) bool, added func(id int) bool) {
	if len(m.contents) == 0 {
		text(s)
		return
	}
	next := make([]int, len(m.contents)) // next occurrence of each, or -1
	for k, c := range m.contents {
		next[k] = strings.Index(s, c)
	}
	pos := 0
	for {
		best := -1
		for k := range m.contents {
			if next[k] >= 0 && next[k] < pos {
				// An earlier occurrence overlapped a match; look again.
				if n := strings.Index(s[pos:], m.contents[k]); n >= 0 {
					next[k] = pos + n
				} else {
					next[k] = -1
				}
			}
			if next[k] >= 0 && (best < 0 || next[k] < next[best]) {
				best = k
			}
		}
		if best < 0 {
			if pos < len(s) {
				text(s[pos:])
			}
			return
		}
		at := next[best]
		if at > pos && !text(s[pos:at]) {
			return
		}
		if !added(m.ids[best]) {
			return
		}
		pos = at + len(m.contents[best])
	}
}
