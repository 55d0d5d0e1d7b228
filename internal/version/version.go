// Package version tells which build of agglo is running: the release
// script stamps the version, commit and build date with
//
//	go build -ldflags "-X agglo/internal/version.version=v1.2.0 -X agglo/internal/version.commit=abc123 -X agglo/internal/version.date=2026-01-31T12:00:00Z"
//
// and an unstamped build (go build, go run, go install) takes what the Go
// toolchain recorded in the binary (debug.ReadBuildInfo): the module
// version, the VCS revision and commit time, and "dev" where nothing is
// known.
package version

import (
	"runtime"
	"runtime/debug"
)

// Set by the linker (-X); empty in an unstamped build.
var (
	version string
	commit  string
	date    string
)

// Info describes a build.
type Info struct {
	Version   string `json:"version"`
	Commit    string `json:"commit"`
	Date      string `json:"date"`
	GoVersion string `json:"go_version"`
	Platform  string `json:"platform"`
	// Modified is true when an unstamped build was made from a work tree
	// with uncommitted changes.
	Modified bool `json:"modified,omitempty"`
}

// Get returns the running binary's build information.
func Get() Info {
	bi, _ := debug.ReadBuildInfo()
	return get(version, commit, date, bi)
}

// get merges the stamped values with the build information; stamped values
// win.
func get(v, c, d string, bi *debug.BuildInfo) Info {
	info := Info{Version: v, Commit: c, Date: d, GoVersion: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH}
	if bi != nil {
		if bi.GoVersion != "" {
			info.GoVersion = bi.GoVersion
		}
		if info.Version == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			info.Version = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				if info.Commit == "" {
					info.Commit = s.Value
				}
			case "vcs.time":
				if info.Date == "" {
					info.Date = s.Value
				}
			case "vcs.modified":
				info.Modified = s.Value == "true" && c == ""
			}
		}
	}
	if info.Version == "" {
		info.Version = "dev"
	}
	if len(info.Commit) > 12 {
		info.Commit = info.Commit[:12]
	}
	return info
}
