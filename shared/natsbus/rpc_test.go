package natsbus_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/nats-io/nats.go/micro"

	"github.com/talentbridge/platform/shared/natsbus"
	"github.com/talentbridge/platform/shared/natstest"
)

type echoReply struct {
	Said  string `json:"said"`
	Error string `json:"error,omitempty"`
}

// TestServeAnswersAsMicroService pins what the request–reply helper gives:
// the body on the given subject, micro's error headers with the same body
// when the handler fails, one answer per request from a queue group, and
// discovery through $SRV.INFO.
func TestServeAnswersAsMicroService(t *testing.T) {
	url := natstest.Start(t)
	b := natstest.Bus(t, url, "test")
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	handle := func(data []byte) (any, *natsbus.RPCError) {
		if string(data) == "bad" {
			return echoReply{Error: "bad request"}, &natsbus.RPCError{Code: "400", Description: "bad request"}
		}
		return echoReply{Said: string(data)}, nil
	}
	ep := natsbus.Endpoint{Name: "echo", Subject: "tb.rpc.test.echo", Queue: "test", Handle: handle}
	// Two replicas in one queue group.
	var svcs []micro.Service
	for range 2 {
		svc, err := natsbus.Serve(b.NC, "test", log, ep)
		if err != nil {
			t.Fatal(err)
		}
		svcs = append(svcs, svc)
	}

	msg, err := b.NC.Request("tb.rpc.test.echo", []byte("hi"), 2*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	var got echoReply
	if err := json.Unmarshal(msg.Data, &got); err != nil || got.Said != "hi" {
		t.Fatalf("reply = %s (%v), want said=hi", msg.Data, err)
	}
	if h := msg.Header.Get(micro.ErrorCodeHeader); h != "" {
		t.Errorf("a good reply carries error code %q", h)
	}

	msg, err = b.NC.Request("tb.rpc.test.echo", []byte("bad"), 2*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if c, d := msg.Header.Get(micro.ErrorCodeHeader), msg.Header.Get(micro.ErrorHeader); c != "400" || d != "bad request" {
		t.Errorf("error headers = %q %q, want 400 \"bad request\"", c, d)
	}
	if err := json.Unmarshal(msg.Data, &got); err != nil || got.Error != "bad request" {
		t.Errorf("error body = %s (%v), want the handler's reply", msg.Data, err)
	}

	// The queue group: ten requests are answered ten times in total.
	for range 10 {
		if _, err := b.NC.Request("tb.rpc.test.echo", []byte("x"), 2*time.Second); err != nil {
			t.Fatal(err)
		}
	}
	var total int
	for _, s := range svcs {
		for _, e := range s.Stats().Endpoints {
			total += e.NumRequests
			if e.QueueGroup != "test" {
				t.Errorf("queue group %q, want test", e.QueueGroup)
			}
		}
	}
	if total != 12 {
		t.Errorf("replicas answered %d requests, want 12 (one answer each)", total)
	}

	// Discovery.
	msg, err = b.NC.Request("$SRV.INFO.test", nil, 2*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	var info micro.Info
	if err := json.Unmarshal(msg.Data, &info); err != nil {
		t.Fatal(err)
	}
	if info.Name != "test" || info.Version != natsbus.RPCVersion || len(info.Endpoints) != 1 || info.Endpoints[0].Subject != "tb.rpc.test.echo" {
		t.Errorf("info = %+v", info)
	}

	for _, s := range svcs {
		if err := s.Stop(); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := b.NC.Request("tb.rpc.test.echo", []byte("hi"), 500*time.Millisecond); err == nil {
		t.Error("a stopped service still answers")
	}
}
