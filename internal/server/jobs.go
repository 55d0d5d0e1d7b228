package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"agglo/internal/composite"
	"agglo/internal/i18n"
)

// Job states.
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
	result  *composite.UAResult
	errText *i18n.Text
	created time.Time
	changed chan struct{} // closed and replaced on every update
	extra   uaExtra
	last    time.Time
}

// uaExtra is what the result needs besides the UA result: unit names.
type uaExtra struct {
	Dataset   string            `json:"dataset"`
	Framework frameworkBrief    `json:"framework"`
	Year      int               `json:"year"`
	Names     map[string]string `json:"names"`
	Groups    map[string]string `json:"groups"`
}

type jobJSON struct {
	ID       string              `json:"id"`
	State    string              `json:"state"`
	Done     int                 `json:"done"`
	Total    int                 `json:"total"`
	Progress float64             `json:"progress"`
	Error    string              `json:"error,omitempty"`
	Created  time.Time           `json:"created"`
	Result   *composite.UAResult `json:"result,omitempty"`
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

// uncertaintyRequest is a composite request plus the Monte Carlo settings.
// Spec is an uncertainty specification in YAML (see composite.UASpec);
// without it the default choices are used.
type uncertaintyRequest struct {
	compositeRequest
	N    int    `json:"n"`
	Seed uint64 `json:"seed"`
	Spec string `json:"spec,omitempty"`
}

// defaultUASpec varies normalisation, weights and aggregation, and adds
// ±25 % noise to the indicator weights.
const defaultUASpec = `choices:
  - name: normalisation
    step: normalisation
    alternatives: [{method: minmax, lower: 1, upper: 100}, {method: rank}]
  - {name: weights, step: weights, level: 2, alternatives: [{method: framework}, {method: equal}]}
  - {name: aggregation, step: aggregation, alternatives: [{method: arithmetic}, {method: geometric}]}
  - {name: noise, step: weight_noise, level: 2, factor: 0.25}
`

const maxUARuns = 20000

func (s *Server) startUncertainty(w http.ResponseWriter, r *http.Request) {
	var req uncertaintyRequest
	if err := s.decodeJSON(w, r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	if req.N == 0 {
		req.N = 200
	}
	if req.N < 1 || req.N > maxUARuns {
		s.fail(w, r, badRequest("n", "n 须在 1 到 %d 之间", "n must lie between 1 and %d", maxUARuns))
		return
	}
	if req.Seed == 0 {
		req.Seed = 1
	}
	specText := req.Spec
	if strings.TrimSpace(specText) == "" {
		specText = defaultUASpec
	}
	if len(specText) > 64<<10 {
		s.fail(w, r, tooLarge("spec", "不确定性规格过长", "the uncertainty specification is too long"))
		return
	}
	spec, err := composite.ParseUASpec(strings.NewReader(specText))
	if err != nil {
		s.fail(w, r, invalidInput("spec", err))
		return
	}
	if spec.Sensitivity && req.N*(len(spec.Choices)+2) > maxUARuns {
		s.fail(w, r, badRequest("n", "敏感性分析共 %d 次运行，超过 %d 的上限", "the sensitivity analysis needs %d runs, over the limit of %d", req.N*(len(spec.Choices)+2), maxUARuns))
		return
	}
	l := lang(r)
	fw, d, opts, out, err := s.prepareComposite(r.Context(), &req.compositeRequest, l)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// Check the nominal build now so that a bad choice of methods is a 422
	// on this request rather than a failed job.
	if _, err := safeRun(func() (*composite.Result, error) { return composite.Build(r.Context(), fw, d, opts) }); err != nil {
		s.fail(w, r, invalidInput("steps", err))
		return
	}
	ctx, cancel := context.WithCancel(s.base)
	j := &job{id: newJobID(), cancel: cancel, state: jobRunning, created: time.Now().UTC(), changed: make(chan struct{}),
		extra: uaExtra{Dataset: out.Dataset, Framework: out.Framework, Year: out.Year, Names: map[string]string{}, Groups: map[string]string{}}}
	for _, u := range d.Units {
		j.extra.Names[u.Code] = u.Name
		j.extra.Groups[u.Code] = u.Groups["agglomeration"]
	}
	if !s.jobs.add(j) {
		cancel()
		s.fail(w, r, errf(http.StatusTooManyRequests, codeBusy, "", "已有 %d 个不确定性分析在运行，请稍后再试", "%d uncertainty analyses are running; try again later", s.cfg.Limits.MaxJobs))
		return
	}
	go s.runJob(ctx, j, fw, d, spec, composite.UAOptions{N: req.N, Seed: req.Seed, Build: opts}, req)
	w.Header().Set("Location", "/api/v1/uncertainty/"+j.id)
	s.writeJSON(w, http.StatusAccepted, j.snapshot(l))
}

func (s *Server) runJob(ctx context.Context, j *job, fw *composite.Framework, d *composite.Data, spec *composite.UASpec, o composite.UAOptions, req uncertaintyRequest) {
	defer s.jobs.finished()
	defer j.cancel()
	o.Progress = func(done, total int) {
		j.mu.Lock()
		now := time.Now()
		notify := done == total || now.Sub(j.last) > 100*time.Millisecond
		j.mu.Unlock()
		if notify {
			j.update(func() { j.done, j.total, j.last = done, total, now })
		} else {
			j.mu.Lock()
			j.done, j.total = done, total
			j.mu.Unlock()
		}
	}
	res, err := safeRun(func() (*composite.UAResult, error) { return composite.Uncertainty(ctx, fw, d, spec, o) })
	j.update(func() {
		switch {
		case errors.Is(err, context.Canceled) || ctx.Err() != nil && err != nil:
			j.state = jobCancelled
		case err != nil:
			j.state = jobFailed
			var l i18n.Localizer
			t := i18n.T("分析失败", "the analysis failed")
			if errors.As(err, &l) {
				t = i18n.T(l.Localized(i18n.ZH), l.Localized(i18n.EN))
			} else {
				s.log.Error("uncertainty job", "err", err)
			}
			j.errText = &t
		default:
			j.state = jobDone
			j.result = res
			if j.total == 0 {
				j.done, j.total = res.Runs, res.Runs
			}
		}
	})
	if err == nil && req.Save {
		snap := j.snapshot(i18n.ZH)
		if _, err := s.save(context.Background(), "uncertainty", snap.Dataset, req, snap); err != nil {
			s.log.Error("save uncertainty", "err", err)
		}
	}
}

func (s *Server) jobOf(r *http.Request) (*job, error) {
	j, ok := s.jobs.get(r.PathValue("id"))
	if !ok {
		return nil, notFound("id", "没有编号为“%s”的分析任务", "no job %q", clip(r.PathValue("id")))
	}
	return j, nil
}

func (s *Server) showUncertainty(w http.ResponseWriter, r *http.Request) {
	j, err := s.jobOf(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.ok(w, j.snapshot(lang(r)))
}

func (s *Server) cancelUncertainty(w http.ResponseWriter, r *http.Request) {
	j, err := s.jobOf(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	j.cancel()
	// Wait briefly so that the answer shows the final state.
	ch, over := j.watch()
	for i := 0; !over && i < 50; i++ {
		select {
		case <-ch:
		case <-time.After(100 * time.Millisecond):
		case <-r.Context().Done():
			return
		}
		ch, over = j.watch()
	}
	s.ok(w, j.snapshot(lang(r)))
}

// uncertaintyEvents streams the job's progress as server-sent events
// ("progress" while running, then one "done", "failed" or "cancelled").
func (s *Server) uncertaintyEvents(w http.ResponseWriter, r *http.Request) {
	j, err := s.jobOf(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rc := http.NewResponseController(w)
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	l := lang(r)
	for {
		ch, over := j.watch()
		snap := j.snapshot(l)
		event := "progress"
		if over {
			event = snap.State
		} else {
			snap.Result = nil
		}
		b, _ := json.Marshal(snap)
		_ = rc.SetWriteDeadline(time.Now().Add(30 * time.Second))
		if _, err := fmt.Fprintf(w, "event: %s\ndata: %s\n\n", event, b); err != nil {
			return
		}
		if err := rc.Flush(); err != nil {
			return
		}
		if over {
			return
		}
		select {
		case <-ch:
		case <-time.After(15 * time.Second):
		case <-r.Context().Done():
			return
		case <-s.base.Done():
			return
		}
	}
}
