package server

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"agglo/internal/bench"
	"agglo/internal/store"
	"agglo/internal/strategy"
)

// okCSV is a valid upload: three provinces, 2019 population and GDP.
const okCSV = "region,year,常住人口(万人),地区生产总值(亿元)\n北京市,2019,2154,35371\n天津市,2019,1562,14104\n河北省,2019,7592,35104\n"

// badCSV has one malformed number at row 3, column 3.
const badCSV = "region,year,常住人口(万人),地区生产总值(亿元)\n北京市,2019,2154,35371\n天津市,2019,abc,14104\n河北省,2019,7592,35104\n"

type testEnv struct {
	t     *testing.T
	srv   *Server
	st    *store.Store
	ts    *httptest.Server
	token string
}

func newEnv(t *testing.T, cfg Config) *testEnv {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "ws.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Addr == "" {
		cfg.Addr = "127.0.0.1:0"
	}
	srv, err := New(cfg, st)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(documentedStatuses(t, srv))
	t.Cleanup(func() {
		ts.Close()
		srv.Close()
		st.Close()
	})
	return &testEnv{t: t, srv: srv, st: st, ts: ts, token: cfg.Token}
}

type resp struct {
	status int
	header http.Header
	body   []byte
}

func (r resp) json(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
}

func (r resp) errBody(t *testing.T) errorBody {
	t.Helper()
	var e struct{ Error errorBody }
	r.json(t, &e)
	if e.Error.Code == "" {
		t.Fatalf("no error code in %s", r.body)
	}
	return e.Error
}

func (e *testEnv) do(method, path, contentType string, body io.Reader, headers ...string) resp {
	e.t.Helper()
	req, err := http.NewRequest(method, e.ts.URL+path, body)
	if err != nil {
		e.t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	if e.token != "" && isWrite(method) && req.Header.Get("Authorization") == "" && req.Header.Get("X-Agglo-Token") == "" {
		req.Header.Set("Authorization", "Bearer "+e.token)
	}
	res, err := e.ts.Client().Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return resp{status: res.StatusCode, header: res.Header, body: b}
}

func (e *testEnv) get(path string, headers ...string) resp {
	return e.do("GET", path, "", nil, headers...)
}

func (e *testEnv) postJSON(path, body string, headers ...string) resp {
	return e.do("POST", path, "application/json", strings.NewReader(body), headers...)
}

func multipartBody(t *testing.T, field, name string, content []byte) (string, *bytes.Buffer) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, err := mw.CreateFormFile(field, name)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(content)
	mw.Close()
	return mw.FormDataContentType(), &buf
}

func (e *testEnv) upload(name string, content []byte, headers ...string) resp {
	ct, body := multipartBody(e.t, "file", name, content)
	return e.do("POST", "/api/v1/datasets", ct, body, headers...)
}

func want(t *testing.T, r resp, status int) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d: %s", r.status, status, r.body)
	}
}

func TestAgglomerations(t *testing.T) {
	e := newEnv(t, Config{})
	r := e.get("/api/v1/agglomerations")
	want(t, r, 200)
	var aggs []agglomerationJSON
	r.json(t, &aggs)
	var codes []string
	for _, a := range aggs {
		codes = append(codes, a.Code)
		if a.NameZH == "" || a.NameEN == "" || len(a.Members) == 0 {
			t.Errorf("%s: incomplete %+v", a.Code, a)
		}
	}
	// The paper's order of Tables 1-3.
	if strings.Join(codes, ",") != "BTH,YRD,MYR,PRD,CC" {
		t.Errorf("codes %v", codes)
	}
	// The fixed contract: code, name_zh, name_en, members.
	var raw []map[string]any
	r.json(t, &raw)
	for _, k := range []string{"code", "name_zh", "name_en", "members"} {
		if _, ok := raw[0][k]; !ok {
			t.Errorf("agglomeration has no %q", k)
		}
	}
	// BTH has 13 cities in its plan (Beijing, Tianjin and 11 in Hebei).
	if len(aggs[0].Members) != 13 || len(aggs[0].ProvinceMembers) != 3 {
		t.Errorf("BTH members %d cities, %d provinces", len(aggs[0].Members), len(aggs[0].ProvinceMembers))
	}
	if aggs[0].Name != "京津冀城市群" {
		t.Errorf("default language: name %q", aggs[0].Name)
	}
	r = e.get("/api/v1/agglomerations", "Accept-Language", "en-US,en;q=0.9")
	r.json(t, &aggs)
	if aggs[0].Name != "Beijing-Tianjin-Hebei" {
		t.Errorf("Accept-Language en: name %q", aggs[0].Name)
	}
}

func TestAgglomerationProfile(t *testing.T) {
	e := newEnv(t, Config{})
	r := e.get("/api/v1/agglomerations/prd")
	want(t, r, 200)
	var p agglomerationProfile
	r.json(t, &p)
	found := false
	for _, f := range p.Figures {
		// Paper Table 1: PRD has the highest population density of the
		// five, 1163.6 per km².
		if f.Indicator == "population_density" {
			found = true
			if float64(f.Value) != 1163.6 || f.Rank != 1 || f.Of != 5 {
				t.Errorf("PRD density %v rank %d/%d, want 1163.6, 1/5", f.Value, f.Rank, f.Of)
			}
		}
	}
	if !found {
		t.Error("no population density figure")
	}
	if len(p.MemberFigures) != 1 || p.MemberFigures[0].Code != "440000" {
		t.Errorf("PRD member figures %+v", p.MemberFigures)
	}
	want(t, e.get("/api/v1/agglomerations/XYZ"), 404)
	e404 := e.get("/api/v1/agglomerations/XYZ?lang=en").errBody(t)
	if e404.Code != codeNotFound || !strings.Contains(e404.Message, "no agglomeration") || e404.Field != "code" {
		t.Errorf("404 body %+v", e404)
	}
}

func TestRegionsIndicatorsObservations(t *testing.T) {
	e := newEnv(t, Config{})
	var regs []regionJSON
	r := e.get("/api/v1/regions")
	want(t, r, 200)
	r.json(t, &regs)
	if len(regs) == 0 {
		t.Fatal("no regions")
	}
	r = e.get("/api/v1/regions?level=agglomeration")
	r.json(t, &regs)
	if len(regs) != 19 { // the 19 national agglomerations of the built-in registry
		t.Errorf("%d agglomerations", len(regs))
	}
	want(t, e.get("/api/v1/regions?level=planet"), 400)
	r = e.get("/api/v1/regions/110000")
	want(t, r, 200)
	var rd regionDetail
	r.json(t, &rd)
	if rd.Region.NameZH != "北京市" || len(rd.Figures) != 6 {
		t.Errorf("Beijing: %s with %d figures (Table 3 has 6 values)", rd.Region.NameZH, len(rd.Figures))
	}
	want(t, e.get("/api/v1/regions/nowhere"), 404)

	var inds []indicatorJSON
	r = e.get("/api/v1/indicators")
	want(t, r, 200)
	r.json(t, &inds)
	if len(inds) == 0 {
		t.Fatal("no indicators")
	}

	r = e.get("/api/v1/observations?indicators=gdp_per_capita,population_density&lang=en")
	want(t, r, 200)
	var ct compareTable
	r.json(t, &ct)
	// Paper Table 1: GDP per capita (10k yuan) BTH 7.49, YRD 13.13, MYR
	// 7.23, PRD 13.58, CC 6.51.
	wantPC := []float64{7.49, 13.13, 7.23, 13.58, 6.51}
	for i, w := range wantPC {
		if float64(ct.Values[i][0]) != w {
			t.Errorf("%s GDP per capita %v, want %v", ct.Regions[i].Code, ct.Values[i][0], w)
		}
	}
	r = e.get("/api/v1/observations?indicators=cric_composite&members=BTH")
	r.json(t, &ct)
	if len(ct.Regions) != 3 || float64(ct.Values[0][0]) != 53.22 {
		t.Errorf("BTH members: %+v", ct)
	}
	r = e.get("/api/v1/observations?indicators=gdp&format=xlsx")
	want(t, r, 200)
	if !strings.HasPrefix(r.header.Get("Content-Type"), "application/vnd.openxmlformats") || !bytes.HasPrefix(r.body, []byte("PK")) {
		t.Errorf("xlsx export: %s", r.header.Get("Content-Type"))
	}
	want(t, e.get("/api/v1/observations"), 400)
	want(t, e.get("/api/v1/observations?indicators=nope"), 404)
	want(t, e.get("/api/v1/observations?indicators=gdp&year=abc"), 400)
	want(t, e.get("/api/v1/observations?indicators=gdp&format=pdf"), 400)
	want(t, e.get("/api/v1/observations?indicators=gdp&members=XX"), 404)
	want(t, e.get("/api/v1/observations?indicators=gdp&dataset=999"), 404)
	want(t, e.get("/api/v1/observations?indicators=gdp&dataset=abc"), 404)
}

func TestUploadListShowExportDelete(t *testing.T) {
	e := newEnv(t, Config{})
	r := e.upload("gdp.csv", []byte(okCSV))
	want(t, r, 201)
	var up uploadResult
	r.json(t, &up)
	d := up.Dataset
	if d.ID == "" || d.Regions != 3 || d.Indicators != 2 || d.Observations != 6 || d.Name != "gdp" || r.header.Get("Location") != "/api/v1/datasets/"+d.ID {
		t.Fatalf("uploaded %+v", d)
	}
	var list []DatasetInfo
	e.get("/api/v1/datasets").json(t, &list)
	if len(list) != 2 || list[0].ID != paperID || !list[0].ReadOnly || list[1].ID != d.ID {
		t.Errorf("list %+v", list)
	}
	want(t, e.get("/api/v1/datasets/"+d.ID), 200)
	want(t, e.get("/api/v1/datasets/paper"), 200)
	want(t, e.get("/api/v1/datasets/77"), 404)
	want(t, e.get("/api/v1/datasets/x"), 404)
	// The upload is usable in every view.
	var ct compareTable
	e.get("/api/v1/observations?dataset="+d.ID+"&indicators=gdp&regions=110000,130000").json(t, &ct)
	if float64(ct.Values[0][0]) != 35371 || float64(ct.Values[1][0]) != 35104 {
		t.Errorf("upload values %+v", ct.Values)
	}
	for _, f := range []string{"csv", "xlsx", "json"} {
		want(t, e.get("/api/v1/datasets/"+d.ID+"/export?format="+f), 200)
	}
	want(t, e.get("/api/v1/datasets/paper/export?format=xlsx"), 200)
	want(t, e.get("/api/v1/datasets/"+d.ID+"/export?format=doc"), 400)
	want(t, e.do("DELETE", "/api/v1/datasets/paper", "", nil), 403)
	want(t, e.do("DELETE", "/api/v1/datasets/"+d.ID, "", nil), 204)
	want(t, e.do("DELETE", "/api/v1/datasets/"+d.ID, "", nil), 404)
	want(t, e.get("/api/v1/observations?dataset="+d.ID+"&indicators=gdp"), 404)
}

func TestUploadValidationErrors(t *testing.T) {
	e := newEnv(t, Config{})
	r := e.upload("bad.csv", []byte(badCSV), "Accept-Language", "en")
	want(t, r, 422)
	eb := r.errBody(t)
	if eb.Code != codeValidation || eb.Field != "file" || len(eb.Issues) != 1 {
		t.Fatalf("error %+v", eb)
	}
	is := eb.Issues[0]
	if is.File != "bad.csv" || is.Row != 3 || is.Col != 3 || is.Column != "常住人口(万人)" || !strings.Contains(is.Message, "abc") || is.Text.ZH == "" {
		t.Errorf("issue %+v", is)
	}
	r = e.upload("bad.csv", []byte(badCSV))
	if m := r.errBody(t).Issues[0].Message; !strings.Contains(m, "数值格式错误") {
		t.Errorf("zh message %q", m)
	}
	// Nothing was stored.
	if list, _ := e.st.Datasets(context.Background()); len(list) != 0 {
		t.Errorf("%d datasets stored after failed uploads", len(list))
	}
	// Wrong type, empty file, no file field, not multipart.
	want(t, e.upload("notes.pdf", []byte("%PDF")), 422)
	want(t, e.upload("empty.csv", nil), 422)
	ct, body := multipartBody(t, "other", "a.csv", []byte(okCSV))
	want(t, e.do("POST", "/api/v1/datasets", ct, body), 400)
	r = e.do("POST", "/api/v1/datasets", "text/csv", strings.NewReader(okCSV))
	want(t, r, 415)
	if r.errBody(t).Code != codeMediaType {
		t.Error("415 without its code")
	}
	want(t, e.do("POST", "/api/v1/datasets", "multipart/form-data; boundary=x", strings.NewReader("garbage")), 400)
	// A broken XLSX.
	r = e.upload("broken.xlsx", []byte("PK not really"))
	want(t, r, 422)
}

func TestUploadLimits(t *testing.T) {
	e := newEnv(t, Config{Limits: Limits{MaxBody: 64 << 10, MaxUnzipped: 1 << 20, MaxRows: 100, MaxCols: 10}})
	big := strings.Repeat("北京市,2019,1,1\n", 8000)
	r := e.upload("big.csv", []byte("region,year,常住人口(万人),地区生产总值(亿元)\n"+big))
	want(t, r, 413)
	if r.errBody(t).Code != codeTooLarge {
		t.Error("413 without its code")
	}
	rows := "region,year,常住人口(万人)\n" + strings.Repeat("北京市,2019,1\n", 150)
	want(t, e.upload("rows.csv", []byte(rows)), 413)
	cols := "region" + strings.Repeat(",x", 20) + "\n"
	want(t, e.upload("cols.csv", []byte(cols)), 413)

	// A zip bomb: a 5 MB entry of zeros compresses to a few KB; the
	// directory says 5 MB, over the 1 MB limit, and the ratio is > 200.
	var zbuf bytes.Buffer
	zw := zip.NewWriter(&zbuf)
	w, _ := zw.Create("xl/worksheets/sheet1.xml")
	w.Write(make([]byte, 5<<20))
	zw.Close()
	if zbuf.Len() > 64<<10 {
		t.Fatalf("bomb is %d bytes", zbuf.Len())
	}
	r = e.upload("bomb.xlsx", zbuf.Bytes())
	want(t, r, 413)
	if !strings.Contains(r.errBody(t).Message, "MB") {
		t.Errorf("bomb message %s", r.body)
	}
	// Too many entries.
	e2 := newEnv(t, Config{Limits: Limits{MaxZipEntries: 5}})
	zbuf.Reset()
	zw = zip.NewWriter(&zbuf)
	for i := 0; i < 10; i++ {
		w, _ := zw.Create(fmt.Sprintf("f%d.xml", i))
		w.Write([]byte("<x/>"))
	}
	zw.Close()
	want(t, e2.upload("many.xlsx", zbuf.Bytes()), 413)
	// A worksheet whose dimension announces too many rows.
	e3 := newEnv(t, Config{Limits: Limits{MaxRows: 1000}})
	zbuf.Reset()
	zw = zip.NewWriter(&zbuf)
	w, _ = zw.Create("xl/worksheets/sheet1.xml")
	w.Write([]byte(`<?xml version="1.0"?><worksheet><dimension ref="A1:C5000"/></worksheet>`))
	zw.Close()
	want(t, e3.upload("dim.xlsx", zbuf.Bytes()), 413)
}

func TestXLSXRoundTrip(t *testing.T) {
	e := newEnv(t, Config{})
	want(t, e.upload("gdp.csv", []byte(okCSV)), 201)
	x := e.get("/api/v1/datasets/1/export?format=xlsx")
	want(t, x, 200)
	r := e.upload("gdp.xlsx", x.body)
	want(t, r, 201)
	var up uploadResult
	r.json(t, &up)
	if up.Dataset.Observations != 6 || up.Dataset.Format != "xlsx" {
		t.Errorf("xlsx upload %+v", up.Dataset)
	}
}

func TestTokenAndOrigin(t *testing.T) {
	if _, err := New(Config{Addr: "0.0.0.0:8080"}, nil); !errors.Is(err, ErrTokenRequired) {
		t.Errorf("non-loopback without token: %v", err)
	}
	if _, err := New(Config{Addr: "bad"}, nil); err == nil {
		t.Error("bad address accepted")
	}
	for _, h := range []string{"127.0.0.1", "::1", "[::1]", "localhost"} {
		if !IsLoopback(h) {
			t.Errorf("%s not loopback", h)
		}
	}
	for _, h := range []string{"0.0.0.0", "", "192.168.1.2", "example.com"} {
		if IsLoopback(h) {
			t.Errorf("%s loopback", h)
		}
	}
	e := newEnv(t, Config{Addr: "0.0.0.0:0", Token: "s3cret"})
	ct, body := multipartBody(t, "file", "gdp.csv", []byte(okCSV))
	r := e.do("POST", "/api/v1/datasets", ct, body, "X-Agglo-Token", "wrong")
	want(t, r, 401)
	if eb := r.errBody(t); eb.Code != codeUnauthorized {
		t.Errorf("401 body %+v", eb)
	}
	req, _ := http.NewRequest("DELETE", e.ts.URL+"/api/v1/analyses/1", nil)
	res, _ := http.DefaultClient.Do(req)
	if res.StatusCode != 401 {
		t.Errorf("delete without token: %d", res.StatusCode)
	}
	res.Body.Close()
	want(t, e.upload("gdp.csv", []byte(okCSV), "X-Agglo-Token", "s3cret"), 201)
	want(t, e.upload("gdp.csv", []byte(okCSV), "Authorization", "Bearer s3cret"), 201)
	// Reads of uploaded data need the token; the paper's data do not.
	want(t, e.get("/api/v1/datasets"), 401)
	want(t, e.get("/api/v1/datasets", "Authorization", "Bearer s3cret"), 200)
	want(t, e.get("/api/v1/agglomerations"), 200)
	var st statusJSON
	e.get("/api/v1/status").json(t, &st)
	if !st.AuthRequired {
		t.Error("status says no token needed")
	}
	// A cross-site browser write is refused even with the token.
	want(t, e.postJSON("/api/v1/composite", `{}`, "Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example"), 403)
}

func TestCompositeCRIC(t *testing.T) {
	e := newEnv(t, Config{})
	r := e.postJSON("/api/v1/composite", `{"framework":"cric"}`)
	want(t, r, 200)
	var c compositeJSON
	r.json(t, &c)
	if len(c.Units) != 13 || c.Year != 2019 {
		t.Fatalf("%d units, year %d; want Table 3's 13 provinces, 2019", len(c.Units), c.Year)
	}
	by := map[string]compositeUnit{}
	for _, u := range c.Units {
		by[u.Code] = u
	}
	// Hand check, CRIC weights 0.15/0.15/0.25/0.25/0.20 on Table 3:
	// Beijing 0.15·74.4 + 0.15·49.36 + 0.25·44.53 + 0.25·52.01 + 0.20·52.61
	// = 53.221 (printed 53.22); Guangdong 0.15·47.16 + 0.15·47.22 +
	// 0.25·75.98 + 0.25·52.2 + 0.20·66.45 = 59.492 (printed 59.49), rank 1.
	if got := float64(by["110000"].Index); math.Abs(got-53.221) > 1e-9 || by["110000"].Rank != 2 || by["110000"].Group != "BTH" {
		t.Errorf("Beijing %+v", by["110000"])
	}
	if got := float64(by["440000"].Index); math.Abs(got-59.492) > 1e-9 || by["440000"].Rank != 1 {
		t.Errorf("Guangdong %+v", by["440000"])
	}
	// Hebei 21.86 is last of 13 in Table 3.
	if by["130000"].Rank != 13 {
		t.Errorf("Hebei rank %d", by["130000"].Rank)
	}
	// Changing the method changes the scores: equal weights give Beijing
	// (74.4+49.36+44.53+52.01+52.61)/5 = 54.582.
	r = e.postJSON("/api/v1/composite", `{"framework":"cric","weights":"equal"}`)
	want(t, r, 200)
	r.json(t, &c)
	for _, u := range c.Units {
		if u.Code == "110000" && math.Abs(float64(u.Index)-54.582) > 1e-9 {
			t.Errorf("equal weights: Beijing %v", u.Index)
		}
	}
	want(t, e.postJSON("/api/v1/composite", `{"framework":"cric","normalisation":"minmax:1,100","aggregation":"geometric"}`), 200)
}

func TestCompositeBadRequests(t *testing.T) {
	e := newEnv(t, Config{Limits: Limits{MaxJSONBody: 4096, MaxJSONDepth: 8}})
	cases := []struct {
		name, ct, body string
		status         int
		code, field    string
	}{
		{"malformed", "application/json", `{"framework":`, 400, codeInvalidJSON, ""},
		{"syntax", "application/json", `{"framework" "cric"}`, 400, codeInvalidJSON, ""},
		{"wrong type", "application/json", `{"framework": 3}`, 400, codeInvalidJSON, "framework"},
		{"unknown field", "application/json", `{"frame": "cric"}`, 400, codeInvalidJSON, "frame"},
		{"trailing", "application/json", `{} {}`, 400, codeInvalidJSON, ""},
		{"deep", "application/json", `{"steps":` + strings.Repeat("[", 20) + strings.Repeat("]", 20) + `}`, 400, codeInvalidJSON, ""},
		{"too large", "application/json", `{"framework":"` + strings.Repeat("x", 5000) + `"}`, 413, codeTooLarge, ""},
		{"content type", "text/plain", `{}`, 415, codeMediaType, "Content-Type"},
		{"unknown framework", "application/json", `{"framework":"nope"}`, 404, codeNotFound, "framework"},
		{"unknown method", "application/json", `{"weights":"magic"}`, 400, codeBadRequest, "weights"},
		{"bad normalisation", "application/json", `{"normalisation":"minmax:0"}`, 400, codeBadRequest, "normalisation"},
		{"unknown aggregation", "application/json", `{"aggregation":"bogus"}`, 400, codeBadRequest, "aggregation"},
		{"unknown treatment", "application/json", `{"treatment":"magic"}`, 400, codeBadRequest, "treatment"},
		{"methods the data refuse", "application/json", `{"normalisation":"minmax","aggregation":"geometric"}`, 422, codeInvalidInput, "steps"},
		{"unknown dataset", "application/json", `{"dataset":"42"}`, 404, codeNotFound, "dataset"},
		{"bad level", "application/json", `{"level":"planet"}`, 400, codeBadRequest, "level"},
		{"no data", "application/json", `{"framework":"io"}`, 422, codeInvalidInput, "framework"},
		{"empty year", "application/json", `{"year":1990}`, 422, codeInvalidInput, "year"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := e.do("POST", "/api/v1/composite?lang=en", c.ct, strings.NewReader(c.body))
			want(t, r, c.status)
			eb := r.errBody(t)
			if eb.Code != c.code || eb.Field != c.field {
				t.Errorf("error %+v, want code %s field %q", eb, c.code, c.field)
			}
		})
	}
}

func TestAudit(t *testing.T) {
	e := newEnv(t, Config{})
	r := e.postJSON("/api/v1/composite/audit", `{"framework":"cric"}`)
	want(t, r, 200)
	var a struct {
		Audit struct {
			Indicators []struct {
				Code string
				N    int
				Max  float64
			}
		}
	}
	r.json(t, &a)
	if len(a.Audit.Indicators) != 5 || a.Audit.Indicators[0].N != 13 || a.Audit.Indicators[0].Max != 74.4 {
		t.Errorf("audit %+v (knowledge creation max is Beijing's 74.4)", a.Audit.Indicators)
	}
	want(t, e.postJSON("/api/v1/composite/audit", `{"framework":"x"}`), 404)
	want(t, e.postJSON("/api/v1/composite/audit", `[`), 400)
}

func TestMeasures(t *testing.T) {
	e := newEnv(t, Config{})
	r := e.get("/api/v1/measures?indicator=cric_composite")
	want(t, r, 200)
	var m measuresJSON
	r.json(t, &m)
	bth := m.Within[0]
	// BTH provinces in Table 3: 53.22, 28.83, 21.86. Mean 34.6367; Gini =
	// Σ_i Σ_j |x_i−x_j| / (2·n²·μ) = 2·(24.39+31.36+6.97) / (2·9·34.6367)
	// = 0.20120; top share 53.22/103.91 = 0.51218.
	if bth.Level != "province" || bth.N != 3 || math.Abs(float64(bth.Gini)-0.201199) > 1e-5 || math.Abs(float64(bth.TopShare)-0.512174) > 1e-5 {
		t.Errorf("BTH measures %+v", bth)
	}
	// PRD has one province: no inequality, all concentration.
	if prd := m.Within[3]; prd.N != 1 || float64(prd.Gini) != 0 || float64(prd.HHI) != 1 {
		t.Errorf("PRD %+v", prd)
	}
	r = e.get("/api/v1/measures?indicator=gdp_per_capita")
	r.json(t, &m)
	if m.Across.N != 5 {
		t.Errorf("across %+v", m.Across)
	}
	want(t, e.get("/api/v1/measures"), 400)
	want(t, e.get("/api/v1/measures?indicator=nope"), 404)
	want(t, e.get("/api/v1/measures?indicator=gdp&level=county"), 400)
}

func TestReplication(t *testing.T) {
	e := newEnv(t, Config{})
	r := e.get("/api/v1/replication")
	want(t, r, 200)
	var rep replicationJSON
	r.json(t, &rep)
	if rep.Verdict.Total == 0 || rep.Verdict.Total != len(rep.Claims) || rep.Verdict.Match == 0 {
		t.Errorf("verdict %+v", rep.Verdict)
	}
	if r2 := e.get("/api/v1/replication"); r2.header.Get("X-Agglo-Cache") != "hit" || !bytes.Equal(r2.body, r.body) {
		t.Error("second GET not served from the cache")
	}
	// The claims' units are named in the request's language: the paper's
	// scores are 分 (its tables 3 and 4) and "points", never the key.
	for l, want := range map[string]string{"zh": "分", "en": "points"} {
		var rep replicationJSON
		e.get("/api/v1/replication?lang="+l).json(t, &rep)
		if got := rep.UnitNames["score"]; got != want {
			t.Errorf("%s: unit score named %q, want %q", l, got, want)
		}
	}
}

func waitJob(t *testing.T, e *testEnv, id string) jobJSON {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		var j jobJSON
		r := e.get("/api/v1/uncertainty/" + id)
		want(t, r, 200)
		r.json(t, &j)
		if j.State != jobRunning {
			return j
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("job did not finish")
	return jobJSON{}
}

func TestUncertaintyJob(t *testing.T) {
	e := newEnv(t, Config{})
	r := e.postJSON("/api/v1/uncertainty", `{"framework":"cric","n":60,"seed":7,"save":true}`)
	want(t, r, 202)
	var j jobJSON
	r.json(t, &j)
	if j.ID == "" || r.header.Get("Location") != "/api/v1/uncertainty/"+j.ID {
		t.Fatalf("job %+v", j)
	}
	// Server-sent events end with "done".
	res, err := http.Get(e.ts.URL + "/api/v1/uncertainty/" + j.ID + "/events")
	if err != nil {
		t.Fatal(err)
	}
	events, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.Header.Get("Content-Type") != "text/event-stream" || !strings.Contains(string(events), "event: done") {
		t.Errorf("events %q", events)
	}
	j = waitJob(t, e, j.ID)
	if j.State != jobDone || j.Result == nil || len(j.Result.Units) != 13 || j.Done != j.Total || j.Progress != 1 {
		t.Fatalf("job %+v", j)
	}
	for _, u := range j.Result.Units {
		if u.P05Rank > u.P95Rank || u.P05Rank < 1 || u.P95Rank > 13 {
			t.Errorf("%s interval [%v, %v]", u.Code, u.P05Rank, u.P95Rank)
		}
		if j.Names[u.Code] == "" {
			t.Errorf("%s has no name", u.Code)
		}
	}
	// The same seed gives the same result.
	r = e.postJSON("/api/v1/uncertainty", `{"framework":"cric","n":60,"seed":7}`)
	var j2 jobJSON
	r.json(t, &j2)
	j2 = waitJob(t, e, j2.ID)
	a, _ := json.Marshal(j.Result)
	b, _ := json.Marshal(j2.Result)
	if !bytes.Equal(a, b) {
		t.Error("same seed, different result")
	}
	// Saved.
	var list []store.Analysis
	e.get("/api/v1/analyses").json(t, &list)
	if len(list) != 1 || list[0].Kind != "uncertainty" {
		t.Errorf("saved analyses %+v", list)
	}
	want(t, e.get("/api/v1/uncertainty/nope"), 404)
	want(t, e.get("/api/v1/uncertainty/nope/events"), 404)
	want(t, e.do("DELETE", "/api/v1/uncertainty/nope", "", nil), 404)
	want(t, e.postJSON("/api/v1/uncertainty", `{"n":-1}`), 400)
	want(t, e.postJSON("/api/v1/uncertainty", `{"n":50000}`), 400)
	want(t, e.postJSON("/api/v1/uncertainty", `{"spec":"choices: [{step: magic}]"}`), 422)
	want(t, e.postJSON("/api/v1/uncertainty", `{"framework":"zzz"}`), 404)
}

// synFramework indexes the first five synthetic indicators.
const synFramework = `code: syn5
name_zh: 合成
name_en: Synthetic
normalisation: {method: minmax, lower: 1, upper: 100}
levels:
  - {level: 2, weights: {method: equal}, aggregation: {method: arithmetic}}
indicators:
  - {code: syn_001, name_zh: a, name_en: a, parent: syn_index}
  - {code: syn_002, name_zh: b, name_en: b, parent: syn_index}
  - {code: syn_003, name_zh: c, name_en: c, parent: syn_index}
  - {code: syn_004, name_zh: d, name_en: d, parent: syn_index}
  - {code: syn_005, name_zh: e, name_en: e, parent: syn_index}
aggregates:
  - {code: syn_index, name_zh: 指数, name_en: Index}
`

func TestUncertaintyCancel(t *testing.T) {
	e := newEnv(t, Config{Limits: Limits{MaxJobs: 1}})
	// 400 synthetic regions make 20,000 runs take seconds, long enough to
	// cancel.
	var csv bytes.Buffer
	spec := bench.SyntheticSpec{Regions: 400, Indicators: 5, Years: 1, Layout: bench.LayoutLong, Seed: 3}
	if err := bench.WriteSynthetic(&csv, spec, bench.CSV); err != nil {
		t.Fatal(err)
	}
	r := e.upload("syn.csv", csv.Bytes())
	want(t, r, 201)
	var up uploadResult
	r.json(t, &up)
	want(t, e.do("POST", "/api/v1/frameworks", "application/yaml", strings.NewReader(synFramework)), 201)
	r = e.postJSON("/api/v1/uncertainty", `{"dataset":"`+up.Dataset.ID+`","framework":"syn5","n":20000}`)
	want(t, r, 202)
	var j jobJSON
	r.json(t, &j)
	// One job at a time here: a second is refused while the first runs.
	r2 := e.postJSON("/api/v1/uncertainty", `{"framework":"cric","n":10}`)
	want(t, r2, 429)
	r = e.do("DELETE", "/api/v1/uncertainty/"+j.ID, "", nil)
	want(t, r, 200)
	r.json(t, &j)
	if j.State != jobCancelled || j.Result != nil || j.Done >= 20000 {
		t.Errorf("after cancel: state %s, %d of %d runs", j.State, j.Done, j.Total)
	}
	// The slot is free again.
	deadline := time.Now().Add(5 * time.Second)
	for {
		r = e.postJSON("/api/v1/uncertainty", `{"framework":"cric","n":10}`)
		if r.status == 202 || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	want(t, r, 202)
}

func TestDiagnosisStrategy(t *testing.T) {
	e := newEnv(t, Config{})
	// The paper's data alone (the default adds the census).
	r := e.get("/api/v1/diagnosis?agglomeration=bth&dataset=paper")
	want(t, r, 200)
	var d struct {
		Result struct {
			Agglomerations []struct {
				Code    string
				Members []struct{ Code string }
			}
		}
	}
	r.json(t, &d)
	if len(d.Result.Agglomerations) != 1 || d.Result.Agglomerations[0].Code != "BTH" || len(d.Result.Agglomerations[0].Members) != 3 {
		t.Errorf("diagnosis %s", r.body)
	}
	want(t, e.get("/api/v1/diagnosis"), 200)
	want(t, e.get("/api/v1/diagnosis?agglomeration=XX"), 404)

	recs := func(body string) (string, []string) {
		t.Helper()
		r := e.postJSON("/api/v1/strategy", body)
		want(t, r, 200)
		var s strategyJSON
		r.json(t, &s)
		if len(s.Result.Agglomerations) != 1 {
			t.Fatalf("strategy %s", r.body)
		}
		a := s.Result.Agglomerations[0]
		var ids []string
		for _, x := range a.Recommendations {
			ids = append(ids, x.ID)
		}
		sort.Strings(ids)
		return a.RecommendedSpatialMode + "/" + a.RecommendedOpennessMode, ids
	}
	// On the default data (the paper's with the city data): BTH reads
	// core-led from city patents, so the stage scenarios reach it.
	baseModes, base := recs(`{"agglomeration":"BTH"}`)
	if len(base) == 0 {
		t.Fatal("no recommendation under the baseline")
	}
	changed := false
	for _, sc := range []string{`{"international":"stable"}`, `{"domestic":"unstable"}`, `{"resources":"limited"}`, `{"stage":"mature"}`} {
		modes, ids := recs(`{"agglomeration":"BTH","scenario":` + sc + `}`)
		if modes != baseModes || strings.Join(ids, ",") != strings.Join(base, ",") {
			changed = true
		}
	}
	if !changed {
		t.Error("no scenario changes BTH's recommendations")
	}
	r = e.postJSON("/api/v1/strategy?lang=en", `{"scenario":{"domestic":"chaotic"}}`)
	want(t, r, 422)
	if eb := r.errBody(t); eb.Field != "scenario" || !strings.Contains(eb.Message, "chaotic") {
		t.Errorf("bad scenario %+v", eb)
	}
	want(t, e.postJSON("/api/v1/strategy", `{"scenario":{"domestic":"a,b"}}`), 400)
	want(t, e.postJSON("/api/v1/strategy", `{"agglomeration":"XX"}`), 404)
	want(t, e.postJSON("/api/v1/strategy", `{"rulebook":"none"}`), 404)
	want(t, e.postJSON("/api/v1/strategy", `{"scenario":[]}`), 400)
}

func TestRulebooks(t *testing.T) {
	e := newEnv(t, Config{})
	yaml := string(strategy.DefaultRulebookYAML())
	r := e.do("POST", "/api/v1/rulebooks?name=mine", "application/yaml", strings.NewReader(yaml))
	want(t, r, 201)
	want(t, e.do("POST", "/api/v1/rulebooks?name=mine", "application/yaml", strings.NewReader(yaml)), 409)
	want(t, e.do("POST", "/api/v1/rulebooks", "application/yaml", strings.NewReader(yaml)), 400)
	want(t, e.do("POST", "/api/v1/rulebooks?name=x", "application/json", strings.NewReader(yaml)), 415)
	r = e.do("POST", "/api/v1/rulebooks?name=broken", "application/yaml", strings.NewReader("rules:\n  - id: r1\n    when: nonsense ==\n"))
	want(t, r, 422)
	if eb := r.errBody(t); len(eb.Issues) == 0 || eb.Issues[0].Row == 0 {
		t.Errorf("rulebook issues not located: %s", r.body)
	}
	var list []store.Rulebook
	e.get("/api/v1/rulebooks").json(t, &list)
	if len(list) != 1 || list[0].Name != "mine" {
		t.Errorf("rulebooks %+v", list)
	}
	want(t, e.get("/api/v1/rulebooks/mine"), 200)
	want(t, e.get("/api/v1/rulebooks/none"), 404)
	want(t, e.postJSON("/api/v1/strategy", `{"rulebook":"mine","agglomeration":"CC"}`), 200)
	want(t, e.do("DELETE", "/api/v1/rulebooks/mine", "", nil), 204)
	want(t, e.do("DELETE", "/api/v1/rulebooks/mine", "", nil), 404)
}

const testFramework = `code: two
name_zh: 两项
name_en: Two dimensions
normalisation: {method: none}
levels:
  - {level: 2, weights: {method: framework}, aggregation: {method: arithmetic}}
indicators:
  - {code: cric_knowledge_creation, name_zh: 知识创造, name_en: Knowledge creation, direction: 1, weight: 1, parent: two_index}
  - {code: cric_innovation_performance, name_zh: 创新绩效, name_en: Innovation performance, direction: 1, weight: 1, parent: two_index}
aggregates:
  - {code: two_index, name_zh: 两项指数, name_en: Two-dimension index}
`

func TestFrameworksAndAnalyses(t *testing.T) {
	e := newEnv(t, Config{})
	r := e.do("POST", "/api/v1/frameworks", "application/yaml", strings.NewReader(testFramework))
	want(t, r, 201)
	want(t, e.do("POST", "/api/v1/frameworks", "application/yaml", strings.NewReader(testFramework)), 409)
	want(t, e.do("POST", "/api/v1/frameworks", "application/yaml", strings.NewReader("code: [")), 422)
	want(t, e.do("POST", "/api/v1/frameworks", "application/yaml", strings.NewReader(strings.Replace(testFramework, "code: two", "code: cric", 1))), 409)
	want(t, e.do("POST", "/api/v1/frameworks", "application/yaml", strings.NewReader("")), 400)
	want(t, e.do("POST", "/api/v1/frameworks", "application/json", strings.NewReader(testFramework)), 415)
	var fws []frameworkBrief
	e.get("/api/v1/frameworks").json(t, &fws)
	if len(fws) != 3 {
		t.Errorf("frameworks %+v", fws)
	}
	want(t, e.get("/api/v1/frameworks/two"), 200)
	want(t, e.get("/api/v1/frameworks/cric"), 200)
	want(t, e.get("/api/v1/frameworks/zzz"), 404)
	// Beijing: (74.4 + 52.61) / 2 = 63.505 with equal framework weights.
	r = e.postJSON("/api/v1/composite", `{"framework":"two","save":true}`)
	want(t, r, 200)
	var c compositeJSON
	r.json(t, &c)
	for _, u := range c.Units {
		if u.Code == "110000" && math.Abs(float64(u.Index)-63.505) > 1e-9 {
			t.Errorf("Beijing %v", u.Index)
		}
	}
	if c.AnalysisID == 0 {
		t.Fatal("not saved")
	}
	id := fmt.Sprint(c.AnalysisID)
	r = e.get("/api/v1/analyses/" + id)
	want(t, r, 200)
	var a store.Analysis
	r.json(t, &a)
	if a.Kind != "composite" || !strings.Contains(string(a.Params), `"two"`) || len(a.Result) == 0 {
		t.Errorf("analysis %+v", a)
	}
	want(t, e.get("/api/v1/analyses/x"), 404)
	want(t, e.get("/api/v1/analyses/99"), 404)
	want(t, e.do("DELETE", "/api/v1/analyses/"+id, "", nil), 204)
	want(t, e.do("DELETE", "/api/v1/analyses/"+id, "", nil), 404)
	want(t, e.do("DELETE", "/api/v1/frameworks/cric", "", nil), 403)
	want(t, e.do("DELETE", "/api/v1/frameworks/two", "", nil), 204)
	want(t, e.do("DELETE", "/api/v1/frameworks/two", "", nil), 404)
}

func TestReport(t *testing.T) {
	e := newEnv(t, Config{})
	for format, ct := range map[string]string{"html": "text/html", "md": "text/markdown", "json": "application/json", "xlsx": "application/vnd.openxmlformats"} {
		r := e.get("/api/v1/report?format=" + format + "&lang=en")
		want(t, r, 200)
		if !strings.HasPrefix(r.header.Get("Content-Type"), ct) || len(r.body) < 100 {
			t.Errorf("%s: %s, %d bytes", format, r.header.Get("Content-Type"), len(r.body))
		}
	}
	r := e.get("/api/v1/report?format=html&download=1")
	if !strings.Contains(r.header.Get("Content-Disposition"), "attachment") {
		t.Error("download without attachment")
	}
	want(t, e.get("/api/v1/report?format=pdf"), 400)
}

func TestInternalErrorsDoNotLeak(t *testing.T) {
	e := newEnv(t, Config{})
	e.st.Close()
	r := e.get("/api/v1/datasets?lang=en")
	want(t, r, 500)
	eb := r.errBody(t)
	if eb.Code != codeInternal || eb.Message != "internal server error" || strings.Contains(string(r.body), "sql") {
		t.Errorf("500 body %s", r.body)
	}
	// A panic in a handler is a 500 too.
	rec := httptest.NewRecorder()
	e.srv.recoverPanics(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("secret detail") })).
		ServeHTTP(rec, httptest.NewRequest("GET", "/api/v1/x", nil))
	if rec.Code != 500 || strings.Contains(rec.Body.String(), "secret") {
		t.Errorf("panic: %d %s", rec.Code, rec.Body)
	}
}

func TestUnknownRoutesAndPages(t *testing.T) {
	e := newEnv(t, Config{})
	r := e.get("/api/v1/nothing")
	want(t, r, 404)
	if r.errBody(t).Code != codeNotFound {
		t.Error("API 404 is not JSON")
	}
	for _, p := range []string{"/", "/agglomerations/BTH", "/agglomerations/cc?lang=en", "/compare", "/index", "/scenario", "/data", "/data?dataset=paper&lang=en"} {
		r := e.get(p)
		want(t, r, 200)
		if !strings.Contains(r.header.Get("Content-Security-Policy"), "default-src 'self'") || !bytes.Contains(r.body, []byte("</html>")) {
			t.Errorf("%s: page incomplete", p)
		}
		if bytes.Contains(r.body, []byte("http://")) || bytes.Contains(r.body, []byte("https://")) {
			t.Errorf("%s references an external URL", p)
		}
	}
	if r := e.get("/?lang=en"); !bytes.Contains(r.body, []byte("Overview")) || !bytes.Contains(r.body, []byte(`lang="en"`)) {
		t.Error("English page not in English")
	}
	want(t, e.get("/agglomerations/XX"), 404)
	want(t, e.get("/nothing"), 404)
	want(t, e.get("/data?dataset=55"), 200)
	want(t, e.get("/?dataset=55"), 404)
	want(t, e.get("/static/app.js"), 200)
	want(t, e.get("/static/app.css"), 200)
	want(t, e.get("/vendor/echarts/echarts.min.js"), 200)
	want(t, e.get("/vendor/china-map/china.json"), 200)
}

// TestOpenAPIMatchesRoutes checks that every registered route is in the
// OpenAPI document and vice versa.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	e := newEnv(t, Config{})
	r := e.get("/api/v1/openapi.json")
	want(t, r, 200)
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	r.json(t, &doc)
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Errorf("openapi %q", doc.OpenAPI)
	}
	inDoc := map[string]bool{}
	for p, ops := range doc.Paths {
		for m := range ops {
			inDoc[strings.ToUpper(m)+" "+p] = true
		}
	}
	routes := map[string]bool{}
	for _, rt := range e.srv.Routes() {
		routes[rt] = true
		if !inDoc[rt] {
			t.Errorf("route %s is not in the OpenAPI document", rt)
		}
	}
	for op := range inDoc {
		if !routes[op] {
			t.Errorf("OpenAPI operation %s is not a route", op)
		}
	}
	if len(routes) < 30 {
		t.Errorf("only %d routes", len(routes))
	}
}

func TestUndefinedNumbersAreNull(t *testing.T) {
	e := newEnv(t, Config{})
	// PRD has one province in Table 3, so its primacy (P1/P2) is undefined:
	// JSON has no NaN, the API writes null.
	r := e.get("/api/v1/measures/primacy?indicator=cric_composite&group=agglomeration")
	want(t, r, 200)
	var m struct {
		Groups []struct {
			Group string   `json:"group"`
			Value *float64 `json:"value"`
		} `json:"groups"`
	}
	r.json(t, &m)
	found := false
	for _, g := range m.Groups {
		if g.Group == "PRD" {
			found = true
			if g.Value != nil {
				t.Errorf("PRD primacy %v, want null", *g.Value)
			}
		}
	}
	if !found || !bytes.Contains(r.body, []byte(`"value":null`)) {
		t.Errorf("no null value in %s", r.body)
	}
}

func TestMethodNotAllowed(t *testing.T) {
	e := newEnv(t, Config{})
	// /api/v1/agglomerations is registered for GET only; /api/v1/datasets/{id}
	// for GET and DELETE.
	r := e.do("PUT", "/api/v1/agglomerations", "application/json", strings.NewReader("{}"))
	if r.status != http.StatusMethodNotAllowed || r.header.Get("Allow") != "GET" || r.errBody(t).Code != "method_not_allowed" {
		t.Errorf("PUT agglomerations: %d %q %s", r.status, r.header.Get("Allow"), r.body)
	}
	r = e.do("PATCH", "/api/v1/datasets/paper", "application/json", strings.NewReader("{}"))
	if r.status != http.StatusMethodNotAllowed || r.header.Get("Allow") != "DELETE, GET" {
		t.Errorf("PATCH datasets/paper: %d %q", r.status, r.header.Get("Allow"))
	}
	if r := e.get("/api/v1/nothing-here"); r.status != http.StatusNotFound {
		t.Errorf("unknown path: %d", r.status)
	}
}
