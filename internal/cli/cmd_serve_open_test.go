package cli

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// serve --open hands the dashboard's address, reachable and in the chosen
// language, to the browser opener once the server listens.
func TestServeOpensBrowser(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	opened := make(chan string, 1)
	ready := make(chan string, 1)
	g := &globals{stdout: io.Discard, stderr: &bytes.Buffer{}, lang: "en", format: "table"}
	done := make(chan error, 1)
	go func() {
		done <- runServe(ctx, g, serveOptions{addr: "127.0.0.1:0", db: filepath.Join(t.TempDir(), "w.db"), maxBody: 50, ready: ready,
			open: true, opener: func(url string) error { opened <- url; return nil }})
	}()
	addr := <-ready
	var url string
	select {
	case url = <-opened:
	case <-time.After(10 * time.Second):
		t.Fatal("the browser was not opened")
	}
	if want := "http://" + addr + "/?lang=en"; url != want {
		t.Errorf("opened %q, want %q", url, want)
	}
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Errorf("GET %s: %d", url, res.StatusCode)
	}
	cancel()
	<-done
}

func TestBrowserCommand(t *testing.T) {
	for _, c := range []struct {
		goos, name string
		args       []string
	}{
		{"windows", "rundll32", []string{"url.dll,FileProtocolHandler", "http://127.0.0.1:8080/"}},
		{"darwin", "open", []string{"http://127.0.0.1:8080/"}},
		{"linux", "xdg-open", []string{"http://127.0.0.1:8080/"}},
		{"freebsd", "xdg-open", []string{"http://127.0.0.1:8080/"}},
	} {
		name, args := browserCommand(c.goos, "http://127.0.0.1:8080/")
		if name != c.name || !reflect.DeepEqual(args, c.args) {
			t.Errorf("%s: %s %v, want %s %v", c.goos, name, args, c.name, c.args)
		}
	}
	for in, want := range map[string]string{"0.0.0.0:8080": "127.0.0.1:8080", "[::]:9000": "127.0.0.1:9000", "127.0.0.1:1": "127.0.0.1:1", "[::1]:80": "[::1]:80"} {
		if got := browserHost(in); got != want {
			t.Errorf("browserHost(%s) = %s, want %s", in, got, want)
		}
	}
}

// A double-click on agglo.exe starts no command: on Windows that serves and
// opens the browser; elsewhere agglo prints its help.
func TestWithoutArgs(t *testing.T) {
	if got := withoutArgs(nil, "windows"); !reflect.DeepEqual(got, []string{"serve", "--open"}) {
		t.Errorf("windows: %v", got)
	}
	if got := withoutArgs(nil, "linux"); len(got) != 0 {
		t.Errorf("linux: %v", got)
	}
	if got := withoutArgs([]string{"report"}, "windows"); !reflect.DeepEqual(got, []string{"report"}) {
		t.Errorf("windows with a command: %v", got)
	}
}

// serve --help names the real default workspace path, not a pointer to
// --help.
func TestServeHelpShowsDBDefault(t *testing.T) {
	t.Setenv("XDG_DATA_HOME", "/data/home")
	code, out, _ := run(t, "serve", "--help")
	if code != exitOK || !strings.Contains(out, "default /data/home/agglo/workspace.db") || strings.Contains(out, "默认见 --help") {
		t.Errorf("exit %d:\n%s", code, out)
	}
}

func TestVersionCommand(t *testing.T) {
	code, out, _ := run(t, "version", "--lang", "en")
	for _, want := range []string{"version", "commit", "build date", "Go version", "go1."} {
		if !strings.Contains(out, want) {
			t.Errorf("lacks %q:\n%s", want, out)
		}
	}
	if code != exitOK {
		t.Errorf("exit %d", code)
	}
	code, out, _ = run(t, "version", "--format", "json")
	if code != exitOK || !strings.Contains(out, `"go_version"`) {
		t.Errorf("json: exit %d\n%s", code, out)
	}
}
