package tokenizer

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"strings"
)

// clipMerges is how many merges of bpe_simple_vocab_16e6.txt CLIP uses:
// 49152 minus the 256 byte symbols and the 2 special tokens.
const clipMerges = 49152 - 256 - 2

// FromMerges builds CLIP's tokenizer from OpenAI's merges file
// (bpe_simple_vocab_16e6.txt; gzip-compressed input is also accepted): a
// version header line, which is skipped, then one merge per line as two symbols separated by
// a space. Like CLIP it uses the first 48894 merges and builds the vocabulary
// as the 256 byte symbols, the same with "</w>", the merged tokens in rank
// order, then <|startoftext|> and <|endoftext|> (49406 and 49407 for the
// full file).
func FromMerges(r io.Reader) (*Tokenizer, error) {
	br := bufio.NewReader(r)
	if magic, _ := br.Peek(2); bytes.Equal(magic, []byte{0x1f, 0x8b}) {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("merges file: %w", err)
		}
		defer zr.Close()
		br = bufio.NewReader(zr)
	}
	sc := bufio.NewScanner(br)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	var merges [][2]string
	line := 0
	for sc.Scan() && len(merges) < clipMerges {
		line++
		text := strings.TrimRight(sc.Text(), "\r")
		if line == 1 {
			continue // the version header, skipped unread as CLIP does
		}
		if strings.TrimSpace(text) == "" {
			continue
		}
		parts := strings.Fields(text)
		if len(parts) != 2 {
			return nil, fmt.Errorf("merges file: line %d is %q; each line must be two symbols separated by a space", line, text)
		}
		merges = append(merges, [2]string{parts[0], parts[1]})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("merges file: %w", err)
	}
	if len(merges) == 0 {
		return nil, fmt.Errorf("merges file: no merges found; give bpe_simple_vocab_16e6.txt (or its .gz)")
	}
	vocab := make(map[string]int, 512+len(merges)+2)
	next := 0
	add := func(tok string) {
		vocab[tok] = next
		next++
	}
	for _, b := range byteAlphabet {
		add(byteSymbol(b))
	}
	for _, b := range byteAlphabet {
		add(byteSymbol(b) + EndOfWordSuffix)
	}
	for _, m := range merges {
		add(m[0] + m[1])
	}
	if len(vocab) != next {
		return nil, fmt.Errorf("merges file: %d merges repeat a token; give CLIP's own merges file", next-len(vocab))
	}
	add(StartToken)
	add(EndToken)
	t, err := New(vocab, merges)
	if err != nil {
		return nil, fmt.Errorf("merges file: %w", err)
	}
	return t, nil
}
