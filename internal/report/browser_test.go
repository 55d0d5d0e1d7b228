package report

import (
	"agglo/internal/analysis"
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"agglo/internal/browsertest"
)

// TestHTMLInBrowser loads the report in headless chromium from a local
// server and checks that it makes no request besides the page, logs no
// error, draws every chart and the map, and switches language.
func TestHTMLInBrowser(t *testing.T) {
	browsertest.Chromium(t, "the HTML report")
	ds, err := analysis.PaperData()
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

	br := browsertest.Start(t, "the HTML report", 1280, 900, nil)
	sctx, cancelT := context.WithTimeout(br.Ctx, 90*time.Second)
	defer cancelT()

	var h1ZH, h1EN, chartTextEN string
	var empty []string
	var nCharts, mapPaths int
	dir := browsertest.ArtifactsDir(t, "report")
	var shotZH, shotEN, shotMap, shotFig5, shotHead, shotFig1, shotRadar, shotT3, shotMeasures, shotRange, shotSens, shotDiag, shotStrat []byte
	err = chromedp.Do(sctx,
		chromedp.Navigate(pageURL),
		chromedp.WaitReady(chromedp.CSS("body")),
		chromedp.Poll[chromedp.Void](`window.agglo && window.agglo.charts.length > 0`, chromedp.WithPollingTimeout(20*time.Second)),
		chromedp.Sleep(500*time.Millisecond),
		browsertest.Into(&nCharts, chromedp.Evaluate[int](`document.querySelectorAll('.chart').length`)),
		browsertest.Into(&empty, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('.chart')).filter(el => !el.querySelector('svg, canvas')).map(el => el.id)`)),
		browsertest.Into(&mapPaths, chromedp.Evaluate[int](`document.querySelectorAll('#map-members svg path').length`)),
		browsertest.Into(&h1ZH, chromedp.Evaluate[string](`document.querySelector('h1').innerText`)),
		browsertest.Into(&shotZH, chromedp.FullScreenshot(100)),
		chromedp.Click(chromedp.CSS("#lang-switch")),
		chromedp.Sleep(300*time.Millisecond),
		browsertest.Into(&h1EN, chromedp.Evaluate[string](`document.querySelector('h1').innerText`)),
		browsertest.Into(&chartTextEN, chromedp.Evaluate[string](`document.querySelector('#figure1-chart').textContent`)),
		browsertest.Into(&shotEN, chromedp.FullScreenshot(100)),
		browsertest.Into(&shotMap, chromedp.Screenshot(chromedp.CSS("#map-members"))),
		browsertest.Into(&shotFig5, chromedp.Screenshot(chromedp.CSS("#figure5"))),
		browsertest.Into(&shotHead, chromedp.Screenshot(chromedp.CSS("header.top"))),
		browsertest.Into(&shotFig1, chromedp.Screenshot(chromedp.CSS("#figure1-chart"))),
		browsertest.Into(&shotRadar, chromedp.Screenshot(chromedp.CSS("#table3-radar-yrd"))),
		browsertest.Into(&shotT3, chromedp.Screenshot(chromedp.CSS("#table3 .radar-grid"))),
		browsertest.Into(&shotMeasures, chromedp.Screenshot(chromedp.CSS("#measures"))),
		browsertest.Into(&shotRange, chromedp.Screenshot(chromedp.CSS("#composite-uncertainty"))),
		browsertest.Into(&shotSens, chromedp.Screenshot(chromedp.CSS("#composite-sensitivity"))),
		browsertest.Into(&shotDiag, chromedp.Screenshot(chromedp.CSS("#diagnosis"))),
		browsertest.Into(&shotStrat, chromedp.Screenshot(chromedp.CSS("#strategy"))),
	)
	if err != nil {
		t.Fatalf("browser: %v; page problems: %v", err, br.Problems())
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

	problems, requests := br.Take()
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
