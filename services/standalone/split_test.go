package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/talentbridge/platform/services/gateway/identitytest"
	"github.com/talentbridge/platform/shared/events"
	"github.com/talentbridge/platform/shared/mongodb"
	"github.com/talentbridge/platform/shared/natsbus"
)

// The split platform for fault tests: the embedded servers and each service
// as its own OS process, which a test can kill with SIGKILL and restart.

var (
	splitBinOnce sync.Once
	splitBinDir  string
	splitBinErr  error
)

// splitBinaries builds the five service commands next to the standalone
// one, once per test process, with the outbox failpoints compiled in (the
// failpoints build tag): the fault tests inject them through
// outbox.FailpointEnv, which production builds ignore.
func splitBinaries(t *testing.T) string {
	t.Helper()
	splitBinOnce.Do(func() {
		splitBinDir = filepath.Dir(binary)
		out, err := exec.Command("go", "build", "-tags", "failpoints", "-o", splitBinDir+"/",
			"../gateway/cmd/gateway", "../profiles/cmd/profiles", "../programs/cmd/programs", "../matching/cmd/matching",
			"../documents/cmd/documents", "../placements/cmd/placements").CombinedOutput()
		if err != nil {
			splitBinErr = fmt.Errorf("build services: %v\n%s", err, out)
		}
	})
	if splitBinErr != nil {
		t.Fatal(splitBinErr)
	}
	return splitBinDir
}

var services = []string{"profiles", "programs", "matching", "documents", "placements", "gateway"}

type split struct {
	t        *testing.T
	dir, bin string
	addr     map[string]string // HTTP address of each process, "infra" included
	natsAddr string
	// natsURL connects as the profiles service, whose events the tests
	// inject and read; each service process gets its own URL (nats),
	// unless busURL names other NATS servers to connect to.
	natsURL  string
	nats     map[string]string
	busURL   string
	mongoURI string
	seed     []byte
	key      identitytest.Key

	mu    sync.Mutex
	procs map[string]*proc
}

// startSplit runs infra and the five services, and waits until all are
// ready. env is added to every service's environment.
func startSplit(t *testing.T, env ...string) *split {
	t.Helper()
	return startSplitOn(t, "", env...)
}

// startSplitOn is startSplit with the services connected to busURL (a list
// of NATS URLs, comma-separated) instead of the infra process's NATS.
func startSplitOn(t *testing.T, busURL string, env ...string) *split {
	t.Helper()
	s := &split{busURL: busURL, t: t, dir: splitDir(t), bin: splitBinaries(t), addr: map[string]string{}, procs: map[string]*proc{}}
	s.seed = make([]byte, 32)
	_, _ = rand.Read(s.seed)
	s.key = identitytest.KeyFromSeed(s.seed)
	for _, n := range append([]string{"infra"}, services...) {
		s.addr[n] = freeAddr(t)
	}
	s.natsAddr = freeAddr(t)
	s.startInfra()
	// What --infra-only wrote for the service processes.
	s.nats = map[string]string{}
	for _, n := range services {
		url, mongoURI, err := loadConnect(filepath.Join(s.dir, "data"), n)
		if err != nil {
			t.Fatal(err)
		}
		s.nats[n], s.mongoURI = url, mongoURI
	}
	s.natsURL = s.nats["profiles"]
	for _, n := range services {
		s.start(n, env...)
	}
	for _, n := range services {
		s.waitReady(n, 60*time.Second)
	}
	t.Cleanup(func() {
		if t.Failed() {
			for _, n := range append([]string{"infra"}, services...) {
				log, _ := os.ReadFile(filepath.Join(s.dir, n+".log"))
				t.Logf("--- %s log (tail):\n%s", n, tail(string(log), 2500))
			}
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		for _, p := range s.procs {
			_ = p.cmd.Process.Signal(syscall.SIGTERM)
		}
		for _, p := range s.procs {
			select {
			case <-p.done:
			case <-time.After(15 * time.Second):
				_ = p.cmd.Process.Kill()
			}
		}
	})
	return s
}

func (s *split) logFile(name string) *os.File {
	f, err := os.OpenFile(filepath.Join(s.dir, name+".log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		s.t.Fatal(err)
	}
	return f
}

func (s *split) run(name string, cmd *exec.Cmd) *proc {
	log := s.logFile(name)
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		s.t.Fatal(err)
	}
	p := &proc{cmd: cmd, done: make(chan error, 1)}
	go func() { p.done <- cmd.Wait(); log.Close() }()
	s.mu.Lock()
	s.procs[name] = p
	s.mu.Unlock()
	return p
}

func (s *split) startInfra() {
	// The addresses were free when freeAddr chose them, but another
	// process (a NATS node's outgoing route, say) may take one before the
	// infra process binds it: then it stops at once, and new addresses are
	// chosen.
	for attempt := 1; ; attempt++ {
		cmd := exec.Command(binary, "--infra-only", "--data-dir", filepath.Join(s.dir, "data"))
		cmd.Env = append(cleanEnv(), "TB_HTTP_ADDR="+s.addr["infra"], "TB_EMBEDDED_NATS_ADDR="+s.natsAddr)
		p := s.run("infra", cmd)
		if attempt < 3 && s.stoppedOnBusyAddress(p, "infra") {
			s.addr["infra"], s.natsAddr = freeAddr(s.t), freeAddr(s.t)
			continue
		}
		s.waitReady("infra", 60*time.Second)
		return
	}
}

// stoppedOnBusyAddress waits until p is ready or has stopped, and reports
// whether it stopped because an address it was to listen on was taken.
func (s *split) stoppedOnBusyAddress(p *proc, name string) bool {
	client := &http.Client{Timeout: 2 * time.Second}
	for began := time.Now(); time.Since(began) < 60*time.Second; {
		select {
		case err := <-p.done:
			p.done <- err // for the clean-up
			log, _ := os.ReadFile(filepath.Join(s.dir, name+".log"))
			return strings.Contains(string(log), "address already in use")
		default:
		}
		if resp, err := client.Get("http://" + s.addr[name] + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return false
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return false
}

// start starts (or restarts) one service with extra environment.
func (s *split) start(name string, env ...string) *proc {
	cmd := exec.Command(filepath.Join(s.bin, name))
	cmd.Env = append(cleanEnv(),
		"NATS_URL="+s.serviceNATS(name), "MONGODB_URI="+s.mongoURI, "TB_HTTP_ADDR="+s.addr[name],
		"TB_SIGNING_KEY="+base64.StdEncoding.EncodeToString(s.seed),
		"TB_PROFILES_URL=http://"+s.addr["profiles"], "TB_PROGRAMS_URL=http://"+s.addr["programs"],
		"TB_MATCHING_URL=http://"+s.addr["matching"], "TB_DOCUMENTS_URL=http://"+s.addr["documents"],
		"TB_PLACEMENTS_URL=http://"+s.addr["placements"], "TB_LOG_LEVEL=warn")
	cmd.Env = append(cmd.Env, env...)
	return s.run(name, cmd)
}

// kill sends SIGKILL to a process and waits for it to die.
func (s *split) kill(name string) {
	s.mu.Lock()
	p := s.procs[name]
	s.mu.Unlock()
	_ = p.cmd.Process.Kill()
	<-p.done
	p.done <- nil
}

// restartInfra starts the infra process again on the same data and port
// (the FerretDB socket and the NATS passwords belong to the data folder).
func (s *split) restartInfra() {
	s.startInfra()
}

func (s *split) waitReady(name string, within time.Duration) time.Duration {
	s.t.Helper()
	began := time.Now()
	client := &http.Client{Timeout: 2 * time.Second}
	for time.Since(began) < within {
		resp, err := client.Get("http://" + s.addr[name] + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return time.Since(began)
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	log, _ := os.ReadFile(filepath.Join(s.dir, name+".log"))
	s.t.Fatalf("%s not ready within %s; log:\n%s", name, within, tail(string(log), 3000))
	return 0
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[len(s)-n:]
}

// token mints an access token the gateway's key signs, so a fault test can
// act as many users without signing each one up.
func (s *split) token(user, role string) string {
	return identitytest.Valid(s.key, user, role)
}

// url is the address of a service's API.
func (s *split) url(name string) string { return "http://" + s.addr[name] }

func (s *split) mongo(ctx context.Context) *mongo.Client {
	s.t.Helper()
	c, err := mongodb.Connect(ctx, s.mongoURI, "reliability-test")
	if err != nil {
		s.t.Fatal(err)
	}
	s.t.Cleanup(func() { _ = c.Disconnect(context.Background()) })
	return c
}

func (s *split) bus(ctx context.Context) *natsbus.Bus {
	s.t.Helper()
	url := s.busURL
	if url == "" {
		url = s.natsURL // the infra process's NATS, as the profiles service
	}
	b, err := natsbus.Connect(ctx, url, "reliability-test", quietLog())
	if err != nil {
		s.t.Fatal(err)
	}
	s.t.Cleanup(func() { _ = b.Close(context.Background()) })
	return b
}

// streamEvents reads every event of a stream with the given type.
func streamEvents(t *testing.T, b *natsbus.Bus, stream, typ string) []events.Envelope {
	t.Helper()
	ctx := context.Background()
	st, err := b.JS.Stream(ctx, stream)
	if err != nil {
		t.Fatal(err)
	}
	info, err := st.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if info.State.Msgs == 0 {
		return nil
	}
	// An ordered consumer reads the stream once, quickly.
	c, err := st.OrderedConsumer(ctx, jetstream.OrderedConsumerConfig{FilterSubjects: []string{typ}})
	if err != nil {
		t.Fatal(err)
	}
	var out []events.Envelope
	for {
		batch, err := c.FetchNoWait(500)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for m := range batch.Messages() {
			n++
			ev, err := events.Parse(m.Data())
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, ev)
		}
		if n == 0 {
			return out
		}
	}
}

func decode(t *testing.T, raw []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(raw, v); err != nil {
		t.Fatalf("decode %s: %v", raw, err)
	}
}

func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// splitDir is where a split platform keeps data and logs: a test temp dir,
// or TB_SPLIT_KEEP (kept for reading after the run) when set.
func splitDir(t *testing.T) string {
	if d := os.Getenv("TB_SPLIT_KEEP"); d != "" {
		dir := filepath.Join(d, strings.ReplaceAll(t.Name(), "/", "_"))
		_ = os.RemoveAll(dir)
		if err := os.MkdirAll(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	return t.TempDir()
}

// serviceNATS is where service name connects: its own user on the infra
// process's NATS, or the servers a test named (startSplitOn).
func (s *split) serviceNATS(name string) string {
	if s.busURL != "" {
		return s.busURL
	}
	return s.nats[name]
}
