package server

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"agglo/internal/analysis"
	"agglo/internal/browsertest"
	"agglo/internal/composite"
	"agglo/internal/i18n"
)

// The dashboard's uncertainty analysis defaults to the command line's runs
// and seed, states the seed and the choices it used, and gives the ranks
// that analysis.Uncertainty (what agglo index uncertainty prints, see
// TestParityAuditAndUncertainty) gives for the same request.
func TestDashboardUncertaintyMatchesCommandLine(t *testing.T) {
	if testing.Short() {
		t.Skip("starts chromium")
	}
	e := newEnv(t, Config{})
	b := newBrowser(t, e.ts.URL)
	var n, seed, spec, settings string
	var rows [][]string
	b.run("index page",
		chromedp.Navigate(e.ts.URL+"/index?lang=en"),
		b.wait(`document.querySelector('#index-table table')`),
		browsertest.Into(&n, chromedp.Evaluate[string](`document.querySelector('#ua-n').value`)),
		browsertest.Into(&seed, chromedp.Evaluate[string](`document.querySelector('#ua-seed').value`)),
		browsertest.Into(&spec, chromedp.Text(chromedp.CSS("#ua-spec"))),
		chromedp.SetValue(chromedp.CSS("#norm"), "minmax:1,100"),
		chromedp.Evaluate[chromedp.Void](`document.querySelector('#norm').dispatchEvent(new Event('change', {bubbles: true}))`),
		b.wait(`document.querySelector('#index-table table')`),
		chromedp.SetValue(chromedp.CSS("#ua-n"), "120"),
		chromedp.SetValue(chromedp.CSS("#ua-seed"), "7"),
		chromedp.Click(chromedp.CSS("#ua-start")),
		b.wait(`document.querySelector('#ua-table table') && !document.querySelector('#ua-settings').hidden`),
		browsertest.Into(&settings, chromedp.Text(chromedp.CSS("#ua-settings"))),
		browsertest.Into(&rows, chromedp.Evaluate[[][]string](`Array.from(document.querySelectorAll('#ua-table tbody tr')).map(tr => Array.from(tr.cells).map(td => td.textContent))`)),
	)
	b.check()
	if n != strconv.Itoa(analysis.DefaultUncertaintyRuns) || seed != "1" {
		t.Errorf("defaults: n %s, seed %s; the command line's are %d and 1", n, seed, analysis.DefaultUncertaintyRuns)
	}
	spec0 := analysis.DefaultUncertaintySpec()
	for i := range spec0.Choices {
		if want := composite.DescribeChoice(&spec0.Choices[i]).In(i18n.EN); !strings.Contains(spec, want) {
			t.Errorf("the page does not state the choice %q:\n%s", want, spec)
		}
	}
	for _, want := range []string{"Seed 7", "120 runs", "agglo index uncertainty --framework cric --n 120 --seed 7 --normalise minmax:1,100"} {
		if !strings.Contains(settings, want) {
			t.Errorf("settings lack %q: %s", want, settings)
		}
	}

	ds, err := analysis.PaperData()
	if err != nil {
		t.Fatal(err)
	}
	fw, err := composite.Builtin("cric")
	if err != nil {
		t.Fatal(err)
	}
	over, err := analysis.ParseOverrides(analysis.OverrideText{Normalisation: "minmax:1,100"})
	if err != nil {
		t.Fatal(err)
	}
	res, err := analysis.Uncertainty(context.Background(), ds, analysis.UncertaintyRequest{
		Index: analysis.IndexRequest{Framework: fw, Overrides: over, Lang: i18n.EN}, N: 120, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(res.Units) {
		t.Fatalf("%d rows on the page, %d units", len(rows), len(res.Units))
	}
	f := func(v analysis.Num) string { return strconv.FormatFloat(float64(v), 'f', -1, 64) }
	want := map[string][]string{}
	for _, u := range res.Units {
		want[res.Names[u.Code]] = []string{strconv.Itoa(u.NominalRank), f(u.MedianRank), f(u.P05Rank), f(u.P95Rank)}
	}
	prev := 0
	for _, r := range rows {
		w, ok := want[r[0]]
		if !ok {
			t.Errorf("row %v: unknown region", r)
			continue
		}
		// The page rounds to one decimal; ranks here are whole or halves.
		for i, x := range w {
			v, _ := strconv.ParseFloat(x, 64)
			if got := r[i+1]; got != strconv.FormatFloat(v, 'f', -1, 64) && got != fmt.Sprintf("%.1f", v) {
				t.Errorf("%s column %d: page %s, analysis %s", r[0], i+1, got, x)
			}
		}
		nom, _ := strconv.Atoi(r[1])
		if nom < prev {
			t.Errorf("rows not in nominal order at %s", r[0])
		}
		prev = nom
	}
}
