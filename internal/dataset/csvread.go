package dataset

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"unicode/utf8"

	"agglo/internal/i18n"
)

// blockSize is the size of the blocks of text that the CSV workers scan:
// small enough that a worker the system stops for a while holds up little
// (the blocks are taken in order), large enough that a block costs little
// beyond its rows.
const blockSize = 2 << 20

// readCSV imports a CSV file: the header is read first, then blocks of
// rows are scanned by opts.Workers goroutines while this one takes their
// parts in file order.
func readCSV(ctx context.Context, r io.Reader, name string, opts ReadOptions) (*Dataset, error) {
	dr, _, err := decodeText(r)
	if err != nil {
		return nil, fileError(name, "", err)
	}
	im := newImporter(name, "", opts)
	im.ctx = ctx
	size := opts.blockSize
	if size <= 0 {
		size = blockSize
		if opts.sizeHint > 0 && opts.sizeHint < int64(size) {
			size = int(opts.sizeHint) + 1
		}
	}
	br := &blockReader{r: dr, max: opts.Limits.MaxBytes, line: 1, size: size, free: make(chan []byte, 8*opts.Workers+4)}
	blk, line, last, err := br.next(ctx)
	if err != nil {
		return nil, fileError(name, "", err)
	}
	comma := detectComma(blk)
	if opts.DecimalComma && comma == ',' {
		return nil, fileError(name, "", i18n.Errorf("小数逗号（--decimal-comma）只用于以分号或制表符分隔的文件：此文件以逗号分隔", "a decimal comma (--decimal-comma) needs a file separated by semicolons or tabs: this file is separated by commas"))
	}

	// The header: the first record that is not blank.
	sc := &csvScanner{comma: comma, maxFields: opts.Limits.MaxColumns}
	sc.reset(blk, line, last)
	var header []string
	var tried []string // title rows skipped
	headerRow := 0
	for header == nil {
		fields, row, raw, err := sc.next()
		if err == io.EOF {
			if last {
				if len(tried) > 0 && opts.HeaderRow == 0 {
					return nil, fileError(name, "", noHeaderError(tried))
				}
				return nil, fileError(name, "", i18n.Errorf("文件为空：没有表头", "the file is empty: no header row"))
			}
			if blk, line, last, err = br.next(ctx); err != nil {
				return nil, fileError(name, "", err)
			}
			sc.reset(blk, line, last)
			continue
		}
		if err != nil {
			return nil, fileError(name, "", scanError(err, row, opts.Limits))
		}
		if !utf8.Valid(raw) {
			return nil, fileError(name, "", invalidUTF8(row))
		}
		im.cells += int64(fields.n())
		switch {
		case opts.HeaderRow > 0:
			if row >= opts.HeaderRow {
				header, headerRow = fields.strings(), row
			}
		case fields.blank():
		case nonEmpty(fields.strings()) < 2 && len(tried) < maxTitleRows:
			// A title row above the header (a yearbook table's name).
			tried = append(tried, fmt.Sprintf("%d（%s）", row, clipped(firstCell(fields.strings()))))
		default:
			header, headerRow = fields.strings(), row
		}
	}
	if err := im.header(header, headerRow, true); err != nil {
		return nil, err
	}
	first := job{seq: 0, block: blk[sc.pos:], line: sc.line, last: last}
	if err := im.readParts(ctx, br, first, comma); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fileError(name, "", err)
	}
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if im.rows == 0 && len(im.iss.list) == 0 {
		im.issue(headerRow, 0, "", i18n.T("表头之后没有数据行", "no data rows after the header"))
	}
	return im.finish()
}

// job is one block of records for a worker.
type job struct {
	seq   int
	block []byte
	line  int
	last  bool
	err   error
}

// readParts scans the blocks after the header with opts.Workers workers and
// absorbs their parts in order. It returns an error that ends the import
// at once (a limit, a read error, cancellation); problems in the data are
// kept in im.issues.
func (im *importer) readParts(parent context.Context, br *blockReader, first job, comma byte) error {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	workers := im.opts.Workers
	im.scratch = make(chan *entries, 8*workers+2)
	jobs := make(chan job, workers)
	results := make(chan *part, workers)
	// Blocks read but not yet absorbed; bounds the memory in flight.
	inFlight := make(chan struct{}, 6*workers+1)
	send := func(j job) bool {
		select {
		case inFlight <- struct{}{}:
		case <-ctx.Done():
			return false
		}
		select {
		case jobs <- j:
			return true
		case <-ctx.Done():
			return false
		}
	}
	go func() {
		defer close(jobs)
		j := first
		for {
			if !send(j) || j.last || j.err != nil {
				return
			}
			blk, line, last, err := br.next(ctx)
			j = job{seq: j.seq + 1, block: blk, line: line, last: last, err: err}
		}
	}()
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sc := &csvScanner{comma: comma, maxFields: im.opts.Limits.MaxColumns}
			for j := range jobs {
				var scratch *entries
				select {
				case scratch = <-im.scratch:
				default:
				}
				p := im.scanBlock(ctx, sc, j, scratch)
				br.recycle(j.block)
				select {
				case results <- p:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() {
		wg.Wait()
		close(results)
	}()
	pending := map[int]*part{}
	next := 0
	done := false
	var fatal error
	for p := range results {
		pending[p.seq] = p
		for {
			q, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			next++
			<-inFlight
			if done {
				continue
			}
			if err := parent.Err(); err != nil {
				fatal, done = err, true
				cancel()
				continue
			}
			if q.err != nil {
				fatal, done = q.err, true
				cancel()
				continue
			}
			if err := im.absorb(q); err != nil {
				fatal, done = err, true
				cancel()
				continue
			}
			if q.stop || im.full() {
				done = true
				cancel()
			}
		}
	}
	return fatal
}

// scanBlock reads the records of one block into a part.
func (im *importer) scanBlock(ctx context.Context, sc *csvScanner, j job, scratch *entries) *part {
	p := newPart(j.seq, im.file, "", scratch)
	if j.err != nil {
		p.err, p.stop = j.err, true
		return p
	}
	if ctx.Err() != nil {
		p.stop = true
		return p
	}
	sc.reset(j.block, j.line, j.last)
	lay := im.lay
	// longSimple checks the cells it reads; other layouts check the block.
	valid := lay.simple || utf8.Valid(j.block)
	for n := 0; ; n++ {
		fields, row, raw, err := sc.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			p.fail(row, textOf(scanError(err, row, im.opts.Limits)))
			break
		}
		if !valid && !utf8.Valid(raw) {
			p.fail(row, textOf(invalidUTF8(row)))
			break
		}
		p.cells += int64(fields.n())
		p.record(lay, fields, row)
		if p.stop {
			break
		}
		if p.full() {
			p.more++
			p.stop = true
			break
		}
		if n&0xffff == 0xffff && ctx.Err() != nil {
			p.stop = true
			break
		}
	}
	return p
}

func scanError(err error, row int, lim Limits) error {
	var se *csvSyntaxError
	switch {
	case errors.As(err, &se):
		return &i18n.Error{Text: se.text()}
	case errors.Is(err, errTooManyFields):
		return limitError("第%d行有 %d 个以上的单元格，超过上限", "row %d has more than %d cells, over the limit", "", row, lim.MaxColumns)
	}
	return err
}

func invalidUTF8(line int) error {
	return i18n.Errorf("第%d行含有无效的 UTF-8 字符（文件编码不一致？）", "line %d has invalid UTF-8 (mixed encodings?)", line)
}

// detectComma picks the delimiter of a CSV text from its first line:
// comma, tab or semicolon, whichever occurs most (comma on a tie).
func detectComma(text []byte) byte {
	first := text
	if len(first) > 4096 {
		first = first[:4096]
	}
	if i := bytes.IndexByte(first, '\n'); i >= 0 {
		first = first[:i]
	}
	comma := byte(',')
	best := bytes.Count(first, []byte{','})
	for _, c := range []byte{'\t', ';'} {
		if n := bytes.Count(first, []byte{c}); n > best {
			comma, best = c, n
		}
	}
	return comma
}

// blockReader cuts a text stream into blocks that end at record
// boundaries.
type blockReader struct {
	r     io.Reader
	max   int64
	read  int64
	line  int // line of the next block's first byte
	eof   bool
	size  int // block size
	carry []byte
	free  chan []byte
}

// next returns the next block, the line it starts on, and whether it is
// the last. A block holds at least one whole record unless it is the
// last.
func (b *blockReader) next(ctx context.Context) (block []byte, line int, last bool, err error) {
	if err := ctx.Err(); err != nil {
		return nil, 0, false, err
	}
	var buf []byte
	select {
	case buf = <-b.free:
	default:
		buf = make([]byte, 0, b.size+len(b.carry)+64)
	}
	buf = append(buf[:0], b.carry...)
	want := b.size
	for {
		for len(buf) < want && !b.eof {
			if cap(buf) == len(buf) {
				buf = append(buf, 0)[:len(buf)]
			}
			n, err := b.r.Read(buf[len(buf):cap(buf)])
			buf = buf[:len(buf)+n]
			b.read += int64(n)
			if b.read > b.max {
				return nil, 0, false, limitError("文件超过 %d MB 的上限", "the file exceeds the limit of %d MB", "", b.max>>20)
			}
			if err == io.EOF {
				b.eof = true
			} else if err != nil {
				return nil, 0, false, errorWithDetail(err, "读取出错", "read error")
			}
		}
		if b.eof {
			b.carry = b.carry[:0]
			line = b.line
			b.line += bytes.Count(buf, []byte{'\n'})
			return buf, line, true, nil
		}
		cut := cutBlock(buf)
		if cut > 0 {
			b.carry = append(b.carry[:0], buf[cut:]...)
			block = buf[:cut]
			line = b.line
			b.line += bytes.Count(block, []byte{'\n'})
			return block, line, false, nil
		}
		// One record longer than the block: read on.
		want = 2 * len(buf)
		if err := ctx.Err(); err != nil {
			return nil, 0, false, err
		}
	}
}

// recycle returns a block's buffer for reuse.
func (b *blockReader) recycle(block []byte) {
	if cap(block) < b.size || cap(block) > 4*b.size {
		return
	}
	select {
	case b.free <- block[:0]:
	default:
	}
}
