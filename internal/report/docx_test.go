package report

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"agglo/internal/i18n"
)

// docxParts returns the files of a Word document.
func docxParts(t *testing.T, b []byte) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("the Word file is not a zip: %v", err)
	}
	out := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		out[f.Name], _ = io.ReadAll(rc)
		rc.Close()
	}
	return out
}

// cjkFontAvailable reports whether the system has a font to draw Chinese
// chart labels with; CI installs one (.ci/run).
func cjkFontAvailable(t *testing.T) bool {
	fs, err := loadFonts()
	if err != nil {
		t.Fatal(err)
	}
	return fs.cjk != nil
}

// The Word report has the report's structure: real headings (Heading 1 for
// every part, Heading 2 for every agglomeration's profile), real tables
// (one w:tbl per table of the report), and the charts as PNG images.
func TestDOCXStructure(t *testing.T) {
	for _, lang := range []string{i18n.ZH, i18n.EN} {
		r := buildDefault(t, lang)
		var b bytes.Buffer
		if err := r.WriteDOCX(&b); err != nil {
			t.Fatal(err)
		}
		parts := docxParts(t, b.Bytes())
		doc := string(parts["word/document.xml"])
		if doc == "" {
			t.Fatal("no word/document.xml")
		}
		h1 := regexp.MustCompile(`<w:pStyle w:val="Heading1"`).FindAllStringIndex(doc, -1)
		if len(h1) < len(r.Sections) {
			t.Errorf("%s: %d Heading 1 paragraphs, want at least %d (one per part)", lang, len(h1), len(r.Sections))
		}
		text := docxText(t, b.Bytes())
		tables, charts := 0, 0
		for _, s := range r.Sections {
			if !strings.Contains(text, s.Title.In(lang)) {
				t.Errorf("%s: Word text lacks the heading %q", lang, s.Title.In(lang))
			}
			for _, blk := range s.Blocks {
				switch v := blk.(type) {
				case *Table:
					tables++
				case *Map:
					// A cluster map is an image (its units are in the
					// table beside it); the member map is a table.
					if v.Kind == MapClusters {
						charts++
					} else {
						tables++
					}
				case *Heading:
					if !strings.Contains(text, v.Text.In(lang)) {
						t.Errorf("%s: Word text lacks the subheading %q", lang, v.Text.In(lang))
					}
				case *Chart:
					if v.Kind == ChartBar || v.Kind == ChartRange || v.Kind == ChartLine {
						charts++
					}
				}
			}
		}
		if got := strings.Count(doc, "<w:tbl>"); got != tables {
			t.Errorf("%s: %d Word tables, want %d", lang, got, tables)
		}
		// Table 1 as a real table: PRD's density, as the paper prints it
		// (Table 1: 1163.6), in a table cell.
		if !regexp.MustCompile(`<w:tc>.{0,800}1,163\.6`).MatchString(doc) {
			t.Errorf("%s: Table 1's 1,163.6 is not in a table cell", lang)
		}
		images := 0
		for name, data := range parts {
			if strings.HasPrefix(name, "word/media/") && strings.HasSuffix(name, ".png") {
				images++
				if !bytes.HasPrefix(data, []byte("\x89PNG")) {
					t.Errorf("%s is not a PNG", name)
				}
			}
		}
		if lang == i18n.EN || cjkFontAvailable(t) {
			if images != charts {
				t.Errorf("%s: %d images, want one per bar, range or line chart and cluster map (%d)", lang, images, charts)
			}
		} else if os.Getenv("CI") == "true" {
			t.Errorf("no CJK font: the Chinese charts were not drawn (install fonts-noto-cjk)")
		} else {
			t.Logf("no CJK font on this system: Chinese chart images not checked")
		}
	}
}

// LibreOffice opens the Word report and converts it to PDF. Without
// LibreOffice the test fails in CI (which installs it) and is skipped
// elsewhere.
func TestDOCXOpensInLibreOffice(t *testing.T) {
	soffice := ""
	for _, c := range []string{"soffice", "libreoffice", "lowriter"} {
		if p, err := exec.LookPath(c); err == nil {
			soffice = p
			break
		}
	}
	if soffice == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("LibreOffice is not installed (apt-get install libreoffice-writer-nogui): the Word report cannot be checked")
		}
		t.Skip("LibreOffice not installed; apt-get install libreoffice-writer-nogui to check the Word report")
	}
	if testing.Short() {
		t.Skip("LibreOffice conversion skipped in -short mode")
	}
	r := buildDefault(t, i18n.ZH)
	dir := t.TempDir()
	in := filepath.Join(dir, "report.docx")
	var b bytes.Buffer
	if err := r.WriteDOCX(&b); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(in, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, soffice, "--headless", "--norestore", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
		"--convert-to", "pdf", "--outdir", dir, in)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("LibreOffice failed: %v\n%s", err, out)
	}
	pdf, err := os.ReadFile(filepath.Join(dir, "report.pdf"))
	if err != nil {
		t.Fatalf("LibreOffice wrote no PDF: %v\n%s", err, out)
	}
	pages := pdfPages(pdf)
	t.Logf("LibreOffice: %d pages", pages)
	if !bytes.HasPrefix(pdf, []byte("%PDF")) || pages < 10 || pages > 150 {
		t.Errorf("PDF from LibreOffice: %d bytes, %d pages; want a PDF of 10 to 150 pages", len(pdf), pages)
	}
}

// pdfPages counts the page objects of a PDF.
func pdfPages(b []byte) int {
	return len(regexp.MustCompile(`/Type\s*/Page[^s]`).FindAllIndex(b, -1))
}
