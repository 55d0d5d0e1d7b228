package server

import (
	"strings"
	"testing"
)

// TestAgglomerationSets uploads a user-defined agglomeration, analyses it
// like a built-in one, refuses bad files with located problems and
// deletes it.
func TestAgglomerationSets(t *testing.T) {
	e := newEnv(t, Config{})
	csv := "code,name_zh,name_en,member,core\nCDX,成德眉资,Chengdu metropolitan area,成都,true\nCDX,,,德阳,\nCDX,,,眉山,\nCDX,,,资阳,\n"
	r := e.do("POST", "/api/v1/agglomeration-sets?name=chengdu&file_name=cdx.csv", "text/plain", strings.NewReader(csv))
	want(t, r, 201)
	if !strings.Contains(string(r.body), `"CDX"`) {
		t.Errorf("created %s", r.body)
	}
	want(t, e.get("/api/v1/agglomeration-sets"), 200)
	want(t, e.get("/api/v1/agglomeration-sets/chengdu"), 200)
	// The new agglomeration works where the built-in ones do.
	r = e.get("/api/v1/agglomerations/CDX?lang=en")
	want(t, r, 200)
	if !strings.Contains(string(r.body), "Chengdu metropolitan area") {
		t.Errorf("profile %s", r.body)
	}
	r = e.get("/api/v1/diagnosis?agglomeration=CDX")
	want(t, r, 200)
	if !strings.Contains(string(r.body), `"code":"CDX"`) {
		t.Errorf("diagnosis %.300s", r.body)
	}
	r = e.get("/api/v1/agglomerations?all=true")
	want(t, r, 200)
	if !strings.Contains(string(r.body), `"SDP"`) || !strings.Contains(string(r.body), `"CDX"`) {
		t.Errorf("all agglomerations lack SDP or CDX")
	}
	// The same name again; a taken code; an unknown member.
	want(t, e.do("POST", "/api/v1/agglomeration-sets?name=chengdu", "text/plain", strings.NewReader(csv)), 409)
	r = e.do("POST", "/api/v1/agglomeration-sets?name=again&file_name=again.csv&lang=en", "text/plain", strings.NewReader(csv))
	want(t, r, 422)
	if !strings.Contains(string(r.body), "taken") {
		t.Errorf("taken code: %s", r.body)
	}
	r = e.do("POST", "/api/v1/agglomeration-sets?name=bad&file_name=bad.csv&lang=en", "text/plain", strings.NewReader("code,name_zh,member\nXX,某圈,南景\n"))
	want(t, r, 422)
	if !strings.Contains(string(r.body), "南景") || !strings.Contains(string(r.body), `"row":2`) {
		t.Errorf("unknown member: %s", r.body)
	}
	// A multipart upload, as the dashboard sends it.
	ct, body := multipartBody(t, "file", "west.csv", []byte("code,name_zh,member\nWX,西部双城,重庆\nWX,,成都\n"))
	want(t, e.do("POST", "/api/v1/agglomeration-sets", ct, body), 201)
	want(t, e.get("/api/v1/agglomerations/WX"), 200)
	// Deleted: gone from the analyses.
	want(t, e.do("DELETE", "/api/v1/agglomeration-sets/chengdu", "", nil), 204)
	want(t, e.get("/api/v1/agglomerations/CDX"), 404)
	want(t, e.get("/api/v1/agglomerations/WX"), 200)
	want(t, e.do("DELETE", "/api/v1/agglomeration-sets/chengdu", "", nil), 404)
}

// TestCompareRolledUp: with a province file loaded, Compare shows the
// five agglomerations' rolled-up values, marked derived with coverage.
func TestCompareRolledUp(t *testing.T) {
	e := newEnv(t, Config{})
	r := e.upload("p.csv", []byte("地区,年份,R&D经费(万元)\n北京,2019,2\n天津,2019,3\n河北,2019,4\n"))
	want(t, r, 201)
	r = e.get("/api/v1/observations?dataset=1&indicators=rd_expenditure&lang=en")
	want(t, r, 200)
	var c compareTable
	r.json(t, &c)
	if len(c.Regions) != 5 || c.Regions[0].Code != "BTH" || float64(c.Values[0][0]) != 9 {
		t.Fatalf("compare %s", r.body)
	}
	if len(c.Derived) != 5 || !strings.Contains(c.Derived[0][0], "3 of 3 members covered") {
		t.Errorf("derived %v", c.Derived)
	}
}
