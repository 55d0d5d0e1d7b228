package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"agglo/internal/bench"
	"agglo/internal/dataset"
	"agglo/internal/store"
)

func TestServeFlags(t *testing.T) {
	code, _, errs := run(t, "serve", "--addr", "0.0.0.0:0", "--db", filepath.Join(t.TempDir(), "w.db"))
	if code != exitUsage || !strings.Contains(errs, "--token") {
		t.Errorf("non-loopback without token: exit %d, %q", code, errs)
	}
	code, _, errs = run(t, "serve", "--addr", "nonsense", "--lang", "en")
	if code != exitUsage || !strings.Contains(errs, "--addr") {
		t.Errorf("bad --addr: exit %d, %q", code, errs)
	}
	code, _, _ = run(t, "serve", "--max-upload-mb", "0")
	if code != exitUsage {
		t.Errorf("--max-upload-mb 0: exit %d", code)
	}
	for _, v := range []string{"lots", "800", "10MiB", "-1GiB"} {
		code, _, errs = run(t, "serve", "--max-memory", v, "--lang", "en")
		if code != exitUsage || !strings.Contains(errs, "--max-memory") {
			t.Errorf("--max-memory %s: exit %d, %q", v, code, errs)
		}
	}
	code, _, errs = run(t, "serve", "--allowed-hosts", "a b", "--lang", "en")
	if code != exitUsage || !strings.Contains(errs, "--allowed-hosts") {
		t.Errorf("--allowed-hosts 'a b': exit %d, %q", code, errs)
	}
	o := serveOptions{addr: "127.0.0.1:0", db: "x.db", maxBody: 50, maxMemory: "512MiB"}
	if err := o.validate(); err != nil || o.memory != 512<<20 {
		t.Errorf("--max-memory 512MiB: %d, %v", o.memory, err)
	}
	t.Setenv("XDG_DATA_HOME", "/data/home")
	if p, _ := defaultDBPath(); p != "/data/home/agglo/workspace.db" {
		t.Errorf("default db %q", p)
	}
}

// TestServeInProcess starts the server, answers a request and shuts down
// when the context is cancelled (as SIGTERM does through main).
func TestServeInProcess(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	var errb bytes.Buffer
	g := &globals{stdout: io.Discard, stderr: &errb, lang: "en", format: "table"}
	done := make(chan error, 1)
	go func() {
		done <- runServe(ctx, g, serveOptions{addr: "127.0.0.1:0", db: filepath.Join(t.TempDir(), "w.db"), maxBody: 50, ready: ready})
	}()
	var addr string
	select {
	case addr = <-ready:
	case err := <-done:
		t.Fatalf("serve ended: %v", err)
	}
	res, err := http.Get("http://" + addr + "/api/v1/agglomerations")
	if err != nil {
		t.Fatal(err)
	}
	var aggs []map[string]any
	json.NewDecoder(res.Body).Decode(&aggs)
	res.Body.Close()
	if len(aggs) != 5 {
		t.Errorf("%d agglomerations", len(aggs))
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("shutdown: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("no graceful shutdown")
	}
	if !strings.Contains(errb.String(), "agglo serving on http://"+addr) || !strings.Contains(errb.String(), "server stopped") {
		t.Errorf("stderr %q", errb.String())
	}
}

var buildOnce struct {
	sync.Once
	path string
	err  error
}

// agglBinary builds cmd/agglo once per test run.
func agglBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "agglo-bin")
		if err != nil {
			buildOnce.err = err
			return
		}
		buildOnce.path = filepath.Join(dir, "agglo")
		out, err := exec.Command("go", "build", "-o", buildOnce.path, "agglo/cmd/agglo").CombinedOutput()
		if err != nil {
			buildOnce.err = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildOnce.err != nil {
		t.Fatal(buildOnce.err)
	}
	return buildOnce.path
}

var servingRE = regexp.MustCompile(`http://([0-9.]+:[0-9]+)/`)

// startServer runs the agglo binary and returns it with its address.
func startServer(t *testing.T, bin, db string) (*exec.Cmd, string) {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--db", db, "--lang", "en")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stderr)
	addrc := make(chan string, 1)
	go func() {
		for sc.Scan() {
			if m := servingRE.FindStringSubmatch(sc.Text()); m != nil {
				addrc <- m[1]
			}
		}
		close(addrc)
	}()
	select {
	case addr, ok := <-addrc:
		if !ok {
			t.Fatal("server exited before listening")
		}
		return cmd, addr
	case <-time.After(20 * time.Second):
		cmd.Process.Kill()
		t.Fatal("server did not start")
	}
	return nil, ""
}

func uploadFile(addr, name string, content []byte) (int, error) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(content)
	mw.Close()
	res, err := http.Post("http://"+addr+"/api/v1/datasets", mw.FormDataContentType(), &buf)
	if err != nil {
		return 0, err
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode, nil
}

// checkWorkspace opens the workspace directly: the database must be sound
// and every stored dataset complete: its binary form loads (its checksum
// holds) with as many observations as its record says.
func checkWorkspace(t *testing.T, db string) int {
	t.Helper()
	st, err := store.Open(context.Background(), db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	if ok, err := st.IntegrityCheck(ctx); err != nil || ok != "ok" {
		t.Fatalf("integrity_check: %q, %v", ok, err)
	}
	list, err := st.Datasets(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var emb dataset.Embedded
	opts, err := emb.Fill(dataset.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range list {
		rc, err := st.DatasetBinary(ctx, d.ID)
		if err != nil {
			t.Errorf("dataset %d: %v", d.ID, err)
			continue
		}
		ds, err := dataset.Load(rc, opts)
		rc.Close()
		if err != nil || d.Stored != store.StoredBinary || ds.Len() != d.Observations || d.Observations == 0 {
			t.Errorf("dataset %d stored as %q: %v, %d observations loaded of %d recorded: a partial upload", d.ID, d.Stored, err, lenOf(ds), d.Observations)
		}
	}
	return len(list)
}

func lenOf(ds *dataset.Dataset) int {
	if ds == nil {
		return 0
	}
	return ds.Len()
}

// TestServeKilledDuringUploads SIGKILLs the server while uploads run,
// three times; after each restart the workspace passes integrity_check and
// holds only complete datasets.
func TestServeKilledDuringUploads(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := agglBinary(t)
	db := filepath.Join(t.TempDir(), "ws.db")
	var csv bytes.Buffer
	// 400 synthetic regions × 25 indicators × 4 years = 40,000 observations.
	spec := bench.SyntheticSpec{Regions: 400, Indicators: 25, Years: 4, Layout: bench.LayoutLong, Seed: 1}
	if err := bench.WriteSynthetic(&csv, spec, bench.CSV); err != nil {
		t.Fatal(err)
	}
	stored := 0
	var uploads atomic.Int64
	for round, delay := range []time.Duration{150 * time.Millisecond, 400 * time.Millisecond, 900 * time.Millisecond} {
		cmd, addr := startServer(t, bin, db)
		var wg sync.WaitGroup
		for i := 0; i < 4; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					code, err := uploadFile(addr, fmt.Sprintf("syn-%d-%d.csv", round, i), csv.Bytes())
					if err != nil {
						return // the server is gone
					}
					uploads.Add(1)
					if code != 201 {
						t.Errorf("upload: status %d", code)
						return
					}
				}
			}()
		}
		// Readers keep reading meanwhile.
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				res, err := http.Get("http://" + addr + "/api/v1/datasets")
				if err != nil {
					return
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
			}
		}()
		time.Sleep(delay)
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		cmd.Wait()
		wg.Wait()
		stored = checkWorkspace(t, db)
	}
	t.Logf("%d uploads answered, %d complete datasets stored after three kills", uploads.Load(), stored)
	// The server starts again on the same workspace and serves it.
	cmd, addr := startServer(t, bin, db)
	defer func() {
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
	}()
	if code, err := uploadFile(addr, "after.csv", csv.Bytes()); err != nil || code != 201 {
		t.Errorf("upload after restart: %d, %v", code, err)
	}
}

// TestServeSIGTERM checks the graceful shutdown of the real binary: an
// upload in flight completes, then the process exits 0.
func TestServeSIGTERM(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := agglBinary(t)
	db := filepath.Join(t.TempDir(), "ws.db")
	cmd, addr := startServer(t, bin, db)
	var csv bytes.Buffer
	spec := bench.SyntheticSpec{Regions: 300, Indicators: 20, Years: 3, Layout: bench.LayoutLong, Seed: 2}
	bench.WriteSynthetic(&csv, spec, bench.CSV)
	done := make(chan int, 1)
	go func() {
		code, _ := uploadFile(addr, "inflight.csv", csv.Bytes())
		done <- code
	}()
	time.Sleep(30 * time.Millisecond)
	start := time.Now()
	cmd.Process.Signal(syscall.SIGTERM)
	code := <-done
	t.Logf("upload answered %d after %v", code, time.Since(start))
	err := cmd.Wait()
	t.Logf("exited after %v", time.Since(start))
	if err != nil {
		t.Errorf("exit: %v", err)
	}
	n := checkWorkspace(t, db)
	// Either the upload finished before the signal was handled (201 and
	// stored) or it was refused at the door; never half-stored.
	if code == 201 && n != 1 || code != 201 && n != 0 {
		t.Errorf("upload answered %d with %d datasets stored", code, n)
	}
}
