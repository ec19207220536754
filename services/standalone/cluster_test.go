package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// A three-node NATS JetStream cluster for the cluster fault test. Each node
// is its own OS process (internal/natsnode), with its own store folder,
// routes to the other two on loopback and fsync on every write, so a node
// can be killed with SIGKILL and started again on what it left on disk.

var (
	natsnodeOnce sync.Once
	natsnodeBin  string
	natsnodeErr  error
)

func natsnodeBinary(t *testing.T) string {
	t.Helper()
	natsnodeOnce.Do(func() {
		natsnodeBin = filepath.Join(filepath.Dir(binary), "natsnode")
		out, err := exec.Command("go", "build", "-o", natsnodeBin, "./internal/natsnode").CombinedOutput()
		if err != nil {
			natsnodeErr = fmt.Errorf("build natsnode: %v\n%s", err, out)
		}
	})
	if natsnodeErr != nil {
		t.Fatal(natsnodeErr)
	}
	return natsnodeBin
}

type clusterNode struct {
	name, client, route, monitor, store string
	p                                   *proc
}

type natsCluster struct {
	bin   string
	dir   string
	nodes []*clusterNode

	mu    sync.Mutex
	kills int
}

// startCluster starts three nodes and waits until each reports itself
// healthy (JetStream current with the cluster).
func startCluster(t *testing.T, dir string) *natsCluster {
	t.Helper()
	c := &natsCluster{bin: natsnodeBinary(t), dir: dir}
	for i := range 3 {
		name := fmt.Sprintf("n%d", i+1)
		c.nodes = append(c.nodes, &clusterNode{name: name, client: freeAddr(t), route: freeAddr(t),
			monitor: freeAddr(t), store: filepath.Join(dir, "nats-"+name)})
	}
	for i := range c.nodes {
		if err := c.start(i); err != nil {
			t.Fatal(err)
		}
	}
	for i := range c.nodes {
		if _, err := c.waitHealthy(i, 60*time.Second); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() {
		if t.Failed() {
			for _, n := range c.nodes {
				log, _ := os.ReadFile(filepath.Join(dir, n.name+".log"))
				t.Logf("--- nats node %s log (tail):\n%s", n.name, tail(string(log), 2000))
			}
		}
		c.mu.Lock()
		defer c.mu.Unlock()
		for _, n := range c.nodes {
			_ = n.p.cmd.Process.Signal(syscall.SIGTERM)
		}
		for _, n := range c.nodes {
			select {
			case <-n.p.done:
			case <-time.After(10 * time.Second):
				_ = n.p.cmd.Process.Kill()
			}
		}
	})
	return c
}

// urls is the comma-separated client URL list the services are given.
func (c *natsCluster) urls() string {
	var u []string
	for _, n := range c.nodes {
		u = append(u, "nats://"+n.client)
	}
	return strings.Join(u, ",")
}

func (c *natsCluster) start(i int) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := c.nodes[i]
	var routes []string
	for j, o := range c.nodes {
		if j != i {
			routes = append(routes, "nats-route://"+o.route)
		}
	}
	cmd := exec.Command(c.bin, "-name", n.name, "-listen", n.client, "-cluster", n.route,
		"-routes", strings.Join(routes, ","), "-store", n.store, "-monitor", n.monitor, "-log")
	log, err := os.OpenFile(filepath.Join(c.dir, n.name+".log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		log.Close()
		return err
	}
	p := &proc{cmd: cmd, done: make(chan error, 1)}
	go func() { p.done <- cmd.Wait(); log.Close() }()
	n.p = p
	return nil
}

// kill stops a node with SIGKILL: nothing is flushed or closed.
func (c *natsCluster) kill(i int) {
	c.mu.Lock()
	p := c.nodes[i].p
	c.kills++
	c.mu.Unlock()
	_ = p.cmd.Process.Kill()
	err := <-p.done
	p.done <- err
}

// restart starts a killed node on its store and waits until it is healthy
// again, which includes having caught up with its streams' leaders.
func (c *natsCluster) restart(i int) (time.Duration, error) {
	if err := c.start(i); err != nil {
		return 0, err
	}
	return c.waitHealthy(i, 60*time.Second)
}

// waitHealthy waits for a node's /healthz to answer 200; it may be called
// from any goroutine.
func (c *natsCluster) waitHealthy(i int, within time.Duration) (time.Duration, error) {
	began := time.Now()
	client := &http.Client{Timeout: 2 * time.Second}
	for time.Since(began) < within {
		resp, err := client.Get("http://" + c.nodes[i].monitor + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return time.Since(began), nil
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	return 0, fmt.Errorf("nats node %s not healthy within %s", c.nodes[i].name, within)
}

func (c *natsCluster) index(name string) int {
	for i, n := range c.nodes {
		if n.name == name {
			return i
		}
	}
	return -1
}

// localStreams reads what one node holds of each stream in its own store
// (its /jsz, not the leader's view).
func (c *natsCluster) localStreams(i int) (map[string]streamState, error) {
	client := &http.Client{Timeout: 3 * time.Second}
	resp, err := client.Get("http://" + c.nodes[i].monitor + "/jsz?accounts=true&streams=true")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var body struct {
		Accounts []struct {
			Streams []struct {
				Name  string      `json:"name"`
				State streamState `json:"state"`
			} `json:"stream_detail"`
		} `json:"account_details"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		return nil, err
	}
	out := map[string]streamState{}
	for _, a := range body.Accounts {
		for _, s := range a.Streams {
			out[s.Name] = s.State
		}
	}
	return out, nil
}

// serviceConns counts the connections of the platform's services (by the
// client name each gives, its service name) that a node holds.
func (c *natsCluster) serviceConns(i int) int {
	client := &http.Client{Timeout: 3 * time.Second}
	resp, err := client.Get("http://" + c.nodes[i].monitor + "/connz?limit=1024")
	if err != nil {
		return 0
	}
	defer resp.Body.Close()
	var body struct {
		Conns []struct {
			Name string `json:"name"`
		} `json:"connections"`
	}
	if json.NewDecoder(resp.Body).Decode(&body) != nil {
		return 0
	}
	n := 0
	for _, cn := range body.Conns {
		for _, s := range services {
			if cn.Name == s {
				n++
			}
		}
	}
	return n
}

type streamState struct {
	Msgs    uint64 `json:"messages"`
	LastSeq uint64 `json:"last_seq"`
}

// replicasEqual waits until every node holds the same messages of every
// stream, and returns the last states read and whether they agreed.
func (c *natsCluster) replicasEqual(within time.Duration) ([]map[string]streamState, bool) {
	deadline := time.Now().Add(within)
	for {
		var states []map[string]streamState
		same := true
		for i := range c.nodes {
			st, err := c.localStreams(i)
			if err != nil {
				same = false
				st = nil
			}
			states = append(states, st)
		}
		for _, st := range states[1:] {
			if len(st) != len(states[0]) {
				same = false
			}
			for name, s := range st {
				if states[0][name] != s {
					same = false
				}
			}
		}
		if same || time.Now().After(deadline) {
			return states, same
		}
		time.Sleep(250 * time.Millisecond)
	}
}
