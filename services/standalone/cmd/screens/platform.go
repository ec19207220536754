package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/talentbridge/platform/services/standalone/demo"
	"github.com/talentbridge/platform/services/standalone/tour"
)

// platform is the standalone process the tour runs against.
type platform struct {
	cmd  *exec.Cmd
	url  string
	done chan struct{}
}

// startPlatform builds the standalone command (unless bin names one) and
// runs it with --demo on a free loopback port and a fresh data folder
// under tmp, until the demo data is loaded.
func startPlatform(ctx context.Context, bin, tmp string) (*platform, error) {
	if bin == "" {
		bin = filepath.Join(tmp, "standalone")
		build := exec.CommandContext(ctx, "go", "build", "-o", bin, "github.com/talentbridge/platform/services/standalone")
		if out, err := build.CombinedOutput(); err != nil {
			return nil, fmt.Errorf("build standalone (run from the repository root): %v\n%s", err, out)
		}
	}
	cmd := exec.Command(bin, "--demo", "--addr", "127.0.0.1:0", "--data-dir", filepath.Join(tmp, "data"))
	cmd.Env = platformEnv()
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start standalone: %w", err)
	}
	p := &platform{cmd: cmd, done: make(chan struct{})}
	ready, loaded := make(chan string, 1), make(chan error, 1)
	go func() {
		defer close(p.done)
		watchLog(out, ready, loaded)
		_ = cmd.Wait()
	}()
	wait, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	select {
	case p.url = <-ready:
	case <-p.done:
		return nil, fmt.Errorf("standalone stopped before it was ready: %s", strings.TrimSpace(stderr.String()))
	case <-wait.Done():
		p.stop()
		return nil, errors.New("standalone not ready within 5 minutes")
	}
	select {
	case err := <-loaded:
		if err != nil {
			p.stop()
			return nil, err
		}
	case <-p.done:
		return nil, errors.New("standalone stopped while loading the demo data")
	case <-wait.Done():
		p.stop()
		return nil, errors.New("demo data not loaded within 5 minutes")
	}
	return p, nil
}

// platformEnv is this process's environment for the platform, without
// what would point it at other servers or folders, with the tour's admin.
func platformEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch {
		case k == "NATS_URL", k == "MONGODB_URI", k == "TB_DB_PREFIX", k == "TB_HTTP_ADDR", k == "TB_DATA_DIR",
			k == "TB_KEYS_DIR", k == "TB_SIGNING_KEY", k == "TB_EMBEDDED_NATS_ADDR", k == "TB_SMTP_ADDR",
			strings.HasPrefix(k, "TB_ADMIN_"), strings.HasPrefix(k, "TB_") && strings.HasSuffix(k, "_URL"):
			continue
		}
		env = append(env, kv)
	}
	return append(env, "TB_ADMIN_EMAIL="+adminEmail, "TB_ADMIN_PASSWORD="+adminPassword,
		"TB_LOGIN_LIMIT=100000", "TB_SYNC_ALWAYS=false", "TB_LOG_LEVEL=info")
}

// watchLog reads the platform's JSON log for its address and the end of
// the demo load; the rest is dropped.
func watchLog(r io.Reader, ready chan<- string, loaded chan<- error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		var line struct {
			Msg string `json:"msg"`
			URL string `json:"url"`
			Err string `json:"err"`
		}
		if json.Unmarshal(sc.Bytes(), &line) != nil {
			continue
		}
		switch line.Msg {
		case "TalentBridge is ready":
			ready <- line.URL
		case "demo data loaded":
			loaded <- nil
		case "demo data not loaded":
			loaded <- fmt.Errorf("demo data not loaded: %s", line.Err)
		}
	}
	_, _ = io.Copy(io.Discard, r)
}

// stop asks the platform to stop and kills it after 30 seconds.
func (p *platform) stop() {
	if p.cmd.Process == nil {
		return
	}
	_ = p.cmd.Process.Signal(syscall.SIGINT)
	select {
	case <-p.done:
	case <-time.After(30 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.done
	}
}

// prepare runs a matching round over the demo's open programs, so that
// the coordinator's round pages have something to show, and finds the
// host's first program.
func prepare(ctx context.Context, base string) (tour.IDs, error) {
	var ids tour.IDs
	api := &apiClient{base: base + "/api/v1", http: &http.Client{Timeout: 30 * time.Second}}
	hostEmail, hostPassword := credentials("host")
	host, err := api.login(ctx, hostEmail, hostPassword)
	if err != nil {
		return ids, err
	}
	var page struct {
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
	}
	if err := api.do(ctx, http.MethodGet, "/programs?mine=true", host, nil, &page); err != nil {
		return ids, err
	}
	if len(page.Items) > 0 {
		ids.Program = page.Items[0].ID
	}
	coord, err := api.login(ctx, demo.CoordinatorEmail, demo.Password)
	if err != nil {
		return ids, err
	}
	if err := api.do(ctx, http.MethodGet, "/programs?pageSize=100", "", nil, &page); err != nil {
		return ids, err
	}
	var programIDs []string
	for _, it := range page.Items {
		programIDs = append(programIDs, it.ID)
	}
	var round struct {
		ID     string `json:"id"`
		Status string `json:"status"`
	}
	if err := api.do(ctx, http.MethodPost, "/rounds", coord, map[string]any{"name": "Screenshot tour", "programIds": programIDs, "seed": 7}, &round); err != nil {
		return ids, err
	}
	if err := api.do(ctx, http.MethodPost, "/rounds/"+round.ID+"/run", coord, nil, nil); err != nil {
		return ids, err
	}
	for deadline := time.Now().Add(2 * time.Minute); round.Status != "completed"; {
		if time.Now().After(deadline) {
			return ids, fmt.Errorf("round %s not completed within 2 minutes (status %s)", round.ID, round.Status)
		}
		time.Sleep(500 * time.Millisecond)
		if err := api.do(ctx, http.MethodGet, "/rounds/"+round.ID, coord, nil, &round); err != nil {
			return ids, err
		}
	}
	ids.Round = round.ID
	return ids, nil
}

// apiClient calls the platform's JSON API.
type apiClient struct {
	base string
	http *http.Client
}

func (a *apiClient) login(ctx context.Context, email, password string) (string, error) {
	var tok struct {
		AccessToken string `json:"accessToken"`
	}
	if err := a.do(ctx, http.MethodPost, "/auth/login", "", map[string]string{"email": email, "password": password}, &tok); err != nil {
		return "", fmt.Errorf("sign in as %s: %w", email, err)
	}
	return tok.AccessToken, nil
}

func (a *apiClient) do(ctx context.Context, method, path, token string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, a.base+path, body)
	if err != nil {
		return err
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := a.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode >= 300 {
		return fmt.Errorf("%s %s = %d: %.200s", method, path, resp.StatusCode, raw)
	}
	if out != nil && len(raw) > 0 {
		return json.Unmarshal(raw, out)
	}
	return nil
}
