package dataset

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"

	"agglo/internal/i18n"
)

// rowSource streams the rows of one table (a CSV file or an XLSX sheet).
// Next returns the cells of the next row and its 1-based row number, or
// io.EOF. The returned slice may be reused by the next call.
type rowSource interface {
	Next() ([]string, int, error)
	Close() error
}

// decodeText detects the text encoding of a CSV file: UTF-8 (with or
// without byte-order mark), UTF-16 with a byte-order mark, or GBK/GB18030 as
// Chinese statistical yearbooks often use. Anything else is an error.
func decodeText(r io.Reader) (io.Reader, string, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	peek, err := br.Peek(1 << 16)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, "", err
	}
	switch {
	case bytes.HasPrefix(peek, []byte{0xEF, 0xBB, 0xBF}):
		_, _ = br.Discard(3)
		return br, "UTF-8", nil
	case bytes.HasPrefix(peek, []byte{0xFF, 0xFE}), bytes.HasPrefix(peek, []byte{0xFE, 0xFF}):
		dec := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder()
		return transform.NewReader(br, dec), "UTF-16", nil
	}
	if bytes.IndexByte(peek, 0) >= 0 {
		return nil, "", i18n.Errorf("文件含有二进制内容（NUL 字节），不是 CSV 文本文件", "the file contains binary data (NUL bytes): not a CSV text file")
	}
	if utf8.Valid(trimPartialRune(peek)) {
		return br, "UTF-8", nil
	}
	dec := simplifiedchinese.GB18030.NewDecoder()
	if out, _, err := transform.Bytes(dec, peek); err == nil && utf8.Valid(out) && !bytes.ContainsRune(out, utf8.RuneError) {
		return transform.NewReader(br, simplifiedchinese.GB18030.NewDecoder()), "GB18030", nil
	}
	return nil, "", i18n.Errorf("文件编码无法识别：既不是 UTF-8 也不是 GBK/GB18030，请另存为 UTF-8 CSV", "unrecognised text encoding: neither UTF-8 nor GBK/GB18030; save the file as UTF-8 CSV")
}

// trimPartialRune drops an incomplete UTF-8 sequence at the end of a peeked
// buffer.
func trimPartialRune(b []byte) []byte {
	for i := 0; i < utf8.UTFMax && i < len(b); i++ {
		start := len(b) - 1 - i
		if utf8.RuneStart(b[start]) {
			if !utf8.FullRune(b[start:]) {
				return b[:start]
			}
			break
		}
	}
	return b
}

type csvSource struct {
	r    *csv.Reader
	line int
}

// newCSVSource opens a CSV stream, detecting encoding and delimiter (comma,
// tab or semicolon, from the first line).
func newCSVSource(r io.Reader) (*csvSource, string, error) {
	dr, enc, err := decodeText(r)
	if err != nil {
		return nil, "", err
	}
	br := bufio.NewReaderSize(dr, 1<<16)
	first, _ := br.Peek(4096)
	if i := bytes.IndexByte(first, '\n'); i >= 0 {
		first = first[:i]
	}
	comma := ','
	best := bytes.Count(first, []byte{','})
	for _, c := range []rune{'\t', ';'} {
		if n := bytes.Count(first, []byte(string(c))); n > best {
			comma, best = c, n
		}
	}
	cr := csv.NewReader(br)
	cr.Comma = comma
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	cr.LazyQuotes = false
	return &csvSource{r: cr}, enc, nil
}

func (s *csvSource) Next() ([]string, int, error) {
	rec, err := s.r.Read()
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, pe.StartLine, i18n.Errorf("CSV 格式错误（第%d行第%d列）：%v", "malformed CSV at line %d, column %d: %v", pe.Line, pe.Column, pe.Err)
		}
		return nil, 0, err
	}
	line, _ := s.r.FieldPos(0)
	s.line = line
	for _, f := range rec {
		if !utf8.ValidString(f) {
			return nil, line, i18n.Errorf("第%d行含有无效的 UTF-8 字符（文件编码不一致？）", "line %d has invalid UTF-8 (mixed encodings?)", line)
		}
	}
	return rec, line, nil
}

func (s *csvSource) Close() error { return nil }

// InputOffset returns the bytes of decoded text read so far.
func (s *csvSource) InputOffset() int64 { return s.r.InputOffset() }

type xlsxSource struct {
	f    *excelize.File
	rows *excelize.Rows
	n    int
}

// xlsxLimits bounds what an XLSX file may unpack to, so that a zip bomb is
// refused instead of filling memory.
type xlsxLimits struct {
	UnzipSize    int64 // total uncompressed size
	UnzipXMLSize int64 // a worksheet's XML kept in memory
}

func defaultXLSXLimits() xlsxLimits {
	return xlsxLimits{UnzipSize: 2 << 30, UnzipXMLSize: 64 << 20}
}

// openWorkbook opens an XLSX stream within limits.
func openWorkbook(r io.Reader, lim xlsxLimits) (*excelize.File, error) {
	f, err := excelize.OpenReader(r, excelize.Options{UnzipSizeLimit: lim.UnzipSize, UnzipXMLSizeLimit: lim.UnzipXMLSize})
	if err != nil {
		if strings.Contains(err.Error(), "size limit") || errors.Is(err, excelize.ErrWorkbookFileFormat) {
			return nil, i18n.Errorf("无法读取 Excel 文件：%v", "cannot read the Excel file: %v", err)
		}
		return nil, i18n.Errorf("无法读取 Excel 文件（不是有效的 .xlsx？）：%v", "cannot read the Excel file (not a valid .xlsx?): %v", err)
	}
	return f, nil
}

// chooseSheet picks the sheet to read: the named one, else a sheet called
// "observations"/"数据", else the first.
func chooseSheet(f *excelize.File, want string) (string, error) {
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return "", i18n.Errorf("Excel 文件中没有工作表", "the Excel file has no sheet")
	}
	if want != "" {
		for _, s := range sheets {
			if s == want {
				return s, nil
			}
		}
		return "", i18n.Errorf("找不到工作表“%s”（现有：%s）", "no sheet %q (sheets: %s)", want, strings.Join(sheets, ", "))
	}
	for _, s := range sheets {
		if s == "observations" || s == "数据" {
			return s, nil
		}
	}
	return sheets[0], nil
}

func newXLSXSource(f *excelize.File, sheet string) (*xlsxSource, error) {
	rows, err := f.Rows(sheet)
	if err != nil {
		return nil, i18n.Errorf("无法读取工作表“%s”：%v", "cannot read sheet %q: %v", sheet, err)
	}
	return &xlsxSource{f: f, rows: rows}, nil
}

func (s *xlsxSource) Next() ([]string, int, error) {
	if !s.rows.Next() {
		if err := s.rows.Error(); err != nil {
			return nil, s.n, i18n.Errorf("读取工作表出错：%v", "error reading the sheet: %v", err)
		}
		return nil, 0, io.EOF
	}
	s.n++
	cols, err := s.rows.Columns(excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, s.n, i18n.Errorf("第%d行读取出错：%v", "error reading row %d: %v", s.n, err)
	}
	return cols, s.n, nil
}

func (s *xlsxSource) Close() error {
	err := s.rows.Close()
	if cerr := s.f.Close(); err == nil {
		err = cerr
	}
	return err
}
