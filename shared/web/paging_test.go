package web_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/talentbridge/platform/shared/web"
)

func TestParsePaging(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		page, size string
		want       web.Paging
		bad        []string
	}{
		{"", "", web.Paging{Page: 1, Size: web.DefaultPageSize}, nil},
		{"3", "50", web.Paging{Page: 3, Size: 50}, nil},
		{"10000", "100", web.Paging{Page: web.MaxPage, Size: web.MaxPageSize}, nil},
		{"10001", "", web.Paging{Page: 1, Size: web.DefaultPageSize}, []string{"page"}},
		{"99999999999999999", "", web.Paging{Page: 1, Size: web.DefaultPageSize}, []string{"page"}},
		{"99999999999999999999999", "", web.Paging{Page: 1, Size: web.DefaultPageSize}, []string{"page"}},
		{strconv.Itoa(math.MaxInt), "100", web.Paging{Page: 1, Size: 100}, []string{"page"}},
		{"0", "0", web.Paging{Page: 1, Size: web.DefaultPageSize}, []string{"page", "pageSize"}},
		{"-1", "101", web.Paging{Page: 1, Size: web.DefaultPageSize}, []string{"page", "pageSize"}},
		{"1e3", "ten", web.Paging{Page: 1, Size: web.DefaultPageSize}, []string{"page", "pageSize"}},
	} {
		got, fields := web.ParsePaging(tc.page, tc.size)
		var names []string
		for _, f := range fields {
			if f.Reason == "" {
				t.Errorf("ParsePaging(%q, %q): field %s without a reason", tc.page, tc.size, f.Field)
			}
			names = append(names, f.Field)
		}
		if got != tc.want || len(names) != len(tc.bad) {
			t.Errorf("ParsePaging(%q, %q) = %+v, %v; want %+v, %v", tc.page, tc.size, got, names, tc.want, tc.bad)
			continue
		}
		for i := range names {
			if names[i] != tc.bad[i] {
				t.Errorf("ParsePaging(%q, %q) fields = %v, want %v", tc.page, tc.size, names, tc.bad)
			}
		}
	}
	// The largest page allowed skips a number of items that fits easily.
	if s := (web.Paging{Page: web.MaxPage, Size: web.MaxPageSize}).Skip(); s != int64(web.MaxPage-1)*web.MaxPageSize {
		t.Errorf("Skip of the last page = %d", s)
	}
}

// TestQueryPagingOverflowIs400 is issue 16, finding 5: a page whose skip
// overflowed was a 500; it is a 400 problem naming the parameter.
func TestQueryPagingOverflowIs400(t *testing.T) {
	t.Parallel()
	e := web.New(web.Options{Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	e.GET("/list", func(c echo.Context) error {
		p, err := web.QueryPaging(c)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, map[string]int64{"skip": p.Skip()})
	})
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)

	resp, err := http.Get(srv.URL + "/list?page=99999999999999999")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var p web.Problem
	if err := json.NewDecoder(resp.Body).Decode(&p); err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusBadRequest || resp.Header.Get("Content-Type") != "application/problem+json" ||
		p.Code != "invalid_request" || len(p.Errors) != 1 || p.Errors[0].Field != "page" || p.Errors[0].Reason == "" {
		t.Errorf("page overflow = %d %s %+v, want 400 problem invalid_request on page", resp.StatusCode, resp.Header.Get("Content-Type"), p)
	}

	ok, err := http.Get(srv.URL + "/list?page=3&pageSize=10")
	if err != nil {
		t.Fatal(err)
	}
	defer ok.Body.Close()
	var body map[string]int64
	if err := json.NewDecoder(ok.Body).Decode(&body); err != nil || ok.StatusCode != http.StatusOK || body["skip"] != 20 {
		t.Errorf("page=3&pageSize=10 = %d %v %v, want 200 skip 20", ok.StatusCode, body, err)
	}
}
