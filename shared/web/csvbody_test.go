package web_test

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/talentbridge/platform/shared/web"
)

// csvRows yields n bytes of CSV lines without holding them in memory.
type csvRows struct{ left int64 }

func (r *csvRows) Read(p []byte) (int, error) {
	if r.left <= 0 {
		return 0, io.EOF
	}
	const line = "applicant-0001,program-0001,program-0002\n"
	n := 0
	for n < len(p) && r.left > 0 {
		p[n] = line[n%len(line)]
		n++
		r.left--
	}
	return n, nil
}

// TestCSVBodyLimitIsPerRoute checks that only a route allowed to take CSV
// bodies takes a large one, and only as text/csv: a 20 MiB CSV import is
// read whole, while a 2 MiB JSON body on the same route, a 2 MiB CSV body
// on another route and a CSV body over 50 MiB are refused with 413.
func TestCSVBodyLimitIsPerRoute(t *testing.T) {
	e := web.New(web.Options{Log: slog.New(slog.NewTextHandler(io.Discard, nil))}) // default 1 MiB
	count := func(c echo.Context) error {
		n, err := io.Copy(io.Discard, c.Request().Body)
		if err != nil {
			return &web.Error{Status: http.StatusRequestEntityTooLarge, Code: "body_too_large", Detail: err.Error()}
		}
		return c.String(http.StatusOK, fmt.Sprint(n))
	}
	e.POST("/rounds/:id/ranks/import", count)
	e.POST("/rounds/:id/notes", count)
	web.AllowCSVBody(http.MethodPost, "/rounds/:id/ranks/import")
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)

	post := func(path, ctype string, size int64, chunked bool) (int, string) {
		t.Helper()
		var body io.Reader = &csvRows{left: size}
		if chunked {
			body = io.MultiReader(body) // hides the length: sent chunked
		}
		req, err := http.NewRequest(http.MethodPost, srv.URL+path, body)
		if err != nil {
			t.Fatal(err)
		}
		if !chunked {
			req.ContentLength = size
		}
		req.Header.Set(echo.HeaderContentType, ctype)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("POST %s: %v", path, err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}

	const mib = 1 << 20
	if s, b := post("/rounds/r1/ranks/import", "text/csv; charset=utf-8", 20*mib, false); s != http.StatusOK || b != fmt.Sprint(20*mib) {
		t.Errorf("20 MiB CSV import = %d %s, want 200 and every byte read", s, b)
	}
	if s, b := post("/rounds/r1/ranks/import", "text/csv", 20*mib, true); s != http.StatusOK || b != fmt.Sprint(20*mib) {
		t.Errorf("20 MiB chunked CSV import = %d %s, want 200 and every byte read", s, b)
	}
	for _, tc := range []struct {
		name, path, ctype string
		size              int64
		chunked           bool
	}{
		{"2 MiB JSON on the import route", "/rounds/r1/ranks/import", "application/json", 2 * mib, false},
		{"2 MiB chunked JSON on the import route", "/rounds/r1/ranks/import", "application/json", 2 * mib, true},
		{"2 MiB CSV on another route", "/rounds/r1/notes", "text/csv", 2 * mib, false},
		{"CSV over 50 MiB", "/rounds/r1/ranks/import", "text/csv", web.CSVBodyLimit + 1, false},
		{"chunked CSV over 50 MiB", "/rounds/r1/ranks/import", "text/csv", web.CSVBodyLimit + 1, true},
	} {
		if s, b := post(tc.path, tc.ctype, tc.size, tc.chunked); s != http.StatusRequestEntityTooLarge || !strings.Contains(b, "body_too_large") {
			t.Errorf("%s = %d %s, want 413 body_too_large", tc.name, s, b)
		}
	}
	if s, _ := post("/rounds/r1/notes", "application/json", 512, false); s != http.StatusOK {
		t.Errorf("small JSON body elsewhere = %d, want 200", s)
	}
}
