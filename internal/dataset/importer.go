package dataset

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"

	"agglo/internal/i18n"
)

// An import runs in three steps. The header row is analysed once (layout).
// The data rows are read in parts, by several workers for a CSV file: each
// part records, with numbering of its own, the distinct regions, indicators
// and sources it meets and its values (part, rows.go). The importer then
// takes the parts in file order, matching their regions, indicators and
// sources with those seen before (absorb), so that numbering and messages
// are the same as for one reader going through the file. At the end it
// resolves the regions against the registry and writes the values into
// columns (finish), refusing duplicates. Text cells of a CSV file are
// read without the quote of agglo's formula guard (layout.text; see
// ReadFile).

// regionKey is one distinct (code, name, parent hint) seen in the file,
// resolved against the registry after all rows are read.
type regionKey struct {
	code, name, parent string
	level              Level // level named by the header
	firstRow           int
	// firstCol is the 1-based column of the code in firstRow, or of the
	// name when the row has no code.
	firstCol   int
	candidates []*Region
}

// indicatorSlot is an indicator column (wide) or an indicator name and
// unit (long), matched against the catalogue.
type indicatorSlot struct {
	idx    int32   // index in ds.Indicators
	factor float64 // unit conversion into the catalogue unit
	domain string
	unit   string
	col    int32  // file column of its values (1-based)
	header string // that column's header
	// user is true for an indicator the file defines (not in the
	// catalogue).
	user bool
}

// layout is what the header row says about the table. Workers share it
// read-only.
type layout struct {
	csv     bool
	cols    []column
	long    bool
	nHeader int
	// Column indices by role, in column order.
	regionCols                                          []int
	yearCol                                             int // -1: none
	indNameCols, indENCols, unitCols, valueCols, srcCol []int
	// indZHCols are columns of indicators' Chinese names beside their
	// codes (roleIndicatorZH).
	indZHCols []int
	// wide[i] is the importer's slot of indicator column i, or -1.
	wide []int32
	// lonCol and latCol are a wide table's coordinate columns (-1: none).
	lonCol, latCol int
	// attrCols are province name columns beside the region column in a
	// wide table: matching hints and text attributes of the units.
	attrCols []int
	// textOK[i] says that column i may be a text column (an indicator of
	// the file's own, without a unit); nil when none may.
	textOK     []bool
	wideCols   []int
	headerless []bool
	// anyHeaderless: some column within the header has no header.
	anyHeaderless bool
	// simple: a long table with one column of each role (-1: none), read
	// by longSimple.
	simple                                            bool
	sRegion, sInd, sEN, sUnit, sValue, sSource, sYear int
	// nRoles is the number of columns, all with one of these roles, or -1
	// when some column has another role.
	nRoles      int
	defaultYear int
	nf          numberFormat
	strict      bool
}

func newLayout(cols []column, long bool, opts ReadOptions, isCSV bool) *layout {
	lay := &layout{csv: isCSV, cols: cols, long: long, nHeader: len(cols), yearCol: -1, lonCol: -1, latCol: -1, defaultYear: opts.Year,
		nf: numberFormat{decimalComma: opts.DecimalComma, csv: isCSV}, strict: opts.Strict}
	lay.headerless = make([]bool, len(cols))
	for i, c := range cols {
		lay.headerless[i] = c.header == "" && c.role == roleIgnore
		lay.anyHeaderless = lay.anyHeaderless || lay.headerless[i]
		switch c.role {
		case roleRegionCode, roleRegionName, roleParentCode, roleParentName:
			lay.regionCols = append(lay.regionCols, i)
			if c.role == roleParentName && !long {
				lay.attrCols = append(lay.attrCols, i)
			}
		case roleYear:
			if lay.yearCol < 0 {
				lay.yearCol = i
			}
		case roleLon:
			lay.lonCol = i
		case roleLat:
			lay.latCol = i
		case roleIndicatorName:
			lay.indNameCols = append(lay.indNameCols, i)
		case roleIndicatorEN:
			lay.indENCols = append(lay.indENCols, i)
		case roleIndicatorZH:
			lay.indZHCols = append(lay.indZHCols, i)
		case roleUnit:
			lay.unitCols = append(lay.unitCols, i)
		case roleValue:
			lay.valueCols = append(lay.valueCols, i)
		case roleSource:
			lay.srcCol = append(lay.srcCol, i)
		}
	}
	one := func(l []int) (int, bool) {
		switch len(l) {
		case 0:
			return -1, true
		case 1:
			return l[0], true
		}
		return -1, false
	}
	var ok [6]bool
	lay.sInd, ok[0] = one(lay.indNameCols)
	lay.sEN, ok[1] = one(lay.indENCols)
	lay.sUnit, ok[2] = one(lay.unitCols)
	lay.sValue, ok[3] = one(lay.valueCols)
	lay.sSource, ok[4] = one(lay.srcCol)
	lay.sRegion, ok[5] = one(lay.regionCols)
	lay.sYear = lay.yearCol
	lay.simple = long && ok == [6]bool{true, true, true, true, true, true} && lay.sInd >= 0 && lay.sValue >= 0 && lay.sRegion >= 0 && lay.sYear >= 0 &&
		len(lay.indZHCols) == 0
	for _, c := range []int{lay.sRegion, lay.sInd, lay.sEN, lay.sUnit, lay.sValue, lay.sSource, lay.sYear} {
		if c >= 0 {
			lay.nRoles++
		}
	}
	// Extra columns (ignored ones) are checked cell by cell in longSimple.
	if lay.nRoles != len(cols) {
		lay.nRoles = -1
	}
	if lay.simple {
		switch cols[lay.sRegion].role {
		case roleRegionCode, roleRegionName:
		default:
			lay.simple = false
		}
	}
	return lay
}

type importer struct {
	ctx         context.Context
	file, sheet string
	opts        ReadOptions
	ds          *Dataset
	lay         *layout
	iss         issues
	keys        []regionKey
	keyIdx      map[string]int32
	slots       []*indicatorSlot // nil where the indicator could not be matched
	slotIdx     map[string]int32 // long layout: name + "\x00" + unit
	srcIdx      map[string]int32
	colIdx      [][]yearColumn // per indicator: its columns' years and numbers
	cols        []*colBuild
	start, next []int32 // reused by absorb
	perm        []int32
	dups        []dupValue // duplicates of one region key, reported once regions are known
	scratch     chan *entries
	nparts      int
	missing     int
	rows        int
	cells       int64
	ragged      []int
	raggedN     int
	// texts and numeric collect the parts' text cells and number counts
	// of wide indicator columns (see part.texts).
	texts   []textCell
	numeric []int64
	coords  []coordCell
	// deferred are unit problems that count unless the regions are free
	// units (deferUnit).
	deferred []deferredUnit
}

func newImporter(file, sheet string, opts ReadOptions) *importer {
	ds := &Dataset{Name: file, Registry: opts.Registry, Catalogue: opts.Catalogue.clone()}
	kind := Imported
	if opts.Published {
		kind = Published
	}
	ds.Sources = []Source{{Kind: kind, Ref: file, File: file, Sheet: sheet}}
	return &importer{ctx: context.Background(), file: file, sheet: sheet, opts: opts, ds: ds, keyIdx: map[string]int32{}, slotIdx: map[string]int32{},
		srcIdx: map[string]int32{}}
}

func (im *importer) issue(row, col int, header string, t i18n.Text) {
	im.iss.add(Issue{File: im.file, Sheet: im.sheet, Row: row, Col: col, Column: clipped(header), Text: t})
}

// regionIssue records a problem of a region key at the row and column
// where it first appears.
func (im *importer) regionIssue(k *regionKey, t i18n.Text) {
	h := ""
	if k.firstCol > 0 {
		h = im.lay.cols[k.firstCol-1].header
	}
	im.issue(k.firstRow, k.firstCol, h, t)
}

// full reports whether enough problems were found to stop reading.
func (im *importer) full() bool { return len(im.iss.list) >= maxIssues }

// err returns the problems found as an *ImportError, or nil.
func (im *importer) err() error { return im.iss.err(im.file) }

// header analyses the header row and prepares the layout; it returns an
// *ImportError when the header is unusable.
func (im *importer) header(header []string, headerRow int, isCSV bool) error {
	if isCSV {
		header = unquoteHeader(header)
	}
	for i, h := range header {
		if r, bad := invisible([]byte(strings.TrimPrefix(h, "\ufeff"))); bad {
			im.issue(headerRow, i+1, h, i18n.Tf("表头含有不可见或改变文字方向的字符 U+%04X", "the header contains an invisible or direction-changing character U+%04X", r))
		}
	}
	cols, long, found := classifyWith(header, im.opts.RegionCol)
	if !found {
		im.issue(headerRow, 0, "", i18n.Tf("表头中没有 --region-col 指定的列“%s”（表头：%s）", "no column %q (--region-col) in the header (headers: %s)", clipped(im.opts.RegionCol), clipped(strings.Join(header, ", "))))
		return im.err()
	}
	if h, ok := provinceOnlyRegion(cols); ok && im.opts.RegionCol == "" {
		im.ds.Notes = append(im.ds.Notes, Issue{File: im.file, Sheet: im.sheet, Column: h, Text: i18n.Tf("以“%s”列为地区列（按省级单位匹配）；若地区在另一列，请用 --region-col 指定", "the column %q is taken as the region column (matched as provinces); if the regions are in another column, name it with --region-col", h)})
	}
	im.checkHeader(cols, long, headerRow)
	if err := im.err(); err != nil {
		return err
	}
	im.lay = newLayout(cols, long, im.opts, isCSV)
	if !long {
		// The indicator columns are counted before any is matched.
		names := map[string]bool{}
		for _, c := range cols {
			if c.role != roleIndicator || names[c.name] {
				continue
			}
			if names[c.name] = true; len(names) > im.opts.Limits.MaxIndicators {
				return fileError(im.file, im.sheet, limitError("第%d行第%d列（%s）：文件的指标超过 %d 个的上限", "row %d, column %d (%s): the file names more than %d indicators, over the limit", "--max-indicators",
					headerRow, c.index+1, clipped(c.header), im.opts.Limits.MaxIndicators))
			}
		}
		im.wideSlots(headerRow)
		if err := im.err(); err != nil {
			return err
		}
	}
	return nil
}

func (im *importer) checkHeader(cols []column, long bool, row int) {
	hasRegion := false
	seen := map[string]int{}
	for _, c := range cols {
		if c.role == roleRegionCode || c.role == roleRegionName {
			hasRegion = true
		}
		if c.header != "" {
			if prev, dup := seen[c.header]; dup && c.role != roleIgnore {
				im.issue(row, c.index+1, c.header, i18n.Tf("表头重复（与第%d列相同）", "duplicate header (same as column %d)", prev+1))
			}
			seen[c.header] = c.index
		}
	}
	if !hasRegion {
		im.issue(row, 0, "", i18n.T("缺少地区列（如“地区”“region”“code”）", "missing a region column (such as 地区, region or code)"))
	}
	if long {
		if !has(cols, roleYear) {
			im.issue(row, 0, "", i18n.T("长表缺少年份列（“年份”或“year”）", "long table without a year column (年份 or year)"))
		}
	} else if !has(cols, roleIndicator) {
		im.issue(row, 0, "", i18n.T("没有指标列：宽表需要至少一个指标列，长表需要“指标”和“数值”列", "no indicator column: a wide table needs at least one indicator column, a long table needs indicator and value columns"))
	}
}

func has(cols []column, r role) bool {
	for _, c := range cols {
		if c.role == r {
			return true
		}
	}
	return false
}

// indicatorFor finds or creates the dataset indicator for a name (and an
// optional English name and unit), returning its slot. nameZH is the
// Chinese name when the file gives it in a column of its own (as agglo's
// exports do, beside the indicator's code in the indicator column): an
// indicator the catalogue does not know then keeps that name and the
// code (see userIndicator).
func (im *importer) indicatorFor(name, nameZH, nameEN, unitText string, row, col int, header string) *indicatorSlot {
	if r, bad := invisible([]byte(name + nameZH + nameEN)); bad {
		im.issue(row, col, header, cellTf("指标名称“%s”含有不可见或改变文字方向的字符 U+%04X", "indicator name %q contains an invisible or direction-changing character U+%04X", name, r))
		return nil
	}
	ind, known := im.ds.Catalogue.Match(name)
	if !known && nameEN != "" {
		ind, known = im.ds.Catalogue.Match(nameEN)
	}
	if known {
		if unitText == "" && ind.Unit != "" {
			return im.deferUnit(row, col, header, cellTf("指标“%s”未注明单位（应为 %s 或可换算的单位，如在表头写作“%s(%s)”）", "indicator %q has no unit (expected %s or a convertible unit, e.g. header \"%s(%s)\")", name, ind.Unit, ind.NameZH, ind.Unit), name, nameZH, nameEN, unitText)
		}
		factor := 1.0
		if unitText != "" {
			u, err := ParseUnit(unitText)
			if err != nil {
				return im.deferUnit(row, col, header, textOf(err), name, nameZH, nameEN, unitText)
			}
			f, err := Factor(u, ind.ParsedUnit())
			if err != nil {
				return im.deferUnit(row, col, header, cellTf("指标“%s”的单位“%s”不能换算为“%s”", "indicator %q: unit %q cannot be converted to %q", name, clipped(unitText), ind.Unit), name, nameZH, nameEN, unitText)
			}
			factor = f
		}
		idx := im.ds.addIndicator(*ind)
		return &indicatorSlot{idx: idx, factor: factor, domain: ind.Domain, unit: ind.Unit}
	}
	u, err := ParseUnit(unitText)
	if err != nil {
		return im.deferUnit(row, col, header, textOf(err), name, nameZH, nameEN, unitText)
	}
	ind2 := userIndicator(name, nameZH, nameEN)
	if existing, ok := im.ds.Catalogue.Lookup(ind2.Code); ok && existing.NameZH != ind2.NameZH && existing.NameEN != ind2.NameZH {
		ind2.Code += "_" + strconv.Itoa(len(im.ds.Indicators)+1)
	}
	code := ind2.Code
	ind2.Unit = u.Symbol
	if _, ok := im.ds.Catalogue.Lookup(code); !ok {
		if err := im.ds.Catalogue.add(ind2); err != nil {
			im.issue(row, col, header, textOf(err))
			return nil
		}
	}
	stored, _ := im.ds.Catalogue.Lookup(code)
	idx := im.ds.addIndicator(*stored)
	f, err := Factor(u, stored.ParsedUnit())
	if err != nil {
		im.issue(row, col, header, textOf(err))
		return nil
	}
	return &indicatorSlot{idx: idx, factor: f, domain: stored.Domain, unit: stored.Unit, user: true}
}

// deferredUnit is a unit problem of an indicator that counts only if the
// regions are Chinese administrative units: for free units the catalogue
// is not forced on the file (gdp in a German file is the file's own
// indicator, in whatever unit its header gives, kept as a label).
type deferredUnit struct {
	row, col int
	header   string
	text     i18n.Text
}

// deferUnit records a unit problem that finish reports unless the regions
// turn out to be free units, and returns a slot for the file's own
// indicator with the header's unit as a label (never converted).
func (im *importer) deferUnit(row, col int, header string, t i18n.Text, name, nameZH, nameEN, unitText string) *indicatorSlot {
	im.deferred = append(im.deferred, deferredUnit{row: row, col: col, header: header, text: t})
	label := strings.TrimSpace(unitText)
	u, err := ParseUnit(label)
	if err != nil {
		u = Unit{Symbol: label, Dim: "label:" + label, Scale: 1}
	}
	ind := userIndicator(name, nameZH, nameEN)
	ind.Unit = u.Symbol
	stored := im.ds.Catalogue.replace(ind, u)
	idx := im.ds.addIndicator(*stored)
	return &indicatorSlot{idx: idx, factor: 1, unit: u.Symbol, user: true}
}

// userIndicator is an indicator of the file's own (not in the catalogue)
// as a file names it. Its code is made from the English name, else from
// the name; a file that gives the Chinese name apart (nameZH, the column
// indicator_name_zh of agglo's exports) names the indicator's code in its
// indicator column, which is kept. A missing English name is the Chinese
// one.
func userIndicator(name, nameZH, nameEN string) Indicator {
	zh, code := name, ""
	if nameZH != "" {
		zh, code = nameZH, slug(name)
	}
	if code == "" {
		code = slug(nameEN)
	}
	if code == "" {
		code = slug(name)
	}
	if code == "" {
		code = name
	}
	if nameEN == "" {
		nameEN = zh
	}
	return Indicator{Code: code, NameZH: zh, NameEN: nameEN, Polarity: HigherBetter, Dimension: "user"}
}

// wideSlots matches the indicator columns of a wide table.
func (im *importer) wideSlots(headerRow int) {
	lay := im.lay
	lay.wide = make([]int32, len(lay.cols))
	for i := range lay.wide {
		lay.wide[i] = -1
	}
	// Two headers meaning the same indicator and year would give duplicates.
	seen := map[[2]int32]int{}
	for i, c := range lay.cols {
		if c.role != roleIndicator {
			continue
		}
		if c.name == "" {
			im.issue(headerRow, c.index+1, c.header, i18n.T("指标列的表头为空", "empty header for an indicator column"))
			continue
		}
		s := im.indicatorFor(c.name, "", "", c.unit, headerRow, c.index+1, c.header)
		if s == nil {
			continue
		}
		s.col, s.header = int32(i+1), c.header
		k := [2]int32{s.idx, int32(c.year)}
		if prev, dup := seen[k]; dup {
			im.issue(headerRow, i+1, c.header, i18n.Tf("与第%d列是同一指标", "the same indicator as column %d", prev))
		}
		seen[k] = i + 1
		lay.wide[i] = int32(len(im.slots))
		lay.wideCols = append(lay.wideCols, i)
		if s.user && c.unit == "" {
			// A column of the file's own without a unit may hold text:
			// a categorical attribute (see textColumns).
			if lay.textOK == nil {
				lay.textOK = make([]bool, len(lay.cols))
			}
			lay.textOK[i] = true
		}
		im.slots = append(im.slots, s)
	}
}

// source returns the index in ds.Sources of a source text.
func (im *importer) source(text string) int32 {
	if s, ok := im.srcIdx[text]; ok {
		return s
	}
	base := im.ds.Sources[0]
	base.Ref = text
	if !im.opts.Published {
		base.Note = text
		base.Ref = im.file
	}
	im.ds.Sources = append(im.ds.Sources, base)
	s := int32(len(im.ds.Sources) - 1)
	im.srcIdx[text] = s
	return s
}

// absorb takes one part, the next in file order: it numbers the part's
// regions, indicators, sources and columns as the importer's, converts
// and checks its values, and keeps its problems. It returns an error for a
// problem that ends the import at once (a limit).
func (im *importer) absorb(p *part) error {
	start := len(im.iss.list)
	lay := im.lay
	// Regions.
	p.keyMap = make([]int32, len(p.keys))
	var kb []byte
	for i := range p.keys {
		k := &p.keys[i]
		kb = append(append(append(append(append(kb[:0], k.code...), 0), k.name...), 0), k.parent...)
		g, ok := im.keyIdx[string(kb)]
		if !ok {
			if len(im.keys) == im.opts.Limits.MaxRegions {
				return limitError("第%d行：文件的地区超过 %d 个的上限", "row %d: the file names more than %d regions, over the limit", "--max-regions", k.firstRow, im.opts.Limits.MaxRegions)
			}
			im.keys = append(im.keys, *k)
			g = int32(len(im.keys) - 1)
			im.keyIdx[string(kb)] = g
		}
		p.keyMap[i] = g
	}
	for _, t := range p.texts {
		t.key = p.keyMap[t.key]
		im.texts = append(im.texts, t)
	}
	if p.numeric != nil {
		if im.numeric == nil {
			im.numeric = make([]int64, len(p.numeric))
		}
		for i, n := range p.numeric {
			im.numeric[i] += int64(n)
		}
	}
	p.texts, p.numeric = nil, nil
	for _, c := range p.coords {
		c.key = p.keyMap[c.key]
		im.coords = append(im.coords, c)
	}
	p.coords = nil
	// Indicators: in a long table matched now, in file order, so that new
	// indicators are numbered and named as one reader would.
	var slotMap []int32 // nil: the part uses the importer's slot numbers
	switch {
	case p.globalSlots:
	case lay.long:
		slotMap = make([]int32, len(p.slots))
		for i, s := range p.slots {
			key := s.name + "\x00" + s.unit
			g, ok := im.slotIdx[key]
			if !ok {
				if len(im.slots) == im.opts.Limits.MaxIndicators {
					return limitError("第%d行第%d列：文件的指标超过 %d 个的上限", "row %d, column %d: the file names more than %d indicators, over the limit", "--max-indicators", s.row, s.col, im.opts.Limits.MaxIndicators)
				}
				sl := im.indicatorFor(s.name, s.nameZH, s.nameEN, s.unit, s.row, s.col, s.header)
				if sl != nil {
					sl.col = int32(lay.valueCols[len(lay.valueCols)-1] + 1)
					sl.header = lay.cols[sl.col-1].header
				}
				im.slots = append(im.slots, sl)
				g = int32(len(im.slots) - 1)
				im.slotIdx[key] = g
			}
			slotMap[i] = g
		}
	default:
		slotMap = lay.wide
	}
	mapSlot := func(ls int32) int32 {
		if slotMap == nil {
			return ls
		}
		return slotMap[ls]
	}
	// Sources.
	p.srcMap = make([]int32, len(p.sources)+1)
	for i, s := range p.sources {
		p.srcMap[i+1] = im.source(s)
	}
	// Problems found by the worker; a value problem of an indicator that
	// could not be matched is dropped, as one reader would not have read
	// the value.
	for i, is := range p.issues {
		if ls := p.issueSlot[i]; ls >= 0 && im.slots[mapSlot(ls)] == nil {
			continue
		}
		im.iss.add(is)
	}
	// Columns, conversion and domain checks, then the values go into their
	// columns.
	ngroups := len(p.groups)
	gidCol := make([]int32, ngroups)
	gidSlot := make([]*indicatorSlot, ngroups)
	check := make([]bool, ngroups)
	anyCheck := false
	for g, gr := range p.groups {
		sl := im.slots[mapSlot(gr.slot)]
		gidSlot[g] = sl
		if sl == nil {
			gidCol[g] = -1
			continue
		}
		gidCol[g] = im.column(sl.idx, gr.year)
		check[g] = !p.converted && (sl.factor != 1 || sl.domain != "")
		anyCheck = anyCheck || check[g]
	}
	e := p.e
	// Conversion and checks in file order, so that problems come in order;
	// a value that fails becomes NaN.
	if anyCheck {
		for i, g := range e.gids {
			if !check[g] || gidCol[g] < 0 {
				continue
			}
			sl := gidSlot[g]
			v, row := e.vals[i]*sl.factor, e.rows[i]
			if !im.finite(v, int(row), int(sl.col), sl.header) || !im.checkDomain(sl, v, int(row), int(sl.col), sl.header) {
				v = math.NaN()
			}
			e.vals[i] = v
		}
	}
	hasSrc := false
	for _, s := range e.srcs {
		if s != 0 {
			hasSrc = true
			break
		}
	}
	// The values group by group (a counting sort of their positions), so
	// that each column is written in one run: in file order, consecutive
	// values mostly belong to different columns, and writing them so
	// misses the cache at every value.
	gstart := slices.Grow(im.start[:0], ngroups+1)[:ngroups+1]
	gstart[0] = 0
	for g, n := range p.groupCount {
		gstart[g+1] = gstart[g] + int32(n)
	}
	next := append(im.next[:0], gstart[:ngroups]...)
	perm := slices.Grow(im.perm[:0], len(e.gids))[:len(e.gids)]
	for i, g := range e.gids {
		perm[next[g]] = int32(i)
		next[g]++
	}
	im.start, im.next, im.perm = gstart, next, perm
	for g := range ngroups {
		c := gidCol[g]
		if c < 0 {
			continue
		}
		sl := gidSlot[g]
		b := im.cols[c]
		for _, i := range perm[gstart[g]:gstart[g+1]] {
			v, row := e.vals[i], e.rows[i]
			if v != v {
				continue // failed a check
			}
			src := int32(0)
			if hasSrc {
				src = p.srcMap[e.srcs[i]]
			}
			k := p.keyMap[e.keys[i]]
			// Fast path: a free cell of a dense column whose source and
			// file column are these values'.
			if b.dense && int(k) < len(b.vals) && b.n > 0 && b.src.v == nil && b.col.v == nil && b.src.c == src && b.col.c == sl.col {
				if old := b.vals[k]; old != old {
					b.vals[k] = v
					b.rows[k] = row
					b.n++
					continue
				}
			}
			if first, dup := b.put(k, v, row, src, sl.col); dup {
				if len(im.dups) < maxKept {
					im.dups = append(im.dups, dupValue{k, b.ind, b.year, row, sl.col, first})
				} else {
					im.iss.more++
				}
			}
		}
	}
	if im.scratch != nil {
		select {
		case im.scratch <- e:
		default:
		}
	}
	p.e = nil
	// Keep the problems in file order.
	added := im.iss.list[start:]
	slices.SortStableFunc(added, func(a, b Issue) int {
		if a.Row != b.Row {
			return a.Row - b.Row
		}
		return a.Col - b.Col
	})
	im.iss.more += p.more
	im.missing += p.missing
	im.rows += p.nrows
	im.cells += p.cells
	im.raggedN += p.raggedN
	for _, r := range p.ragged {
		if len(im.ragged) < maxRaggedListed {
			im.ragged = append(im.ragged, r)
		}
	}
	p.dropWork()
	im.nparts++
	if im.rows > im.opts.Limits.MaxRows {
		return limitError("文件有 %d 行以上的数据，超过 %d 行的上限", "the file has more than %d data rows, over the limit of %d", "--max-rows", im.opts.Limits.MaxRows, im.opts.Limits.MaxRows)
	}
	if im.cells > im.opts.Limits.MaxCells {
		return limitError("文件有 %d 个以上的单元格，超过 %d 个的上限", "the file has more than %d cells, over the limit of %d", "--max-cells", im.opts.Limits.MaxCells, im.opts.Limits.MaxCells)
	}
	return nil
}

// yearColumn is the number of an indicator's column of one year.
type yearColumn struct{ year, col int32 }

// column returns the number of the column of indicator ind in year,
// making it on first use.
func (im *importer) column(ind, year int32) int32 {
	for int(ind) >= len(im.colIdx) {
		im.colIdx = append(im.colIdx, nil)
	}
	for _, yc := range im.colIdx[ind] {
		if yc.year == year {
			return yc.col
		}
	}
	c := int32(len(im.cols))
	im.cols = append(im.cols, newColBuild(ind, year))
	im.colIdx[ind] = append(im.colIdx[ind], yearColumn{year, c})
	return c
}

// maxRaggedListed is how many short rows a note lists by number.
const maxRaggedListed = 20

// finite rejects a value that overflowed in the unit conversion.
func (im *importer) finite(v float64, row, col int, header string) bool {
	if math.IsInf(v, 0) {
		im.issue(row, col, header, i18n.T("数值换算单位后超出范围", "the value is out of range after unit conversion"))
		return false
	}
	return true
}

func (im *importer) checkDomain(slot *indicatorSlot, v float64, row, col int, header string) bool {
	switch slot.domain {
	case "positive":
		if v <= 0 {
			im.issue(row, col, header, i18n.Tf("数值必须大于 0（%g）", "value must be greater than 0 (%g)", v))
			return false
		}
	case "nonnegative":
		if v < 0 {
			im.issue(row, col, header, i18n.Tf("数值不能为负（%g）", "value cannot be negative (%g)", v))
			return false
		}
	case "percent":
		if v < 0 || v > 100 {
			im.issue(row, col, header, i18n.Tf("百分比应在 0 到 100 之间（%g）", "a percentage must lie between 0 and 100 (%g)", v))
			return false
		}
	}
	return true
}

// finish resolves the regions and writes the values into columns. It
// returns the dataset, or an *ImportError with every problem.
func (im *importer) finish() (*Dataset, error) {
	categorical := im.textColumns()
	if err := im.err(); err != nil {
		return nil, err
	}
	final := im.resolve()
	if !im.ds.FreeUnits {
		// Chinese regions: catalogue indicators keep their units.
		for _, d := range im.deferred {
			im.issue(d.row, d.col, d.header, d.text)
		}
	}
	if err := im.err(); err != nil {
		return nil, err
	}
	if err := im.build(final); err != nil {
		return nil, err
	}
	im.attributes(categorical, final)
	im.coordinates(final)
	im.addNotes()
	return im.ds, nil
}

// textColumns decides what the text cells of wide indicator columns are:
// a column with text and no number is a categorical attribute of the
// units (region type, group, province); text in a column of numbers is a
// malformed number, reported with its row and column. It returns the
// categorical columns, ascending.
func (im *importer) textColumns() []int {
	if len(im.texts) == 0 {
		return nil
	}
	byCol := map[int32]bool{}
	for _, t := range im.texts {
		if im.numeric == nil || im.numeric[t.col] == 0 {
			byCol[t.col] = true
			continue
		}
		p := t.problem
		p.ZH += "（这一列其他行是数值：文字列须整列为文字）"
		p.EN += " (the column's other rows are numbers: a text column must hold text only)"
		im.issue(int(t.row), int(t.col)+1, im.lay.cols[t.col].header, p)
	}
	out := make([]int, 0, len(byCol))
	for c := range byCol {
		out = append(out, int(c))
	}
	slices.Sort(out)
	return out
}

// coordinates sets the units' coordinates from the coordinate columns: the
// first pair given for a unit wins, and a note counts rows that disagree.
func (im *importer) coordinates(final []int32) {
	if len(im.coords) == 0 {
		return
	}
	ds := im.ds
	set := map[int32]bool{}
	differ := 0
	for _, c := range im.coords {
		if int(c.key) >= len(final) {
			continue
		}
		r := final[c.key]
		reg := &ds.Regions[r]
		if set[r] {
			if reg.Lon != c.lon || reg.Lat != c.lat {
				differ++
			}
			continue
		}
		set[r] = true
		reg.Lon, reg.Lat, reg.CoordSource = c.lon, c.lat, im.file
	}
	im.coords = nil
	if differ > 0 {
		ds.Notes = append(ds.Notes, Issue{File: im.file, Sheet: im.sheet, Text: i18n.Tf("%d 行的坐标与同一地区此前的坐标不同：保留第一次出现的坐标", "%d rows give other coordinates for a unit than an earlier row: the first are kept", differ)})
	}
}

// attributes keeps the categorical columns as attributes of the units
// (their text, by region code) and drops their indicators, which hold no
// value.
func (im *importer) attributes(cols []int, final []int32) {
	if len(cols) == 0 {
		return
	}
	ds := im.ds
	drop := map[int32]bool{}
	for _, c := range cols {
		col := im.lay.cols[c]
		name := col.name
		if name == "" {
			name = col.header
		}
		code := slug(name)
		if code == "" {
			code = name
		}
		a := Attribute{Code: code, Name: name, Values: map[string]string{}}
		varies := 0
		for _, t := range im.texts {
			if int(t.col) != c || final == nil || int(t.key) >= len(final) {
				continue
			}
			r := ds.Regions[final[t.key]].Code
			text := strings.TrimSpace(t.text)
			if old, ok := a.Values[r]; ok && old != text {
				varies++
				continue
			}
			a.Values[r] = text
		}
		ds.Attributes = append(ds.Attributes, a)
		if varies > 0 {
			ds.Notes = append(ds.Notes, Issue{File: im.file, Sheet: im.sheet, Column: col.header, Text: i18n.Tf("文字列“%s”在 %d 行与同一地区此前的值不同：保留第一次出现的值", "text column %q differs from an earlier row of the same region in %d rows: the first value is kept", col.header, varies)})
		}
		if im.lay.wide == nil || c >= len(im.lay.wide) {
			continue
		}
		if slot := im.lay.wide[c]; slot >= 0 && im.slots[slot] != nil {
			drop[im.slots[slot].idx] = true
		}
	}
	im.texts = nil
	// Drop the attributes' indicators (they have no values), keeping the
	// others in order.
	keep := 0
	for i := range ds.Indicators {
		if drop[int32(i)] && len(ds.series[i]) == 0 {
			continue
		}
		ds.Indicators[keep], ds.series[keep] = ds.Indicators[i], ds.series[i]
		keep++
	}
	ds.Indicators, ds.series = ds.Indicators[:keep], ds.series[:keep]
	ds.indIdx = nil
	ds.ensureIndex()
	ds.refresh()
}

// build finishes the columns once the regions are resolved (final maps
// region keys to regions), refusing duplicates. It returns ctx.Err() when
// cancelled, or an *ImportError.
func (im *importer) build(final []int32) error {
	if err := im.ctx.Err(); err != nil {
		return err
	}
	ds := im.ds
	nr := len(ds.Regions)
	identity := len(final) == nr
	for k, r := range final {
		if int32(k) != r {
			identity = false
			break
		}
	}
	// Duplicates of one region key, found while reading.
	for _, d := range im.dups {
		im.duplicate(final[d.region], d.ind, d.year, d.row, d.col, d.firstRow)
	}
	im.dups = nil
	cols := make([]*yearCol, len(im.cols))
	w := max(1, min(im.opts.Workers, len(im.cols)/64+1))
	dups := make([][]dupValue, w)
	var wg sync.WaitGroup
	for g := range w {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := g; c < len(cols); c += w {
				b := im.cols[c]
				cols[c] = b.finish(final, identity, nr, func(r, row, col, firstRow int32) {
					dups[g] = append(dups[g], dupValue{r, b.ind, b.year, row, col, firstRow})
				})
			}
		}()
	}
	wg.Wait()
	inds := make([]int32, len(im.cols))
	for c, b := range im.cols {
		inds[c] = b.ind
	}
	im.cols = nil
	for _, list := range dups {
		for _, d := range list {
			im.duplicate(d.region, d.ind, d.year, d.row, d.col, d.firstRow)
		}
	}
	if err := im.ctx.Err(); err != nil {
		return err
	}
	if len(im.iss.list) > 0 {
		slices.SortStableFunc(im.iss.list, func(a, b Issue) int { return a.Row - b.Row })
		return im.err()
	}
	for c, col := range cols {
		ind := inds[c]
		ds.series[ind] = append(ds.series[ind], col)
	}
	for i := range ds.series {
		slices.SortFunc(ds.series[i], func(a, b *yearCol) int { return int(a.year) - int(b.year) })
	}
	ds.refresh()
	ds.ensureIndex()
	return nil
}

// addNotes adds the notes about short rows and missing values.
func (im *importer) addNotes() {
	ds := im.ds
	if im.raggedN > 0 {
		rows := make([]string, len(im.ragged))
		for i, r := range im.ragged {
			rows[i] = strconv.Itoa(r)
		}
		list := strings.Join(rows, ", ")
		zhMore, enMore := "", ""
		if im.raggedN > len(im.ragged) {
			zhMore = fmt.Sprintf(" 等共 %d 行", im.raggedN)
			enMore = fmt.Sprintf(" and others, %d rows in all,", im.raggedN)
		}
		ds.Notes = append(ds.Notes, Issue{File: im.file, Sheet: im.sheet, Text: i18n.T(
			fmt.Sprintf("第 %s 行%s的单元格比表头少，缺少的单元格按缺失值处理（用 --strict 则拒绝这样的行）", list, zhMore),
			fmt.Sprintf("rows %s%s have fewer cells than the header; their missing cells are treated as missing values (--strict refuses such rows)", list, enMore))})
	}
	if im.missing > 0 {
		ds.Notes = append(ds.Notes, Issue{File: im.file, Sheet: im.sheet, Text: i18n.Tf("%d 个空单元格按缺失值处理", "%d empty cells treated as missing values", im.missing)})
	}
}

// dupValue is a second value of one region (or region key), indicator and
// year.
type dupValue struct{ region, ind, year, row, col, firstRow int32 }

// duplicate records a second value of one region, indicator and year.
func (im *importer) duplicate(r, ind, year, row, col, firstRow int32) {
	reg, in := im.ds.Regions[r], im.ds.Indicators[ind]
	h := ""
	if col > 0 && int(col) <= len(im.lay.cols) {
		h = im.lay.cols[col-1].header
	}
	im.issue(int(row), int(col), h, i18n.Tf("重复数据：%s / %s / %d 已在第%d行出现", "duplicate: %s / %s / %d already given in row %d", reg.NameZH, in.NameZH, year, firstRow))
}

// resolve matches every distinct region of the file against the
// registry and returns, for each region key, its index in ds.Regions. All
// matched: the file joins the registry. None matched: the rows are free
// units. Some matched: an error naming the unmatched rows.
func (im *importer) resolve() []int32 {
	matched := 0
	levelVotes := map[Level]int{}
	for i := range im.keys {
		k := &im.keys[i]
		k.candidates = im.candidates(k)
		if len(k.candidates) > 0 {
			matched++
		}
		if len(k.candidates) == 1 {
			levelVotes[k.candidates[0].Level]++
		}
	}
	final := make([]int32, len(im.keys))
	switch {
	case matched == 0:
		im.ds.FreeUnits = true
		for i, k := range im.keys {
			code := k.code
			if code == "" {
				code = k.name
			}
			name := k.name
			if name == "" {
				name = k.code
			}
			final[i] = im.ds.addRegion(Region{Code: code, NameZH: name, ShortZH: name, NameEN: name, Level: LevelUnit, Lon: math.NaN(), Lat: math.NaN()})
		}
	case matched < len(im.keys):
		for _, k := range im.keys {
			if len(k.candidates) == 0 {
				label := k.name
				if label == "" || k.code != "" {
					label = strings.TrimSpace(k.code + " " + k.name)
				}
				im.regionIssue(&k, cellTf("未知地区“%s”（其他行的地区都能在区划库中找到：是否拼写有误？）", "unknown region %q (the other rows match the region registry: a typo?)", label))
			}
		}
		return nil
	default:
		best := Level("")
		for l, n := range levelVotes {
			if n > levelVotes[best] || (n == levelVotes[best] && levelRank(l) < levelRank(best)) {
				best = l
			}
		}
		for i, k := range im.keys {
			c := k.candidates
			pick := c[0]
			if len(c) > 1 {
				var same []*Region
				for _, r := range c {
					if r.Level == best {
						same = append(same, r)
					}
				}
				if len(same) != 1 {
					names := make([]string, len(c))
					for j, r := range c {
						names[j] = fmt.Sprintf("%s %s", r.Code, r.NameZH)
					}
					im.regionIssue(&k, cellTf("地区“%s”不唯一：%s（请用行政区划代码）", "ambiguous region %q: %s (use the administrative code)", k.name, strings.Join(names, ", ")))
					continue
				}
				pick = same[0]
			}
			final[i] = im.ds.addRegion(*pick)
		}
	}
	return final
}

func levelRank(l Level) int {
	switch l {
	case LevelProvince:
		return 0
	case LevelCity:
		return 1
	case LevelAgglomeration:
		return 2
	case LevelCounty:
		return 3
	}
	return 4
}

// candidates lists the registry regions a key may mean.
func (im *importer) candidates(k *regionKey) []*Region {
	reg := im.opts.Registry
	if k.code != "" {
		if r, ok := reg.Lookup(k.code); ok {
			if k.name != "" && !nameMatches(r, k.name) {
				// The code wins only when the name means nothing else.
				if alt := reg.ByName(k.name); len(alt) > 0 {
					im.regionIssue(k, i18n.Tf("代码 %s 对应“%s”，但名称写的是“%s”", "code %s is %s but the name says %q", clipped(k.code), r.NameZH, clipped(k.name)))
					return []*Region{r}
				}
			}
			return []*Region{r}
		}
	}
	if k.name == "" {
		return nil
	}
	if k.code == "" {
		// A single region column may hold codes ("first column = region
		// code or name").
		if r, ok := reg.Lookup(k.name); ok {
			return []*Region{r}
		}
	}
	c := reg.ByName(k.name)
	if k.parent != "" && len(c) > 1 {
		var in []*Region
		for _, r := range c {
			if p, ok := reg.Lookup(r.Parent); ok && (nameMatches(p, k.parent) || normCode(p.Code) == normCode(k.parent)) {
				in = append(in, r)
			}
		}
		if len(in) > 0 {
			c = in
		}
	}
	if k.level != "" && len(c) > 1 {
		var in []*Region
		for _, r := range c {
			if r.Level == k.level {
				in = append(in, r)
			}
		}
		if len(in) > 0 {
			c = in
		}
	}
	return c
}

func nameMatches(r *Region, name string) bool {
	n := normName(name)
	return n == normName(r.NameZH) || n == normName(r.ShortZH) || n == normName(r.NameEN)
}
