package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/talentbridge/platform/shared/mongodb"
	"github.com/talentbridge/platform/shared/web"
)

// TestElectionAnswers503 checks that a write refused because the replica
// set is electing a primary reaches the client as 503 with Retry-After, not
// as an internal error — one route per class of replica-set error, each
// returning the driver's own error value wrapped as the stores wrap them.
func TestElectionAnswers503(t *testing.T) {
	wce := func(code int, name string) *mongo.WriteConcernError {
		return &mongo.WriteConcernError{Code: code, Name: name, Message: name}
	}
	classes := map[string]error{
		"/stepdown":          mongo.WriteException{WriteConcernError: wce(189, "PrimarySteppedDown")},
		"/label":             mongo.CommandError{Code: 10107, Name: "NotWritablePrimary", Labels: []string{"RetryableWriteError"}},
		"/not-primary":       mongo.CommandError{Code: 10107, Name: "NotWritablePrimary"},
		"/election":          mongo.CommandError{Code: 11602, Name: "InterruptedDueToReplStateChange"},
		"/retryable-label":   mongo.CommandError{Code: 999, Labels: []string{"RetryableWriteError"}},
		"/wc-timeout":        mongo.WriteException{WriteConcernError: wce(64, "WriteConcernFailed")},
		"/wc-unsatisfiable":  mongo.BulkWriteException{WriteConcernError: wce(100, "UnsatisfiableWriteConcern")},
		"/network":           mongo.CommandError{Labels: []string{"NetworkError"}},
		"/wrapped-by-store":  fmt.Errorf("insert profiles p1: %w", mongo.CommandError{Code: 189, Name: "PrimarySteppedDown"}),
		"/shutting-down":     mongo.CommandError{Code: 91, Name: "ShutdownInProgress"},
		"/exceeded-time":     mongo.CommandError{Code: 262, Name: "ExceededTimeLimit"},
		"/host-unreachable":  mongo.CommandError{Code: 6, Name: "HostUnreachable"},
		"/not-primary-no-ok": mongo.CommandError{Code: 13435, Name: "NotPrimaryNoSecondaryOk"},
	}
	e := web.New(web.Options{Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	for path, err := range classes {
		e.POST(path, func(echo.Context) error { return err })
	}
	e.POST("/duplicate", func(echo.Context) error {
		return mongodb.Translate(mongo.WriteException{WriteErrors: mongo.WriteErrors{{Code: 11000, Message: "E11000"}}})
	})
	srv := httptest.NewServer(e)
	defer srv.Close()
	for path := range classes {
		status, retry, code := post(t, srv.URL+path)
		if status != http.StatusServiceUnavailable || retry == "" || code != "unavailable" {
			t.Errorf("POST %s = %d (Retry-After %q, code %q), want 503 unavailable with Retry-After", path, status, retry, code)
		}
	}
	// A write refused for what it holds stays the client's answer.
	if status, _, _ := post(t, srv.URL+"/duplicate"); status != http.StatusConflict {
		t.Errorf("POST /duplicate = %d, want 409", status)
	}
}

// TestUnreachableDatabaseAnswers503 goes through a real driver: a handler
// writes with a client whose server is not there (a closed loopback port),
// and the client gets 503 problem+json, not 500.
func TestUnreachableDatabaseAnswers503(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	opts := mongodb.ClientOptions("mongodb://"+addr+"/?replicaSet=rs0", "test").
		SetServerSelectionTimeout(300 * time.Millisecond).SetConnectTimeout(300 * time.Millisecond)
	c, err := mongo.Connect(opts)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Disconnect(context.Background())
	var seen error
	e := web.New(web.Options{Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	e.POST("/write", func(ec echo.Context) error {
		_, err := c.Database("x").Collection("y").InsertOne(ec.Request().Context(), bson.D{{Key: "a", Value: 1}})
		seen = err
		return fmt.Errorf("insert y: %w", err)
	})
	srv := httptest.NewServer(e)
	defer srv.Close()
	status, retry, code := post(t, srv.URL+"/write")
	if seen == nil || !mongodb.IsTransient(seen) {
		t.Fatalf("driver error %v is not transient", seen)
	}
	if status != http.StatusServiceUnavailable || retry == "" || code != "unavailable" {
		t.Errorf("POST /write = %d (Retry-After %q, code %q), want 503 unavailable; driver said %v", status, retry, code, seen)
	}
}

func post(t *testing.T, url string) (status int, retryAfter, code string) {
	t.Helper()
	resp, err := http.Post(url, "application/json", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var p struct {
		Code string `json:"code"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&p)
	return resp.StatusCode, resp.Header.Get("Retry-After"), p.Code
}
