package server

import (
	"context"
	"sync"

	"agglo/internal/analysis"
	"agglo/internal/dataset"
)

// DefaultMaxMemory is the memory a server aims to stay under when
// Config.MaxMemory is zero: 1 GiB.
const DefaultMaxMemory int64 = 1 << 30

// Shares of Config.MaxMemory given to each bounded structure when its own
// limit is zero: the response cache 1/16, loaded datasets 1/4, running
// uncertainty analyses 1/4, upload bodies being read 1/8 and the results
// of finished analyses 1/32. The remaining quarter or so is for the
// parsing in progress, requests and the Go runtime.
func memoryShares(total int64) (cache, datasets, jobs, uploads, results int64) {
	return total / 16, total / 4, total / 4, total / 8, total / 32
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

// datasetBytes is an upper estimate of the memory a loaded dataset holds,
// its lookup indices built: per observation its 32-byte record and its
// slot in the value index (measured at about 70 bytes together), per
// region, indicator and source record its strings and index slots.
func datasetBytes(ds *dataset.Dataset) int64 {
	return 96*int64(ds.Len()) + 1024*int64(len(ds.Regions)) + 2048*int64(len(ds.Indicators)) + 512*int64(len(ds.Sources)) + 64<<10
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
