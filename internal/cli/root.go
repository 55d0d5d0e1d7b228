// Package cli implements the agglo command line, one file per command. Each
// command has an options struct and a run function that tests call
// in-process.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"runtime"
	"strings"

	"github.com/spf13/cobra"

	"agglo/internal/dataset"
	"agglo/internal/i18n"
)

// Exit codes, listed in --help.
const (
	exitOK        = 0
	exitError     = 1 // any other failure
	exitUsage     = 2 // a wrong command, flag or argument
	exitInvalid   = 3 // a data file that does not validate
	exitCancelled = 130
)

// globals are the flags every command shares.
type globals struct {
	lang   string
	format string
	read   readFlags
	stdout io.Writer
	stderr io.Writer
	stdin  io.Reader

	// dataflags choose the data (--data, --dataset, --year,
	// --agglomerations ...); embedded holds the registry, catalogue and
	// built-in data sets, each read on first use.
	dataflags dataFlags
	embedded  dataset.Embedded
}

// usageError marks errors in how agglo was called.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(zh, en string, args ...any) error {
	return usageError{i18n.Errorf(zh, en, args...)}
}

// validate checks the shared flags.
func (g *globals) validate() error {
	if !i18n.Valid(g.lang) {
		return usagef("--lang 只能是 zh 或 en（收到“%s”）", "--lang must be zh or en (got %q)", g.lang)
	}
	switch g.format {
	case "table", "json", "csv":
	default:
		return usagef("--format 只能是 table、json 或 csv（收到“%s”）", "--format must be table, json or csv (got %q)", g.format)
	}
	return nil
}

// t picks zh or en by the --lang flag. An empty text stays empty: it never
// falls back to the other language.
func (g *globals) t(zh, en string) string {
	if i18n.Normalize(g.lang) == i18n.EN {
		return en
	}
	return zh
}

const exitCodesHelp = `Exit codes / 退出码:
  0    success / 成功
  1    error / 出错
  2    wrong command, flag or argument / 命令、参数有误
  3    data file does not validate / 数据文件校验未通过
  130  cancelled (Ctrl-C) / 已取消`

func newRoot(g *globals) *cobra.Command {
	root := &cobra.Command{
		Use:   "agglo",
		Short: "城市群创新发展分析与战略选择 / Innovation analysis and strategy for urban agglomerations",
		Long: `agglo 分析中国城市群（京津冀、长三角、珠三角、长江中游、成渝）的创新发展：
载入统计年鉴数据，计算论文指标与常用区域测度，诊断创新模式与问题，并在“双循环”情景下给出战略建议。

agglo analyses the innovation development of China's urban agglomerations
(Beijing-Tianjin-Hebei, Yangtze River Delta, Pearl River Delta, Middle Yangtze,
Chengdu-Chongqing): load yearbook data, compute the paper's indicators and the
field's standard measures, diagnose innovation modes and problems, and
recommend strategies under dual-circulation scenarios.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			if err := g.validate(); err != nil {
				return err
			}
			if err := g.read.validate(); err != nil {
				return err
			}
			return g.dataflags.validate()
		},
	}
	root.SetOut(g.stdout)
	root.SetErr(g.stderr)
	root.SetIn(g.stdin)
	root.SetUsageTemplate(root.UsageTemplate() + "\n" + exitCodesHelp + "\n")
	pf := root.PersistentFlags()
	pf.StringVar(&g.lang, "lang", i18n.ZH, "输出语言 zh|en / output language")
	pf.StringVar(&g.format, "format", "table", "输出格式 table|json|csv / output format")
	addDataFlags(pf, &g.dataflags)
	addReadFlags(pf, &g.read)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return usageError{err} })
	root.AddCommand(newDataCmd(g), newBenchCmd(g), newReplicateCmd(g), newMeasureCmd(g), newIndexCmd(g), newReportCmd(g), newDiagnoseCmd(g), newStrategyCmd(g), newRulesCmd(g), newServeCmd(g), newVersionCmd(g))
	return root
}

// Main runs the command line with args and returns the process exit code.
// An internal error (a panic) is reported as such, without a stack trace,
// and gives exit code 1.
func Main(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) (code int) {
	g := &globals{stdout: stdout, stderr: stderr, stdin: stdin, lang: i18n.ZH, format: "table"}
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "%s: %v\n", g.t("agglo 内部错误，请报告此问题", "agglo internal error, please report it"), r)
			code = exitError
		}
	}()
	root := newRoot(g)
	// The language is known before the flags parse: a usage error met
	// before --lang (an unknown command or flag) is then still reported
	// in the user's language.
	g.lang = langArg(args, g.lang)
	root.SetArgs(withoutArgs(args, runtime.GOOS))
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	lang := g.lang
	if !i18n.Valid(lang) {
		lang = i18n.ZH
	}
	var ie *dataset.ImportError
	switch {
	case errors.Is(err, context.Canceled):
		fmt.Fprintln(stderr, g.t("已取消", "cancelled"))
		return exitCancelled
	case errors.As(err, &ie):
		fmt.Fprintln(stderr, i18n.Message(err, lang))
		return exitInvalid
	case isOutputExists(err):
		fmt.Fprintln(stderr, i18n.Message(err, lang))
		return exitUsage
	case isUsage(err):
		fmt.Fprintln(stderr, usageMessage(i18n.Message(err, lang), lang))
		fmt.Fprintln(stderr, g.t("用法见 agglo --help", "see agglo --help"))
		return exitUsage
	}
	var silent exitStatus
	if errors.As(err, &silent) {
		return int(silent)
	}
	fmt.Fprintln(stderr, i18n.Message(err, lang))
	return exitError
}

// withoutArgs gives what agglo does when started with no arguments: on
// Windows that is a double-click on agglo.exe, which starts the dashboard
// and opens it in the browser (the console window that opens with it keeps
// the server running until it is closed); elsewhere it prints the help.
func withoutArgs(args []string, goos string) []string {
	if len(args) == 0 && goos == "windows" {
		return []string{"serve", "--open"}
	}
	return args
}

// exitStatus ends a command with a code after it printed its own message.
type exitStatus int

func (e exitStatus) Error() string { return fmt.Sprintf("exit %d", int(e)) }

func isUsage(err error) bool {
	var u usageError
	if errors.As(err, &u) {
		return true
	}
	msg := err.Error()
	return strings.HasPrefix(msg, "unknown command") || strings.HasPrefix(msg, "unknown flag") ||
		strings.Contains(msg, "accepts ") || strings.Contains(msg, "requires at least") || strings.HasPrefix(msg, "invalid argument")
}

// cobraMessages are the English messages of cobra's and pflag's argument
// and flag checks, with their Chinese wording (the arguments in order).
var cobraMessages = []struct {
	re *regexp.Regexp
	zh string
}{
	{regexp.MustCompile(`^unknown command "(.*)" for "(.*)"$`), "未知命令“%s”（%s）"},
	{regexp.MustCompile(`^unknown flag: (\S+)$`), "未知参数 %s"},
	{regexp.MustCompile(`^unknown shorthand flag: '(.)' in (\S+)$`), "未知参数 %[2]s"},
	{regexp.MustCompile(`^flag needs an argument: (.*)$`), "参数 %s 需要取值"},
	{regexp.MustCompile(`^invalid argument "(.*)" for "(.*)" flag: .*$`), "参数 %[2]s 的取值“%[1]s”无效"},
	{regexp.MustCompile(`^accepts (\d+) arg\(s\), received (\d+)$`), "需要 %s 个参数（收到 %s 个）"},
	{regexp.MustCompile(`^accepts at most (\d+) arg\(s\), received (\d+)$`), "最多接受 %s 个参数（收到 %s 个）"},
	{regexp.MustCompile(`^requires at least (\d+) arg\(s\), only received (\d+)$`), "至少需要 %s 个参数（收到 %s 个）"},
	{regexp.MustCompile(`^accepts between (\d+) and (\d+) arg\(s\), received (\d+)$`), "需要 %s 到 %s 个参数（收到 %s 个）"},
}

// usageMessage gives a usage error's message in lang: cobra and pflag
// write theirs in English, so in Chinese their known messages are
// rewritten; agglo's own messages are already in lang.
func usageMessage(msg, lang string) string {
	if lang == i18n.EN {
		return msg
	}
	for _, m := range cobraMessages {
		if sub := m.re.FindStringSubmatch(msg); sub != nil {
			args := make([]any, len(sub)-1)
			for i, a := range sub[1:] {
				args[i] = a
			}
			return fmt.Sprintf(m.zh, args...)
		}
	}
	return msg
}

// langArg returns the value of the last --lang flag in args (--lang en or
// --lang=en), or def.
func langArg(args []string, def string) string {
	for i, a := range args {
		if a == "--" {
			break
		}
		if v, ok := strings.CutPrefix(a, "--lang="); ok {
			def = v
		} else if a == "--lang" && i+1 < len(args) {
			def = args[i+1]
		}
	}
	return def
}
