package assets

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"regexp"
	"strings"
	"testing"
)

func TestEChartsJS(t *testing.T) {
	js := EChartsJS()
	if len(js) < 500_000 {
		t.Fatalf("echarts.min.js is only %d bytes", len(js))
	}
	head := string(js[:min(len(js), 2000)])
	if !strings.HasPrefix(head, "\n/*") && !strings.HasPrefix(head, "/*") {
		t.Errorf("echarts.min.js does not start with the licence comment: %q", head[:40])
	}
	if !strings.Contains(head, "Licensed to the Apache Software Foundation") {
		t.Errorf("echarts.min.js header lacks the ASF licence header")
	}
	if !bytes.Contains(js, []byte("registerMap")) {
		t.Errorf("echarts.min.js does not define registerMap")
	}
	// The UMD bundle exposes the global "echarts".
	if !bytes.Contains(js, []byte(`"echarts"`)) && !bytes.Contains(js, []byte(`.echarts`)) {
		t.Errorf("echarts.min.js does not look like the echarts UMD bundle")
	}
	// The returned slice must be a copy.
	js[0] = 'X'
	if EChartsJS()[0] == 'X' {
		t.Errorf("EChartsJS returned a shared slice")
	}
}

func TestEChartsVersion(t *testing.T) {
	v := EChartsVersion()
	if !regexp.MustCompile(`^5\.\d+\.\d+$`).MatchString(v) {
		t.Fatalf("EChartsVersion = %q, want 5.x.y", v)
	}
	if !bytes.Contains(EChartsJS(), []byte(`"`+v+`"`)) {
		t.Errorf("version %q not found in the bundle", v)
	}
}

func TestChinaMapJSON(t *testing.T) {
	raw := ChinaMapJSON()
	var fc struct {
		Type     string `json:"type"`
		Features []struct {
			ID         string `json:"id"`
			Properties struct {
				Name string    `json:"name"`
				CP   []float64 `json:"cp"`
			} `json:"properties"`
			Geometry struct {
				Type string `json:"type"`
			} `json:"geometry"`
		} `json:"features"`
	}
	if err := json.Unmarshal(raw, &fc); err != nil {
		t.Fatalf("china.json does not parse: %v", err)
	}
	if fc.Type != "FeatureCollection" {
		t.Errorf("type = %q", fc.Type)
	}
	if len(fc.Features) != 34 {
		t.Errorf("got %d features, want 34 provincial-level units", len(fc.Features))
	}
	byName := map[string]string{}
	for _, f := range fc.Features {
		byName[f.Properties.Name] = f.ID
		if len(f.Properties.CP) != 2 {
			t.Errorf("feature %s has no cp", f.Properties.Name)
		}
		if g := f.Geometry.Type; g != "Polygon" && g != "MultiPolygon" {
			t.Errorf("feature %s has geometry %q", f.Properties.Name, g)
		}
	}
	for name, id := range map[string]string{"北京": "110000", "广东": "440000", "新疆": "650000", "香港": "810000"} {
		if byName[name] != id {
			t.Errorf("feature %s: id %q, want %q", name, byName[name], id)
		}
	}
}

func TestLicenses(t *testing.T) {
	lic := Licenses()
	for _, k := range []string{"echarts/LICENSE", "echarts/NOTICE", "echarts/LICENSE-d3", "china-map/LICENSE", "china-map/NOTICE"} {
		b, ok := lic[k]
		if !ok || len(b) == 0 {
			t.Errorf("licence file %s missing or empty", k)
		}
	}
	if !bytes.Contains(lic["echarts/LICENSE"], []byte("Apache License")) {
		t.Errorf("echarts/LICENSE is not the Apache License")
	}
	if !bytes.Contains(lic["china-map/NOTICE"], []byte("Apache ECharts")) {
		t.Errorf("china-map/NOTICE is not the ECharts notice")
	}
	if got := len(LicenseKeys()); got != len(lic) {
		t.Errorf("LicenseKeys has %d keys, Licenses %d", got, len(lic))
	}
}

func TestFS(t *testing.T) {
	for _, p := range []string{EChartsJSPath, ChinaMapJSONPath, "echarts/SOURCE.md", "china-map/SOURCE.md"} {
		b, err := fs.ReadFile(FS(), p)
		if err != nil || len(b) == 0 {
			t.Errorf("FS: %s: %v (len %d)", p, err, len(b))
		}
	}
}
