package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/talentbridge/platform/shared/config"
	"github.com/talentbridge/platform/shared/logging"
	"github.com/talentbridge/platform/shared/natsauth"
)

// inProcess is the standalone platform started inside the test process:
// embedded NATS and FerretDB and every service on one HTTP server, exactly
// as `go run ./services/standalone` composes them.
type inProcess struct {
	URL string
	// MongoURI and NATSURL reach the embedded servers, for tests that look
	// at what is stored.
	MongoURI, NATSURL string
	// DataDir holds the embedded servers' files and connect files.
	DataDir string
	// Stop stops the platform cleanly and waits for it; the test's end
	// calls it too.
	Stop func()
}

// startInProcess runs the platform until the test ends. env is applied to
// the process environment first (TB_ADMIN_EMAIL and so on).
func startInProcess(t *testing.T, env ...string) *inProcess {
	t.Helper()
	for i := 0; i+1 < len(env); i += 2 {
		t.Setenv(env[i], env[i+1])
	}
	cfg, err := config.Load[config.Service]()
	if err != nil {
		t.Fatal(err)
	}
	cfg.HTTP.Addr = "127.0.0.1:0"
	st := settings{DataDir: t.TempDir(), NATSAddr: freeAddr(t)}
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- serve(ctx, cfg, st, logging.New(io.Discard, "standalone", "error"), func(a net.Addr) { ready <- a.String() })
	}()
	var addr string
	select {
	case addr = <-ready:
	case err := <-done:
		t.Fatalf("standalone stopped: %v", err)
	case <-time.After(60 * time.Second):
		t.Fatal("standalone not ready within 60s")
	}
	var once sync.Once
	stop := func() {
		once.Do(func() {
			cancel()
			select {
			case <-done:
			case <-time.After(20 * time.Second):
				t.Error("standalone did not stop within 20s")
			}
		})
	}
	t.Cleanup(stop)
	// The process's own NATS user: it may read every stream and publish
	// no event.
	natsURL, mongoURI, err := loadConnect(st.DataDir, natsauth.Platform)
	if err != nil {
		t.Fatal(err)
	}
	p := &inProcess{URL: "http://" + addr, MongoURI: mongoURI, NATSURL: natsURL, DataDir: st.DataDir, Stop: stop}
	waitOK(t, p.URL+"/readyz")
	return p
}

func waitOK(t *testing.T, url string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if resp, err := http.Get(url); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s not OK within 30s", url)
}
