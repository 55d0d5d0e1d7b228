package server

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"agglo/internal/dataset"
	"agglo/internal/i18n"
	"agglo/internal/store"
)

// createDataset imports an uploaded CSV or XLSX file (multipart field
// "file") and stores it in its binary form (dataset.Save).
//
// An upload larger than SmallUpload (or of unknown size) first reserves
// its size from the upload budget. The file is parsed once, in the parse
// pool (a small file never waits behind a large one), with the server's
// limits counted as it is read: a CSV file as it arrives, so that
// receiving and parsing overlap and the body is never held whole; an XLSX
// file (a zip archive, read from its end) after it has been received into
// a temporary file next to the workspace. It is validated completely
// before anything is stored, and stored in one transaction within the
// workspace quota. The dataset is not kept: its first use loads it from
// what was stored (loadStored).
func (s *Server) createDataset(w http.ResponseWriter, r *http.Request) {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "multipart/form-data" {
		s.fail(w, r, errf(http.StatusUnsupportedMediaType, codeMediaType, "Content-Type",
			"上传须为 multipart/form-data，文件放在字段 file 中", "upload as multipart/form-data with the file in field \"file\""))
		return
	}
	lim := s.cfg.Limits
	if r.ContentLength > lim.MaxBody+64<<10 {
		s.fail(w, r, tooLarge("file", "文件超过 %d MB 的上限", "the file exceeds the %d MB limit", lim.MaxBody>>20))
		return
	}
	size := r.ContentLength // the lane of the parse pool; the file is smaller
	if size < 0 {
		size = lim.MaxBody
	}
	if size > lim.SmallUpload {
		rctx, cancel := context.WithTimeout(r.Context(), uploadQueueWait)
		held, err := s.uploads.reserve(rctx, size)
		cancel()
		if err != nil {
			if r.Context().Err() == nil {
				s.fail(w, r, errf(http.StatusServiceUnavailable, codeBusy, "", "服务器正在接收其他上传，请稍后再试", "the server is receiving other uploads; try again later"))
			}
			return
		}
		defer s.uploads.release(held)
		s.allowTransfer(w, size)
	}
	r.Body = http.MaxBytesReader(w, r.Body, lim.MaxBody)
	up := &upload{srv: s, ctx: r.Context(), laneSize: size}
	defer up.close()
	if err := s.receiveUpload(r, up); err != nil {
		if r.Context().Err() == nil {
			s.fail(w, r, err)
		}
		return
	}
	ds := up.ds
	name := up.name
	if name == "" {
		name = strings.TrimSuffix(up.fileName, filepath.Ext(up.fileName))
	}
	notes, _ := json.Marshal(nonNilIssues(ds.Notes))
	rec := &store.Dataset{Name: name, FileName: up.fileName, Format: string(up.format), Size: up.size, SHA256: up.sha256,
		Regions: len(ds.Regions), Indicators: len(ds.Indicators), Observations: ds.Len(), Years: ds.Years(), Notes: notes}
	err := s.store.CreateDatasetBinary(r.Context(), rec, func(w io.Writer) error { return dataset.Save(w, ds) })
	if err != nil {
		if r.Context().Err() != nil {
			return // the client went away; the transaction rolled back
		}
		var qe *store.QuotaError
		if errors.As(err, &qe) {
			err = errf(http.StatusInsufficientStorage, codeQuota, "file",
				"工作区已用 %.1f MB，再存入这个数据集（%.1f MB）将超过 %.0f MB 的上限（--max-workspace-mb）：请先删除不需要的数据集",
				"the workspace holds %.1f MB; storing this dataset (%.1f MB) would take it over its %.0f MB limit (--max-workspace-mb): delete datasets you no longer need first",
				mb(qe.Used), mb(qe.Adding), mb(qe.Limit))
		}
		s.fail(w, r, err)
		return
	}
	up.close()
	info := infoOf(rec)
	// A new id may be one a deleted dataset had: drop anything kept of it.
	s.data.forget(rec.ID)
	s.cache.invalidate(info.ID)
	w.Header().Set("Location", "/api/v1/datasets/"+info.ID)
	s.created(w, uploadResult{Dataset: info})
}

// uploadQueueWait is how long an upload waits for room in the upload
// budget before it is refused with 503.
const uploadQueueWait = 30 * time.Second

// uploadRate is the slowest transfer for which an upload of n bytes gets
// time beyond the server's read and write timeouts: n / uploadRate.
const uploadRate = 2 << 20 // bytes per second

// allowTransfer extends the deadlines of a request that sends n bytes by
// the time they take at uploadRate, so that a large file over a modest
// link is not cut off by the read timeout meant for ordinary requests.
func (s *Server) allowTransfer(w http.ResponseWriter, n int64) {
	extra := time.Duration(n/uploadRate) * time.Second
	if extra < time.Second {
		return
	}
	rc := http.NewResponseController(w)
	_ = rc.SetReadDeadline(time.Now().Add(s.cfg.ReadTimeout + extra))
	_ = rc.SetWriteDeadline(time.Now().Add(s.cfg.WriteTimeout + extra))
}

func mb(n int64) float64 { return float64(n) / (1 << 20) }

// importLimits are the server's limits as the importer counts them.
func (s *Server) importLimits() dataset.Limits {
	l := s.cfg.Limits
	return dataset.Limits{MaxBytes: l.MaxBody, MaxRows: l.MaxRows, MaxColumns: l.MaxCols, MaxCells: l.MaxCells, MaxRegions: l.MaxRegions, MaxIndicators: l.MaxIndicators,
		MaxZipEntries: l.MaxZipEntries, MaxEntryBytes: l.MaxEntryBytes, MaxUnzipped: l.MaxUnzipped}
}

// importError is the API error of a file that does not import: 413 when
// it is beyond a limit (its message the limit and the flag that raises
// it), else 422, with its located issues.
func importError(ie *dataset.ImportError, field string) *apiError {
	status, code, text := http.StatusUnprocessableEntity, codeValidation, i18n.T(summaryZH(ie), summaryEN(ie))
	if ie.TooLarge {
		status, code = http.StatusRequestEntityTooLarge, codeTooLarge
		if len(ie.Issues) == 1 {
			text = i18n.T(ie.File+"："+ie.Issues[0].Text.ZH, ie.File+": "+ie.Issues[0].Text.EN)
		}
	}
	return &apiError{status: status, code: code, field: field, text: text, issues: ie.Issues, more: ie.More}
}

func nonNilIssues(v []dataset.Issue) []dataset.Issue {
	if v == nil {
		return []dataset.Issue{}
	}
	return v
}

func summaryZH(ie *dataset.ImportError) string {
	return strings.SplitN(ie.Localized(i18n.ZH), "\n", 2)[0]
}

func summaryEN(ie *dataset.ImportError) string {
	return strings.SplitN(ie.Localized(i18n.EN), "\n", 2)[0]
}

// upload is one file being received and parsed: what the request said of
// it, and once parsed the dataset with the file's size and SHA-256.
type upload struct {
	srv      *Server
	ctx      context.Context
	laneSize int64 // the size that chooses the parse pool's lane

	fileName, name string
	format         dataset.Format
	size           int64
	sha256         string
	ds             *dataset.Dataset

	tmp     *os.File // an XLSX file being received
	release func()   // the parse pool's slot, while parsing
}

// close gives back the parse slot (if a parse is under way) and deletes
// the temporary file.
func (u *upload) close() {
	if u.release != nil {
		u.release()
		u.release = nil
	}
	if u.tmp != nil {
		u.tmp.Close()
		os.Remove(u.tmp.Name())
		u.tmp = nil
	}
	u.ds = nil
}

// uploadPattern names the temporary files of uploads being received.
const uploadPattern = ".agglo-upload-*"

// removeStaleUploads deletes temporary upload files older than an hour
// (left by a server that was killed while receiving them) from dir.
func removeStaleUploads(dir string) {
	if dir == "" {
		return
	}
	names, _ := filepath.Glob(filepath.Join(dir, uploadPattern))
	for _, n := range names {
		if st, err := os.Lstat(n); err == nil && st.Mode().IsRegular() && time.Since(st.ModTime()) > time.Hour {
			os.Remove(n)
		}
	}
}

// receiveUpload reads the multipart body: the file in field "file", parsed
// as it arrives (up.parse), and an optional display name in field "name",
// before or after it.
func (s *Server) receiveUpload(r *http.Request, up *upload) error {
	// The multipart reader reads 4 KiB at a time; a large buffer beneath it
	// makes the reads from the connection large (a 303 MB file in a few
	// thousand system calls rather than 75,000).
	_, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || params["boundary"] == "" {
		return badRequest("Content-Type", "multipart 请求无效：缺少分界符", "invalid multipart request: no boundary")
	}
	size := 256 << 10
	if r.ContentLength > 0 && r.ContentLength < int64(size) {
		size = max(int(r.ContentLength), 4096)
	}
	mr := multipart.NewReader(bufio.NewReaderSize(r.Body, size), params["boundary"])
	up.name, err = readParts(mr, func(fileName string, body io.Reader) error {
		up.fileName = fileName
		return up.parse(body)
	})
	return err
}

// readParts reads the parts of a multipart upload: the one file in field
// "file", whose base name and body go to file as it arrives, and an
// optional display name in field "name" (before or after it), which it
// returns. Other fields are skipped.
func readParts(mr *multipart.Reader, file func(fileName string, body io.Reader) error) (name string, err error) {
	seen := false
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", uploadReadError(err)
		}
		switch part.FormName() {
		case "file":
			if seen {
				return "", badRequest("file", "只能上传一个文件", "upload one file at a time")
			}
			seen = true
			fileName := filepath.Base(strings.ReplaceAll(part.FileName(), "\\", "/"))
			if len(fileName) > maxFileName {
				return "", badRequest("file", "文件名长于 %d 字节", "the file name is longer than %d bytes", maxFileName)
			}
			if fileName == "" || fileName == "." || fileName == "/" {
				return "", badRequest("file", "上传的文件没有文件名", "the uploaded file has no file name")
			}
			if err := file(fileName, part); err != nil {
				return "", err
			}
		case "name":
			b, err := io.ReadAll(io.LimitReader(part, 1024))
			if err != nil {
				return "", uploadReadError(err)
			}
			name = strings.TrimSpace(string(b))
			if !utf8.ValidString(name) {
				return "", badRequest("name", "名称不是有效的 UTF-8 文本", "the name is not valid UTF-8")
			}
		}
		part.Close()
	}
	if !seen {
		return "", badRequest("file", "请求中没有文件（字段 file）", "no file in the request (field \"file\")")
	}
	return name, nil
}

// parse imports the file part body: a CSV file as it arrives, an XLSX file
// once received into a temporary file and its zip directory checked. It
// counts the bytes and computes the SHA-256 of all that the client sent.
func (up *upload) parse(body io.Reader) error {
	s := up.srv
	format, ok := dataset.FormatOf(up.fileName)
	if !ok || format == dataset.JSON || format == dataset.Binary {
		return errf(http.StatusUnprocessableEntity, codeValidation, "file", "不支持的文件类型“%s”（请用 .csv 或 .xlsx）",
			"unsupported file type %q (use .csv or .xlsx)", clip(filepath.Ext(up.fileName)))
	}
	up.format = format
	in := &bodyReader{r: body, h: sha256.New()}
	var src io.Reader = in
	lane := up.laneSize
	if format == dataset.XLSX {
		f, err := os.CreateTemp(s.cfg.TempDir, uploadPattern)
		if err != nil {
			return fmt.Errorf("create upload file: %w", err)
		}
		up.tmp = f
		bw := bufio.NewWriterSize(f, 1<<20)
		limit := s.maxXLSX()
		if _, err := io.Copy(bw, io.LimitReader(in, limit+1)); err != nil || (in.err != nil && in.err != io.EOF) {
			return in.failure(err)
		}
		if in.n > limit {
			return tooLarge("file", "Excel 文件超过 %d MB 的上限（Excel 文件解析时整个在内存中）：请另存为 CSV 再上传",
				"the Excel file exceeds the %d MB limit (an Excel file is held in memory while it is parsed): save it as CSV and upload that", limit>>20)
		}
		if err := bw.Flush(); err != nil {
			return fmt.Errorf("write upload file: %w", err)
		}
		sec := io.NewSectionReader(f, 0, in.n)
		if in.n > 0 {
			if err := checkXLSX(sec, in.n, s.cfg.Limits); err != nil {
				return err
			}
		}
		src, lane = sec, in.n
	}
	br := bufio.NewReaderSize(src, int(min(64<<10, max(lane, 4096))))
	if _, err := br.Peek(1); err == io.EOF {
		return errf(http.StatusUnprocessableEntity, codeValidation, "file", "文件为空", "the file is empty")
	}
	// The importer sizes its buffers by the input's size when it is known:
	// a small file gets small ones. The lane's size bounds the file's.
	file := sizedReader{br, lane}
	release, err := s.pool.acquire(up.ctx, lane, false)
	if err != nil {
		return err
	}
	up.release = release
	opts := s.data.opts
	opts.Limits = s.importLimits()
	var ds *dataset.Dataset
	read := func(ctx context.Context) (err error) {
		ds, err = dataset.ReadContext(ctx, file, up.fileName, format, opts)
		return err
	}
	over := false
	if lane > s.cfg.Limits.SmallUpload {
		err, over = guardHeap(up.ctx, s.cfg.Limits.MaxLiveHeap, read)
	} else {
		err = read(up.ctx)
	}
	// The slot bounds parsing; storing waits for the workspace's write
	// lock, which must not hold up the parsing of other files.
	up.release()
	up.release = nil
	if over {
		ds = nil
		return tooLarge("file", "解析这个文件所需的内存超过服务器的内存预算（--max-memory）：文件中的地区、指标或数值太多",
			"parsing this file needs more memory than the server's budget (--max-memory) allows: it holds too many regions, indicators or values")
	}
	if in.err != nil && in.err != io.EOF {
		return in.failure(nil) // the body, not the file, failed
	}
	if err != nil {
		var ie *dataset.ImportError
		if errors.As(err, &ie) {
			return importError(ie, "file")
		}
		if up.ctx.Err() != nil {
			return up.ctx.Err()
		}
		return invalidInput("file", err)
	}
	// Whatever the importer left unread (nothing, for a valid file) still
	// belongs to the file's size and checksum.
	if _, err := io.Copy(io.Discard, in); err != nil || (in.err != nil && in.err != io.EOF) {
		return in.failure(err)
	}
	up.ds, up.size, up.sha256 = ds, in.n, hex.EncodeToString(in.h.Sum(nil))
	return nil
}

// maxXLSX is the largest XLSX file an upload may be: the importer holds
// the whole file in memory (a zip archive is read from its end) besides
// what it inflates, so it gets half the upload budget, and never more than
// MaxBody. A CSV file is read as a stream and has no such limit.
func (s *Server) maxXLSX() int64 {
	return min(s.cfg.Limits.MaxBody, s.cfg.Limits.UploadBytes/2)
}

// sizedReader is a reader whose size (or a bound of it) is known.
type sizedReader struct {
	io.Reader
	size int64
}

func (r sizedReader) Size() int64 { return r.size }

// bodyReader reads the file part of an upload, counting its bytes and
// hashing them, and keeps the first error of the request body, so that a
// failure of the client (a body over the limit, a broken connection) is
// told from a problem of the file.
type bodyReader struct {
	r   io.Reader
	h   hash.Hash
	n   int64
	err error
}

func (b *bodyReader) Read(p []byte) (int, error) {
	if b.err != nil {
		return 0, b.err
	}
	n, err := b.r.Read(p)
	b.n += int64(n)
	b.h.Write(p[:n])
	if err != nil {
		b.err = err
	}
	return n, err
}

// failure is the error of a body that could not be read (or, when the body
// was read, err: a failure to write the temporary file).
func (b *bodyReader) failure(err error) error {
	if b.err != nil && b.err != io.EOF {
		return uploadReadError(b.err)
	}
	if err != nil {
		return fmt.Errorf("write upload file: %w", err)
	}
	return nil
}

func uploadReadError(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return errf(http.StatusRequestEntityTooLarge, codeTooLarge, "file", "文件超过 %d MB 的上限", "the file exceeds the %d MB limit", mbe.Limit>>20)
	}
	return badRequest("file", "读取上传内容失败", "could not read the upload")
}
