package server

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"agglo/internal/dataset"
	"agglo/internal/i18n"
	"agglo/internal/store"
)

// paperID is the id of the embedded paper dataset, always present and
// read-only.
const paperID = "paper"

// DatasetInfo describes a dataset in the API.
type DatasetInfo struct {
	ID           string          `json:"id"`
	Name         string          `json:"name"`
	FileName     string          `json:"file_name,omitempty"`
	Format       string          `json:"format,omitempty"`
	Size         int64           `json:"size,omitempty"`
	SHA256       string          `json:"sha256,omitempty"`
	ReadOnly     bool            `json:"read_only"`
	Regions      int             `json:"regions"`
	Indicators   int             `json:"indicators"`
	Observations int             `json:"observations"`
	Years        []int           `json:"years"`
	Notes        json.RawMessage `json:"notes"`
	CreatedAt    *time.Time      `json:"created_at,omitempty"`
}

func infoOf(d *store.Dataset) DatasetInfo {
	t := d.CreatedAt
	return DatasetInfo{ID: strconv.FormatInt(d.ID, 10), Name: d.Name, FileName: d.FileName, Format: d.Format, Size: d.Size, SHA256: d.SHA256,
		Regions: d.Regions, Indicators: d.Indicators, Observations: d.Observations, Years: d.Years, Notes: d.Notes, CreatedAt: &t}
}

func parseDatasetID(id string) (int64, error) {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n <= 0 {
		return 0, notFound("dataset", "没有数据集“%s”", "no dataset %q", clip(id))
	}
	return n, nil
}

// ---- handlers ----

func (s *Server) listDatasets(w http.ResponseWriter, r *http.Request) {
	recs, err := s.store.Datasets(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := []DatasetInfo{s.data.paper.info}
	for i := range recs {
		out = append(out, infoOf(&recs[i]))
	}
	s.ok(w, out)
}

func (s *Server) showDataset(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if id == paperID {
		s.ok(w, s.data.paper.info)
		return
	}
	n, err := parseDatasetID(id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rec, err := s.store.Dataset(r.Context(), n)
	if errors.Is(err, store.ErrNotFound) {
		s.fail(w, r, notFound("id", "没有数据集“%s”", "no dataset %q", id))
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.ok(w, infoOf(rec))
}

func (s *Server) deleteDataset(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if id == paperID {
		s.fail(w, r, errf(http.StatusForbidden, codeForbidden, "id", "内置论文数据只读，不能删除", "the embedded paper dataset is read-only"))
		return
	}
	n, err := parseDatasetID(id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.store.DeleteDataset(r.Context(), n); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			err = notFound("id", "没有数据集“%s”", "no dataset %q", id)
		}
		s.fail(w, r, err)
		return
	}
	s.data.forget(n)
	s.cache.invalidate(strconv.FormatInt(n, 10))
	w.WriteHeader(http.StatusNoContent)
}

// uploadResult is the answer to a successful upload.
type uploadResult struct {
	Dataset DatasetInfo `json:"dataset"`
}

// maxFileName is the longest file name an upload may carry, in bytes (the
// limit of common file systems).
const maxFileName = 255

// createDataset imports an uploaded CSV or XLSX file (multipart field
// "file"). The file is validated completely before anything is stored, and
// stored in one transaction. Its body is read within the upload memory
// budget, its shape checked, and it is parsed in the parse pool: a small
// file never waits behind a large one.
func (s *Server) createDataset(w http.ResponseWriter, r *http.Request) {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "multipart/form-data" {
		s.fail(w, r, errf(http.StatusUnsupportedMediaType, codeMediaType, "Content-Type",
			"上传须为 multipart/form-data，文件放在字段 file 中", "upload as multipart/form-data with the file in field \"file\""))
		return
	}
	if r.ContentLength > s.cfg.Limits.MaxBody+64<<10 {
		s.fail(w, r, tooLarge("file", "文件超过 %d MB 的上限", "the file exceeds the %d MB limit", s.cfg.Limits.MaxBody>>20))
		return
	}
	// The body is held in memory until it is parsed: reserve its size
	// (the limit when unknown) from the upload budget first.
	want := s.cfg.Limits.MaxBody
	if r.ContentLength > 0 {
		want = r.ContentLength
	}
	rctx, cancel := context.WithTimeout(r.Context(), uploadQueueWait)
	held, err := s.uploads.reserve(rctx, want)
	cancel()
	if err != nil {
		if r.Context().Err() == nil {
			s.fail(w, r, errf(http.StatusServiceUnavailable, codeBusy, "", "服务器正在接收其他上传，请稍后再试", "the server is receiving other uploads; try again later"))
		}
		return
	}
	defer s.uploads.release(held)
	r.Body = http.MaxBytesReader(w, r.Body, s.cfg.Limits.MaxBody)
	content, fileName, name, err := s.readUpload(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	format, ok := dataset.FormatOf(fileName)
	if !ok || format == dataset.JSON {
		s.fail(w, r, errf(http.StatusUnprocessableEntity, codeValidation, "file", "不支持的文件类型“%s”（请用 .csv 或 .xlsx）",
			"unsupported file type %q (use .csv or .xlsx)", clip(filepath.Ext(fileName))))
		return
	}
	if err := checkShape(content, format, s.cfg.Limits); err != nil {
		s.fail(w, r, err)
		return
	}
	release, err := s.pool.acquire(r.Context(), int64(len(content)), false)
	if err != nil {
		if r.Context().Err() == nil {
			s.fail(w, r, err)
		}
		return
	}
	ds, err := s.parseUpload(content, fileName, format)
	release()
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if name == "" {
		name = strings.TrimSuffix(fileName, filepath.Ext(fileName))
	}
	sum := sha256.Sum256(content)
	notes, _ := json.Marshal(nonNilIssues(ds.Notes))
	rec := &store.Dataset{Name: name, FileName: fileName, Format: string(format), Size: int64(len(content)), SHA256: hex.EncodeToString(sum[:]),
		Regions: len(ds.Regions), Indicators: len(ds.Indicators), Observations: ds.Len(), Years: ds.Years(), Notes: notes}
	if err := s.store.CreateDataset(r.Context(), rec, content); err != nil {
		if r.Context().Err() != nil {
			return // the client went away; the transaction rolled back
		}
		var qe *store.QuotaError
		if errors.As(err, &qe) {
			err = errf(http.StatusInsufficientStorage, codeQuota, "file",
				"工作区已用 %.1f MB，加上这个文件（%.1f MB）将超过 %.0f MB 的上限（--max-workspace-mb）：请先删除不需要的数据集",
				"the workspace holds %.1f MB; this file (%.1f MB) would take it over its %.0f MB limit (--max-workspace-mb): delete datasets you no longer need first",
				mb(qe.Used), mb(qe.Adding), mb(qe.Limit))
		}
		s.fail(w, r, err)
		return
	}
	info := infoOf(rec)
	if prepared, err := s.data.prepare(r.Context(), ds); err == nil {
		s.data.put(rec.ID, newEntry(prepared, info))
	}
	// A new id may be one a deleted dataset had: drop anything kept of it.
	s.cache.invalidate(info.ID)
	w.Header().Set("Location", "/api/v1/datasets/"+info.ID)
	s.created(w, uploadResult{Dataset: info})
}

// uploadQueueWait is how long an upload waits for room in the upload
// memory budget before it is refused with 503.
const uploadQueueWait = 30 * time.Second

func mb(n int64) float64 { return float64(n) / (1 << 20) }

// parseUpload imports an uploaded file; a file that does not validate is a
// 422 listing its issues.
func (s *Server) parseUpload(content []byte, fileName string, format dataset.Format) (*dataset.Dataset, error) {
	ds, err := dataset.Read(bytes.NewReader(content), fileName, format, s.data.opts)
	if err != nil {
		var ie *dataset.ImportError
		if errors.As(err, &ie) {
			return nil, &apiError{status: http.StatusUnprocessableEntity, code: codeValidation, field: "file",
				text: i18n.T(summaryZH(ie), summaryEN(ie)), issues: ie.Issues, more: ie.More}
		}
		return nil, invalidInput("file", err)
	}
	return ds, nil
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

// readUpload reads the multipart body: the file in field "file" and an
// optional display name in field "name".
func (s *Server) readUpload(r *http.Request) (content []byte, fileName, name string, err error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, "", "", badRequest("Content-Type", "multipart 请求无效：%v", "invalid multipart request: %v", err)
	}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, "", "", uploadReadError(err)
		}
		switch part.FormName() {
		case "file":
			if content != nil {
				return nil, "", "", badRequest("file", "只能上传一个文件", "upload one file at a time")
			}
			fileName = filepath.Base(strings.ReplaceAll(part.FileName(), "\\", "/"))
			if len(fileName) > maxFileName {
				return nil, "", "", badRequest("file", "文件名长于 %d 字节", "the file name is longer than %d bytes", maxFileName)
			}
			b, err := io.ReadAll(part)
			if err != nil {
				return nil, "", "", uploadReadError(err)
			}
			content = b
		case "name":
			b, err := io.ReadAll(io.LimitReader(part, 1024))
			if err != nil {
				return nil, "", "", uploadReadError(err)
			}
			name = strings.TrimSpace(string(b))
			if !utf8.ValidString(name) {
				return nil, "", "", badRequest("name", "名称不是有效的 UTF-8 文本", "the name is not valid UTF-8")
			}
		}
		part.Close()
	}
	if content == nil {
		return nil, "", "", badRequest("file", "请求中没有文件（字段 file）", "no file in the request (field \"file\")")
	}
	if fileName == "" || fileName == "." || fileName == "/" {
		return nil, "", "", badRequest("file", "上传的文件没有文件名", "the uploaded file has no file name")
	}
	if len(content) == 0 {
		return nil, "", "", errf(http.StatusUnprocessableEntity, codeValidation, "file", "文件为空", "the file is empty")
	}
	return content, fileName, name, nil
}

func uploadReadError(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return errf(http.StatusRequestEntityTooLarge, codeTooLarge, "file", "文件超过 %d MB 的上限", "the file exceeds the %d MB limit", mbe.Limit>>20)
	}
	return badRequest("file", "读取上传内容失败", "could not read the upload")
}
