package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"sort"
	"sync"
	"time"

	"agglo/internal/analysis"
	"agglo/internal/i18n"
)

// Job states of an uncertainty analysis (see uncertainty.go for its
// routes).
const (
	jobRunning   = "running"
	jobDone      = "done"
	jobFailed    = "failed"
	jobCancelled = "cancelled"
)

// job is one uncertainty analysis running in the background.
type job struct {
	id      string
	cancel  context.CancelFunc
	mu      sync.Mutex
	state   string
	done    int
	total   int
	result  *analysis.UncertaintyStats
	errText *i18n.Text
	created time.Time
	changed chan struct{} // closed and replaced on every update
	extra   uaExtra
	last    time.Time
}

// uaExtra is what the result needs besides the UA result: the input and
// the unit names.
type uaExtra struct {
	Dataset   string            `json:"dataset"`
	Framework frameworkBrief    `json:"framework"`
	Year      int               `json:"year"`
	Period    string            `json:"period,omitempty"`
	Level     string            `json:"level,omitempty"`
	Names     map[string]string `json:"names"`
	Groups    map[string]string `json:"groups"`
}

type jobJSON struct {
	ID       string                     `json:"id"`
	State    string                     `json:"state"`
	Done     int                        `json:"done"`
	Total    int                        `json:"total"`
	Progress float64                    `json:"progress"`
	Error    string                     `json:"error,omitempty"`
	Created  time.Time                  `json:"created"`
	Result   *analysis.UncertaintyStats `json:"result,omitempty"`
	uaExtra
}

func (j *job) snapshot(l string) jobJSON {
	j.mu.Lock()
	defer j.mu.Unlock()
	out := jobJSON{ID: j.id, State: j.state, Done: j.done, Total: j.total, Created: j.created, Result: j.result, uaExtra: j.extra}
	if j.total > 0 {
		out.Progress = float64(j.done) / float64(j.total)
	}
	if j.errText != nil {
		out.Error = j.errText.In(l)
	}
	return out
}

// update changes the job under its lock and wakes the watchers.
func (j *job) update(f func()) {
	j.mu.Lock()
	f()
	close(j.changed)
	j.changed = make(chan struct{})
	j.mu.Unlock()
}

// progress records the runs done; watchers are woken at most every
// 100 ms and at the end.
func (j *job) progress(done, total int) {
	j.mu.Lock()
	now := time.Now()
	notify := done == total || now.Sub(j.last) > 100*time.Millisecond
	j.mu.Unlock()
	if notify {
		j.update(func() { j.done, j.total, j.last = done, total, now })
		return
	}
	j.mu.Lock()
	j.done, j.total = done, total
	j.mu.Unlock()
}

func (j *job) watch() (<-chan struct{}, bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.changed, j.state != jobRunning
}

// jobs holds running and recent jobs.
type jobs struct {
	mu      sync.Mutex
	byID    map[string]*job
	running int
	max     int
	keep    int
}

func newJobs(max int) *jobs { return &jobs{byID: map[string]*job{}, max: max, keep: 64} }

func (js *jobs) get(id string) (*job, bool) {
	js.mu.Lock()
	defer js.mu.Unlock()
	j, ok := js.byID[id]
	return j, ok
}

// add registers a job unless max are running.
func (js *jobs) add(j *job) bool {
	js.mu.Lock()
	defer js.mu.Unlock()
	if js.running >= js.max {
		return false
	}
	js.running++
	js.byID[j.id] = j
	if len(js.byID) > js.keep {
		var old []*job
		for _, x := range js.byID {
			x.mu.Lock()
			if x.state != jobRunning {
				old = append(old, x)
			}
			x.mu.Unlock()
		}
		sort.Slice(old, func(a, b int) bool { return old[a].created.Before(old[b].created) })
		for i := 0; i < len(old) && len(js.byID) > js.keep; i++ {
			delete(js.byID, old[i].id)
		}
	}
	return true
}

func (js *jobs) finished() {
	js.mu.Lock()
	js.running--
	js.mu.Unlock()
}

func (js *jobs) cancelAll() {
	js.mu.Lock()
	defer js.mu.Unlock()
	for _, j := range js.byID {
		j.cancel()
	}
}

func newJobID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
