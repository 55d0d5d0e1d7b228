package analysis

import (
	"encoding/csv"
	"io"
	"math"
	"strconv"
	"strings"

	"agglo/internal/composite"
	"agglo/internal/dataset"
	"agglo/internal/i18n"
)

// MaxWeightSets bounds the weight sets of one uncertainty analysis.
const MaxWeightSets = 10_000

// ParseWeightSets reads exact weight sets for an uncertainty analysis
// (COINr samples a list of weight tables): a CSV table with a set column
// (set), a node code column (code or COINr's iCode) and a weight column
// (weight or Weight), one row per node and set; nodes a set does not name
// keep the framework's weight. Sets are returned in the order they first
// appear. Errors name the file (name), the line and the column.
func ParseWeightSets(r io.Reader, name string) ([]composite.WeightSet, error) {
	text, err := dataset.DecodeText(r)
	if err != nil {
		return nil, i18n.Errorf("%s：无法读取：%v", "%s: cannot read: %v", name, err)
	}
	cr := csv.NewReader(text)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, i18n.Errorf("%s：没有表头（需要 set、code、weight 三列）", "%s: no header (the set, code and weight columns are needed)", name)
	}
	si, ci, wi := headerIndex(header, []string{"set", "weight_set", "权重集"}), headerIndex(header, []string{"code", "icode", "node", "代码"}), headerIndex(header, []string{"weight", "权重"})
	if si < 0 || ci < 0 || wi < 0 {
		return nil, i18n.Errorf("%s：表头须有 set、code（或 iCode）和 weight 三列（收到：%s）", "%s: the header needs set, code (or iCode) and weight columns (got: %s)", name, strings.Join(header, ", "))
	}
	index := map[string]int{}
	var sets []composite.WeightSet
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, i18n.Errorf("%s 第 %d 行：%v", "%s line %d: %v", name, line, err)
		}
		cell := func(i int) string {
			if i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		if strings.Join(rec, "") == "" {
			continue
		}
		set, code := cell(si), cell(ci)
		if set == "" || code == "" {
			return nil, i18n.Errorf("%s 第 %d 行：set 或 code 为空", "%s line %d: empty set or code", name, line)
		}
		w, err := strconv.ParseFloat(cell(wi), 64)
		if err != nil || !(w >= 0) || math.IsInf(w, 0) {
			return nil, i18n.Errorf("%s 第 %d 行 %s 列：权重“%s”不是非负数", "%s line %d, column %s: weight %q is not a non-negative number", name, line, header[wi], cell(wi))
		}
		k, ok := index[set]
		if !ok {
			if len(sets) >= MaxWeightSets {
				return nil, i18n.Errorf("%s：权重集超过 %d 个", "%s: more than %d weight sets", name, MaxWeightSets)
			}
			k = len(sets)
			index[set] = k
			sets = append(sets, composite.WeightSet{})
		}
		if _, dup := sets[k][code]; dup {
			return nil, i18n.Errorf("%s 第 %d 行：权重集 %s 中 %s 重复", "%s line %d: %s appears twice in set %s", name, line, code, set)
		}
		sets[k][code] = w
	}
	if len(sets) == 0 {
		return nil, i18n.Errorf("%s：没有权重集", "%s: no weight sets", name)
	}
	return sets, nil
}
