package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"agglo/internal/analysis"
	"agglo/internal/server"
	"agglo/internal/store"
)

// The same requests through the command line (in process) and through the
// HTTP API must give the same numbers: both translate their input into the
// same analysis requests.

type parityEnv struct {
	t  *testing.T
	ts *httptest.Server
}

func newParityEnv(t *testing.T) *parityEnv {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "ws.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := server.New(server.Config{Addr: "127.0.0.1:0"}, st)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(func() { ts.Close(); srv.Close(); st.Close() })
	return &parityEnv{t: t, ts: ts}
}

// cli runs agglo with args and --format json and decodes its output.
func (e *parityEnv) cli(args ...string) any {
	e.t.Helper()
	code, out, errs := runCLI(e.t, append(args, "--format", "json")...)
	if code != 0 {
		e.t.Fatalf("agglo %s: exit %d: %s", strings.Join(args, " "), code, errs)
	}
	return decode(e.t, []byte(out))
}

// api sends a request and decodes the JSON answer, which must be 200 (or
// 202 for a job).
func (e *parityEnv) api(method, path, ctype string, body io.Reader) map[string]any {
	e.t.Helper()
	req, err := http.NewRequest(method, e.ts.URL+path, body)
	if err != nil {
		e.t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 && res.StatusCode != 201 && res.StatusCode != 202 {
		e.t.Fatalf("%s %s: %d %s", method, path, res.StatusCode, b)
	}
	m, ok := decode(e.t, b).(map[string]any)
	if !ok {
		e.t.Fatalf("%s %s: not an object: %s", method, path, b)
	}
	return m
}

func (e *parityEnv) post(path string, body any) map[string]any {
	e.t.Helper()
	b, _ := json.Marshal(body)
	return e.api("POST", path, "application/json", bytes.NewReader(b))
}

// upload stores a file as a dataset and returns its id.
func (e *parityEnv) upload(path string) string {
	e.t.Helper()
	content, err := os.ReadFile(path)
	if err != nil {
		e.t.Fatal(err)
	}
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", filepath.Base(path))
	fw.Write(content)
	mw.Close()
	res := e.api("POST", "/api/v1/datasets", mw.FormDataContentType(), &buf)
	return res["dataset"].(map[string]any)["id"].(string)
}

// job starts an uncertainty job and waits for its result.
func (e *parityEnv) job(body any) map[string]any {
	e.t.Helper()
	j := e.post("/api/v1/uncertainty", body)
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		j = e.api("GET", "/api/v1/uncertainty/"+j["id"].(string), "", nil)
		switch j["state"] {
		case "done":
			return j
		case "failed", "cancelled":
			e.t.Fatalf("job %v", j)
		}
		time.Sleep(20 * time.Millisecond)
	}
	e.t.Fatal("job did not finish")
	return nil
}

func decode(t *testing.T, b []byte) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	return v
}

func field(v any, path ...string) any {
	for _, p := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[p]
	}
	return v
}

// same reports a difference between two decoded JSON values (exact: the
// numbers come from the same code).
func same(t *testing.T, what string, cli, api any) {
	t.Helper()
	if cli == nil || !reflect.DeepEqual(cli, api) {
		t.Errorf("%s differs at %s", what, firstDiff("", cli, api))
	}
}

// firstDiff names the first path where two decoded JSON values differ.
func firstDiff(path string, a, b any) string {
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok {
			return fmt.Sprintf("%s: %.200v vs %.200v", path, a, b)
		}
		for k := range x {
			if !reflect.DeepEqual(x[k], y[k]) {
				return firstDiff(path+"."+k, x[k], y[k])
			}
		}
		for k := range y {
			if _, ok := x[k]; !ok {
				return fmt.Sprintf("%s.%s: missing vs %.200v", path, k, y[k])
			}
		}
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return fmt.Sprintf("%s: %.200v vs %.200v", path, a, b)
		}
		for i := range x {
			if !reflect.DeepEqual(x[i], y[i]) {
				return firstDiff(fmt.Sprintf("%s[%d]", path, i), x[i], y[i])
			}
		}
	}
	return fmt.Sprintf("%s: %.200v vs %.200v", path, a, b)
}

func without(v any, keys ...string) any {
	m, ok := v.(map[string]any)
	if !ok {
		return v
	}
	out := map[string]any{}
	for k, x := range m {
		out[k] = x
	}
	for _, k := range keys {
		delete(out, k)
	}
	return out
}

func TestParityIndex(t *testing.T) {
	e := newParityEnv(t)
	for _, c := range []struct {
		args []string
		body map[string]any
	}{
		{[]string{"index", "--framework", "cric"}, map[string]any{"framework": "cric"}},
		// The case: min-max without bounds is [0,100] on both.
		{[]string{"index", "--framework", "cric", "--normalise", "minmax"}, map[string]any{"framework": "cric", "normalisation": "minmax"}},
		{[]string{"index", "--framework", "cric", "--normalise", "zscore:10,1", "--aggregate", "geometric", "--weights", "entropy", "--treat", "coinr"},
			map[string]any{"framework": "cric", "normalisation": "zscore:10,1", "aggregation": "geometric", "weights": "entropy", "treatment": "coinr"}},
		// COINr's screening and the variants of a YAML framework.
		{[]string{"index", "--framework", "cric", "--dat-thresh", "0.9", "--weights", "combined:entropy:shift,0.4", "--treat", "winsorise:3,2,3.5,none", "--impute", "group-mean"},
			map[string]any{"framework": "cric", "screening": "byNA:0.9", "weights": "combined:entropy:shift,0.4", "treatment": "winsorise:3,2,3.5,none", "imputation": "group-mean"}},
	} {
		cli := e.cli(c.args...)
		api := e.post("/api/v1/composite", c.body)
		name := strings.Join(c.args, " ")
		same(t, name+": units", field(cli, "units"), field(api, "result", "units"))
		same(t, name+": weights", field(cli, "weights"), field(api, "result", "weights"))
		same(t, name+": methods", field(cli, "methods"), field(api, "methods"))
		same(t, name+": year", field(cli, "year"), field(api, "year"))
	}
}

// A COINr pair: unit U3 lacks x1, the first indicator.
const (
	parityIData = "uCode,uName,x1,x2,x3,x4\nU1,One,3,10,5,2\nU2,Two,7,4,1,6\nU3,Three,NA,8,4,4\nU4,Four,1,2,9,8\nU5,Five,5,6,2,NA\n"
	parityIMeta = "iCode,iName,Level,Parent,Direction,Weight,Type\nx1,X1,1,P1,1,1,Indicator\nx2,X2,1,P1,-1,2,Indicator\nx3,X3,1,P2,1,1,Indicator\nx4,X4,1,P2,1,3,Indicator\nP1,Pillar 1,2,Index,1,1,Aggregate\nP2,Pillar 2,2,Index,1,2,Aggregate\nIndex,Index,3,,1,1,Aggregate\n"
)

func TestParityCOINrIndexAndAudit(t *testing.T) {
	e := newParityEnv(t)
	dir := t.TempDir()
	data, meta := filepath.Join(dir, "iData.csv"), filepath.Join(dir, "iMeta.csv")
	os.WriteFile(data, []byte(parityIData), 0o644)
	os.WriteFile(meta, []byte(parityIMeta), 0o644)
	args := []string{"index", "--coinr-data", data, "--coinr-meta", meta, "--normalise", "zscore:10,1", "--aggregate", "geometric"}
	body := map[string]any{"coinr": map[string]any{"idata": parityIData, "imeta": parityIMeta}, "normalisation": "zscore:10,1", "aggregation": "geometric"}
	cli := e.cli(args...)
	api := e.post("/api/v1/composite", body)
	same(t, "COINr units", field(cli, "units"), field(api, "result", "units"))
	same(t, "COINr methods", field(cli, "methods"), field(api, "methods"))
	if units, _ := field(cli, "units").([]any); len(units) != 5 {
		t.Errorf("%d units, want 5 (U3 lacks the first indicator)", len(units))
	}
	// The audit of the same index.
	cliAudit := e.cli(append([]string{"index", "audit"}, args[1:]...)...)
	apiAudit := e.post("/api/v1/composite/audit", body)
	same(t, "COINr audit", without(cliAudit, "year", "period", "level"), field(apiAudit, "audit"))
}

func TestParityAuditAndUncertainty(t *testing.T) {
	e := newParityEnv(t)
	cli := e.cli("index", "audit", "--framework", "cric")
	api := e.post("/api/v1/composite/audit", map[string]any{"framework": "cric"})
	same(t, "audit", without(cli, "year", "period", "level"), field(api, "audit"))
	same(t, "audit year", field(cli, "year"), field(api, "year"))

	cli = e.cli("index", "uncertainty", "--framework", "cric", "--n", "60", "--seed", "7")
	job := e.job(map[string]any{"framework": "cric", "n": 60, "seed": 7})
	same(t, "uncertainty", without(cli, "year", "period", "level", "names", "groups"), field(job, "result"))
	same(t, "uncertainty names", field(cli, "names"), field(job, "names"))
}

func TestParityMeasures(t *testing.T) {
	e := newParityEnv(t)
	province := "../../testdata/china2019/province_2019_long.csv"
	pid := e.upload(province)
	dir := t.TempDir()
	// Subsystem indices in [0, 1] for the coupling coordination degree.
	couplingCSV := filepath.Join(dir, "coupling.csv")
	os.WriteFile(couplingCSV, []byte("unit,u1,u2,u3\nA,0.6,0.4,0.5\nB,0.2,0.9,0.3\nC,0.8,0.7,0.75\n"), 0o644)
	cid := e.upload(couplingCSV)
	mexico := "../../testdata/reference/mexico.csv"
	mid := e.upload(mexico)
	cities := "../../testdata/reference/spatial/cities.csv"
	cid2 := e.upload(cities)
	panel := "../../testdata/china_panel/province_st_techme_2010_2023.csv"
	panelID := e.upload(panel)
	flows := "../../testdata/reference/network/flows_undirected_adcode.csv"
	cases := []struct {
		method, data, dataset string
		params                map[string]string
	}{
		{"gini", "", "", map[string]string{"indicator": "cric_composite", "group": "agglomeration"}},
		{"cv", "", "", map[string]string{"indicator": "cric_composite"}},
		{"cv", province, pid, map[string]string{"indicator": "rd_expenditure", "sample": "true"}},
		{"williamson", province, pid, map[string]string{"indicator": "rd_intensity", "weight": "rd_personnel_fte"}},
		{"theil", "", "", map[string]string{"indicator": "cric_composite", "group": "agglomeration"}},
		{"theil-l", province, pid, map[string]string{"indicator": "rd_expenditure", "group": "agglomeration"}},
		{"primacy", "", "", map[string]string{"indicator": "cric_composite", "group": "agglomeration"}},
		{"hhi", province, pid, map[string]string{"indicator": "patent_grants"}},
		{"top-share", province, pid, map[string]string{"indicator": "patent_grants", "top": "3"}},
		{"rank-size", province, pid, map[string]string{"indicator": "patent_grants", "top": "10"}},
		{"all", "", "", map[string]string{"indicator": "cric_composite", "group": "agglomeration"}},
		{"similarity", province, pid, map[string]string{"indicators": "rd_intramural_expenditure_basic_research,rd_intramural_expenditure_applied_research,rd_intramural_expenditure_experimental_development"}},
		{"krugman", province, pid, map[string]string{"indicators": "rd_intramural_expenditure_basic_research,rd_intramural_expenditure_applied_research,rd_intramural_expenditure_experimental_development"}},
		{"lq", province, pid, map[string]string{"indicators": "rd_intramural_expenditure_basic_research,rd_intramural_expenditure_applied_research,rd_intramural_expenditure_experimental_development"}},
		{"gravity", province, pid, map[string]string{"indicators": "rd_personnel_fte,rd_expenditure", "threshold": "median", "exponent": "1.5"}},
		{"coupling", couplingCSV, cid, map[string]string{"indicators": "u1,u2,u3"}},
		{"coupling", couplingCSV, cid, map[string]string{"indicators": "u1,u2,u3", "coupling": "wang"}},
		{"dea", province, pid, map[string]string{"inputs": "rd_expenditure,rd_personnel_fte", "outputs": "patent_grants", "returns": "vrs", "orientation": "output"}},
		{"atkinson", province, pid, map[string]string{"indicator": "rd_intensity", "epsilon": "1.5", "group": "agglomeration"}},
		{"atkinson", mexico, mid, map[string]string{"indicator": "pcgdp", "panel": "true"}},
		{"theil", mexico, mid, map[string]string{"indicator": "pcgdp", "group": "hanson98", "panel": "true"}},
		{"dagum", province, pid, map[string]string{"indicator": "rd_intensity", "group": "agglomeration"}},
		{"dagum", mexico, mid, map[string]string{"indicator": "pcgdp", "group": "hanson98", "panel": "true"}},
		{"gini-sources", province, pid, map[string]string{"indicators": "rd_intramural_expenditure_government_funds,rd_intramural_expenditure_business_funds,rd_foreign_funds,rd_intramural_expenditure_other_funds"}},
		{"kernel", mexico, mid, map[string]string{"indicator": "pcgdp", "panel": "true", "points": "64"}},
		{"convergence", panel, panelID, map[string]string{"indicator": "rd_intensity", "group": "agglomeration", "robust": "true", "from": "2012"}},
		{"moran", cities, cid2, map[string]string{"indicator": "pop", "year": "2020", "spatial-weights": "knn:6", "permutations": "99", "seed": "3"}},
		{"moran", cities, cid2, map[string]string{"indicator": "pop", "panel": "true", "spatial-weights": "distance:300", "transform": "binary", "permutations": "0"}},
		{"geary", cities, cid2, map[string]string{"indicator": "pop", "year": "2010", "spatial-weights": "idw:1"}},
		{"lisa", cities, cid2, map[string]string{"indicator": "pop", "year": "2020", "permutations": "99"}},
		{"getis-ord", cities, cid2, map[string]string{"indicator": "pop", "year": "2020", "spatial-weights": "distance:300", "star": "true", "transform": "binary"}},
		{"network", cities, cid2, map[string]string{"flows": flows, "mode": "max"}},
		{"network", province, pid, map[string]string{"indicators": "rd_personnel_fte,rd_expenditure", "threshold": "median", "mode": "sum"}},
		{"obstacle", "", "", map[string]string{"framework": "cric", "normalise": "minmax:0,1"}},
	}
	seen := map[string]bool{}
	for _, c := range cases {
		seen[c.method] = true
		args := []string{"measure", c.method}
		q := url.Values{}
		if c.data != "" {
			// An uploaded dataset is the file alone.
			args = append(args, "--data", c.data, "--data-only")
			q.Set("dataset", c.dataset)
		}
		for k, v := range c.params {
			switch {
			case v == "true":
				args = append(args, "--"+k)
			default:
				args = append(args, "--"+k, v)
			}
			q.Set(k, v)
			if k == "flows" { // a file for the command line, its text for the API
				b, err := os.ReadFile(v)
				if err != nil {
					t.Fatal(err)
				}
				q.Set(k, string(b))
			}
		}
		cli := e.cli(args...)
		api := e.api("GET", "/api/v1/measures/"+c.method+"?"+q.Encode(), "", nil)
		// method_name, key_names and formula_text are the API's words for the
		// dashboard; the numbers are compared.
		same(t, fmt.Sprintf("measure %s %v", c.method, c.params), cli, without(api, "dataset", "method_name", "key_names", "formula_text"))
	}
	for _, m := range analysis.MeasureMethods() {
		if !seen[m] {
			t.Errorf("measure %s not compared", m)
		}
	}
}

func TestParityDiagnosisStrategy(t *testing.T) {
	e := newParityEnv(t)
	cli := e.cli("diagnose")
	api := e.api("GET", "/api/v1/diagnosis", "", nil)
	same(t, "diagnosis", cli, field(api, "result"))
	cli = e.cli("strategy", "--scenario", "domestic=unstable,international=stable,stage=mature")
	api = e.post("/api/v1/strategy", map[string]any{"scenario": map[string]any{"domestic": "unstable", "international": "stable", "stage": "mature"}})
	same(t, "strategy", cli, field(api, "result"))
}

// The report of a user's file (the national picture of its units, its
// spatial structure) is the same through agglo report and GET
// /api/v1/report: both build it with report.Build on the same analysis.
func TestParityReportNational(t *testing.T) {
	e := newParityEnv(t)
	path := filepath.Join(t.TempDir(), "free.csv")
	// Four free units, two indicators: an inferred framework, no map.
	os.WriteFile(path, []byte("region,indicator,year,value\nAlpha,a,2020,1\nBeta,a,2020,2\nGamma,a,2020,4\nDelta,a,2020,3\nAlpha,b,2020,30\nBeta,b,2020,20\nGamma,b,2020,20\nDelta,b,2020,25\n"), 0o644)
	id := e.upload(path)
	cli := e.cli("report", "--data", path, "--data-only", "--lang", "en", "-o", "-")
	api := e.api("GET", "/api/v1/report?format=json&lang=en&dataset="+id, "", nil)
	if secs, ok := field(cli, "sections").([]any); !ok || len(secs) == 0 || field(secs[0], "id") != "national" {
		t.Fatalf("the report does not open with the national picture: %v", field(cli, "sections"))
	}
	same(t, "report sections", field(cli, "sections"), field(api, "sections"))
	same(t, "report verdict", field(cli, "verdict"), field(api, "verdict"))
}
