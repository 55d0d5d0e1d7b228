package analysis

import (
	"context"
	"math"
	"strings"
	"testing"

	"agglo/internal/i18n"
)

func TestIndexCRICReproducesTable3(t *testing.T) {
	ds := load(t, "")
	res, in, err := Index(context.Background(), ds, IndexRequest{Framework: "cric"})
	if err != nil {
		t.Fatal(i18n.Message(err, "en"))
	}
	if in.Level != "province" || len(res.Units) != 13 {
		t.Fatalf("level %s, %d units", in.Level, len(res.Units))
	}
	// Paper Table 3 composites ("综合值"); the recomputation from the printed
	// two-decimal dimensions agrees within the rounding of inputs and output
	// (0.005 + Σw·0.005 = 0.01).
	printed := map[string]float64{"110000": 53.22, "120000": 28.83, "130000": 21.86, "310000": 45.63, "320000": 49.58, "330000": 38.8, "340000": 28.7,
		"440000": 59.49, "420000": 29.21, "430000": 26.82, "360000": 23.31, "510000": 28.03, "500000": 30.87}
	for _, u := range res.Units {
		if d := math.Abs(float64(u.Index) - printed[u.Code]); d > 0.01 {
			t.Errorf("%s: %v vs printed %v", u.Code, float64(u.Index), printed[u.Code])
		}
	}
	// Ranks by the printed composites: Guangdong 59.49 first, Hebei 21.86 last.
	for _, u := range res.Units {
		if (u.Code == "440000" && u.Rank != 1) || (u.Code == "130000" && u.Rank != 13) {
			t.Errorf("%s rank %d", u.Code, u.Rank)
		}
	}
}

func TestIndexStepFlags(t *testing.T) {
	ds := load(t, "")
	cases := []struct {
		req  IndexRequest
		want string // "" = success
	}{
		{IndexRequest{Framework: "cric", Normalise: "minmax:1,100", Weights: "entropy", Aggregate: "geometric"}, ""},
		// Min-max to [0,100] gives Jiangxi's knowledge creation (16, the
		// minimum of Table 3) a 0, which a geometric mean refuses, as COINr does.
		{IndexRequest{Framework: "cric", Normalise: "minmax:0,100", Aggregate: "geometric"}, "positive"},
		{IndexRequest{Framework: "cric", Normalise: "zscore:10,2", Treat: "coinr"}, ""},
		{IndexRequest{Framework: "cric", Normalise: "minmax:0"}, "--normalise"},
		{IndexRequest{Framework: "cric", Normalise: "minmax:a,b"}, "--normalise"},
		{IndexRequest{Framework: "cric", Treat: "magic"}, "--treat"},
		{IndexRequest{Framework: "nope.yaml"}, "neither built in"},
		{IndexRequest{Framework: "io"}, "lack indicators"},
		{IndexRequest{COINrData: "x.csv"}, "both --coinr-data and --coinr-meta"},
	}
	for _, c := range cases {
		_, _, err := Index(context.Background(), ds, c.req)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%+v: %v", c.req, i18n.Message(err, "en"))
		case c.want != "" && (err == nil || !strings.Contains(i18n.Message(err, "en"), c.want)):
			t.Errorf("%+v: error %v, want %q", c.req, err, c.want)
		}
	}
}
