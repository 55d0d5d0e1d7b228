package dataset

import (
	"fmt"

	"agglo/internal/i18n"
)

// Merge combines datasets read against the same registry into one. The
// same region, indicator and year in two inputs is an error naming both
// sources; nothing is merged then.
func Merge(name string, parts ...*Dataset) (*Dataset, error) {
	if len(parts) == 0 {
		return nil, fmt.Errorf("merge: no datasets")
	}
	out := &Dataset{Name: name, Registry: parts[0].Registry, Catalogue: parts[0].Catalogue.clone()}
	free := parts[0].FreeUnits
	seen := map[obsKey]int{}
	for pi, p := range parts {
		if p.FreeUnits != free {
			return nil, i18n.Errorf("不能合并：%s 是自由单元数据，%s 是行政区数据", "cannot merge: %s has free units while %s has administrative regions", parts[0].Name, p.Name)
		}
		rmap := make([]int32, len(p.Regions))
		for i, r := range p.Regions {
			rmap[i] = out.addRegion(r)
		}
		imap := make([]int32, len(p.Indicators))
		for i, ind := range p.Indicators {
			if existing, ok := out.Catalogue.Lookup(ind.Code); ok {
				if existing.Unit != ind.Unit {
					return nil, i18n.Errorf("不能合并：指标 %s 在 %s 中单位为“%s”，此前为“%s”", "cannot merge: indicator %s has unit %q in %s but %q before", ind.Code, p.Name, ind.Unit, existing.Unit)
				}
			} else if err := out.Catalogue.add(ind); err != nil {
				return nil, err
			}
			imap[i] = out.addIndicator(ind)
		}
		srcBase := int32(len(out.Sources))
		out.Sources = append(out.Sources, p.Sources...)
		for _, o := range p.Obs {
			o.Region, o.Indicator, o.Source = rmap[o.Region], imap[o.Indicator], o.Source+srcBase
			k := obsKey{o.Region, o.Indicator, o.Year}
			if prev, dup := seen[k]; dup {
				r, ind := out.Regions[o.Region], out.Indicators[o.Indicator]
				return nil, i18n.Errorf("不能合并：%s / %s / %d 同时出现在 %s 和 %s", "cannot merge: %s / %s / %d appears in both %s and %s", r.NameZH, ind.Code, o.Year, parts[prev].Name, p.Name)
			}
			seen[k] = pi
			out.Obs = append(out.Obs, o)
		}
		out.Notes = append(out.Notes, p.Notes...)
		out.Checks = append(out.Checks, p.Checks...)
	}
	out.FreeUnits = free
	return out, nil
}
