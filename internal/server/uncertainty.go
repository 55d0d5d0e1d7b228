package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"runtime"
	"strings"
	"time"

	"agglo/internal/analysis"
	"agglo/internal/composite"
	"agglo/internal/dataset"
	"agglo/internal/i18n"
)

// uncertaintyRequest is a composite request plus the Monte Carlo settings.
// Spec is an uncertainty specification in YAML (see composite.UASpec);
// without it the default spec of the analysis is used, as on the command
// line. N 0 takes analysis.DefaultUncertaintyRuns; Seed 0 is seed 1, the
// command line's default.
type uncertaintyRequest struct {
	compositeRequest
	N    int    `json:"n"`
	Seed uint64 `json:"seed"`
	Spec string `json:"spec,omitempty"`
}

const maxUARuns = 20000

func (s *Server) startUncertainty(w http.ResponseWriter, r *http.Request) {
	var req uncertaintyRequest
	if err := s.decodeJSON(w, r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	if req.N == 0 {
		req.N = analysis.DefaultUncertaintyRuns
	}
	if req.N < 2 || req.N > maxUARuns {
		s.fail(w, r, badRequest("n", "n 须在 2 到 %d 之间（收到 %d）", "n must lie between 2 and %d (got %d)", maxUARuns, req.N))
		return
	}
	if req.Seed == 0 {
		req.Seed = 1
	}
	if len(req.Spec) > 64<<10 {
		s.fail(w, r, tooLarge("spec", "不确定性规格过长", "the uncertainty specification is too long"))
		return
	}
	spec := analysis.DefaultUncertaintySpec()
	if strings.TrimSpace(req.Spec) != "" {
		var err error
		if spec, err = composite.ParseUASpec(strings.NewReader(req.Spec)); err != nil {
			s.fail(w, r, invalidInput("spec", err))
			return
		}
	}
	if spec.Sensitivity && req.N*(len(spec.Choices)+2) > maxUARuns {
		s.fail(w, r, badRequest("n", "敏感性分析共 %d 次运行，超过 %d 的上限", "the sensitivity analysis needs %d runs, over the limit of %d", req.N*(len(spec.Choices)+2), maxUARuns))
		return
	}
	l := lang(r)
	ir, builtin, err := s.indexRequest(r.Context(), &req.compositeRequest, l)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	j := &job{id: newJobID(), state: jobRunning, created: time.Now().UTC(), changed: make(chan struct{})}
	ur := analysis.UncertaintyRequest{Index: ir, Spec: spec, N: req.N, Seed: req.Seed, Progress: j.progress}
	// The nominal index is built now, so that a bad choice of methods is a
	// 422 on this request rather than a failed job.
	var run *analysis.UncertaintyRun
	err = s.withIndexData(r.Context(), &req.compositeRequest, func(ds *dataset.Dataset, id string) error {
		var err error
		run, err = safeRun(func() (*analysis.UncertaintyRun, error) { return analysis.PrepareUncertainty(r.Context(), ds, ur) })
		if err != nil {
			return analysisError(err, "framework", compositeFields)
		}
		nom := run.Nominal()
		j.extra = uaExtra{Dataset: id, Framework: briefOf(nom.Input.Framework, builtin, l), Year: nom.Year, Period: nom.Period, Level: string(nom.Level),
			Names: map[string]string{}, Groups: map[string]string{}}
		for _, u := range nom.Input.Data.Units {
			j.extra.Names[u.Code] = u.Name
			j.extra.Groups[u.Code] = nom.Groups[u.Code]
		}
		return nil
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// Admit the analysis by its cost: its estimated memory must fit in
	// what the running analyses leave of the budget.
	nom := run.Nominal()
	j.memory, err = uncertaintyBytes(run, runtime.GOMAXPROCS(0))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !s.jobMem.tryReserve(j.memory) {
		s.fail(w, r, s.overBudget(j.memory, len(nom.Input.Data.Units), req.N))
		return
	}
	ctx, cancel := context.WithCancel(s.base)
	j.cancel = cancel
	if !s.jobs.add(j) {
		cancel()
		s.jobMem.release(j.memory)
		s.fail(w, r, errf(http.StatusTooManyRequests, codeBusy, "", "已有 %d 个不确定性分析在运行，请稍后再试", "%d uncertainty analyses are running; try again later", s.cfg.Limits.MaxJobs))
		return
	}
	go s.runJob(ctx, j, run, req)
	w.Header().Set("Location", "/api/v1/uncertainty/"+j.id)
	writeRawJSON(w, http.StatusAccepted, j.snapshot(l))
}

// overBudget is the 422 of an analysis whose estimated memory does not fit
// in what remains of the budget for analyses.
func (s *Server) overBudget(need int64, units, n int) error {
	limit := s.cfg.Limits.JobBytes
	used := s.jobMem.inUse()
	if need > limit {
		return errf(http.StatusUnprocessableEntity, codeTooCostly, "n",
			"这项分析（%d 个单元 × %d 次）估计需要 %.0f MB 内存，超过不确定性分析 %.0f MB 的上限（由 --max-memory 决定）：请减少 n 或单元数",
			"this analysis (%d units × %d runs) needs an estimated %.0f MB of memory, over the limit of %.0f MB for uncertainty analyses (set by --max-memory): lower n or the number of units",
			units, n, mb(need), mb(limit))
	}
	return errf(http.StatusUnprocessableEntity, codeTooCostly, "n",
		"这项分析（%d 个单元 × %d 次）估计需要 %.0f MB 内存，而正在运行的分析已占用不确定性分析 %.0f MB 上限中的 %.0f MB：请稍后再试或减少 n",
		"this analysis (%d units × %d runs) needs an estimated %.0f MB of memory, and running analyses already take %.0[5]f MB of the %.0[4]f MB limit for uncertainty analyses: try later or lower n",
		units, n, mb(need), mb(limit), mb(used))
}

func (s *Server) runJob(ctx context.Context, j *job, run *analysis.UncertaintyRun, req uncertaintyRequest) {
	defer j.cancel()
	res, err := safeRun(func() (*analysis.UncertaintyResult, error) { return run.Run(ctx) })
	s.jobMem.release(j.memory)
	var size int64
	switch {
	case err == nil:
		size = j.finish(res)
	default:
		j.update(func() {
			j.extra.Names, j.extra.Groups = nil, nil
			if errors.Is(err, context.Canceled) || ctx.Err() != nil {
				j.state = jobCancelled
				return
			}
			j.state = jobFailed
			var l i18n.Localizer
			t := i18n.T("分析失败", "the analysis failed")
			if errors.As(err, &l) {
				t = i18n.T(l.Localized(i18n.ZH), l.Localized(i18n.EN))
			} else {
				s.log.Error("uncertainty job", "err", err)
			}
			j.errText = &t
		})
	}
	s.jobs.finished(size)
	if err == nil && req.Save {
		j.mu.Lock()
		final, ds := j.final, j.extra.Dataset
		j.mu.Unlock()
		if _, err := s.save(context.Background(), "uncertainty", ds, req, json.RawMessage(final)); err != nil {
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
	writeRawJSON(w, http.StatusOK, j.snapshot(lang(r)))
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
	writeRawJSON(w, http.StatusOK, j.snapshot(lang(r)))
}

// uncertaintyEvents streams the job's progress as server-sent events:
// "progress" events while it runs, carrying only the counts (id, state,
// done, total, progress), then one "done", "failed" or "cancelled" event
// with the job's answer, encoded once for all watchers. The streams of one
// job and of the server are capped (Limits.MaxWatchersPerJob,
// MaxWatchers): past the cap a client gets 429 or 503 and may poll
// GET /api/v1/uncertainty/{id} instead.
func (s *Server) uncertaintyEvents(w http.ResponseWriter, r *http.Request) {
	j, err := s.jobOf(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	release, err := s.jobs.watch(j.id)
	if err != nil {
		w.Header().Set("Retry-After", "5")
		s.fail(w, r, err)
		return
	}
	defer release()
	rc := http.NewResponseController(w)
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	l := lang(r)
	for {
		ch, _ := j.watch()
		b, event, over := j.progressEvent()
		if over {
			b = j.snapshot(l)
		} else {
			event = "progress"
		}
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
