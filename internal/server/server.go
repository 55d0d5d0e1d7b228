// Package server is agglo's HTTP JSON API and web dashboard over a SQLite
// workspace. Everything it serves is embedded: templates, scripts, styles,
// the vendored ECharts bundle and the China map.
package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"agglo/internal/dataset"
	"agglo/internal/i18n"
	"agglo/internal/store"
)

// Limits bound what a request may make the server do. Sizes are in bytes.
type Limits struct {
	// MaxBody is the largest request body (an upload).
	MaxBody int64
	// MaxJSONBody is the largest JSON request body.
	MaxJSONBody int64
	// MaxJSONDepth is the deepest nesting of a JSON request body.
	MaxJSONDepth int
	// MaxUnzipped is the largest total uncompressed size of an XLSX file,
	// MaxEntryBytes that of one of its entries.
	MaxUnzipped, MaxEntryBytes int64
	// MaxZipEntries is the most entries an XLSX file may have.
	MaxZipEntries int
	// MaxRatio is the largest compression ratio of an XLSX entry of more
	// than 64 KiB.
	MaxRatio int64
	// MaxRows, MaxCols and MaxCells bound the table of an uploaded file:
	// its data rows, the cells of one row and the cells of all rows. They
	// are counted as the file is read (dataset.Limits), never taken from
	// what the file declares.
	MaxRows, MaxCols int
	MaxCells         int64
	// MaxRegions and MaxIndicators bound the distinct regions and
	// indicators an uploaded file names, counted as it is read.
	MaxRegions, MaxIndicators int
	// MaxJobs is the number of uncertainty analyses that may run at once.
	MaxJobs int
	// MaxWatchers bounds the progress streams open at once in all, and
	// MaxWatchersPerJob those of one analysis.
	MaxWatchers, MaxWatchersPerJob int
	// SmallUpload is the size up to which a file is parsed in the small
	// lane of the parse pool; SmallWorkers files of that size are parsed
	// at once, besides one larger upload and one larger stored dataset.
	SmallUpload  int64
	SmallWorkers int

	// Memory budgets; zero takes a share of Config.MaxMemory (see
	// memoryShares). CacheBytes bounds the response cache, DatasetBytes
	// the datasets kept loaded, JobBytes the estimated memory of the
	// running uncertainty analyses, UploadBytes the uploads being received
	// and parsed (counted at their size; see createDataset), ResultBytes
	// the results of finished analyses kept for their clients.
	CacheBytes, DatasetBytes, JobBytes, UploadBytes, ResultBytes int64
	// MaxLiveHeap is the live heap at which the parse of an upload over
	// SmallUpload is stopped and the file refused with 413 (see
	// guardHeap); zero takes three quarters of Config.MaxMemory.
	MaxLiveHeap int64
}

// DefaultLimits returns the limits used when a Config leaves them zero
// (the memory budgets aside, which follow Config.MaxMemory).
func DefaultLimits() Limits {
	return Limits{
		MaxBody:           512 << 20,
		MaxJSONBody:       1 << 20,
		MaxJSONDepth:      32,
		MaxUnzipped:       256 << 20,
		MaxEntryBytes:     128 << 20,
		MaxZipEntries:     2000,
		MaxRatio:          200,
		MaxRows:           dataset.DefaultLimits().MaxRows,
		MaxCols:           2000,
		MaxCells:          dataset.DefaultLimits().MaxCells,
		MaxRegions:        dataset.DefaultLimits().MaxRegions,
		MaxIndicators:     dataset.DefaultLimits().MaxIndicators,
		MaxJobs:           2,
		MaxWatchers:       256,
		MaxWatchersPerJob: 16,
		SmallUpload:       1 << 20,
		SmallWorkers:      2,
	}
}

// Config configures a Server.
type Config struct {
	// Addr is the listen address, host:port.
	Addr string
	// AllowedHosts are names (or addresses) besides 127.0.0.1, localhost,
	// [::1] and Addr's host under which clients may reach the server; a
	// request with any other Host header is refused (DNS rebinding).
	AllowedHosts []string
	// Token, when set, is required on every write (Authorization: Bearer
	// or X-Agglo-Token) and on every read of uploaded data unless
	// PublicReads. It is mandatory when Addr is not a loopback address.
	Token string
	// PublicReads lets anyone who can reach the server read uploaded
	// datasets and saved analyses although a token is set.
	PublicReads bool
	// MaxMemory is the memory the server aims to stay under, shared out
	// among its caches, jobs and uploads (default DefaultMaxMemory). The
	// command sets seven eighths of it as the Go runtime's soft memory
	// limit.
	MaxMemory int64
	// Limits; zero fields take DefaultLimits.
	Limits Limits
	// TempDir is the folder where an XLSX upload is received before it is
	// parsed (a CSV upload is parsed as it arrives); default: the
	// workspace's folder, which is on disk where the system's temporary
	// folder may be in memory.
	TempDir string
	// Timeouts of the HTTP server; zero takes the defaults (read 60 s,
	// write 120 s, idle 120 s, header 10 s).
	ReadTimeout, WriteTimeout, IdleTimeout, ReadHeaderTimeout time.Duration
	// ShutdownTimeout bounds the graceful shutdown.
	ShutdownTimeout time.Duration
	// Logger receives request errors; nil discards them.
	Logger *slog.Logger
	// Version is shown in /api/v1/status.
	Version string
}

// Server serves the API and the dashboard.
type Server struct {
	cfg     Config
	store   *store.Store
	log     *slog.Logger
	hosts   hostSet
	data    *datasets
	jobs    *jobs
	cache   *responseCache
	pool    *parsePool
	uploads *budget // bytes of upload bodies being read and parsed
	jobMem  *budget // estimated bytes of running uncertainty analyses
	pages   *pages
	// routes lists every registered API route as "METHOD /path", for the
	// OpenAPI check; query holds the query parameters each reads.
	routes []string
	query  map[string][]string
	// base is cancelled when the server stops; jobs run under it.
	base context.Context
	stop context.CancelFunc
	once sync.Once
}

// ErrTokenRequired is returned by New when the server would listen beyond
// the loopback interface without a token.
var ErrTokenRequired = i18n.Errorf("监听非本机地址时必须用 --token 设置令牌", "a token (--token) is required when listening on a non-loopback address")

// New builds a server over an open store.
func New(cfg Config, st *store.Store) (*Server, error) {
	if cfg.Addr == "" {
		cfg.Addr = "127.0.0.1:8080"
	}
	host, _, err := net.SplitHostPort(cfg.Addr)
	if err != nil {
		return nil, i18n.Errorf("监听地址“%s”无效（应为 主机:端口）", "invalid listen address %q (use host:port)", cfg.Addr)
	}
	if !IsLoopback(host) && cfg.Token == "" {
		return nil, ErrTokenRequired
	}
	if cfg.MaxMemory <= 0 {
		cfg.MaxMemory = DefaultMaxMemory
	}
	def := DefaultLimits()
	l := &cfg.Limits
	fill64 := func(v *int64, d int64) {
		if *v <= 0 {
			*v = d
		}
	}
	fill := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	fill64(&l.MaxBody, def.MaxBody)
	fill64(&l.MaxJSONBody, def.MaxJSONBody)
	fill(&l.MaxJSONDepth, def.MaxJSONDepth)
	fill64(&l.MaxUnzipped, def.MaxUnzipped)
	fill64(&l.MaxEntryBytes, def.MaxEntryBytes)
	fill(&l.MaxZipEntries, def.MaxZipEntries)
	fill64(&l.MaxRatio, def.MaxRatio)
	fill(&l.MaxRows, def.MaxRows)
	fill(&l.MaxCols, def.MaxCols)
	fill64(&l.MaxCells, def.MaxCells)
	fill(&l.MaxRegions, def.MaxRegions)
	fill(&l.MaxIndicators, def.MaxIndicators)
	fill(&l.MaxJobs, def.MaxJobs)
	fill(&l.MaxWatchers, def.MaxWatchers)
	fill(&l.MaxWatchersPerJob, def.MaxWatchersPerJob)
	fill64(&l.SmallUpload, def.SmallUpload)
	fill(&l.SmallWorkers, def.SmallWorkers)
	cacheB, dataB, jobB, uploadB, resultB := memoryShares(cfg.MaxMemory)
	fill64(&l.CacheBytes, cacheB)
	fill64(&l.DatasetBytes, dataB)
	fill64(&l.JobBytes, jobB)
	fill64(&l.UploadBytes, uploadB)
	fill64(&l.ResultBytes, resultB)
	fill64(&l.MaxLiveHeap, cfg.MaxMemory/4*3)
	dur := func(v *time.Duration, d time.Duration) {
		if *v <= 0 {
			*v = d
		}
	}
	dur(&cfg.ReadTimeout, 60*time.Second)
	dur(&cfg.WriteTimeout, 120*time.Second)
	dur(&cfg.IdleTimeout, 120*time.Second)
	dur(&cfg.ReadHeaderTimeout, 10*time.Second)
	dur(&cfg.ShutdownTimeout, 10*time.Second)
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Version == "" {
		cfg.Version = "dev"
	}
	if cfg.TempDir == "" && st != nil {
		cfg.TempDir = filepath.Dir(st.Path())
	}
	removeStaleUploads(cfg.TempDir)
	base, stop := context.WithCancel(context.Background())
	pool := newParsePool(l.SmallUpload, l.SmallWorkers, 1, 1)
	data, err := newDatasets(base, st, l.DatasetBytes, pool, cfg.Logger)
	if err != nil {
		stop()
		return nil, err
	}
	pg, err := newPages()
	if err != nil {
		stop()
		return nil, err
	}
	s := &Server{cfg: cfg, store: st, log: cfg.Logger, hosts: newHostSet(cfg.Addr, cfg.AllowedHosts), data: data,
		cache: newResponseCache(l.CacheBytes), pool: pool, uploads: newBudget(l.UploadBytes), jobMem: newBudget(l.JobBytes),
		pages: pg, base: base, stop: stop}
	s.jobs = newJobs(l.MaxJobs, l.MaxWatchers, l.MaxWatchersPerJob, l.ResultBytes)
	return s, nil
}

// AllowedHosts returns the host names the server answers to.
func (s *Server) AllowedHosts() []string {
	names := s.hosts.names()
	sort.Strings(names)
	return names
}

// IsLoopback reports whether host (a name or an IP, without port) is the
// loopback interface.
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}

// Close stops running jobs.
func (s *Server) Close() {
	s.once.Do(func() {
		s.stop()
		s.jobs.cancelAll()
	})
}

// Handler returns the server's HTTP handler: the API under /api/v1/, the
// dashboard pages and the embedded static files.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	s.routes, s.query = s.routes[:0], map[string][]string{}
	s.apiRoutes(mux)
	s.pageRoutes(mux)
	var h http.Handler = mux
	h = s.noDirListings(h)
	h = s.guardWrites(h)
	h = s.guardReads(h)
	h = s.checkHost(h)
	h = securityHeaders(h)
	h = s.recoverPanics(h)
	return h
}

// Routes returns the registered API routes as "METHOD /path" (after Handler
// was called).
func (s *Server) Routes() []string { return append([]string(nil), s.routes...) }

// Serve serves on ln until ctx is cancelled, then shuts down gracefully:
// new connections are refused, running requests get ShutdownTimeout to
// finish, running jobs are cancelled.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	hs := &http.Server{
		Handler:           s.Handler(),
		ReadTimeout:       s.cfg.ReadTimeout,
		ReadHeaderTimeout: s.cfg.ReadHeaderTimeout,
		WriteTimeout:      s.cfg.WriteTimeout,
		IdleTimeout:       s.cfg.IdleTimeout,
		MaxHeaderBytes:    1 << 20,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		s.Close()
		return err
	case <-ctx.Done():
	}
	s.Close()
	sctx, cancel := context.WithTimeout(context.Background(), s.cfg.ShutdownTimeout)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
