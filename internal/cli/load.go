package cli

import (
	"context"
	"os"
	"path/filepath"
	"sort"

	"github.com/spf13/cobra"

	"agglo/internal/analysis"
	"agglo/internal/dataset"
	"agglo/internal/i18n"
)

// loadData loads --data or the embedded dataset.
func (g *globals) loadData(cmd *cobra.Command) (*dataset.Dataset, error) {
	return loadDataset(cmd.Context(), g.data, g.readOptions(dataset.ReadOptions{}))
}

// loadDataset returns the dataset at path: a CSV or XLSX file, a folder of
// them (merged), or the embedded paper data when path is empty.
func loadDataset(ctx context.Context, path string, opts dataset.ReadOptions) (*dataset.Dataset, error) {
	if path == "" {
		return analysis.PaperData()
	}
	if opts.Registry == nil {
		reg, err := dataset.LoadRegistry()
		if err != nil {
			return nil, err
		}
		opts.Registry = reg
	}
	if opts.Catalogue == nil {
		cat, err := dataset.LoadCatalogue()
		if err != nil {
			return nil, err
		}
		opts.Catalogue = cat
	}
	st, err := os.Stat(path)
	if err != nil {
		return nil, i18n.Errorf("找不到数据 %s：%v", "cannot find data %s: %v", path, err)
	}
	if !st.IsDir() {
		return dataset.ReadFileContext(ctx, path, opts)
	}
	entries, err := os.ReadDir(path)
	if err != nil {
		return nil, i18n.Errorf("无法读取文件夹 %s：%v", "cannot read folder %s: %v", path, err)
	}
	var files []string
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		if f, ok := dataset.FormatOf(e.Name()); ok && f != dataset.JSON {
			files = append(files, filepath.Join(path, e.Name()))
		}
	}
	sort.Strings(files)
	if len(files) == 0 {
		return nil, i18n.Errorf("文件夹 %s 中没有 CSV 或 XLSX 文件", "folder %s has no CSV or XLSX file", path)
	}
	var parts []*dataset.Dataset
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		ds, err := dataset.ReadFileContext(ctx, f, opts)
		if err != nil {
			return nil, err
		}
		parts = append(parts, ds)
	}
	return dataset.Merge(filepath.Base(path), parts...)
}
