// Package embedded starts the servers the platform needs inside the current
// process: a NATS server with JetStream and FerretDB (a MongoDB wire-protocol
// server) on SQLite. Standalone mode and the test helpers use it; production
// points NATS_URL and MONGODB_URI at real clusters instead.
package embedded

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
	"github.com/nats-io/nats-server/v2/server"

	"github.com/talentbridge/platform/shared/natsauth"
)

// NATSOptions configures the embedded NATS server.
type NATSOptions struct {
	// StoreDir holds the JetStream file store. Required.
	StoreDir string
	// Addr is host:port to listen on; "127.0.0.1:0" (the default) picks a free port.
	Addr string
	// SyncAlways makes JetStream fsync every write, so an acknowledged
	// message survives a power loss, not only a process crash.
	SyncAlways bool
	// TestUser adds the user TestUser, allowed everything, for tests.
	TestUser bool
}

// NATS is a running embedded NATS server.
type NATS struct {
	srv   *server.Server
	addr  string
	creds credentials
}

// StartNATS starts a NATS server with JetStream and waits until it accepts
// connections. Only the platform's users (shared/natsauth) get in, each
// with its own permissions; their passwords are made at the first start
// and kept in StoreDir/CredentialsFile. A client without them is refused
// ("Authorization Violation").
func StartNATS(opts NATSOptions) (*NATS, error) {
	if opts.StoreDir == "" {
		return nil, errors.New("embedded nats: store dir is required")
	}
	host, port, err := splitAddr(opts.Addr)
	if err != nil {
		return nil, fmt.Errorf("embedded nats: %w", err)
	}
	if port == 0 {
		port = server.RANDOM_PORT
	}
	if err := os.MkdirAll(opts.StoreDir, 0o700); err != nil {
		return nil, fmt.Errorf("embedded nats: %w", err)
	}
	names := natsauth.Names()
	if opts.TestUser {
		names = append(names, TestUser)
	}
	creds, err := loadCredentials(opts.StoreDir, names)
	if err != nil {
		return nil, fmt.Errorf("embedded nats: credentials: %w", err)
	}
	users, err := natsUsers(creds, opts.TestUser)
	if err != nil {
		return nil, fmt.Errorf("embedded nats: %w", err)
	}
	so := &server.Options{
		Users:      users,
		ServerName: "tb-embedded",
		Host:       host,
		Port:       port,
		JetStream:  true,
		StoreDir:   opts.StoreDir,
		SyncAlways: opts.SyncAlways,
		NoSigs:     true,
		NoLog:      true,
		// Big enough for the platform's streams on one machine, small
		// enough that a test run cannot fill the disk by accident.
		JetStreamMaxStore:  8 << 30,
		JetStreamMaxMemory: 256 << 20,
	}
	srv, err := server.NewServer(so)
	if err != nil {
		return nil, fmt.Errorf("embedded nats: %w", err)
	}
	go srv.Start()
	if !srv.ReadyForConnections(30 * time.Second) {
		srv.Shutdown()
		return nil, errors.New("embedded nats: not ready within 30s")
	}
	return &NATS{srv: srv, addr: srv.Addr().String(), creds: creds}, nil
}

// URLFor is the client URL of the server with user's name and password in
// it ("" for a user the server does not know).
func (n *NATS) URLFor(user string) string {
	pw, ok := n.creds[user]
	if !ok {
		return ""
	}
	return userURL(n.srv.ClientURL(), user, pw)
}

// Addr is the host:port clients connect to.
func (n *NATS) Addr() string { return n.addr }

// Stop shuts the server down and waits for it to finish.
func (n *NATS) Stop() {
	n.srv.Shutdown()
	n.srv.WaitForShutdown()
}

// FerretOptions configures the embedded FerretDB.
type FerretOptions struct {
	// Dir holds the SQLite files, one per database. Required. The server
	// listens on a Unix socket that belongs to Dir (see sockets.go and
	// MongoURI), never on a TCP port.
	Dir string
	// Logger receives FerretDB's own logs; nil discards them.
	Logger *slog.Logger
	// ProxyLogger receives the logs of the proxy in front of FerretDB
	// (slow commands, idle cursors closed, failures); nil uses Logger.
	ProxyLogger *slog.Logger
	// SyncAlways makes SQLite fsync every commit (synchronous=FULL), so a
	// stored write survives a power loss. Without it (synchronous=NORMAL,
	// the WAL is synced at checkpoints) a write still survives the crash of
	// any process, at a fraction of the cost.
	SyncAlways bool
	// NoNarrowing turns off the rewriting of conditional writes on one _id
	// (pushdown.go), for tests and comparisons.
	NoNarrowing bool
	// CursorIdleTimeout closes a cursor no one has used for this long
	// (cursors.go); zero means DefaultCursorIdleTimeout.
	CursorIdleTimeout time.Duration
}

// Ferret is a running embedded FerretDB.
type Ferret struct {
	uri    string
	cancel context.CancelFunc
	done   chan struct{}
	proxy  *serializer
}

// StartFerret starts FerretDB on SQLite and waits until it accepts
// connections on its socket.
func StartFerret(opts FerretOptions) (*Ferret, error) {
	if opts.Dir == "" {
		return nil, errors.New("embedded ferretdb: dir is required")
	}
	if err := os.MkdirAll(opts.Dir, 0o700); err != nil {
		return nil, fmt.Errorf("embedded ferretdb: %w", err)
	}
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	abs, err := filepath.Abs(opts.Dir)
	if err != nil {
		return nil, fmt.Errorf("embedded ferretdb: %w", err)
	}
	sockets, err := socketDir(abs)
	if err != nil {
		return nil, fmt.Errorf("embedded ferretdb: %w", err)
	}
	backend, front := filepath.Join(sockets, backendSock), filepath.Join(sockets, proxySock)
	for _, p := range []string{backend, front} {
		if err := clearSocket(p); err != nil {
			return nil, fmt.Errorf("embedded ferretdb: %w", err)
		}
	}
	// FerretDB itself listens on a private socket; clients reach it through
	// the serializer on the other (see serialize.go).
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{Unix: backend},
		Handler:   "sqlite",
		SQLiteURL: "file:" + abs + "/?_pragma=" + syncPragma(opts.SyncAlways) + erasePragmas(),
		Logger:    logger,
	})
	if err != nil {
		return nil, fmt.Errorf("embedded ferretdb: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = f.Run(ctx)
	}()
	// MongoDBURI blocks until the listener is bound, so it doubles as the
	// readiness wait; a dial proves the socket answers.
	_ = f.MongoDBURI()
	deadline := time.Now().Add(30 * time.Second)
	for {
		c, err := net.DialTimeout("unix", backend, time.Second)
		if err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			cancel()
			<-done
			return nil, fmt.Errorf("embedded ferretdb: not reachable at %s: %w", backend, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := os.Chmod(backend, 0o600); err != nil {
		cancel()
		<-done
		return nil, fmt.Errorf("embedded ferretdb: %w", err)
	}
	ids := newIDIndexer(abs)
	if err := ids.all(ctx); err != nil {
		logger.Warn("embedded ferretdb: _id indexes", "err", err)
	}
	proxyLog := opts.ProxyLogger
	if proxyLog == nil {
		proxyLog = logger
	}
	proxy, err := newSerializer(front, backend, proxyLog, ids, !opts.NoNarrowing, opts.CursorIdleTimeout)
	if err != nil {
		cancel()
		<-done
		return nil, fmt.Errorf("embedded ferretdb: listen %s: %w", front, err)
	}
	return &Ferret{uri: socketURI(front), cancel: cancel, done: done, proxy: proxy}, nil
}

// URI is the mongodb:// connection string of the server (its socket).
func (f *Ferret) URI() string { return f.uri }

// Stop closes the listener and every connection, then the SQLite backend.
func (f *Ferret) Stop() {
	f.proxy.close()
	f.cancel()
	<-f.done
}

func splitAddr(addr string) (string, int, error) {
	if addr == "" {
		return "127.0.0.1", 0, nil
	}
	host, p, err := net.SplitHostPort(addr)
	if err != nil {
		return "", 0, fmt.Errorf("address %q: %w", addr, err)
	}
	port, err := strconv.Atoi(p)
	if err != nil || port < 0 || port > 65535 {
		return "", 0, fmt.Errorf("address %q: bad port", addr)
	}
	if host == "" {
		host = "127.0.0.1"
	}
	return host, port, nil
}

func syncPragma(always bool) string {
	if always {
		return "synchronous(full)"
	}
	return "synchronous(normal)"
}
