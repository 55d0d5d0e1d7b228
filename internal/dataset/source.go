package dataset

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"

	"agglo/internal/i18n"
)

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
