package natsbus_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"strings"
	"testing"

	"github.com/talentbridge/platform/shared/natsbus"
	"github.com/talentbridge/platform/shared/natstest"
)

// TestConnectTakesAnyServerOfTheList: NATS_URL may list a cluster's
// servers, comma-separated; the bus connects while some of them are down.
func TestConnectTakesAnyServerOfTheList(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := "nats://" + l.Addr().String()
	l.Close()
	live := natstest.Start(t)
	b, err := natsbus.Connect(context.Background(), strings.Join([]string{dead, dead, live}, ","), "test", quietLogger())
	if err != nil {
		t.Fatalf("connect to %s,%s,%s: %v", dead, dead, live, err)
	}
	defer b.Close(context.Background())
	if got := b.NC.ConnectedUrl(); got != live {
		t.Errorf("connected to %q, want the live server %q", got, live)
	}
	if err := b.Check(context.Background()); err != nil {
		t.Error(err)
	}
	// With none of them up, the first dial fails at once rather than
	// waiting forever.
	if _, err := natsbus.Connect(context.Background(), dead+","+dead, "test", quietLogger()); err == nil {
		t.Error("connected with every server of the list down")
	}
}

func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
