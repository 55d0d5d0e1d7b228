package dataset

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"

	"agglo/internal/i18n"
)

// slotKey is an indicator name and unit as a part of a long table first
// meets them.
type slotKey struct {
	name, nameZH, nameEN, unit string
	row, col                   int
	header                     string
}

// group is the values of one indicator slot in one year within a part.
type group struct {
	slot, year int32
}

// yearGroup finds a slot's group of one year.
type yearGroup struct{ year, gid int32 }

// part is what one worker makes of a run of rows. Regions, indicator slots
// (long layout), sources and groups are numbered within the part; absorb
// maps them to the importer's numbers.
type part struct {
	seq int
	// Numbered within the part.
	keys    []regionKey
	slots   []slotKey
	sources []string
	groups  []group
	// e holds the values in file order: value, region key, group, file
	// row and source (1 + index in sources; 0 for the file itself).
	e          *entries
	groupCount []int32 // values per group
	// Problems, in row order; issueSlot[i] is the part's slot of a value
	// problem (long layout), or -1.
	issues    []Issue
	issueSlot []int32
	more      int
	missing   int
	nrows     int
	cells     int64
	ragged    []int
	raggedN   int
	// texts are the cells of wide indicator columns that hold text, not a
	// number; numeric counts each column's numbers. Absorb and finish
	// decide whether a column is a categorical attribute (text only) or
	// has malformed numbers.
	texts   []textCell
	numeric []int32
	// coords are the coordinates of wide tables' rows.
	coords []coordCell
	// converted says that the values are converted and checked already
	// (addValue).
	converted bool
	// globalSlots says that the part's slots are the importer's.
	globalSlots bool
	// stop says that reading ended in this part: a syntax error, too many
	// problems or a fatal error (err).
	stop bool
	err  error
	// Set by absorb: the importer's numbers of the part's regions and
	// sources.
	keyMap, srcMap []int32

	// Lookups used while the part is read, dropped by dropWork.
	keyIdx     map[string]int32
	slotIdx    map[string]int32
	srcIdx     map[string]int32
	slotYears  [][]yearGroup
	file       string
	sheet      string
	lastKey    int32
	lastCode   []byte
	lastName   []byte
	lastParent []byte
	lastSlot   int32
	lastInd    []byte
	lastUnit   []byte
	lastSrc    int32
	lastSource []byte
	kb         []byte
	// The previous row's cells as read, for longSimple.
	rawRegion, rawInd, rawEN, rawUnit, rawSource []byte
	lastYears                                    []int32 // per slot: index in slotYears of the last year found
}

// entries are the values of a part in file order.
type entries struct {
	vals                   []float64
	keys, gids, rows, srcs []int32
}

func (e *entries) reset() {
	e.vals, e.keys, e.gids, e.rows, e.srcs = e.vals[:0], e.keys[:0], e.gids[:0], e.rows[:0], e.srcs[:0]
}

// newPart makes a part that collects its values in e (reset; a new one
// when nil).
func newPart(seq int, file, sheet string, e *entries) *part {
	if e == nil {
		e = &entries{}
	}
	e.reset()
	return &part{seq: seq, file: file, sheet: sheet, keyIdx: map[string]int32{}, slotIdx: map[string]int32{}, srcIdx: map[string]int32{},
		lastKey: -1, lastSlot: -1, lastSrc: -1, e: e}
}

// dropWork releases what only reading needed.
func (p *part) dropWork() {
	p.keyIdx, p.slotIdx, p.srcIdx, p.slotYears, p.lastYears = nil, nil, nil, nil, nil
	p.lastCode, p.lastName, p.lastParent, p.lastInd, p.lastUnit, p.lastSource, p.kb = nil, nil, nil, nil, nil, nil, nil
	p.rawRegion, p.rawInd, p.rawEN, p.rawUnit, p.rawSource = nil, nil, nil, nil, nil
	p.issues, p.issueSlot, p.slots, p.sources, p.ragged = nil, nil, nil, nil, nil
}

func (p *part) issue(row, col int, header string, t i18n.Text, slot int32) {
	if len(p.issues) >= maxIssues {
		p.more++
		return
	}
	p.issues = append(p.issues, Issue{File: p.file, Sheet: p.sheet, Row: row, Col: col, Column: clipped(header), Text: t})
	p.issueSlot = append(p.issueSlot, slot)
}

// full reports whether the part has as many problems as an import lists.
func (p *part) full() bool { return len(p.issues) >= maxIssues }

// fail ends reading with a problem located at row (a syntax error, a
// limit).
func (p *part) fail(row int, t i18n.Text) {
	p.issue(row, 0, "", t, -1)
	p.stop = true
}

// trim removes leading and trailing white space (Unicode's, as
// strings.TrimSpace does) without allocating.
func trim(b []byte) []byte {
	if len(b) == 0 {
		return b
	}
	// Most cells start and end with a printable ASCII character.
	if f, l := b[0], b[len(b)-1]; f > ' ' && f < utf8.RuneSelf && l > ' ' && l < utf8.RuneSelf {
		return b
	}
	for len(b) > 0 {
		if c := b[0]; c < utf8.RuneSelf {
			if !asciiSpace(c) {
				break
			}
			b = b[1:]
			continue
		}
		r, n := utf8.DecodeRune(b)
		if !unicode.IsSpace(r) {
			break
		}
		b = b[n:]
	}
	for len(b) > 0 {
		if c := b[len(b)-1]; c < utf8.RuneSelf {
			if !asciiSpace(c) {
				break
			}
			b = b[:len(b)-1]
			continue
		}
		r, n := utf8.DecodeLastRune(b)
		if !unicode.IsSpace(r) {
			break
		}
		b = b[:len(b)-n]
	}
	return b
}

func asciiSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

// cells are the cells of one row as read: cell i is
// buf[bounds[2i]:bounds[2i+1]]. Offsets rather than slices, so that
// recording a cell stores no pointer.
type cells struct {
	buf    []byte
	bounds []int
}

// n returns the number of cells.
func (c *cells) n() int { return len(c.bounds) / 2 }

// raw returns cell i as read, or nil beyond the row.
func (c *cells) raw(i int) []byte {
	if i >= 0 && 2*i+1 < len(c.bounds) {
		return c.buf[c.bounds[2*i]:c.bounds[2*i+1]]
	}
	return nil
}

// at returns cell i trimmed, or nil beyond the row.
func (c *cells) at(i int) []byte { return trim(c.raw(i)) }

// text returns text cell i of rec trimmed (a region, an indicator's name
// or unit, a source), without the quote of agglo's formula guard in a CSV
// file (see unquote).
func (lay *layout) text(rec *cells, i int) []byte { return lay.unquote(rec.at(i)) }

// unquote is unquote in a CSV file; an XLSX cell is kept as it is.
func (lay *layout) unquote(b []byte) []byte {
	if !lay.csv {
		return b
	}
	return unquote(b)
}

// blank reports whether every cell is empty or white space.
func (c *cells) blank() bool {
	for i := 0; i < c.n(); i++ {
		if len(c.at(i)) > 0 {
			return false
		}
	}
	return true
}

// setStrings makes the cells of a row given as strings, copying them into
// the cells' buffer.
func (c *cells) setStrings(row []string) {
	c.buf, c.bounds = c.buf[:0], c.bounds[:0]
	for _, s := range row {
		c.bounds = append(c.bounds, len(c.buf))
		c.buf = append(c.buf, s...)
		c.bounds = append(c.bounds, len(c.buf))
	}
}

// strings returns the cells as strings.
func (c *cells) strings() []string {
	out := make([]string, c.n())
	for i := range out {
		out[i] = string(c.raw(i))
	}
	return out
}

// record reads one row of the table (not the header): rec are its cells
// as read, row its 1-based row number.
func (p *part) record(lay *layout, rec *cells, row int) {
	if rec.blank() {
		return
	}
	p.nrows++
	if lay.csv && rec.n() < lay.nHeader {
		if lay.strict {
			p.issue(row, 0, "", i18n.Tf("此行只有 %d 个单元格，表头有 %d 个", "the row has %d cells but the header has %d", rec.n(), lay.nHeader), -1)
			return
		}
		if len(p.ragged) < maxRaggedListed {
			p.ragged = append(p.ragged, row)
		}
		p.raggedN++
	}
	if rec.n() > len(lay.cols) || lay.anyHeaderless {
		p.checkHeaderless(lay, rec, row)
	}
	switch {
	case lay.simple:
		p.longSimple(lay, rec, row)
	case lay.long:
		p.longRecord(lay, rec, row)
	default:
		p.wideRecord(lay, rec, row)
	}
}

// checkHeaderless rejects a value in a column without a header (beyond the
// header's last column, or under an empty header cell such as the second
// half of a merged header): it would otherwise be dropped silently. Blank
// cells there are fine (spreadsheets often export trailing empty columns).
func (p *part) checkHeaderless(lay *layout, rec *cells, row int) {
	for i := 0; i < rec.n(); i++ {
		if i < len(lay.cols) && !lay.headerless[i] {
			continue
		}
		if t := rec.at(i); len(t) > 0 {
			p.issue(row, i+1, "", cellTf("此列没有表头，却有数值“%s”（请补上表头或删除该列）", "a value %q in a column without a header (add a header or delete the column)", string(t)), -1)
			return
		}
	}
}

// regionOf returns the part's key of the row's region, or -1 after
// recording a problem.
func (p *part) regionOf(lay *layout, rec *cells, row int) int32 {
	var code, name, parent []byte
	var level Level
	codeCol, nameCol := -1, -1
	for _, i := range lay.regionCols {
		c := &lay.cols[i]
		switch c.role {
		case roleRegionCode:
			if len(code) == 0 {
				code, codeCol = lay.text(rec, i), i
				if c.level != "" {
					level = c.level
				}
			}
		case roleRegionName:
			if len(name) == 0 {
				name, nameCol = lay.text(rec, i), i
				if c.level != "" && level == "" {
					level = c.level
				}
			}
		case roleParentCode, roleParentName:
			if len(parent) == 0 {
				parent = lay.text(rec, i)
			}
		}
	}
	if len(code) == 0 && len(name) == 0 {
		col, h := codeCol, ""
		if col < 0 {
			col = nameCol
		}
		if col >= 0 {
			h = lay.cols[col].header
		}
		p.issue(row, col+1, h, i18n.T("地区为空", "empty region"), -1)
		return -1
	}
	if p.lastKey >= 0 && bytes.Equal(code, p.lastCode) && bytes.Equal(name, p.lastName) && bytes.Equal(parent, p.lastParent) {
		return p.lastKey
	}
	for _, f := range []struct {
		v   []byte
		col int
	}{{code, codeCol}, {name, nameCol}} {
		if r, bad := invisible(f.v); bad {
			h := ""
			if f.col >= 0 {
				h = lay.cols[f.col].header
			}
			p.issue(row, f.col+1, h, cellTf("地区“%s”含有不可见或改变文字方向的字符 U+%04X", "region %q contains an invisible or direction-changing character U+%04X", string(f.v), r), -1)
			return -1
		}
	}
	b := append(p.kb[:0], code...)
	b = append(b, 0)
	b = append(b, name...)
	b = append(b, 0)
	b = append(b, parent...)
	p.kb = b
	k, ok := p.keyIdx[string(b)]
	if !ok {
		col := codeCol
		if len(code) == 0 {
			col = nameCol
		}
		p.keys = append(p.keys, regionKey{code: string(code), name: string(name), parent: string(parent), level: level, firstRow: row, firstCol: col + 1})
		k = int32(len(p.keys) - 1)
		p.keyIdx[string(b)] = k
	}
	p.lastKey = k
	p.lastCode = append(p.lastCode[:0], code...)
	p.lastName = append(p.lastName[:0], name...)
	p.lastParent = append(p.lastParent[:0], parent...)
	return k
}

func (p *part) yearOf(lay *layout, rec *cells, row int) (int, bool) {
	if lay.yearCol < 0 {
		return lay.defaultYear, true
	}
	c := &lay.cols[lay.yearCol]
	s := rec.at(lay.yearCol)
	if len(s) == 0 {
		p.issue(row, lay.yearCol+1, c.header, i18n.T("年份为空", "empty year"), -1)
		return 0, false
	}
	y, ok := parseYearBytes(s)
	if !ok {
		p.issue(row, lay.yearCol+1, c.header, cellTf("年份格式错误“%s”", "malformed year %q", string(s)), -1)
		return 0, false
	}
	return y, true
}

// gid returns the part's group of a slot and year.
func (p *part) gid(slot int32, year int) int32 {
	for int(slot) >= len(p.slotYears) {
		p.slotYears = append(p.slotYears, nil)
		p.lastYears = append(p.lastYears, 0)
	}
	ys := p.slotYears[slot]
	// Years usually come in order: try the one after the last first.
	if l := int(p.lastYears[slot]); l+1 < len(ys) && ys[l+1].year == int32(year) {
		p.lastYears[slot] = int32(l + 1)
		return ys[l+1].gid
	}
	for i, yg := range ys {
		if yg.year == int32(year) {
			p.lastYears[slot] = int32(i)
			return yg.gid
		}
	}
	p.lastYears[slot] = int32(len(ys))
	g := int32(len(p.groups))
	p.groups = append(p.groups, group{slot: slot, year: int32(year)})
	p.groupCount = append(p.groupCount, 0)
	p.slotYears[slot] = append(ys, yearGroup{year: int32(year), gid: g})
	return g
}

// add records one value.
func (p *part) add(key, gid int32, v float64, row int, src int32) {
	e := p.e
	e.vals = append(e.vals, v)
	e.keys = append(e.keys, key)
	e.gids = append(e.gids, gid)
	e.rows = append(e.rows, int32(row))
	e.srcs = append(e.srcs, src)
	p.groupCount[gid]++
}

func (p *part) wideRecord(lay *layout, rec *cells, row int) {
	k := p.regionOf(lay, rec, row)
	year, ok := p.yearOf(lay, rec, row)
	if k < 0 || !ok {
		return
	}
	if lay.lonCol >= 0 || lay.latCol >= 0 {
		p.coordinates(lay, rec, row, k)
	}
	for _, i := range lay.attrCols {
		if cell := bytes.TrimSpace(lay.text(rec, i)); len(cell) > 0 {
			p.texts = append(p.texts, textCell{col: int32(i), row: int32(row), key: k, text: string(cell)})
		}
	}
	for _, i := range lay.wideCols {
		cell := rec.at(i)
		v, present, problem := lay.nf.parseValue(cell)
		if problem != nil {
			if lay.textOK != nil && lay.textOK[i] && isLabel(cell) {
				p.texts = append(p.texts, textCell{col: int32(i), row: int32(row), key: k, text: string(cell), problem: *problem})
				continue
			}
			p.issue(row, i+1, lay.cols[i].header, *problem, -1)
			continue
		}
		if !present {
			p.missing++
			continue
		}
		if p.numeric == nil {
			p.numeric = make([]int32, len(lay.cols))
		}
		p.numeric[i]++
		y := year
		if lay.cols[i].year != 0 {
			y = lay.cols[i].year
		}
		p.add(k, p.gid(int32(i), y), v, row, 0)
	}
}

// longSimple is longRecord for a table with one column of each role: a
// cell the same as the row before, as read, means the same as before, so
// that runs of one region, indicator, unit or source are neither trimmed
// nor looked up again.
func (p *part) longSimple(lay *layout, rec *cells, row int) {
	rRegion := rec.raw(lay.sRegion)
	rInd, rEN, rUnit := rec.raw(lay.sInd), rec.raw(lay.sEN), rec.raw(lay.sUnit)
	rSrc := rec.raw(lay.sSource)
	sameRegion := p.lastKey >= 0 && bytes.Equal(rRegion, p.rawRegion)
	sameInd := p.lastSlot >= 0 && bytes.Equal(rInd, p.rawInd) && bytes.Equal(rUnit, p.rawUnit) && bytes.Equal(rEN, p.rawEN)
	sameSrc := lay.sSource >= 0 && p.lastSrc >= 0 && bytes.Equal(rSrc, p.rawSource)
	// The block was not checked for valid UTF-8 as a whole: check each
	// cell here, except those equal to the row before's, and the year and
	// value, which are checked only when they do not read as numbers.
	if !(sameRegion && sameInd && (sameSrc || lay.sSource < 0) && rec.n() <= lay.nRoles) {
		for i := 0; i < rec.n(); i++ {
			switch {
			case i == lay.sYear || i == lay.sValue,
				i == lay.sRegion && sameRegion,
				(i == lay.sInd || i == lay.sEN || i == lay.sUnit) && sameInd,
				i == lay.sSource && sameSrc:
				continue
			}
			if c := rec.raw(i); !isASCII(c) && !utf8.Valid(c) {
				p.fail(row, textOf(invalidUTF8(row)))
				return
			}
		}
	}
	k := p.lastKey
	if !sameRegion {
		k = p.regionOf(lay, rec, row)
		if k >= 0 {
			p.rawRegion = append(p.rawRegion[:0], rRegion...)
		}
	}
	yc := rec.at(lay.sYear)
	year, ok := parseYearBytes(yc)
	if !ok {
		if !utf8.Valid(yc) {
			p.fail(row, textOf(invalidUTF8(row)))
			return
		}
		year, ok = p.yearOf(lay, rec, row)
	}
	if k < 0 || !ok {
		return
	}
	slot := p.lastSlot
	if !sameInd {
		indName, indEN, unit := lay.unquote(trim(rInd)), lay.unquote(trim(rEN)), lay.unquote(trim(rUnit))
		if len(indName) == 0 {
			indName = indEN
		}
		if len(indName) == 0 {
			p.issue(row, lay.sInd+1, lay.cols[lay.sInd].header, i18n.T("指标为空", "empty indicator"), -1)
			return
		}
		slot = p.slotOf(lay, indName, nil, indEN, unit, row, lay.sInd+1)
		p.rawInd = append(p.rawInd[:0], rInd...)
		p.rawEN = append(p.rawEN[:0], rEN...)
		p.rawUnit = append(p.rawUnit[:0], rUnit...)
	}
	vc := rec.at(lay.sValue)
	v, present, problem := lay.nf.parseValue(vc)
	if problem != nil {
		if !utf8.Valid(vc) {
			p.fail(row, textOf(invalidUTF8(row)))
			return
		}
		p.issue(row, lay.sValue+1, lay.cols[lay.sValue].header, *problem, slot)
		return
	}
	if !present {
		p.missing++
		return
	}
	src := int32(0)
	if sameSrc {
		src = p.lastSrc
	} else if source := lay.unquote(trim(rSrc)); len(source) > 0 {
		src = p.sourceOf(source)
		p.rawSource = append(p.rawSource[:0], rSrc...)
	}
	p.add(k, p.gid(slot, year), v, row, src)
}

// isASCII reports whether b holds only ASCII bytes.
func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// slotOf returns the part's slot of an indicator name and unit.
func (p *part) slotOf(lay *layout, indName, indZH, indEN, unit []byte, row, indCol int) int32 {
	if p.lastSlot >= 0 && bytes.Equal(indName, p.lastInd) && bytes.Equal(unit, p.lastUnit) {
		return p.lastSlot
	}
	b := append(append(append(p.kb[:0], indName...), 0), unit...)
	p.kb = b
	s, seen := p.slotIdx[string(b)]
	if !seen {
		p.slots = append(p.slots, slotKey{name: string(indName), nameZH: string(indZH), nameEN: string(indEN), unit: string(unit), row: row, col: indCol, header: lay.cols[indCol-1].header})
		s = int32(len(p.slots) - 1)
		p.slotIdx[string(b)] = s
	}
	p.lastSlot = s
	p.lastInd = append(p.lastInd[:0], indName...)
	p.lastUnit = append(p.lastUnit[:0], unit...)
	return s
}

// sourceOf returns the part's number of a source text (1 + its index).
func (p *part) sourceOf(source []byte) int32 {
	if p.lastSrc >= 0 && bytes.Equal(source, p.lastSource) {
		return p.lastSrc
	}
	s, ok := p.srcIdx[string(source)]
	if !ok {
		p.sources = append(p.sources, string(source))
		s = int32(len(p.sources))
		p.srcIdx[string(source)] = s
	}
	p.lastSrc = s
	p.lastSource = append(p.lastSource[:0], source...)
	return s
}

func (p *part) longRecord(lay *layout, rec *cells, row int) {
	var indName, indZH, indEN, unit, value, source []byte
	indCol, valCol := 0, 0
	for _, i := range lay.indNameCols {
		if len(indName) == 0 {
			indName, indCol = lay.text(rec, i), i+1
		}
	}
	for _, i := range lay.indZHCols {
		if len(indZH) == 0 {
			indZH = lay.text(rec, i)
		}
	}
	for _, i := range lay.indENCols {
		indEN = lay.text(rec, i)
	}
	for _, i := range lay.unitCols {
		unit = lay.text(rec, i)
	}
	for _, i := range lay.valueCols {
		value, valCol = rec.at(i), i+1
	}
	for _, i := range lay.srcCol {
		if len(source) == 0 {
			source = lay.text(rec, i)
		}
	}
	k := p.regionOf(lay, rec, row)
	year, ok := p.yearOf(lay, rec, row)
	if k < 0 || !ok {
		return
	}
	if len(indName) == 0 {
		indName = indEN
	}
	if len(indName) == 0 {
		p.issue(row, indCol, lay.cols[indCol-1].header, i18n.T("指标为空", "empty indicator"), -1)
		return
	}
	slot := p.slotOf(lay, indName, indZH, indEN, unit, row, indCol)
	v, present, problem := lay.nf.parseValue(value)
	if problem != nil {
		p.issue(row, valCol, lay.cols[valCol-1].header, *problem, slot)
		return
	}
	if !present {
		p.missing++
		return
	}
	src := int32(0)
	if len(source) > 0 {
		src = p.sourceOf(source)
	}
	p.add(k, p.gid(slot, year), v, row, src)
}

// textCell is a text cell of a wide indicator column: an attribute of the
// unit when its whole column is text, a malformed number otherwise.
type textCell struct {
	col, row, key int32
	text          string
	problem       i18n.Text
}

// isLabel reports whether a cell that is not a number reads as a text
// label: it starts with a letter (东部, BTH, Tier 1) and is not NaN or
// infinity. Malformed numbers (12a, 1e999, 0x1A, 3,14) stay errors.
func isLabel(b []byte) bool {
	r, _ := utf8.DecodeRune(b)
	if !unicode.IsLetter(r) {
		return false
	}
	return !notFinite[strings.ToLower(strings.TrimSpace(string(b)))]
}

// coordCell is a unit's coordinates as one row of a wide table gives them.
type coordCell struct {
	key, row int32
	lon, lat float64
}

// coordinates reads a row's longitude and latitude: both or neither, as
// numbers within ±180 and ±90 degrees.
func (p *part) coordinates(lay *layout, rec *cells, row int, k int32) {
	var v [2]float64
	var present [2]bool
	for j, c := range [2]int{lay.lonCol, lay.latCol} {
		if c < 0 {
			continue
		}
		x, ok, problem := lay.nf.parseValue(rec.at(c))
		if problem != nil {
			p.issue(row, c+1, lay.cols[c].header, *problem, -1)
			return
		}
		limit := 180.0
		if j == 1 {
			limit = 90
		}
		if ok && (x < -limit || x > limit) {
			p.issue(row, c+1, lay.cols[c].header, i18n.Tf("坐标 %g 超出 ±%g 度", "coordinate %g is beyond ±%g degrees", x, limit), -1)
			return
		}
		v[j], present[j] = x, ok
	}
	if present[0] != present[1] {
		c := lay.lonCol
		if present[0] {
			c = lay.latCol
		}
		if c < 0 {
			p.issue(row, 0, "", i18n.T("只有经度或纬度一列：坐标需要经度和纬度两列", "only one of longitude and latitude: coordinates need both columns"), -1)
			return
		}
		p.issue(row, c+1, lay.cols[c].header, i18n.T("坐标缺少经度或纬度", "the coordinates lack the longitude or the latitude"), -1)
		return
	}
	if present[0] {
		p.coords = append(p.coords, coordCell{key: k, row: int32(row), lon: v[0], lat: v[1]})
	}
}
