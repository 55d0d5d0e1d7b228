package dataset

import (
	"fmt"
	"slices"

	"agglo/internal/i18n"
)

// Merge combines datasets read against the same registry into one. The
// same region, indicator and year in two inputs is an error naming both
// sources; nothing is merged then. The inputs are not changed.
func Merge(name string, parts ...*Dataset) (*Dataset, error) {
	if len(parts) == 0 {
		return nil, fmt.Errorf("merge: no datasets")
	}
	out := &Dataset{Name: name, Registry: parts[0].Registry, Catalogue: parts[0].Catalogue.clone()}
	free := parts[0].FreeUnits
	rmaps := make([][]int32, len(parts))
	imaps := make([][]int32, len(parts))
	srcBase := make([]int32, len(parts)+1)
	for pi, p := range parts {
		if p.FreeUnits != free {
			return nil, i18n.Errorf("不能合并：%s 是自由单元数据，%s 是行政区数据", "cannot merge: %s has free units while %s has administrative regions", parts[0].Name, p.Name)
		}
		rmaps[pi] = make([]int32, len(p.Regions))
		for i, r := range p.Regions {
			rmaps[pi][i] = out.addRegion(r)
		}
		imaps[pi] = make([]int32, len(p.Indicators))
		for i, ind := range p.Indicators {
			if existing, ok := out.Catalogue.Lookup(ind.Code); ok {
				if existing.Unit != ind.Unit {
					return nil, i18n.Errorf("不能合并：指标 %s 在 %s 中单位为“%s”，此前为“%s”", "cannot merge: indicator %s has unit %q in %s but %q before", ind.Code, p.Name, ind.Unit, existing.Unit)
				}
			} else if err := out.Catalogue.add(ind); err != nil {
				return nil, err
			}
			imaps[pi][i] = out.addIndicator(ind)
		}
		srcBase[pi] = int32(len(out.Sources))
		out.Sources = append(out.Sources, p.Sources...)
		out.Notes = append(out.Notes, p.Notes...)
		out.Checks = append(out.Checks, p.Checks...)
	}
	srcBase[len(parts)] = int32(len(out.Sources))
	partOf := func(src int32) string {
		k, ok := slices.BinarySearch(srcBase, src)
		if !ok {
			k--
		}
		return parts[min(max(k, 0), len(parts)-1)].Name
	}

	// Count the values of each output column, then fill the columns.
	type key struct{ ind, year int32 }
	counts := map[key]int{}
	for pi, p := range parts {
		for i, s := range p.series {
			for _, c := range s {
				counts[key{imaps[pi][i], c.year}] += int(c.n)
			}
		}
	}
	cols := make(map[key]*yearCol, len(counts))
	for k, n := range counts {
		cols[k] = newYearCol(k.year, chooseDense(n, len(out.Regions)), len(out.Regions), n)
	}
	dupErr := func(r, ind int32, year int32, a, b int32) error {
		return i18n.Errorf("不能合并：%s / %s / %d 同时出现在 %s 和 %s", "cannot merge: %s / %s / %d appears in both %s and %s",
			out.Regions[r].NameZH, out.Indicators[ind].Code, year, partOf(a), partOf(b))
	}
	for pi, p := range parts {
		for i, s := range p.series {
			oi := imaps[pi][i]
			for _, c := range s {
				oc := cols[key{oi, c.year}]
				var err error
				c.each(func(pos int) bool {
					r := rmaps[pi][c.region(pos)]
					src := c.src.get(pos) + srcBase[pi]
					if oc.dense {
						if q := oc.pos(r); q >= 0 {
							err = dupErr(r, oi, c.year, oc.src.get(q), src)
							return false
						}
						oc.setDense(r, c.vals[pos], src, c.row(pos), c.col.get(pos))
						return true
					}
					oc.appendSparse(r, c.vals[pos], src, c.row(pos), c.col.get(pos))
					return true
				})
				if err != nil {
					return nil, err
				}
			}
		}
	}
	keys := make([]key, 0, len(cols))
	for k := range cols {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b key) int {
		if a.ind != b.ind {
			return int(a.ind) - int(b.ind)
		}
		return int(a.year) - int(b.year)
	})
	var err error
	for _, k := range keys {
		c := cols[k]
		c.finishSparse(func(kept, dropped int) {
			if err == nil {
				err = dupErr(c.at[kept], k.ind, k.year, c.src.get(kept), c.src.get(dropped))
			}
		})
		if err != nil {
			return nil, err
		}
		out.series[k.ind] = append(out.series[k.ind], c)
	}
	out.FreeUnits = free
	out.refresh()
	return out, nil
}
