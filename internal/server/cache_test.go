package server

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Concurrent misses on one key run the handler once; the answer is kept
// under its dataset's tag and dropped with it; answers beyond the budget
// evict the least recently used.
func TestResponseCache(t *testing.T) {
	s := &Server{cache: newResponseCache(8 << 10)}
	var calls atomic.Int32
	c := s.cached(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		time.Sleep(50 * time.Millisecond)
		w.Write([]byte(r.URL.RawQuery + "|" + string(make([]byte, 600))))
	})
	// As apiRoutes serves a cached route that reads dataset and q.
	h := func(w http.ResponseWriter, r *http.Request) { c(w, withQuery(r, []string{"dataset", "q"})) }
	get := func(url string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		h(rec, httptest.NewRequest("GET", url, nil))
		return rec
	}
	var wg sync.WaitGroup
	for range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if rec := get("/x?dataset=7&junk=1"); rec.Code != 200 {
				t.Errorf("status %d", rec.Code)
			}
		}()
	}
	wg.Wait()
	if calls.Load() != 1 {
		t.Errorf("10 concurrent misses ran the handler %d times", calls.Load())
	}
	if rec := get("/x?junk=2&dataset=7"); rec.Header().Get("X-Agglo-Cache") != "hit" || rec.Body.String()[:15] != "dataset=7&lang=" {
		t.Errorf("second request: %q, %q", rec.Header().Get("X-Agglo-Cache"), rec.Body.String()[:20])
	}
	s.cache.invalidate("8")
	if rec := get("/x?dataset=7"); rec.Header().Get("X-Agglo-Cache") != "hit" {
		t.Error("invalidating another dataset dropped the entry")
	}
	s.cache.invalidate("7")
	if rec := get("/x?dataset=7"); rec.Header().Get("X-Agglo-Cache") != "miss" {
		t.Error("invalidating the dataset kept its entry")
	}
	for i := range 20 {
		get("/x?q=" + string(rune('a'+i)))
		if b, _ := s.cache.size(); b > 8<<10 {
			t.Fatalf("cache holds %d bytes, budget %d", b, 8<<10)
		}
	}
	if rec := get("/x?q=t"); rec.Header().Get("X-Agglo-Cache") != "hit" {
		t.Error("the most recent entry was evicted")
	}
	if rec := get("/x?q=a"); rec.Header().Get("X-Agglo-Cache") != "miss" {
		t.Error("the oldest entry was kept over the budget")
	}
}
