package server

// The security suite: each test replays one attack on the server found by
// a review of agglo serve (DNS rebinding, cache busting, thundering herds,
// progress-stream amplification, costly analyses, slow and bombing
// uploads, formula injection, echoed cells, directory listings) and
// checks that it is refused or bounded. Run it with
//
//	go test ./internal/server -run Security
//
// The bounded load tests that measure the same attacks out of process are
// in load_test.go (build tag loadtest).

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"agglo/internal/bench"
	"agglo/internal/strategy"
)

// doHost sends a request with the given Host header.
func (e *testEnv) doHost(host, method, path, contentType string, body io.Reader, headers ...string) resp {
	e.t.Helper()
	req, err := http.NewRequest(method, e.ts.URL+path, body)
	if err != nil {
		e.t.Fatal(err)
	}
	req.Host = host
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := e.ts.Client().Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return resp{status: res.StatusCode, header: res.Header, body: b}
}

func (e *testEnv) port() string {
	u, _ := url.Parse(e.ts.URL)
	return u.Port()
}

// uploadID uploads content and returns the new dataset's id.
func (e *testEnv) uploadID(name string, content []byte, headers ...string) string {
	e.t.Helper()
	r := e.upload(name, content, headers...)
	want(e.t, r, 201)
	var up uploadResult
	r.json(e.t, &up)
	return up.Dataset.ID
}

func synthetic(t *testing.T, spec bench.SyntheticSpec, format string) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := bench.WriteSynthetic(&buf, spec, format); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// Attack 1: DNS rebinding. A page at attacker.example:PORT, re-pointed at
// 127.0.0.1, is same-origin to the browser; its requests carry
// Host: attacker.example:PORT. Every one is refused before routing.
func TestSecurityHostAllowList(t *testing.T) {
	e := newSecEnv(t, secConfig{AllowedHosts: []string{"agglo.example.org"}})
	id := e.uploadID("gdp.csv", []byte(okCSV))
	evil := "attacker.example:" + e.port()
	same := []string{"Origin", "http://" + evil, "Sec-Fetch-Site", "same-origin"}
	ct, body := multipartBody(t, "file", "gdp.csv", []byte(okCSV))
	for _, c := range []struct {
		method, path string
		ct           string
		body         io.Reader
	}{
		{"POST", "/api/v1/datasets", ct, body},
		{"GET", "/api/v1/datasets/" + id + "/export?format=csv", "", nil},
		{"DELETE", "/api/v1/datasets/" + id, "", nil},
		{"GET", "/api/v1/datasets", "", nil},
		{"GET", "/api/v1/status", "", nil},
		{"GET", "/", "", nil},
		{"GET", "/data", "", nil},
		{"GET", "/static/app.js", "", nil},
		{"GET", "/vendor/china-map/china.json", "", nil},
		{"GET", "/no/such/page", "", nil},
	} {
		r := e.doHost(evil, c.method, c.path, c.ct, c.body, same...)
		if r.status != http.StatusMisdirectedRequest {
			t.Errorf("%s %s with Host %s: status %d, want 421", c.method, c.path, evil, r.status)
		}
	}
	// The dataset is still there.
	want(t, e.get("/api/v1/datasets/"+id), 200)
	for _, host := range []string{"127.0.0.1:" + e.port(), "localhost:" + e.port(), "localhost", "[::1]:" + e.port(), "[::1]",
		"LOCALHOST:9999", "agglo.example.org", "Agglo.Example.Org.:8443"} {
		if r := e.doHost(host, "GET", "/api/v1/status", "", nil); r.status != 200 {
			t.Errorf("Host %s: status %d, want 200", host, r.status)
		}
	}
	for _, host := range []string{"127.0.0.1.attacker.example", "localhost.attacker.example", "0.0.0.0:" + e.port(), "192.168.1.5"} {
		if r := e.doHost(host, "GET", "/api/v1/status", "", nil); r.status != http.StatusMisdirectedRequest {
			t.Errorf("Host %q: status %d, want 421", host, r.status)
		}
	}
	// An HTTP/1.0 request may come without a Host header at all.
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("GET", "/api/v1/status", nil)
	req.Host = ""
	e.srv.Handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusMisdirectedRequest {
		t.Errorf("no Host: status %d, want 421", rec.Code)
	}
}

// Attack 1, second half: with a token, reads of uploaded data (and their
// exports) need it too, unless reads are made public explicitly.
func TestSecurityTokenGuardsReads(t *testing.T) {
	e := newSecEnv(t, secConfig{Token: "s3cret"})
	id := e.uploadID("secret-name.csv", []byte(okCSV))
	private := []string{
		"/api/v1/datasets",
		"/api/v1/datasets/" + id,
		"/api/v1/datasets/" + id + "/export?format=csv",
		"/api/v1/regions?dataset=" + id,
		"/api/v1/agglomerations?dataset=" + id,
		"/api/v1/analyses",
		"/?dataset=" + id,
	}
	// The other uploads of the workspace: a framework, a rulebook, an
	// agglomeration set.
	want(t, e.do("POST", "/api/v1/frameworks", "application/yaml", strings.NewReader(synFramework)), 201)
	want(t, e.do("POST", "/api/v1/rulebooks?name=mine", "application/yaml", strings.NewReader(string(strategy.DefaultRulebookYAML()))), 201)
	want(t, e.do("POST", "/api/v1/agglomeration-sets?name=chengdu&file_name=cdx.csv", "text/plain",
		strings.NewReader("code,name_zh,name_en,member,core\nCDX,成德眉资,Chengdu metropolitan area,成都,true\nCDX,,,德阳,\n")), 201)
	private = append(private, "/api/v1/frameworks/syn5", "/api/v1/rulebooks", "/api/v1/rulebooks/mine",
		"/api/v1/agglomeration-sets", "/api/v1/agglomeration-sets/chengdu")
	for _, p := range private {
		if r := e.get(p); r.status != 401 {
			t.Errorf("GET %s without the token: status %d, want 401", p, r.status)
		}
		if r := e.get(p, "Authorization", "Bearer wrong"); r.status != 401 {
			t.Errorf("GET %s with a wrong token: status %d, want 401", p, r.status)
		}
		for _, h := range [][]string{{"Authorization", "Bearer s3cret"}, {"Authorization", "bearer s3cret"}, {"X-Agglo-Token", "s3cret"},
			{"Cookie", tokenCookieName() + "=s3cret"}} {
			if r := e.get(p, h...); r.status != 200 {
				t.Errorf("GET %s with %s: status %d, want 200", p, h[0], r.status)
			}
		}
	}
	// A measure of a stored framework needs the token too (with it, the
	// paper's data lack the framework's indicators: not a 401).
	p := "/api/v1/measures/obstacle?framework=syn5"
	if r := e.get(p); r.status != 401 {
		t.Errorf("GET %s without the token: status %d, want 401", p, r.status)
	}
	if r := e.get(p, "X-Agglo-Token", "s3cret"); r.status == 401 {
		t.Errorf("GET %s with the token: status 401", p)
	}
	// The built-in data and frameworks and the dashboard stay open,
	// without the uploads.
	for _, p := range []string{"/api/v1/agglomerations", "/api/v1/status", "/", "/data", "/static/app.js", "/api/v1/frameworks", "/api/v1/frameworks/cric",
		"/api/v1/indicators?dataset=census", "/api/v1/indicators?dataset=paper%2Bcensus", "/api/v1/measures/obstacle?framework=cric", "/?dataset=census"} {
		if r := e.get(p); r.status != 200 {
			t.Errorf("GET %s: status %d, want 200", p, r.status)
		}
	}
	if r := e.get("/api/v1/frameworks"); strings.Contains(string(r.body), "syn5") {
		t.Error("the framework list shows a stored framework to a client without the token")
	}
	if r := e.get("/api/v1/frameworks", "X-Agglo-Token", "s3cret"); !strings.Contains(string(r.body), "syn5") {
		t.Error("the framework list does not show the stored framework to the token holder")
	}
	if r := e.get("/data"); strings.Contains(string(r.body), "secret-name") {
		t.Error("the data page lists an upload to a client without the token")
	}
	if r := e.get("/data", "Cookie", tokenCookieName()+"=s3cret"); !strings.Contains(string(r.body), "secret-name") {
		t.Error("the data page does not list the upload to the token holder")
	}
	// A cookie does not authorise a write.
	ct, body := multipartBody(t, "file", "gdp.csv", []byte(okCSV))
	req, _ := http.NewRequest("POST", e.ts.URL+"/api/v1/datasets", body)
	req.Header.Set("Content-Type", ct)
	req.Header.Set("Cookie", tokenCookieName()+"=s3cret")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 401 {
		t.Errorf("write with the cookie only: status %d, want 401", res.StatusCode)
	}

	pub := newSecEnv(t, secConfig{Token: "s3cret", PublicReads: true})
	id = pub.uploadID("gdp.csv", []byte(okCSV))
	want(t, pub.get("/api/v1/datasets/"+id+"/export?format=csv"), 200)
}

// The token travels as a cookie for page loads; its name is the server's.
func tokenCookieName() string { return "agglo_token" }

// Attack 12 (part): the Bearer scheme is case-insensitive (RFC 9110,
// section 11.1).
func TestSecurityBearerSchemeCaseInsensitive(t *testing.T) {
	e := newSecEnv(t, secConfig{Token: "s3cret"})
	for _, a := range []string{"bearer s3cret", "BEARER s3cret", "Bearer   s3cret"} {
		if r := e.upload("gdp.csv", []byte(okCSV), "Authorization", a); r.status != 201 {
			t.Errorf("Authorization: %s: status %d, want 201", a, r.status)
		}
	}
	for _, a := range []string{"Basic s3cret", "Bearers3cret", "bearer", "Bearer s3cre"} {
		if r := e.upload("gdp.csv", []byte(okCSV), "Authorization", a); r.status != 401 {
			t.Errorf("Authorization: %s: status %d, want 401", a, r.status)
		}
	}
}

// Attack 2: cache busting. Unknown query parameters are not part of the
// key: 40 bogus values give one entry, served from the cache.
func TestSecurityCacheKeyIgnoresUnknownParameters(t *testing.T) {
	e := newSecEnv(t, secConfig{})
	want(t, e.get("/api/v1/regions?bust=0"), 200)
	after1 := cacheBytes(e.srv)
	for i := 1; i < 40; i++ {
		r := e.get(fmt.Sprintf("/api/v1/regions?bust=%d&x%d=y", i, i))
		want(t, r, 200)
		if r.header.Get("X-Agglo-Cache") != "hit" {
			t.Fatalf("request %d with a bogus parameter was not served from the cache", i)
		}
	}
	if got := cacheBytes(e.srv); got != after1 {
		t.Errorf("cache grew from %d to %d bytes on bogus parameters", after1, got)
	}
	// Known parameters still make their own answers, and the language
	// is part of the key.
	r := e.get("/api/v1/regions?level=agglomeration&bust=1")
	if r.header.Get("X-Agglo-Cache") == "hit" {
		t.Error("a known parameter was answered from another key's entry")
	}
	var regs []regionJSON
	r.json(t, &regs)
	if len(regs) != 19 { // the 19 national agglomerations
		t.Errorf("level=agglomeration gave %d regions", len(regs))
	}
	en := e.get("/api/v1/regions?level=agglomeration&lang=en")
	zh := e.get("/api/v1/regions?level=agglomeration")
	if bytes.Equal(en.body, zh.body) {
		t.Error("English and Chinese share an entry")
	}
}

// Attack 2: the response cache is bounded in bytes, however many
// distinct legitimate answers are asked for.
func TestSecurityResponseCacheBoundedInBytes(t *testing.T) {
	const budget = 24 << 10
	e := newSecEnv(t, secConfig{CacheBytes: budget})
	var regs []regionJSON
	e.get("/api/v1/regions").json(t, &regs)
	served := 0
	for _, rg := range regs {
		for _, l := range []string{"zh", "en"} {
			r := e.get("/api/v1/regions/" + url.PathEscape(rg.Code) + "?lang=" + l)
			served += len(r.body)
			r = e.get("/api/v1/observations?regions=" + url.QueryEscape(rg.Code) + "&lang=" + l)
			served += len(r.body)
		}
	}
	if served < 4*budget {
		t.Fatalf("only %d bytes served; the test needs more than %d", served, 4*budget)
	}
	if got := cacheBytes(e.srv); got > budget || got == 0 {
		t.Errorf("cache holds %d bytes after serving %d, budget %d", got, served, budget)
	}
}

// Attack 4: a thundering herd on a dataset that is not in memory loads it
// once: 30 concurrent requests allocate about what one does, not 30 times
// as much.
func TestSecurityDatasetHerdLoadsOnce(t *testing.T) {
	e := newSecEnv(t, secConfig{})
	id := e.uploadID("herd.csv", synthetic(t, bench.SyntheticSpec{Regions: 1000, Indicators: 20, Years: 5, Layout: bench.LayoutLong, Seed: 5}, bench.CSV))
	path := "/api/v1/indicators?dataset=" + id
	allocs := func(clients int) uint64 {
		evictDatasets(e.srv)
		var m0, m1 runtime.MemStats
		runtime.ReadMemStats(&m0)
		var wg sync.WaitGroup
		codes := make([]int, clients)
		for i := range clients {
			wg.Add(1)
			go func() {
				defer wg.Done()
				// Distinct languages and bogus parameters defeat the
				// response cache but not the dataset cache.
				res, err := http.Get(e.ts.URL + path + fmt.Sprintf("&n=%d&lang=%s", i, []string{"zh", "en"}[i%2]))
				if err != nil {
					return
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				codes[i] = res.StatusCode
			}()
		}
		wg.Wait()
		runtime.ReadMemStats(&m1)
		for i, c := range codes {
			if c != 200 {
				t.Fatalf("client %d: status %d", i, c)
			}
		}
		return m1.TotalAlloc - m0.TotalAlloc
	}
	one := allocs(1)
	herd := allocs(30)
	t.Logf("one cold request allocated %d MB, 30 concurrent ones %d MB", one>>20, herd>>20)
	if herd > 3*one {
		t.Errorf("30 concurrent cold requests allocated %d bytes, %.1f times one request's %d: the dataset was loaded more than once",
			herd, float64(herd)/float64(one), one)
	}
}

// Attack 4: the datasets kept in memory are bounded in bytes.
func TestSecurityDatasetCacheBoundedInBytes(t *testing.T) {
	const budget = 3 << 20
	e := newSecEnv(t, secConfig{DatasetBytes: budget})
	var ids []string
	for i := range 5 {
		ids = append(ids, e.uploadID(fmt.Sprintf("d%d.csv", i),
			synthetic(t, bench.SyntheticSpec{Regions: 400, Indicators: 5, Years: 5, Layout: bench.LayoutLong, Seed: uint64(i + 1)}, bench.CSV)))
	}
	for _, id := range append(ids, ids...) {
		want(t, e.get("/api/v1/indicators?dataset="+id+"&lang=en"), 200)
		if got := datasetCacheBytes(e.srv); got > budget {
			t.Fatalf("loaded datasets take an estimated %d bytes, budget %d", got, budget)
		}
	}
	if datasetCacheBytes(e.srv) == 0 {
		t.Error("no dataset kept at all")
	}
}

// longJob starts an uncertainty analysis that runs for seconds (2,000
// synthetic units, 20,000 runs) and returns its id.
func longJob(t *testing.T, e *testEnv, dsID string) string {
	t.Helper()
	r := e.postJSON("/api/v1/uncertainty", `{"dataset":"`+dsID+`","framework":"syn5","n":20000}`)
	want(t, r, 202)
	var j jobJSON
	r.json(t, &j)
	t.Cleanup(func() { e.do("DELETE", "/api/v1/uncertainty/"+j.ID, "", nil) })
	return j.ID
}

func synJobData(t *testing.T, e *testEnv) string {
	t.Helper()
	id := e.uploadID("syn.csv", synthetic(t, bench.SyntheticSpec{Regions: 2000, Indicators: 5, Years: 1, Layout: bench.LayoutLong, Seed: 3}, bench.CSV))
	want(t, e.do("POST", "/api/v1/frameworks", "application/yaml", strings.NewReader(synFramework)), 201)
	return id
}

// openStream opens a job's progress stream and returns the response with
// its body open.
func openStream(t *testing.T, e *testEnv, id string) *http.Response {
	t.Helper()
	res, err := http.Get(e.ts.URL + "/api/v1/uncertainty/" + id + "/events")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { res.Body.Close() })
	return res
}

// Attack 5: progress events carry the progress, not the job's unit maps.
func TestSecuritySSEProgressCarriesOnlyCounts(t *testing.T) {
	e := newSecEnv(t, secConfig{})
	id := longJob(t, e, synJobData(t, e))
	res := openStream(t, e, id)
	if res.StatusCode != 200 {
		t.Fatalf("stream: status %d", res.StatusCode)
	}
	buf := make([]byte, 64<<10)
	var got []byte
	deadline := time.Now().Add(10 * time.Second)
	for strings.Count(string(got), "event: progress") < 2 && time.Now().Before(deadline) {
		n, err := res.Body.Read(buf)
		got = append(got, buf[:n]...)
		if err != nil {
			break
		}
	}
	events := 0
	for _, block := range strings.Split(string(got), "\n\n") {
		if !strings.HasPrefix(block, "event: progress\n") {
			continue
		}
		data := strings.TrimPrefix(block, "event: progress\ndata: ")
		var m map[string]any
		if err := json.Unmarshal([]byte(data), &m); err != nil {
			t.Fatalf("event data %q: %v", data, err)
		}
		events++
		for k := range m {
			switch k {
			case "id", "state", "done", "total", "progress":
			default:
				t.Errorf("a progress event carries %q (%d bytes in all)", k, len(data))
			}
		}
		if len(data) > 200 {
			t.Errorf("a progress event of %d bytes", len(data))
		}
	}
	if events < 2 {
		t.Fatalf("%d progress events in %q", events, got)
	}
}

// Attack 5: progress streams are capped per job (429) and in all (503).
func TestSecuritySSEWatcherCaps(t *testing.T) {
	e := newSecEnv(t, secConfig{MaxWatchersPerJob: 2, MaxWatchers: 3})
	ds := synJobData(t, e)
	a, b := longJob(t, e, ds), longJob(t, e, ds)
	for i, c := range []struct {
		job  string
		want int
	}{{a, 200}, {a, 200}, {a, http.StatusTooManyRequests}, {b, 200}, {b, http.StatusServiceUnavailable}} {
		if res := openStream(t, e, c.job); res.StatusCode != c.want {
			t.Errorf("stream %d: status %d, want %d", i+1, res.StatusCode, c.want)
		}
	}
}

// Attack 3: an uncertainty analysis is admitted by its estimated memory,
// and n = 1 is refused at once.
func TestSecurityUncertaintyAdmission(t *testing.T) {
	e := newSecEnv(t, secConfig{})
	r := e.postJSON("/api/v1/uncertainty", `{"framework":"cric","n":1}`)
	want(t, r, 400)
	if f := r.errBody(t).Field; f != "n" {
		t.Errorf("n=1 refused naming %q", f)
	}

	small := newSecEnv(t, secConfig{JobBytes: 1 << 20})
	r = small.postJSON("/api/v1/uncertainty", `{"framework":"cric","n":1000}`, "Accept-Language", "en")
	want(t, r, 422)
	eb := r.errBody(t)
	if eb.Field != "n" || !strings.Contains(eb.Message, "limit of 1 MB") {
		t.Errorf("over-budget analysis refused with %+v", eb)
	}

	// Room for one long analysis, not two at once: the second is refused
	// while the first runs and admitted once it is cancelled.
	one := uaEstimate(t, 2000, 20000)
	e = newSecEnv(t, secConfig{JobBytes: one + one/2})
	ds := synJobData(t, e)
	first := longJob(t, e, ds)
	r = e.postJSON("/api/v1/uncertainty", `{"dataset":"`+ds+`","framework":"syn5","n":20000}`, "Accept-Language", "en")
	want(t, r, 422)
	if eb := r.errBody(t); !strings.Contains(eb.Message, "running analyses") {
		t.Errorf("second analysis refused with %+v", eb)
	}
	want(t, e.do("DELETE", "/api/v1/uncertainty/"+first, "", nil), 200)
	waitJob(t, e, first)
	deadline := time.Now().Add(5 * time.Second)
	for {
		r = e.postJSON("/api/v1/uncertainty", `{"dataset":"`+ds+`","framework":"syn5","n":20000}`)
		if r.status == 202 || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	want(t, r, 202)
	var j jobJSON
	r.json(t, &j)
	e.do("DELETE", "/api/v1/uncertainty/"+j.ID, "", nil)
}

// Attack 9: a slow upload (an XLSX sheet of 600,000 cells, seconds to
// parse) does not hold up a small one.
func TestSecuritySlowUploadDoesNotBlockSmallOnes(t *testing.T) {
	e := newSecEnv(t, secConfig{})
	slow := synthetic(t, bench.SyntheticSpec{Regions: 2000, Indicators: 150, Years: 2, Layout: bench.LayoutWide, Seed: 9}, bench.XLSX)
	slowDone := make(chan time.Time, 1)
	go func() {
		ct, body := multipartBody(t, "file", "slow.xlsx", slow)
		req, _ := http.NewRequest("POST", e.ts.URL+"/api/v1/datasets", body)
		req.Header.Set("Content-Type", ct)
		res, err := http.DefaultClient.Do(req)
		if err == nil {
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
		}
		slowDone <- time.Now()
	}()
	time.Sleep(500 * time.Millisecond) // the slow file is being parsed
	start := time.Now()
	want(t, e.upload("small.csv", []byte(okCSV)), 201)
	took := time.Since(start)
	select {
	case end := <-slowDone:
		if end.Before(start) {
			t.Fatalf("the slow upload ended before the small one started: make it larger")
		}
	default:
	}
	if took > time.Second {
		t.Errorf("a small upload during a slow one took %v, want under 1 s", took)
	}
	end := <-slowDone
	t.Logf("small upload %v; the slow one took %v", took, end.Sub(start.Add(-500*time.Millisecond)))
}

// Attack 8: an XLSX file of 500 entries of exactly 1 MiB of zeros (0.5 MB
// compressed, 500 MiB unpacked) is refused before anything is inflated;
// so is one entry over the per-entry limit; a password-protected file is
// called encrypted.
func TestSecurityXLSXManyMidSizeEntries(t *testing.T) {
	e := newSecEnv(t, secConfig{})
	var zbuf bytes.Buffer
	zw := zip.NewWriter(&zbuf)
	zeros := make([]byte, 1<<20)
	for i := range 500 {
		w, _ := zw.Create(fmt.Sprintf("xl/media/image%d.bin", i))
		w.Write(zeros)
	}
	zw.Close()
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	r := e.upload("bomb.xlsx", zbuf.Bytes())
	runtime.ReadMemStats(&m1)
	want(t, r, 413)
	if r.errBody(t).Code != codeTooLarge {
		t.Errorf("bomb refused with %s", r.body)
	}
	if a := m1.TotalAlloc - m0.TotalAlloc; a > 64<<20 {
		t.Errorf("refusing the bomb allocated %d MB", a>>20)
	}
	// An OLE compound file: what Excel writes for a password-protected
	// workbook.
	enc := append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 4096)...)
	r = e.upload("locked.xlsx", enc, "Accept-Language", "en")
	want(t, r, 422)
	if m := r.errBody(t).Message; !strings.Contains(m, "password") {
		t.Errorf("encrypted file: %q", m)
	}
}

// Attack 9: the workspace has a quota; an upload beyond it gets 507 with
// the sizes and the flag. (Each upload is stored in its binary form, about
// 100 KiB for this file: the first fits in 192 KiB, the second does not.)
func TestSecurityWorkspaceQuota(t *testing.T) {
	e := newSecEnv(t, secConfig{WorkspaceBytes: 192 << 10})
	file := synthetic(t, bench.SyntheticSpec{Regions: 600, Indicators: 5, Years: 1, Layout: bench.LayoutLong, Seed: 1}, bench.CSV)
	if len(file) < 96<<10 {
		t.Fatalf("file of %d bytes", len(file))
	}
	want(t, e.upload("a.csv", file), 201)
	r := e.upload("b.csv", file, "Accept-Language", "en")
	want(t, r, http.StatusInsufficientStorage)
	if m := r.errBody(t).Message; !strings.Contains(m, "--max-workspace-mb") {
		t.Errorf("quota message %q", m)
	}
}

// Attack 9: a write drops only the cached answers of the dataset it
// changed.
func TestSecurityWriteInvalidatesOnlyItsDataset(t *testing.T) {
	e := newSecEnv(t, secConfig{})
	hit := func(p string) bool {
		t.Helper()
		r := e.get(p)
		want(t, r, 200)
		return r.header.Get("X-Agglo-Cache") == "hit"
	}
	a := e.uploadID("a.csv", []byte(okCSV))
	paper, ofA := "/api/v1/agglomerations", "/api/v1/regions?dataset="+a
	hit(paper)
	hit(ofA)
	b := e.uploadID("b.csv", []byte(okCSV))
	if !hit(paper) || !hit(ofA) {
		t.Error("an upload dropped other datasets' cached answers")
	}
	hit("/api/v1/regions?dataset=" + b)
	want(t, e.do("DELETE", "/api/v1/datasets/"+b, "", nil), 204)
	if !hit(paper) || !hit(ofA) {
		t.Error("a delete dropped other datasets' cached answers")
	}
	want(t, e.get("/api/v1/regions?dataset="+b), 404)
	// A new upload may take the deleted id; it is never answered from the
	// deleted dataset's entries.
	c := e.uploadID("c.csv", []byte(strings.Replace(okCSV, "北京市,2019,2154", "北京市,2019,9999", 1)))
	r := e.get("/api/v1/regions?dataset=" + c)
	want(t, r, 200)
	if c == b && r.header.Get("X-Agglo-Cache") == "hit" {
		t.Error("a reused id was answered from the deleted dataset's entry")
	}
}

// Attack 6: CSV exports neutralise text cells that a spreadsheet would
// evaluate (region names of free units, the source column with the
// file's name); numbers stay numbers.
func TestSecurityCSVExportNeutralisesFormulas(t *testing.T) {
	e := newSecEnv(t, secConfig{})
	file := "unit,year,score\n=1+1,2020,-3.5\n+SUM(A1),2020,2\n-2+3,2020,4\n@A1,2020,5\nAlpha,2020,6\n"
	id := e.uploadID("=1+1.csv", []byte(file))
	r := e.get("/api/v1/datasets/" + id + "/export?format=csv")
	want(t, r, 200)
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(r.body, []byte("\ufeff")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	values := map[string]bool{}
	for i, rec := range recs[1:] {
		for j, c := range rec {
			if c == "" {
				continue
			}
			if strings.ContainsRune("=+-@\t\r", rune(c[0])) && recs[0][j] != "value" {
				t.Errorf("row %d column %s: formula cell %q", i+2, recs[0][j], c)
			}
		}
		values[rec[9]] = true
	}
	if !values["-3.5"] {
		t.Errorf("the negative value is not written as a number: %v", values)
	}
	body := string(r.body)
	for _, s := range []string{"'=1+1", "'+SUM(A1)", "'-2+3", "'@A1", "'=1+1.csv"} {
		if !strings.Contains(body, s) {
			t.Errorf("export lacks %q", s)
		}
	}
}

// Attack 10: error messages quote at most about 80 characters of a user's
// value, with its length; a 10 MB cell does not make a 31 MB answer.
func TestSecurityErrorsQuoteAtMost80Characters(t *testing.T) {
	e := newSecEnv(t, secConfig{})
	cell := strings.Repeat("x", 10<<20)
	r := e.upload("big-cell.csv", []byte("region,year,常住人口(万人)\n北京市,2019,"+cell+"\n"), "Accept-Language", "en")
	want(t, r, 422)
	if len(r.body) > 16<<10 {
		t.Errorf("a 10 MB cell gave a %d-byte answer", len(r.body))
	}
	long := strings.Repeat("y", 100_000)
	for _, p := range []string{"/api/v1/regions/" + long, "/api/v1/regions?level=" + long, "/api/v1/measures?indicator=" + long} {
		r := e.get(p, "Accept-Language", "en")
		if r.status < 400 || len(r.body) > 2<<10 {
			t.Errorf("GET %.40s…: status %d, %d bytes", p, r.status, len(r.body))
		}
		if m := r.errBody(t).Message; !strings.Contains(m, "100000 characters") || strings.Contains(m, strings.Repeat("y", 81)) {
			t.Errorf("GET %.40s…: message %q", p, m)
		}
	}
	r = e.postJSON("/api/v1/composite", `{"`+long+`":1}`)
	want(t, r, 400)
	if len(r.body) > 2<<10 {
		t.Errorf("an unknown 100,000-character field gave a %d-byte answer", len(r.body))
	}
}

// Attack 12 (part): the static folders are not listed.
func TestSecurityStaticNoDirectoryListing(t *testing.T) {
	e := newSecEnv(t, secConfig{})
	for _, p := range []string{"/static/", "/vendor/", "/vendor/china-map/", "/static/../static/"} {
		if r := e.get(p); r.status != 404 {
			t.Errorf("GET %s: status %d, want 404", p, r.status)
		}
	}
	want(t, e.get("/static/app.js"), 200)
	want(t, e.get("/vendor/china-map/china.json"), 200)
}

// Attack 6, round trip: a CSV export re-uploaded gives back the original
// text of its neutralised cells: region names, indicator names and the
// source naming the file =1+1.csv.
func TestSecurityCSVExportRoundTrip(t *testing.T) {
	e := newSecEnv(t, secConfig{})
	file := "unit,year,=score,@at\n=1+1,2020,-3.5,1\n+SUM(A1),2020,2,2\n-2+3,2020,4,3\n@A1,2020,5,4\n'abc,2020,6,5\n"
	id := e.uploadID("=1+1.csv", []byte(file))
	first := e.get("/api/v1/datasets/" + id + "/export?format=csv")
	want(t, first, 200)
	back := e.uploadID("export.csv", first.body)
	var regs []regionJSON
	e.get("/api/v1/regions?lang=en&dataset="+back).json(t, &regs)
	var names []string
	for _, r := range regs {
		names = append(names, r.Code+"|"+r.NameZH)
	}
	if want := "=1+1|=1+1 +SUM(A1)|+SUM(A1) -2+3|-2+3 @A1|@A1 'abc|'abc"; strings.Join(names, " ") != want {
		t.Errorf("regions of the re-uploaded export: %q, want %q", strings.Join(names, " "), want)
	}
	var inds []indicatorJSON
	e.get("/api/v1/indicators?lang=en&dataset="+back).json(t, &inds)
	var indNames []string
	for _, ind := range inds {
		indNames = append(indNames, ind.Code+"|"+ind.NameZH+"|"+ind.NameEN)
	}
	if want := "score|=score|=score at|@at|@at"; strings.Join(indNames, " ") != want {
		t.Errorf("indicators of the re-uploaded export: %q, want %q", strings.Join(indNames, " "), want)
	}
	second := e.get("/api/v1/datasets/" + back + "/export?format=csv")
	want(t, second, 200)
	read := func(b []byte) [][]string {
		recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\ufeff")))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		return recs
	}
	a, b := read(first.body), read(second.body)
	if len(a) != len(b) || len(a) < 2 {
		t.Fatalf("%d and %d records", len(a), len(b))
	}
	for i := range a {
		if strings.Join(a[i][:10], "|") != strings.Join(b[i][:10], "|") {
			t.Errorf("record %d: %q, want %q", i, b[i][:10], a[i][:10])
		}
		if i > 0 && !strings.HasSuffix(b[i][11], " · "+strings.TrimPrefix(a[i][11], "'")) {
			t.Errorf("record %d: source %q, want it to end with %q without the quote", i, b[i][11], a[i][11])
		}
	}
	if !bytes.Contains(second.body, []byte(" · =1+1.csv R2C3")) {
		t.Errorf("the second export lost the first file's name: %.300q", second.body)
	}
}

// Attack 9, saved analyses: saving a result beyond the workspace quota is
// a 507 naming the flag, not an internal error.
func TestSecuritySaveBeyondQuota(t *testing.T) {
	e := newSecEnv(t, secConfig{WorkspaceBytes: 1})
	for _, p := range []string{"/api/v1/strategy", "/api/v1/composite"} {
		r := e.postJSON(p, `{"save":true}`, "Accept-Language", "en")
		want(t, r, http.StatusInsufficientStorage)
		if eb := r.errBody(t); eb.Code != "workspace_full" || eb.Field != "save" || !strings.Contains(eb.Message, "--max-workspace-mb") {
			t.Errorf("POST %s with save beyond the quota: %+v", p, eb)
		}
	}
	want(t, e.postJSON("/api/v1/strategy", `{}`), 200)
}

// The OpenAPI document states what the security suite provokes: every
// route answers 421 to a foreign Host; with a token every write answers
// 401 without it and 403 from another origin, and every read the document
// marks as needing the token answers 401 without it, while the others
// answer without it. Each answer is checked against the document by the
// test server (documentedStatuses); the document also names the codes of
// the limits: 413 on every body, 422 too_costly on uncertainty, 429 and
// 503 on progress streams, 507 on uploads and saved analyses.
func TestSecurityOpenAPIListsStatuses(t *testing.T) {
	e := newSecEnv(t, secConfig{Token: "s3cret"})
	id := e.uploadID("gdp.csv", []byte(okCSV))
	want(t, e.do("POST", "/api/v1/frameworks", "application/yaml", strings.NewReader(synFramework)), 201)
	want(t, e.do("POST", "/api/v1/rulebooks?name=mine", "application/yaml", strings.NewReader(string(strategy.DefaultRulebookYAML()))), 201)
	want(t, e.do("POST", "/api/v1/agglomeration-sets?name=chengdu&file_name=cdx.csv", "text/plain",
		strings.NewReader("code,name_zh,name_en,member,core\nCDX,成德眉资,Chengdu metropolitan area,成都,true\nCDX,,,德阳,\n")), 201)
	var doc struct {
		Paths map[string]map[string]struct {
			Parameters []struct {
				Name string `json:"name"`
				In   string `json:"in"`
			} `json:"parameters"`
			Responses map[string]struct {
				Codes []string `json:"x-error-codes"`
			} `json:"responses"`
		} `json:"paths"`
	}
	e.get("/api/v1/openapi.json").json(t, &doc)
	// An instance of each path parameter that exists in the workspace.
	values := map[string]map[string]string{
		"id":     {"datasets": id, "analyses": "1", "uncertainty": "job"},
		"code":   {"agglomerations": "BTH", "regions": "110000", "frameworks": "syn5"},
		"name":   {"rulebooks": "mine", "agglomeration-sets": "chengdu"},
		"method": {"measures": "gini"},
	}
	evil := "attacker.example:" + e.port()
	ops := 0
	for path, methods := range doc.Paths {
		for method, op := range methods {
			ops++
			method = strings.ToUpper(method)
			resource := strings.Split(strings.TrimPrefix(path, "/api/v1/"), "/")[0]
			url := path
			q := []string{}
			for _, p := range op.Parameters {
				switch {
				case p.In == "path":
					url = strings.Replace(url, "{"+p.Name+"}", values[p.Name][resource], 1)
				case p.Name == "dataset":
					q = append(q, "dataset="+id)
				case p.Name == "framework":
					q = append(q, "framework=syn5")
				}
			}
			if len(q) > 0 {
				url += "?" + strings.Join(q, "&")
			}
			documented := func(status int) bool { _, ok := op.Responses[strconv.Itoa(status)]; return ok }
			for _, st := range []int{421, 500} {
				if !documented(st) {
					t.Errorf("%s %s does not document %d", method, path, st)
				}
			}
			if r := e.doHost(evil, method, url, "", nil, "X-Agglo-Token", "s3cret"); r.status != http.StatusMisdirectedRequest {
				t.Errorf("%s %s with Host %s: status %d, want 421", method, url, evil, r.status)
			}
			if isWrite(method) {
				if !documented(401) || !documented(403) {
					t.Errorf("%s %s does not document 401 and 403", method, path)
				}
				if method == "POST" && !documented(413) {
					t.Errorf("%s %s does not document 413", method, path)
				}
				if r := e.do(method, url, "", nil, "Authorization", "Bearer wrong"); r.status != 401 {
					t.Errorf("%s %s with a wrong token: status %d, want 401", method, url, r.status)
				}
				if r := e.do(method, url, "", nil, "Origin", "http://evil.example", "Sec-Fetch-Site", "cross-site"); r.status != 403 {
					t.Errorf("%s %s from another origin: status %d, want 403", method, url, r.status)
				}
				continue
			}
			r := e.get(url)
			switch {
			case documented(401) && r.status != 401:
				t.Errorf("GET %s without the token: status %d; the document says it needs the token", url, r.status)
			case !documented(401) && r.status == 401:
				t.Errorf("GET %s without the token: 401, which the document does not list", url)
			}
		}
	}
	if ops < 40 {
		t.Errorf("only %d operations in the document", ops)
	}
	for _, c := range []struct {
		op     string
		status int
		code   string
	}{
		{"post /api/v1/uncertainty", 422, "too_costly"},
		{"post /api/v1/uncertainty", 429, "busy"},
		{"get /api/v1/uncertainty/{id}/events", 429, "busy"},
		{"get /api/v1/uncertainty/{id}/events", 503, "busy"},
		{"post /api/v1/datasets", 413, "payload_too_large"},
		{"post /api/v1/datasets", 503, "busy"},
		{"post /api/v1/datasets", 507, "workspace_full"},
		{"post /api/v1/composite", 507, "workspace_full"},
		{"post /api/v1/strategy", 507, "workspace_full"},
		{"get /api/v1/regions", 400, "bad_request"},
		{"post /api/v1/composite", 400, "invalid_json"},
		{"get /api/v1/datasets", 401, "unauthorized"},
		{"get /api/v1/status", 421, "host_not_allowed"},
	} {
		method, path, _ := strings.Cut(c.op, " ")
		resp, ok := doc.Paths[path][method].Responses[strconv.Itoa(c.status)]
		if !ok || !slices.Contains(resp.Codes, c.code) {
			t.Errorf("%s: the document does not list %d with code %s (%v)", c.op, c.status, c.code, resp.Codes)
		}
	}
}
