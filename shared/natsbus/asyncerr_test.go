package natsbus_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/talentbridge/platform/shared/natsbus"
	"github.com/talentbridge/platform/shared/natstest"
)

// syncBuffer is a log sink safe for the client's own goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestAsyncErrorsReachTheLog: an error the client meets outside any call —
// here a subscriber too slow for what is published to it — is logged by the
// service's logger with the subject.
func TestAsyncErrorsReachTheLog(t *testing.T) {
	var out syncBuffer
	log := slog.New(slog.NewTextHandler(&out, nil))
	b, err := natsbus.Connect(context.Background(), natstest.Start(t), "test", log)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close(context.Background())
	block := make(chan struct{})
	defer close(block)
	sub, err := b.NC.Subscribe("slow.subject", func(*nats.Msg) { <-block })
	if err != nil {
		t.Fatal(err)
	}
	if err := sub.SetPendingLimits(2, 1<<20); err != nil {
		t.Fatal(err)
	}
	for range 50 {
		if err := b.NC.Publish("slow.subject", []byte("x")); err != nil {
			t.Fatal(err)
		}
	}
	_ = b.NC.Flush()
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(out.String(), "nats async error") && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if got := out.String(); !strings.Contains(got, "nats async error") || !strings.Contains(got, "subject=slow.subject") {
		t.Errorf("log = %q, want the slow-consumer error with its subject", got)
	}
}
