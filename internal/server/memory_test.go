package server

import (
	"bytes"
	"context"
	"runtime"
	"runtime/debug"
	"testing"
	"time"

	"agglo/internal/analysis"
	"agglo/internal/bench"
	"agglo/internal/composite"
	"agglo/internal/dataset"
)

// peakHeap runs f while sampling the heap every millisecond and returns
// the largest rise over the heap before f. The collector runs at 10%
// growth meanwhile, so that the heap is close to the live data.
func peakHeap(f func()) int64 {
	defer debug.SetGCPercent(debug.SetGCPercent(10))
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	base := int64(m.HeapAlloc)
	stop := make(chan struct{})
	peak := make(chan int64)
	go func() {
		var top int64
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			top = max(top, int64(m.HeapAlloc)-base)
			select {
			case <-stop:
				peak <- top
				return
			case <-tick.C:
			}
		}
	}()
	f()
	close(stop)
	return <-peak
}

func synDataset(t *testing.T, spec bench.SyntheticSpec) *dataset.Dataset {
	t.Helper()
	var buf bytes.Buffer
	if err := bench.WriteSynthetic(&buf, spec, bench.CSV); err != nil {
		t.Fatal(err)
	}
	opts, err := readOptions()
	if err != nil {
		t.Fatal(err)
	}
	ds, err := dataset.Read(bytes.NewReader(buf.Bytes()), "syn.csv", dataset.CSV, opts)
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

// datasetBytes is an upper bound of what a dataset keeps on the heap, its
// indices built, measured as the heap that collection frees when the
// dataset is dropped: for the dataset loaded from its binary form (what
// the server keeps), and for the dataset just imported, whose columns grew
// while the file was read (kept, at twice the estimate, only when its
// binary form cannot be stored).
func TestDatasetBytesBoundsHeap(t *testing.T) {
	opts, err := readOptions()
	if err != nil {
		t.Fatal(err)
	}
	// held drops *p, the only reference to a dataset, and returns the
	// heap that frees.
	held := func(p **dataset.Dataset) int64 {
		ds := *p
		ds.Value(ds.Regions[0].Code, ds.Indicators[0].Code, 2020) // builds the value index
		ds.RegionObservationCounts()
		ds = nil
		var with, without runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&with)
		*p = nil
		runtime.GC()
		runtime.ReadMemStats(&without)
		return int64(with.HeapAlloc) - int64(without.HeapAlloc)
	}
	for _, spec := range []bench.SyntheticSpec{
		{Regions: 2000, Indicators: 20, Years: 5, Layout: bench.LayoutLong, Seed: 1},
		{Regions: 50000, Indicators: 1, Years: 1, Layout: bench.LayoutLong, Seed: 1},
		{Regions: 500, Indicators: 100, Years: 2, Layout: bench.LayoutWide, Seed: 1},
		{Regions: 2900, Indicators: 12, Years: 20, Layout: bench.LayoutWide, Seed: 1},
	} {
		ds := synDataset(t, spec)
		var bin bytes.Buffer
		if err := dataset.Save(&bin, ds); err != nil {
			t.Fatal(err)
		}
		est, n := datasetBytes(ds), ds.Len()
		imported := held(&ds)
		ds, err = dataset.Load(&bin, opts)
		if err != nil {
			t.Fatal(err)
		}
		if got := datasetBytes(ds); got != est {
			t.Errorf("%+v: estimate %d loaded, %d imported", spec, got, est)
		}
		loaded := held(&ds)
		t.Logf("%d observations: %d bytes held loaded, %d imported; estimate %d (%.2f× loaded)", n, loaded, imported, est, float64(est)/float64(loaded))
		if est < loaded {
			t.Errorf("%+v: estimate %d bytes < %d held by the loaded dataset", spec, est, loaded)
		}
		if 2*est < imported {
			t.Errorf("%+v: twice the estimate, %d bytes, < %d held by the imported dataset", spec, 2*est, imported)
		}
	}
}

// estimateUABytes bounds the heap an uncertainty analysis takes while it
// runs (sampled), for fewer units than runs (a rank histogram) and more
// (every run's ranks).
func TestEstimateUABoundsHeap(t *testing.T) {
	fw, err := composite.ParseFramework(bytes.NewReader([]byte(synFramework)))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		units, n int
	}{{1500, 3000}, {3000, 1000}} {
		ds := synDataset(t, bench.SyntheticSpec{Regions: c.units, Indicators: 5, Years: 1, Layout: bench.LayoutLong, Seed: 3})
		spec := analysis.DefaultUncertaintySpec()
		req := analysis.UncertaintyRequest{Index: analysis.IndexRequest{Framework: fw}, Spec: spec, N: c.n, Seed: 1}
		run, err := analysis.PrepareUncertainty(context.Background(), ds, req)
		if err != nil {
			t.Fatal(err)
		}
		est, err := uncertaintyBytes(run, runtime.GOMAXPROCS(0))
		if err != nil {
			t.Fatal(err)
		}
		peak := peakHeap(func() {
			if _, err := run.Run(context.Background()); err != nil {
				t.Fatal(err)
			}
		})
		t.Logf("%d units × %d runs: peak heap rise %d MB, estimate %d MB", c.units, c.n, peak>>20, est>>20)
		if est < peak {
			t.Errorf("%d units × %d runs: estimate %d bytes < peak %d", c.units, c.n, est, peak)
		}
	}
}

func TestBudget(t *testing.T) {
	b := newBudget(100)
	if !b.tryReserve(60) || b.tryReserve(50) || !b.tryReserve(40) || b.inUse() != 100 {
		t.Fatalf("tryReserve: in use %d", b.inUse())
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := b.reserve(ctx, 10); err == nil {
		t.Fatal("reserve beyond the limit did not wait")
	}
	got := make(chan int64)
	go func() {
		n, _ := b.reserve(context.Background(), 500) // capped at the limit
		got <- n
	}()
	b.release(60)
	select {
	case <-got:
		t.Fatal("reserve of the whole budget went through while 40 were in use")
	case <-time.After(20 * time.Millisecond):
	}
	b.release(40)
	if n := <-got; n != 100 || b.inUse() != 100 {
		t.Errorf("reserved %d, in use %d", n, b.inUse())
	}
}
