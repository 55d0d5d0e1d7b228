package report

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"agglo/internal/dataset"
)

// chromiumPath finds Debian's chromium. Without it the browser test fails
// on CI (CI=true) and is skipped elsewhere.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, p := range []string{"/usr/bin/chromium", "chromium", "chromium-browser"} {
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("chromium is not installed: the HTML report cannot be checked in a browser (apt-get install chromium)")
	}
	t.Skip("chromium not installed; install it with apt-get install chromium to run the browser test")
	return ""
}

// artifactsDir is where screenshots go: $ARTIFACTS_DIR/report or a folder
// under the system temp dir; never the source tree.
func artifactsDir(t *testing.T) string {
	t.Helper()
	base := os.Getenv("ARTIFACTS_DIR")
	if base == "" {
		base = filepath.Join(os.TempDir(), "agglo-artifacts")
	}
	dir := filepath.Join(base, "report")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestHTMLInBrowser loads the report in headless chromium from a local
// server and checks that it makes no request besides the page, logs no
// error, draws every chart and the map, and switches language.
func TestHTMLInBrowser(t *testing.T) {
	chrome := chromiumPath(t)
	ds, err := dataset.Default()
	if err != nil {
		t.Fatal(err)
	}
	r, err := Build(context.Background(), Input{Data: ds, Lang: "zh"})
	if err != nil {
		t.Fatal(err)
	}
	var page bytes.Buffer
	if err := r.WriteHTML(&page); err != nil {
		t.Fatal(err)
	}

	var mu sync.Mutex
	var served, unexpected []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		served = append(served, req.URL.Path)
		if req.URL.Path != "/report.html" {
			unexpected = append(unexpected, req.URL.String())
			http.NotFound(w, req)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(page.Bytes())
	}))
	defer srv.Close()
	pageURL := srv.URL + "/report.html"

	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chrome),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	}
	var problems, requests []string
	listen := func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch e := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError || e.Type == runtime.ConsoleAPICalledTypeAssert {
				var args []string
				for _, a := range e.Args {
					args = append(args, string(a.Value)+a.Description)
				}
				problems = append(problems, "console."+string(e.Type)+": "+strings.Join(args, " "))
			}
		case *runtime.EventExceptionThrown:
			d := e.ExceptionDetails
			msg := d.Text
			if d.Exception != nil {
				msg += " " + d.Exception.Description
			}
			problems = append(problems, "exception: "+msg)
		case *log.EventEntryAdded:
			if e.Entry.Level == log.EntryLevelError {
				problems = append(problems, "log: "+e.Entry.Text+" "+e.Entry.URL)
			}
		case *network.EventRequestWillBeSent:
			requests = append(requests, e.Request.URL)
		}
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelA()
	ctx, cancel := chromedp.NewContext(actx, chromedp.WithListener(listen))
	defer cancel()
	// Start the browser without a deadline, then bound the steps.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	sctx, cancelT := context.WithTimeout(ctx, 90*time.Second)
	defer cancelT()

	var h1ZH, h1EN, chartTextEN string
	var empty []string
	var nCharts, mapPaths int
	dir := artifactsDir(t)
	var shotZH, shotEN, shotMap, shotFig5, shotHead, shotFig1, shotRadar, shotT3, shotMeasures, shotRange, shotSens, shotDiag, shotStrat []byte
	err = chromedp.Do(sctx,
		chromedp.Navigate(pageURL),
		chromedp.WaitReady(chromedp.CSS("body")),
		chromedp.Poll[chromedp.Void](`window.agglo && window.agglo.charts.length > 0`, chromedp.WithPollingTimeout(20*time.Second)),
		chromedp.Sleep(500*time.Millisecond),
		into(&nCharts, chromedp.Evaluate[int](`document.querySelectorAll('.chart').length`)),
		into(&empty, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('.chart')).filter(el => !el.querySelector('svg, canvas')).map(el => el.id)`)),
		into(&mapPaths, chromedp.Evaluate[int](`document.querySelectorAll('#map-members svg path').length`)),
		into(&h1ZH, chromedp.Evaluate[string](`document.querySelector('h1').innerText`)),
		into(&shotZH, chromedp.FullScreenshot(100)),
		chromedp.Click(chromedp.CSS("#lang-switch")),
		chromedp.Sleep(300*time.Millisecond),
		into(&h1EN, chromedp.Evaluate[string](`document.querySelector('h1').innerText`)),
		into(&chartTextEN, chromedp.Evaluate[string](`document.querySelector('#figure1-chart').textContent`)),
		into(&shotEN, chromedp.FullScreenshot(100)),
		into(&shotMap, chromedp.Screenshot(chromedp.CSS("#map-members"))),
		into(&shotFig5, chromedp.Screenshot(chromedp.CSS("#figure5"))),
		into(&shotHead, chromedp.Screenshot(chromedp.CSS("header.top"))),
		into(&shotFig1, chromedp.Screenshot(chromedp.CSS("#figure1-chart"))),
		into(&shotRadar, chromedp.Screenshot(chromedp.CSS("#table3-radar-yrd"))),
		into(&shotT3, chromedp.Screenshot(chromedp.CSS("#table3 .radar-grid"))),
		into(&shotMeasures, chromedp.Screenshot(chromedp.CSS("#measures"))),
		into(&shotRange, chromedp.Screenshot(chromedp.CSS("#composite-uncertainty"))),
		into(&shotSens, chromedp.Screenshot(chromedp.CSS("#composite-sensitivity"))),
		into(&shotDiag, chromedp.Screenshot(chromedp.CSS("#diagnosis"))),
		into(&shotStrat, chromedp.Screenshot(chromedp.CSS("#strategy"))),
	)
	if err != nil {
		mu.Lock()
		defer mu.Unlock()
		t.Fatalf("browser: %v; page problems: %v", err, problems)
	}
	for name, b := range map[string][]byte{"report-zh.png": shotZH, "report-en.png": shotEN, "map-en.png": shotMap, "figure5-en.png": shotFig5,
		"header-en.png": shotHead, "figure1-en.png": shotFig1, "radar-yrd-en.png": shotRadar, "radars-en.png": shotT3,
		"measures-en.png": shotMeasures, "uncertainty-en.png": shotRange, "sensitivity-en.png": shotSens,
		"diagnosis-en.png": shotDiag, "strategy-en.png": shotStrat} {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Error(err)
		}
	}
	t.Logf("screenshots in %s", dir)

	mu.Lock()
	defer mu.Unlock()
	for _, p := range problems {
		t.Errorf("page logged an error: %s", p)
	}
	if len(requests) == 0 || requests[0] != pageURL {
		t.Errorf("network listener saw %v, want the page first", requests)
	}
	for _, u := range requests {
		if u != pageURL {
			t.Errorf("page made a network request: %s", u)
		}
	}
	if len(unexpected) > 0 || len(served) != 1 {
		t.Errorf("server saw %v, want only /report.html", served)
	}
	// figure1, two Table 1 charts, table2, five radars and the map.
	if nCharts < 10 {
		t.Errorf("%d chart containers, want at least 10", nCharts)
	}
	if len(empty) > 0 {
		t.Errorf("charts without svg or canvas: %v", empty)
	}
	if mapPaths < 30 {
		t.Errorf("map has %d paths, want the provinces drawn (≥ 30)", mapPaths)
	}
	if !hasHan(h1ZH) {
		t.Errorf("initial title %q is not Chinese", h1ZH)
	}
	if hasHan(h1EN) || !strings.Contains(h1EN, "replication report") {
		t.Errorf("title after the switch %q is not English", h1EN)
	}
	if !strings.Contains(chartTextEN, "Yangtze River Delta") {
		t.Errorf("Figure 1 chart not redrawn in English: %q", chartTextEN)
	}
}

func hasHan(s string) bool {
	for _, r := range s {
		if r >= 0x4E00 && r <= 0x9FFF {
			return true
		}
	}
	return false
}

// into stores the value of an action and makes it a step of chromedp.Do.
func into[T any](dst *T, a chromedp.Action[T]) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		v, err := a(ctx, t)
		if err == nil {
			*dst = v
		}
		return chromedp.Void{}, err
	}
}
