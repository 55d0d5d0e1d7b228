package server

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"path"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

func tooLarge(field, zh, en string, args ...any) error {
	return errf(http.StatusRequestEntityTooLarge, codeTooLarge, field, zh, en, args...)
}

var dimensionRef = regexp.MustCompile(`<(?:\w+:)?dimension\s+ref="([A-Z]{1,3})?(\d+)?(?::([A-Z]{1,3})(\d+))?"`)

// ratioFloor is the uncompressed size from which an XLSX entry's
// compression ratio is checked: below it a high ratio cannot amount to
// much (the entry count bounds the sum), above it every entry counts, so
// that many mid-size entries of zeros are caught as surely as one large
// one.
const ratioFloor = 64 << 10

// cfbSignature starts an OLE compound file: an Excel file protected with a
// password (or an old .xls), not a zip archive.
var cfbSignature = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// checkXLSX refuses an XLSX file before it is parsed when its zip
// directory announces a zip bomb or a table too large. It reads the zip
// directory: entry count, the uncompressed size of
// each entry (MaxEntryBytes) and of all (MaxUnzipped), the compression
// ratio of every entry over ratioFloor, and each worksheet's declared
// dimension. archive/zip (used by excelize too) fails when an entry
// inflates beyond the size its directory declares, so the sizes can be
// trusted; a worksheet's declared dimension cannot, and the importer
// counts the rows and cells it reads.
func checkXLSX(r io.ReaderAt, size int64, l Limits) error {
	head := make([]byte, len(cfbSignature))
	if n, _ := r.ReadAt(head, 0); n == len(head) && bytes.Equal(head, cfbSignature) {
		return errf(http.StatusUnprocessableEntity, codeValidation, "file",
			"这个 Excel 文件设有打开密码（已加密），或是旧版 .xls 文件：请去掉密码或另存为 .xlsx 后再上传",
			"this Excel file is protected with a password (encrypted), or is an old .xls file: remove the password or save it as .xlsx, then upload it again")
	}
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return errf(http.StatusUnprocessableEntity, codeValidation, "file", "不是有效的 .xlsx 文件（无法读取 zip 目录）", "not a valid .xlsx file (unreadable zip directory)")
	}
	if len(zr.File) > l.MaxZipEntries {
		return tooLarge("file", "Excel 文件包含 %d 个条目，超过 %d 的上限", "the Excel file has %d entries, over the limit of %d", len(zr.File), l.MaxZipEntries)
	}
	var total uint64
	for _, f := range zr.File {
		size := f.UncompressedSize64
		if size > uint64(l.MaxEntryBytes) {
			return tooLarge("file", "Excel 文件中的“%s”解压后超过 %d MB 的上限", "entry %q of the Excel file unpacks to more than %d MB", clip(f.Name), l.MaxEntryBytes>>20)
		}
		total += size
		if total > uint64(l.MaxUnzipped) {
			return tooLarge("file", "Excel 文件解压后超过 %d MB 的上限（疑似压缩炸弹）", "the Excel file unpacks to more than %d MB (a zip bomb?)", l.MaxUnzipped>>20)
		}
		if size >= ratioFloor && size > uint64(l.MaxRatio)*max(f.CompressedSize64, 1) {
			return tooLarge("file", "Excel 文件中的“%s”压缩比异常（疑似压缩炸弹）", "entry %q of the Excel file has an abnormal compression ratio (a zip bomb?)", clip(f.Name))
		}
	}
	for _, f := range zr.File {
		if !strings.HasPrefix(f.Name, "xl/worksheets/") || path.Ext(f.Name) != ".xml" {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return errf(http.StatusUnprocessableEntity, codeValidation, "file", "无法读取工作表 %s", "cannot read worksheet %s", clip(f.Name))
		}
		head, _ := io.ReadAll(io.LimitReader(rc, 64<<10))
		rc.Close()
		m := dimensionRef.FindSubmatch(head)
		if m == nil {
			continue
		}
		rows, cols := 0, 0
		if len(m[4]) > 0 {
			rows, _ = strconv.Atoi(string(m[4]))
			cols = columnNumber(string(m[3]))
		} else if len(m[2]) > 0 {
			rows, _ = strconv.Atoi(string(m[2]))
			cols = columnNumber(string(m[1]))
		}
		if rows > l.MaxRows {
			return tooLarge("file", "工作表有 %d 行，超过 %d 行的上限", "a worksheet has %d rows, over the limit of %d", rows, l.MaxRows)
		}
		if cols > l.MaxCols {
			return tooLarge("file", "工作表有 %d 列，超过 %d 列的上限", "a worksheet has %d columns, over the limit of %d", cols, l.MaxCols)
		}
	}
	return nil
}

// columnNumber converts an Excel column name (A, Z, AA) to its number.
func columnNumber(s string) int {
	n := 0
	for _, c := range s {
		n = n*26 + int(c-'A'+1)
	}
	return n
}

// decodeJSON reads a JSON request body into v: the content type must be
// application/json, the body within MaxJSONBody, nested at most
// MaxJSONDepth deep, with no unknown fields and nothing after the value.
func (s *Server) decodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "application/json" {
		return errf(http.StatusUnsupportedMediaType, codeMediaType, "Content-Type", "请求体须为 application/json", "the request body must be application/json")
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.cfg.Limits.MaxJSONBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return tooLarge("", "请求体超过 %d KB 的上限", "the request body exceeds the %d KB limit", mbe.Limit>>10)
		}
		return badRequest("", "读取请求体失败", "could not read the request body")
	}
	if len(bytes.TrimSpace(body)) == 0 {
		body = []byte("{}")
	}
	if err := checkDepth(body, s.cfg.Limits.MaxJSONDepth); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if dec.More() {
		return errf(http.StatusBadRequest, codeInvalidJSON, "", "JSON 值之后还有多余内容", "unexpected data after the JSON value")
	}
	return nil
}

func jsonError(err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return errf(http.StatusBadRequest, codeInvalidJSON, "", "JSON 格式错误（第 %d 字节）", "malformed JSON at byte %d", se.Offset)
	case errors.As(err, &te):
		return errf(http.StatusBadRequest, codeInvalidJSON, te.Field, "字段 %[1]s 的类型错误（应为%[2]s）", "field %[1]s has the wrong type (want %[3]s)", te.Field, jsonTypeName(te.Type).ZH, jsonTypeName(te.Type).EN)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return errf(http.StatusBadRequest, codeInvalidJSON, "", "JSON 不完整", "truncated JSON")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		f := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return errf(http.StatusBadRequest, codeInvalidJSON, clip(f).text, "未知字段 %s", "unknown field %s", clip(f))
	}
	return errf(http.StatusBadRequest, codeInvalidJSON, "", "JSON 无效", "invalid JSON")
}

// checkDepth refuses JSON nested deeper than max, scanning tokens without
// building values.
func checkDepth(b []byte, max int) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	depth := 0
	for {
		t, err := dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return jsonError(err)
		}
		if d, ok := t.(json.Delim); ok {
			switch d {
			case '{', '[':
				depth++
				if depth > max {
					return errf(http.StatusBadRequest, codeInvalidJSON, "", "JSON 嵌套超过 %d 层", "JSON nested deeper than %d levels", max)
				}
			default:
				depth--
			}
		}
	}
}

// readText reads a text body (YAML) of at most MaxJSONBody bytes; JSON
// clients may instead send {"name": ..., "content": ...}.
func (s *Server) readText(w http.ResponseWriter, r *http.Request) (string, error) {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch mt {
	case "application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml", "text/plain":
	default:
		return "", errf(http.StatusUnsupportedMediaType, codeMediaType, "Content-Type", "请求体须为 YAML（application/yaml）", "the request body must be YAML (application/yaml)")
	}
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.cfg.Limits.MaxJSONBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return "", tooLarge("", "请求体超过 %d KB 的上限", "the request body exceeds the %d KB limit", mbe.Limit>>10)
		}
		return "", badRequest("", "读取请求体失败", "could not read the request body")
	}
	if !utf8.Valid(b) {
		return "", badRequest("", "请求体不是有效的 UTF-8 文本", "the request body is not valid UTF-8")
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return "", badRequest("", "请求体为空", "the request body is empty")
	}
	return string(b), nil
}

var nameRE = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,64}$`)
