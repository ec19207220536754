// Command standalone runs the whole TalentBridge platform in one process:
// an embedded NATS server with JetStream and an embedded FerretDB (unless
// NATS_URL or MONGODB_URI point at real servers), and every service on one
// HTTP server. With --infra-only it runs just the embedded servers (NATS on
// a fixed port, FerretDB on a Unix socket in the data folder) for the
// services to be run as separate processes; each finds its credentials in
// DATA/connect/<service>.env (connect.go).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	"github.com/talentbridge/platform/services/documents"
	"github.com/talentbridge/platform/services/gateway"
	"github.com/talentbridge/platform/services/matching"
	"github.com/talentbridge/platform/services/placements"
	"github.com/talentbridge/platform/services/profiles"
	"github.com/talentbridge/platform/services/programs"
	"github.com/talentbridge/platform/services/standalone/demo"
	"github.com/talentbridge/platform/shared/config"
	"github.com/talentbridge/platform/shared/embedded"
	"github.com/talentbridge/platform/shared/logging"
	"github.com/talentbridge/platform/shared/mongodb"
	"github.com/talentbridge/platform/shared/natsauth"
	"github.com/talentbridge/platform/shared/natsbus"
	"github.com/talentbridge/platform/shared/platform"
	"github.com/talentbridge/platform/shared/web"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// settings are the standalone process's own options, beyond config.Service.
type settings struct {
	DataDir  string `env:"TB_DATA_DIR" envDefault:"./data"`
	NATSAddr string `env:"TB_EMBEDDED_NATS_ADDR"`
	// SyncAlways makes both embedded servers fsync every write, so what
	// they acknowledged survives a power loss (a process crash loses
	// nothing either way).
	SyncAlways bool `env:"TB_SYNC_ALWAYS" envDefault:"true"`
	Demo       bool `env:"TB_DEMO"`
	// DebugAddr, a loopback address, serves Go's profiles (debug.go).
	DebugAddr string `env:"TB_DEBUG_ADDR"`
	InfraOnly bool
	// Out receives what a person at the terminal must see (the demo
	// accounts); logs go elsewhere.
	Out io.Writer `env:"-"`
}

// Fixed port of --infra-only, so the separately run services can find the
// server: NATS's usual one. FerretDB has no port (see embedded.MongoURI).
const infraNATSAddr = "127.0.0.1:4222"

// run returns the process exit status: 0 after a clean stop, 1 when the
// platform fails, 2 for bad flags or configuration.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cfg, err := config.Load[config.Service]()
	if err != nil {
		fmt.Fprintln(stderr, "standalone:", err)
		return 2
	}
	st, err := config.Load[settings]()
	if err != nil {
		fmt.Fprintln(stderr, "standalone:", err)
		return 2
	}
	if os.Getenv("TB_EMBEDDED_MONGO_ADDR") != "" {
		fmt.Fprintln(stderr, "standalone: TB_EMBEDDED_MONGO_ADDR is no longer read: the embedded FerretDB listens only on a Unix socket in the data folder (unset it; see docs/OPERATIONS.md)")
		return 2
	}
	fs := flag.NewFlagSet("standalone", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&cfg.HTTP.Addr, "addr", cfg.HTTP.Addr, "HTTP listen address (TB_HTTP_ADDR)")
	fs.StringVar(&st.DataDir, "data-dir", st.DataDir, "folder for the embedded servers' data (TB_DATA_DIR)")
	fs.StringVar(&st.NATSAddr, "nats-addr", st.NATSAddr, "listen address of the embedded NATS server")
	fs.BoolVar(&st.Demo, "demo", st.Demo, "load sample applicants, hosts and programs")
	fs.BoolVar(&st.InfraOnly, "infra-only", false, "run only the embedded NATS (on a fixed port) and FerretDB")
	if err := fs.Parse(args); err != nil {
		fmt.Fprintln(stderr, "standalone:", err)
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "standalone: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	if err := cfg.Validate(); err != nil {
		fmt.Fprintln(stderr, "standalone:", err)
		return 2
	}
	if st.DebugAddr != "" {
		if err := loopbackOnly(st.DebugAddr); err != nil {
			fmt.Fprintln(stderr, "standalone:", err)
			return 2
		}
	}
	log := logging.New(stdout, "standalone", cfg.Log.Level)
	if st.DebugAddr != "" {
		if err := serveDebug(ctx, st.DebugAddr, log); err != nil {
			fmt.Fprintln(stderr, "standalone:", err)
			return 2
		}
	}
	st.Out = stdout
	if err := serve(ctx, cfg, st, log, nil); err != nil {
		log.Error("standalone stopped", "err", err)
		return 1
	}
	return 0
}

// serve runs the platform until ctx ends; ready, when not nil, is called
// with the HTTP address once it listens.
func serve(ctx context.Context, cfg config.Service, st settings, log *slog.Logger, ready func(net.Addr)) error {
	if err := os.MkdirAll(st.DataDir, 0o700); err != nil {
		return fmt.Errorf("data dir: %w", err)
	}
	unlock, err := lockDir(st.DataDir)
	if err != nil {
		return err
	}
	defer unlock()

	natsAddr := st.NATSAddr
	if st.InfraOnly && natsAddr == "" {
		natsAddr = infraNATSAddr
	}
	// With the embedded NATS every service connects as its own user
	// (shared/natsauth) and the process as natsauth.Platform; with an
	// outside server, as whatever NATS_URL carries.
	var serviceNATS map[string]string
	embeddedNATS := cfg.NATS.URL == "" || st.InfraOnly
	if embeddedNATS {
		ns, err := embedded.StartNATS(embedded.NATSOptions{
			StoreDir: filepath.Join(st.DataDir, "nats"), Addr: natsAddr, SyncAlways: st.SyncAlways,
		})
		if err != nil {
			return err
		}
		defer ns.Stop()
		cfg.NATS.URL = ns.URLFor(natsauth.Platform)
		serviceNATS = map[string]string{}
		for _, name := range natsauth.Names() {
			serviceNATS[name] = ns.URLFor(name)
		}
	}
	if cfg.Mongo.URI == "" || st.InfraOnly {
		fd, err := embedded.StartFerret(embedded.FerretOptions{
			Dir: filepath.Join(st.DataDir, "ferretdb"), SyncAlways: st.SyncAlways,
			ProxyLogger: log.With("component", "embedded-store"),
		})
		if err != nil {
			return err
		}
		defer fd.Stop()
		cfg.Mongo.URI = fd.URI()
	}
	if embeddedNATS {
		if err := writeConnectFiles(st.DataDir, serviceNATS, cfg.Mongo.URI); err != nil {
			return err
		}
	}
	log.Info("infrastructure", "nats", config.MaskURL(cfg.NATS.URL), "mongodb", config.MaskURL(cfg.Mongo.URI), "data_dir", st.DataDir)

	if st.InfraOnly {
		return serveInfra(ctx, cfg, connectDir(st.DataDir), log)
	}
	if st.Demo {
		demoDefaults()
	}
	var demoDone sync.WaitGroup
	defer demoDone.Wait()
	return platform.Run(ctx, platform.Options{
		Name:        "standalone",
		Config:      cfg,
		Log:         log,
		ServiceNATS: serviceNATS,
		// Each named as its NATS user (shared/natsauth.Users).
		Services: []platform.Constructor{
			platform.As("gateway", gateway.NewWithOptions(gateway.Options{KeysDir: filepath.Join(st.DataDir, "keys")})),
			platform.As("profiles", profiles.New),
			platform.As("programs", programs.New),
			platform.As("matching", matching.New),
			platform.As("documents", documents.New),
			platform.As("placements", placements.New),
		},
		Ready: func(a net.Addr) {
			if ready != nil {
				ready(a)
			}
			url := "http://" + displayAddr(a)
			log.Info("TalentBridge is ready", "url", url)
			if st.Demo {
				startDemo(ctx, url, st.Out, log, &demoDone)
			}
		},
	})
}

// displayAddr turns a wildcard listen address into one a browser can open.
func displayAddr(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if !ok || tcp.IP.IsUnspecified() {
		_, port, _ := net.SplitHostPort(a.String())
		return "localhost:" + port
	}
	return tcp.String()
}

// lockDir takes an exclusive lock on the data folder so that two processes
// never share one store.
func lockDir(dir string) (func(), error) {
	f, err := os.OpenFile(filepath.Join(dir, ".lock"), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock data dir: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("data dir %s is in use by another TalentBridge process", dir)
		}
		return nil, fmt.Errorf("lock data dir: %w", err)
	}
	return func() { f.Close() }, nil
}

// serveInfra keeps the embedded servers up and answers /healthz and /readyz
// (both servers reachable) so that the split platform's six processes can
// be checked alike.
func serveInfra(ctx context.Context, cfg config.Service, connect string, log *slog.Logger) error {
	cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	mc, err := mongodb.Connect(cctx, cfg.Mongo.URI, "infra")
	if err != nil {
		return err
	}
	defer mc.Disconnect(context.Background())
	bus, err := natsbus.Connect(cctx, cfg.NATS.URL, natsauth.Platform, log)
	if err != nil {
		return err
	}
	defer bus.Close(context.Background())
	if err := bus.EnsureStreams(cctx, 1); err != nil {
		return err
	}
	e := web.New(web.Options{Log: log})
	web.Health(e,
		web.Check{Name: "mongodb", Fn: func(ctx context.Context) error { return mongodb.Ping(ctx, mc) }},
		web.Check{Name: "nats", Fn: bus.Check},
	)
	return web.Serve(ctx, e, cfg.HTTP.Addr, cfg.HTTP.ShutdownTimeout, func(a net.Addr) {
		log.Info("infra-only: NATS and FerretDB are up; stop with Ctrl-C",
			"connect", filepath.Join(connect, "<service>.env"), "health", "http://"+displayAddr(a)+"/readyz")
	})
}

// Demo mode works with nothing configured: a demo administrator (who makes
// the demo coordinator) and a sign-in limit high enough for the loader,
// unless the environment says otherwise.
const (
	demoAdminEmail    = "admin@demo.talentbridge.example"
	demoAdminPassword = "indigo lantern 2027 tb"
)

func demoDefaults() {
	if os.Getenv("TB_ADMIN_EMAIL") == "" {
		os.Setenv("TB_ADMIN_EMAIL", demoAdminEmail)
		os.Setenv("TB_ADMIN_PASSWORD", demoAdminPassword)
	}
	if os.Getenv("TB_LOGIN_LIMIT") == "" {
		os.Setenv("TB_LOGIN_LIMIT", "1000")
	}
}

// startDemo prints the demo accounts and loads the sample data through the
// public API in the background; the load stops when ctx ends.
func startDemo(ctx context.Context, url string, out io.Writer, log *slog.Logger, wg *sync.WaitGroup) {
	if out == nil {
		out = io.Discard
	}
	fmt.Fprintf(out, "\nDemo accounts (sample data is loading; open %s):\n", url)
	if os.Getenv("TB_ADMIN_EMAIL") == demoAdminEmail {
		fmt.Fprintf(out, "  %-12s %-45s %s\n", "admin", demoAdminEmail, demoAdminPassword)
	}
	for _, a := range demo.Accounts() {
		fmt.Fprintf(out, "  %-12s %-45s %s\n", a.Role, a.Email, a.Password)
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		if _, err := demo.Load(ctx, url, log, demo.Options{}); err != nil && ctx.Err() == nil {
			log.Error("demo data not loaded", "err", err)
			return
		}
		if ctx.Err() == nil {
			log.Info("demo data loaded")
		}
	}()
}
