package cli

import (
	"errors"
	"path/filepath"
	"strings"

	"agglo/internal/analysis"
	"agglo/internal/i18n"
)

// noUnits names the data searched in an error of an analysis that found no
// unit it can use (analysis.IsNoUnits): the --data files, and the built-in
// data unless --data-only. Such an error exits 1; other errors are
// returned unchanged.
func (g *globals) noUnits(err error) error {
	var re *analysis.RequestError
	if !analysis.IsNoUnits(err) || !errors.As(err, &re) {
		return err
	}
	var names []string
	for _, f := range g.dataflags.files {
		names = append(names, filepath.Base(f))
	}
	what := i18n.T("内置数据", "the built-in data")
	switch {
	case len(names) > 0 && g.dataflags.only:
		what = i18n.T("数据 "+strings.Join(names, "、")+" ", "the data "+strings.Join(names, ", "))
	case len(names) > 0:
		what = i18n.T("数据 "+strings.Join(names, "、")+"（及内置数据）", "the data "+strings.Join(names, ", ")+" (with the built-in data)")
	}
	// The analysis's own message, without the context wrapped around it.
	return &i18n.Error{Text: i18n.T(what.ZH+"中没有可用的单元："+i18n.Message(re.Err, i18n.ZH), "no usable unit in "+what.EN+": "+i18n.Message(re.Err, i18n.EN))}
}
