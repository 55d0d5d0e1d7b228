package server

import (
	"context"
	"sync"

	"agglo/internal/composite"
	"agglo/internal/dataset"
	"gopkg.in/yaml.v3"
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

// estimateUABytes is a conservative estimate of the peak memory of an
// uncertainty analysis of units × indicators with n replications under
// spec, used to admit it against the memory budget.
//
// TODO: replace with composite.EstimateUA, which models the analysis
// itself, when it is available in this tree.
//
// What it counts (composite.Uncertainty as of this writing): the ranks of
// every unit in every run, or a unit × rank histogram when there are fewer
// units than runs (4 bytes each); one prepared units × indicators matrix
// (float64) and two working copies per combination of the imputation,
// treatment and normalisation alternatives; per worker the levels above
// the indicators and ranking buffers; each run's output value; the
// nominal build; per unit 1 KiB for results, names and maps; and 16 MiB
// for everything else.
func estimateUABytes(units, indicators, n int, spec *composite.UASpec, workers int) int64 {
	u, m := int64(units), int64(indicators)
	uaRuns, runs := int64(n), int64(n)
	if spec.Sensitivity {
		uaRuns = 2 * int64(n)
		runs = int64(n) * int64(len(spec.Choices)+2)
	}
	ranks := 4 * u * min(u, uaRuns)
	combos := int64(1)
	for i := range spec.Choices {
		switch c := &spec.Choices[i]; c.Step {
		case composite.ChoiceImputation, composite.ChoiceTreatment, composite.ChoiceNormalisation:
			combos = satMul(combos, int64(alternatives(c)))
		}
	}
	matrix := 8 * u * m
	prepared := satMul(combos, 3*matrix)
	scratch := int64(max(workers, 1)) * (8*u*(m+16) + 64<<10)
	return ranks + prepared + scratch + 8*runs + 4*matrix + 1024*u + 16<<20
}

// alternatives is the number of alternatives of a choice of the spec (at
// least 1).
func alternatives(c *composite.Choice) int {
	n := len(c.WinMax)
	if c.Alternatives.Kind == yaml.SequenceNode {
		n += len(c.Alternatives.Content)
	}
	return max(n, 1)
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
