package server

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"agglo/internal/browsertest"
)

type browser struct {
	t    *testing.T
	bt   *browsertest.Browser
	base string
	dir  string
}

func newBrowser(t *testing.T, base string) *browser {
	// The upload of the bad file answers 422 on purpose; the browser logs
	// that as a failed resource load.
	bt := browsertest.Start(t, "the dashboard", 1366, 900, func(text string) bool { return strings.Contains(text, "422") })
	return &browser{t: t, bt: bt, base: base, dir: browsertest.ArtifactsDir(t, "server")}
}

// run runs actions within a time limit and fails the test on error.
func (b *browser) run(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.bt.Ctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.t.Fatalf("%s: %v (page problems: %v)", what, err, b.bt.Problems())
	}
}

func (b *browser) wait(js string) chromedp.Action[chromedp.Void] {
	return chromedp.Poll[chromedp.Void](`!!(`+js+`)`, chromedp.WithPollingTimeout(30*time.Second))
}

func (b *browser) shot(name string) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		buf, err := chromedp.FullScreenshot(100)(ctx, t)
		if err != nil {
			return chromedp.Void{}, err
		}
		return chromedp.Void{}, os.WriteFile(filepath.Join(b.dir, name), buf, 0o644)
	}
}

func (b *browser) check() {
	b.t.Helper()
	problems, requests := b.bt.Take()
	for _, p := range problems {
		b.t.Errorf("page logged an error: %s", p)
	}
	for _, u := range requests {
		if !strings.HasPrefix(u, b.base) && !strings.HasPrefix(u, "data:") && !strings.HasPrefix(u, "blob:") {
			b.t.Errorf("page made an external request: %s", u)
		}
	}
}

// TestDashboardInBrowser loads every page in headless chromium: no console
// errors, no request beyond the server; charts draw; the index builder runs
// an uncertainty analysis; scenario toggles change the recommendations; an
// upload shows its located errors, then its data; the language switch works.
func TestDashboardInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("starts chromium")
	}
	e := newEnv(t, Config{})
	b := newBrowser(t, e.ts.URL)
	u := e.ts.URL

	var text string
	b.run("overview",
		chromedp.Navigate(u+"/?lang=zh"),
		b.wait(`document.querySelector('#map svg') && document.querySelector('#overview-density svg')`),
		chromedp.Sleep(800*time.Millisecond),
		b.shot("overview-zh.png"),
		browsertest.Into(&text, chromedp.Text(chromedp.CSS("h1"))),
	)
	if text != "中国五大城市群创新发展" {
		t.Errorf("zh title %q", text)
	}
	var lang string
	b.run("language switch",
		chromedp.Click(chromedp.CSS("#lang-en")),
		chromedp.Sleep(700*time.Millisecond),
		chromedp.WaitReady(chromedp.CSS("body")),
		b.wait(`document.documentElement.lang === 'en' && document.querySelector('#map svg')`),
		chromedp.Sleep(800*time.Millisecond),
		browsertest.Into(&text, chromedp.Text(chromedp.CSS("h1"))),
		browsertest.Into(&lang, chromedp.Evaluate[string](`document.documentElement.lang`)),
		b.shot("overview-en.png"),
	)
	if text != "Innovation in China's five urban agglomerations" || lang != "en" {
		t.Errorf("after the switch: lang %q, title %q", lang, text)
	}
	b.check()

	var diag string
	b.run("profile",
		chromedp.Navigate(u+"/agglomerations/BTH?lang=en"),
		b.wait(`document.querySelector('#members-chart svg') && document.querySelector('#diagnosis .tag') && document.querySelector('#strategies li')`),
		chromedp.Sleep(500*time.Millisecond),
		browsertest.Into(&diag, chromedp.Text(chromedp.CSS("#diagnosis"))),
		b.shot("profile-bth-en.png"),
	)
	if !strings.Contains(diag, "Spatial mode") || !strings.Contains(diag, "Evidence") {
		t.Errorf("diagnosis panel: %q", diag)
	}
	b.check()

	var table string
	b.run("compare",
		chromedp.Navigate(u+"/compare?lang=zh"),
		b.wait(`document.querySelector('#compare-table table') && document.querySelector('#compare-charts svg')`),
		browsertest.Into(&table, chromedp.Text(chromedp.CSS("#compare-table"))),
		b.shot("compare-zh.png"),
	)
	// Table 1: PRD density 1163.6 per km².
	if !strings.Contains(table, "1,163.6") {
		t.Errorf("compare table: %q", table)
	}
	b.check()

	var uaTable, indexTable string
	b.run("index builder",
		chromedp.Navigate(u+"/index?lang=en"),
		b.wait(`document.querySelector('#index-table table') && document.querySelector('#index-chart svg')`),
		browsertest.Into(&indexTable, chromedp.Text(chromedp.CSS("#index-table"))),
		chromedp.SetValue(chromedp.CSS("#ua-n"), "80"),
		chromedp.Click(chromedp.CSS("#ua-start")),
		b.wait(`document.querySelector('#ua-table table') !== null`),
		chromedp.Sleep(500*time.Millisecond),
		browsertest.Into(&uaTable, chromedp.Text(chromedp.CSS("#ua-table"))),
		b.shot("index-en.png"),
	)
	// Guangdong ranks first with the CRIC weights (59.49, Table 3).
	if !strings.Contains(indexTable, "Guangdong") || !strings.Contains(uaTable, "Nominal rank") {
		t.Errorf("index %q / uncertainty %q", indexTable, uaTable)
	}
	var status string
	b.run("status", browsertest.Into(&status, chromedp.Text(chromedp.CSS("#ua-status"))))
	if !strings.Contains(status, "80 runs") {
		t.Errorf("uncertainty status %q", status)
	}
	b.check()

	var before, after string
	b.run("scenario",
		chromedp.Navigate(u+"/scenario?lang=en"),
		b.wait(`document.querySelectorAll('#recommendations li').length > 0 && !document.querySelector('#recommendations').hasAttribute('aria-busy')`),
		browsertest.Into(&before, chromedp.Text(chromedp.CSS("#recommendations"))),
		b.shot("scenario-before-en.png"),
		// Resources limited in a stable world: Figure 5's external
		// cooperation joins BTH's own opening (IV.3).
		chromedp.Click(chromedp.CSS("#sc-res-limited")),
		chromedp.Click(chromedp.CSS("#sc-int-stable")),
		// The answer to the last choice is shown when aria-busy goes.
		b.wait(`!document.querySelector('#recommendations').hasAttribute('aria-busy') && document.querySelector('#recommendations').innerText !== `+jsString(before)),
		browsertest.Into(&after, chromedp.Text(chromedp.CSS("#recommendations"))),
		b.shot("scenario-after-en.png"),
	)
	if before == after || !strings.Contains(after, "Why:") {
		t.Errorf("the scenario toggle did not change the recommendations:\n%s\n---\n%s", before, after)
	}
	b.check()

	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.csv")
	good := filepath.Join(dir, "good.csv")
	os.WriteFile(bad, []byte(badCSV), 0o644)
	os.WriteFile(good, []byte(okCSV), 0o644)
	var issues, ok, regions, selected string
	b.run("data upload",
		chromedp.Navigate(u+"/data?lang=en"),
		b.wait(`document.querySelector('#current-regions') !== null`),
		chromedp.SetUploadFiles(chromedp.CSS("#upload-file"), []string{bad}),
		chromedp.Click(chromedp.CSS(`#upload-form button[type=submit]`)),
		b.wait(`document.querySelector('#issues-table') !== null`),
		browsertest.Into(&issues, chromedp.Text(chromedp.CSS("#issues-table"))),
		b.shot("data-errors-en.png"),
		chromedp.SetUploadFiles(chromedp.CSS("#upload-file"), []string{good}),
		chromedp.Click(chromedp.CSS(`#upload-form button[type=submit]`)),
		b.wait(`document.querySelector('#uploaded-regions') !== null`),
		browsertest.Into(&ok, chromedp.Text(chromedp.CSS("#upload-ok"))),
		browsertest.Into(&regions, chromedp.Text(chromedp.CSS("#uploaded-regions"))),
		b.shot("data-uploaded-en.png"),
		chromedp.Click(chromedp.CSS("#use-uploaded")),
		chromedp.Sleep(700*time.Millisecond),
		chromedp.WaitReady(chromedp.CSS("body")),
		b.wait(`document.querySelector('#dataset-select').value !== 'paper' && document.querySelector('#current-regions') !== null`),
		browsertest.Into(&selected, chromedp.Evaluate[string](`document.querySelector('#dataset-select').value`)),
	)
	if !strings.Contains(issues, "malformed number") || !strings.Contains(issues, "常住人口(万人)") || !strings.Contains(issues, "3") {
		t.Errorf("issues table: %q", issues)
	}
	if !strings.Contains(ok, "3 regions") || !strings.Contains(regions, "Hebei") {
		t.Errorf("upload result %q / %q", ok, regions)
	}
	// The uploaded dataset now feeds the other views.
	b.run("compare uploaded",
		chromedp.Navigate(u+"/compare?lang=en&dataset="+selected),
		b.wait(`document.querySelectorAll('#indicator-list input').length > 0`),
	)
	var inds string
	b.run("indicators", browsertest.Into(&inds, chromedp.Text(chromedp.CSS("#indicator-list"))))
	if !strings.Contains(inds, "GDP") || strings.Contains(inds, "CRIC") {
		t.Errorf("compare on the upload lists %q", inds)
	}
	b.check()
	t.Logf("screenshots in %s", b.dir)
}

func jsString(s string) string {
	r := strings.NewReplacer(`\`, `\\`, "`", "\\`", "$", `\$`)
	return "`" + r.Replace(s) + "`"
}
