// Command natsnode runs one NATS server with JetStream as a member of a
// cluster, from flags. The cluster fault test (services/standalone,
// cluster_test.go) starts three of these as child processes so that it can
// kill a node with SIGKILL — nothing flushed, nothing closed — and start it
// again on the same store, as a crashed production node would be.
//
// Usage:
//
//	natsnode -name n1 -listen 127.0.0.1:4222 -cluster 127.0.0.1:6222 \
//	  -routes nats-route://127.0.0.1:6223,nats-route://127.0.0.1:6224 \
//	  -store /tmp/n1 -monitor 127.0.0.1:8222
//
// It stops cleanly on SIGINT or SIGTERM. Bad flags: one line on stderr,
// exit status 2.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/nats-io/nats-server/v2/server"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// node is what the flags say.
type node struct {
	name, listen, cluster, routes, store, monitor, clusterName string
	sync, logs                                                 bool
}

func parse(args []string) (node, error) {
	var n node
	fs := flag.NewFlagSet("natsnode", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&n.name, "name", "", "server name, unique in the cluster (required)")
	fs.StringVar(&n.listen, "listen", "", "client address host:port (required)")
	fs.StringVar(&n.cluster, "cluster", "", "cluster route address host:port (required)")
	fs.StringVar(&n.routes, "routes", "", "comma-separated nats-route:// URLs of the other nodes")
	fs.StringVar(&n.store, "store", "", "JetStream store folder (required)")
	fs.StringVar(&n.monitor, "monitor", "", "monitoring HTTP address host:port (/healthz, /jsz)")
	fs.StringVar(&n.clusterName, "cluster-name", "tb-cluster", "cluster name")
	fs.BoolVar(&n.sync, "sync-always", true, "fsync every write before acknowledging it (sync_interval: always)")
	fs.BoolVar(&n.logs, "log", false, "write the server's log to stderr")
	if err := fs.Parse(args); err != nil {
		return n, err
	}
	if fs.NArg() > 0 {
		return n, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	for flagName, v := range map[string]string{"name": n.name, "listen": n.listen, "cluster": n.cluster, "store": n.store} {
		if v == "" {
			return n, fmt.Errorf("-%s is required", flagName)
		}
	}
	for flagName, v := range map[string]string{"listen": n.listen, "cluster": n.cluster, "monitor": n.monitor} {
		if v == "" {
			continue
		}
		if _, _, err := hostPort(v); err != nil {
			return n, fmt.Errorf("-%s %q: %v", flagName, v, err)
		}
	}
	return n, nil
}

// hostPort splits host:port and requires a numeric port.
func hostPort(addr string) (string, int, error) {
	host, p, err := net.SplitHostPort(addr)
	if err != nil {
		return "", 0, err
	}
	port, err := strconv.Atoi(p)
	if err != nil || port <= 0 || port > 65535 {
		return "", 0, errors.New("port must be 1 to 65535")
	}
	return host, port, nil
}

// options turns the flags into server options.
func (n node) options() (*server.Options, error) {
	host, port, _ := hostPort(n.listen)
	chost, cport, _ := hostPort(n.cluster)
	o := &server.Options{
		ServerName: n.name,
		Host:       host,
		Port:       port,
		JetStream:  true,
		StoreDir:   n.store,
		SyncAlways: n.sync,
		NoSigs:     true,
		NoLog:      !n.logs,
		Cluster:    server.ClusterOpts{Name: n.clusterName, Host: chost, Port: cport},
		// Bounded as the embedded server is, so a test cannot fill the disk.
		JetStreamMaxStore:  8 << 30,
		JetStreamMaxMemory: 256 << 20,
	}
	if n.routes != "" {
		o.Routes = server.RoutesFromStr(n.routes)
		if len(o.Routes) != len(strings.Split(n.routes, ",")) {
			return nil, fmt.Errorf("-routes %q: not a list of URLs", n.routes)
		}
	}
	if n.monitor != "" {
		o.HTTPHost, o.HTTPPort, _ = hostPort(n.monitor)
	}
	return o, nil
}

func run(args []string, stdout, stderr io.Writer) int {
	n, err := parse(args)
	if err != nil {
		fmt.Fprintln(stderr, "natsnode:", err)
		return 2
	}
	opts, err := n.options()
	if err != nil {
		fmt.Fprintln(stderr, "natsnode:", err)
		return 2
	}
	if err := os.MkdirAll(n.store, 0o700); err != nil {
		fmt.Fprintln(stderr, "natsnode:", err)
		return 1
	}
	srv, err := server.NewServer(opts)
	if err != nil {
		fmt.Fprintln(stderr, "natsnode:", err)
		return 1
	}
	if n.logs {
		srv.ConfigureLogger()
	}
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	go srv.Start()
	if !srv.ReadyForConnections(30 * time.Second) {
		srv.Shutdown()
		fmt.Fprintln(stderr, "natsnode: not ready within 30s")
		return 1
	}
	fmt.Fprintf(stdout, "natsnode %s ready: client %s, cluster %s\n", n.name, srv.ClientURL(), n.cluster)
	<-sigs
	srv.Shutdown()
	srv.WaitForShutdown()
	return 0
}
