package server

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"agglo/internal/browsertest"
)

// dashboardPages are the pages the scans visit, each with a JavaScript
// condition that holds once it has drawn what it loads.
var dashboardPages = []struct {
	name, path, ready string
}{
	{"overview", "/", `document.querySelector('#map svg') && document.querySelector('#overview-gdppc svg')`},
	{"profile-bth", "/agglomerations/BTH", `document.querySelector('#members-chart svg') && document.querySelector('#diagnosis .tag') && document.querySelector('#strategies li')`},
	{"profile-prd", "/agglomerations/PRD", `document.querySelector('#diagnosis .tag') && document.querySelector('#strategies li')`},
	{"compare", "/compare", `document.querySelector('#compare-table table') && document.querySelector('#compare-charts svg')`},
	{"measures", "/measures", `document.querySelector('#measure-table table') && document.querySelector('#measure-chart svg') && document.querySelector('#measure-sentence').textContent`},
	{"index", "/index", `document.querySelector('#index-table table') && document.querySelector('#index-chart svg')`},
	{"scenario", "/scenario", `document.querySelectorAll('#recommendations li').length > 0`},
	{"replication", "/replication", `document.querySelector('#rep-table table')`},
	{"report", "/report", `document.querySelector('#report-links a')`},
	{"data", "/data", `document.querySelector('#current-regions')`},
}

// visibleText is what a reader sees: the rendered text of the page (select
// options included) and the text of the charts (SVG).
const visibleText = `(() => {
  const parts = [document.title, document.body.innerText];
  document.querySelectorAll('select option').forEach(o => parts.push(o.textContent));
  document.querySelectorAll('.chart svg text').forEach(t => parts.push(t.textContent));
  document.querySelectorAll('[placeholder]').forEach(e => parts.push(e.getAttribute('placeholder')));
  return parts.join('\n');
})()`

var (
	// Identifiers and machine values that must not reach a Chinese reader.
	snakeCase   = regexp.MustCompile(`\b[a-z][a-z0-9]*_[a-z0-9_]+\b`)
	keyValue    = regexp.MustCompile(`\b[A-Za-z_][A-Za-z0-9_.]*=[A-Za-z0-9_"-]+`)
	codeWords   = regexp.MustCompile(`(?i)\b(multi-point|core-led|internal-creation|external-cooperation|high|low|balanced|maturing|mature|embryonic|rapid|undetermined|stable|unstable|turbulent|abundant|limited|computed|published|derived|imported|goalposts|siphon|province|paper|agree|disagree|not_assessable|score|rank|weight|method|winsorisation|normalisation)\b`)
	siphonColon = regexp.MustCompile(`(?i)siphon\s*:`)
	// Chinese characters (and Chinese punctuation) in an English page.
	cjk = regexp.MustCompile(`[\p{Han}\x{3000}-\x{303F}\x{FF01}-\x{FF60}]+`)
)

// zhProblems lists identifiers and English code words in Chinese text.
func zhProblems(text string) []string {
	var out []string
	for _, re := range []*regexp.Regexp{snakeCase, keyValue, codeWords, siphonColon} {
		for _, m := range re.FindAllString(text, -1) {
			out = append(out, fmt.Sprintf("%q in %q", m, around(text, m)))
		}
	}
	return out
}

// enProblems lists Chinese text in an English page other than the
// language switch's own name.
func enProblems(text string) []string {
	var out []string
	for _, m := range cjk.FindAllString(text, -1) {
		if m == "中文" {
			continue
		}
		out = append(out, fmt.Sprintf("%q in %q", m, around(text, m)))
	}
	return out
}

func around(text, m string) string {
	i := strings.Index(text, m)
	if i < 0 {
		return ""
	}
	lo, hi := max(0, i-40), min(len(text), i+len(m)+40)
	for lo > 0 && !utf8Start(text[lo]) {
		lo--
	}
	for hi < len(text) && !utf8Start(text[hi]) {
		hi++
	}
	return strings.ReplaceAll(text[lo:hi], "\n", " ⏎ ")
}

func utf8Start(b byte) bool { return b&0xC0 != 0x80 }

func TestLanguageScanners(t *testing.T) {
	// The scanners themselves: each finds what the issue reported.
	for _, bad := range []string{"依据：level=high; paper.level=\"\"", "空间模式 multi-point", "国内环境 stable，国际环境 turbulent", "goalposts 2", "siphon: 0.3", "rd_conversion_low", "maturing (computed)"} {
		if len(zhProblems(bad)) == 0 {
			t.Errorf("zh scan misses %q", bad)
		}
	}
	for _, ok := range []string{"泰尔指数（T）为 0.0521", "R&D经费 GDP CRIC 2019 agglo API", "首位度 S2"} {
		if p := zhProblems(ok); len(p) > 0 {
			t.Errorf("zh scan flags %q: %v", ok, p)
		}
	}
	if len(enProblems("Population (万人)")) == 0 || len(enProblems("Shanghai、Jiangsu")) == 0 || len(enProblems("中文 EN")) != 0 {
		t.Error("en scan")
	}
}

// TestDashboardLanguageScan renders every dashboard page, and every method
// of the measures page, in Chinese and in English, and fails on an
// identifier, a key=value or an English code word in Chinese text, and on
// Chinese text in English pages.
func TestDashboardLanguageScan(t *testing.T) {
	if testing.Short() {
		t.Skip("starts chromium")
	}
	e := newEnv(t, Config{})
	b := newBrowser(t, e.ts.URL)
	scan := func(what, lang string) {
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
	for _, lang := range []string{"zh", "en"} {
		for _, p := range dashboardPages {
			b.run(p.name+" "+lang, chromedp.Navigate(e.ts.URL+p.path+"?lang="+lang), b.wait(p.ready), chromedp.Sleep(300*time.Millisecond))
			scan(p.name, lang)
		}
		b.run("measures "+lang, chromedp.Navigate(e.ts.URL+"/measures?lang="+lang), b.wait(dashboardPages[4].ready))
		for _, m := range []string{"gini", "cv", "theil-l", "williamson", "primacy", "top-share", "hhi", "rank-size", "dea"} {
			b.run("measure "+m, chromedp.SetValue(chromedp.CSS("#m-method"), m),
				chromedp.Evaluate[chromedp.Void](`document.querySelector('#m-method').dispatchEvent(new Event('change', {bubbles: true}))`),
				b.wait(`document.querySelector('#measure-result').dataset.method === '`+m+`'`),
				chromedp.Sleep(400*time.Millisecond))
			scan("measures "+m, lang)
		}
	}
	b.check()
}

// chartBoxes checks every chart of the page: each text of the SVG lies
// inside its chart, and no two texts of a chart overlap.
const chartBoxes = `(() => {
  const out = [];
  let n = 0;
  document.querySelectorAll('.chart').forEach(ch => {
    const c = ch.getBoundingClientRect();
    if (!c.width) return;
    const boxes = [];
    ch.querySelectorAll('svg text').forEach(t => {
      const s = t.textContent.trim();
      if (!s || getComputedStyle(t).opacity === '0' || t.getAttribute('fill-opacity') === '0') return;
      const r = t.getBoundingClientRect();
      if (!r.width) return;
      if (r.left < c.left - 1 || r.right > c.right + 1 || r.top < c.top - 1 || r.bottom > c.bottom + 1) {
        out.push((ch.id || ch.className) + ': "' + s + '" outside its chart');
      }
      boxes.push([s, r]);
      n++;
    });
    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i][1], b = boxes[j][1];
      const w = Math.min(a.right, b.right) - Math.max(a.left, b.left), h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      if (w > 1 && h > 1) out.push((ch.id || ch.className) + ': "' + boxes[i][0] + '" overlaps "' + boxes[j][0] + '"');
    }
  });
  return {problems: out, texts: n};
})()`

// boxReport is what chartBoxes returns.
type boxReport struct {
	Problems []string `json:"problems"`
	Texts    int      `json:"texts"`
}

// brokenChart draws a chart whose label runs out of it and over another,
// to show that chartBoxes sees both.
const brokenChart = `(() => {
  const d = document.createElement('div');
  d.className = 'chart'; d.id = 'broken'; d.style.width = '200px'; d.style.height = '100px';
  d.innerHTML = '<svg width="200" height="100"><text x="150" y="20" font-size="14">a label that runs out</text><text x="10" y="50">one</text><text x="14" y="52">two</text></svg>';
  document.body.appendChild(d);
  return true;
})()`

// TestChartLabelsFit checks the charts of every page at 1366×768 and
// 1920×1080, in both languages: no label clipped by its chart or drawn over
// another.
func TestChartLabelsFit(t *testing.T) {
	if testing.Short() {
		t.Skip("starts chromium")
	}
	e := newEnv(t, Config{})
	for _, size := range [][2]int{{1366, 768}, {1920, 1080}} {
		bt := browsertest.Start(t, "the dashboard's charts", size[0], size[1], nil)
		b := &browser{t: t, bt: bt, base: e.ts.URL, dir: browsertest.ArtifactsDir(t, "server")}
		var self boxReport
		b.run("self-check", chromedp.Navigate(e.ts.URL+"/report"), b.wait(`document.body`),
			chromedp.Evaluate[chromedp.Void](brokenChart), browsertest.Into(&self, chromedp.Evaluate[boxReport](chartBoxes)))
		if len(self.Problems) != 2 {
			t.Errorf("the check misses a clipped or overlapping label: %v", self.Problems)
		}
		for _, lang := range []string{"zh", "en"} {
			for _, p := range dashboardPages {
				var rep boxReport
				name := fmt.Sprintf("%s %s %dx%d", p.name, lang, size[0], size[1])
				b.run(name, chromedp.Navigate(e.ts.URL+p.path+"?lang="+lang), b.wait(p.ready), chromedp.Sleep(700*time.Millisecond),
					browsertest.Into(&rep, chromedp.Evaluate[boxReport](chartBoxes)))
				for _, pr := range rep.Problems {
					t.Errorf("%s: %s", name, pr)
				}
				if strings.Contains(p.ready, " svg") && rep.Texts < 8 {
					t.Errorf("%s: only %d chart labels found", name, rep.Texts)
				}
				if size[0] == 1366 && lang == "zh" {
					b.run("shot", b.shot(fmt.Sprintf("%s-%s-%d.png", p.name, lang, size[0])))
				}
			}
		}
		b.check()
	}
}

// Labels of modes, levels, stages and problems come from the API: the
// script holds none of them.
func TestScriptHasNoLabels(t *testing.T) {
	js, err := webFS.ReadFile("web/static/app.js")
	if err != nil {
		t.Fatal(err)
	}
	for _, label := range []string{"核心引领", "多点并行", "外部合作", "内部创造", "内外均衡", "高水平", "低水平", "雏形发育期", "快速发育期", "趋于成熟期", "成熟发展期", "虹吸",
		"core-led", "multi-point", "internal creation", "external cooperation", "embryonic", "maturing"} {
		if strings.Contains(string(js), label) {
			t.Errorf("app.js spells the label %q; it must come from the API", label)
		}
	}
}
