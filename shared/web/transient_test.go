package web_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/labstack/echo/v4"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/talentbridge/platform/shared/web"
)

// TestElectionAnswers503 checks that a write refused because the replica
// set is electing a primary reaches the client as 503 with Retry-After, not
// as an internal error.
func TestElectionAnswers503(t *testing.T) {
	e := web.New(web.Options{Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	e.GET("/stepdown", func(echo.Context) error {
		return mongo.WriteException{WriteConcernError: &mongo.WriteConcernError{Code: 189, Name: "PrimarySteppedDown"}}
	})
	e.GET("/label", func(echo.Context) error {
		return mongo.CommandError{Code: 10107, Name: "NotWritablePrimary", Labels: []string{"RetryableWriteError"}}
	})
	srv := httptest.NewServer(e)
	defer srv.Close()
	for _, path := range []string{"/stepdown", "/label"} {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
			t.Errorf("GET %s = %d (Retry-After %q), want 503 with Retry-After", path, resp.StatusCode, resp.Header.Get("Retry-After"))
		}
	}
}
