package tokenizer

import (
	"strings"
	"sync"
)

// mergeRule is what a merge produces: its rank (lower merges first) and the
// id of the merged symbol.
type mergeRule struct {
	rank int32
	id   int32
}

// pairKey packs a pair of symbol ids into a map key.
func pairKey(a, b int32) uint64 {
	return uint64(uint32(a))<<32 | uint64(uint32(b))
}

// symbol is one node of the doubly linked list a word is merged in.
type symbol struct {
	id         int32
	prev, next int32 // indices of the neighbours, -1 at the ends
	gone       bool  // merged into its left neighbour
}

// candidate is a queued merge of the symbol at pos with its right neighbour.
type candidate struct {
	rank, pos, id int32
}

// less orders candidates by rank, then leftmost first.
func (c candidate) less(d candidate) bool {
	return c.rank < d.rank || (c.rank == d.rank && c.pos < d.pos)
}

// bpeWord returns the token ids of one pre-token (raw UTF-8 bytes): each byte
// becomes its byte-level symbol, the last one with the end-of-word suffix,
// and then merges are applied lowest rank first, leftmost first among equal
// ranks, exactly as Hugging Face's BPE model does. Symbols missing from the
// vocabulary become the unknown token, or are dropped when there is none.
// The result is shared with the cache and must not be modified.
func (t *Tokenizer) bpeWord(word string) []int32 {
	if ids, ok := t.cache.get(word); ok {
		return ids
	}
	syms := make([]symbol, 0, len(word))
	for i := 0; i < len(word); i++ {
		id := t.byteID[word[i]]
		if i == len(word)-1 {
			id = t.byteEndID[word[i]]
		}
		if id < 0 {
			if t.unkID < 0 {
				continue
			}
			id = int32(t.unkID)
		}
		n := int32(len(syms))
		syms = append(syms, symbol{id: id, prev: n - 1, next: n + 1})
	}
	if len(syms) > 0 {
		syms[len(syms)-1].next = -1
	}
	t.mergeSymbols(syms)
	ids := make([]int32, 0, len(syms))
	for i := 0; i >= 0 && i < len(syms); i = int(syms[i].next) {
		ids = append(ids, syms[i].id)
	}
	t.cache.put(word, ids)
	return ids
}

// mergeSymbols applies the merge rules to the linked list in syms.
func (t *Tokenizer) mergeSymbols(syms []symbol) {
	var queue []candidate
	push := func(pos int32) {
		next := syms[pos].next
		if next < 0 {
			return
		}
		if r, ok := t.merges[pairKey(syms[pos].id, syms[next].id)]; ok {
			queue = heapPush(queue, candidate{rank: r.rank, pos: pos, id: r.id})
		}
	}
	for i := range syms {
		push(int32(i))
	}
	for len(queue) > 0 {
		var c candidate
		c, queue = heapPop(queue)
		left := &syms[c.pos]
		if left.gone || left.next < 0 {
			continue
		}
		right := &syms[left.next]
		// The queued pair may have changed since: check it still merges to c.id.
		if r, ok := t.merges[pairKey(left.id, right.id)]; !ok || r.id != c.id {
			continue
		}
		left.id = c.id
		right.gone = true
		left.next = right.next
		if right.next >= 0 {
			syms[right.next].prev = c.pos
		}
		if left.prev >= 0 {
			push(left.prev)
		}
		push(c.pos)
	}
}

// heapPush adds c to the binary min-heap h.
func heapPush(h []candidate, c candidate) []candidate {
	h = append(h, c)
	i := len(h) - 1
	for i > 0 {
		p := (i - 1) / 2
		if !h[i].less(h[p]) {
			break
		}
		h[i], h[p] = h[p], h[i]
		i = p
	}
	return h
}

// heapPop removes and returns the smallest candidate of the non-empty heap h.
func heapPop(h []candidate) (candidate, []candidate) {
	top := h[0]
	last := len(h) - 1
	h[0] = h[last]
	h = h[:last]
	i := 0
	for {
		l := 2*i + 1
		if l >= len(h) {
			break
		}
		m := l
		if r := l + 1; r < len(h) && h[r].less(h[l]) {
			m = r
		}
		if !h[m].less(h[i]) {
			break
		}
		h[i], h[m] = h[m], h[i]
		i = m
	}
	return top, h
}

// wordCache remembers the BPE result of recent words. It is safe for
// concurrent use and stops growing at a fixed size, like Hugging Face's.
type wordCache struct {
	mu    sync.RWMutex
	words map[string][]int32
}

const (
	cacheCapacity = 10000 // most words remembered
	cacheMaxWord  = 256   // longest word remembered, in bytes
)

// get returns the cached ids of word.
func (c *wordCache) get(word string) ([]int32, bool) {
	c.mu.RLock()
	ids, ok := c.words[word]
	c.mu.RUnlock()
	return ids, ok
}

// put remembers the ids of word while there is room.
func (c *wordCache) put(word string, ids []int32) {
	if len(word) > cacheMaxWord {
		return
	}
	c.mu.Lock()
	if c.words == nil {
		c.words = make(map[string][]int32)
	}
	if len(c.words) < cacheCapacity {
		// Clone, so that a word cut from a long text does not keep it alive.
		c.words[strings.Clone(word)] = ids
	}
	c.mu.Unlock()
}
