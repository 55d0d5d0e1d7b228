//go:build loadtest

package server

// Load tests of the agglo binary as users run it: `agglo serve` in its own
// process (so that its resident memory is measured alone, from
// /proc/PID/status), driven by Go clients in this process. Run them with
//
//	go test -tags loadtest -run TestServe -v -timeout 30m ./internal/server/
//
// AGGLO_BIN names a built binary to use instead of building one.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"agglo/internal/bench"
)

// maxMemory is the --max-memory of the served binary, and the bound its
// resident memory must stay under.
const maxMemory = 1 << 30

var binOnce struct {
	sync.Once
	path string
	err  error
}

// aggloBinary builds cmd/agglo once per test run.
func aggloBinary(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("AGGLO_BIN"); p != "" {
		return p
	}
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "agglo-load")
		if err != nil {
			binOnce.err = err
			return
		}
		binOnce.path = filepath.Join(dir, "agglo")
		cmd := exec.Command("go", "build", "-o", binOnce.path, "agglo/cmd/agglo")
		cmd.Dir = filepath.Join("..", "..")
		if out, err := cmd.CombinedOutput(); err != nil {
			binOnce.err = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binOnce.err != nil {
		t.Fatal(binOnce.err)
	}
	return binOnce.path
}

// served is an `agglo serve` process.
type served struct {
	t    *testing.T
	cmd  *exec.Cmd
	base string
}

var servingOn = regexp.MustCompile(`serving on http://([^/ ]+)/`)

// serve starts `agglo serve` on a loopback port over the workspace db.
func serve(t *testing.T, db string, args ...string) *served {
	t.Helper()
	cmd := exec.Command(aggloBinary(t), append([]string{"serve", "--lang", "en", "--addr", "127.0.0.1:0", "--db", db,
		"--max-memory", strconv.Itoa(maxMemory>>20) + "MiB"}, args...)...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &served{t: t, cmd: cmd}
	t.Cleanup(s.stop)
	sc := bufio.NewScanner(stderr)
	for sc.Scan() {
		if m := servingOn.FindStringSubmatch(sc.Text()); m != nil {
			s.base = "http://" + m[1]
			break
		}
	}
	if s.base == "" {
		t.Fatal("agglo serve did not start")
	}
	go io.Copy(io.Discard, stderr)
	return s
}

func (s *served) stop() {
	if s.cmd.ProcessState != nil {
		return
	}
	_ = s.cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		s.cmd.Process.Kill()
		<-done
	}
}

// memory returns the process's peak and current resident memory (VmHWM,
// VmRSS) in bytes.
func (s *served) memory() (peak, now int64) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		s.t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		kb, _ := strconv.ParseInt(f[1], 10, 64)
		switch f[0] {
		case "VmHWM:":
			peak = kb << 10
		case "VmRSS:":
			now = kb << 10
		}
	}
	return peak, now
}

// checkMemory logs the process's memory and requires the peak under
// maxMemory.
func (s *served) checkMemory(what string) {
	s.t.Helper()
	peak, now := s.memory()
	s.t.Logf("%s: server RSS peak %d MiB, now %d MiB (--max-memory %d MiB)", what, peak>>20, now>>20, maxMemory>>20)
	if peak >= maxMemory {
		s.t.Errorf("%s: server RSS peaked at %d MiB, over --max-memory %d MiB", what, peak>>20, maxMemory>>20)
	}
}

func loadavg() string {
	b, _ := os.ReadFile("/proc/loadavg")
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

func (s *served) upload(c *http.Client, name string, content []byte) (string, error) {
	ct, body := multipartBody(s.t, "file", name, content)
	res, err := c.Post(s.base+"/api/v1/datasets", ct, body)
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != 201 {
		return "", fmt.Errorf("upload %s: status %d: %.300s", name, res.StatusCode, b)
	}
	var up uploadResult
	if err := json.Unmarshal(b, &up); err != nil {
		return "", err
	}
	return up.Dataset.ID, nil
}

func (s *served) mustUpload(name string, content []byte) string {
	s.t.Helper()
	id, err := s.upload(&http.Client{Timeout: 10 * time.Minute}, name, content)
	if err != nil {
		s.t.Fatal(err)
	}
	return id
}

func syntheticFile(t *testing.T, spec bench.SyntheticSpec) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := bench.WriteSynthetic(&buf, spec, bench.CSV); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestServeMixedLoad runs 200 clients in closed loops for 60 s
// (LOAD_SECONDS overrides), each mixing reads (the cached GETs, the
// dataset list, the status, a region) with, every twentieth request, the
// upload of a small CSV and its deletion. It requires zero errors, a read
// p99 under 100 ms and the server's RSS under --max-memory.
func TestServeMixedLoad(t *testing.T) {
	s := serve(t, filepath.Join(t.TempDir(), "ws.db"))
	seconds := 60
	if v := os.Getenv("LOAD_SECONDS"); v != "" {
		fmt.Sscan(v, &seconds)
	}
	const clients, every = 200, 20
	c := client(clients)
	reads := append(cachedPaths(), "/api/v1/datasets", "/api/v1/status", "/api/v1/regions/110000")
	for _, p := range reads {
		if err := get(c, s.base+p); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("machine: %s; load average before %s", machine(), loadavg())
	deadline := time.Now().Add(time.Duration(seconds) * time.Second)
	var nReads, nUploads, errs atomic.Int64
	var mu sync.Mutex
	var readLat, upLat []time.Duration
	var firstErr error
	fail := func(err error) {
		errs.Add(1)
		mu.Lock()
		if firstErr == nil {
			firstErr = err
		}
		mu.Unlock()
	}
	var wg sync.WaitGroup
	for k := 0; k < clients; k++ {
		wg.Add(1)
		go func(k int) {
			defer wg.Done()
			var mine, up []time.Duration
			for i := k; time.Now().Before(deadline); i++ {
				t0 := time.Now()
				if i%every == 0 {
					id, err := s.upload(c, fmt.Sprintf("mixed-%d-%d.csv", k, i), []byte(okCSV))
					if err == nil {
						req, _ := http.NewRequest("DELETE", s.base+"/api/v1/datasets/"+id, nil)
						var res *http.Response
						if res, err = c.Do(req); err == nil {
							res.Body.Close()
							if res.StatusCode != 204 {
								err = fmt.Errorf("delete: status %d", res.StatusCode)
							}
						}
					}
					up = append(up, time.Since(t0))
					nUploads.Add(1)
					if err != nil {
						fail(err)
					}
					continue
				}
				err := get(c, s.base+reads[i%len(reads)])
				mine = append(mine, time.Since(t0))
				nReads.Add(1)
				if err != nil {
					fail(err)
				}
			}
			mu.Lock()
			readLat = append(readLat, mine...)
			upLat = append(upLat, up...)
			mu.Unlock()
		}(k)
	}
	wg.Wait()
	t.Logf("mixed load: %d clients (one request in %d an upload and a delete) for %ds: %d reads (%.0f/s), %d upload+delete pairs (%.0f/s), errors %d; reads p50 %v p99 %v max %v; upload+delete p50 %v p99 %v; load average after %s",
		clients, every, seconds, nReads.Load(), float64(nReads.Load())/float64(seconds), nUploads.Load(), float64(nUploads.Load())/float64(seconds),
		errs.Load(), quantile(readLat, 0.5), quantile(readLat, 0.99), quantile(readLat, 1), quantile(upLat, 0.5), quantile(upLat, 0.99), loadavg())
	if errs.Load() != 0 {
		t.Errorf("%d errors, first: %v", errs.Load(), firstErr)
	}
	if p99 := quantile(readLat, 0.99); p99 >= 100*time.Millisecond {
		t.Errorf("read p99 %v, want < 100 ms", p99)
	}
	s.checkMemory("mixed load")
}

// TestServeCacheBusting asks for the regions of a 300,000-unit dataset
// with 40 distinct bogus query strings, 8 at a time, and requires the
// server's RSS under --max-memory (the attack took it from 0.93 to
// 3.19 GB).
func TestServeCacheBusting(t *testing.T) {
	s := serve(t, filepath.Join(t.TempDir(), "ws.db"))
	id := s.mustUpload("units300k.csv", syntheticFile(t, bench.SyntheticSpec{Regions: 300_000, Indicators: 1, Years: 1, Layout: bench.LayoutLong, Seed: 1}))
	s.checkMemory("after the 300,000-unit upload")
	c := &http.Client{Timeout: 5 * time.Minute}
	start := time.Now()
	var wg sync.WaitGroup
	sem := make(chan struct{}, 8)
	var errs atomic.Int64
	var bytesIn atomic.Int64
	for i := 0; i < 40; i++ {
		wg.Add(1)
		sem <- struct{}{}
		go func(i int) {
			defer wg.Done()
			defer func() { <-sem }()
			res, err := c.Get(fmt.Sprintf("%s/api/v1/regions?dataset=%s&bust=%d", s.base, id, i))
			if err != nil {
				errs.Add(1)
				return
			}
			n, _ := io.Copy(io.Discard, res.Body)
			res.Body.Close()
			bytesIn.Add(n)
			if res.StatusCode != 200 {
				errs.Add(1)
			}
		}(i)
	}
	wg.Wait()
	t.Logf("machine: %s; 40 busting GETs of %d MB answers in %v, errors %d, load average %s", machine(), bytesIn.Load()/40>>20, time.Since(start).Round(time.Millisecond), errs.Load(), loadavg())
	if errs.Load() != 0 {
		t.Errorf("%d errors", errs.Load())
	}
	s.checkMemory("40 cache-busting GETs")
}

// TestServeHerd uploads a dataset of a million rows, restarts the server
// (nothing loaded) and sends 30 concurrent requests for it; the attack
// took 20 s a request and RSS from 0.25 to 2.6 GB.
func TestServeHerd(t *testing.T) {
	db := filepath.Join(t.TempDir(), "ws.db")
	s := serve(t, db)
	id := s.mustUpload("rows1m.csv", syntheticFile(t, bench.SyntheticSpec{Regions: 2000, Indicators: 100, Years: 5, Layout: bench.LayoutLong, Seed: 2}))
	s.checkMemory("upload of 1,000,000 rows")
	s.stop()
	s = serve(t, db)
	c := client(30)
	c.Timeout = 5 * time.Minute
	start := time.Now()
	lat := make([]time.Duration, 30)
	var errs atomic.Int64
	var wg sync.WaitGroup
	for i := 0; i < 30; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			t0 := time.Now()
			if err := get(c, fmt.Sprintf("%s/api/v1/indicators?dataset=%s&lang=%s&herd=%d", s.base, id, []string{"zh", "en"}[i%2], i)); err != nil {
				errs.Add(1)
			}
			lat[i] = time.Since(t0)
		}(i)
	}
	wg.Wait()
	t.Logf("machine: %s; 30 concurrent cold requests for a 1,000,000-row dataset: all answered in %v (p50 %v, max %v), errors %d, load average %s",
		machine(), time.Since(start).Round(time.Millisecond), quantile(lat, 0.5), quantile(lat, 1), errs.Load(), loadavg())
	if errs.Load() != 0 {
		t.Errorf("%d errors", errs.Load())
	}
	s.checkMemory("30-way herd")
}

// startSynJob uploads units synthetic regions and the syn5 framework and
// starts an uncertainty analysis of n runs; it returns the job's id, or
// the refusal.
func startSynJob(t *testing.T, s *served, c *http.Client, dsID string, n int) (string, int, string) {
	t.Helper()
	body := fmt.Sprintf(`{"dataset":%q,"framework":"syn5","n":%d}`, dsID, n)
	res, err := c.Post(s.base+"/api/v1/uncertainty", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	var j jobJSON
	json.Unmarshal(b, &j)
	return j.ID, res.StatusCode, string(b)
}

func synSetup(t *testing.T, s *served, units int) string {
	t.Helper()
	id := s.mustUpload("syn.csv", syntheticFile(t, bench.SyntheticSpec{Regions: units, Indicators: 5, Years: 1, Layout: bench.LayoutLong, Seed: 3}))
	res, err := http.Post(s.base+"/api/v1/frameworks", "application/yaml", strings.NewReader(synFramework))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 201 {
		t.Fatalf("framework: status %d", res.StatusCode)
	}
	return id
}

// TestServeSSEWatchers opens 1,000 progress streams on one running
// analysis (the attack: 4.2 GB, other requests 6-18 s) while a client
// measures the status endpoint.
func TestServeSSEWatchers(t *testing.T) {
	s := serve(t, filepath.Join(t.TempDir(), "ws.db"))
	ds := synSetup(t, s, 2000)
	c := &http.Client{Timeout: time.Minute}
	job, code, body := startSynJob(t, s, c, ds, 20000)
	if code != 202 {
		t.Fatalf("job: %d %s", code, body)
	}
	defer func() {
		req, _ := http.NewRequest("DELETE", s.base+"/api/v1/uncertainty/"+job, nil)
		if res, err := c.Do(req); err == nil {
			res.Body.Close()
		}
	}()
	watchers := &http.Client{Transport: &http.Transport{MaxConnsPerHost: 0, MaxIdleConnsPerHost: 1000}}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	codes := map[int]int{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	var received atomic.Int64
	// A probe measures another request meanwhile.
	var probe []time.Duration
	probeDone := make(chan struct{})
	go func() {
		defer close(probeDone)
		pc := client(1)
		for ctx.Err() == nil {
			t0 := time.Now()
			if err := get(pc, s.base+"/api/v1/status"); err == nil {
				probe = append(probe, time.Since(t0))
			}
			time.Sleep(20 * time.Millisecond)
		}
	}()
	for i := 0; i < 1000; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequestWithContext(ctx, "GET", s.base+"/api/v1/uncertainty/"+job+"/events", nil)
			res, err := watchers.Do(req)
			if err != nil {
				mu.Lock()
				codes[-1]++
				mu.Unlock()
				return
			}
			mu.Lock()
			codes[res.StatusCode]++
			mu.Unlock()
			n, _ := io.Copy(io.Discard, res.Body)
			received.Add(n)
			res.Body.Close()
		}()
	}
	time.Sleep(10 * time.Second)
	s.checkMemory("1,000 progress streams")
	cancel()
	wg.Wait()
	<-probeDone
	t.Logf("machine: %s; 1,000 streams on one analysis: status codes %v, %d KB of events received in 10 s; status probe p50 %v p99 %v max %v; load average %s",
		machine(), codes, received.Load()>>10, quantile(probe, 0.5), quantile(probe, 0.99), quantile(probe, 1), loadavg())
	if codes[200] > DefaultLimits().MaxWatchersPerJob {
		t.Errorf("%d streams admitted on one job, cap %d", codes[200], DefaultLimits().MaxWatchersPerJob)
	}
	if codes[-1] != 0 {
		t.Errorf("%d streams failed to connect", codes[-1])
	}
}

// TestServeLargestUncertainty runs the largest uncertainty analysis the
// default budget admits on 20,000 units (the attack: 20,000 units at
// n = 10,000 took 1.74 GB; n = 20,000 would take about 13 GB) and
// requires the server's RSS under --max-memory; a slightly larger one is
// refused with 422.
func TestServeLargestUncertainty(t *testing.T) {
	const units = 20000
	s := serve(t, filepath.Join(t.TempDir(), "ws.db"))
	ds := synSetup(t, s, units)
	_, _, jobBytes, _, _ := memoryShares(maxMemory)
	est := func(n int) int64 { return uaEstimate(t, units, n) }
	lo, hi := 2, maxUARuns
	for lo < hi { // the largest n whose estimate fits
		mid := (lo + hi + 1) / 2
		if est(mid) <= jobBytes {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	n := lo
	c := &http.Client{Timeout: time.Minute}
	// Rank statistics are kept in bounded memory, so the estimate grows
	// little with n: past the largest n the budget admits, a request is
	// refused for its cost (422), or for n itself (400) when the budget
	// admits every n the server allows.
	over, wantCode := n+100, 422
	if n == maxUARuns {
		wantCode = 400
	}
	if _, code, body := startSynJob(t, s, c, ds, over); code != wantCode {
		t.Errorf("n = %d (budget %d MiB): status %d, want %d: %.300s", over, jobBytes>>20, code, wantCode, body)
	}
	start := time.Now()
	job, code, body := startSynJob(t, s, c, ds, n)
	if code != 202 {
		t.Fatalf("n = %d (estimate %d MiB): status %d: %.300s", n, est(n)>>20, code, body)
	}
	var j jobJSON
	for {
		res, err := c.Get(s.base + "/api/v1/uncertainty/" + job)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		json.Unmarshal(b, &j)
		if j.State != jobRunning {
			break
		}
		time.Sleep(500 * time.Millisecond)
	}
	t.Logf("machine: %s; largest admitted analysis: %d units × n = %d (estimate %d MiB of the %d MiB budget): %s in %v; load average %s",
		machine(), units, n, est(n)>>20, jobBytes>>20, j.State, time.Since(start).Round(time.Second), loadavg())
	if j.State != jobDone {
		t.Errorf("job ended %s: %s", j.State, j.Error)
	}
	s.checkMemory("largest uncertainty analysis")
}
