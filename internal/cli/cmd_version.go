package cli

import (
	"github.com/spf13/cobra"

	"agglo/internal/version"
)

func newVersionCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "显示版本、提交、构建日期与 Go 版本 / show the version, commit, build date and Go version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runVersion(g, version.Get())
		},
	}
}

func runVersion(g *globals, v version.Info) error {
	orNone := func(s string) string {
		if s == "" {
			return g.t("未知", "unknown")
		}
		return s
	}
	commit := orNone(v.Commit)
	if v.Modified {
		commit += g.t("（含未提交的修改）", " (with uncommitted changes)")
	}
	t := &table{header: []string{g.t("项目", "item"), g.t("值", "value")}}
	t.add(g.t("版本", "version"), v.Version)
	t.add(g.t("提交", "commit"), commit)
	t.add(g.t("构建日期", "build date"), orNone(v.Date))
	t.add(g.t("Go 版本", "Go version"), v.GoVersion)
	t.add(g.t("平台", "platform"), v.Platform)
	return g.emit(v, t)
}
