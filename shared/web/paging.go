package web

import (
	"strconv"

	"github.com/labstack/echo/v4"
	"github.com/talentbridge/platform/shared/fielderr"
)

// Paging bounds shared by every list endpoint. The page bound keeps the
// number of skipped documents (at most (MaxPage-1)*MaxPageSize) far from
// any integer overflow and from scans no client needs.
const (
	MaxPage         = 10_000
	DefaultPageSize = 20
	MaxPageSize     = 100
)

// Paging is a requested page of a list: Page is 1-based.
type Paging struct {
	Page, Size int
}

// Skip is the number of items before the page.
func (p Paging) Skip() int64 {
	return int64(p.Page-1) * int64(p.Size)
}

// Reasons given for out-of-range paging parameters.
var (
	pageReason     = "must be a whole number from 1 to " + strconv.Itoa(MaxPage)
	pageSizeReason = "must be a whole number from 1 to " + strconv.Itoa(MaxPageSize)
)

// ParsePaging reads the raw page and pageSize parameters ("" means the
// default: page 1 of DefaultPageSize). Each parameter that is not a whole
// number within its bound yields a field error and keeps its default.
func ParsePaging(page, pageSize string) (Paging, []FieldError) {
	p := Paging{Page: 1, Size: DefaultPageSize}
	var fields []FieldError
	if page != "" {
		if n, ok := bounded(page, MaxPage); ok {
			p.Page = n
		} else {
			fields = append(fields, fielderr.NewRange("page", 1, MaxPage).Because("%s", pageReason))
		}
	}
	if pageSize != "" {
		if n, ok := bounded(pageSize, MaxPageSize); ok {
			p.Size = n
		} else {
			fields = append(fields, fielderr.NewRange("pageSize", 1, MaxPageSize).Because("%s", pageSizeReason))
		}
	}
	return p, fields
}

// QueryPaging is ParsePaging of a request's query; broken parameters are an
// Invalid (400, invalid_request) error listing each of them.
func QueryPaging(c echo.Context) (Paging, error) {
	p, fields := ParsePaging(c.QueryParam("page"), c.QueryParam("pageSize"))
	if len(fields) > 0 {
		return Paging{}, Invalid(fields...)
	}
	return p, nil
}

func bounded(s string, hi int) (int, bool) {
	n, err := strconv.Atoi(s)
	return n, err == nil && n >= 1 && n <= hi
}
