package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/talentbridge/platform/shared/embedded"
	"github.com/talentbridge/platform/shared/mongodb"
	"github.com/talentbridge/platform/shared/natsauth"
)

// binary is the standalone command built once for every test that starts
// it as a real process.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "tb-standalone-bin-*")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "standalone")
	out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput()
	if err != nil {
		fmt.Fprintf(os.Stderr, "build standalone: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	printFaultTable()
	os.RemoveAll(dir)
	os.Exit(code)
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// proc is a running standalone process.
type proc struct {
	cmd  *exec.Cmd
	out  *bytes.Buffer
	done chan error
}

func start(t *testing.T, args ...string) *proc {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = cleanEnv()
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &proc{cmd: cmd, out: &out, done: make(chan error, 1)}
	go func() { p.done <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-p.done
	})
	return p
}

// cleanEnv drops settings of the developer's shell that would change what
// is started.
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "NATS_URL=") || strings.HasPrefix(kv, "MONGODB_URI=") || strings.HasPrefix(kv, "TB_") {
			continue
		}
		env = append(env, kv)
	}
	return append(env, "TB_SYNC_ALWAYS=false")
}

type readiness struct {
	Status string            `json:"status"`
	Checks map[string]string `json:"checks"`
}

func waitReady(t *testing.T, addr string, p *proc) readiness {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-p.done:
			t.Fatalf("process exited early: %v\n%s", err, p.out)
		default:
		}
		resp, err := http.Get("http://" + addr + "/readyz")
		if err == nil {
			var r readiness
			_ = json.NewDecoder(resp.Body).Decode(&r)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return r
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("not ready at %s within 60s\n%s", addr, p.out)
	return readiness{}
}

func (p *proc) interrupt(t *testing.T, within time.Duration) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-p.done:
		if err != nil {
			t.Fatalf("exit after SIGINT: %v, want status 0\n%s", err, p.out)
		}
		p.done <- nil // for the cleanup
	case <-time.After(within):
		t.Fatalf("still running %s after SIGINT", within)
	}
}

func TestStandaloneReadyAndStopsOnSIGINT(t *testing.T) {
	addr := freeAddr(t)
	p := start(t, "--data-dir", t.TempDir(), "--addr", addr)
	r := waitReady(t, addr, p)
	if r.Checks["nats"] != "ok" || r.Checks["mongodb"] != "ok" {
		t.Errorf("/readyz checks = %v, want nats and mongodb ok", r.Checks)
	}
	if !strings.Contains(p.out.String(), `"url":"http://`+addr+`"`) {
		t.Errorf("no ready line with the URL in the log:\n%s", p.out)
	}
	began := time.Now()
	p.interrupt(t, 10*time.Second)
	t.Logf("stopped %v after SIGINT", time.Since(began).Round(time.Millisecond))
}

func TestDocumentSurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	addr := freeAddr(t)
	// FerretDB listens on a socket that belongs to the data folder, so
	// the restarted process is found at the same URI.
	uri, err := embedded.MongoURI(filepath.Join(dir, "ferretdb"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()

	p := start(t, "--data-dir", dir, "--addr", addr)
	waitReady(t, addr, p)
	c, err := mongodb.Connect(ctx, uri, "test")
	if err != nil {
		t.Fatal(err)
	}
	doc := bson.D{{Key: "_id", Value: "asha"}, {Key: "name", Value: "Asha Rao"}, {Key: "fields", Value: bson.A{"1.2"}}}
	if _, err := c.Database("durability").Collection("people").InsertOne(ctx, doc); err != nil {
		t.Fatal(err)
	}
	_ = c.Disconnect(ctx)
	p.interrupt(t, 10*time.Second)

	p2 := start(t, "--data-dir", dir, "--addr", addr)
	waitReady(t, addr, p2)
	c2, err := mongodb.Connect(ctx, uri, "test")
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Disconnect(ctx)
	var got struct {
		Name string `bson:"name"`
	}
	if err := c2.Database("durability").Collection("people").FindOne(ctx, bson.D{{Key: "_id", Value: "asha"}}).Decode(&got); err != nil {
		t.Fatalf("after restart: %v", mongodb.Translate(err))
	}
	if got.Name != "Asha Rao" {
		t.Errorf("after restart name = %q, want Asha Rao", got.Name)
	}
	p2.interrupt(t, 10*time.Second)
}

func TestSecondProcessOnSameDataDirIsRefused(t *testing.T) {
	dir := t.TempDir()
	addr := freeAddr(t)
	p := start(t, "--data-dir", dir, "--addr", addr)
	waitReady(t, addr, p)
	p2 := start(t, "--data-dir", dir, "--addr", freeAddr(t))
	select {
	case err := <-p2.done:
		if err == nil || !strings.Contains(p2.out.String(), "in use by another TalentBridge process") {
			t.Errorf("second process: %v\n%s", err, p2.out)
		}
		p2.done <- err
	case <-time.After(20 * time.Second):
		t.Fatal("second process on the same data dir kept running")
	}
}

func TestBadFlagsExitTwo(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown flag", []string{"--colour"}, "flag provided but not defined: -colour"},
		{"stray argument", []string{"now"}, `unexpected argument "now"`},
		{"bad addr", []string{"--addr", "8080"}, "TB_HTTP_ADDR"},
		{"FerretDB has no port", []string{"--mongo-addr", "127.0.0.1:27017"}, "flag provided but not defined: -mongo-addr"},
		{"FerretDB has no port (env)", nil, "TB_EMBEDDED_MONGO_ADDR is no longer read"},
		{"profiles on loopback only", []string{"--addr", "127.0.0.1:0"}, "loopback address only"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.args == nil {
				t.Setenv("TB_EMBEDDED_MONGO_ADDR", "127.0.0.1:27017")
			}
			if tc.name == "profiles on loopback only" {
				t.Setenv("TB_DEBUG_ADDR", "0.0.0.0:6060")
			}
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), tc.args, &stdout, &stderr)
			lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
			if code != 2 || len(lines) != 1 || !strings.Contains(lines[0], tc.want) {
				t.Errorf("run(%v) = %d, stderr %q; want 2 and one line with %q", tc.args, code, stderr.String(), tc.want)
			}
			if stdout.Len() != 0 {
				t.Errorf("run(%v) wrote to stdout: %q", tc.args, stdout.String())
			}
		})
	}
}

func TestRunSplitStartsSixReadyProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts six processes")
	}
	root, _ := filepath.Abs("../..")
	dir := t.TempDir()
	base := 0
	// Six consecutive free HTTP ports.
	for try := 0; try < 20 && base == 0; try++ {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		p := l.Addr().(*net.TCPAddr).Port
		l.Close()
		ok := p+5 < 65535
		for i := 1; i <= 5 && ok; i++ {
			if l2, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", p+i)); err != nil {
				ok = false
			} else {
				l2.Close()
			}
		}
		if ok {
			base = p
		}
	}
	natsPort := freeAddr(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", filepath.Join(root, "scripts/run-split.sh"))
	cmd.Dir = root
	cmd.Env = append(cleanEnv(),
		"TB_SPLIT_DIR="+dir,
		fmt.Sprintf("TB_SPLIT_PORT=%d", base),
		"TB_SPLIT_NATS_PORT="+portOf(natsPort),
	)
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		_ = cmd.Wait()
	}()
	sc := bufio.NewScanner(stdout)
	ready := false
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "split platform ready") {
			ready = true
			break
		}
	}
	go io.Copy(io.Discard, stdout)
	if !ready {
		logs, _ := filepath.Glob(filepath.Join(dir, "*.log"))
		t.Fatalf("run-split.sh did not become ready; logs: %v", logs)
	}
	names := []string{"gateway", "profiles", "programs", "matching", "infra", "documents"}
	pids := map[int]bool{}
	for i, name := range names {
		addr := fmt.Sprintf("127.0.0.1:%d", base+i)
		resp, err := http.Get("http://" + addr + "/readyz")
		if err != nil {
			t.Fatalf("%s /readyz: %v", name, err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s /readyz = %d, want 200", name, resp.StatusCode)
		}
		raw, err := os.ReadFile(filepath.Join(dir, name+".pid"))
		if err != nil {
			t.Fatal(err)
		}
		var pid int
		fmt.Sscan(string(raw), &pid)
		if syscall.Kill(pid, 0) != nil {
			t.Errorf("%s (pid %d) is not running", name, pid)
		}
		pids[pid] = true
	}
	if len(pids) != len(names) {
		t.Errorf("%d distinct processes, want %d", len(pids), len(names))
	}
	// Each service connected with the credentials of its own NATS user.
	for _, name := range names[:4] {
		natsURL, _, err := loadConnect(filepath.Join(dir, "data"), name)
		if err != nil {
			t.Fatal(err)
		}
		if u := natsauth.UserOf(natsURL); u != name {
			t.Errorf("%s.env connects as NATS user %q", name, u)
		}
	}
	// Stopping the script stops every process.
	_ = cmd.Process.Signal(syscall.SIGTERM)
	_ = cmd.Wait()
	deadline := time.Now().Add(15 * time.Second)
	for pid := range pids {
		for syscall.Kill(pid, 0) == nil && time.Now().Before(deadline) {
			time.Sleep(100 * time.Millisecond)
		}
		if syscall.Kill(pid, 0) == nil {
			t.Errorf("pid %d still running after run-split.sh stopped", pid)
		}
	}
}

func portOf(addr string) string {
	_, p, _ := net.SplitHostPort(addr)
	return p
}
