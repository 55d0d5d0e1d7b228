package server

import (
	"net/http"
	"net/http/cookiejar"
	"regexp"
	"strings"
	"testing"
)

// The language chosen on one page holds on the next pages and datasets,
// through a cookie, and every link keeps it.
func TestPageLanguagePersists(t *testing.T) {
	e := newEnv(t, Config{})
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	get := func(path string) string {
		t.Helper()
		res, err := c.Get(e.ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var b strings.Builder
		buf := make([]byte, 32<<10)
		for {
			n, err := res.Body.Read(buf)
			b.Write(buf[:n])
			if err != nil {
				break
			}
		}
		if res.StatusCode != 200 {
			t.Fatalf("GET %s: %d", path, res.StatusCode)
		}
		return b.String()
	}
	if !strings.Contains(get("/?lang=en"), `<html lang="en">`) {
		t.Fatal("?lang=en ignored")
	}
	for _, p := range []string{"/measures", "/replication", "/report", "/compare?dataset=paper", "/agglomerations/PRD"} {
		page := get(p)
		if !strings.Contains(page, `<html lang="en">`) {
			t.Errorf("%s: the language chosen before is lost", p)
		}
		for _, href := range regexp.MustCompile(`<nav>[\s\S]*?</nav>`).FindAllString(page, 1) {
			if strings.Count(href, "lang=en") < 9 {
				t.Errorf("%s: navigation links drop the language: %s", p, href)
			}
		}
	}
	if !strings.Contains(get("/?lang=zh"), `<html lang="zh">`) || !strings.Contains(get("/measures"), `<html lang="zh">`) {
		t.Error("switching back to Chinese does not hold")
	}
}

// Every page names the agglomerations in its selectors and tabs, never by
// code, and the report page links every format, Word included.
func TestPagesShowNames(t *testing.T) {
	e := newEnv(t, Config{})
	for _, lang := range []string{"zh", "en"} {
		for _, p := range []string{"/agglomerations/YRD", "/scenario", "/compare"} {
			r := e.get(p + "?lang=" + lang)
			want(t, r, 200)
			body := string(r.body)
			if m := regexp.MustCompile(`>(BTH|YRD|MYR|PRD|CC)<|of (BTH|YRD|MYR|PRD|CC)<|>(BTH|YRD|MYR|PRD|CC) `).FindString(body); m != "" {
				t.Errorf("%s (%s) shows the code %q", p, lang, m)
			}
		}
		r := e.get("/report?lang=" + lang)
		for _, f := range []string{"html", "docx", "xlsx"} {
			if !strings.Contains(string(r.body), "/api/v1/report?download=1&amp;format="+f+"&amp;lang="+lang) {
				t.Errorf("report page (%s) lacks the %s link", lang, f)
			}
		}
	}
}
