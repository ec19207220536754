package httpapi

import (
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/talentbridge/platform/services/matching/internal/domain"
	"github.com/talentbridge/platform/shared/fielderr"
	"github.com/talentbridge/platform/shared/web"
)

// auditFilter reads the filters of GET /audit: entity (<type>:<id> or a
// bare id), entityType, action, actor (an account id) and the days from
// and to (YYYY-MM-DD, UTC, both included). Every problem is reported at
// once.
func auditFilter(c echo.Context) (domain.AuditFilter, error) {
	var f domain.AuditFilter
	var errs []fielderr.FieldError
	q := c.QueryParams()
	text := func(name string, max int) string {
		v := strings.TrimSpace(q.Get(name))
		if len(v) > max {
			errs = append(errs, fielderr.NewTooLong(name, max).Because("is too long"))
			return ""
		}
		return v
	}
	entity := text("entity", maxIDLen)
	if t, rest, ok := strings.Cut(entity, ":"); ok && slices.Contains(entityTypes, t) {
		f.EntityType, f.EntityID = t, rest
	} else {
		f.EntityID = entity
	}
	if t := text("entityType", maxIDLen); t != "" {
		switch {
		case !slices.Contains(auditEntityTypes, t):
			errs = append(errs, fielderr.NewOneOf("entityType", auditEntityTypes))
		case f.EntityType != "" && f.EntityType != t:
			errs = append(errs, fielderr.NewOneOf("entityType", []string{f.EntityType}).Because("must agree with the type in entity"))
		default:
			f.EntityType = t
		}
	}
	f.Action = text("action", maxActionLen)
	f.ActorID = text("actor", maxIDLen)
	day := func(name string) time.Time {
		v := strings.TrimSpace(q.Get(name))
		if v == "" {
			return time.Time{}
		}
		d, err := time.Parse(time.DateOnly, v)
		if err != nil {
			errs = append(errs, fielderr.NewFormat(name, "date"))
			return time.Time{}
		}
		return d
	}
	f.From = day("from")
	if to := day("to"); !to.IsZero() {
		f.To = to.AddDate(0, 0, 1) // the whole last day
	}
	if !f.From.IsZero() && !f.To.IsZero() && !f.From.Before(f.To) {
		errs = append(errs, fielderr.NewDateOrder("to", "from"))
	}
	if len(errs) > 0 {
		return f, web.Invalid(errs...)
	}
	return f, nil
}
