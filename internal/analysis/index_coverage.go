package analysis

import (
	"math"
	"strconv"
	"strings"

	"agglo/internal/composite"
	"agglo/internal/i18n"
)

// coverageNotes reports the framework's indicators that have no value for
// any unit of the table (absent in the chosen year): the aggregate above
// them is then built from the others alone, which a reader must be told.
func coverageNotes(fw *composite.Framework, d *composite.Data, year int) []i18n.Text {
	empty := map[string]bool{}
	for k, code := range d.Indicators {
		n := 0
		for i := range d.Values {
			if k < len(d.Values[i]) && !math.IsNaN(d.Values[i][k]) {
				n++
			}
		}
		if n == 0 {
			empty[code] = true
		}
	}
	if len(empty) == 0 {
		return nil
	}
	when := i18n.T("", "")
	if year > 0 {
		y := strconv.Itoa(year)
		when = i18n.T("在 "+y+" 年", " in "+y)
	}
	var notes []i18n.Text
	var parents []string
	byParent := map[string][]composite.Indicator{}
	for _, ind := range fw.Indicators {
		if _, ok := byParent[ind.Parent]; !ok {
			parents = append(parents, ind.Parent)
		}
		byParent[ind.Parent] = append(byParent[ind.Parent], ind)
	}
	for _, p := range parents {
		var missZH, missEN, keptZH, keptEN []string
		for _, ind := range byParent[p] {
			if empty[ind.Code] {
				missZH, missEN = append(missZH, fw.Name(ind.Code, i18n.ZH)), append(missEN, fw.Name(ind.Code, i18n.EN))
			} else {
				keptZH, keptEN = append(keptZH, fw.Name(ind.Code, i18n.ZH)), append(keptEN, fw.Name(ind.Code, i18n.EN))
			}
		}
		if len(missZH) == 0 {
			continue
		}
		total := len(byParent[p])
		pz, pe := fw.Name(p, i18n.ZH), fw.Name(p, i18n.EN)
		if len(keptZH) == 0 {
			notes = append(notes, i18n.Tf("“%[1]s”的 %[2]d 个指标%[3]s都没有数据，该项无法计算。", "None of the %[2]d indicators of “%[4]s” has data%[5]s, so it cannot be computed.",
				pz, total, when.ZH, pe, when.EN))
			continue
		}
		notes = append(notes, i18n.Tf("“%[1]s”的 %[2]d 个指标中有 %[3]d 个%[4]s没有数据（%[5]s），该项只由 %[6]s 构成。",
			"%[3]d of the %[2]d indicators of “%[7]s” have no data%[8]s (%[9]s), so it is built from %[10]s alone.",
			pz, total, len(missZH), when.ZH, strings.Join(missZH, "、"), strings.Join(keptZH, "、"),
			pe, when.EN, strings.Join(missEN, ", "), strings.Join(keptEN, ", ")))
	}
	return notes
}
