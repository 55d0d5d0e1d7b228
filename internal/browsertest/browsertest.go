// Package browsertest starts Debian's headless chromium for agglo's browser
// tests (the HTML report and the dashboard) and records what a page does
// wrong: console errors, exceptions, error log entries and every request.
// It is imported by tests only.
package browsertest

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// Chromium returns the path of Debian's chromium. Without it the test fails
// when CI=true (the CI script installs it) and is skipped otherwise.
func Chromium(t testing.TB, what string) string {
	t.Helper()
	for _, p := range []string{"/usr/bin/chromium", "chromium", "chromium-browser"} {
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("chromium is not installed: %s cannot be checked in a browser (apt-get install chromium)", what)
	}
	t.Skip("chromium not installed; apt-get install chromium to run the browser tests")
	return ""
}

// ArtifactsDir is where a test's screenshots go: $ARTIFACTS_DIR/name, or
// agglo-artifacts/name under the system temp dir; never the source tree.
func ArtifactsDir(t testing.TB, name string) string {
	t.Helper()
	base := os.Getenv("ARTIFACTS_DIR")
	if base == "" {
		base = filepath.Join(os.TempDir(), "agglo-artifacts")
	}
	dir := filepath.Join(base, name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// Browser is a running headless chromium with a listener on its page.
type Browser struct {
	Ctx context.Context

	mu       sync.Mutex
	problems []string
	requests []string
	// IgnoreLog, when set, drops error log entries a test expects (such as
	// a 422 answer to a deliberately bad upload).
	ignoreLog func(text string) bool
}

// Start launches chromium with the flags this workplace needs (no sandbox
// as root, no background networking) and a fresh profile; it is closed when
// the test ends. ignoreLog may be nil.
func Start(t testing.TB, what string, width, height int, ignoreLog func(text string) bool) *Browser {
	t.Helper()
	b := &Browser{ignoreLog: ignoreLog}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(Chromium(t, what)),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(width, height),
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx, chromedp.WithListener(b.listen))
	t.Cleanup(func() { cancel(); cancelA() })
	// Start the browser without a deadline; callers bound their steps.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	b.Ctx = ctx
	return b
}

func (b *Browser) listen(ev any) {
	b.mu.Lock()
	defer b.mu.Unlock()
	switch e := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		if e.Type == runtime.ConsoleAPICalledTypeError || e.Type == runtime.ConsoleAPICalledTypeAssert {
			var args []string
			for _, a := range e.Args {
				args = append(args, string(a.Value)+a.Description)
			}
			b.problems = append(b.problems, "console."+string(e.Type)+": "+strings.Join(args, " "))
		}
	case *runtime.EventExceptionThrown:
		msg := e.ExceptionDetails.Text
		if e.ExceptionDetails.Exception != nil {
			msg += " " + e.ExceptionDetails.Exception.Description
		}
		b.problems = append(b.problems, "exception: "+msg)
	case *log.EventEntryAdded:
		if e.Entry.Level == log.EntryLevelError && (b.ignoreLog == nil || !b.ignoreLog(e.Entry.Text)) {
			b.problems = append(b.problems, "log: "+e.Entry.Text+" "+e.Entry.URL)
		}
	case *network.EventRequestWillBeSent:
		b.requests = append(b.requests, e.Request.URL)
	}
}

// Problems returns the console errors, exceptions and error log entries
// seen so far.
func (b *Browser) Problems() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.problems...)
}

// Requests returns every URL the page requested so far.
func (b *Browser) Requests() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.requests...)
}

// Into stores the value of an action in dst.
func Into[T any](dst *T, a chromedp.Action[T]) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		v, err := a(ctx, t)
		if err == nil {
			*dst = v
		}
		return chromedp.Void{}, err
	}
}

// Take returns the problems and requests seen since the last Take and
// forgets them, so that a test can check one page at a time.
func (b *Browser) Take() (problems, requests []string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	problems, requests = b.problems, b.requests
	b.problems, b.requests = nil, nil
	return problems, requests
}
