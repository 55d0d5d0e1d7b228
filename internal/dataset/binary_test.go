package dataset

import (
	"bytes"
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"agglo/internal/i18n"
)

func saved(t testing.TB, ds *Dataset) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Save(&buf, ds); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestBinaryRoundTrip(t *testing.T) {
	def, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	free := freeUnits(t)
	opts := testOpts(t)
	for name, ds := range map[string]*Dataset{"embedded": def, "free units": free} {
		back, err := Load(bytes.NewReader(saved(t, ds)), opts)
		if err != nil {
			t.Fatalf("%s: %v", name, i18n.Message(err, "en"))
		}
		if a, b := importSummary(ds, nil), importSummary(back, nil); a != b {
			t.Errorf("%s: round trip differs:\n%s\n---\n%s", name, a, b)
		}
		if back.Name != ds.Name || back.FreeUnits != ds.FreeUnits || len(back.Checks) != len(ds.Checks) {
			t.Errorf("%s: name, free units or checks differ", name)
		}
		for i, c := range ds.Checks {
			if !reflect.DeepEqual(c, back.Checks[i]) {
				t.Errorf("%s: check %+v became %+v", name, c, back.Checks[i])
			}
		}
		for i, r := range ds.Regions {
			b := back.Regions[i]
			if r.Code != b.Code || r.HasCoord() != b.HasCoord() || (r.HasCoord() && (r.Lon != b.Lon || r.Lat != b.Lat)) || len(r.Members) != len(b.Members) {
				t.Errorf("%s: region %+v became %+v", name, r, b)
			}
		}
		// The read API answers the same.
		for o := range ds.All() {
			r, ind := ds.Regions[o.Region].Code, ds.Indicators[o.Indicator].Code
			if v, ok := back.Value(r, ind, int(o.Year)); !ok || v != o.Value {
				t.Errorf("%s: %s %s %d = %v, want %v", name, r, ind, o.Year, v, o.Value)
			}
		}
		if ind, ok := back.Indicator(back.Indicators[0].Code); !ok || ind.ParsedUnit().Dim == "" {
			t.Errorf("%s: indicator unit not parsed", name)
		}
	}
}

// TestBinaryDamaged: every truncation and many single-byte changes of a
// saved dataset give an error, never a panic or a dataset.
func TestBinaryDamaged(t *testing.T) {
	b := saved(t, freeUnits(t))
	opts := testOpts(t)
	for n := 0; n < len(b); n++ {
		ds, err := Load(bytes.NewReader(b[:n]), opts)
		if err == nil || ds != nil {
			t.Fatalf("truncated to %d bytes: accepted", n)
		}
		// The Chinese message has no English words (agglo, the
		// program's name, excepted).
		if zh := i18n.Message(err, "zh"); i18n.HasLatinWord(zh, "agglo") {
			t.Fatalf("truncated to %d bytes: Latin words in %q", n, zh)
		}
	}
	for i := 0; i < len(b); i++ {
		for _, x := range []byte{0x01, 0x80, 0xff} {
			c := bytes.Clone(b)
			c[i] ^= x
			if _, err := Load(bytes.NewReader(c), opts); err == nil {
				t.Fatalf("byte %d ^ %#x: accepted", i, x)
			}
		}
	}
	if _, err := Load(bytes.NewReader(append(bytes.Clone(b), 0)), opts); err == nil {
		t.Error("trailing byte accepted")
	}
	// A newer version is refused with a message that says so.
	c := bytes.Clone(b)
	binary.LittleEndian.PutUint32(c[8:], binaryVersion+1)
	_, err := Load(bytes.NewReader(c), opts)
	if err == nil || !strings.Contains(i18n.Message(err, "en"), "newer agglo") {
		t.Errorf("newer version: %v", err)
	}
	if _, err := Load(strings.NewReader("region,value\n"), opts); err == nil || !strings.Contains(i18n.Message(err, "en"), "not an agglo data file") {
		t.Errorf("a CSV text: %v", err)
	}
	// Read and ReadFile name the file.
	if _, err := Read(strings.NewReader("region,value\n"), "x.agglo", Binary, opts); err == nil || !strings.HasPrefix(i18n.Message(err, "zh"), "x.agglo：数据文件已损坏") {
		t.Errorf("Read of a CSV text as .agglo: %v", err)
	}
	p := filepath.Join(t.TempDir(), "y.agglo")
	if err := os.WriteFile(p, []byte("region,value\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadFile(p, opts); err == nil || !strings.HasPrefix(i18n.Message(err, "en"), "y.agglo: the data file is damaged") {
		t.Errorf("ReadFile of a CSV text as .agglo: %v", err)
	}
}

// TestBinaryHostileLengths: lengths that promise more than the file holds
// are not allocated up front.
func TestBinaryHostileLengths(t *testing.T) {
	var b bytes.Buffer
	b.Write(binaryMagic[:])
	binary.Write(&b, binary.LittleEndian, uint32(binaryVersion))
	binary.Write(&b, binary.LittleEndian, uint32(0))
	b.Write(binary.AppendUvarint(nil, maxMetaBytes)) // 256 MiB of metadata announced
	b.WriteString(`{"name":"x"`)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := Load(bytes.NewReader(b.Bytes()), testOpts(t))
	runtime.ReadMemStats(&after)
	if err == nil {
		t.Fatal("accepted")
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 16<<20 {
		t.Errorf("allocated %d MiB for a 30-byte file", alloc>>20)
	}
}

// FuzzLoad checks that no input makes Load panic, and that what it accepts
// is a consistent dataset.
func FuzzLoad(f *testing.F) {
	def, err := Default()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(saved(f, def))
	var b strings.Builder
	b.WriteString("region,indicator,year,value\nA,x,2019,1\nB,x,2019,2\nA,y,2020,3\n")
	small, err := Read(strings.NewReader(b.String()), "s.csv", CSV, testOpts(f))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(saved(f, small))
	f.Add([]byte("\x89AGGLO\r\n"))
	opts := testOpts(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		ds, err := Load(bytes.NewReader(data), opts)
		if err != nil {
			if ds != nil {
				t.Fatal("dataset with an error")
			}
			return
		}
		n := 0
		for o := range ds.All() {
			n++
			if int(o.Region) >= len(ds.Regions) || int(o.Source) >= len(ds.Sources) || math.IsNaN(o.Value) {
				t.Fatalf("bad observation %+v", o)
			}
		}
		if n != ds.Len() {
			t.Fatalf("Len %d, All %d", ds.Len(), n)
		}
	})
}
