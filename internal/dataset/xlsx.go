package dataset

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"agglo/internal/i18n"
)

// readXLSX imports one sheet of an XLSX workbook. The workbook is checked
// before anything is inflated (guardWorkbook), and the sheet's rows are
// streamed and counted as they come: the sheet's declared size is never
// trusted.
func readXLSX(ctx context.Context, r io.Reader, name string, opts ReadOptions) (*Dataset, error) {
	b, err := readAllLimited(r, opts.Limits.MaxBytes)
	if err != nil {
		return nil, fileError(name, "", err)
	}
	wb, sheet, err := openWorkbook(b, opts.Sheet, opts.Limits)
	if err != nil {
		return nil, fileError(name, sheet, err)
	}
	defer wb.Close()
	rows, err := wb.Rows(sheet)
	if err != nil {
		return nil, fileError(name, sheet, errorWithDetail(err, "无法读取工作表“%s”", "cannot read sheet %q", sheet))
	}
	defer rows.Close()
	im := newImporter(name, sheet, opts)
	im.ctx = ctx
	lim := opts.Limits
	n := 0
	// next returns the cells of the next row, counted against the limits.
	next := func() ([]string, error) {
		if !rows.Next() {
			if err := rows.Error(); err != nil {
				return nil, errorWithDetail(err, "读取工作表出错", "error reading the sheet")
			}
			return nil, io.EOF
		}
		n++
		cols, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, errorWithDetail(err, "第%d行读取出错", "error reading row %d", n)
		}
		if len(cols) > lim.MaxColumns {
			return nil, limitError("第%d行有 %d 个单元格，超过 %d 个的上限", "row %d has %d cells, over the limit of %d", "", n, len(cols), lim.MaxColumns)
		}
		im.cells += int64(len(cols))
		if im.cells > lim.MaxCells {
			return nil, limitError("工作表有 %d 个以上的单元格，超过 %d 个的上限", "the sheet has more than %d cells, over the limit of %d", "--max-cells", lim.MaxCells, lim.MaxCells)
		}
		if n > lim.MaxRows+1 {
			return nil, limitError("工作表有 %d 行以上，超过 %d 行的上限", "the sheet has more than %d rows, over the limit of %d", "--max-rows", lim.MaxRows, lim.MaxRows)
		}
		return cols, nil
	}
	// The header: the row --header-row names, or the first row below any
	// title rows (rows of at most one cell, such as 表3-1 … or 单位：亿元).
	var header []string
	var tried []string
	titleUnit := ""
	for header == nil {
		cols, err := next()
		if err == io.EOF {
			if opts.HeaderRow > 0 {
				return nil, fileError(name, sheet, i18n.Errorf("工作表只有 %d 行，没有 --header-row 指定的第%d行", "the sheet has %d rows, not the row %d of --header-row", n, opts.HeaderRow))
			}
			if len(tried) > 0 {
				return nil, fileError(name, sheet, noHeaderError(tried))
			}
			return nil, fileError(name, sheet, i18n.Errorf("文件为空：没有表头", "the file is empty: no header row"))
		}
		if err != nil {
			return nil, fileError(name, sheet, err)
		}
		var c cells
		c.setStrings(cols)
		if opts.HeaderRow > 0 {
			if n == opts.HeaderRow {
				header = append([]string(nil), cols...)
			}
			continue
		}
		if c.blank() {
			continue
		}
		if nonEmpty(cols) < 2 {
			if u, ok := unitTitle(cols); ok {
				titleUnit = u
			}
			if len(tried) < maxTitleRows {
				tried = append(tried, fmt.Sprintf("%d（%s）", n, clipped(firstCell(cols))))
				continue
			}
			return nil, fileError(name, sheet, noHeaderError(tried))
		}
		header = append([]string(nil), cols...)
	}
	headerRow := n
	header = fillMerged(wb, sheet, header, headerRow)
	// A units row (（亿元）, 万人, %) or a row of years under the header
	// joins the header; the first data row is kept for reading.
	var pending []string
	if cols, err := next(); err == nil {
		if sub, ok := subHeader(header, cols); ok {
			for i, u := range sub {
				if u != "" {
					header[i] = joinHeader(header[i], u)
				}
			}
		} else {
			pending = cols
		}
	} else if !errors.Is(err, io.EOF) {
		var le *LimitError
		if errors.As(err, &le) {
			return nil, fileError(name, sheet, err)
		}
	}
	if titleUnit != "" {
		applyTitleUnit(header, titleUnit)
	}
	if err := im.header(header, headerRow, false); err != nil {
		return nil, err
	}
	p := newPart(0, name, sheet, nil)
	var fields cells
	for {
		if n&0xfff == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		var cols []string
		var err error
		if pending != nil {
			cols, pending = pending, nil
		} else {
			cols, err = next()
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			var le *LimitError
			if errors.As(err, &le) {
				return nil, fileError(name, sheet, err)
			}
			p.fail(n, textOf(err))
			break
		}
		if isNoteRow(cols) {
			// Notes under the table (注：…, 资料来源：…) end it.
			im.ds.Notes = append(im.ds.Notes, Issue{File: name, Sheet: sheet, Row: n, Text: i18n.Tf("第%d行起是表下的注释（%s），未作为数据读入", "rows from %d on are notes under the table (%s) and were not read as data", n, clipped(firstCell(cols)))})
			break
		}
		fields.setStrings(cols)
		p.record(im.lay, &fields, n)
		if p.full() {
			p.more++
			break
		}
	}
	cells := im.cells
	p.cells = 0
	if err := im.absorb(p); err != nil {
		return nil, fileError(name, sheet, err)
	}
	im.cells = cells
	if im.rows == 0 && len(im.iss.list) == 0 {
		im.issue(headerRow, 0, "", i18n.T("表头之后没有数据行", "no data rows after the header"))
	}
	return im.finish()
}

// maxTitleRows is how many rows of at most one cell may stand above the
// header of a sheet.
const maxTitleRows = 20

func nonEmpty(cols []string) int {
	n := 0
	for _, c := range cols {
		if strings.TrimSpace(c) != "" {
			n++
		}
	}
	return n
}

func firstCell(cols []string) string {
	for _, c := range cols {
		if t := strings.TrimSpace(c); t != "" {
			return t
		}
	}
	return ""
}

// noHeaderError says which rows were tried as the header and how to point
// at it.
func noHeaderError(tried []string) error {
	return i18n.Errorf("找不到表头：第 %s 行都只有一个单元格，像是标题而不是表头（表头须有地区列和至少一个指标列）；请用 --header-row 行号 指定表头所在行，或用 --sheet 工作表名 选择其他工作表",
		"no header found: rows %s have one cell each, like titles, not a header (a header needs a region column and at least one indicator column); name the header's row with --header-row N, or another sheet with --sheet NAME", strings.Join(tried, ", "))
}

// unitTitle reads a title row such as 单位：亿元 or 计量单位: 万人.
func unitTitle(cols []string) (string, bool) {
	t := firstCell(cols)
	for _, p := range []string{"计量单位", "单位", "unit", "Unit"} {
		if rest, ok := strings.CutPrefix(t, p); ok {
			rest = strings.TrimSpace(strings.TrimLeft(rest, ":： "))
			if _, err := ParseUnit(rest); err == nil && rest != "" {
				return rest, true
			}
		}
	}
	return "", false
}

// fillMerged gives the cells of the header row that a merged range covers
// the range's value (a group header spread over several columns).
func fillMerged(wb *excelize.File, sheet string, header []string, row int) []string {
	merged, err := wb.GetMergeCells(sheet)
	if err != nil {
		return header
	}
	for _, m := range merged {
		c1, r1, err1 := excelize.CellNameToCoordinates(m.GetStartAxis())
		c2, r2, err2 := excelize.CellNameToCoordinates(m.GetEndAxis())
		if err1 != nil || err2 != nil || row < r1 || row > r2 || c1 < 1 || c2 < c1 || c2 > maxMergedHeader {
			continue
		}
		for len(header) < c2 {
			header = append(header, "")
		}
		v := m.GetCellValue()
		for c := c1; c <= c2; c++ {
			if strings.TrimSpace(header[c-1]) == "" {
				header[c-1] = v
			}
		}
	}
	return header
}

// maxMergedHeader bounds the columns a merged header cell may widen the
// header to.
const maxMergedHeader = 16384

// subHeader reads the row under the header as units (（亿元）, 万人, %) or
// years (2019, 2020年) of the columns above them: every non-empty cell must
// be one or the other, and the first column (the region's) empty or 单位.
func subHeader(header, cols []string) ([]string, bool) {
	if nonEmpty(cols) == 0 {
		return nil, false
	}
	out := make([]string, len(header))
	for i, c := range cols {
		t := strings.TrimSpace(c)
		if t == "" {
			continue
		}
		if i == 0 {
			if t != "单位" && !strings.EqualFold(t, "unit") {
				return nil, false
			}
			continue
		}
		if i >= len(header) {
			return nil, false
		}
		inner := strings.TrimSpace(strings.Trim(t, "()（）[]【】"))
		if y, err := strconv.Atoi(strings.TrimSuffix(inner, "年")); err == nil && y >= 1800 && y <= 2199 {
			out[i] = strconv.Itoa(y)
			continue
		}
		if _, err := strconv.ParseFloat(inner, 64); err == nil {
			return nil, false // a number: data, not a unit
		}
		if inner == "" {
			return nil, false
		}
		if _, err := ParseUnit(inner); err != nil && !strings.ContainsAny(t, "()（）") {
			return nil, false
		}
		out[i] = "(" + inner + ")"
	}
	return out, true
}

// joinHeader adds a sub-header (a unit in brackets or a year) to a header.
func joinHeader(h, sub string) string {
	if strings.HasPrefix(sub, "(") {
		if _, unit, _ := splitHeader(h, false); unit != "" {
			return h // the header names its unit already
		}
		return strings.TrimSpace(h) + sub
	}
	if name, unit, _ := splitHeader(h, false); unit != "" {
		return name + "_" + sub + "(" + unit + ")"
	}
	return strings.TrimSpace(h) + "_" + sub
}

// applyTitleUnit gives the unit of a 单位：… title row to the indicator
// columns whose header names none.
func applyTitleUnit(header []string, unit string) {
	cols, _ := classify(header)
	for i, c := range cols {
		if c.role == roleIndicator && c.unit == "" && c.name != "" {
			header[i] = strings.TrimSpace(header[i]) + "(" + unit + ")"
		}
	}
}

// noteMarkers start the notes under a yearbook table.
var noteMarkers = []string{"注：", "注:", "注 ", "说明：", "说明:", "资料来源", "数据来源", "来源：", "Note:", "Notes:", "Source:", "Sources:"}

// isNoteRow reports whether a row is a note under the table: its first
// cell starts with a note marker (注：, 资料来源 …) or is 注.
func isNoteRow(cols []string) bool {
	t := firstCell(cols)
	if t == "" || t != strings.TrimSpace(cols[0]) && nonEmpty(cols) > 1 {
		return false
	}
	if t == "注" {
		return true
	}
	for _, m := range noteMarkers {
		if strings.HasPrefix(t, m) {
			return true
		}
	}
	return false
}

// readAllLimited reads r whole, refusing more than max bytes.
func readAllLimited(r io.Reader, max int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, errorWithDetail(err, "读取出错", "read error")
	}
	if int64(len(b)) > max {
		return nil, limitError("文件超过 %d MB 的上限", "the file exceeds the limit of %d MB", "", max>>20)
	}
	return b, nil
}

// oleMagic starts an OLE2 compound file: an old .xls workbook, or an XLSX
// workbook encrypted with a password (ECMA-376 Part 2 / MS-OFFCRYPTO: the
// package is stored as an "EncryptedPackage" stream in such a file).
var oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// maxPartBytes bounds the small parts of a workbook (workbook.xml and the
// relationship parts) that are read to find the sheet.
const maxPartBytes = 64 << 20

// xmlPartLimit is the size above which excelize keeps a worksheet or the
// shared strings in a temporary file instead of memory.
const xmlPartLimit = 64 << 20

// openWorkbook checks an XLSX file and opens it with only the parts needed
// to read one sheet: the zip directory is read first, and the declared
// (uncompressed) sizes of the parts that will be read are held to
// lim.MaxEntryBytes each and lim.MaxUnzipped together before anything is
// inflated; archive/zip fails when an entry inflates beyond its declared
// size, so the directory can be trusted. Other sheets, images and anything
// else are left out unread, so that a file of many mid-size entries cannot
// fill memory. It returns the chosen sheet's name.
func openWorkbook(b []byte, want string, lim Limits) (*excelize.File, string, error) {
	if bytes.HasPrefix(b, oleMagic) {
		if bytes.Contains(b, utf16le("EncryptedPackage")) {
			return nil, "", i18n.Errorf("Excel 文件已加密（设有打开密码）：请在 Excel 中取消密码后另存为 .xlsx 再导入", "the Excel file is encrypted (protected by a password): remove the password in Excel, save it as .xlsx and import it again")
		}
		return nil, "", i18n.Errorf("这是旧版 Excel 97-2003（.xls）或其他 OLE 文件，不是 .xlsx：请在 Excel 中另存为 .xlsx", "this is an old Excel 97-2003 (.xls) or other OLE file, not .xlsx: save it as .xlsx in Excel")
	}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil, "", errorWithDetail(err, "无法读取 Excel 文件（不是有效的 .xlsx？）", "cannot read the Excel file (not a valid .xlsx?)")
	}
	if len(zr.File) > lim.MaxZipEntries {
		return nil, "", limitError("Excel 文件有 %d 个条目，超过 %d 个的上限", "the Excel file has %d entries, over the limit of %d", "", len(zr.File), lim.MaxZipEntries)
	}
	entries := map[string]*zip.File{}
	for _, f := range zr.File {
		if f.Flags&0x1 != 0 {
			return nil, "", i18n.Errorf("Excel 文件已加密（设有打开密码）：请在 Excel 中取消密码后另存为 .xlsx 再导入", "the Excel file is encrypted (protected by a password): remove the password in Excel, save it as .xlsx and import it again")
		}
		entries[partName(f.Name)] = f
	}
	readPart := func(name string) ([]byte, error) {
		f, ok := entries[name]
		if !ok {
			return nil, nil
		}
		if f.UncompressedSize64 > maxPartBytes {
			return nil, limitError("Excel 文件中的“%s”解压后有 %d MB，超过 %d MB 的上限", "entry %q of the Excel file unpacks to %d MB, over the limit of %d MB", "", clipped(f.Name), f.UncompressedSize64>>20, maxPartBytes>>20)
		}
		rc, err := f.Open()
		if err != nil {
			return nil, errorWithDetail(err, "无法读取 Excel 文件中的“%s”", "cannot read entry %q of the Excel file", clipped(f.Name))
		}
		defer rc.Close()
		out, err := io.ReadAll(rc)
		if err != nil {
			return nil, errorWithDetail(err, "无法读取 Excel 文件中的“%s”", "cannot read entry %q of the Excel file", clipped(f.Name))
		}
		return out, nil
	}
	// The workbook part, from the package relationships.
	workbook := "xl/workbook.xml"
	rootRels, err := readPart("_rels/.rels")
	if err != nil {
		return nil, "", err
	}
	for _, rel := range parseRels(rootRels) {
		if strings.HasSuffix(rel.typ, "/officeDocument") {
			workbook = resolveTarget("", rel.target)
		}
	}
	wbXML, err := readPart(workbook)
	if err != nil {
		return nil, "", err
	}
	if wbXML == nil {
		return nil, "", i18n.Errorf("无法读取 Excel 文件（不是有效的 .xlsx？）：缺少 %s", "cannot read the Excel file (not a valid .xlsx?): %s is missing", workbook)
	}
	sheets := parseSheets(wbXML)
	if len(sheets) == 0 {
		return nil, "", i18n.Errorf("Excel 文件中没有工作表", "the Excel file has no sheet")
	}
	names := make([]string, len(sheets))
	for i, s := range sheets {
		names[i] = s.name
	}
	sheet, err := chooseSheet(names, want)
	if err != nil {
		return nil, "", err
	}
	dir := path.Dir(workbook)
	relsXML, err := readPart(path.Join(dir, "_rels", path.Base(workbook)+".rels"))
	if err != nil {
		return nil, sheet, err
	}
	keep := map[string]bool{"[content_types].xml": true, "_rels/.rels": true, workbook: true, path.Join(dir, "_rels", path.Base(workbook)+".rels"): true}
	rid := ""
	for _, s := range sheets {
		if s.name == sheet {
			rid = s.rid
		}
	}
	for _, rel := range parseRels(relsXML) {
		switch {
		case rel.id == rid, strings.HasSuffix(rel.typ, "/sharedStrings"), strings.HasSuffix(rel.typ, "/styles"):
			keep[resolveTarget(dir, rel.target)] = true
		}
	}
	var total uint64
	for name := range keep {
		f, ok := entries[name]
		if !ok {
			continue
		}
		if f.UncompressedSize64 > uint64(lim.MaxEntryBytes) {
			return nil, sheet, limitError("Excel 文件中的“%s”解压后有 %d MB，超过 %d MB 的上限", "entry %q of the Excel file unpacks to %d MB, over the limit of %d MB", "", clipped(f.Name), f.UncompressedSize64>>20, lim.MaxEntryBytes>>20)
		}
		total += f.UncompressedSize64
	}
	if total > uint64(lim.MaxUnzipped) {
		return nil, sheet, limitError("Excel 文件要读取的部分解压后有 %d MB，超过 %d MB 的上限", "the parts of the Excel file to read unpack to %d MB, over the limit of %d MB", "", total>>20, lim.MaxUnzipped>>20)
	}
	var slim bytes.Buffer
	zw := zip.NewWriter(&slim)
	for _, f := range zr.File {
		if !keep[partName(f.Name)] {
			continue
		}
		w, err := zw.CreateRaw(&f.FileHeader)
		if err != nil {
			return nil, sheet, errorWithDetail(err, "无法读取 Excel 文件", "cannot read the Excel file")
		}
		rc, err := f.OpenRaw()
		if err == nil {
			_, err = io.Copy(w, rc)
		}
		if err != nil {
			return nil, sheet, errorWithDetail(err, "无法读取 Excel 文件（不是有效的 .xlsx？）", "cannot read the Excel file (not a valid .xlsx?)")
		}
	}
	if err := zw.Close(); err != nil {
		return nil, sheet, errorWithDetail(err, "无法读取 Excel 文件", "cannot read the Excel file")
	}
	unzip := lim.MaxUnzipped
	if unzip < xmlPartLimit {
		unzip = xmlPartLimit
	}
	f, err := excelize.OpenReader(&slim, excelize.Options{UnzipSizeLimit: unzip, UnzipXMLSizeLimit: xmlPartLimit})
	if err != nil {
		return nil, sheet, errorWithDetail(err, "无法读取 Excel 文件（不是有效的 .xlsx？）", "cannot read the Excel file (not a valid .xlsx?)")
	}
	return f, sheet, nil
}

// partName folds a zip entry name as OPC part names compare: forward
// slashes, no leading slash, case-insensitive.
func partName(name string) string {
	return strings.ToLower(strings.TrimPrefix(strings.ReplaceAll(name, "\\", "/"), "/"))
}

// resolveTarget resolves a relationship target against the folder of the
// part that holds the relationship.
func resolveTarget(dir, target string) string {
	if strings.HasPrefix(target, "/") {
		return partName(target)
	}
	return partName(path.Join(dir, target))
}

func utf16le(s string) []byte {
	out := make([]byte, 0, 2*len(s))
	for _, c := range []byte(s) {
		out = append(out, c, 0)
	}
	return out
}

// eachElement calls f with the attributes of every element named local
// in the XML text b, up to the first token that does not decode.
func eachElement(b []byte, local string, f func(attrs []xml.Attr)) {
	dec := xml.NewDecoder(bytes.NewReader(b))
	for {
		tok, err := dec.Token()
		if err != nil {
			return
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == local {
			f(se.Attr)
		}
	}
}

type rel struct{ id, typ, target string }

// parseRels reads the relationships of a .rels part (unreadable XML gives
// none).
func parseRels(b []byte) []rel {
	var out []rel
	eachElement(b, "Relationship", func(attrs []xml.Attr) {
		var r rel
		for _, a := range attrs {
			switch a.Name.Local {
			case "Id":
				r.id = a.Value
			case "Type":
				r.typ = a.Value
			case "Target":
				r.target = a.Value
			}
		}
		out = append(out, r)
	})
	return out
}

type sheetRef struct{ name, rid string }

// parseSheets reads the sheet list of workbook.xml.
func parseSheets(b []byte) []sheetRef {
	var out []sheetRef
	eachElement(b, "sheet", func(attrs []xml.Attr) {
		var s sheetRef
		for _, a := range attrs {
			switch {
			case a.Name.Local == "name":
				s.name = a.Value
			case a.Name.Local == "id" && a.Name.Space != "":
				s.rid = a.Value
			}
		}
		out = append(out, s)
	})
	return out
}

// chooseSheet picks the sheet to read: the named one, else a sheet called
// "observations"/"数据", else the first.
func chooseSheet(sheets []string, want string) (string, error) {
	if len(sheets) == 0 {
		return "", i18n.Errorf("Excel 文件中没有工作表", "the Excel file has no sheet")
	}
	if want != "" {
		for _, s := range sheets {
			if s == want {
				return s, nil
			}
		}
		return "", &i18n.Error{Text: cellTf("找不到工作表“%s”（现有：%s）", "no sheet %q (sheets: %s)", want, clipped(strings.Join(sheets, ", ")))}
	}
	for _, s := range sheets {
		if s == "observations" || s == "数据" {
			return s, nil
		}
	}
	return sheets[0], nil
}
