package server

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"agglo/internal/analysis"
	"agglo/internal/bench"
	"agglo/internal/composite"
	"agglo/internal/store"
)

// secConfig are the settings the security tests vary. The helpers of this
// file are the suite's only contact with the server's internals, so that
// the suite can be run against other versions of the server by replacing
// this file.
type secConfig struct {
	Token             string
	PublicReads       bool
	AllowedHosts      []string
	CacheBytes        int64
	DatasetBytes      int64
	JobBytes          int64
	MaxJobs           int
	MaxWatchers       int
	MaxWatchersPerJob int
	WorkspaceBytes    int64
}

func newSecEnv(t *testing.T, c secConfig) *testEnv {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "ws.db"), store.Options{MaxBytes: c.WorkspaceBytes})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := New(Config{Addr: "127.0.0.1:0", Token: c.Token, PublicReads: c.PublicReads, AllowedHosts: c.AllowedHosts,
		Limits: Limits{CacheBytes: c.CacheBytes, DatasetBytes: c.DatasetBytes, JobBytes: c.JobBytes, MaxJobs: c.MaxJobs,
			MaxWatchers: c.MaxWatchers, MaxWatchersPerJob: c.MaxWatchersPerJob}}, st)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(documentedStatuses(t, srv))
	t.Cleanup(func() {
		ts.Close()
		srv.Close()
		st.Close()
	})
	return &testEnv{t: t, srv: srv, st: st, ts: ts, token: c.Token}
}

// cacheBytes is what the response cache holds.
func cacheBytes(s *Server) int64 {
	b, _ := s.cache.size()
	return b
}

// datasetCacheBytes is the estimated size of the datasets kept loaded.
func datasetCacheBytes(s *Server) int64 {
	b, _ := s.data.size()
	return b
}

// evictDatasets drops every loaded dataset, as memory pressure would.
func evictDatasets(s *Server) { s.data.evictAll() }

// uaEstimate is the memory the server admits an uncertainty analysis of
// the default specification for, on the synthetic data of synJobData
// (units regions, the syn5 framework) with n runs.
func uaEstimate(t *testing.T, units, n int) int64 {
	t.Helper()
	fw, err := composite.ParseFramework(strings.NewReader(synFramework))
	if err != nil {
		t.Fatal(err)
	}
	ds := synDataset(t, bench.SyntheticSpec{Regions: units, Indicators: 5, Years: 1, Layout: bench.LayoutLong, Seed: 3})
	run, err := analysis.PrepareUncertainty(context.Background(), ds, analysis.UncertaintyRequest{Index: analysis.IndexRequest{Framework: fw}, Spec: analysis.DefaultUncertaintySpec(), N: n, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	b, err := uncertaintyBytes(run, runtime.GOMAXPROCS(0))
	if err != nil {
		t.Fatal(err)
	}
	return b
}
