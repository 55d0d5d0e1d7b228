package spatial

import (
	"context"
	"math"
	"math/bits"
	"math/rand/v2"
	"runtime"
	"sync"
	"sync/atomic"
)

// Options control permutation inference.
type Options struct {
	// Permutations is the number of random permutations (0 = none; 999 is
	// the esda and GeoDa default).
	Permutations int
	// Seed selects the random streams. The same seed gives the same
	// p-values on any machine and for any number of workers.
	Seed uint64
	// Workers is the number of goroutines (≤ 0 means GOMAXPROCS).
	Workers int
}

func (o Options) workers(jobs int) int {
	w := o.Workers
	if w <= 0 {
		w = runtime.GOMAXPROCS(0)
	}
	return max(1, min(w, jobs))
}

// splitmix64 is the SplitMix64 finaliser (Steele, Lea and Flood 2014), used
// to derive independent stream seeds from (seed, index).
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// stream returns the random stream of permutation index: a PCG generator
// (O'Neill 2014, as math/rand/v2 specifies it) seeded from the seed and the
// index alone.
func stream(seed uint64, index int) *rand.PCG {
	a := splitmix64(seed ^ splitmix64(uint64(index)))
	b := splitmix64(a ^ 0x5851f42d4c957f2d)
	return rand.NewPCG(a, b)
}

// below returns a uniform integer in [0, n) from src (Lemire 2019,
// nearly-divisionless rejection), n > 0. It is written out rather than
// taken from math/rand so that the sequence is fixed by this package.
func below(src *rand.PCG, n uint64) uint64 {
	hi, lo := bits.Mul64(src.Uint64(), n)
	if lo < n {
		thresh := -n % n
		for lo < thresh {
			hi, lo = bits.Mul64(src.Uint64(), n)
		}
	}
	return hi
}

// shuffle permutes x uniformly (Fisher-Yates).
func shuffle(src *rand.PCG, x []float64) {
	for i := len(x) - 1; i > 0; i-- {
		j := int(below(src, uint64(i+1)))
		x[i], x[j] = x[j], x[i]
	}
}

// simulate evaluates perms statistics in parallel. newWorker is called once
// per goroutine and returns the function that computes the statistic of
// one permutation from its stream; result p depends only on (seed, p).
func simulate(ctx context.Context, opt Options, newWorker func() func(src *rand.PCG) float64) ([]float64, error) {
	perms := opt.Permutations
	sims := make([]float64, perms)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range opt.workers(perms) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f := newWorker()
			for {
				p := int(next.Add(1) - 1)
				if p >= perms {
					return
				}
				if p%64 == 0 && ctx.Err() != nil {
					return
				}
				sims[p] = f(stream(opt.Seed, p))
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return sims, nil
}

// Simulation summarises permutation inference for a global statistic.
type Simulation struct {
	// Permutations is the number of permutations (0: no inference, the
	// other fields are NaN).
	Permutations int
	// PSim is esda's folded pseudo p-value
	//
	//	p_sim = (min(m, P − m) + 1)/(P + 1),  m = #{sim ≥ observed}
	//
	// one-sided in the direction of the observed value.
	PSim float64
	// Mean and SD (divisor P) of the simulated values, and
	// Z = (observed − Mean)/SD.
	Mean, SD, Z float64
}

func noSimulation() Simulation {
	nan := math.NaN()
	return Simulation{PSim: nan, Mean: nan, SD: nan, Z: nan}
}

func summarise(obs float64, sims []float64) Simulation {
	p := len(sims)
	if p == 0 {
		return noSimulation()
	}
	larger := 0
	var sum float64
	for _, v := range sims {
		if v >= obs {
			larger++
		}
		sum += v
	}
	mean := sum / float64(p)
	var ss float64
	for _, v := range sims {
		d := v - mean
		ss += d * d
	}
	sd := math.Sqrt(ss / float64(p))
	return Simulation{Permutations: p, PSim: foldedP(larger, p), Mean: mean, SD: sd, Z: (obs - mean) / sd}
}

// foldedP is esda's pseudo p-value from the number of simulated values at
// least as large as the observed one.
func foldedP(larger, perms int) float64 {
	if perms-larger < larger {
		larger = perms - larger
	}
	return float64(larger+1) / float64(perms+1)
}
