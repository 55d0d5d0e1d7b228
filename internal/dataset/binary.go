package dataset

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"math"

	"agglo/internal/i18n"
)

// The binary form of a dataset (a .agglo file) holds a dataset as agglo
// keeps it in memory, so that loading it is a copy, not an import.
//
//	magic    8 bytes  0x89 'A' 'G' 'G' 'L' 'O' '\r' '\n'
//	version  uint32   little-endian, binaryVersion
//	flags    uint32   0 (anything else is refused)
//	body              everything below, covered by the checksum
//	  meta     uvarint length, then JSON: name, free units, regions,
//	           indicators, sources, notes, checks
//	  columns  for each indicator, in order: uvarint number of columns,
//	           then each column (years strictly ascending):
//	             varint year (zig-zag)
//	             byte kind: 1 dense, 2 sparse
//	             uvarint n: values present
//	             dense: uvarint size (≤ regions), size float64 (NaN: none)
//	             sparse: list of n uvarint region gaps (first absolute,
//	               then differences ≥ 1), n float64
//	             rows: byte 0 (all 0) or 1 and a list of n zig-zag varint
//	               differences from the previous row
//	             source, column: byte 0 and one uvarint for all values,
//	               or byte 1 and a list of n uvarints
//	           (a list is a uvarint byte length, then the varints)
//	checksum uint32   little-endian CRC-32C (Castagnoli) of the body
//
// Numbers are little-endian; values are listed in region order. Every
// length is checked against what it counts (regions, sources) or against
// fixed bounds before it is used, and memory grows only with the bytes
// actually read, so a damaged or hostile file gives an error, never a
// panic or a huge allocation. A version this build does not know is
// refused with a message saying so.

// binaryMagic starts every .agglo file. Like PNG's, its first byte is not
// ASCII and its line ends catch a file damaged by text-mode transfer.
var binaryMagic = [8]byte{0x89, 'A', 'G', 'G', 'L', 'O', '\r', '\n'}

// binaryVersion is the version of the binary form this build writes.
const binaryVersion = 1

// maxMetaBytes bounds the JSON part of a .agglo file.
const maxMetaBytes = 256 << 20

const (
	kindDense  = 1
	kindSparse = 2
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// binMeta is the JSON part of the binary form.
type binMeta struct {
	Name       string      `json:"name"`
	FreeUnits  bool        `json:"free_units"`
	Regions    []binRegion `json:"regions"`
	Indicators []Indicator `json:"indicators"`
	Sources    []Source    `json:"sources"`
	Notes      []Issue     `json:"notes,omitempty"`
	Checks     []binCheck  `json:"checks,omitempty"`
	Attributes []Attribute `json:"attributes,omitempty"`
}

// binRegion reads a Region whose coordinates may be unknown: Region's
// MarshalJSON (promoted) writes them as null, which these fields read back
// as NaN.
type binRegion struct {
	Region
	Lon *float64 `json:"lon"`
	Lat *float64 `json:"lat"`
}

// binCheck is a Check whose numbers may be NaN.
type binCheck struct {
	Check
	Published *float64 `json:"published"`
	Derived   *float64 `json:"derived"`
	Residual  *float64 `json:"residual"`
}

func optFloat(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

func fromOpt(p *float64) float64 {
	if p == nil {
		return math.NaN()
	}
	return *p
}

// Save writes ds in agglo's binary columnar form (see the format above).
// Load reads it back. The registry and catalogue are not written: Load
// takes them from its options, as an import does.
func Save(w io.Writer, ds *Dataset) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	var head [16]byte
	copy(head[:8], binaryMagic[:])
	binary.LittleEndian.PutUint32(head[8:], binaryVersion)
	if _, err := bw.Write(head[:]); err != nil {
		return err
	}
	e := &encoder{w: bw, crc: crc32.New(castagnoli)}
	meta := binMeta{Name: ds.Name, FreeUnits: ds.FreeUnits, Indicators: ds.Indicators, Sources: ds.Sources, Notes: ds.Notes, Attributes: ds.Attributes}
	meta.Regions = make([]binRegion, len(ds.Regions))
	for i, r := range ds.Regions {
		meta.Regions[i] = binRegion{Region: r}
	}
	for _, c := range ds.Checks {
		meta.Checks = append(meta.Checks, binCheck{Check: c, Published: optFloat(c.Published), Derived: optFloat(c.Derived), Residual: optFloat(c.Residual)})
	}
	mb, err := json.Marshal(meta)
	if err != nil {
		return fmt.Errorf("save dataset: %w", err)
	}
	e.uvarint(uint64(len(mb)))
	e.write(mb)
	for i := range ds.Indicators {
		var s []*yearCol
		if i < len(ds.series) {
			s = ds.series[i]
		}
		e.uvarint(uint64(len(s)))
		for _, c := range s {
			e.column(c)
		}
	}
	if e.err != nil {
		return e.err
	}
	var sum [4]byte
	binary.LittleEndian.PutUint32(sum[:], e.crc.Sum32())
	if _, err := bw.Write(sum[:]); err != nil {
		return err
	}
	return bw.Flush()
}

type encoder struct {
	w   *bufio.Writer
	crc hash.Hash32
	buf []byte
	err error
}

func (e *encoder) write(b []byte) {
	if e.err != nil {
		return
	}
	e.crc.Write(b)
	_, e.err = e.w.Write(b)
}

func (e *encoder) uvarint(v uint64) {
	e.buf = binary.AppendUvarint(e.buf[:0], v)
	e.write(e.buf)
}

func (e *encoder) varint(v int64) {
	e.buf = binary.AppendVarint(e.buf[:0], v)
	e.write(e.buf)
}

// list writes the varints in e.buf as a list: their byte length, then
// them.
func (e *encoder) list() {
	body := e.buf
	e.buf = nil
	e.uvarint(uint64(len(body)))
	e.write(body)
	e.buf = body[:0]
}

func (e *encoder) floats(vs []float64) {
	for len(vs) > 0 {
		n := min(len(vs), 8192)
		e.buf = e.buf[:0]
		for _, v := range vs[:n] {
			e.buf = binary.LittleEndian.AppendUint64(e.buf, math.Float64bits(v))
		}
		e.write(e.buf)
		vs = vs[n:]
	}
}

func (e *encoder) column(c *yearCol) {
	e.varint(int64(c.year))
	present := make([]int, 0, c.n)
	c.each(func(p int) bool {
		present = append(present, p)
		return true
	})
	e.uvarint(uint64(len(present)))
	if c.dense {
		e.write([]byte{kindDense})
		e.uvarint(uint64(len(c.vals)))
		e.floats(c.vals)
	} else {
		e.write([]byte{kindSparse})
		prev := int32(0)
		e.buf = e.buf[:0]
		for k, r := range c.at {
			d := r - prev
			if k == 0 {
				d = r
			}
			e.buf = binary.AppendUvarint(e.buf, uint64(d))
			prev = r
		}
		e.list()
		e.floats(c.vals)
	}
	if c.rows == nil {
		e.write([]byte{0})
	} else {
		e.write([]byte{1})
		e.buf = e.buf[:0]
		prev := int64(0)
		for _, p := range present {
			e.buf = binary.AppendVarint(e.buf, int64(c.rows[p])-prev)
			prev = int64(c.rows[p])
		}
		e.list()
	}
	for _, a := range []*attr{&c.src, &c.col} {
		if a.v == nil {
			e.write([]byte{0})
			e.uvarint(uint64(uint32(a.c)))
			continue
		}
		e.write([]byte{1})
		e.buf = e.buf[:0]
		for _, p := range present {
			e.buf = binary.AppendUvarint(e.buf, uint64(uint32(a.v[p])))
		}
		e.list()
	}
}

// errCorrupt is the message for a .agglo file that does not decode. The
// detail (what, in English: it names parts of the format) is given in
// the English message only.
func errCorrupt(what string, args ...any) error {
	d := fmt.Sprintf(what, args...)
	return &i18n.Error{Text: i18n.T("数据文件已损坏或不是 agglo 数据文件", "the data file is damaged or not an agglo data file ("+d+")")}
}

// Load reads a dataset written by Save. opts.Registry and opts.Catalogue
// are required, as for Read: regions keep the registry, and indicators
// that are not in the catalogue join a copy of it. A damaged, truncated or
// hostile file gives an error; an indicator whose unit differs from the
// catalogue's is refused (the file predates a change of the catalogue).
func Load(r io.Reader, opts ReadOptions) (*Dataset, error) {
	if opts.Registry == nil || opts.Catalogue == nil {
		return nil, errors.New("dataset.Load: registry and catalogue are required")
	}
	br := bufio.NewReaderSize(r, 1<<20)
	var head [16]byte
	if _, err := io.ReadFull(br, head[:]); err != nil {
		return nil, errCorrupt("header: %v", err)
	}
	if [8]byte(head[:8]) != binaryMagic {
		return nil, errCorrupt("no agglo signature")
	}
	if v := binary.LittleEndian.Uint32(head[8:]); v != binaryVersion {
		if v > binaryVersion {
			return nil, i18n.Errorf("数据文件是较新版本的 agglo 写的（格式版本 %d，本程序只能读版本 %d）：请更新 agglo", "the data file was written by a newer agglo (format version %d; this build reads version %d): update agglo", v, binaryVersion)
		}
		return nil, errCorrupt("format version %d", v)
	}
	if flags := binary.LittleEndian.Uint32(head[12:]); flags != 0 {
		return nil, errCorrupt("flags %#x", flags)
	}
	d := &decoder{r: br, crc: crc32.New(castagnoli)}
	ds, err := d.dataset(opts)
	if err != nil {
		return nil, err
	}
	want := d.crc.Sum32()
	var sum [4]byte
	if _, err := io.ReadFull(br, sum[:]); err != nil {
		return nil, errCorrupt("checksum: %v", err)
	}
	if binary.LittleEndian.Uint32(sum[:]) != want {
		return nil, errCorrupt("checksum mismatch")
	}
	if _, err := br.ReadByte(); err != io.EOF {
		return nil, errCorrupt("data after the end")
	}
	return ds, nil
}

type decoder struct {
	r   *bufio.Reader
	crc hash.Hash32
	buf []byte
	one [1]byte
	// list is the list being read (see beginList).
	list []byte
}

func (d *decoder) ReadByte() (byte, error) {
	b, err := d.r.ReadByte()
	if err == nil {
		d.one[0] = b
		d.crc.Write(d.one[:])
	}
	return b, err
}

// beginList reads a list of n varints into d.list.
func (d *decoder) beginList(what string, n int) error {
	size, err := d.uvarint(what, uint64(n)*binary.MaxVarintLen64)
	if err != nil {
		return err
	}
	b, err := d.bytes(what, int(size))
	if err != nil {
		return err
	}
	d.list = append(d.list[:0], b...)
	return nil
}

// listUvarint and listVarint take the next varint of the list.
func (d *decoder) listUvarint(what string, max uint64) (uint64, error) {
	v, k := binary.Uvarint(d.list)
	if k <= 0 {
		return 0, errCorrupt("%s: bad varint", what)
	}
	d.list = d.list[k:]
	if v > max {
		return 0, errCorrupt("%s: %d exceeds %d", what, v, max)
	}
	return v, nil
}

func (d *decoder) listVarint(what string) (int64, error) {
	v, k := binary.Varint(d.list)
	if k <= 0 {
		return 0, errCorrupt("%s: bad varint", what)
	}
	d.list = d.list[k:]
	return v, nil
}

// endList checks that the list was read to its end.
func (d *decoder) endList(what string) error {
	if len(d.list) != 0 {
		return errCorrupt("%s: %d bytes left over", what, len(d.list))
	}
	return nil
}

func (d *decoder) uvarint(what string, max uint64) (uint64, error) {
	v, err := binary.ReadUvarint(d)
	if err != nil {
		return 0, errCorrupt("%s: %v", what, err)
	}
	if v > max {
		return 0, errCorrupt("%s: %d exceeds %d", what, v, max)
	}
	return v, nil
}

func (d *decoder) varint(what string) (int64, error) {
	v, err := binary.ReadVarint(d)
	if err != nil {
		return 0, errCorrupt("%s: %v", what, err)
	}
	return v, nil
}

func (d *decoder) byte(what string) (byte, error) {
	b, err := d.ReadByte()
	if err != nil {
		return 0, errCorrupt("%s: %v", what, err)
	}
	return b, nil
}

// bytes reads n bytes, growing the buffer only as data arrive.
func (d *decoder) bytes(what string, n int) ([]byte, error) {
	d.buf = d.buf[:0]
	for len(d.buf) < n {
		k := min(n-len(d.buf), 1<<20)
		start := len(d.buf)
		d.buf = append(d.buf, make([]byte, k)...)
		if _, err := io.ReadFull(d.r, d.buf[start:]); err != nil {
			return nil, errCorrupt("%s: %v", what, err)
		}
	}
	d.crc.Write(d.buf)
	return d.buf, nil
}

// floats reads n float64 values.
func (d *decoder) floats(what string, n int) ([]float64, error) {
	out := make([]float64, 0, min(n, 1<<16))
	for len(out) < n {
		k := min(n-len(out), 1<<16)
		b, err := d.bytes(what, 8*k)
		if err != nil {
			return nil, err
		}
		for i := 0; i < k; i++ {
			out = append(out, math.Float64frombits(binary.LittleEndian.Uint64(b[8*i:])))
		}
	}
	return out, nil
}

func (d *decoder) dataset(opts ReadOptions) (*Dataset, error) {
	n, err := d.uvarint("meta length", maxMetaBytes)
	if err != nil {
		return nil, err
	}
	mb, err := d.bytes("meta", int(n))
	if err != nil {
		return nil, err
	}
	var meta binMeta
	if err := json.Unmarshal(mb, &meta); err != nil {
		return nil, errCorrupt("meta: %v", err)
	}
	ds := &Dataset{Name: meta.Name, Registry: opts.Registry, Catalogue: opts.Catalogue.clone(), FreeUnits: meta.FreeUnits, Sources: meta.Sources, Notes: meta.Notes}
	for _, r := range meta.Regions {
		reg := r.Region
		reg.Lon, reg.Lat = fromOpt(r.Lon), fromOpt(r.Lat)
		if _, dup := ds.RegionIndex(reg.Code); dup || reg.Code == "" {
			return nil, errCorrupt("region %q repeated or empty", clipped(reg.Code))
		}
		ds.addRegion(reg)
	}
	for _, ind := range meta.Indicators {
		if _, dup := ds.IndicatorIndex(ind.Code); dup || ind.Code == "" {
			return nil, errCorrupt("indicator %q repeated or empty", clipped(ind.Code))
		}
		if known, ok := ds.Catalogue.Lookup(ind.Code); ok {
			if known.Unit != ind.Unit {
				return nil, i18n.Errorf("数据文件中指标 %s 的单位是“%s”，指标目录中是“%s”：请从原始文件重新导入并保存", "indicator %s has unit %q in the data file but %q in the catalogue: import the original file again and save it", clipped(ind.Code), clipped(ind.Unit), known.Unit)
			}
			ds.addIndicator(*known)
			continue
		}
		if err := ds.Catalogue.add(ind); err != nil {
			return nil, errCorrupt("indicator %q: %v", clipped(ind.Code), err)
		}
		stored, _ := ds.Catalogue.Lookup(ind.Code)
		ds.addIndicator(*stored)
	}
	ds.Attributes = meta.Attributes
	for _, c := range meta.Checks {
		chk := c.Check
		chk.Published, chk.Derived, chk.Residual = fromOpt(c.Published), fromOpt(c.Derived), fromOpt(c.Residual)
		ds.Checks = append(ds.Checks, chk)
	}
	nr := len(ds.Regions)
	for i := range ds.Indicators {
		nc, err := d.uvarint("columns", 1<<20)
		if err != nil {
			return nil, err
		}
		prevYear := int64(math.MinInt64)
		for range nc {
			c, err := d.column(nr, len(ds.Sources))
			if err != nil {
				return nil, err
			}
			if int64(c.year) <= prevYear {
				return nil, errCorrupt("years of indicator %s out of order", clipped(ds.Indicators[i].Code))
			}
			prevYear = int64(c.year)
			ds.series[i] = append(ds.series[i], c)
		}
	}
	ds.refresh()
	return ds, nil
}

func (d *decoder) column(nRegions, nSources int) (*yearCol, error) {
	y, err := d.varint("year")
	if err != nil {
		return nil, err
	}
	if y < math.MinInt32 || y > math.MaxInt32 {
		return nil, errCorrupt("year %d", y)
	}
	n, err := d.uvarint("values", uint64(nRegions))
	if err != nil {
		return nil, err
	}
	kind, err := d.byte("kind")
	if err != nil {
		return nil, err
	}
	c := &yearCol{year: int32(y), n: int32(n)}
	var present []int
	switch kind {
	case kindDense:
		c.dense = true
		size, err := d.uvarint("size", uint64(nRegions))
		if err != nil {
			return nil, err
		}
		if c.vals, err = d.floats("values", int(size)); err != nil {
			return nil, err
		}
		present = make([]int, 0, n)
		for p, v := range c.vals {
			if math.IsNaN(v) {
				continue
			}
			if math.IsInf(v, 0) {
				return nil, errCorrupt("infinite value")
			}
			present = append(present, p)
		}
		if len(present) != int(n) {
			return nil, errCorrupt("%d values present, %d announced", len(present), n)
		}
	case kindSparse:
		c.at = make([]int32, 0, min(n, 1<<16))
		prev := int64(-1)
		if err := d.beginList("regions", int(n)); err != nil {
			return nil, err
		}
		for k := range n {
			gap, err := d.listUvarint("region", uint64(nRegions))
			if err != nil {
				return nil, err
			}
			r := int64(gap)
			if k > 0 {
				if gap == 0 {
					return nil, errCorrupt("regions out of order")
				}
				r = prev + int64(gap)
			}
			if r >= int64(nRegions) {
				return nil, errCorrupt("region %d of %d", r, nRegions)
			}
			c.at = append(c.at, int32(r))
			prev = r
		}
		if err := d.endList("regions"); err != nil {
			return nil, err
		}
		if c.vals, err = d.floats("values", int(n)); err != nil {
			return nil, err
		}
		for _, v := range c.vals {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, errCorrupt("value not finite")
			}
		}
		present = make([]int, n)
		for k := range present {
			present[k] = k
		}
	default:
		return nil, errCorrupt("column kind %d", kind)
	}
	mode, err := d.byte("rows")
	if err != nil {
		return nil, err
	}
	switch mode {
	case 0:
	case 1:
		c.rows = make([]int32, len(c.vals))
		prev := int64(0)
		if err := d.beginList("rows", len(present)); err != nil {
			return nil, err
		}
		for _, p := range present {
			dv, err := d.listVarint("row")
			if err != nil {
				return nil, err
			}
			row := prev + dv
			if row < 0 || row > math.MaxInt32 {
				return nil, errCorrupt("row %d", row)
			}
			c.rows[p] = int32(row)
			prev = row
		}
		if err := d.endList("rows"); err != nil {
			return nil, err
		}
	default:
		return nil, errCorrupt("rows mode %d", mode)
	}
	for ai, a := range []*attr{&c.src, &c.col} {
		max := uint64(math.MaxInt32)
		if ai == 0 {
			if nSources == 0 {
				max = 0
			} else {
				max = uint64(nSources - 1)
			}
		}
		mode, err := d.byte("provenance")
		if err != nil {
			return nil, err
		}
		switch mode {
		case 0:
			v, err := d.uvarint("provenance", max)
			if err != nil {
				return nil, err
			}
			a.c = int32(v)
		case 1:
			a.v = make([]int32, len(c.vals))
			if err := d.beginList("provenance", len(present)); err != nil {
				return nil, err
			}
			for _, p := range present {
				v, err := d.listUvarint("provenance", max)
				if err != nil {
					return nil, err
				}
				a.v[p] = int32(v)
			}
			if err := d.endList("provenance"); err != nil {
				return nil, err
			}
		default:
			return nil, errCorrupt("provenance mode %d", mode)
		}
	}
	return c, nil
}
