package cli

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"time"

	"github.com/dustin/go-humanize"
	"github.com/spf13/cobra"

	"agglo/internal/i18n"
	"agglo/internal/server"
	"agglo/internal/store"
	"agglo/internal/version"
)

// serveOptions are the flags of agglo serve.
type serveOptions struct {
	addr         string
	db           string
	token        string
	allowedHosts []string
	publicReads  bool
	maxBody      int64
	// maxMemory is --max-memory as given ("1GiB"); memory is its value in
	// bytes after validate.
	maxMemory    string
	memory       int64
	maxWorkspace int64
	// open starts the user's browser on the dashboard once the server
	// listens.
	open bool
	// opener opens a URL in the browser (openBrowser; tests inject theirs).
	opener func(url string) error
	// ready, when set, receives the bound address once the server listens
	// (tests use it with --addr 127.0.0.1:0).
	ready chan<- string
}

func newServeCmd(g *globals) *cobra.Command {
	var o serveOptions
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "启动网页仪表盘与 JSON API / start the web dashboard and JSON API",
		Long: `启动本地服务：网页仪表盘（概览、城市群画像、比较、指数构建、情景推演、数据上传）与 /api/v1/ 下的 JSON API（文档：/api/v1/openapi.json）。
所有页面、脚本、ECharts 与地图数据均已内置，运行时无需联网。工作区（上传的数据、框架、规则库、保存的分析）存于 SQLite 文件（--db）。
默认只监听本机 127.0.0.1；监听其他地址时必须设置 --token：所有写操作、以及读取上传的数据（数据集、导出、保存的分析）都需携带该令牌（--public-reads 可开放读取）。
只接受以 127.0.0.1、localhost、[::1]、监听地址或 --allowed-hosts 所列名称访问的请求（防止 DNS 重绑定）。
内存（--max-memory）在响应缓存、已载入的数据集、不确定性分析和上传之间分配；超出预算的分析被拒绝。工作区大小以 --max-workspace-mb 为限。
上传的文件先写入工作区所在文件夹，解析一次（行数、单元格数、地区数、指标数以 --max-rows、--max-cells、--max-regions、--max-indicators 为限，大小以 --max-upload-mb 为限），再以 agglo 的二进制列式格式存入工作区，之后可立即重新打开；默认上限可容纳全国规模的数据（2900 个单元 × 120 项指标 × 20 年，长表 303 MB）。
--open 在默认浏览器中打开仪表盘；在 Windows 上双击 agglo.exe（不带命令）即等于 agglo serve --open，关闭随之出现的窗口即停止服务。

Start the local server: the web dashboard (overview, profiles, compare, index builder, scenarios, data upload) and
the JSON API under /api/v1/ (described at /api/v1/openapi.json). Pages, scripts, ECharts and the map are embedded:
no network at run time. The workspace (uploads, frameworks, rulebooks, saved analyses) is a SQLite file (--db).
Listens on 127.0.0.1 by default; any other address needs --token, and every write and every read of
uploaded data (datasets, exports, saved analyses) must carry it (Authorization: Bearer TOKEN or
X-Agglo-Token); --public-reads opens the reads. Requests must name the server as 127.0.0.1, localhost,
[::1], the listen address or a name given with --allowed-hosts (a guard against DNS rebinding).
--max-memory is shared among the response cache, loaded datasets, uncertainty analyses (one that would
not fit is refused) and uploads; --max-workspace-mb bounds the workspace. An upload is received into
the workspace's folder, parsed once (its rows, cells, regions and indicators within --max-rows, --max-cells, --max-regions and
--max-indicators, its size within
--max-upload-mb) and stored in agglo's binary columnar form, which reopens at once; the defaults admit a
national table (2,900 units × 120 indicators × 20 years, 303 MB in long layout). SIGTERM or Ctrl-C shuts down
gracefully. --open opens the dashboard in the default browser; on Windows, a double-click on agglo.exe
(no command) is agglo serve --open, and closing its window stops the server.

  agglo serve --open
  agglo serve --addr 192.168.1.5:8080 --token "$(openssl rand -hex 16)" --db ./workspace.db
  agglo serve --addr 0.0.0.0:8080 --allowed-hosts agglo.example.org --token "$(openssl rand -hex 16)"`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runServe(cmd.Context(), g, o) },
	}
	f := cmd.Flags()
	f.StringVar(&o.addr, "addr", "127.0.0.1:8080", "监听地址 / listen address host:port")
	f.StringVar(&o.db, "db", "", "工作区数据库文件 / workspace database file (default "+defaultDBHint()+")")
	f.StringVar(&o.token, "token", "", "写操作令牌（非本机地址时必需；也可用环境变量 AGGLO_TOKEN）/ token for writes (required off loopback; or env AGGLO_TOKEN)")
	f.StringSliceVar(&o.allowedHosts, "allowed-hosts", nil, "另外接受的主机名（逗号分隔）/ other host names clients may use (comma-separated)")
	f.BoolVar(&o.publicReads, "public-reads", false, "设置令牌时仍允许无令牌读取上传的数据 / let anyone read uploaded data although --token is set")
	f.Int64Var(&o.maxBody, "max-upload-mb", 512, "上传大小上限（MB）/ upload size limit in MB")
	f.BoolVar(&o.open, "open", false, "启动后在浏览器中打开仪表盘 / open the dashboard in the browser once serving")
	f.StringVar(&o.maxMemory, "max-memory", "1GiB", "内存预算，如 1GiB、800MiB / memory budget, e.g. 1GiB, 800MiB")
	f.Int64Var(&o.maxWorkspace, "max-workspace-mb", 4096, "工作区大小上限（MB，0 为不限）/ workspace size limit in MB (0: none)")
	return cmd
}

// defaultDBHint is the default workspace path as --help shows it: the
// real path on this machine.
func defaultDBHint() string {
	if p, err := defaultDBPath(); err == nil {
		return p
	}
	return "$XDG_DATA_HOME/agglo/workspace.db"
}

// defaultDBPath is the workspace file in the user's data directory:
// $XDG_DATA_HOME/agglo, else ~/.local/share/agglo on Linux, else the user
// config directory (macOS ~/Library/Application Support, Windows %AppData%).
func defaultDBPath() (string, error) {
	if d := os.Getenv("XDG_DATA_HOME"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "agglo", "workspace.db"), nil
	}
	if runtime.GOOS == "linux" {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, ".local", "share", "agglo", "workspace.db"), nil
		}
	}
	d, err := os.UserConfigDir()
	if err != nil {
		return "", usagef("找不到用户数据目录，请用 --db 指定工作区文件", "cannot find the user data directory; set the workspace file with --db")
	}
	return filepath.Join(d, "agglo", "workspace.db"), nil
}

func (o *serveOptions) validate() error {
	if _, _, err := net.SplitHostPort(o.addr); err != nil {
		return usagef("--addr 须为 主机:端口（收到“%s”）", "--addr must be host:port (got %q)", o.addr)
	}
	if o.token == "" {
		o.token = os.Getenv("AGGLO_TOKEN")
	}
	host, _, _ := net.SplitHostPort(o.addr)
	if !server.IsLoopback(host) && o.token == "" {
		return usagef("监听非本机地址 %s 时必须用 --token 设置令牌", "listening on %s (not loopback) needs a token: set --token", o.addr)
	}
	if o.maxBody < 1 || o.maxBody > 4096 {
		return usagef("--max-upload-mb 须在 1 到 4096 之间", "--max-upload-mb must lie between 1 and 4096")
	}
	if o.maxMemory == "" {
		o.maxMemory = "1GiB"
	}
	m, err := humanize.ParseBytes(o.maxMemory)
	if err != nil || m < 64<<20 || m > 1<<40 {
		return usagef("--max-memory 须为 64MiB 到 1TiB 之间的大小，如 1GiB（收到“%s”）", "--max-memory must be a size between 64MiB and 1TiB, such as 1GiB (got %q)", o.maxMemory)
	}
	o.memory = int64(m)
	if o.maxWorkspace < 0 {
		return usagef("--max-workspace-mb 不能为负", "--max-workspace-mb must not be negative")
	}
	for _, h := range o.allowedHosts {
		if strings.TrimSpace(h) == "" || strings.ContainsAny(h, "/ ") {
			return usagef("--allowed-hosts 中的“%s”不是主机名", "%q in --allowed-hosts is not a host name", h)
		}
	}
	if o.db == "" {
		p, err := defaultDBPath()
		if err != nil {
			return err
		}
		o.db = p
	}
	return nil
}

func runServe(ctx context.Context, g *globals, o serveOptions) error {
	if err := o.validate(); err != nil {
		return err
	}
	st, err := store.Open(ctx, o.db, store.Options{MaxBytes: o.maxWorkspace << 20})
	if err != nil {
		return err
	}
	defer st.Close()
	// The Go runtime collects when the heap has grown fourfold (not twice:
	// a server's live heap is small, and collecting less often nearly
	// halves the read latency under load), and in any case as the process
	// nears seven eighths of the budget (the rest is headroom for memory
	// outside the Go heap, such as SQLite's), so that garbage never takes
	// it over.
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(o.memory / 8 * 7))
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	logger := slog.New(slog.NewTextHandler(g.stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	srv, err := server.New(server.Config{Addr: o.addr, AllowedHosts: o.allowedHosts, Token: o.token, PublicReads: o.publicReads,
		MaxMemory: o.memory, Logger: logger, Version: version.Get().Version,
		Limits: server.Limits{MaxBody: o.maxBody << 20, MaxRows: g.read.maxRows, MaxCells: g.read.maxCells,
			MaxRegions: g.read.maxRegions, MaxIndicators: g.read.maxInds}}, st)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return i18n.Errorf("无法在 %s 上监听：%v", "cannot listen on %s: %v", o.addr, err)
	}
	addr := ln.Addr().String()
	fmt.Fprintf(g.stderr, "%s http://%s/  (%s %s)\n", g.t("agglo 服务已启动：", "agglo serving on"), addr, g.t("工作区", "workspace"), o.db)
	fmt.Fprintf(g.stderr, "%s %s\n", g.t("接受的主机名：", "answering to host names:"), strings.Join(srv.AllowedHosts(), ", "))
	fmt.Fprintln(g.stderr, g.t("按 Ctrl-C 或关闭此窗口停止服务。", "Press Ctrl-C or close this window to stop the server."))
	if o.ready != nil {
		o.ready <- addr
	}
	if o.open {
		url := "http://" + browserHost(addr) + "/"
		if g.lang == i18n.EN {
			url += "?lang=en"
		}
		opener := o.opener
		if opener == nil {
			opener = openBrowser
		}
		if err := opener(url); err != nil {
			fmt.Fprintf(g.stderr, "%s %s\n", g.t("无法打开浏览器，请手动访问", "could not open the browser; visit"), url)
		}
	}
	start := time.Now()
	err = srv.Serve(ctx, ln)
	fmt.Fprintf(g.stderr, "%s (%s)\n", g.t("服务已停止", "server stopped"), time.Since(start).Round(time.Second))
	return err
}

// browserHost is addr as a browser can reach it: a wildcard listen address
// (0.0.0.0, ::) becomes the loopback address.
func browserHost(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}

// browserCommand is the command that opens url in the default browser on
// goos.
func browserCommand(goos, url string) (string, []string) {
	switch goos {
	case "windows":
		return "rundll32", []string{"url.dll,FileProtocolHandler", url}
	case "darwin":
		return "open", []string{url}
	default:
		return "xdg-open", []string{url}
	}
}

// openBrowser opens url in the user's default browser without waiting for
// it.
func openBrowser(url string) error {
	name, args := browserCommand(runtime.GOOS, url)
	cmd := exec.Command(name, args...)
	if err := cmd.Start(); err != nil {
		return err
	}
	go func() { _ = cmd.Wait() }()
	return nil
}
