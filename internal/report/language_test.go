package report

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"io"
	"regexp"
	"strings"
	"testing"

	"agglo/internal/i18n"
)

// What a reader of the Chinese report must never see: identifiers
// (snake_case, key=value, "paper:IV"), and the English words of the
// analysis packages' labels (modes, levels, stages, scenario values,
// statuses, provenance kinds).
var zhLeaks = []*regexp.Regexp{
	regexp.MustCompile(`\b[A-Za-z][A-Za-z0-9]*_[A-Za-z0-9_]+\b`),
	regexp.MustCompile(`\b[A-Za-z_][A-Za-z0-9_.]*=[A-Za-z0-9_."-]`),
	regexp.MustCompile(`\bpaper\b`),
	// Commands, flags and file paths: the Chinese text names what a
	// command does, not its spelling.
	regexp.MustCompile(`\bagglo [a-z]|(^|[\s（(；，])--[a-z]|\b[a-z]+/[a-z_]+\.(md|csv|yaml|json)\b`),
	regexp.MustCompile(`(?i)\b(core-led|multi-point|balanced|undetermined|high|low|stable|unstable|turbulent|abundant|limited|embryonic|rapid|maturing|mature|external-cooperation|internal-creation|external cooperation|internal creation|published|derived|computed|imported|match|mismatch|agree|disagree|not assessable|province|city|score|rank|weight|goalposts|siphon|winsorisation|normalisation|aggregation|weight_noise|checkable|overview|source|sources)\b`),
}

// languageLeaks returns the lines of text that break the language rule,
// with what broke it.
func languageLeaks(text, lang string) []string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		if lang == i18n.ZH {
			for _, re := range zhLeaks {
				if m := re.FindString(line); m != "" {
					out = append(out, m+" ⟵ "+clip(line))
					break
				}
			}
		} else if m := cjk.FindString(line); m != "" {
			out = append(out, m+" ⟵ "+clip(line))
		}
	}
	return out
}

func clip(s string) string {
	if r := []rune(s); len(r) > 160 {
		return string(r[:160]) + "…"
	}
	return s
}

// docxText returns the text of a Word document, one paragraph a line.
func docxText(t testing.TB, b []byte) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var doc []byte
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			doc, _ = io.ReadAll(rc)
			rc.Close()
		}
	}
	if doc == nil {
		t.Fatal("no word/document.xml")
	}
	var sb strings.Builder
	dec := xml.NewDecoder(bytes.NewReader(doc))
	inText := false
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		switch v := tok.(type) {
		case xml.StartElement:
			inText = v.Name.Local == "t"
		case xml.EndElement:
			if v.Name.Local == "p" {
				sb.WriteByte('\n')
			}
			inText = false
		case xml.CharData:
			if inText {
				sb.Write(v)
			}
		}
	}
	return sb.String()
}

// checkPartLanguage builds the report on each data file in both languages
// and scans one part of it in Markdown and Word: it must have at least
// minChars characters and, once the data's own names (names, or nil) are
// taken out, no identifier or English label in Chinese and no Chinese in
// English. The data file's name is a name, not text of the report.
func checkPartLanguage(t *testing.T, id string, minChars int, names *regexp.Regexp, paths ...string) {
	t.Helper()
	for _, path := range paths {
		for _, lang := range []string{i18n.ZH, i18n.EN} {
			r := buildFile(t, path, lang)
			r.Sections = []Section{section(t, r, id)}
			r.Dataset = ""
			var md, doc bytes.Buffer
			if err := r.WriteMarkdown(&md); err != nil {
				t.Fatal(err)
			}
			if err := r.WriteDOCX(&doc); err != nil {
				t.Fatal(err)
			}
			for name, text := range map[string]string{"Markdown": md.String(), "Word": docxText(t, doc.Bytes())} {
				if len(text) < minChars {
					t.Errorf("%s %s %s: only %d characters of the part", path, lang, name, len(text))
				}
				if names != nil {
					text = names.ReplaceAllString(text, "")
				}
				for i, l := range languageLeaks(text, lang) {
					if i == 20 {
						break
					}
					t.Errorf("%s %s %s: %s", path, lang, name, l)
				}
			}
		}
	}
}

// The Chinese report shows no identifier or English label, the English
// report no Chinese, in Markdown and in Word (the HTML page, drawn in a
// browser, is scanned by TestHTMLLanguageInBrowser).
func TestLanguageOfTheText(t *testing.T) {
	for _, lang := range []string{i18n.ZH, i18n.EN} {
		r := buildDefault(t, lang)
		var md, doc bytes.Buffer
		if err := r.WriteMarkdown(&md); err != nil {
			t.Fatal(err)
		}
		if err := r.WriteDOCX(&doc); err != nil {
			t.Fatal(err)
		}
		for name, text := range map[string]string{"Markdown": md.String(), "Word": docxText(t, doc.Bytes())} {
			leaks := languageLeaks(text, lang)
			for i, l := range leaks {
				if i == 40 {
					t.Errorf("%s %s: … %d more", lang, name, len(leaks)-40)
					break
				}
				t.Errorf("%s %s: %s", lang, name, l)
			}
		}
	}
}

// The scanner finds what it is meant to find.
func TestLanguageLeaksDetects(t *testing.T) {
	for _, c := range []struct {
		text, lang string
		leak       bool
	}{
		{"依据：level=high；paper.level=\"\"", i18n.ZH, true},
		{"空间模式 multi-point，置信度 100%", i18n.ZH, true},
		{"国内环境 stable，国际环境 turbulent", i18n.ZH, true},
		{"数值来源：paper II.1 (overview)", i18n.ZH, true},
		{"诊断指标 rank_size_q", i18n.ZH, true},
		{"结果显示，泰尔指数为0.029，其中组间差异贡献32.7%。", i18n.ZH, false},
		{"GDP 与 R&D 经费；泰尔指数 T", i18n.ZH, false},
		{"复现命令：agglo index --framework cric", i18n.ZH, true},
		{"公式见 docs/methods.md", i18n.ZH, true},
		{"可用 --data 提供", i18n.ZH, true},
		{"Reproduce with agglo index --framework cric", i18n.EN, false},
		{"Population 6,399.8 (10,000 people)", i18n.EN, false},
		{"Area 99.31 万km²", i18n.EN, true},
		{"京津冀 ranks 3 of 5", i18n.EN, true},
	} {
		if got := len(languageLeaks(c.text, c.lang)) > 0; got != c.leak {
			t.Errorf("%s %q: leak %v, want %v", c.lang, c.text, got, c.leak)
		}
	}
}
