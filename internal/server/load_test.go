//go:build loadtest

package server

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// The load tests run only with -tags loadtest:
//
//	go test -tags loadtest -run TestLoad -v ./internal/server/
//
// They start the server on a loopback port, drive it with Go clients for a
// fixed time and stop by themselves.

func startLoopback(t *testing.T) string {
	t.Helper()
	e := newEnv(t, Config{})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- e.srv.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	return "http://" + ln.Addr().String()
}

func client(conns int) *http.Client {
	return &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
		MaxIdleConns: conns, MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns, IdleConnTimeout: time.Minute}}
}

// cachedPaths are GETs the server answers from its response cache after
// the first call.
func cachedPaths() []string {
	return []string{
		"/api/v1/agglomerations",
		"/api/v1/agglomerations/YRD?lang=en",
		"/api/v1/replication",
		"/api/v1/measures?indicator=cric_composite",
		"/api/v1/observations?indicators=gdp_per_capita,population_density",
		"/api/v1/diagnosis?agglomeration=BTH",
	}
}

func get(c *http.Client, url string) error {
	res, err := c.Get(url)
	if err != nil {
		return err
	}
	_, err = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if err == nil && res.StatusCode != 200 {
		err = fmt.Errorf("%s: status %d", url, res.StatusCode)
	}
	return err
}

func quantile(d []time.Duration, q float64) time.Duration {
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	return d[int(q*float64(len(d)-1))]
}

func machine() string {
	host, _ := os.Hostname()
	return fmt.Sprintf("%s/%s, %d CPUs, %s, host %s, %s", runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.Version(), host, time.Now().UTC().Format("2006-01-02"))
}

// TestLoadRate sends cached GETs at a fixed 1,000 requests per second for
// 10 s (10,000 requests, open loop: each request starts on its tick whether
// or not earlier ones finished) and requires p99 latency under 20 ms.
func TestLoadRate(t *testing.T) {
	base := startLoopback(t)
	c := client(256)
	paths := cachedPaths()
	for _, p := range paths { // warm the cache
		if err := get(c, base+p); err != nil {
			t.Fatal(err)
		}
	}
	const rate, seconds = 1000, 10
	total := rate * seconds
	lat := make([]time.Duration, total)
	var errs atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for i := 0; i < total; i++ {
		// Request i starts at start + i/rate; when the sender falls behind
		// it catches up at once, so the average rate holds.
		if d := time.Until(start.Add(time.Duration(i) * time.Second / rate)); d > 0 {
			time.Sleep(d)
		}
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			t0 := time.Now()
			if err := get(c, base+paths[i%len(paths)]); err != nil {
				errs.Add(1)
			}
			lat[i] = time.Since(t0)
		}(i)
	}
	wg.Wait()
	elapsed := time.Since(start)
	p50, p99, max := quantile(lat, 0.50), quantile(lat, 0.99), quantile(lat, 1)
	t.Logf("machine: %s", machine())
	t.Logf("rate test: %d requests in %v (%.0f req/s achieved), errors %d, p50 %v, p99 %v, max %v",
		total, elapsed.Round(time.Millisecond), float64(total)/elapsed.Seconds(), errs.Load(), p50, p99, max)
	if errs.Load() != 0 {
		t.Errorf("%d errors", errs.Load())
	}
	if p99 >= 20*time.Millisecond {
		t.Errorf("p99 %v, want < 20ms", p99)
	}
}

// TestLoadConcurrent runs 200 clients for 60 s (LOAD_SECONDS overrides),
// each looping over the cached GETs plus uncached reads (dataset list,
// status, a region), and requires zero errors.
func TestLoadConcurrent(t *testing.T) {
	base := startLoopback(t)
	seconds := 60
	if v := os.Getenv("LOAD_SECONDS"); v != "" {
		fmt.Sscan(v, &seconds)
	}
	const clients = 200
	c := client(clients)
	paths := append(cachedPaths(), "/api/v1/datasets", "/api/v1/status", "/api/v1/regions/110000")
	deadline := time.Now().Add(time.Duration(seconds) * time.Second)
	var n, errs atomic.Int64
	var mu sync.Mutex
	var lat []time.Duration
	var firstErr error
	var wg sync.WaitGroup
	for k := 0; k < clients; k++ {
		wg.Add(1)
		go func(k int) {
			defer wg.Done()
			var mine []time.Duration
			for i := k; time.Now().Before(deadline); i++ {
				t0 := time.Now()
				err := get(c, base+paths[i%len(paths)])
				mine = append(mine, time.Since(t0))
				n.Add(1)
				if err != nil {
					errs.Add(1)
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
				}
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		}(k)
	}
	wg.Wait()
	t.Logf("machine: %s", machine())
	t.Logf("concurrency test: %d clients for %ds: %d requests (%.0f req/s), errors %d, p50 %v, p99 %v, max %v",
		clients, seconds, n.Load(), float64(n.Load())/float64(seconds), errs.Load(), quantile(lat, 0.5), quantile(lat, 0.99), quantile(lat, 1))
	if errs.Load() != 0 {
		t.Errorf("%d errors, first: %v", errs.Load(), firstErr)
	}
}
