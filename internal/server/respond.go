package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"agglo/internal/analysis"
	"agglo/internal/dataset"
	"agglo/internal/i18n"
)

// apiError is an error with its HTTP status, a stable code, a message in
// both languages and the request field it concerns.
type apiError struct {
	status int
	code   string
	text   i18n.Text
	field  string
	// issues are located validation problems of an uploaded file.
	issues []dataset.Issue
	more   int
	cause  error
}

func (e *apiError) Error() string { return e.text.EN }

// Localized implements i18n.Localizer.
func (e *apiError) Localized(lang string) string { return e.text.In(lang) }

// Error codes.
const (
	codeBadRequest       = "bad_request"
	codeInvalidJSON      = "invalid_json"
	codeMediaType        = "unsupported_media_type"
	codeTooLarge         = "payload_too_large"
	codeNotFound         = "not_found"
	codeMethodNotAllowed = "method_not_allowed"
	codeUnauthorized     = "unauthorized"
	codeForbidden        = "forbidden"
	codeValidation       = "validation_failed"
	codeInvalidInput     = "invalid_input"
	codeConflict         = "conflict"
	codeBusy             = "busy"
	codeHostNotAllowed   = "host_not_allowed"
	codeTooCostly        = "too_costly"
	codeQuota            = "workspace_full"
	codeStoredData       = "stored_data_unreadable"
	codeInternal         = "internal"
)

// errf builds an API error; a clipped user value among args (see clip)
// adds its length to the message.
func errf(status int, code, field, zh, en string, args ...any) *apiError {
	t := i18n.Tf(zh, en, args...)
	for _, a := range args {
		if q, ok := a.(quote); ok && q.cut {
			t.ZH += fmt.Sprintf("（所引用的值共 %d 个字符）", q.n)
			t.EN += fmt.Sprintf(" (the quoted value has %d characters)", q.n)
		}
	}
	return &apiError{status: status, code: code, field: field, text: t}
}

func badRequest(field, zh, en string, args ...any) *apiError {
	return errf(http.StatusBadRequest, codeBadRequest, field, zh, en, args...)
}

func notFound(field, zh, en string, args ...any) *apiError {
	return errf(http.StatusNotFound, codeNotFound, field, zh, en, args...)
}

// invalidInput wraps a user-facing error of an analysis (a framework that
// does not fit the data, a bad method choice) as 422, in its own words.
func invalidInput(field string, err error) *apiError {
	var l i18n.Localizer
	if errors.As(err, &l) {
		return &apiError{status: http.StatusUnprocessableEntity, code: codeInvalidInput, field: field,
			text: i18n.T(l.Localized(i18n.ZH), l.Localized(i18n.EN)), cause: err}
	}
	return &apiError{status: http.StatusInternalServerError, code: codeInternal, cause: err}
}

// lang is the request's language: ?lang= first, then Accept-Language, then
// Chinese.
func lang(r *http.Request) string {
	if l := r.URL.Query().Get("lang"); l != "" {
		return i18n.Normalize(l)
	}
	if l := r.Header.Get("Accept-Language"); l != "" {
		return i18n.Normalize(l)
	}
	return i18n.ZH
}

// writeJSON writes v with status.
func (s *Server) writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		s.log.Error("encode response", "err", err)
		status = http.StatusInternalServerError
		buf.Reset()
		buf.WriteString(`{"error":{"code":"internal","message":"internal error / 内部错误","field":""}}` + "\n")
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

func (s *Server) ok(w http.ResponseWriter, v any)      { s.writeJSON(w, http.StatusOK, v) }
func (s *Server) created(w http.ResponseWriter, v any) { s.writeJSON(w, http.StatusCreated, v) }

type issueJSON struct {
	File    string    `json:"file,omitempty"`
	Sheet   string    `json:"sheet,omitempty"`
	Row     int       `json:"row,omitempty"`
	Col     int       `json:"col,omitempty"`
	Column  string    `json:"column,omitempty"`
	Message string    `json:"message"`
	Text    i18n.Text `json:"text"`
}

type errorBody struct {
	Code    string      `json:"code"`
	Message string      `json:"message"`
	Field   string      `json:"field"`
	Issues  []issueJSON `json:"issues,omitempty"`
	More    int         `json:"more,omitempty"`
}

// fail writes err as a JSON error. An *apiError speaks for itself; any
// other error is a 500 whose text is logged, never sent.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	var ae *apiError
	if !errors.As(err, &ae) {
		ae = &apiError{status: http.StatusInternalServerError, code: codeInternal, cause: err}
	}
	if ae.status >= 500 && (ae.code == codeInternal || ae.cause != nil) {
		s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", ae.cause)
	}
	if ae.status >= 500 && ae.code == codeInternal {
		ae = &apiError{status: http.StatusInternalServerError, code: codeInternal, text: i18n.T("服务器内部错误", "internal server error")}
	}
	l := lang(r)
	text := clipTexts(ae.text)
	body := errorBody{Code: ae.code, Message: text.In(l), Field: clip(ae.field).text, More: ae.more}
	for _, is := range ae.issues {
		t := clipTexts(is.Text)
		body.Issues = append(body.Issues, issueJSON{File: clip(is.File).text, Sheet: clip(is.Sheet).text, Row: is.Row, Col: is.Col,
			Column: clip(is.Column).text, Message: t.In(l), Text: t})
	}
	if ae.status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="agglo"`)
	}
	s.writeJSON(w, ae.status, map[string]errorBody{"error": body})
}

func asAPIError(err error, target **apiError) bool { return errors.As(err, target) }

// requestError wraps a localized error about a request field as a 400, or
// a 404 for a name that matches nothing.
func requestError(status int, field string, err error) *apiError {
	code := codeBadRequest
	if status == http.StatusNotFound {
		code = codeNotFound
	}
	return &apiError{status: status, code: code, field: field, text: i18n.T(i18n.Message(err, i18n.ZH), i18n.Message(err, i18n.EN)), cause: err}
}

// analysisError turns an error of the analysis layer into an API error: a
// name that matches nothing is a 404, any other request error a 422, both
// naming the request's field (rename maps the analysis's field names to
// this request's; fallback names the field of errors that name none).
func analysisError(err error, fallback string, rename map[string]string) error {
	var ae *apiError
	if errors.As(err, &ae) {
		return ae
	}
	field := fallback
	var re *analysis.RequestError
	if errors.As(err, &re) {
		field = re.Field
		if f, ok := rename[field]; ok {
			field = f
		}
		if re.NotFound {
			return requestError(http.StatusNotFound, field, err)
		}
	}
	return invalidInput(field, err)
}

// safeRun calls f, turning a panic (a computation that did not expect this
// data) into an error so that user data never crashes a request.
func safeRun[T any](f func() (T, error)) (res T, err error) {
	defer func() {
		if v := recover(); v != nil {
			err = errf(http.StatusUnprocessableEntity, codeInvalidInput, "dataset",
				"该数据集不足以完成这项计算", "this dataset cannot support this computation")
		}
	}()
	return f()
}

// writeRawJSON writes b, already encoded JSON, with status.
func writeRawJSON(w http.ResponseWriter, status int, b []byte) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)+1))
	w.WriteHeader(status)
	_, _ = w.Write(b)
	_, _ = w.Write([]byte{'\n'})
}

// maxMessage is the most characters of an error message sent.
const maxMessage = 2000

// clipTexts applies clipMessage to both languages of t.
func clipTexts(t i18n.Text) i18n.Text {
	return i18n.Text{ZH: clipMessage(t.ZH, i18n.ZH), EN: clipMessage(t.EN, i18n.EN)}
}

// clipMessage is the last guard on what an error message echoes, whoever
// wrote it (the importer, the analysis): every quoted run (between “ and ”
// or between double quotes) longer than maxQuote characters is cut to
// maxQuote with an ellipsis, its length following the closing quote, and
// the whole message is cut at maxMessage characters.
func clipMessage(s, lang string) string {
	if len(s) <= maxQuote {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r != '“' && r != '"' {
			b.WriteString(s[i : i+size])
			i += size
			continue
		}
		// Find the closing quote: ” after “, an unescaped " after ".
		start := i + size
		end := len(s)
		if r == '“' {
			if k := strings.IndexRune(s[start:], '”'); k >= 0 {
				end = start + k
			}
		} else {
			for k := start; k < len(s); k++ {
				if s[k] == '\\' {
					k++
					continue
				}
				if s[k] == '"' {
					end = k
					break
				}
			}
		}
		inner, n, cut := cutText(s[start:end], maxQuote)
		b.WriteString(s[i:start])
		b.WriteString(inner)
		closing := ""
		if end < len(s) {
			_, csize := utf8.DecodeRuneInString(s[end:])
			closing = s[end : end+csize]
			end += csize
		}
		b.WriteString(closing)
		if cut {
			if lang == i18n.EN {
				fmt.Fprintf(&b, " (%d characters)", n)
			} else {
				fmt.Fprintf(&b, "（共 %d 个字符）", n)
			}
		}
		i = end
	}
	out, _, cut := cutText(b.String(), maxMessage)
	if cut {
		return out
	}
	return b.String()
}
