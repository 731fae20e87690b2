package tokenizer_test

import (
	"compress/gzip"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/samwise-app/samwise/engine/tokenizer"
)

func TestCLIPSettings(t *testing.T) {
	tok := clip(t)
	for _, c := range []struct {
		name      string
		got, want int
	}{
		{"VocabSize", tok.VocabSize(), 49408},
		{"StartID", tok.StartID(), clipStart},
		{"EndID", tok.EndID(), clipEnd},
		{"PadID", tok.PadID(), clipEnd},
		{"ContextLength", tok.ContextLength(), 32},
	} {
		if c.got != c.want {
			t.Errorf("%s() = %d; want %d", c.name, c.got, c.want)
		}
	}
}

func TestKnownIDs(t *testing.T) {
	tok := clip(t)
	for _, c := range []struct {
		text string
		want []int
	}{
		{"a photo of a cat", []int{320, 1125, 539, 320, 2368}},
		{"dog", []int{1929}},
		{"a", []int{320}},
		{"the", []int{518}},
		{"of", []int{539}},
		{"photo", []int{1125}},
		{"cat", []int{2368}},
		{"a dog", []int{320, 1929}},
		{"hello world", []int{3306, 1002}},
		{"Hello   WORLD ", []int{3306, 1002}},
		{"yellow school bus", []int{4481, 1228, 2840}},
		{"don't", []int{847, 713}},
		{"a cat <|endoftext|> a dog", []int{320, 2368, clipEnd, 320, 1929}},
		{"<|startoftext|>", []int{clipStart}},
		{"", nil},
	} {
		if got := tok.Encode(c.text); !slices.Equal(got, c.want) {
			t.Errorf("Encode(%q) = %v; want %v", c.text, got, c.want)
		}
	}
}

func TestEncodePaddedPhoto(t *testing.T) {
	tok := clip(t)
	e := tok.EncodePadded("a photo of a cat", 32)
	want := []int64{49406, 320, 1125, 539, 320, 2368, 49407}
	for len(want) < 32 {
		want = append(want, 49407)
	}
	mask := make([]int64, 32)
	for i := range 7 {
		mask[i] = 1
	}
	if !slices.Equal(e.IDs, want) || !slices.Equal(e.AttentionMask, mask) || e.Truncated {
		t.Errorf("EncodePadded = %+v; want IDs %v, mask %v, not truncated", e, want, mask)
	}
}

// TestCLIPReference compares with ids from CLIP's own Python tokenizer.
func TestCLIPReference(t *testing.T) {
	tok := clip(t)
	for i, r := range references(t) {
		if got := tok.Encode(r.Text); !slices.Equal(got, r.IDs) && !(len(got) == 0 && len(r.IDs) == 0) {
			t.Errorf("line %d: Encode(%q) = %v; CLIP gives %v", i+1, r.Text, got, r.IDs)
		}
	}
}

func TestFromMergesDecompressed(t *testing.T) {
	f, err := os.Open("testdata/bpe_simple_vocab_16e6.txt.gz")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := tokenizer.FromMerges(zr)
	if err != nil {
		t.Fatal(err)
	}
	if got := tok.Encode("a photo of a cat"); !slices.Equal(got, []int{320, 1125, 539, 320, 2368}) {
		t.Errorf("Encode = %v", got)
	}
	if tok.VocabSize() != 49408 {
		t.Errorf("VocabSize() = %d; want 49408", tok.VocabSize())
	}
}

func TestFromMergesErrors(t *testing.T) {
	for _, c := range []struct {
		name, input, want string
	}{
		{"empty", "", "no merges found"},
		{"header only", "#version: 0.2\n", "no merges found"},
		{"three symbols", "#version: 0.2\ni n\na b c\n", "line 3"},
		{"unknown symbol", "#version: 0.2\nab c\n", `"ab" is not in the vocabulary`},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := tokenizer.FromMerges(strings.NewReader(c.input))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("FromMerges error = %v; want one containing %q", err, c.want)
			}
		})
	}
}

func TestOddInputs(t *testing.T) {
	tok := clip(t)
	for _, c := range []struct {
		name, text string
	}{
		{"unknown word", "zzxqjvkwpfghtt"},
		{"emoji", "😀🐶🐱 🏳️‍🌈 👩🏽‍🚀"},
		{"CJK", "東京タワーと北京の猫"},
		{"combining marks", "e\u0301 a\u0300\u0301\u0302\u0303 \u0301\u0301\u0301"},
		{"lone combining mark", "\u0301"},
		{"NUL bytes", "a\x00b\x00\x00 cat"},
		{"control characters", "\x01\x02\x1b[31mred\x1b[0m\x7f"},
		{"invalid UTF-8", "caf\xe9 \xff\xfe\xfd dog \xc3"},
		{"surrogate encoding", "\xed\xa0\x80"},
		{"entities", "&amp;amp;lt; &#0; &#x110000; &#55296; &notanentity;"},
		{"special token fragments", "<|startoftext <|endoftext|><|endoftext|>|>"},
		{"apostrophes", "''''s't're've'm'll'd'"},
		{"RTL", "مرحبا שלום"},
		{"dotted capital I", "İSTANBUL"},
		{"10 KB of letters", strings.Repeat("abcdefghij", 1024)},
		{"10 KB of words", strings.Repeat("yellow school bus ", 600)},
		{"10 KB of symbols", strings.Repeat("!@#$%^&*()", 1024)},
		{"10 KB of digits", strings.Repeat("0123456789", 1024)},
		{"10 KB of emoji", strings.Repeat("😀", 2560)},
		{"white space", " \t\n\r\v\f\u00a0\u3000\u2028"},
	} {
		t.Run(c.name, func(t *testing.T) {
			ids := tok.Encode(c.text)
			for _, id := range ids {
				if id < 0 || id >= tok.VocabSize() {
					t.Fatalf("Encode gave id %d outside the vocabulary", id)
				}
			}
			e := tok.EncodePadded(c.text, 32)
			checkEncoding(t, tok, e, 32)
			n := min(len(ids), 30)
			if !slices.Equal(e.IDs[1:1+n], ints64(ids[:n])) {
				t.Errorf("EncodePadded content %v; want the first %d ids of Encode, %v", e.IDs[1:1+n], n, ids[:n])
			}
			if e.Truncated != (len(ids) > 30) {
				t.Errorf("Truncated = %v with %d content ids", e.Truncated, len(ids))
			}
			_ = tok.Decode(ids)
		})
	}
}

func TestTruncation(t *testing.T) {
	tok := clip(t)
	for _, c := range []struct {
		name      string
		text      string
		truncated bool
	}{
		{"30 words fit", strings.Repeat("cat ", 30), false},
		{"31 words", strings.Repeat("cat ", 31), true},
		{"long text", strings.Repeat("cat ", 5000), true},
		{"one long word", strings.Repeat("ab", 5000), true},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := tok.EncodePadded(c.text, 32)
			checkEncoding(t, tok, e, 32)
			if e.Truncated != c.truncated {
				t.Errorf("Truncated = %v; want %v", e.Truncated, c.truncated)
			}
			if e.IDs[31] != clipEnd || e.AttentionMask[31] != 1 {
				t.Errorf("IDs[31] = %d, mask %d; want the end token 49407, mask 1", e.IDs[31], e.AttentionMask[31])
			}
		})
	}
	e := tok.EncodePadded(strings.Repeat("cat ", 100), 32)
	for i := 1; i < 31; i++ {
		if e.IDs[i] != 2368 {
			t.Fatalf("IDs = %v; want 30 cats (2368) between start and end", e.IDs)
		}
	}
}

func TestEmpty(t *testing.T) {
	tok := clip(t)
	want := make([]int64, 32)
	want[0] = clipStart
	for i := 1; i < 32; i++ {
		want[i] = clipEnd
	}
	mask := make([]int64, 32)
	mask[0], mask[1] = 1, 1
	for _, text := range []string{"", " ", "   \t\n  ", "\u00a0\u3000"} {
		e := tok.EncodePadded(text, 32)
		if !slices.Equal(e.IDs, want) || !slices.Equal(e.AttentionMask, mask) || e.Truncated {
			t.Errorf("EncodePadded(%q) = %+v; want [start, end, pad...]", text, e)
		}
		if ids := tok.Encode(text); len(ids) != 0 {
			t.Errorf("Encode(%q) = %v; want none", text, ids)
		}
	}
}

func TestEncodePaddedLengths(t *testing.T) {
	tok := clip(t)
	for _, c := range []struct {
		length    int
		text      string
		want      []int64
		mask      []int64
		truncated bool
	}{
		{1, "", []int64{clipEnd}, []int64{1}, true},
		{2, "", []int64{clipStart, clipEnd}, []int64{1, 1}, false},
		{2, "dog", []int64{clipStart, clipEnd}, []int64{1, 1}, true},
		{3, "dog", []int64{clipStart, 1929, clipEnd}, []int64{1, 1, 1}, false},
		{4, "a dog", []int64{clipStart, 320, 1929, clipEnd}, []int64{1, 1, 1, 1}, false},
		{5, "dog", []int64{clipStart, 1929, clipEnd, clipEnd, clipEnd}, []int64{1, 1, 1, 0, 0}, false},
	} {
		e := tok.EncodePadded(c.text, c.length)
		if !slices.Equal(e.IDs, c.want) || !slices.Equal(e.AttentionMask, c.mask) || e.Truncated != c.truncated {
			t.Errorf("EncodePadded(%q, %d) = %+v; want IDs %v, mask %v, truncated %v", c.text, c.length, e, c.want, c.mask, c.truncated)
		}
	}
	if e := tok.EncodePadded("dog", 0); len(e.IDs) != 32 {
		t.Errorf("EncodePadded with length 0 gave %d ids; want the context length 32", len(e.IDs))
	}
}

func TestDecode(t *testing.T) {
	tok := clip(t)
	for _, c := range []struct {
		text, want string
	}{
		{"a photo of a cat", "a photo of a cat"},
		{"Yellow  School\tBus", "yellow school bus"},
		{"don't", "don 't"},
		{"東京 😀", "東京 😀"},
		{"a,b", "a , b"},
		{"&amp;", "&"},
	} {
		if got := tok.Decode(tok.Encode(c.text)); got != c.want {
			t.Errorf("Decode(Encode(%q)) = %q; want %q", c.text, got, c.want)
		}
	}
	if got := tok.Decode([]int{clipStart, 1929, clipEnd}); got != "<|startoftext|>dog <|endoftext|>" {
		t.Errorf("Decode with specials = %q", got)
	}
	if got := tok.Decode([]int{-1, 1929, 1 << 20}); got != "\uFFFDdog \uFFFD" {
		t.Errorf("Decode with bad ids = %q", got)
	}
}

func TestConcurrentEncode(t *testing.T) {
	tok := clip(t)
	refs := references(t)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := g; i < len(refs); i += 3 {
				got := tok.Encode(refs[i].Text)
				if !slices.Equal(got, refs[i].IDs) && len(got)+len(refs[i].IDs) > 0 {
					t.Errorf("concurrent Encode(%q) = %v; want %v", refs[i].Text, got, refs[i].IDs)
				}
			}
		})
	}
	wg.Wait()
}
