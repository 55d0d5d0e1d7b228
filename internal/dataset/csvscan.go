package dataset

import (
	"bytes"
	"encoding/binary"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math/bits"

	"agglo/internal/i18n"
)

// This file is a byte-level CSV scanner with the semantics of
// encoding/csv as agglo configures it (variable fields per record, no
// lazy quotes, no comments, leading spaces kept): records end at '\n',
// "\r\n" counts as '\n', empty lines are skipped, a field that starts with
// '"' is quoted (with "" for a quote, and newlines allowed inside), a quote
// anywhere else is an error, as is anything but a delimiter or the end of
// the line after a closing quote. A differential test holds it to
// encoding/csv on random input, errors and their lines and columns
// included.
//
// It scans one block of text at a time. Blocks are cut at record
// boundaries (cutBlock) so that several can be scanned at once.

// csvSyntaxError is a malformed record: line and column (1-based, column in
// bytes) where it went wrong, as encoding/csv's ParseError says.
type csvSyntaxError struct {
	startLine, line, col int
	err                  error // csv.ErrQuote or csv.ErrBareQuote
}

func (e *csvSyntaxError) Error() string { return e.text().EN }

func (e *csvSyntaxError) text() i18n.Text {
	why := "引号多余或缺少" // csv.ErrQuote
	if errors.Is(e.err, csv.ErrBareQuote) {
		why = "未加引号的单元格中有引号"
	}
	return i18n.T(fmt.Sprintf("CSV 格式错误（第%d行第%d列）：%s", e.line, e.col, why),
		fmt.Sprintf("malformed CSV at line %d, column %d: %v", e.line, e.col, e.err))
}

// errTooManyFields is returned by the scanner when a record has more
// fields than allowed; the importer turns it into a located message.
var errTooManyFields = errors.New("too many fields")

// csvScanner splits a block into records.
type csvScanner struct {
	comma     byte
	maxFields int
	buf       []byte
	pos       int
	line      int // line number of buf[pos]
	last      bool
	rec       cells
	scratch   []byte
}

// field copies an unquoted field into the scratch buffer (the careful
// path keeps all of a record's fields there).
func (s *csvScanner) field(f []byte) {
	b := len(s.scratch)
	s.scratch = append(s.scratch, f...)
	s.rec.bounds = append(s.rec.bounds, b, len(s.scratch))
}

// reset starts scanning block, whose first byte is on line; last says
// whether the block ends the input (it then need not end with '\n').
func (s *csvScanner) reset(block []byte, line int, last bool) {
	s.buf, s.pos, s.line, s.last = block, 0, line, last
}

// next returns the fields of the next record and the line it starts on,
// or io.EOF at the end of the block. The fields point into the block or
// into a scratch buffer and are valid until the next call. raw is the
// record's text in the block (for UTF-8 checks).
func (s *csvScanner) next() (rec *cells, line int, raw []byte, err error) {
	buf := s.buf
	// Skip empty lines ("\n" and "\r\n").
	for {
		if s.pos >= len(buf) {
			return nil, 0, nil, io.EOF
		}
		if buf[s.pos] == '\n' {
			s.pos++
			s.line++
			continue
		}
		if buf[s.pos] == '\r' && s.pos+1 < len(buf) && buf[s.pos+1] == '\n' {
			s.pos += 2
			s.line++
			continue
		}
		if buf[s.pos] == '\r' && s.pos+1 == len(buf) && s.last {
			// A lone '\r' at the end of the input is dropped.
			s.pos++
			continue
		}
		break
	}
	start := s.pos
	recLine := s.line
	s.rec.bounds = s.rec.bounds[:0]
	s.scratch = s.scratch[:0]
	// Fast path: a line without quotes, split at its delimiters.
	if bounds, nl, ok := splitRecord(buf, start, s.comma, s.rec.bounds, s.maxFields); ok && (nl >= 0 || s.last) {
		s.rec.buf, s.rec.bounds = buf, bounds
		if nl >= 0 {
			s.pos = nl + 1
			s.line++
		} else {
			s.pos = len(buf)
		}
		if s.maxFields > 0 && s.rec.n() > s.maxFields {
			return nil, recLine, nil, errTooManyFields
		}
		return &s.rec, recLine, buf[start:s.pos], nil
	}
	s.rec.bounds = s.rec.bounds[:0]
	lineStart := s.pos // byte offset of the current line's start, for columns
	comma := s.comma
	pos := s.pos
	nfields := 0
	for {
		nfields++
		if s.maxFields > 0 && nfields > s.maxFields {
			// Skip to the end of the line so that the caller can go on.
			if i := bytes.IndexByte(buf[pos:], '\n'); i >= 0 {
				s.pos = pos + i + 1
				s.line++
			} else {
				s.pos = len(buf)
			}
			return nil, recLine, nil, errTooManyFields
		}
		if pos >= len(buf) || buf[pos] != '"' {
			// Unquoted field: up to the delimiter or the end of the line.
			i := pos
			for i < len(buf) {
				c := buf[i]
				if c == comma || c == '\n' || c == '"' {
					break
				}
				i++
			}
			if i < len(buf) && buf[i] == '"' {
				return s.syntaxErr(recLine, s.line, i-lineStart+1, csv.ErrBareQuote, buf)
			}
			end := i
			if i < len(buf) && buf[i] == comma {
				s.field(buf[pos:end])
				pos = i + 1
				continue
			}
			// End of line or of the block: drop the '\r' of "\r\n", or a
			// final '\r' at the end of the input.
			if end > pos && buf[end-1] == '\r' && (i < len(buf) || s.last) {
				end--
			}
			s.field(buf[pos:end])
			if i < len(buf) {
				i++ // the '\n'
				s.line++
			}
			s.pos = i
			s.rec.buf = s.scratch
			return &s.rec, recLine, buf[start:s.pos], nil
		}
		// Quoted field.
		pos++ // opening quote
		fstart := len(s.scratch)
		prevCol := 0 // encoding/csv's column after the previous line
		for {
			i := pos
			for i < len(buf) && buf[i] != '"' && buf[i] != '\n' {
				i++
			}
			if i < len(buf) && buf[i] == '\n' {
				// A newline inside the field: "\r\n" becomes "\n".
				seg := buf[pos:i]
				lineLen := i - lineStart + 1 // with the '\n'
				if len(seg) > 0 && seg[len(seg)-1] == '\r' {
					seg = seg[:len(seg)-1]
					lineLen--
				}
				s.scratch = append(s.scratch, seg...)
				s.scratch = append(s.scratch, '\n')
				if i+1 >= len(buf) {
					// The input ends inside the quotes, after a line end.
					return s.syntaxErr(recLine, s.line, lineLen+1, csv.ErrQuote, buf)
				}
				prevCol = lineLen + 1
				pos = i + 1
				s.line++
				lineStart = pos
				continue
			}
			if i >= len(buf) {
				// The input ends inside the quotes. encoding/csv drops a
				// final '\r' and reports the column after the line's text,
				// or the end of the previous line when nothing is left.
				seg := buf[pos:i]
				if len(seg) > 0 && seg[len(seg)-1] == '\r' {
					seg = seg[:len(seg)-1]
				}
				n := pos - lineStart + len(seg)
				if n == 0 && prevCol > 0 {
					return s.syntaxErr(recLine, s.line-1, prevCol, csv.ErrQuote, buf)
				}
				return s.syntaxErr(recLine, s.line, n+1, csv.ErrQuote, buf)
			}
			// A quote.
			s.scratch = append(s.scratch, buf[pos:i]...)
			pos = i + 1
			if pos < len(buf) && buf[pos] == '"' {
				s.scratch = append(s.scratch, '"')
				pos++
				continue
			}
			switch {
			case pos < len(buf) && buf[pos] == comma:
				s.rec.bounds = append(s.rec.bounds, fstart, len(s.scratch))
				pos++
			case pos >= len(buf) && s.last,
				pos < len(buf) && buf[pos] == '\n',
				pos+1 < len(buf) && buf[pos] == '\r' && buf[pos+1] == '\n',
				pos+1 == len(buf) && buf[pos] == '\r' && s.last:
				s.rec.bounds = append(s.rec.bounds, fstart, len(s.scratch))
				if pos < len(buf) && buf[pos] == '\r' {
					pos++
				}
				if pos < len(buf) && buf[pos] == '\n' {
					pos++
					s.line++
				}
				s.pos = pos
				s.rec.buf = s.scratch
				return &s.rec, recLine, buf[start:s.pos], nil
			default:
				return s.syntaxErr(recLine, s.line, pos-lineStart, csv.ErrQuote, buf)
			}
			break
		}
	}
}

// syntaxErr records a syntax error and moves to the end of the block:
// after a syntax error nothing more is read.
func (s *csvScanner) syntaxErr(startLine, line, col int, err error, buf []byte) (*cells, int, []byte, error) {
	s.pos = len(buf)
	return nil, startLine, nil, &csvSyntaxError{startLine: startLine, line: line, col: col, err: err}
}

const (
	lows  = 0x0101010101010101
	highs = 0x8080808080808080
	low7s = 0x7f7f7f7f7f7f7f7f
)

// splitRecord appends to bounds the bounds of the fields of the line that
// starts at buf[start] (up to '\n', a "\r\n" counting as '\n', or the end
// of buf), at most max+1 fields (max 0: no limit), and returns the index
// of the '\n' (-1 at the end of buf). It reports false when the line
// holds a quote: the careful path reads it. It looks at eight bytes at a
// time: for a word x, y = x ^ (c * lows) has a zero byte where x has byte
// c, and ^(((y & low7s) + low7s) | y) & highs sets the high bit of exactly
// those bytes (no carry crosses a byte); the delimiters' high bits are
// read in order with TrailingZeros64.
func splitRecord(buf []byte, start int, comma byte, bounds []int, max int) ([]int, int, bool) {
	mc, mn, mq := uint64(comma)*lows, uint64('\n')*lows, uint64('"')*lows
	n0 := len(bounds)
	field := start
	i := start
	for ; i+8 <= len(buf); i += 8 {
		x := binary.LittleEndian.Uint64(buf[i:])
		yc, yn, yq := x^mc, x^mn, x^mq
		c := ^((yc&low7s + low7s) | yc) & highs
		nl := ^((yn&low7s + low7s) | yn) & highs
		q := ^((yq&low7s + low7s) | yq) & highs
		if nl != 0 {
			// Only what precedes the line end counts.
			below := (nl & -nl) - 1
			c &= below
			if q&below != 0 {
				return bounds[:n0], 0, false
			}
			for c != 0 {
				k := i + bits.TrailingZeros64(c)/8
				c &= c - 1
				bounds = append(bounds, field, k)
				field = k + 1
			}
			end := i + bits.TrailingZeros64(nl)/8
			return append(bounds, field, lineEnd(buf, field, end)), end, true
		}
		if q != 0 {
			return bounds[:n0], 0, false
		}
		for c != 0 {
			k := i + bits.TrailingZeros64(c)/8
			c &= c - 1
			bounds = append(bounds, field, k)
			field = k + 1
		}
		if max > 0 && len(bounds)-n0 > 2*max {
			if k := bytes.IndexByte(buf[i:], '\n'); k >= 0 {
				return bounds, i + k, true
			}
			return bounds, -1, true
		}
	}
	for ; i < len(buf); i++ {
		switch buf[i] {
		case comma:
			bounds = append(bounds, field, i)
			field = i + 1
		case '"':
			return bounds[:n0], 0, false
		case '\n':
			return append(bounds, field, lineEnd(buf, field, i)), i, true
		}
	}
	return append(bounds, field, lineEnd(buf, field, len(buf))), -1, true
}

// lineEnd drops the '\r' of a "\r\n" line end (or of a '\r' at the end
// of the input) from the last field, which runs from field to end.
func lineEnd(buf []byte, field, end int) int {
	if end > field && buf[end-1] == '\r' {
		return end - 1
	}
	return end
}

// cutBlock returns the length of the longest prefix of b that ends at a
// record boundary: just after a '\n' outside quotes. It returns 0 when b
// holds no complete record. b must start at a record boundary. Quotes are
// tracked by parity, which is exact for valid CSV; in invalid CSV the cut
// may fall inside a record, but only after the first syntax error, which
// the scan of the block reports first.
func cutBlock(b []byte) int {
	if bytes.IndexByte(b, '"') < 0 {
		return bytes.LastIndexByte(b, '\n') + 1
	}
	cut, pos := 0, 0
	for {
		q := bytes.IndexByte(b[pos:], '"')
		seg := b[pos:]
		if q >= 0 {
			seg = seg[:q]
		}
		if nl := bytes.LastIndexByte(seg, '\n'); nl >= 0 {
			cut = pos + nl + 1
		}
		if q < 0 {
			return cut
		}
		// Skip the quoted text up to its closing quote.
		pos += q + 1
		c := bytes.IndexByte(b[pos:], '"')
		if c < 0 {
			return cut
		}
		pos += c + 1
	}
}
