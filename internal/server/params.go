package server

import (
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"agglo/internal/dataset"
)

// maxQuote is the most characters of a user's value (a cell, a field, a
// file name, a parameter) that a message quotes.
const maxQuote = 80

// quote is a user's value cut for a message (see clip).
type quote struct {
	text string
	n    int // characters of the whole value
	cut  bool
}

func (q quote) String() string { return q.text }

// clip cuts user text echoed in a message to maxQuote characters with an
// ellipsis; errf then adds the value's length to the message.
func clip(s string) quote {
	t, n, cut := cutText(s, maxQuote)
	return quote{text: t, n: n, cut: cut}
}

// cutText returns s cut to max characters with an ellipsis, the number of
// characters of s, and whether it was cut.
func cutText(s string, max int) (string, int, bool) {
	if len(s) <= max {
		return s, len(s), false
	}
	n := utf8.RuneCountInString(s)
	if n <= max {
		return s, n, false
	}
	i, k := 0, 0
	for k < max {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
		k++
	}
	return s[:i] + "…", n, true
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func splitList(v string) []string {
	var out []string
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// latestYear is the most recent year of the dataset (0 when undated).
func latestYear(ds *dataset.Dataset) int {
	ys := ds.Years()
	if len(ys) == 0 {
		return 0
	}
	return ys[len(ys)-1]
}

// intParam reads an integer query parameter; absent gives def.
func intParam(r *http.Request, name string, def, lo, hi int) (int, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return 0, badRequest(name, "%s 须为 %d 到 %d 之间的整数（收到“%s”）", "%s must be an integer between %d and %d (got %q)", name, lo, hi, clip(v))
	}
	return n, nil
}

// yearParam reads ?year=; absent gives 0 (the latest year with data).
func yearParam(r *http.Request) (int, error) {
	v := r.URL.Query().Get("year")
	if v == "" {
		return 0, nil
	}
	y, err := strconv.Atoi(v)
	if err != nil || y < 0 || y > 9999 {
		return 0, badRequest("year", "year 须为年份数字（收到“%s”）", "year must be a year number (got %q)", clip(v))
	}
	return y, nil
}

// boolParam reads a true/false query parameter.
func boolParam(r *http.Request, name string) (bool, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, badRequest(name, "%s 只能是 true 或 false（收到“%s”）", "%s must be true or false (got %q)", name, clip(v))
	}
	return b, nil
}

func parseID(v, field string) (int64, error) {
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n <= 0 {
		return 0, notFound(field, "没有编号为“%s”的记录", "no record %q", clip(v))
	}
	return n, nil
}
