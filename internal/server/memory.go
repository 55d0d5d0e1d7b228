package server

import (
	"context"
	"runtime/metrics"
	"sync"
	"time"

	"agglo/internal/analysis"
	"agglo/internal/dataset"
)

// DefaultMaxMemory is the memory a server aims to stay under when
// Config.MaxMemory is zero: 1 GiB.
const DefaultMaxMemory int64 = 1 << 30

// Shares of Config.MaxMemory given to each bounded structure when its own
// limit is zero: the response cache 1/16, loaded datasets 3/16, running
// uncertainty analyses 1/4, uploads being received and parsed 1/4 and the
// results of finished analyses 1/32: 25/32 in all. The rest is for
// requests and the Go runtime.
//
// The upload share holds the parse of the national tables (2,900 units ×
// 120 indicators × 20 years: the 303 MB long CSV peaks at about 170 MiB of
// heap, the 50 MB wide one at about 210 MiB); their datasets, loaded from
// their binary form, take 85 MiB (estimated at 142 MiB by datasetBytes),
// within the dataset share.
func memoryShares(total int64) (cache, datasets, jobs, uploads, results int64) {
	return total / 16, total / 16 * 3, total / 4, total / 4, total / 32
}

// budget is a number of bytes that work reserves before it starts and
// releases when it ends.
type budget struct {
	mu      sync.Mutex
	limit   int64
	used    int64
	changed chan struct{} // closed and replaced on every release
}

func newBudget(limit int64) *budget { return &budget{limit: limit, changed: make(chan struct{})} }

// tryReserve reserves n bytes if they fit in what remains.
func (b *budget) tryReserve(n int64) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.used+n > b.limit {
		return false
	}
	b.used += n
	return true
}

// reserve waits until n bytes fit (n is capped at the limit), or ctx ends.
func (b *budget) reserve(ctx context.Context, n int64) (int64, error) {
	n = min(n, b.limit)
	for {
		b.mu.Lock()
		if b.used+n <= b.limit {
			b.used += n
			b.mu.Unlock()
			return n, nil
		}
		ch := b.changed
		b.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return 0, ctx.Err()
		}
	}
}

func (b *budget) release(n int64) {
	b.mu.Lock()
	b.used -= n
	close(b.changed)
	b.changed = make(chan struct{})
	b.mu.Unlock()
}

// inUse returns the reserved bytes.
func (b *budget) inUse() int64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.used
}

// datasetBytes is an upper estimate of the memory a dataset loaded from
// its binary form (dataset.Load) holds, its lookup indices built. Each
// column (an indicator's values in one year) holds per slot its value (8
// bytes), file row, source and file column (4 bytes each, the last two
// usually one number for the column): a dense column has a slot per
// region, and is dense only when at least a third of the regions have a
// value, so it takes at most min(20 R, 60 n) bytes for n values of R
// regions; a sparse one 24 n (its region index besides), which is less.
// Summed per indicator over its years:
//
//	Σ_i min(20·R·years_i, 60·n_i) + 192 per column
//
// plus, per region, indicator and source record, its strings and index
// slots. A dataset just imported holds more (its columns grew while the
// file was read); the server keeps only loaded ones (see loadStored).
func datasetBytes(ds *dataset.Dataset) int64 {
	counts, years := ds.IndicatorYears()
	r := int64(len(ds.Regions))
	var b int64
	for i, n := range counts {
		y := int64(len(years[i]))
		b += min(20*r*y, 60*int64(n)) + 192*y
	}
	return b + 1024*r + 2048*int64(len(ds.Indicators)) + 512*int64(len(ds.Sources)) + 64<<10
}

// uncertaintyBytes is the memory an uncertainty analysis is admitted for:
// the live heap that composite.EstimateUA models (ranks kept in bounded
// running statistics, prepared matrices, per-worker levels), doubled for
// the garbage the collector lets build up between cycles, plus 16 MiB for
// results, names and maps.
func uncertaintyBytes(run *analysis.UncertaintyRun, workers int) (int64, error) {
	b, err := run.EstimateBytes(workers)
	if err != nil {
		return 0, err
	}
	return satMul(b, 2) + 16<<20, nil
}

// satMul multiplies without overflow, saturating at 1<<62.
func satMul(a, b int64) int64 {
	if a == 0 || b == 0 {
		return 0
	}
	if a > (1<<62)/b {
		return 1 << 62
	}
	return a * b
}

// liveHeap returns the heap the last collection found live.
func liveHeap() int64 {
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(sample)
	if sample[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return int64(sample[0].Value.Uint64())
}

// heapCheck is how often guardHeap looks at the live heap.
const heapCheck = 10 * time.Millisecond

// guardHeap runs f with a context that is cancelled when the live heap
// passes limit, and reports whether that happened. It bounds what the
// budgets cannot: the memory an import takes grows with what the file
// holds (values, and also distinct regions and indicators, which cost
// kilobytes each), and a file within every size limit can hold millions
// of them. Cancelled, the import stops within a block of the file and its
// memory is collected.
func guardHeap(ctx context.Context, limit int64, f func(ctx context.Context) error) (err error, exceeded bool) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan struct{})
	var over bool
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(heapCheck)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				if liveHeap() > limit {
					over = true
					cancel()
					return
				}
			}
		}
	}()
	err = f(ctx)
	close(done)
	wg.Wait()
	return err, over
}
