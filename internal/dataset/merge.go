package dataset

import (
	"fmt"
	"slices"
	"strconv"

	"agglo/internal/i18n"
)

// Merge combines datasets read against the same registry into one. The
// same region, indicator and year in two inputs is an error naming both
// sources; nothing is merged then. The inputs are not changed.
func Merge(name string, parts ...*Dataset) (*Dataset, error) {
	return merge(name, CombineOptions{Prefer: -1}, false, parts)
}

// CombineOptions control Combine.
type CombineOptions struct {
	// Prefer is the index of the part whose value wins when two parts
	// give different values for the same region, indicator and year; -1
	// makes such a conflict an error.
	Prefer int
}

// Combine combines datasets read against the same registry into one, as
// Merge does, except that a value given by two parts is kept once when
// both give the same value (the 2019 values of two files of one source),
// and two different values (a conflict) are an error naming both files,
// their rows and the two values, unless one of the parts is preferred
// (opts.Prefer): its value is kept then, and a note counts the values it
// replaced. Nothing is combined on error; the inputs are not changed.
func Combine(name string, opts CombineOptions, parts ...*Dataset) (*Dataset, error) {
	if opts.Prefer >= len(parts) {
		return nil, fmt.Errorf("combine: preferred part %d of %d", opts.Prefer, len(parts))
	}
	if opts.Prefer > 0 {
		// The preferred part first: the first value met is the one kept.
		order := append([]*Dataset{parts[opts.Prefer]}, parts[:opts.Prefer]...)
		parts = append(order, parts[opts.Prefer+1:]...)
		opts.Prefer = 0
	}
	return merge(name, opts, true, parts)
}

func merge(name string, opts CombineOptions, tolerant bool, parts []*Dataset) (*Dataset, error) {
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
			freeName, adminName := parts[0].Name, p.Name
			if !free {
				freeName, adminName = p.Name, parts[0].Name
			}
			return nil, i18n.Errorf("不能合并：%s 是自由单元数据，%s 是行政区数据", "cannot merge: %s has free units while %s has administrative regions", freeName, adminName)
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
		out.Attributes = mergeAttributes(out.Attributes, p.Attributes)
	}
	srcBase[len(parts)] = int32(len(out.Sources))
	partIndex := func(src int32) int {
		k, ok := slices.BinarySearch(srcBase, src)
		if !ok {
			k--
		}
		// Parts without sources share a base with the next one: take the
		// last part that starts there.
		for k+1 < len(parts) && srcBase[k+1] == srcBase[k] && srcBase[k+1] <= src {
			k++
		}
		return min(max(k, 0), len(parts)-1)
	}
	partOf := func(src int32) string { return parts[partIndex(src)].Name }
	// resolve decides a second value for a key: keep the first (true) or
	// fail. Equal values and a preferred first value are kept.
	replaced := make([]int, len(parts))
	resolve := func(firstSrc int32, first float64, secondSrc int32, second float64) bool {
		if !tolerant {
			return false
		}
		if first == second {
			return true
		}
		if opts.Prefer >= 0 && partIndex(firstSrc) == opts.Prefer {
			replaced[partIndex(secondSrc)]++
			return true
		}
		return false
	}
	conflictErr := func(r, ind int32, year int32, aSrc, aRow int32, a float64, bSrc, bRow int32, b float64) error {
		if !tolerant {
			return i18n.Errorf("不能合并：%s / %s / %d 同时出现在 %s 和 %s", "cannot merge: %s / %s / %d appears in both %s and %s",
				out.Regions[r].NameZH, out.Indicators[ind].Code, year, partOf(aSrc), partOf(bSrc))
		}
		return i18n.Errorf("数据冲突：%s / %s / %d 在 %s（第%d行）为 %s，在 %s（第%d行）为 %s；用 --prefer 文件 指定以哪个文件为准",
			"conflicting data: %s / %s / %d is %s in %s (row %d) and %s in %s (row %d); name the file to keep with --prefer FILE",
			out.Regions[r].NameZH, out.Indicators[ind].Code, year, fmtNum(a), partOf(aSrc), aRow, fmtNum(b), partOf(bSrc), bRow)
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
							if resolve(oc.src.get(q), oc.vals[q], src, c.vals[pos]) {
								return true
							}
							err = conflictErr(r, oi, c.year, oc.src.get(q), oc.row(q), oc.vals[q], src, c.row(pos), c.vals[pos])
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
			if err == nil && !resolve(c.src.get(kept), c.vals[kept], c.src.get(dropped), c.vals[dropped]) {
				err = conflictErr(c.at[kept], k.ind, k.year, c.src.get(kept), c.row(kept), c.vals[kept], c.src.get(dropped), c.row(dropped), c.vals[dropped])
			}
		})
		if err != nil {
			return nil, err
		}
		out.series[k.ind] = append(out.series[k.ind], c)
	}
	out.FreeUnits = free
	for pi, n := range replaced {
		if n > 0 {
			out.Notes = append(out.Notes, Issue{Text: i18n.Tf("%s 的 %d 个数值与 %s 不同，按 --prefer 取 %s 的数值",
				"%[2]d values of %[1]s differ from %[3]s and were replaced by those of %[4]s (--prefer)", parts[pi].Name, n, parts[opts.Prefer].Name, parts[opts.Prefer].Name)})
		}
	}
	out.refresh()
	return out, nil
}

// fmtNum writes a value for a message, without exponent for ordinary sizes.
func fmtNum(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// mergeAttributes adds the attributes of b to a: an attribute of the same
// code gains b's values for regions it has none for.
func mergeAttributes(a, b []Attribute) []Attribute {
	for _, x := range b {
		found := false
		for i := range a {
			if a[i].Code == x.Code {
				found = true
				vals := make(map[string]string, len(a[i].Values)+len(x.Values))
				for k, v := range a[i].Values {
					vals[k] = v
				}
				for k, v := range x.Values {
					if _, ok := vals[k]; !ok {
						vals[k] = v
					}
				}
				a[i].Values = vals
			}
		}
		if !found {
			a = append(a, x)
		}
	}
	return a
}
