package tokenizer_test

import (
	"bufio"
	"encoding/json"
	"os"
	"sync"
	"testing"

	"github.com/samwise-app/samwise/engine/tokenizer"
)

const (
	clipStart = 49406
	clipEnd   = 49407
)

var (
	clipOnce sync.Once
	clipTok  *tokenizer.Tokenizer
	clipErr  error
)

// clip returns CLIP's tokenizer, built once from the merges file in testdata.
func clip(tb testing.TB) *tokenizer.Tokenizer {
	tb.Helper()
	clipOnce.Do(func() {
		f, err := os.Open("testdata/bpe_simple_vocab_16e6.txt.gz")
		if err != nil {
			clipErr = err
			return
		}
		defer f.Close()
		clipTok, clipErr = tokenizer.FromMerges(f)
	})
	if clipErr != nil {
		tb.Fatalf("FromMerges: %v", clipErr)
	}
	return clipTok
}

// reference is one line of testdata/clip_reference.jsonl.
type reference struct {
	Text string `json:"text"`
	IDs  []int  `json:"ids"`
}

// references reads testdata/clip_reference.jsonl: prompts with the ids
// CLIP's own Python tokenizer gives them.
func references(tb testing.TB) []reference {
	tb.Helper()
	f, err := os.Open("testdata/clip_reference.jsonl")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var refs []reference
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		var r reference
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			tb.Fatalf("clip_reference.jsonl line %d: %v", len(refs)+1, err)
		}
		refs = append(refs, r)
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	if len(refs) < 400 {
		tb.Fatalf("clip_reference.jsonl has %d lines; want at least 400", len(refs))
	}
	return refs
}

// checkEncoding checks the layout of a padded encoding of the given length:
// start, content, end, then padding, ids within the vocabulary, and a mask
// of ones over the unpadded part.
func checkEncoding(t testing.TB, tok *tokenizer.Tokenizer, e tokenizer.Encoding, length int) {
	t.Helper()
	if len(e.IDs) != length || len(e.AttentionMask) != length {
		t.Fatalf("len(IDs) = %d, len(AttentionMask) = %d; want %d", len(e.IDs), len(e.AttentionMask), length)
	}
	n := 0
	for n < length && e.AttentionMask[n] == 1 {
		n++
	}
	for i := n; i < length; i++ {
		if e.AttentionMask[i] != 0 {
			t.Fatalf("AttentionMask = %v; want ones then zeros", e.AttentionMask)
		}
		if e.IDs[i] != int64(tok.PadID()) {
			t.Fatalf("IDs[%d] = %d in the padding; want pad id %d", i, e.IDs[i], tok.PadID())
		}
	}
	if n < 2 {
		t.Fatalf("AttentionMask = %v; want at least the start and end tokens", e.AttentionMask)
	}
	if e.IDs[0] != int64(tok.StartID()) || e.IDs[n-1] != int64(tok.EndID()) {
		t.Fatalf("IDs = %v; want start %d first and end %d at %d", e.IDs, tok.StartID(), tok.EndID(), n-1)
	}
	for i, id := range e.IDs {
		if id < 0 || id >= int64(tok.VocabSize()) {
			t.Fatalf("IDs[%d] = %d; outside the vocabulary of %d", i, id, tok.VocabSize())
		}
	}
	if e.Truncated && n != length {
		t.Fatalf("Truncated with only %d of %d tokens used", n, length)
	}
}

// ints64 converts ids to int64.
func ints64(ids []int) []int64 {
	out := make([]int64, len(ids))
	for i, id := range ids {
		out[i] = int64(id)
	}
	return out
}
