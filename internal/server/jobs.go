package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
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
	errText *i18n.Text
	created time.Time
	changed chan struct{} // closed and replaced on every update
	extra   uaExtra
	last    time.Time
	// final is the finished job's answer (with its result) encoded once,
	// for every client that asks; it replaces the result and the unit
	// names, which are not kept besides.
	final []byte
	// memory is the estimated bytes reserved for the run.
	memory int64
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

// progressJSON is a progress event: the counts, never the units.
type progressJSON struct {
	ID       string  `json:"id"`
	State    string  `json:"state"`
	Done     int     `json:"done"`
	Total    int     `json:"total"`
	Progress float64 `json:"progress"`
}

// snapshot returns the job's state as JSON in language l: the encoded
// final answer of a finished job, else its counts and input.
func (j *job) snapshot(l string) []byte {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.final != nil {
		return j.final
	}
	out := jobJSON{ID: j.id, State: j.state, Done: j.done, Total: j.total, Created: j.created, uaExtra: j.extra}
	if j.total > 0 {
		out.Progress = float64(j.done) / float64(j.total)
	}
	if j.errText != nil {
		out.Error = j.errText.In(l)
	}
	b, _ := json.Marshal(out)
	return b
}

// progressEvent returns the job's counts as JSON and whether it is over.
func (j *job) progressEvent() ([]byte, string, bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	p := progressJSON{ID: j.id, State: j.state, Done: j.done, Total: j.total}
	if j.total > 0 {
		p.Progress = float64(j.done) / float64(j.total)
	}
	b, _ := json.Marshal(p)
	return b, j.state, j.state != jobRunning
}

// finish records a successful run: the answer is encoded once and the
// unit names dropped. It returns the answer's size.
func (j *job) finish(res *analysis.UncertaintyResult) int64 {
	var size int64
	j.update(func() {
		j.state = jobDone
		j.done, j.total = res.Runs, res.Runs
		out := jobJSON{ID: j.id, State: j.state, Done: j.done, Total: j.total, Created: j.created, Result: &res.UncertaintyStats, uaExtra: j.extra}
		if j.total > 0 {
			out.Progress = float64(j.done) / float64(j.total)
		}
		j.final, _ = json.Marshal(out)
		j.extra.Names, j.extra.Groups = nil, nil
		size = int64(len(j.final))
	})
	return size
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
// 100 ms and at the end. Reports may arrive out of order from parallel
// workers: a count lower than the one recorded is ignored.
func (j *job) progress(done, total int) {
	j.mu.Lock()
	if done < j.done {
		j.mu.Unlock()
		return
	}
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

// jobs holds running and recent jobs: finished ones while their answers
// fit in maxResults bytes (and at most keep of them), oldest dropped
// first.
type jobs struct {
	mu         sync.Mutex
	byID       map[string]*job
	running    int
	max        int
	keep       int
	results    int64 // bytes of the finished jobs' answers
	maxResults int64
	// watchers counts the open progress streams, in all and per job.
	watchers, maxWatchers, maxPerJob int
	perJob                           map[string]int
}

func newJobs(max, maxWatchers, maxPerJob int, maxResults int64) *jobs {
	return &jobs{byID: map[string]*job{}, max: max, keep: 64, maxResults: maxResults,
		maxWatchers: maxWatchers, maxPerJob: maxPerJob, perJob: map[string]int{}}
}

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
	js.prune()
	return true
}

// prune drops the oldest finished jobs while there are more than keep
// jobs or their answers exceed maxResults bytes. js.mu is held.
func (js *jobs) prune() {
	if len(js.byID) <= js.keep && js.results <= js.maxResults {
		return
	}
	var old []*job
	for _, x := range js.byID {
		x.mu.Lock()
		if x.state != jobRunning {
			old = append(old, x)
		}
		x.mu.Unlock()
	}
	sort.Slice(old, func(a, b int) bool { return old[a].created.Before(old[b].created) })
	for i := 0; i < len(old) && (len(js.byID) > js.keep || js.results > js.maxResults); i++ {
		delete(js.byID, old[i].id)
		old[i].mu.Lock()
		js.results -= int64(len(old[i].final))
		old[i].mu.Unlock()
	}
}

// finished records the end of a job whose answer takes size bytes.
func (js *jobs) finished(size int64) {
	js.mu.Lock()
	defer js.mu.Unlock()
	js.running--
	js.results += size
	js.prune()
}

// watch admits one more progress stream of job id, or says why not: 429
// when the job has maxPerJob, 503 when the server has maxWatchers.
func (js *jobs) watch(id string) (func(), error) {
	js.mu.Lock()
	defer js.mu.Unlock()
	if js.perJob[id] >= js.maxPerJob {
		return nil, errf(http.StatusTooManyRequests, codeBusy, "id", "这个分析任务已有 %d 个进度流，请改为查询其状态", "this analysis already has %d progress streams; poll its state instead", js.maxPerJob)
	}
	if js.watchers >= js.maxWatchers {
		return nil, errf(http.StatusServiceUnavailable, codeBusy, "", "服务器已有 %d 个进度流，请稍后再试", "the server has %d progress streams open; try again later", js.maxWatchers)
	}
	js.perJob[id]++
	js.watchers++
	return func() {
		js.mu.Lock()
		defer js.mu.Unlock()
		js.watchers--
		if js.perJob[id]--; js.perJob[id] <= 0 {
			delete(js.perJob, id)
		}
	}, nil
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
