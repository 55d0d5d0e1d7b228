package server

import (
	"bytes"
	"container/list"
	"net/http"
	"net/url"
	"strconv"
	"sync"
)

// responseCache keeps successful GET responses of pure handlers within a
// byte budget, least recently used first out. Keys are normalised to the
// parameters the route knows (see cached), so that unknown parameters
// cannot make new entries; each entry is tagged with its dataset, so that a
// change of one dataset drops only that dataset's entries. Concurrent
// misses on one key compute the response once and share it.
type responseCache struct {
	mu       sync.Mutex
	budget   int64 // bytes of all entries
	maxEntry int64 // bytes of one entry; larger responses are not kept
	bytes    int64
	lru      *list.List // of *cacheEntry, most recent first
	entries  map[string]*list.Element
	calls    map[string]*cacheCall
	// gen counts invalidations: a response computed while one happened is
	// not kept (it may come from the data that changed).
	gen uint64
}

type cacheEntry struct {
	key, tag string
	resp     *cachedResponse
	size     int64
}

// cachedResponse is a recorded response.
type cachedResponse struct {
	status int
	header http.Header
	body   []byte
}

type cacheCall struct {
	done chan struct{}
	resp *cachedResponse // nil when the handler panicked
}

// entryOverhead approximates the bookkeeping of one entry (list element,
// map slot, headers) beyond its key and body.
const entryOverhead = 512

func newResponseCache(budget int64) *responseCache {
	return &responseCache{budget: budget, maxEntry: budget / 4, lru: list.New(), entries: map[string]*list.Element{}, calls: map[string]*cacheCall{}}
}

// size returns the bytes and number of the kept entries.
func (c *responseCache) size() (int64, int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.bytes, len(c.entries)
}

// clear drops every entry: a change that affects every answer (the
// workspace's agglomeration sets).
func (c *responseCache) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	for c.lru.Len() > 0 {
		c.remove(c.lru.Front())
	}
}

// invalidate drops the entries of dataset tag.
func (c *responseCache) invalidate(tag string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	for el := c.lru.Front(); el != nil; {
		next := el.Next()
		if e := el.Value.(*cacheEntry); e.tag == tag {
			c.remove(el)
		}
		el = next
	}
}

func (c *responseCache) remove(el *list.Element) {
	e := c.lru.Remove(el).(*cacheEntry)
	delete(c.entries, e.key)
	c.bytes -= e.size
}

// lookup returns the entry of key, or the call computing it (wait on it),
// or, when neither exists, a new call that the caller must finish.
func (c *responseCache) lookup(key string) (resp *cachedResponse, call *cacheCall, leader bool, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.entries[key]; ok {
		c.lru.MoveToFront(el)
		return el.Value.(*cacheEntry).resp, nil, false, 0
	}
	if call, ok := c.calls[key]; ok {
		return nil, call, false, 0
	}
	call = &cacheCall{done: make(chan struct{})}
	c.calls[key] = call
	return nil, call, true, c.gen
}

// finish ends the call computing key: a 200 response within maxEntry is
// kept unless an invalidation happened since gen; waiters get resp.
func (c *responseCache) finish(key, tag string, call *cacheCall, resp *cachedResponse, gen uint64) {
	c.mu.Lock()
	delete(c.calls, key)
	if resp != nil && resp.status == http.StatusOK && gen == c.gen {
		size := int64(len(key)+len(tag)+len(resp.body)) + entryOverhead
		if size <= c.maxEntry {
			c.entries[key] = c.lru.PushFront(&cacheEntry{key: key, tag: tag, resp: resp, size: size})
			c.bytes += size
			for c.bytes > c.budget {
				c.remove(c.lru.Back())
			}
		}
	}
	c.mu.Unlock()
	call.resp = resp
	close(call.done)
}

// recorder buffers a response.
type recorder struct {
	h      http.Header
	status int
	buf    bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.h }
func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
}
func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.buf.Write(b)
}

// cached serves h through the response cache. The key is the path and
// the query, which the route has cut to the parameters h reads and the
// language (see withQuery), so that a parameter h does not know can
// neither make a new entry nor change an answer. The entry's tag is its
// dataset (paper when absent).
func (s *Server) cached(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		key := r.URL.Path + "?" + r.URL.RawQuery
		tag := r.URL.Query().Get("dataset")
		if tag == "" {
			tag = paperID
		}

		resp, call, leader, gen := s.cache.lookup(key)
		if resp != nil {
			writeCached(w, resp, "hit")
			return
		}
		if !leader {
			select {
			case <-call.done:
			case <-r.Context().Done():
				return
			}
			if call.resp != nil {
				writeCached(w, call.resp, "shared")
				return
			}
			h(w, r) // the computing request failed; compute again
			return
		}
		var rec *cachedResponse
		defer func() { s.cache.finish(key, tag, call, rec, gen) }()
		buf := &recorder{h: http.Header{}}
		h(buf, r)
		if buf.status == 0 {
			buf.status = http.StatusOK
		}
		resp = &cachedResponse{status: buf.status, header: buf.h, body: buf.buf.Bytes()}
		writeCached(w, resp, "miss")
		if r.Context().Err() == nil {
			// An answer cut short by its client going away is neither
			// kept nor shared: the waiters compute their own.
			rec = resp
		}
	}
}

func writeCached(w http.ResponseWriter, resp *cachedResponse, state string) {
	for k, v := range resp.header {
		w.Header()[k] = v
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(resp.body)))
	w.Header().Set("X-Agglo-Cache", state)
	w.WriteHeader(resp.status)
	_, _ = w.Write(resp.body)
}

// withQuery returns r with its query cut to the parameters params (first
// value of each) and the language lang(r) resolves, so that the route's
// handler reads only what the route declares.
func withQuery(r *http.Request, params []string) *http.Request {
	q := r.URL.Query()
	kept := url.Values{}
	for _, p := range params {
		if v := q[p]; len(v) > 0 {
			kept.Set(p, v[0])
		}
	}
	kept.Set("lang", lang(r))
	u := *r.URL
	u.RawQuery = kept.Encode()
	r = r.WithContext(r.Context())
	r.URL = &u
	return r
}
