package csvsafe

import (
	"bytes"
	"encoding/csv"
	"slices"
	"testing"
)

// The formula payloads are the examples of OWASP, "CSV Injection"
// (https://owasp.org/www-community/attacks/CSV_Injection); the expected
// output is the mitigation that page recommends: a leading single quote.
func TestCell(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`=1+1`, `'=1+1`},
		{`=cmd|' /C calc'!A0`, `'=cmd|' /C calc'!A0`},
		{`@SUM(1+9)*cmd|' /C calc'!A0`, `'@SUM(1+9)*cmd|' /C calc'!A0`},
		{`+1+1`, `'+1+1`},
		{`-2+3`, `'-2+3`},
		{`-`, `'-`},
		{`+`, `'+`},
		{"\t=1+1", "'\t=1+1"},
		{"\r=1+1", "'\r=1+1"},
		{`＝1+1`, `'＝1+1`},
		{`－1`, `'－1`},
		{`=1+1.csv`, `'=1+1.csv`},
		{`-Inf`, `'-Inf`},
		{`-NaN`, `'-NaN`},
		{`-0x10`, `'-0x10`},
		{`-1e`, `'-1e`},
		{`- 1`, `'- 1`},
		// Numbers stay numbers.
		{`-3.5`, `-3.5`},
		{`+2`, `+2`},
		{`-0`, `-0`},
		{`-.5`, `-.5`},
		{`-5.`, `-5.`},
		{`-1e-3`, `-1e-3`},
		{`-1.25E+10`, `-1.25E+10`},
		// Text that starts otherwise is left alone.
		{``, ``},
		{`北京市`, `北京市`},
		{`a=1`, `a=1`},
		{`1+1`, `1+1`},
		{` =1`, ` =1`},
		{`—`, `—`},
		{`'abc`, `'abc`},
		{`'-3`, `'-3`},
		// Quotes before a formula are quoted once more, so that Unquote
		// tells them from a neutralised formula.
		{`'=1`, `''=1`},
		{`''@x`, `'''@x`},
	} {
		if got := Cell(c.in); got != c.want {
			t.Errorf("Cell(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestRecordDoesNotMutate(t *testing.T) {
	rec := []string{"BJ", "=HYPERLINK(\"x\")", "-1.5", "@a"}
	orig := slices.Clone(rec)
	got := Record(rec)
	if !slices.Equal(rec, orig) {
		t.Fatalf("input changed: %q", rec)
	}
	want := []string{"BJ", "'=HYPERLINK(\"x\")", "-1.5", "'@a"}
	if !slices.Equal(got, want) {
		t.Fatalf("Record = %q, want %q", got, want)
	}
	safe := []string{"a", "1"}
	if got := Record(safe); &got[0] != &safe[0] {
		t.Error("a safe record was copied")
	}
}

func TestWriterRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	w := NewWriter(&buf)
	if err := w.WriteAll([][]string{{"name", "value"}, {"=1+1", "-2"}, {"+x", "3"}}); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"name", "value"}, {"'=1+1", "-2"}, {"'+x", "3"}}
	if len(recs) != len(want) {
		t.Fatalf("read %q", recs)
	}
	for i := range want {
		if !slices.Equal(recs[i], want[i]) {
			t.Errorf("row %d: %q, want %q", i, recs[i], want[i])
		}
		for j := range recs[i] {
			if u := Unquote(recs[i][j]); i > 0 && j == 0 && u != [][]string{nil, {"=1+1"}, {"+x"}}[i][0] {
				t.Errorf("Unquote(%q) = %q", recs[i][j], u)
			}
		}
	}
	if Unquote("'quoted") != "'quoted" || Unquote("'-3") != "'-3" {
		t.Error("Unquote removed a quote it did not add")
	}
}

// Unquote takes back exactly the quote Cell added: the round trip holds for
// formula payloads (OWASP's examples above), quotes a user wrote, numbers
// and plain text, and Unquote leaves every cell Cell does not produce by
// quoting as it is.
func TestUnquoteInvertsCell(t *testing.T) {
	for _, s := range []string{
		`=1+1`, `=cmd|' /C calc'!A0`, `@SUM(1+9)`, `+1+1`, `-2+3`, `-`, `+`, "\t=1+1", "\r=1+1", `＝1+1`, `－1`, `=1+1.csv`,
		`'=1`, `''=1`, `'''@x`, `'`, `''`, `'abc`, `'-3`, `'+2`, `' =1`, `-3.5`, `+2`, `-1e-3`, `北京市`, `a=1`, ``, `'＠x`,
	} {
		c := Cell(s)
		if got := Unquote(c); got != s {
			t.Errorf("Unquote(Cell(%q)) = Unquote(%q) = %q", s, c, got)
		}
		if got := string(UnquoteBytes([]byte(c))); got != s {
			t.Errorf("UnquoteBytes(Cell(%q)) = %q", s, got)
		}
	}
	// Cells of a user's file that Cell would not have written that way
	// keep their quote.
	for _, s := range []string{`'abc`, `'-3`, `'+2.5e3`, `' =1`, `'`, `'北京`, `x'=1`} {
		if got := Unquote(s); got != s {
			t.Errorf("Unquote(%q) = %q, want it unchanged", s, got)
		}
		if got := string(UnquoteBytes([]byte(s))); got != s {
			t.Errorf("UnquoteBytes(%q) = %q, want it unchanged", s, got)
		}
	}
	b := []byte(`'=x`)
	if got := UnquoteBytes(b); &got[0] != &b[1] {
		t.Error("UnquoteBytes copied the cell")
	}
}

// FuzzUnquoteCell checks the package's promise Unquote(Cell(s)) == s for
// every s, that UnquoteBytes agrees with Unquote on any cell, and that a
// neutralised cell never begins with a formula character.
func FuzzUnquoteCell(f *testing.F) {
	for _, s := range []string{`=1+1`, `'=1`, `''@x`, `-3.5`, `'-3`, `＝1`, "\t=1", `'`, ``, `北京`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c := Cell(s)
		if got := Unquote(c); got != s {
			t.Fatalf("Unquote(Cell(%q)) = %q", s, got)
		}
		if c != "" && risky(c) && !isNumber(c) {
			t.Fatalf("Cell(%q) = %q starts a formula", s, c)
		}
		if a, b := Unquote(s), string(UnquoteBytes([]byte(s))); a != b {
			t.Fatalf("Unquote(%q) = %q, UnquoteBytes %q", s, a, b)
		}
	})
}
