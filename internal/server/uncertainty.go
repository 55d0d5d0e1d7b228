package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
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
	if req.N < 1 || req.N > maxUARuns {
		s.fail(w, r, badRequest("n", "n 须在 1 到 %d 之间", "n must lie between 1 and %d", maxUARuns))
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
	ctx, cancel := context.WithCancel(s.base)
	j.cancel = cancel
	if !s.jobs.add(j) {
		cancel()
		s.fail(w, r, errf(http.StatusTooManyRequests, codeBusy, "", "已有 %d 个不确定性分析在运行，请稍后再试", "%d uncertainty analyses are running; try again later", s.cfg.Limits.MaxJobs))
		return
	}
	go s.runJob(ctx, j, run, req)
	w.Header().Set("Location", "/api/v1/uncertainty/"+j.id)
	s.writeJSON(w, http.StatusAccepted, j.snapshot(l))
}

func (s *Server) runJob(ctx context.Context, j *job, run *analysis.UncertaintyRun, req uncertaintyRequest) {
	defer s.jobs.finished()
	defer j.cancel()
	res, err := safeRun(func() (*analysis.UncertaintyResult, error) { return run.Run(ctx) })
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
			j.result = &res.UncertaintyStats
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
