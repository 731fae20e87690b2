package embcache

import (
	"container/list"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"

	"github.com/samwise-app/samwise/engine/ort"
)

// Entry is one cached embedding: named tensors.
type Entry = map[string]*ort.Tensor

// Cache is safe for concurrent use.
type Cache struct {
	memBudget  int64
	diskBudget int64
	dir        string
	log        *slog.Logger

	mu        sync.Mutex
	diskBytes int64      // -1 until the folder was scanned
	lru       *list.List // front = most recent; values are *item
	items     map[Key]*list.Element

	startWriter sync.Once
	writes      chan diskWrite
	pending     sync.WaitGroup
	memBytes    int64
	stats       Stats
}

type item struct {
	key   Key
	entry Entry
	size  int64
}

// Stats counts cache traffic.
type Stats struct {
	MemHits, DiskHits, Misses, Evictions int64
	MemBytes                             int64
}

// New makes a cache. dir may be empty for memory only; a zero budget disables
// that tier.
func New(dir string, memBudget, diskBudget int64, log *slog.Logger) *Cache {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Cache{memBudget: memBudget, diskBudget: diskBudget, dir: dir, log: log.With("subsystem", "embcache"),
		lru: list.New(), items: map[Key]*list.Element{}, diskBytes: -1}
}

// Get returns the embedding for k from memory, else from disk (promoting it
// to memory).
func (c *Cache) Get(k Key) (Entry, bool) {
	c.mu.Lock()
	if el, ok := c.items[k]; ok {
		c.lru.MoveToFront(el)
		c.stats.MemHits++
		e := el.Value.(*item).entry
		c.mu.Unlock()
		return e, true
	}
	c.mu.Unlock()
	if e, ok := c.readDisk(k); ok {
		c.mu.Lock()
		c.stats.DiskHits++
		c.mu.Unlock()
		c.putMem(k, e)
		return e, true
	}
	c.mu.Lock()
	c.stats.Misses++
	c.mu.Unlock()
	return nil, false
}

// Put stores the embedding in memory and on disk.
func (c *Cache) Put(k Key, e Entry) {
	if k.valid() != nil {
		return
	}
	c.putMem(k, e)
	c.writeDisk(k, e)
}

// GetDisk reads k from the disk tier only, without promoting it to memory
// (video frames are read once per pass; keeping them in memory would only
// push out the images being clicked).
func (c *Cache) GetDisk(k Key) (Entry, bool) {
	e, ok := c.readDisk(k)
	c.mu.Lock()
	if ok {
		c.stats.DiskHits++
	} else {
		c.stats.Misses++
	}
	c.mu.Unlock()
	return e, ok
}

// PutDisk stores k on disk only. The write happens in the background (one
// writer, a short queue), so it overlaps the next frame's work; Wait waits
// for it.
func (c *Cache) PutDisk(k Key, e Entry) {
	if k.valid() != nil || c.dir == "" || c.diskBudget == 0 {
		return
	}
	c.startWriter.Do(func() {
		c.writes = make(chan diskWrite, 4)
		go func() {
			for w := range c.writes {
				c.writeDisk(w.k, w.e)
				c.pending.Done()
			}
		}()
	})
	c.pending.Add(1)
	c.writes <- diskWrite{k, e}
}

type diskWrite struct {
	k Key
	e Entry
}

// Wait blocks until background disk writes are done.
func (c *Cache) Wait() { c.pending.Wait() }

// Stats returns a snapshot of the counters.
func (c *Cache) Stats() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := c.stats
	s.MemBytes = c.memBytes
	return s
}

func (c *Cache) putMem(k Key, e Entry) {
	var size int64
	for _, t := range e {
		size += t.Bytes()
	}
	if size > c.memBudget {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[k]; ok {
		c.memBytes -= el.Value.(*item).size
		c.lru.Remove(el)
	}
	c.items[k] = c.lru.PushFront(&item{key: k, entry: e, size: size})
	c.memBytes += size
	for c.memBytes > c.memBudget {
		el := c.lru.Back()
		it := el.Value.(*item)
		c.lru.Remove(el)
		delete(c.items, it.key)
		c.memBytes -= it.size
		c.stats.Evictions++
	}
}

// Has reports whether k is cached in memory or on disk, without loading it.
func (c *Cache) Has(k Key) bool {
	c.mu.Lock()
	_, ok := c.items[k]
	c.mu.Unlock()
	if ok {
		return true
	}
	if c.dir == "" || c.diskBudget == 0 || k.valid() != nil {
		return false
	}
	_, err := os.Stat(filepath.Join(c.dir, k.File()))
	return err == nil
}

func (c *Cache) readDisk(k Key) (Entry, bool) {
	if c.dir == "" || c.diskBudget == 0 || k.valid() != nil {
		return nil, false
	}
	p := filepath.Join(c.dir, k.File())
	f, err := os.Open(p)
	if err != nil {
		return nil, false
	}
	defer f.Close()
	e, err := Decode(f)
	if err != nil {
		c.log.Warn("dropping unreadable cache file", "path", p, "err", err)
		os.Remove(p)
		return nil, false
	}
	now := time.Now()
	os.Chtimes(p, now, now) // recency for disk eviction
	return e, true
}

func (c *Cache) writeDisk(k Key, e Entry) {
	if c.dir == "" || c.diskBudget == 0 {
		return
	}
	if err := os.MkdirAll(c.dir, 0o755); err != nil {
		c.log.Warn("cannot create cache directory", "dir", c.dir, "err", err)
		return
	}
	final := filepath.Join(c.dir, k.File())
	tmp, err := os.CreateTemp(c.dir, ".tmp-*")
	if err != nil {
		c.log.Warn("cannot write cache file", "err", err)
		return
	}
	err = Encode(tmp, e)
	if err == nil {
		err = tmp.Close()
	} else {
		tmp.Close()
	}
	if err == nil {
		err = os.Rename(tmp.Name(), final)
	}
	if err != nil {
		os.Remove(tmp.Name())
		c.log.Warn("cannot write cache file", "path", final, "err", err)
		return
	}
	c.mu.Lock()
	over := c.diskBytes < 0 || c.diskBytes > c.diskBudget
	if c.diskBytes >= 0 {
		if st, err := os.Stat(final); err == nil {
			c.diskBytes += st.Size()
		}
		over = c.diskBytes > c.diskBudget
	}
	c.mu.Unlock()
	if over {
		c.trimDisk()
	}
}

// trimDisk deletes the least recently used files until the disk budget holds.
func (c *Cache) trimDisk() {
	ents, err := os.ReadDir(c.dir)
	if err != nil {
		return
	}
	type f struct {
		path string
		size int64
		mod  time.Time
	}
	var files []f
	var total int64
	for _, de := range ents {
		if de.IsDir() || filepath.Ext(de.Name()) != ".emb" {
			continue
		}
		info, err := de.Info()
		if err != nil {
			continue
		}
		files = append(files, f{filepath.Join(c.dir, de.Name()), info.Size(), info.ModTime()})
		total += info.Size()
	}
	if total > c.diskBudget {
		// Down to 90% of the budget, so trimming is not needed on every write.
		sort.Slice(files, func(i, j int) bool { return files[i].mod.Before(files[j].mod) })
		for _, x := range files {
			if total <= c.diskBudget*9/10 {
				break
			}
			if os.Remove(x.path) == nil {
				total -= x.size
			}
		}
	}
	c.mu.Lock()
	c.diskBytes = total
	c.mu.Unlock()
}
