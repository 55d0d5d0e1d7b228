package server

import (
	"bytes"
	"embed"
	"html/template"
	"io/fs"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"agglo/internal/analysis"
	"agglo/internal/assets"
	"agglo/internal/composite"
	"agglo/internal/dataset"
	"agglo/internal/diagnose"
	"agglo/internal/i18n"
	"agglo/internal/replicate"
)

//go:embed web/templates/*.html web/static/*
var webFS embed.FS

// pageNames are the dashboard's pages, each a template under
// web/templates/ that fills the layout.
func pageNames() []string {
	return []string{"overview", "profile", "compare", "measures", "index", "scenario", "replication", "report", "data"}
}

type pages struct {
	tmpl map[string]*template.Template
}

func newPages() (*pages, error) {
	p := &pages{tmpl: map[string]*template.Template{}}
	for _, name := range pageNames() {
		t, err := template.New("layout.html").ParseFS(webFS, "web/templates/layout.html", "web/templates/"+name+".html")
		if err != nil {
			return nil, err
		}
		p.tmpl[name] = t
	}
	return p, nil
}

// pageData is what every page template receives.
type pageData struct {
	Lang         string
	Page         string
	Dataset      string
	Datasets     []DatasetInfo
	Caps         capabilities
	AuthRequired bool
	Path         string
	Data         any
	// Aggs are the paper's agglomerations with their names, for selectors.
	Aggs []option
	// UASpec describes the default uncertainty choices (index page).
	UASpec []string
	// UARuns is the default number of Monte Carlo runs, as on the command
	// line.
	UARuns int
}

// option is a choice of a selector: a code and its name.
type option struct{ Code, Name string }

// T picks the text in the page's language (templates call it).
func (p *pageData) T(zh, en string) string { return i18n.T(zh, en).In(p.Lang) }

// Href links to path keeping the page's language and dataset.
func (p *pageData) Href(path string) string {
	q := url.Values{}
	if p.Lang == i18n.EN {
		q.Set("lang", "en")
	}
	if p.Dataset != "" && p.Dataset != paperID {
		q.Set("dataset", p.Dataset)
	}
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}

// LangHref links to the current page in another language.
func (p *pageData) LangHref(l string) string {
	q := url.Values{}
	if l == i18n.EN {
		q.Set("lang", "en")
	} else {
		q.Set("lang", "zh")
	}
	if p.Dataset != "" && p.Dataset != paperID {
		q.Set("dataset", p.Dataset)
	}
	return p.Path + "?" + q.Encode()
}

// Num formats a number for display with at most decimals places, fewer
// for large magnitudes (no decimals from 10,000, one from 100), and
// thousands separators.
func (p *pageData) Num(v float64, decimals int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "—"
	}
	switch a := math.Abs(v); {
	case a >= 10000:
		decimals = 0
	case a >= 100:
		decimals = min(decimals, 1)
	}
	out := strconv.FormatFloat(v, 'f', decimals, 64)
	if strings.Contains(out, ".") {
		out = strings.TrimRight(strings.TrimRight(out, "0"), ".")
	}
	return groupThousands(out)
}

// groupThousands puts commas between the thousands of a formatted number.
func groupThousands(s string) string {
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	whole, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if hasFrac {
		return sign + b.String() + "." + frac
	}
	return sign + b.String()
}

// Stages are the development stages a scenario may set.
func (p *pageData) Stages() []option {
	var out []option
	for _, st := range diagnose.Stages() {
		out = append(out, option{Code: st, Name: diagnose.Label(st).In(p.Lang)})
	}
	return out
}

// ReportFormats are the report downloads the report page offers.
func (p *pageData) ReportFormats() []reportLink {
	q := url.Values{}
	q.Set("lang", p.Lang)
	if p.Dataset != "" && p.Dataset != paperID {
		q.Set("dataset", p.Dataset)
	}
	link := func(format string, download bool) string {
		v := url.Values{}
		for k, x := range q {
			v[k] = x
		}
		v.Set("format", format)
		if download {
			v.Set("download", "1")
		}
		return "/api/v1/report?" + v.Encode()
	}
	return []reportLink{
		{ID: "html", Name: p.T("网页（HTML）", "Web page (HTML)"), Note: p.T("自包含，可离线打开，浏览器可打印为 PDF", "self-contained, opens offline, prints to PDF from the browser"), Href: link("html", true), View: link("html", false)},
		{ID: "docx", Name: p.T("Word 文档（DOCX）", "Word document (DOCX)"), Note: p.T("标题、表格与图表，可在 Word 或 WPS 中编辑", "headings, tables and charts, editable in Word or WPS"), Href: link("docx", true)},
		{ID: "xlsx", Name: p.T("Excel 工作簿（XLSX）", "Excel workbook (XLSX)"), Note: p.T("每张表一个工作表，每个数字附来源", "one sheet per table, each number with its source"), Href: link("xlsx", true)},
		{ID: "md", Name: p.T("Markdown 文本", "Markdown text"), Note: p.T("纯文本，便于版本管理", "plain text, for version control"), Href: link("md", true)},
	}
}

// reportLink is one download of the report page.
type reportLink struct{ ID, Name, Note, Href, View string }

// SourceText says where a value comes from in the page's language: its
// kind (published, derived, imported) and the paper's section or table, or
// the user's file.
func (p *pageData) SourceText(kind dataset.SourceKind, ref string) string {
	k := map[string]i18n.Text{"published": i18n.T("论文发表值", "published"), "derived": i18n.T("推算值", "derived"),
		"imported": i18n.T("导入", "imported")}[string(kind)]
	out := k.In(p.Lang)
	if out == "" {
		out = string(kind)
	}
	if r := p.Ref(ref); r != "" {
		out += " · " + r
	}
	return out
}

// Ref renders a reference to the paper ("paper Table 1", "paper II.1
// (overview)") in the page's language; other references (file names) are
// kept.
func (p *pageData) Ref(ref string) string {
	rest, ok := strings.CutPrefix(ref, "paper ")
	if !ok {
		return ref
	}
	if p.Lang == i18n.EN {
		return "paper " + rest
	}
	main, note, _ := strings.Cut(rest, " (")
	note = strings.TrimSuffix(note, ")")
	main = strings.NewReplacer("Table ", "表", "Figure ", "图").Replace(main)
	out := "论文" + main
	notes := map[string]string{"overview": "概述", "mean over member provinces": "成员省份均值", "text on Figure 2": "图2正文",
		"citing China City Statistical Yearbook 2020": "引《中国城市统计年鉴2020》"}
	if zh, ok := notes[note]; ok {
		out += "（" + zh + "）"
	}
	return out
}

// Val formats a stored value: as printed, up to 4 decimals.
func (p *pageData) Val(v analysis.Num) string { return p.Num(float64(v), 4) }

func (s *Server) pageRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /{$}", s.overviewPage)
	mux.HandleFunc("GET /agglomerations/{code}", s.profilePage)
	mux.HandleFunc("GET /compare", s.simplePage("compare"))
	mux.HandleFunc("GET /measures", s.simplePage("measures"))
	mux.HandleFunc("GET /index", s.simplePage("index"))
	mux.HandleFunc("GET /scenario", s.simplePage("scenario"))
	mux.HandleFunc("GET /replication", s.simplePage("replication"))
	mux.HandleFunc("GET /report", s.simplePage("report"))
	mux.HandleFunc("GET /data", s.simplePage("data"))
	static, _ := fs.Sub(webFS, "web/static")
	mux.Handle("GET /static/", cacheForever(http.StripPrefix("/static/", http.FileServerFS(static))))
	mux.Handle("GET /vendor/", cacheForever(http.StripPrefix("/vendor/", http.FileServerFS(assets.FS()))))
	mux.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "404 page not found / 页面不存在", http.StatusNotFound)
	})
}

func cacheForever(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		h.ServeHTTP(w, r)
	})
}

// langCookie remembers the dashboard's language across pages and
// datasets.
const langCookie = "agglo_lang"

// pageLang is ?lang=, else the language chosen before (cookie), else
// Accept-Language, else Chinese.
func pageLang(r *http.Request) string {
	if l := r.URL.Query().Get("lang"); l != "" {
		return i18n.Normalize(l)
	}
	if c, err := r.Cookie(langCookie); err == nil && i18n.Valid(c.Value) {
		return c.Value
	}
	return lang(r)
}

func (s *Server) newPageData(r *http.Request, page string) (*pageData, error) {
	p := &pageData{Lang: pageLang(r), Page: page, Dataset: r.URL.Query().Get("dataset"), Caps: currentCapabilities(),
		AuthRequired: s.cfg.Token != "", Path: r.URL.Path, UARuns: analysis.DefaultUncertaintyRuns}
	if p.Dataset == "" {
		p.Dataset = paperID
	}
	_ = s.withDataset(r.Context(), paperID, func(ds *dataset.Dataset, _ DatasetInfo) error {
		// Every agglomeration (the 19 national ones and the workspace's
		// sets), the paper's five first.
		for _, a := range ds.Registry.AllAgglomerations() {
			p.Aggs = append(p.Aggs, option{Code: a.Code, Name: a.Name(p.Lang)})
		}
		return nil
	})
	if page == "index" {
		spec := analysis.DefaultUncertaintySpec()
		for i := range spec.Choices {
			p.UASpec = append(p.UASpec, composite.DescribeChoice(&spec.Choices[i]).In(p.Lang))
		}
	}
	p.Datasets = []DatasetInfo{s.data.paper.info}
	if !s.readAllowed(r) {
		return p, nil // uploaded datasets are listed to token holders only
	}
	recs, err := s.store.Datasets(r.Context())
	if err != nil {
		return nil, err
	}
	for i := range recs {
		p.Datasets = append(p.Datasets, infoOf(&recs[i]))
	}
	return p, nil
}

func (s *Server) render(w http.ResponseWriter, r *http.Request, p *pageData) {
	var buf bytes.Buffer
	if err := s.pages.tmpl[p.Page].Execute(&buf, p); err != nil {
		s.log.Error("render page", "page", p.Page, "err", err)
		http.Error(w, "internal error / 内部错误", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if r.URL.Query().Get("lang") != "" {
		http.SetCookie(w, &http.Cookie{Name: langCookie, Value: p.Lang, Path: "/", MaxAge: 365 * 24 * 3600, SameSite: http.SameSiteLaxMode, HttpOnly: true})
	}
	_, _ = w.Write(buf.Bytes())
}

func (s *Server) pageError(w http.ResponseWriter, r *http.Request, err error) {
	var ae *apiError
	status := http.StatusInternalServerError
	msg := i18n.T("内部错误", "internal error")
	if ok := asAPIError(err, &ae); ok && ae.status < 500 {
		status, msg = ae.status, ae.text
	} else {
		s.log.Error("page", "path", r.URL.Path, "err", err)
	}
	http.Error(w, msg.In(lang(r)), status)
}

func (s *Server) simplePage(name string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, err := s.newPageData(r, name)
		if err != nil {
			s.pageError(w, r, err)
			return
		}
		s.render(w, r, p)
	}
}

type keyNumber struct {
	Label  string
	Value  string
	Unit   string
	Source string
}

type overviewData struct {
	Keys    []keyNumber
	Verdict replicate.Verdict
	// Checked counts the claims the data could recompute (match,
	// mismatch, or different by reading); constraints of a derivation
	// are not checks.
	Checked int
	Aggs    []agglomerationRow
	Year    int
}

type agglomerationRow struct {
	Code, Name         string
	Density, GDPPerCap float64
	CRIC               float64
	Members            int
}

func (s *Server) overviewPage(w http.ResponseWriter, r *http.Request) {
	p, err := s.newPageData(r, "overview")
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	var od overviewData
	err = s.withDataset(r.Context(), p.Dataset, func(ds *dataset.Dataset, _ DatasetInfo) error {
		od.Year = latestYear(ds)
		for _, k := range []struct {
			code, zh, en, unitZH, unitEN string
			scale                        float64
			dec                          int
		}{
			{"area", "五大城市群面积", "Area of the five", "万km²", "million km²", 1e-4, 2},
			{"population", "常住人口", "Population", "亿人", "million", 1e-4, 2},
			{"gdp", "GDP", "GDP", "万亿元", "trillion yuan", 1e-4, 2},
			{"gdp_share_national", "占全国GDP", "Share of national GDP", "%", "%", 1, 2},
		} {
			v, ok := ds.Value("FIVE", k.code, od.Year)
			if !ok {
				continue
			}
			src := ""
			if o, ok := ds.Lookup("FIVE", k.code, od.Year); ok {
				src = p.Ref(ds.Provenance(o).Ref)
			}
			scale := k.scale
			if p.Lang == i18n.EN {
				switch k.code {
				case "area":
					scale = 1e-6 // km² → million km²
				case "population":
					scale = 1e-2 // 万人 → million
				}
			}
			od.Keys = append(od.Keys, keyNumber{Label: p.T(k.zh, k.en), Value: p.Num(v*scale, k.dec), Unit: p.T(k.unitZH, k.unitEN), Source: src})
		}
		if rep, err := safeRun(func() (*analysis.ReplicationResult, error) { return analysis.Replicate(ds) }); err == nil {
			od.Verdict = rep.Verdict
			od.Checked = rep.Verdict.Match + rep.Verdict.Mismatch + rep.Verdict.Mixed
		}
		cric := analysis.MemberMeans(ds, "cric_composite", od.Year)
		pos := map[string]int{}
		for i, c := range dataset.AgglomerationCodes() {
			pos[c] = i
		}
		for _, a := range ds.Registry.Agglomerations() {
			row := agglomerationRow{Code: a.Code, Name: a.Name(p.Lang), Members: len(a.Members)}
			row.Density, _ = ds.Value(a.Code, "population_density", od.Year)
			row.GDPPerCap, _ = ds.Value(a.Code, "gdp_per_capita", od.Year)
			row.CRIC = math.NaN()
			if i, ok := pos[a.Code]; ok {
				row.CRIC = cric[i]
			}
			od.Aggs = append(od.Aggs, row)
		}
		return nil
	})
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	p.Data = od
	s.render(w, r, p)
}

type profileData struct {
	Code    string
	Name    string
	Profile agglomerationProfile
}

func (s *Server) profilePage(w http.ResponseWriter, r *http.Request) {
	p, err := s.newPageData(r, "profile")
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	code := strings.ToUpper(r.PathValue("code"))
	var pd profileData
	err = s.withDataset(r.Context(), p.Dataset, func(ds *dataset.Dataset, info DatasetInfo) error {
		a, ok := ds.Registry.Lookup(code)
		if !ok || a.Level != dataset.LevelAgglomeration {
			return notFound("code", "没有代码为“%s”的城市群", "no agglomeration %q", clip(code))
		}
		pd = profileData{Code: a.Code, Name: a.Name(p.Lang)}
		pd.Profile.agglomerationJSON = agglomerationOf(ds.Registry, a, p.Lang)
		pd.Profile.Figures = figuresOf(ds, a.Code, ds.Registry.AllAgglomerationCodes(), p.Lang)
		for _, m := range a.ProvinceMembers {
			if _, ok := ds.RegionIndex(m.Code); !ok {
				continue
			}
			reg, _ := ds.Region(m.Code)
			pd.Profile.MemberFigures = append(pd.Profile.MemberFigures, memberFigures{Code: m.Code, Name: reg.Name(p.Lang), Partial: m.Partial,
				Figures: figuresOf(ds, m.Code, nil, p.Lang)})
		}
		return nil
	})
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	p.Data = pd
	s.render(w, r, p)
}
