package tokenizer_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/samwise-app/samwise/engine/tokenizer"
)

func BenchmarkEncode(b *testing.B) {
	tok := clip(b)
	b.ReportAllocs()
	for b.Loop() {
		tok.EncodePadded("yellow school bus", 32)
	}
}

// BenchmarkEncodeUncached encodes words the cache has not seen.
func BenchmarkEncodeUncached(b *testing.B) {
	tok := clip(b)
	texts := make([]string, 20000)
	for i := range texts {
		texts[i] = fmt.Sprintf("yellowish%dschoolbuses", i) // letters then digits: new words
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		tok.EncodePadded(texts[i%len(texts)], 32)
		i++
	}
}

func BenchmarkEncode10KB(b *testing.B) {
	tok := clip(b)
	text := strings.Repeat("a yellow school bus parked near the old brick building, ", 180)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		tok.Encode(text)
	}
}

func BenchmarkFromMerges(b *testing.B) {
	data, err := os.ReadFile("testdata/bpe_simple_vocab_16e6.txt.gz")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := tokenizer.FromMerges(strings.NewReader(string(data))); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParse(b *testing.B) {
	data, err := clip(b).JSON()
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := tokenizer.Parse(data); err != nil {
			b.Fatal(err)
		}
	}
}
