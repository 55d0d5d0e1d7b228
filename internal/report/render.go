package report

import (
	"encoding/json"
	"io"
	"strconv"
	"strings"

	"agglo/internal/assets"
	"agglo/internal/i18n"
)

// Formats a report can be written in.
const (
	FormatHTML     = "html"
	FormatMarkdown = "md"
	FormatJSON     = "json"
)

// Write renders r in format ("html", "md", "json" or "xlsx").
func (r *Report) Write(w io.Writer, format string) error {
	switch format {
	case FormatMarkdown:
		return r.WriteMarkdown(w)
	case FormatJSON:
		return r.WriteJSON(w)
	case FormatXLSX:
		return r.WriteXLSX(w)
	default:
		return r.WriteHTML(w)
	}
}

// WriteJSON writes the data behind every table and chart as indented JSON.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}

func licences() []Licence {
	return []Licence{
		{Component: "Apache ECharts", Version: assets.EChartsVersion(), Licence: "Apache-2.0 (with BSD-3-Clause parts from d3)",
			Note: i18n.T("图表由内嵌的 Apache ECharts 绘制；许可证与 NOTICE 见 agglo 源码 internal/assets/vendor/echarts/。",
				"Charts are drawn by the embedded Apache ECharts; its licence and NOTICE are in agglo's source under internal/assets/vendor/echarts/.")},
		{Component: "China map (echarts map/json/china.json)", Version: "4.9.0", Licence: "Apache-2.0",
			Note: i18n.T("中国省级底图取自 echarts 4.9.0，约2015年，边界仅为示意；许可证见 internal/assets/vendor/china-map/。",
				"The China province base map comes from echarts 4.9.0 (about 2015); boundaries are indicative only; licence in internal/assets/vendor/china-map/.")},
	}
}

// formatNumber prints v with the given decimals and thousands separators.
func formatNumber(v float64, decimals int) string {
	s := strconv.FormatFloat(v, 'f', decimals, 64)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, hasFrac := strings.Cut(s, ".")
	if len(intPart) > 4 {
		var b strings.Builder
		for i, c := range intPart {
			if i > 0 && (len(intPart)-i)%3 == 0 {
				b.WriteByte(',')
			}
			b.WriteRune(c)
		}
		intPart = b.String()
	}
	if hasFrac {
		intPart += "." + frac
	}
	if neg && strings.Trim(intPart, "0.,") != "" {
		intPart = "-" + intPart
	}
	return intPart
}

// footnotes numbers the derived provenances of a report in the order they
// are met.
type footnotes struct {
	index map[string]int
	list  []*Prov
	// pending are the numbers first met in the current section.
	pending []int
}

func (f *footnotes) key(p *Prov) string {
	return p.Formula + "\x00" + p.Ref
}

// mark returns the footnote number of a derived provenance, or 0.
func (f *footnotes) mark(p *Prov) int {
	if !p.Derived() {
		return 0
	}
	if f.index == nil {
		f.index = map[string]int{}
	}
	k := f.key(p)
	if n, ok := f.index[k]; ok {
		return n
	}
	f.list = append(f.list, p)
	n := len(f.list)
	f.index[k] = n
	f.pending = append(f.pending, n)
	return n
}

// flush returns and clears the footnotes first met since the last flush.
func (f *footnotes) flush() []int {
	out := f.pending
	f.pending = nil
	return out
}

// describeInputs shortens a long list of inputs.
func describeInputs(in []string) string {
	if len(in) <= 6 {
		return strings.Join(in, ", ")
	}
	return strings.Join(in[:6], ", ") + ", … (" + strconv.Itoa(len(in)) + ")"
}

// tableSources lists the distinct published or imported sources of a
// table's numbers.
func tableSources(t *Table) []string {
	seen := map[string]bool{}
	var out []string
	for _, row := range t.Rows {
		for _, c := range row {
			if c.Value == nil || c.Prov == nil || c.Prov.Derived() || c.Prov.Ref == "" {
				continue
			}
			if !seen[c.Prov.Ref] {
				seen[c.Prov.Ref] = true
				out = append(out, c.Prov.Ref)
			}
		}
	}
	return out
}
