package dataset

import (
	"math"
	"strconv"
	"strings"
	"testing"

	"agglo/internal/i18n"
)

// TestNumbersInTheFileConvention covers numbers that the importer once
// changed silently (3,14 read as 314 in a semicolon file, 1,5 as 15, 1,2,3
// as 123, 1e-400 as 0, 1_000 as 1000): each is now an error located at
// its row and column, unless the file's convention makes it a plain
// number. Expected values are the numbers as written.
func TestNumbersInTheFileConvention(t *testing.T) {
	cases := []struct {
		name, file string
		decimal    bool    // ReadOptions.DecimalComma
		want       float64 // Beijing's gdp (亿元) when accepted
		err        []string
	}{
		{name: "decimal comma without the option", file: "地区;地区生产总值(亿元)\n北京;3,14\n", err: []string{"row 2", "column 2", `malformed number "3,14"`, "--decimal-comma"}},
		{name: "a comma group of one digit", file: "地区;地区生产总值(亿元)\n北京;1,5\n", err: []string{"row 2", `malformed number "1,5"`}},
		{name: "groups of one digit", file: "地区;地区生产总值(亿元)\n北京;1,2,3\n", err: []string{"row 2", `malformed number "1,2,3"`}},
		{name: "quoted groups in a comma file", file: "地区,地区生产总值(亿元)\n北京,\"1,2,3\"\n", err: []string{"row 2", `malformed number "1,2,3"`}},
		{name: "a group of four", file: "地区;地区生产总值(亿元)\n北京;1,2345\n", err: []string{`malformed number "1,2345"`}},
		{name: "a leading group of four", file: "地区;地区生产总值(亿元)\n北京;1234,567\n", err: []string{`malformed number "1234,567"`}},
		{name: "grouping with an exponent", file: "地区;地区生产总值(亿元)\n北京;1,234e3\n", err: []string{`malformed number "1,234e3"`}},
		{name: "underflow", file: "地区,地区生产总值(亿元)\n北京,1e-400\n", err: []string{"row 2", "column 2", `"1e-400" underflows to 0`}},
		{name: "underscore", file: "地区,地区生产总值(亿元)\n北京,1_000\n", err: []string{"row 2", `malformed number "1_000"`}},
		{name: "hexadecimal", file: "地区,地区生产总值(亿元)\n北京,0x1p3\n", err: []string{`malformed number "0x1p3"`}},
		{name: "overflow", file: "地区,地区生产总值(亿元)\n北京,1e400\n", err: []string{`number out of range "1e400"`}},
		// Accepted: complete groups of three (1,234,567 = 1234567).
		{name: "thousands", file: "地区;地区生产总值(亿元)\n北京;1,234,567\n", want: 1234567},
		{name: "thousands and decimals", file: "地区,地区生产总值(亿元)\n北京,\"1,234.5\"\n", want: 1234.5},
		// Zero written with a zero mantissa is zero, not an underflow.
		{name: "zero with an exponent", file: "地区,地区生产总值(亿元)\n北京,0e-400\n", want: 0},
		// The smallest subnormal (4.9e-324) is not zero.
		{name: "subnormal", file: "地区,地区生产总值(亿元)\n北京,5e-324\n", want: 5e-324},
		// With --decimal-comma: 3,14 = 3.14; 1.234.567,5 = 1234567.5.
		{name: "decimal comma", file: "地区;地区生产总值(亿元)\n北京;3,14\n", decimal: true, want: 3.14},
		{name: "decimal comma with groups", file: "地区;地区生产总值(亿元)\n北京;1.234.567,5\n", decimal: true, want: 1234567.5},
		{name: "decimal comma in a tab file", file: "地区\t地区生产总值(亿元)\n北京\t1,5\n", decimal: true, want: 1.5},
		{name: "decimal point under the decimal comma", file: "地区;地区生产总值(亿元)\n北京;3.14\n", decimal: true, err: []string{`malformed number "3.14"`}},
		{name: "decimal comma in a comma file", file: "地区,地区生产总值(亿元)\n北京,\"3,14\"\n", decimal: true, err: []string{"--decimal-comma", "separated by commas"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			opts := testOpts(t)
			opts.DecimalComma = c.decimal
			ds, err := Read(strings.NewReader(c.file), "t.csv", CSV, opts)
			if c.err == nil {
				if err != nil {
					t.Fatal(i18n.Message(err, "en"))
				}
				if v, ok := ds.Value("110000", "gdp", 0); !ok || v != c.want {
					t.Errorf("gdp = %v (%v), want %v", v, ok, c.want)
				}
				return
			}
			if err == nil {
				t.Fatalf("accepted: %d observations", ds.Len())
			}
			en := i18n.Message(err, "en")
			for _, w := range c.err {
				if !strings.Contains(en, w) {
					t.Errorf("%q lacks %q", en, w)
				}
			}
		})
	}
}

// TestFastFloatAgreesWithStrconv checks the allocation-free path against
// strconv.ParseFloat, the reference, on numbers it accepts.
func TestFastFloatAgreesWithStrconv(t *testing.T) {
	for _, s := range []string{"0", "-0", "1", "1.8", "1.74", "-3.25", "123456789012345", "0.000123", "9007199254740991", "1e22", "1e-22", "4.5e10", "7.", ".5", "+2",
		"0.1", "0.3", "2.2250738585072014", "123.456e-5", "98765.4321"} {
		got, ok := fastFloat([]byte(s), false)
		want, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatal(err)
		}
		if ok && math.Float64bits(got) != math.Float64bits(want) {
			t.Errorf("%s: fast %v, strconv %v", s, got, want)
		}
		v, present, problem := numberFormat{}.parseValue([]byte(s))
		if problem != nil || !present || math.Float64bits(v) != math.Float64bits(want) {
			t.Errorf("%s: parseValue %v %v %v, want %v", s, v, present, problem, want)
		}
	}
}

// FuzzParseValue checks that parseValue never panics and that whatever it
// accepts agrees with strconv.ParseFloat on the same text without its
// grouping.
func FuzzParseValue(f *testing.F) {
	for _, s := range []string{"1", "1,234.5", "3,14", "1e-400", "１２３．４", "-", "NaN", "1_0"} {
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, s string, comma bool) {
		nf := numberFormat{decimalComma: comma}
		v, present, problem := nf.parseValue([]byte(s))
		if !present || problem != nil {
			return
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			t.Fatalf("%q gave %v", s, v)
		}
		plain, ok := nf.normalise(halfWidth(s))
		if !ok {
			t.Fatalf("%q accepted but not plain", s)
		}
		want, err := strconv.ParseFloat(plain, 64)
		if err != nil || math.Float64bits(want) != math.Float64bits(v) {
			t.Fatalf("%q: %v, strconv %v (%v)", s, v, want, err)
		}
	})
}
