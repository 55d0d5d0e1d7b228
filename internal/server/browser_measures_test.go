package server

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"agglo/internal/browsertest"
)

// measureSteps are the methods of spatial structure, convergence and
// decomposition on the measures page, each with what it draws once done.
var measureSteps = []struct{ method, ready string }{
	{"moran", `document.querySelector('#measure-table table')`},
	{"geary", `document.querySelector('#measure-table table')`},
	{"lisa", `document.querySelector('#measure-chart svg') && document.querySelector('#measure-table table')`},
	{"getis-ord", `document.querySelector('#measure-chart svg') && document.querySelector('#measure-table table')`},
	{"convergence", `document.querySelector('#measure-chart svg') && document.querySelector('#measure-extra table')`},
	{"dagum", `document.querySelector('#measure-chart svg') && document.querySelector('#measure-extra table')`},
	{"kernel", `document.querySelector('#measure-chart svg') && document.querySelector('#measure-table table')`},
	{"atkinson", `document.querySelector('#measure-table table')`},
	{"obstacle", `document.querySelector('#measure-chart svg') && document.querySelector('#measure-table table')`},
}

// pageState is what the measures page shows after a method ran.
type pageState struct {
	Error    string `json:"error"`
	Sentence string `json:"sentence"`
	Formula  string `json:"formula"`
	Tables   int    `json:"tables"`
	ChartSVG bool   `json:"chartSvg"`
	Paths    int    `json:"paths"`
	Legend   string `json:"legend"`
}

const measureState = `(() => {
  const err = document.querySelector('#measure-error');
  const svg = document.querySelector('#measure-chart svg');
  return {
    error: err.hidden ? '' : err.textContent,
    sentence: document.querySelector('#measure-sentence').textContent,
    formula: document.querySelector('#measure-formula').textContent,
    tables: document.querySelectorAll('#measure-table table, #measure-extra table').length,
    chartSvg: !!svg,
    paths: svg ? svg.querySelectorAll('path').length : 0,
    legend: svg ? Array.from(svg.querySelectorAll('text')).map(t => t.textContent).join('|') : ''
  };
})()`

// TestMeasuresPageMethods runs the new methods of the measures page on the
// paper's data (provinces, one year) and on an uploaded census of the
// cities (two years), in Chinese and English: each shows its table, its
// chart or map (LISA and Gi* with their classes in the legend), the
// analysis' summary sentence and the formula; no label leaves its chart or
// overlaps another; the text keeps to the language; and an error (the
// paper's single year for convergence) replaces the map shown before it.
func TestMeasuresPageMethods(t *testing.T) {
	if testing.Short() {
		t.Skip("starts chromium")
	}
	e := newEnv(t, Config{})
	// The census without its urban population, whose column name is the
	// file's own identifier (popu_urban): the page shows the names a file
	// gives its columns.
	raw, err := os.ReadFile("../../testdata/china2019/city_census_2010_2020.csv")
	if err != nil {
		t.Fatal(err)
	}
	var census bytes.Buffer
	for _, line := range strings.Split(strings.TrimSpace(string(raw)), "\n") {
		f := strings.Split(line, ",")
		census.WriteString(strings.Join([]string{f[0], f[1], f[2], f[3], f[4], f[6]}, ",") + "\n")
	}
	id := e.uploadID("census.csv", census.Bytes())
	b := newBrowser(t, e.ts.URL)
	choose := func(m string) chromedp.Action[chromedp.Void] {
		return chromedp.Evaluate[chromedp.Void](`(() => { const s = document.querySelector('#m-method'); s.value = '` + m + `'; s.dispatchEvent(new Event('change', {bubbles: true})); })()`)
	}
	for _, lang := range []string{"zh", "en"} {
		for _, data := range []struct{ name, query string }{{"paper", ""}, {"census", "&dataset=" + id}} {
			b.run("measures "+data.name+" "+lang, chromedp.Navigate(e.ts.URL+"/measures?lang="+lang+data.query), b.wait(dashboardPages[4].ready))
			for _, st := range measureSteps {
				name := fmt.Sprintf("%s %s %s", st.method, data.name, lang)
				if st.method == "obstacle" && data.name == "census" {
					continue // the census has no composite index
				}
				if st.method == "convergence" && data.name == "paper" {
					// After a map, the paper's single year: the error
					// replaces the map and the table.
					var s pageState
					b.run(name, choose("lisa"), b.wait(`document.querySelector('#measure-result').dataset.method === 'lisa' && document.querySelector('#measure-chart svg')`),
						choose("convergence"), b.wait(`document.querySelector('#measure-result').dataset.method === 'convergence'`), chromedp.Sleep(300*time.Millisecond),
						browsertest.Into(&s, chromedp.Evaluate[pageState](measureState)))
					if s.Error == "" || s.ChartSVG || s.Tables != 0 || s.Sentence != "" {
						t.Errorf("%s: error %q, map still drawn %v, %d tables, sentence %q", name, s.Error, s.ChartSVG, s.Tables, s.Sentence)
					}
					scanText(t, b, name, lang)
					continue
				}
				var s pageState
				var boxes boxReport
				b.run(name, choose(st.method), b.wait(`document.querySelector('#measure-result').dataset.method === '`+st.method+`' && (`+st.ready+`)`),
					chromedp.Sleep(500*time.Millisecond),
					browsertest.Into(&s, chromedp.Evaluate[pageState](measureState)),
					browsertest.Into(&boxes, chromedp.Evaluate[boxReport](chartBoxes)))
				if s.Error != "" || s.Tables == 0 || s.Sentence == "" || s.Formula == "" {
					t.Errorf("%s: error %q, %d tables, sentence %q, formula %q", name, s.Error, s.Tables, s.Sentence, s.Formula)
				}
				if st.method == "lisa" || st.method == "getis-ord" {
					// The map: provinces (polygons) or cities, and the
					// classes in the legend in the page's language.
					want := map[string]string{"zh": "不显著", "en": "Not significant"}[lang]
					if s.Paths < 30 || !strings.Contains(s.Legend, want) {
						t.Errorf("%s: map with %d paths, legend %q; want the provinces and %q", name, s.Paths, s.Legend, want)
					}
				}
				for _, p := range boxes.Problems {
					t.Errorf("%s: %s", name, p)
				}
				scanText(t, b, name, lang)
				if lang == "zh" {
					b.run("shot", b.shot(fmt.Sprintf("measures-%s-%s-%s.png", st.method, data.name, lang)))
				}
			}
		}
	}
	b.check()
}

// scanText fails on identifiers in Chinese and Chinese in English text.
func scanText(t *testing.T, b *browser, what, lang string) {
	t.Helper()
	var text string
	b.run(what+" text", browsertest.Into(&text, chromedp.Evaluate[string](visibleText)))
	problems := zhProblems(text)
	if lang == "en" {
		problems = enProblems(text)
	}
	for _, p := range problems {
		t.Errorf("%s (%s): %s", what, lang, p)
	}
}

// networkProvinces are the paper's 13 provinces with their resident
// population (万人) and GDP (亿元) of 2019 (China Statistical Yearbook
// 2020, rounded): the masses of the gravity network.
const networkProvinces = `province,population_2019(万人),gdp_2019(亿元)
北京市,2154,35371
天津市,1562,14104
河北省,7592,35105
上海市,2428,38155
江苏省,8070,99632
浙江省,5850,62352
安徽省,6366,37114
广东省,11521,107671
湖北省,5927,45828
湖南省,6918,39752
江西省,4666,24758
四川省,8375,46616
重庆市,3124,23606
`

// TestMeasuresPageNetwork chooses the network on the measures page, with
// the masses preselected from the data's population and GDP, in Chinese
// and English: the page shows the statistics, the units with their
// centralities and community, the communities against the
// agglomerations, the chart of strengths and the analysis' summary
// sentence, in the page's language, with no label outside its chart or
// over another.
func TestMeasuresPageNetwork(t *testing.T) {
	if testing.Short() {
		t.Skip("starts chromium")
	}
	e := newEnv(t, Config{})
	id := e.uploadID("provinces.csv", []byte(networkProvinces))
	b := newBrowser(t, e.ts.URL)
	choose := chromedp.Evaluate[chromedp.Void](`(() => { const s = document.querySelector('#m-method'); s.value = 'network'; s.dispatchEvent(new Event('change', {bubbles: true})); })()`)
	type netState struct {
		pageState
		P, G, Masses string
		Units, Extra int
		Network      bool
	}
	const state = `(() => {
  const s = ` + measureState + `;
  s.P = document.querySelector('#m-net-p').value;
  s.G = document.querySelector('#m-net-g').value;
  s.Network = !document.querySelector('#m-network').hidden;
  const t = document.querySelectorAll('#measure-table table');
  s.Units = t.length > 1 ? t[1].querySelectorAll('tbody tr').length : 0;
  s.Extra = document.querySelectorAll('#measure-extra table tbody tr').length;
  s.Masses = document.querySelector('#measure-table p').textContent;
  return s;
})()`
	for _, lang := range []string{"zh", "en"} {
		name := "network " + lang
		var s netState
		var boxes boxReport
		b.run(name, chromedp.Navigate(e.ts.URL+"/measures?lang="+lang+"&dataset="+id), b.wait(dashboardPages[4].ready),
			choose, b.wait(`document.querySelector('#measure-result').dataset.method === 'network' && document.querySelectorAll('#measure-table table').length === 2 && document.querySelector('#measure-chart svg') && document.querySelector('#measure-extra table')`),
			chromedp.Sleep(300*time.Millisecond),
			browsertest.Into(&s, chromedp.Evaluate[netState](state)),
			browsertest.Into(&boxes, chromedp.Evaluate[boxReport](chartBoxes)))
		for _, p := range boxes.Problems {
			t.Errorf("%s: %s", name, p)
		}
		if s.Error != "" || !s.Network || s.P != "population" || s.G != "gdp" || s.Units != 13 || s.Extra == 0 || !s.ChartSVG || s.Sentence == "" || s.Formula == "" {
			t.Errorf("%s: error %q, fieldset %v, masses %s,%s, %d units, %d community rows, chart %v, sentence %q, formula %q", name, s.Error, s.Network, s.P, s.G, s.Units, s.Extra, s.ChartSVG, s.Sentence, s.Formula)
		}
		// The sentence is the analysis' summary: 13 units, the density
		// and the communities.
		want := map[string]string{"zh": "13 个单元", "en": "13 units"}[lang]
		if !strings.Contains(s.Sentence, want) {
			t.Errorf("%s: sentence %q lacks %q", name, s.Sentence, want)
		}
		scanText(t, b, name, lang)
		if lang == "zh" {
			b.run("shot", b.shot("measures-network-zh.png"))
		}
	}
	b.check()
}
