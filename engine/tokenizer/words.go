package tokenizer

import "fmt"

// FromWords builds a small tokenizer, such as a demo model's, in which each
// given word (after CLIP's cleanup and pre-tokenization, so "School Bus" is
// the two words "school" and "bus") encodes to exactly one token. The
// vocabulary holds only the byte symbols and intermediate merges those words
// need, in order of first use, then StartToken and EndToken; other text
// encodes through the same symbols, and bytes outside them become the end
// token, which serves as unknown token. Write the result with JSON.
func FromWords(words ...string) (*Tokenizer, error) {
	vocab := map[string]int{}
	add := func(tok string) {
		if _, ok := vocab[tok]; !ok {
			vocab[tok] = len(vocab)
		}
	}
	var merges [][2]string
	rank := map[[2]string]int{}
	n := 0
	for _, w := range words {
		s := cleanText(w)
		for i := 0; ; {
			start, end := nextPretoken(s, i)
			if start >= len(s) {
				break
			}
			i = end
			word := s[start:end]
			if word == StartToken || word == EndToken {
				continue
			}
			syms := make([]string, len(word))
			for k := 0; k < len(word); k++ {
				syms[k] = byteSymbol(word[k])
			}
			syms[len(syms)-1] += EndOfWordSuffix
			for _, sym := range syms {
				add(sym)
			}
			// Add merges until the word is one token. Each new merge ranks
			// after all earlier ones, so words already added keep encoding
			// to one token.
			for {
				syms = applyMerges(syms, rank)
				if len(syms) == 1 {
					break
				}
				m := [2]string{syms[0], syms[1]}
				rank[m] = len(merges)
				merges = append(merges, m)
				add(m[0] + m[1])
			}
			n++
		}
	}
	if n == 0 {
		return nil, fmt.Errorf("tokenizer: no words given; give the words the vocabulary must hold")
	}
	add(StartToken)
	add(EndToken)
	return New(vocab, merges)
}

// applyMerges merges symbols the way bpeWord does, on strings: the lowest
// ranked pair first, the leftmost among equals, until no pair has a rank.
func applyMerges(syms []string, rank map[[2]string]int) []string {
	for len(syms) > 1 {
		best, bestRank := -1, 0
		for i := 0; i+1 < len(syms); i++ {
			if r, ok := rank[[2]string{syms[i], syms[i+1]}]; ok && (best < 0 || r < bestRank) {
				best, bestRank = i, r
			}
		}
		if best < 0 {
			break
		}
		syms[best] += syms[best+1]
		syms = append(syms[:best+1], syms[best+2:]...)
	}
	return syms
}
