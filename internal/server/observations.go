package server

import (
	"bytes"
	"math"
	"net/http"
	"strings"

	"agglo/internal/analysis"
	"agglo/internal/dataset"
	"agglo/internal/format"
	"agglo/internal/i18n"
	"agglo/internal/xlsx"
)

type compareTable struct {
	Dataset    string           `json:"dataset"`
	Year       int              `json:"year"`
	Regions    []regionJSON     `json:"regions"`
	Indicators []indicatorBrief `json:"indicators"`
	// Values[i][j] is region i's value of indicator j (null when missing).
	Values [][]analysis.Num `json:"values"`
	// Derived[i][j] says how a value was computed when it is not data: an
	// agglomeration value rolled up from its members (rule, members'
	// level, coverage, partial members), or the formula of another
	// derived value; "" for data. Omitted when every value is data.
	Derived [][]string `json:"derived,omitempty"`
}

type indicatorBrief struct {
	Code string `json:"code"`
	Name string `json:"name"`
	Unit string `json:"unit"`
	// UnitText is the unit in the request's language.
	UnitText string `json:"unit_text"`
}

// observations returns a table of indicators (columns) for regions (rows):
// the five agglomerations by default, or the members of one agglomeration
// (members=CODE), or any regions (regions=a,b). format=xlsx exports it.
func (s *Server) observations(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	l := lang(r)
	kind := q.Get("format")
	if kind != "" && kind != "json" && kind != "xlsx" {
		s.fail(w, r, badRequest("format", "format 只能是 json 或 xlsx", "format must be json or xlsx"))
		return
	}
	var out compareTable
	err := s.withDataset(r.Context(), q.Get("dataset"), func(ds *dataset.Dataset, info DatasetInfo) error {
		year, err := yearParam(r)
		if err != nil {
			return err
		}
		explicit := q.Get("year") != ""
		out = compareTable{Dataset: info.ID, Regions: []regionJSON{}, Indicators: []indicatorBrief{}, Values: [][]analysis.Num{}}
		var codes []string
		switch {
		case q.Get("regions") != "":
			codes = splitList(q.Get("regions"))
		case q.Get("members") != "":
			a, ok := ds.Registry.Lookup(strings.ToUpper(q.Get("members")))
			if !ok || a.Level != dataset.LevelAgglomeration {
				return notFound("members", "没有代码为“%s”的城市群", "no agglomeration %q", clip(q.Get("members")))
			}
			seen := map[string]bool{}
			for _, m := range append(append([]dataset.Member{}, a.ProvinceMembers...), a.Members...) {
				if _, ok := ds.RegionIndex(m.Code); ok && !seen[m.Code] {
					seen[m.Code] = true
					codes = append(codes, m.Code)
				}
			}
		default:
			for _, a := range ds.Registry.Agglomerations() {
				codes = append(codes, a.Code)
			}
		}
		if len(codes) > 5000 {
			return badRequest("regions", "地区过多（最多 5000 个）", "too many regions (at most 5000)")
		}
		inds := splitList(q.Get("indicators"))
		if len(inds) == 0 {
			return badRequest("indicators", "请用 indicators=代码1,代码2 选择指标", "choose indicators with indicators=code1,code2")
		}
		if len(inds) > 200 {
			return badRequest("indicators", "指标过多（最多 200 个）", "too many indicators (at most 200)")
		}
		for _, c := range inds {
			ind, ok := ds.Indicator(c)
			if !ok {
				return notFound("indicators", "数据集中没有指标“%s”", "the dataset has no indicator %q", clip(c))
			}
			out.Indicators = append(out.Indicators, indicatorBrief{Code: ind.Code, Name: ind.Name(l), Unit: ind.Unit, UnitText: format.Unit(ind.Unit).In(l)})
			// Without ?year=, the latest year in which any indicator has data.
			if ys := ds.YearsOf(ind.Code, nil); !explicit && len(ys) > 0 && ys[len(ys)-1] > year {
				year = ys[len(ys)-1]
			}
		}
		out.Year = year
		var derived [][]string
		anyDerived := false
		for _, c := range codes {
			rg, ok := ds.Region(c)
			if !ok {
				return notFound("regions", "没有代码为“%s”的地区", "no region %q", clip(c))
			}
			out.Regions = append(out.Regions, regionJSON{Code: rg.Code, NameZH: rg.NameZH, NameEN: rg.NameEN, Name: rg.Name(l), Level: string(rg.Level)})
			row := make([]analysis.Num, len(inds))
			how := make([]string, len(inds))
			for j, ic := range inds {
				o, ok := ds.Lookup(rg.Code, ic, year)
				v := o.Value
				if !ok {
					v = math.NaN()
				} else if p := ds.Provenance(o); p.Kind == dataset.Derived {
					how[j] = i18n.T("推算", "derived").In(l)
					if p.Rollup != nil {
						how[j] = i18n.T("推算：", "derived: ").In(l) + p.Rollup.Text().In(l)
					}
					anyDerived = true
				}
				row[j] = analysis.Num(v)
			}
			out.Values = append(out.Values, row)
			derived = append(derived, how)
		}
		if anyDerived {
			out.Derived = derived
		}
		return nil
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if kind == "xlsx" {
		var buf bytes.Buffer
		if err := xlsx.Write(&buf, compareSheet(out)); err != nil {
			s.fail(w, r, err)
			return
		}
		sendFile(w, "agglo-compare.xlsx", "xlsx", buf.Bytes())
		return
	}
	s.ok(w, out)
}

// compareSheet lays the compare table out as a sheet: bilingual code and
// region headers, then one column per indicator with its unit.
func compareSheet(t compareTable) xlsx.Sheet {
	head := []any{"地区代码 / code", "地区 / region"}
	for _, ind := range t.Indicators {
		h := ind.Name
		if ind.Unit != "" {
			h += " (" + ind.Unit + ")"
		}
		head = append(head, h)
	}
	rows := [][]any{head}
	for i, rg := range t.Regions {
		row := []any{rg.Code, rg.Name}
		for _, v := range t.Values[i] {
			row = append(row, float64(v))
		}
		rows = append(rows, row)
	}
	return xlsx.Sheet{Name: "compare", HeaderRows: 1, Rows: xlsx.Rows(rows)}
}
