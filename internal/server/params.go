package server

import (
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"agglo/internal/dataset"
)

// clip shortens user text echoed in messages.
func clip(s string) string {
	if len(s) <= 64 {
		return s
	}
	cut := 64
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
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
