package composite

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"testing"
)

// measureUA runs Uncertainty and returns the peak of the live heap above
// the heap before the call (a forced collection every tenth progress call
// measures what is held, not garbage), and the bytes allocated.
func measureUA(t *testing.T, fw *Framework, d *Data, spec *UASpec, o UAOptions) (peak, alloc uint64) {
	t.Helper()
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	base, total := ms.HeapAlloc, ms.TotalAlloc
	calls := 0
	o.Progress = func(done, all int) {
		calls++
		if calls%10 != 0 {
			return
		}
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		if m.HeapAlloc > base && m.HeapAlloc-base > peak {
			peak = m.HeapAlloc - base
		}
	}
	res, err := Uncertainty(context.Background(), fw, d, spec, o)
	if err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&ms)
	runtime.KeepAlive(res)
	return peak, ms.TotalAlloc - total
}

// TestUncertaintyMemoryFlat: the memory held during an analysis does not
// grow with N (×10 here), and EstimateUA's bytes bound it.
func TestUncertaintyMemoryFlat(t *testing.T) {
	fw, d := synthetic(t, 600, []int{5, 5, 5, 5, 5, 5, 5, 5}, 6)
	for _, c := range []struct {
		name string
		spec *UASpec
		opts Options
	}{
		{"default spec (noise on the indicator weights)", DefaultUASpec(), Options{}},
		{"COINr-like spec (cached levels)", parseSpec(t, benchSpec), Options{Steps: nominalSteps()}},
	} {
		var peaks [2]uint64
		var allocs [2]uint64
		for k, n := range []int{300, 3000} {
			o := UAOptions{N: n, Seed: 2, Workers: 2, Build: c.opts}
			peaks[k], allocs[k] = measureUA(t, fw, d, c.spec, o)
			est, err := EstimateUA(fw, d, c.spec, o)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s, N = %d: peak live %.2f MB, allocated %.1f MB, estimate %.2f MB", c.name, n,
				float64(peaks[k])/1e6, float64(allocs[k])/1e6, float64(est.Bytes)/1e6)
			if uint64(est.Bytes) < peaks[k] {
				t.Errorf("%s, N = %d: estimate %d bytes under the measured peak %d", c.name, n, est.Bytes, peaks[k])
			}
		}
		// Generous bound: 25 % and 1 MiB of slack for the collector's timing.
		if peaks[1] > peaks[0]+peaks[0]/4+1<<20 {
			t.Errorf("%s: peak live heap grows with N: %d bytes at N = 300, %d at N = 3000", c.name, peaks[0], peaks[1])
		}
		// What a run allocates is garbage; bound it per run.
		if perRun := (allocs[1] - allocs[0]) / 2700; perRun > 16<<10 {
			t.Errorf("%s: %d bytes allocated per run", c.name, perRun)
		}
	}
}

func TestEstimateUA(t *testing.T) {
	fw, _ := synthetic(t, 10, []int{10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10}, 2)
	units := func(n int) *Data {
		d := &Data{}
		for i := 0; i < n; i++ {
			d.Units = append(d.Units, Unit{Code: fmt.Sprint(i)})
		}
		return d
	}
	spec := DefaultUASpec()
	// National scale: 2,900 units keep an exact histogram, the same for
	// every N.
	var prev UACost
	for k, n := range []int{1000, 10_000, 1_000_000} {
		c, err := EstimateUA(fw, units(2900), spec, UAOptions{N: n, Workers: 2})
		if err != nil {
			t.Fatal(err)
		}
		if !c.ExactRanks || c.RankBytes != 2900*2900*4+2900*20 || c.Runs != int64(n) {
			t.Errorf("2,900 units, N = %d: %+v", n, c)
		}
		if k > 0 && c.Bytes != prev.Bytes {
			t.Errorf("2,900 units: bytes %d at N = %d, %d before", c.Bytes, n, prev.Bytes)
		}
		if k > 0 && c.Work <= prev.Work {
			t.Errorf("work does not grow with N: %d, %d", prev.Work, c.Work)
		}
		prev = c
	}
	// 20,000 units: the ranks of every run fit the default bound at N = 500
	// (40 MB), not at N = 10,000; the binned form then stays within the
	// bound whatever N.
	small, _ := EstimateUA(fw, units(20_000), spec, UAOptions{N: 500, Workers: 2})
	big, _ := EstimateUA(fw, units(20_000), spec, UAOptions{N: 10_000, Workers: 2})
	huge, _ := EstimateUA(fw, units(20_000), spec, UAOptions{N: 1_000_000, Workers: 2})
	if !small.ExactRanks || big.ExactRanks || big.RankBytes > DefaultRankMemory+20*20_000 || huge.Bytes != big.Bytes {
		t.Errorf("20,000 units: %+v / %+v / %+v", small, big, huge)
	}
	sa := DefaultUASpec()
	sa.Sensitivity = true
	if c, _ := EstimateUA(fw, units(100), sa, UAOptions{N: 100}); c.Runs != 100*6 {
		t.Errorf("SA runs %d, want 600", c.Runs)
	}
	var fe *FieldError
	if _, err := EstimateUA(fw, units(100), spec, UAOptions{N: 1}); !errors.As(err, &fe) || fe.Field != "n" {
		t.Errorf("N = 1: %v", err)
	}
}
