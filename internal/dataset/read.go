package dataset

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"agglo/internal/i18n"
)

// Format is a file format agglo reads or writes.
type Format string

// Formats.
const (
	CSV  Format = "csv"
	XLSX Format = "xlsx"
	JSON Format = "json"
)

// FormatOf guesses a file's format from its extension.
func FormatOf(path string) (Format, bool) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv", ".txt", ".tsv":
		return CSV, true
	case ".xlsx", ".xlsm":
		return XLSX, true
	case ".json":
		return JSON, true
	}
	return "", false
}

// ReadOptions controls an import.
type ReadOptions struct {
	Registry  *Registry  // regions to match; required
	Catalogue *Catalogue // known indicators; required
	Sheet     string     // XLSX sheet; default: "observations"/"数据" or the first
	Year      int        // year of a wide table without a year column (0: not stated)
	// Published marks the file as a published source (the embedded paper
	// data): its "source" column becomes the provenance reference.
	Published bool
	xlsx      xlsxLimits
	// sizeHint is the input's size in bytes when known (0 otherwise); a
	// CSV import uses it to size the observation slice once.
	sizeHint int64
}

// ReadFile imports a CSV or XLSX file in wide or long layout. Import is
// all-or-nothing: on error no dataset is returned, and the error (an
// *ImportError for content problems) names file, sheet, row and column.
func ReadFile(path string, opts ReadOptions) (*Dataset, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, i18n.Errorf("无法打开文件 %s：%v", "cannot open %s: %v", path, err)
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
		opts.sizeHint = st.Size()
	}
	format, ok := FormatOf(path)
	if !ok {
		return nil, i18n.Errorf("%s：不支持的文件类型（请用 .csv 或 .xlsx）", "%s: unsupported file type (use .csv or .xlsx)", path)
	}
	return Read(f, filepath.Base(path), format, opts)
}

// Read imports a table from r; name is used in messages and provenance.
func Read(r io.Reader, name string, format Format, opts ReadOptions) (*Dataset, error) {
	if opts.Registry == nil || opts.Catalogue == nil {
		return nil, errors.New("dataset.Read: registry and catalogue are required")
	}
	if opts.xlsx == (xlsxLimits{}) {
		opts.xlsx = defaultXLSXLimits()
	}
	if sz, ok := r.(interface{ Size() int64 }); ok && opts.sizeHint == 0 {
		opts.sizeHint = sz.Size() // bytes.Reader, strings.Reader
	}
	var src rowSource
	sheet := ""
	switch format {
	case CSV:
		s, _, err := newCSVSource(r)
		if err != nil {
			return nil, fileError(name, "", err)
		}
		src = s
	case XLSX:
		wb, err := openWorkbook(r, opts.xlsx)
		if err != nil {
			return nil, fileError(name, "", err)
		}
		sheet, err = chooseSheet(wb, opts.Sheet)
		if err != nil {
			wb.Close()
			return nil, fileError(name, "", err)
		}
		s, err := newXLSXSource(wb, sheet)
		if err != nil {
			wb.Close()
			return nil, fileError(name, sheet, err)
		}
		src = s
	default:
		return nil, i18n.Errorf("%s：不支持的格式 %s", "%s: unsupported format %s", name, format)
	}
	defer src.Close()
	im := newImporter(name, sheet, opts)
	return im.run(src)
}

// fileError wraps a whole-file problem as an ImportError.
func fileError(file, sheet string, err error) error {
	var ie *ImportError
	if errors.As(err, &ie) {
		return err
	}
	var l i18n.Localizer
	text := i18n.T(err.Error(), err.Error())
	if errors.As(err, &l) {
		text = i18n.T(l.Localized(i18n.ZH), l.Localized(i18n.EN))
	}
	return &ImportError{File: file, Issues: []Issue{{File: file, Sheet: sheet, Text: text}}}
}

// regionKey is one distinct (code, name, parent hint) seen in the file,
// resolved against the registry after all rows are read.
type regionKey struct {
	code, name, parent string
	level              Level // level named by the header
	firstRow           int
	candidates         []*Region
}

// indicatorSlot is an indicator column (wide) or indicator name (long).
type indicatorSlot struct {
	idx    int32   // index in ds.Indicators
	factor float64 // unit conversion into the catalogue unit
	domain string
	unit   string
}

type importer struct {
	file, sheet string
	opts        ReadOptions
	ds          *Dataset
	iss         issues
	keys        []regionKey
	keyIdx      map[string]int32
	keyBuf      []byte
	slots       map[string]*indicatorSlot // long layout, by indicator name + "\x00" + unit
	slotBuf     []byte
	missing     int
	srcIdx      map[string]int32
	// Long files repeat the region, indicator and source of the previous
	// row; these remember the last ones to skip the map lookups.
	lastKey            int32
	lastCode, lastName string
	lastParent         string
	lastInd, lastUnit  string
	lastSlot           *indicatorSlot
	lastSource         string
	lastSrc            int32
}

func newImporter(file, sheet string, opts ReadOptions) *importer {
	ds := &Dataset{Name: file, Registry: opts.Registry, Catalogue: opts.Catalogue.clone()}
	kind := Imported
	if opts.Published {
		kind = Published
	}
	ds.Sources = []Source{{Kind: kind, Ref: file, File: file, Sheet: sheet}}
	return &importer{file: file, sheet: sheet, opts: opts, ds: ds, keyIdx: map[string]int32{}, slots: map[string]*indicatorSlot{}, srcIdx: map[string]int32{}, lastKey: -1, lastSrc: -1}
}

func (im *importer) issue(row, col int, header string, t i18n.Text) {
	im.iss.add(Issue{File: im.file, Sheet: im.sheet, Row: row, Col: col, Column: header, Text: t})
}

// run reads the header and the rows, then resolves regions and checks
// duplicates.
func (im *importer) run(src rowSource) (*Dataset, error) {
	var header []string
	headerRow := 0
	for {
		rec, row, err := src.Next()
		if err == io.EOF {
			return nil, fileError(im.file, im.sheet, i18n.Errorf("文件为空：没有表头", "the file is empty: no header row"))
		}
		if err != nil {
			return nil, fileError(im.file, im.sheet, err)
		}
		if !blank(rec) {
			header = append([]string(nil), rec...)
			headerRow = row
			break
		}
	}
	cols, long := classify(header)
	if err := im.checkHeader(cols, long, headerRow); err != nil {
		return nil, err
	}
	var wide []*indicatorSlot
	if !long {
		wide = im.wideSlots(cols, headerRow)
		if len(im.iss.list) > 0 {
			return nil, im.iss.err(im.file)
		}
	}
	rows := 0
	for {
		rec, row, err := src.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			im.issue(row, 0, "", textOf(err))
			break
		}
		if blank(rec) {
			continue
		}
		rows++
		im.checkHeaderless(cols, rec, row)
		if rows == sizeProbeRows {
			im.presize(src, rows)
		}
		if long {
			im.longRow(cols, rec, row)
		} else {
			im.wideRow(cols, wide, rec, row)
		}
		if len(im.iss.list) >= maxIssues {
			im.iss.more++
			break
		}
	}
	if rows == 0 && len(im.iss.list) == 0 {
		im.issue(headerRow, 0, "", i18n.T("表头之后没有数据行", "no data rows after the header"))
	}
	if len(im.iss.list) == 0 {
		im.resolveRegions()
	}
	if len(im.iss.list) == 0 {
		im.checkDuplicates()
	}
	if err := im.iss.err(im.file); err != nil {
		return nil, err
	}
	if im.missing > 0 {
		im.ds.Notes = append(im.ds.Notes, Issue{File: im.file, Sheet: im.sheet, Text: i18n.Tf("%d 个空单元格按缺失值处理", "%d empty cells treated as missing values", im.missing)})
	}
	return im.ds, nil
}

// checkHeaderless rejects a value in a column without a header (beyond the
// header's last column, or under an empty header cell such as the second
// half of a merged header): it would otherwise be dropped silently. Blank
// cells there are fine (spreadsheets often export trailing empty columns).
func (im *importer) checkHeaderless(cols []column, rec []string, row int) {
	for i, v := range rec {
		headerless := i >= len(cols) || (cols[i].header == "" && cols[i].role == roleIgnore)
		if headerless && strings.TrimSpace(v) != "" {
			im.issue(row, i+1, "", i18n.Tf("此列没有表头，却有数值“%s”（请补上表头或删除该列）", "a value %q in a column without a header (add a header or delete the column)", strings.TrimSpace(v)))
			return
		}
	}
}

// sizeProbeRows is the number of data rows read before the observation
// slice is sized from the input's size.
const sizeProbeRows = 1024

// offsetter is a row source that knows how many bytes it has consumed.
type offsetter interface{ InputOffset() int64 }

// presize estimates the number of observations of the whole input from its
// size and the bytes and observations of the first rows, and reserves that
// capacity (plus 5%) once, instead of growing the slice by copying it
// repeatedly (the largest cost of a 7-million-row import before).
func (im *importer) presize(src rowSource, rows int) {
	o, ok := src.(offsetter)
	if !ok || im.opts.sizeHint <= 0 || len(im.ds.Obs) == 0 {
		return
	}
	used := o.InputOffset()
	if used <= 0 || used >= im.opts.sizeHint {
		return
	}
	perRow := float64(used) / float64(rows)
	obsPerRow := float64(len(im.ds.Obs)) / float64(rows)
	want := float64(im.opts.sizeHint) / perRow * obsPerRow * 1.05
	const limit = 1 << 28 // 8 GiB of observations: beyond that, grow as needed
	if want <= float64(cap(im.ds.Obs)) || want > limit {
		return
	}
	grown := make([]Observation, len(im.ds.Obs), int(want)+16)
	copy(grown, im.ds.Obs)
	im.ds.Obs = grown
}

func textOf(err error) i18n.Text {
	var l i18n.Localizer
	if errors.As(err, &l) {
		return i18n.T(l.Localized(i18n.ZH), l.Localized(i18n.EN))
	}
	return i18n.T(err.Error(), err.Error())
}

func blank(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

func (im *importer) checkHeader(cols []column, long bool, row int) error {
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
	return im.iss.err(im.file)
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
// optional English name and unit), returning its slot.
func (im *importer) indicatorFor(name, nameEN, unitText string, row, col int, header string) *indicatorSlot {
	ind, known := im.ds.Catalogue.Match(name)
	if !known && nameEN != "" {
		ind, known = im.ds.Catalogue.Match(nameEN)
	}
	if known {
		if unitText == "" && ind.Unit != "" {
			im.issue(row, col, header, i18n.Tf("指标“%s”未注明单位（应为 %s 或可换算的单位，如在表头写作“%s(%s)”）", "indicator %q has no unit (expected %s or a convertible unit, e.g. header \"%s(%s)\")", name, ind.Unit, ind.NameZH, ind.Unit))
			return nil
		}
		factor := 1.0
		if unitText != "" {
			u, err := ParseUnit(unitText)
			if err != nil {
				im.issue(row, col, header, textOf(err))
				return nil
			}
			f, err := Factor(u, ind.ParsedUnit())
			if err != nil {
				im.issue(row, col, header, i18n.Tf("指标“%s”的单位“%s”不能换算为“%s”", "indicator %q: unit %q cannot be converted to %q", name, unitText, ind.Unit))
				return nil
			}
			factor = f
		}
		idx := im.ds.addIndicator(*ind)
		return &indicatorSlot{idx: idx, factor: factor, domain: domainOf(ind), unit: ind.Unit}
	}
	u, err := ParseUnit(unitText)
	if err != nil {
		im.issue(row, col, header, textOf(err))
		return nil
	}
	code := slug(nameEN)
	if code == "" {
		code = slug(name)
	}
	if code == "" {
		code = name
	}
	if existing, ok := im.ds.Catalogue.Lookup(code); ok && existing.NameZH != name && existing.NameEN != name {
		code = code + "_" + strconv.Itoa(len(im.ds.Indicators)+1)
	}
	ind2 := Indicator{Code: code, NameZH: name, NameEN: nameEN, Unit: u.Symbol, Polarity: HigherBetter, Dimension: "user"}
	if ind2.NameEN == "" {
		ind2.NameEN = name
	}
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
	return &indicatorSlot{idx: idx, factor: f, domain: domainOf(stored), unit: stored.Unit}
}

func domainOf(ind *Indicator) string { return ind.Domain }

func (im *importer) wideSlots(cols []column, headerRow int) []*indicatorSlot {
	slots := make([]*indicatorSlot, len(cols))
	for i, c := range cols {
		if c.role != roleIndicator {
			continue
		}
		if c.name == "" {
			im.issue(headerRow, c.index+1, c.header, i18n.T("指标列的表头为空", "empty header for an indicator column"))
			continue
		}
		slots[i] = im.indicatorFor(c.name, "", c.unit, headerRow, c.index+1, c.header)
	}
	// Two headers meaning the same indicator and year would give duplicates.
	seen := map[[2]int32]int{}
	for i, s := range slots {
		if s == nil {
			continue
		}
		k := [2]int32{s.idx, int32(cols[i].year)}
		if prev, dup := seen[k]; dup {
			im.issue(headerRow, i+1, cols[i].header, i18n.Tf("与第%d列是同一指标", "the same indicator as column %d", prev+1))
		}
		seen[k] = i + 1
	}
	return slots
}

func cell(rec []string, i int) string {
	if i < len(rec) {
		return strings.TrimSpace(rec[i])
	}
	return ""
}

// regionOf returns the key index of the row's region, or -1 after
// recording an issue.
func (im *importer) regionOf(cols []column, rec []string, row int) int32 {
	var code, name, parent string
	var level Level
	codeCol, nameCol := -1, -1
	for _, c := range cols {
		switch c.role {
		case roleRegionCode:
			if code == "" {
				code, codeCol = cell(rec, c.index), c.index
				if c.level != "" {
					level = c.level
				}
			}
		case roleRegionName:
			if name == "" {
				name, nameCol = cell(rec, c.index), c.index
				if c.level != "" && level == "" {
					level = c.level
				}
			}
		case roleParentCode, roleParentName:
			if parent == "" {
				parent = cell(rec, c.index)
			}
		}
	}
	if code == "" && name == "" {
		col, h := codeCol, ""
		if col < 0 {
			col = nameCol
		}
		if col >= 0 {
			h = cols[col].header
		}
		im.issue(row, col+1, h, i18n.T("地区为空", "empty region"))
		return -1
	}
	if im.lastKey >= 0 && code == im.lastCode && name == im.lastName && parent == im.lastParent {
		return im.lastKey
	}
	k := im.regionKey(code, name, parent, level, row)
	im.lastKey, im.lastCode, im.lastName, im.lastParent = k, im.keys[k].code, im.keys[k].name, im.keys[k].parent
	return k
}

// regionKey returns the index of a distinct (code, name, parent), adding
// it on first sight.
func (im *importer) regionKey(code, name, parent string, level Level, row int) int32 {
	b := im.keyBuf[:0]
	b = append(b, code...)
	b = append(b, 0)
	b = append(b, name...)
	b = append(b, 0)
	b = append(b, parent...)
	im.keyBuf = b
	if k, ok := im.keyIdx[string(b)]; ok {
		return k
	}
	im.keys = append(im.keys, regionKey{code: strings.Clone(code), name: strings.Clone(name), parent: strings.Clone(parent), level: level, firstRow: row})
	k := int32(len(im.keys) - 1)
	im.keyIdx[string(b)] = k
	return k
}

// missingMarks are the cell texts yearbooks use for "no value".
var missingMarks = map[string]bool{"": true, "na": true, "n/a": true, "#n/a": true, "null": true, "-": true, "—": true, "–": true, "--": true, "…": true, "...": true, "——": true, "无": true}

// parseValue parses a numeric cell. It returns ok=false for a missing mark
// and an error text for a malformed, NaN or infinite number.
func parseValue(s string) (v float64, ok bool, problem *i18n.Text) {
	// No missing mark starts with a digit: skip the lower-casing and map
	// lookup for ordinary numbers.
	if (s == "" || s[0] < '0' || s[0] > '9') && missingMarks[strings.ToLower(s)] {
		return 0, false, nil
	}
	t := halfWidth(s)
	if strings.Contains(t, ",") {
		t = strings.ReplaceAll(t, ",", "")
	}
	v, err := strconv.ParseFloat(t, 64)
	if errors.Is(err, strconv.ErrRange) {
		p := i18n.Tf("数值超出范围“%s”", "number out of range %q", s)
		return 0, false, &p
	}
	if err != nil {
		p := i18n.Tf("数值格式错误“%s”", "malformed number %q", s)
		return 0, false, &p
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		p := i18n.Tf("数值不能为 NaN 或无穷大（“%s”）", "a value cannot be NaN or infinite (%q)", s)
		return 0, false, &p
	}
	return v, true, nil
}

// fullWidth maps the full-width digits and signs that Chinese input
// methods produce (１２３．４, －５, １，２３４) to ASCII; such numbers are
// accepted.
var fullWidth = strings.NewReplacer("０", "0", "１", "1", "２", "2", "３", "3", "４", "4", "５", "5", "６", "6", "７", "7", "８", "8", "９", "9",
	"．", ".", "，", ",", "－", "-", "＋", "+", "ｅ", "e", "Ｅ", "E")

// halfWidth returns s with full-width digits and signs in ASCII; ASCII
// text is returned as is without allocating.
func halfWidth(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return fullWidth.Replace(s)
		}
	}
	return s
}

// parseYear parses "2019", "2019年" or "2019.0" (also in full-width digits).
func parseYear(s string) (int, bool) {
	t := halfWidth(strings.TrimSuffix(strings.TrimSpace(s), "年"))
	if f, err := strconv.ParseFloat(t, 64); err == nil && f == math.Trunc(f) && f >= 1800 && f <= 2200 {
		return int(f), true
	}
	return 0, false
}

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

func (im *importer) yearOf(cols []column, rec []string, row int) (int, bool) {
	for _, c := range cols {
		if c.role == roleYear {
			s := cell(rec, c.index)
			if s == "" {
				im.issue(row, c.index+1, c.header, i18n.T("年份为空", "empty year"))
				return 0, false
			}
			y, ok := parseYear(s)
			if !ok {
				im.issue(row, c.index+1, c.header, i18n.Tf("年份格式错误“%s”", "malformed year %q", s))
				return 0, false
			}
			return y, true
		}
	}
	return im.opts.Year, true
}

func (im *importer) wideRow(cols []column, slots []*indicatorSlot, rec []string, row int) {
	k := im.regionOf(cols, rec, row)
	year, ok := im.yearOf(cols, rec, row)
	if k < 0 || !ok {
		return
	}
	for i, s := range slots {
		if s == nil {
			continue
		}
		v, present, problem := parseValue(cell(rec, i))
		if problem != nil {
			im.issue(row, i+1, cols[i].header, *problem)
			continue
		}
		if !present {
			im.missing++
			continue
		}
		v *= s.factor
		if !im.finite(v, row, i+1, cols[i].header) || !im.checkDomain(s, v, row, i+1, cols[i].header) {
			continue
		}
		y := year
		if cols[i].year != 0 {
			y = cols[i].year
		}
		im.ds.Obs = append(im.ds.Obs, Observation{Region: k, Indicator: s.idx, Year: int32(y), Value: v, Row: int32(row), Col: int32(i + 1)})
	}
}

func (im *importer) longRow(cols []column, rec []string, row int) {
	var indName, indEN, unit, value, source string
	indCol, valCol := 0, 0
	for _, c := range cols {
		switch c.role {
		case roleIndicatorName:
			if indName == "" {
				indName, indCol = cell(rec, c.index), c.index+1
			}
		case roleIndicatorEN:
			indEN = cell(rec, c.index)
		case roleUnit:
			unit = cell(rec, c.index)
		case roleValue:
			value, valCol = cell(rec, c.index), c.index+1
		case roleSource:
			if source == "" {
				source = cell(rec, c.index)
			}
		}
	}
	k := im.regionOf(cols, rec, row)
	year, ok := im.yearOf(cols, rec, row)
	if k < 0 || !ok {
		return
	}
	if indName == "" {
		indName = indEN
	}
	if indName == "" {
		im.issue(row, indCol, cols[indCol-1].header, i18n.T("指标为空", "empty indicator"))
		return
	}
	var slot *indicatorSlot
	if im.lastInd != "" && indName == im.lastInd && unit == im.lastUnit {
		slot = im.lastSlot
	} else {
		b := append(append(append(im.slotBuf[:0], indName...), 0), unit...)
		im.slotBuf = b
		s, seen := im.slots[string(b)]
		if !seen {
			s = im.indicatorFor(indName, indEN, unit, row, indCol, cols[indCol-1].header)
			im.slots[string(b)] = s
		}
		slot = s
		im.lastInd, im.lastUnit, im.lastSlot = strings.Clone(indName), strings.Clone(unit), s
	}
	if slot == nil {
		return
	}
	v, present, problem := parseValue(value)
	if problem != nil {
		im.issue(row, valCol, cols[valCol-1].header, *problem)
		return
	}
	if !present {
		im.missing++
		return
	}
	v *= slot.factor
	if !im.finite(v, row, valCol, cols[valCol-1].header) || !im.checkDomain(slot, v, row, valCol, cols[valCol-1].header) {
		return
	}
	src := int32(0)
	if source != "" && im.lastSrc >= 0 && source == im.lastSource {
		src = im.lastSrc
	} else if source != "" {
		s, ok := im.srcIdx[source]
		if !ok {
			base := im.ds.Sources[0]
			base.Ref = source
			if !im.opts.Published {
				base.Note = source
				base.Ref = im.file
			}
			im.ds.Sources = append(im.ds.Sources, base)
			s = int32(len(im.ds.Sources) - 1)
			im.srcIdx[strings.Clone(source)] = s
		}
		src = s
		im.lastSource, im.lastSrc = strings.Clone(source), s
	}
	im.ds.Obs = append(im.ds.Obs, Observation{Region: k, Indicator: slot.idx, Year: int32(year), Value: v, Source: src, Row: int32(row), Col: int32(valCol)})
}

// resolveRegions matches every distinct region of the file against the
// registry. All matched: the file joins the registry. None matched: the
// rows are free units. Some matched: an error naming the unmatched rows.
func (im *importer) resolveRegions() {
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
				im.issue(k.firstRow, 0, "", i18n.Tf("未知地区“%s”（其他行的地区都能在区划库中找到：是否拼写有误？）", "unknown region %q (the other rows match the region registry: a typo?)", label))
			}
		}
		return
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
					im.issue(k.firstRow, 0, "", i18n.Tf("地区“%s”不唯一：%s（请用行政区划代码）", "ambiguous region %q: %s (use the administrative code)", k.name, strings.Join(names, ", ")))
					continue
				}
				pick = same[0]
			}
			final[i] = im.ds.addRegion(*pick)
		}
	}
	if len(im.iss.list) > 0 {
		return
	}
	for j := range im.ds.Obs {
		im.ds.Obs[j].Region = final[im.ds.Obs[j].Region]
	}
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
					im.issue(k.firstRow, 0, "", i18n.Tf("代码 %s 对应“%s”，但名称写的是“%s”", "code %s is %s but the name says %q", k.code, r.NameZH, k.name))
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

// checkDuplicates rejects two observations of the same region, indicator
// and year. It uses a bitset over the key space when that is small enough,
// else a map.
func (im *importer) checkDuplicates() {
	obs := im.ds.Obs
	if len(obs) == 0 {
		return
	}
	minY, maxY := obs[0].Year, obs[0].Year
	for _, o := range obs {
		minY, maxY = min(minY, o.Year), max(maxY, o.Year)
	}
	nr, ni, ny := int64(len(im.ds.Regions)), int64(len(im.ds.Indicators)), int64(maxY-minY)+1
	report := func(j int) {
		o := obs[j]
		first := -1
		for i := 0; i < j; i++ {
			if obs[i].Region == o.Region && obs[i].Indicator == o.Indicator && obs[i].Year == o.Year {
				first = i
				break
			}
		}
		r, ind := im.ds.Regions[o.Region], im.ds.Indicators[o.Indicator]
		im.issue(int(o.Row), int(o.Col), "", i18n.Tf("重复数据：%s / %s / %d 已在第%d行出现", "duplicate: %s / %s / %d already given in row %d", r.NameZH, ind.NameZH, o.Year, obs[max(first, 0)].Row))
	}
	if size := nr * ni * ny; size <= 1<<30 {
		bits := make([]uint64, (size+63)/64)
		for j, o := range obs {
			b := (int64(o.Region)*ni+int64(o.Indicator))*ny + int64(o.Year-minY)
			if bits[b/64]&(1<<(b%64)) != 0 {
				report(j)
				if len(im.iss.list) >= maxIssues {
					return
				}
				continue
			}
			bits[b/64] |= 1 << (b % 64)
		}
		return
	}
	seen := make(map[obsKey]struct{}, len(obs))
	for j, o := range obs {
		k := obsKey{o.Region, o.Indicator, o.Year}
		if _, dup := seen[k]; dup {
			report(j)
			continue
		}
		seen[k] = struct{}{}
	}
}

// SortedRegionCodes returns the dataset's region codes sorted.
func (ds *Dataset) SortedRegionCodes() []string {
	out := make([]string, len(ds.Regions))
	for i, r := range ds.Regions {
		out[i] = r.Code
	}
	sort.Strings(out)
	return out
}
