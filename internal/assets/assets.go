// Package assets embeds the vendored front-end files used by agglo's HTML
// output: the Apache ECharts bundle and a China province map for
// echarts.registerMap, together with their licence texts.
//
// The files live under vendor/ and are copied unmodified from npm packages;
// see vendor/*/SOURCE.md for provenance.
package assets

import (
	"embed"
	"io/fs"
	"path"
	"sort"
	"strings"
)

//go:embed vendor
var vendorFS embed.FS

// Paths of the embedded files, relative to the vendor directory.
const (
	EChartsJSPath    = "echarts/echarts.min.js"
	ChinaMapJSONPath = "china-map/china.json"
)

// licenceNames are the base names of files treated as licence or notice texts.
var licenceNames = map[string]bool{"LICENSE": true, "NOTICE": true, "LICENSE-d3": true}

func mustRead(name string) []byte {
	b, err := vendorFS.ReadFile(path.Join("vendor", name))
	if err != nil {
		// Unreachable unless the embed directive and the paths disagree,
		// which the package tests catch.
		panic("assets: " + err.Error())
	}
	return b
}

// EChartsJS returns the minified Apache ECharts 5 bundle (dist/echarts.min.js).
// The returned slice is a fresh copy the caller may modify.
func EChartsJS() []byte { return mustRead(EChartsJSPath) }

// EChartsVersion returns the vendored ECharts package version, e.g. "5.6.0".
func EChartsVersion() string {
	v := strings.TrimSpace(string(mustRead("echarts/VERSION")))
	return strings.TrimPrefix(v, "echarts@")
}

// ChinaMapJSON returns the China province map from echarts@4.9.0
// (map/json/china.json). It is a FeatureCollection whose geometry uses
// ECharts' compressed encoding ("UTF8Encoding": true); pass it unchanged to
// echarts.registerMap. Boundaries are indicative only (about 2015).
// The returned slice is a fresh copy the caller may modify.
func ChinaMapJSON() []byte { return mustRead(ChinaMapJSONPath) }

// Licenses returns the licence and notice texts of all vendored files, keyed
// by their path relative to the vendor directory, e.g. "echarts/LICENSE",
// "echarts/NOTICE", "china-map/LICENSE".
func Licenses() map[string][]byte {
	out := make(map[string][]byte)
	err := fs.WalkDir(vendorFS, "vendor", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !licenceNames[d.Name()] {
			return nil
		}
		b, err := vendorFS.ReadFile(p)
		if err != nil {
			return err
		}
		out[strings.TrimPrefix(p, "vendor/")] = b
		return nil
	})
	if err != nil {
		panic("assets: " + err.Error())
	}
	return out
}

// LicenseKeys returns the keys of Licenses in sorted order.
func LicenseKeys() []string {
	m := Licenses()
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// FS returns the vendored files as a read-only file system rooted at the
// vendor directory (e.g. "echarts/echarts.min.js"), suitable for serving.
func FS() fs.FS {
	sub, err := fs.Sub(vendorFS, "vendor")
	if err != nil {
		panic("assets: " + err.Error())
	}
	return sub
}
