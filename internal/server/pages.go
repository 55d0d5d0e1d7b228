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
	return []string{"overview", "profile", "compare", "index", "scenario", "data"}
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
}

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

// Num formats a number for display with at most decimals places.
func (p *pageData) Num(v float64, decimals int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "—"
	}
	out := strconv.FormatFloat(v, 'f', decimals, 64)
	if strings.Contains(out, ".") {
		out = strings.TrimRight(strings.TrimRight(out, "0"), ".")
	}
	return out
}

// AggCodes are the five agglomerations in the paper's order.
func (p *pageData) AggCodes() []string { return dataset.AgglomerationCodes() }

type stageOption struct{ Code, Name string }

// Stages are the development stages a scenario may set.
func (p *pageData) Stages() []stageOption {
	var out []stageOption
	for _, st := range diagnose.Stages() {
		out = append(out, stageOption{Code: st, Name: diagnose.Label(st).In(p.Lang)})
	}
	return out
}

// Val formats a stored value: as printed, up to 4 decimals.
func (p *pageData) Val(v analysis.Num) string { return p.Num(float64(v), 4) }

func (s *Server) pageRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /{$}", s.overviewPage)
	mux.HandleFunc("GET /agglomerations/{code}", s.profilePage)
	mux.HandleFunc("GET /compare", s.simplePage("compare"))
	mux.HandleFunc("GET /index", s.simplePage("index"))
	mux.HandleFunc("GET /scenario", s.simplePage("scenario"))
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

// pageLang is ?lang=, else Accept-Language, else Chinese.
func (s *Server) newPageData(r *http.Request, page string) (*pageData, error) {
	p := &pageData{Lang: lang(r), Page: page, Dataset: r.URL.Query().Get("dataset"), Caps: currentCapabilities(),
		AuthRequired: s.cfg.Token != "", Path: r.URL.Path}
	if p.Dataset == "" {
		p.Dataset = paperID
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
			code, zh, en, unit string
			scale              float64
			dec                int
		}{
			{"area", "五大城市群面积", "Area of the five", "万km²", 1e-4, 2},
			{"population", "常住人口", "Population", "亿人", 1e-4, 2},
			{"gdp", "GDP", "GDP", "万亿元", 1e-4, 2},
			{"gdp_share_national", "占全国GDP", "Share of national GDP", "%", 1, 2},
		} {
			v, ok := ds.Value("FIVE", k.code, od.Year)
			if !ok {
				continue
			}
			src := ""
			if o, ok := ds.Lookup("FIVE", k.code, od.Year); ok {
				src = ds.Provenance(o).Ref
			}
			od.Keys = append(od.Keys, keyNumber{Label: p.T(k.zh, k.en), Value: p.Num(v*k.scale, k.dec), Unit: k.unit, Source: src})
		}
		if rep, err := safeRun(func() (*analysis.ReplicationResult, error) { return analysis.Replicate(ds) }); err == nil {
			od.Verdict = rep.Verdict
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
		pd.Profile.Figures = figuresOf(ds, a.Code, dataset.AgglomerationCodes(), p.Lang)
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
