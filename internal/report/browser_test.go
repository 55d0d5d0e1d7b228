package report

import (
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

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"agglo/internal/browsertest"
	"agglo/internal/i18n"
)

// servePage serves the HTML page of the report on the paper's data alone
// and records every other request.
func servePage(t *testing.T, lang string) (url string, unexpected func() []string) {
	t.Helper()
	return serveReport(t, buildDefault(t, lang))
}

// serveReport serves a report's HTML page alone and records every other
// request.
func serveReport(t *testing.T, r *Report) (url string, unexpected func() []string) {
	t.Helper()
	var page bytes.Buffer
	if err := r.WriteHTML(&page); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var bad []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if req.URL.Path != "/report.html" {
			mu.Lock()
			bad = append(bad, req.URL.String())
			mu.Unlock()
			http.NotFound(w, req)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(page.Bytes())
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/report.html", func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), bad...)
	}
}

// waitCharts waits until the page's script has drawn its charts.
func waitCharts() chromedp.Action[chromedp.Void] {
	return chromedp.Poll[chromedp.Void](`window.agglo && window.agglo.charts.length > 0 && document.querySelectorAll('.chart svg').length >= window.agglo.charts.length`, chromedp.WithPollingTimeout(30*time.Second))
}

// TestHTMLInBrowser loads the report in headless chromium from a local
// server and checks that it makes no request besides the page, logs no
// error, draws every chart and the map, and switches language.
func TestHTMLInBrowser(t *testing.T) {
	browsertest.Chromium(t, "the HTML report")
	pageURL, unexpected := servePage(t, i18n.ZH)
	br := browsertest.Start(t, "the HTML report", 1366, 900, nil)
	sctx, cancelT := context.WithTimeout(br.Ctx, 120*time.Second)
	defer cancelT()

	var h1ZH, h1EN, chartTextEN string
	var empty []string
	var nCharts, mapPaths int
	dir := browsertest.ArtifactsDir(t, "report")
	shots := map[string]*[]byte{}
	shot := func(name, sel string) chromedp.Action[chromedp.Void] {
		b := new([]byte)
		shots[name] = b
		return browsertest.Into(b, chromedp.Screenshot(chromedp.CSS(sel)))
	}
	var full []byte
	err := chromedp.Do(sctx,
		chromedp.Navigate(pageURL),
		chromedp.WaitReady(chromedp.CSS("body")),
		waitCharts(),
		chromedp.Sleep(500*time.Millisecond),
		browsertest.Into(&nCharts, chromedp.Evaluate[int](`document.querySelectorAll('.chart').length`)),
		browsertest.Into(&empty, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('.chart')).filter(el => !el.querySelector('svg, canvas')).map(el => el.id)`)),
		browsertest.Into(&mapPaths, chromedp.Evaluate[int](`document.querySelectorAll('#map-members svg path').length`)),
		browsertest.Into(&h1ZH, chromedp.Evaluate[string](`document.querySelector('h1').innerText`)),
		shot("summary-zh.png", "#summary"),
		shot("profile-bth-zh.png", "#profile-bth + p + figure"),
		browsertest.Into(&full, chromedp.FullScreenshot(60)),
		chromedp.Click(chromedp.CSS("#lang-switch")),
		chromedp.Sleep(400*time.Millisecond),
		browsertest.Into(&h1EN, chromedp.Evaluate[string](`document.querySelector('h1').innerText`)),
		browsertest.Into(&chartTextEN, chromedp.Evaluate[string](`document.querySelector('#figure1-chart-1').textContent`)),
		shot("summary-en.png", "#summary"),
		shot("map-en.png", "#map-members"),
		shot("figure5-en.png", "#figure5"),
		shot("header-en.png", "header.top"),
		shot("profile-chart-en.png", "#profile-bth-chart"),
		shot("uncertainty-en.png", "#composite-uncertainty"),
		shot("sensitivity-en.png", "#composite-sensitivity"),
		shot("replication-en.png", "#tbl-replication"),
	)
	if err != nil {
		t.Fatalf("browser: %v; page problems: %v", err, br.Problems())
	}
	shots["report-zh.jpg"] = &full
	for name, b := range shots {
		if err := os.WriteFile(filepath.Join(dir, name), *b, 0o644); err != nil {
			t.Error(err)
		}
	}
	t.Logf("screenshots in %s", dir)

	problems, requests := br.Take()
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
	if u := unexpected(); len(u) > 0 {
		t.Errorf("server saw requests besides the page: %v", u)
	}
	if nCharts < 20 {
		t.Errorf("%d chart containers, want at least 20", nCharts)
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
	if hasHan(h1EN) || !strings.Contains(h1EN, "analysis report") {
		t.Errorf("title after the switch %q is not English", h1EN)
	}
	if !strings.Contains(chartTextEN, "Yangtze River Delta") {
		t.Errorf("Figure 1 chart not redrawn in English: %q", chartTextEN)
	}
}

// chartLabelCheck lists, for every chart, the text drawn outside its
// container, elided text, overlapping labels, and category labels that are
// not drawn at all.
const chartLabelCheck = `(window.checkChartLabels = (charts) => {
  const lang = document.documentElement.getAttribute('data-lang');
  const out = [];
  for (const c of charts) {
    const el = c.el, spec = c.spec;
    const box = el.getBoundingClientRect();
    const texts = Array.from(el.querySelectorAll('svg text')).filter(t => t.textContent.trim() !== '');
    const rects = texts.map(t => t.getBoundingClientRect());
    texts.forEach((t, i) => {
      const r = rects[i];
      if (r.width === 0 && r.height === 0) { return; }
      if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1) {
        out.push(el.id + ': outside its box: ' + t.textContent);
      }
      if (/…|\.\.\./.test(t.textContent)) { out.push(el.id + ': elided: ' + t.textContent); }
    });
    if (spec.type !== 'map') {
      for (let i = 0; i < rects.length; i++) {
        for (let j = i + 1; j < rects.length; j++) {
          const a = rects[i], b = rects[j];
          const w = Math.min(a.right, b.right) - Math.max(a.left, b.left), h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
          if (w > 2 && h > 2) { out.push(el.id + ': overlap: ' + texts[i].textContent + ' / ' + texts[j].textContent); }
        }
      }
      const all = texts.map(t => t.textContent).join('').replace(/\s/g, '');
      for (const cat of spec.chart.categories || []) {
        const name = (cat[lang] || cat.zh || '').replace(/\s/g, '');
        if (!all.includes(name)) { out.push(el.id + ': label not drawn: ' + name); }
      }
    }
  }
  return out;
})(window.agglo.charts)`

// chartLabelControl draws a chart that drops labels (31 long categories on
// a narrow default axis) and returns how many problems the check finds in
// it: the check must see them.
const chartLabelControl = `(() => {
  const el = document.createElement('div');
  el.id = 'control-chart';
  el.style.width = '320px';
  el.style.height = '220px';
  document.body.appendChild(el);
  const inst = echarts.init(el, null, { renderer: 'svg' });
  const cats = Array.from({ length: 31 }, (_, i) => 'Province number ' + i);
  inst.setOption({ animation: false, xAxis: { type: 'category', data: cats }, yAxis: { type: 'value' }, series: [{ type: 'bar', data: cats.map((_, i) => i) }] });
  const n = window.checkChartLabels([{ el: el, spec: { type: 'chart', chart: { categories: cats.map(c => ({ zh: c, en: c })) } } }]).length;
  inst.dispose();
  el.remove();
  return n;
})()`

// Chart labels are never dropped, elided, clipped or overlapping, at
// 1366×768 and 1920×1080, in both languages.
func TestHTMLChartLabels(t *testing.T) {
	browsertest.Chromium(t, "the HTML report's charts")
	for _, rep := range browserReports(t) {
		checkChartLabels(t, rep)
	}
}

// browserReport is a report the browser tests load, with the least
// numbers of charts and chart texts its page must draw.
type browserReport struct {
	name          string
	url           string
	charts, texts int
	structureOnly bool
}

// browserReports are the report on the paper's data and, for the part on
// spatial structure, convergence and decomposition, the reports on the
// census of the cities (city points) and the province panel (province
// polygons, thirteen years); the language scans read only that part of
// the latter two.
func browserReports(t *testing.T) []browserReport {
	paper, _ := servePage(t, i18n.ZH)
	census, _ := serveReport(t, buildFile(t, censusFile, i18n.ZH))
	panel, _ := serveReport(t, buildFile(t, panelFile, i18n.ZH))
	return []browserReport{{"paper", paper, 20, 300, false}, {"census", census, 9, 100, true}, {"panel", panel, 9, 100, true}}
}

func checkChartLabels(t *testing.T, rep browserReport) {
	pageURL := rep.url
	for _, size := range [][2]int64{{1366, 768}, {1920, 1080}} {
		br := browsertest.Start(t, "the HTML report's charts", int(size[0]), int(size[1]), nil)
		ctx, cancel := context.WithTimeout(br.Ctx, 120*time.Second)
		for _, lang := range []string{i18n.ZH, i18n.EN} {
			var problems []string
			var nCharts, nTexts, control int
			err := chromedp.Do(ctx,
				chromedp.EmulateViewport(size[0], size[1]),
				chromedp.Navigate(pageURL),
				chromedp.WaitReady(chromedp.CSS("body")),
				waitCharts(),
				chromedp.Evaluate[chromedp.Void](`window.agglo.setLang('`+lang+`')`),
				chromedp.Sleep(600*time.Millisecond),
				browsertest.Into(&nCharts, chromedp.Evaluate[int](`window.agglo.charts.length`)),
				browsertest.Into(&nTexts, chromedp.Evaluate[int](`document.querySelectorAll('.chart svg text').length`)),
				browsertest.Into(&problems, chromedp.Evaluate[[]string](chartLabelCheck)),
				browsertest.Into(&control, chromedp.Evaluate[int](chartLabelControl)),
			)
			if err != nil {
				t.Fatalf("%dx%d %s: %v", size[0], size[1], lang, err)
			}
			if control < 10 {
				t.Errorf("%s %dx%d %s: the check found %d problems in a chart that drops labels", rep.name, size[0], size[1], lang, control)
			}
			if nCharts < rep.charts || nTexts < rep.texts {
				t.Errorf("%s %dx%d %s: %d charts drawn with %d texts: the check would see nothing", rep.name, size[0], size[1], lang, nCharts, nTexts)
			}
			t.Logf("%s %dx%d %s: %d charts, %d texts checked", rep.name, size[0], size[1], lang, nCharts, nTexts)
			for i, p := range problems {
				if i == 30 {
					t.Errorf("… %d more", len(problems)-30)
					break
				}
				t.Errorf("%s %dx%d %s: %s", rep.name, size[0], size[1], lang, p)
			}
		}
		cancel()
	}
}

// visibleText collects the text a reader sees: rendered text nodes and the
// charts' SVG text, leaving out scripts, hidden elements (the other
// language) and what is marked translate="no" (a file name).
const visibleText = `(() => {
  const out = [];
  const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let n;
  while ((n = w.nextNode())) {
    const el = n.parentElement;
    if (!el || el.closest('script, style, [translate="no"]')) { continue; }
    if (!el.closest('svg') && el.getClientRects().length === 0) { continue; }
    const s = getComputedStyle(el);
    if (s.display === 'none' || s.visibility === 'hidden') { continue; }
    out.push(n.textContent);
  }
  return out.join('\n');
})()`

// The page shows no identifier or English label in Chinese and no Chinese
// in English, charts included.
func TestHTMLLanguageInBrowser(t *testing.T) {
	browsertest.Chromium(t, "the HTML report's language")
	reports := browserReports(t)
	br := browsertest.Start(t, "the HTML report's language", 1366, 900, nil)
	ctx, cancel := context.WithTimeout(br.Ctx, 240*time.Second)
	defer cancel()
	for _, rep := range reports {
		script, least := visibleText, 10000
		if rep.structureOnly {
			script, least = strings.Replace(visibleText, "document.body", "document.getElementById('structure')", 1), 3000
		}
		for _, lang := range []string{i18n.ZH, i18n.EN} {
			var text string
			err := chromedp.Do(ctx,
				chromedp.Navigate(rep.url),
				chromedp.WaitReady(chromedp.CSS("body")),
				waitCharts(),
				chromedp.Evaluate[chromedp.Void](`window.agglo.setLang('`+lang+`')`),
				chromedp.Sleep(500*time.Millisecond),
				browsertest.Into(&text, chromedp.Evaluate[string](script)),
			)
			if err != nil {
				t.Fatal(err)
			}
			if len(text) < least {
				t.Fatalf("%s %s: only %d characters of visible text", rep.name, lang, len(text))
			}
			if !strings.Contains(text, map[string]string{i18n.ZH: "空间格局、收敛与差异分解", i18n.EN: "Spatial structure, convergence and inequality decomposition"}[lang]) {
				t.Errorf("%s %s: the scan does not reach the part on spatial structure", rep.name, lang)
			}
			leaks := languageLeaks(text, lang)
			for i, l := range leaks {
				if i == 40 {
					t.Errorf("%s %s: … %d more", rep.name, lang, len(leaks)-40)
					break
				}
				t.Errorf("%s %s page: %s", rep.name, lang, l)
			}
		}
	}
}

// The page prints to A4 with the print stylesheet: a PDF of a sensible
// number of pages.
func TestHTMLPrintsToA4(t *testing.T) {
	browsertest.Chromium(t, "printing the HTML report")
	pageURL, _ := servePage(t, i18n.ZH)
	br := browsertest.Start(t, "printing the HTML report", 1366, 900, nil)
	ctx, cancel := context.WithTimeout(br.Ctx, 120*time.Second)
	defer cancel()
	var pdf []byte
	err := chromedp.Do(ctx,
		chromedp.Navigate(pageURL),
		chromedp.WaitReady(chromedp.CSS("body")),
		waitCharts(),
		browsertest.Into(&pdf, chromedp.PrintToPDF(chromedp.PDFPaper(chromedp.PaperA4), chromedp.PDFPrintBackground(),
			func(p *page.PrintToPDFParams) { yes := true; p.PreferCSSPageSize = &yes })),
	)
	if err != nil {
		t.Fatal(err)
	}
	dir := browsertest.ArtifactsDir(t, "report")
	if err := os.WriteFile(filepath.Join(dir, "report-zh.pdf"), pdf, 0o644); err != nil {
		t.Error(err)
	}
	pages := pdfPages(pdf)
	t.Logf("printed %d A4 pages (%s)", pages, filepath.Join(dir, "report-zh.pdf"))
	if !bytes.HasPrefix(pdf, []byte("%PDF")) || pages < 15 || pages > 90 {
		t.Errorf("printed %d pages, want 15 to 90", pages)
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
