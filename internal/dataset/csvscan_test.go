package dataset

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"agglo/internal/i18n"
)

// csvOutcome is what reading a text gives: the records with their start
// lines, then the first error (kind, start line, line, column) if any.
type csvOutcome struct {
	records [][]string
	lines   []int
	err     string
}

// referenceCSV reads s with encoding/csv configured as agglo's scanner
// claims to behave.
func referenceCSV(s string, comma rune) csvOutcome {
	r := csv.NewReader(strings.NewReader(s))
	r.Comma = comma
	r.FieldsPerRecord = -1
	var out csvOutcome
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				out.err = fmt.Sprintf("%v start %d line %d col %d", pe.Err, pe.StartLine, pe.Line, pe.Column)
			} else {
				out.err = err.Error()
			}
			return out
		}
		line, _ := r.FieldPos(0)
		out.records = append(out.records, rec)
		out.lines = append(out.lines, line)
	}
}

// scanAll reads s with csvScanner as one block.
func scanAll(s string, comma byte) csvOutcome {
	sc := &csvScanner{comma: comma}
	sc.reset([]byte(s), 1, true)
	var out csvOutcome
	for {
		rec, line, _, err := sc.next()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			var se *csvSyntaxError
			if errors.As(err, &se) {
				out.err = fmt.Sprintf("%v start %d line %d col %d", se.err, se.startLine, se.line, se.col)
			} else {
				out.err = err.Error()
			}
			return out
		}
		out.records = append(out.records, rec.strings())
		out.lines = append(out.lines, line)
	}
}

func TestCSVScannerMatchesEncodingCSV(t *testing.T) {
	cases := []string{
		"", "\n", "\r\n", "a", "a\n", "a\r", "a\r\n", "a,b\nc,d\n", "a,,b\n,\n", "\n\na\n\n",
		`"a"`, `"a,b",c` + "\n", `"a""b"` + "\n", `"a` + "\n" + `b"` + "\n", `"a` + "\r\n" + `b"` + "\r\n",
		`a"b` + "\n", `"a"b` + "\n", `"a` + "\n", `"a`, `"a` + "\n\r", `"abc"` + "\r", `x,"a"` + "\r\nz\n",
		"a\rb\n", "a,b\r\r\n", `"",""` + "\n", `" a "` + "\n", "é,ü\n", "a;b\n",
		"x\n" + `"a` + "\n" + "\n" + `b"` + "\n",
	}
	for _, c := range cases {
		want, got := referenceCSV(c, ','), scanAll(c, ',')
		if !reflect.DeepEqual(want, got) {
			t.Errorf("%q:\n encoding/csv %+v\n scanner      %+v", c, want, got)
		}
	}
}

// TestCSVScannerRandom compares the scanner with encoding/csv on random
// texts made of the characters that matter (delimiters, quotes, line ends,
// white space, multi-byte letters).
func TestCSVScannerRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []string{"a", "b", ",", ";", "\"", "\"\"", "\n", "\r", "\r\n", " ", "é", "1.5"}
	for n := 0; n < 20000; n++ {
		var b strings.Builder
		for k := rng.IntN(40); k > 0; k-- {
			b.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		s := b.String()
		for _, comma := range []byte{',', ';'} {
			want, got := referenceCSV(s, rune(comma)), scanAll(s, comma)
			if !reflect.DeepEqual(want, got) {
				t.Fatalf("%q (%q):\n encoding/csv %+v\n scanner      %+v", s, comma, want, got)
			}
		}
	}
}

// FuzzCSVScanner holds the scanner to encoding/csv on any input.
func FuzzCSVScanner(f *testing.F) {
	for _, s := range []string{"a,b\n", `"a""b",c` + "\r\n", `"a` + "\n" + `b"`, `a"b`, "\n\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, got := referenceCSV(s, ','), scanAll(s, ',')
		if !reflect.DeepEqual(want, got) {
			t.Fatalf("%q:\n encoding/csv %+v\n scanner      %+v", s, want, got)
		}
	})
}

// TestCutBlock checks that blocks end at record boundaries: scanning the
// blocks one after the other gives what scanning the whole text gives.
func TestCutBlock(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	alphabet := []string{"a", ",", "\"", "\"\"", "\n", "\r\n", "x\"y"}
	for n := 0; n < 5000; n++ {
		var b strings.Builder
		for k := rng.IntN(60); k > 0; k-- {
			b.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		s := b.String()
		want := scanAll(s, ',')
		// Cut as blockReader does, with a tiny block size.
		var got csvOutcome
		rest, line := []byte(s), 1
		sc := &csvScanner{comma: ','}
		for len(rest) > 0 && got.err == "" {
			size := 1 + rng.IntN(8)
			cut := 0
			for size <= len(rest) {
				if cut = cutBlock(rest[:size]); cut > 0 {
					break
				}
				size *= 2
			}
			last := cut == 0
			block := rest
			if !last {
				block = rest[:cut]
			}
			sc.reset(block, line, last)
			for {
				rec, l, _, err := sc.next()
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					var se *csvSyntaxError
					errors.As(err, &se)
					got.err = fmt.Sprintf("%v start %d line %d col %d", se.err, se.startLine, se.line, se.col)
					break
				}
				got.records = append(got.records, rec.strings())
				got.lines = append(got.lines, l)
			}
			line += strings.Count(string(block), "\n")
			rest = rest[len(block):]
		}
		if !reflect.DeepEqual(want, got) {
			t.Fatalf("%q:\n whole  %+v\n blocks %+v", s, want, got)
		}
	}
}

// TestCSVSyntaxErrorInChinese: the two quote errors of encoding/csv
// (ErrQuote, ErrBareQuote) are said in Chinese words in the Chinese
// message and keep encoding/csv's words in the English one.
func TestCSVSyntaxErrorInChinese(t *testing.T) {
	cases := []struct{ name, in, zh, en string }{
		// Line 3 opens a quote that never closes.
		{"unclosed quote", "地区,x\n北京,1\n\"天津,2\n", "引号多余或缺少", `extraneous or missing " in quoted-field`},
		// A quote inside an unquoted cell of line 2.
		{"bare quote", "地区,x\n北\"京,1\n", "未加引号的单元格中有引号", `bare " in non-quoted-field`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := readString(t, c.in)
			if err == nil {
				t.Fatal("accepted")
			}
			zh, en := i18n.Message(err, "zh"), i18n.Message(err, "en")
			if !strings.Contains(zh, c.zh) || i18n.HasLatinWord(zh, "t.csv", "CSV") {
				t.Errorf("zh: %s", zh)
			}
			if !strings.Contains(en, c.en) {
				t.Errorf("en: %s", en)
			}
		})
	}
}
