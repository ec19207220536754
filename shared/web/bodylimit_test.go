package web_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/talentbridge/platform/shared/web"
)

// A route given its own limit with AllowBody takes bodies the default
// refuses; the others keep the default.
func TestAllowBodyRaisesOneRoutesLimit(t *testing.T) {
	e := web.New(web.Options{Log: slog.New(slog.NewTextHandler(io.Discard, nil)), BodyLimit: 1 << 10})
	read := func(c echo.Context) error {
		n, err := io.Copy(io.Discard, c.Request().Body)
		if err != nil {
			return &web.Error{Status: http.StatusRequestEntityTooLarge, Code: "body_too_large"}
		}
		return c.JSON(http.StatusOK, n)
	}
	e.POST("/small", read)
	e.POST("/files/:id", read)
	web.AllowBody(http.MethodPost, "/files/:id", 64<<10)
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	for _, tc := range []struct {
		path string
		size int
		want int
	}{
		{"/small", 2 << 10, 413},
		{"/files/7", 2 << 10, 200},
		{"/files/7", 63 << 10, 200},
		{"/files/7", 65 << 10, 413},
	} {
		resp, err := http.Post(srv.URL+tc.path, "application/octet-stream", strings.NewReader(strings.Repeat("x", tc.size)))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.want {
			t.Errorf("POST %s of %d bytes = %d, want %d", tc.path, tc.size, resp.StatusCode, tc.want)
		}
	}
}

// A one-time token in the path (":token") never reaches the access log.
func TestAccessLogLeavesOutPathTokens(t *testing.T) {
	var buf strings.Builder
	e := web.New(web.Options{Log: slog.New(slog.NewJSONHandler(&buf, nil))})
	e.GET("/references/upload/:token", func(c echo.Context) error { return c.NoContent(http.StatusOK) })
	srv := httptest.NewServer(e)
	defer srv.Close()
	const secret = "Zq3v9S0mEtOkEnThAtMuStNoTbElOgGeD0123456789"
	resp, err := http.Get(srv.URL + "/references/upload/" + secret)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if strings.Contains(buf.String(), secret) || !strings.Contains(buf.String(), "/references/upload/[token]") {
		t.Errorf("access log = %s, want the path without the token", buf.String())
	}
}
