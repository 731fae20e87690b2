package tokenizer_test

import (
	"slices"
	"testing"
)

func FuzzEncode(f *testing.F) {
	for _, seed := range []string{
		"", "a photo of a cat", "yellow school bus", "😀🐶", "東京タワー", "e\u0301", "a\x00b", "caf\xe9\xff",
		"<|startoftext|><|endoftext|>", "&amp;amp;", "don't I'll", "İ", "0123456789",
	} {
		f.Add(seed)
	}
	tok := clip(f)
	f.Fuzz(func(t *testing.T, text string) {
		e := tok.EncodePadded(text, 32)
		checkEncoding(t, tok, e, 32)
		ids := tok.Encode(text)
		for _, id := range ids {
			if id < 0 || id >= tok.VocabSize() {
				t.Fatalf("Encode(%q) gave id %d outside the vocabulary", text, id)
			}
		}
		n := min(len(ids), 30)
		if !slices.Equal(e.IDs[1:1+n], ints64(ids[:n])) || e.Truncated != (len(ids) > 30) {
			t.Fatalf("EncodePadded(%q) = %+v disagrees with Encode = %v", text, e, ids)
		}
		_ = tok.Decode(ids)
	})
}
