package version

import (
	"runtime/debug"
	"testing"
)

func TestGet(t *testing.T) {
	bi := &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{
		{Key: "vcs.revision", Value: "0123456789abcdef0123"}, {Key: "vcs.time", Value: "2026-11-30T10:00:00Z"}, {Key: "vcs.modified", Value: "true"}}}
	for _, c := range []struct {
		name    string
		v, c, d string
		bi      *debug.BuildInfo
		want    Info
	}{
		{"unstamped, from the build info", "", "", "", bi,
			Info{Version: "dev", Commit: "0123456789ab", Date: "2026-11-30T10:00:00Z", GoVersion: "go1.26.8", Modified: true}},
		{"stamped by the release script", "v0.3.0", "fedcba9", "2026-12-01T00:00:00Z", bi,
			Info{Version: "v0.3.0", Commit: "fedcba9", Date: "2026-12-01T00:00:00Z", GoVersion: "go1.26.8"}},
		{"go install of a tagged module", "", "", "", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v0.2.1"}},
			Info{Version: "v0.2.1", GoVersion: "go1.26.8"}},
		{"no build info", "", "", "", nil, Info{Version: "dev"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := get(c.v, c.c, c.d, c.bi)
			got.Platform = ""
			if c.bi == nil {
				got.GoVersion = ""
			}
			if got != c.want {
				t.Errorf("got %+v, want %+v", got, c.want)
			}
		})
	}
}

func TestGetRunning(t *testing.T) {
	if i := Get(); i.Version == "" || i.GoVersion == "" || i.Platform == "" {
		t.Errorf("incomplete: %+v", i)
	}
}
