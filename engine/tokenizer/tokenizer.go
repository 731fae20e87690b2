// Package tokenizer is the CLIP byte-level BPE tokenizer that SAM 3's text
// encoder uses.
//
// A Tokenizer is loaded from a Hugging Face tokenizer.json (Load, Parse),
// built from OpenAI's bpe_simple_vocab_16e6.txt merges file (FromMerges), or
// assembled from parts (New, FromWords). Text goes through CLIP's cleanup
// (HTML unescaping, white-space collapsing, lower-casing), CLIP's
// pre-tokenizer regular expression, the GPT-2 byte-level alphabet, and BPE
// merges with an end-of-word suffix ("</w>").
//
// EncodePadded lays the ids out the Hugging Face way for a graph with an
// explicit attention mask: [start, content..., end, pad...], where the pad id
// is the end token for CLIP and truncation always keeps the end token.
//
// A Tokenizer is safe for concurrent use.
package tokenizer

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Default settings, those of CLIP as SAM 3 uses it.
const (
	// DefaultContextLength is the padded sequence length of SAM 3's text
	// encoder.
	DefaultContextLength = 32
	// StartToken is the content of CLIP's start-of-text token (id 49406).
	StartToken = "<|startoftext|>"
	// EndToken is the content of CLIP's end-of-text token (id 49407), which
	// is also its padding and unknown token.
	EndToken = "<|endoftext|>"
	// EndOfWordSuffix marks the last symbol of a word in CLIP's vocabulary.
	EndOfWordSuffix = "</w>"
)

// Tokenizer turns text into CLIP token ids. Build one with Load, Parse,
// FromMerges, New or FromWords.
type Tokenizer struct {
	vocab     map[string]int
	tokens    []string // by id; "" where no token has the id
	isAdded   []bool   // by id: added tokens, decoded verbatim
	added     []addedToken
	matcher   addedMatcher
	mergeList [][2]string // by rank
	merges    map[uint64]mergeRule
	suffix    string
	byteID    [256]int32 // id of each byte's symbol, -1 if missing
	byteEndID [256]int32 // the same with the end-of-word suffix
	startID   int
	endID     int
	padID     int
	unkID     int // -1: none
	maxLength int
	cache     wordCache
}

// addedToken is an entry of a tokenizer.json's added_tokens: a token matched
// whole in the text before pre-tokenization.
type addedToken struct {
	ID         int    `json:"id"`
	Content    string `json:"content"`
	SingleWord bool   `json:"single_word"`
	Lstrip     bool   `json:"lstrip"`
	Rstrip     bool   `json:"rstrip"`
	Normalized bool   `json:"normalized"`
	Special    bool   `json:"special"`
}

// config is everything a Tokenizer is built from.
type config struct {
	vocab     map[string]int
	merges    [][2]string
	added     []addedToken
	suffix    string
	startID   int
	endID     int
	padID     int
	unkID     int // -1: none
	maxLength int // 0: DefaultContextLength
}

// New builds a tokenizer from a vocabulary (token to id), merges in rank
// order (the first merges first), and special tokens. Tokens use the
// byte-level alphabet and the "</w>" end-of-word suffix, as in CLIP; each
// merge's two parts and their concatenation must be in the vocabulary.
//
// The first special is the start token and the second the end token, which
// also serves as padding and unknown token; further specials are matched in
// the text like them. Without specials they are StartToken and EndToken.
// A special missing from the vocabulary is given the next free id.
func New(vocab map[string]int, merges [][2]string, specials ...string) (*Tokenizer, error) {
	if len(specials) == 0 {
		specials = []string{StartToken, EndToken}
	}
	if len(specials) == 1 {
		return nil, fmt.Errorf("tokenizer: one special token %q given; give the start and the end token", specials[0])
	}
	v := make(map[string]int, len(vocab)+len(specials))
	next := 0
	for tok, id := range vocab {
		v[tok] = id
		next = max(next, id+1)
	}
	var added []addedToken
	for _, s := range specials {
		if s == "" {
			return nil, fmt.Errorf("tokenizer: empty special token; give each special token some text")
		}
		id, ok := v[s]
		if !ok {
			id = next
			v[s] = id
			next++
		}
		added = append(added, addedToken{ID: id, Content: s, Normalized: true, Special: true})
	}
	return build(config{
		vocab:   v,
		merges:  merges,
		added:   added,
		suffix:  EndOfWordSuffix,
		startID: added[0].ID,
		endID:   added[1].ID,
		padID:   added[1].ID,
		unkID:   added[1].ID,
	})
}

// build checks a configuration and makes a Tokenizer of it.
func build(c config) (*Tokenizer, error) {
	if len(c.vocab) == 0 {
		return nil, fmt.Errorf("tokenizer: empty vocabulary; give at least the byte symbols and the special tokens")
	}
	size := 0
	for tok, id := range c.vocab {
		if id < 0 {
			return nil, fmt.Errorf("tokenizer: token %q has negative id %d; ids start at 0", tok, id)
		}
		size = max(size, id+1)
	}
	for _, a := range c.added {
		if a.ID < 0 {
			return nil, fmt.Errorf("tokenizer: added token %q has negative id %d; ids start at 0", a.Content, a.ID)
		}
		size = max(size, a.ID+1)
	}
	t := &Tokenizer{
		vocab:     make(map[string]int, len(c.vocab)+len(c.added)),
		tokens:    make([]string, size),
		isAdded:   make([]bool, size),
		added:     append([]addedToken(nil), c.added...),
		mergeList: append([][2]string(nil), c.merges...),
		merges:    make(map[uint64]mergeRule, len(c.merges)),
		suffix:    c.suffix,
		startID:   c.startID,
		endID:     c.endID,
		padID:     c.padID,
		unkID:     c.unkID,
		maxLength: c.maxLength,
	}
	if t.maxLength <= 0 {
		t.maxLength = DefaultContextLength
	}
	taken := make([]bool, size)
	for tok, id := range c.vocab {
		if taken[id] {
			return nil, fmt.Errorf("tokenizer: tokens %q and %q both have id %d; give each token its own id", t.tokens[id], tok, id)
		}
		taken[id] = true
		t.tokens[id] = tok
		t.vocab[tok] = id
	}
	for _, a := range c.added {
		if id, ok := t.vocab[a.Content]; ok && id != a.ID {
			return nil, fmt.Errorf("tokenizer: added token %q has id %d but the vocabulary gives it %d; make them agree", a.Content, a.ID, id)
		}
		if taken[a.ID] && t.tokens[a.ID] != a.Content {
			return nil, fmt.Errorf("tokenizer: added token %q has id %d, which is token %q; give it a free id", a.Content, a.ID, t.tokens[a.ID])
		}
		taken[a.ID] = true
		t.tokens[a.ID] = a.Content
		t.vocab[a.Content] = a.ID
		t.isAdded[a.ID] = true
	}
	t.matcher = newAddedMatcher(t.added)
	if len(c.merges) >= 1<<31-1 {
		return nil, fmt.Errorf("tokenizer: %d merges is too many", len(c.merges))
	}
	for rank, m := range c.merges {
		ids := [3]int{}
		for k, tok := range [3]string{m[0], m[1], m[0] + m[1]} {
			id, ok := t.vocab[tok]
			if !ok {
				return nil, fmt.Errorf("tokenizer: merge %d (%q %q): %q is not in the vocabulary; add it or remove the merge", rank, m[0], m[1], tok)
			}
			ids[k] = id
		}
		// A repeated pair takes the later rank, as in CLIP and Hugging Face.
		t.merges[pairKey(int32(ids[0]), int32(ids[1]))] = mergeRule{rank: int32(rank), id: int32(ids[2])}
	}
	for b := 0; b < 256; b++ {
		sym := byteSymbol(byte(b))
		t.byteID[b] = t.lookup(sym)
		t.byteEndID[b] = t.lookup(sym + t.suffix)
	}
	for _, s := range []struct {
		name string
		id   int
	}{{"start", t.startID}, {"end", t.endID}, {"padding", t.padID}} {
		if s.id < 0 || s.id >= size || !taken[s.id] {
			return nil, fmt.Errorf("tokenizer: the %s token id %d is not in the vocabulary; add the token or fix its id", s.name, s.id)
		}
	}
	if t.unkID >= size || (t.unkID >= 0 && !taken[t.unkID]) {
		return nil, fmt.Errorf("tokenizer: the unknown token id %d is not in the vocabulary; add the token or fix its id", t.unkID)
	}
	return t, nil
}

// lookup returns the id of tok, or -1.
func (t *Tokenizer) lookup(tok string) int32 {
	if id, ok := t.vocab[tok]; ok {
		return int32(id)
	}
	return -1
}

// Encode returns the content token ids of text, without start, end or
// padding tokens. Added tokens written in the text, such as
// "<|endoftext|>", become their ids, as in CLIP and Hugging Face.
func (t *Tokenizer) Encode(text string) []int {
	ids, _ := t.encode(text, -1)
	return ids
}

// encode returns the content ids of text. With limit >= 0 it stops early and
// returns at most limit ids, reporting whether there were more.
func (t *Tokenizer) encode(text string, limit int) (ids []int, truncated bool) {
	s := cleanText(text)
	if limit >= 0 {
		ids = make([]int, 0, min(limit+1, len(s)+1))
	} else {
		ids = make([]int, 0, len(s)/4+1)
	}
	full := func() bool { return limit >= 0 && len(ids) > limit }
	var scan addedScan
	scan.start(&t.matcher, s)
	for pos := 0; pos <= len(s) && !full(); {
		at, after, added := scan.find(pos)
		for i := pos; i < at && !full(); {
			start, end := nextPretoken(s[:at], i)
			if start >= at {
				break
			}
			for _, id := range t.bpeWord(s[start:end]) {
				ids = append(ids, int(id))
			}
			i = end
		}
		if added < 0 {
			break
		}
		ids = append(ids, added)
		pos = after
	}
	if full() {
		return ids[:limit], true
	}
	return ids, false
}

// Encoding is a padded model input: token ids and attention mask of the same
// length.
type Encoding struct {
	// IDs are [start, content..., end, pad...].
	IDs []int64
	// AttentionMask is 1 for the start, content and end tokens and 0 for
	// padding.
	AttentionMask []int64
	// Truncated reports that content was cut to fit the length.
	Truncated bool
}

// EncodePadded encodes text as a model input of exactly length tokens:
// the start token, at most length-2 content tokens, the end token, then the
// pad token. Longer content is cut at the end and the end token kept, so it
// is at index length-1 and Truncated is set. A length of 0 or less means the
// tokenizer's context length (32 for SAM 3); a length of 1 holds only the
// end token.
func (t *Tokenizer) EncodePadded(text string, length int) Encoding {
	if length <= 0 {
		length = t.maxLength
	}
	e := Encoding{
		IDs:           make([]int64, 0, length),
		AttentionMask: make([]int64, length),
	}
	if length == 1 {
		e.IDs = append(e.IDs, int64(t.endID))
		e.AttentionMask[0] = 1
		e.Truncated = true
		return e
	}
	content, truncated := t.encode(text, length-2)
	e.Truncated = truncated
	e.IDs = append(e.IDs, int64(t.startID))
	for _, id := range content {
		e.IDs = append(e.IDs, int64(id))
	}
	e.IDs = append(e.IDs, int64(t.endID))
	for i := range e.IDs {
		e.AttentionMask[i] = 1
	}
	for len(e.IDs) < length {
		e.IDs = append(e.IDs, int64(t.padID))
	}
	return e
}

// VocabSize returns the number of token ids: one more than the largest id.
func (t *Tokenizer) VocabSize() int { return len(t.tokens) }

// StartID returns the id of the start-of-text token (49406 for CLIP).
func (t *Tokenizer) StartID() int { return t.startID }

// EndID returns the id of the end-of-text token (49407 for CLIP).
func (t *Tokenizer) EndID() int { return t.endID }

// PadID returns the id padding uses (49407, the end token, for CLIP).
func (t *Tokenizer) PadID() int { return t.padID }

// ContextLength returns the padded length EncodePadded uses when given none:
// the tokenizer.json's truncation or fixed padding length, else 32.
func (t *Tokenizer) ContextLength() int { return t.maxLength }

// Decode turns ids back into text, for debugging and tests: byte-level
// symbols become their bytes, the end-of-word suffix a space, added tokens
// such as "<|endoftext|>" their text, and ids without a token U+FFFD.
// The result is trimmed of spaces at the ends.
func (t *Tokenizer) Decode(ids []int) string {
	var b []byte
	for _, id := range ids {
		if id < 0 || id >= len(t.tokens) || t.tokens[id] == "" {
			b = utf8.AppendRune(b, utf8.RuneError)
			continue
		}
		tok := t.tokens[id]
		if t.isAdded[id] {
			b = append(b, tok...)
			continue
		}
		endOfWord := t.suffix != "" && strings.HasSuffix(tok, t.suffix)
		tok = strings.TrimSuffix(tok, t.suffix)
		for _, r := range tok {
			if r >= 0 && r < maxByteRune && runeToByte[r] >= 0 {
				b = append(b, byte(runeToByte[r]))
			} else {
				b = utf8.AppendRune(b, r)
			}
		}
		if endOfWord {
			b = append(b, ' ')
		}
	}
	return strings.TrimSpace(strings.ToValidUTF8(string(b), "\uFFFD"))
}
