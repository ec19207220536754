package ui

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/talentbridge/platform/shared/api"
	apiidentity "github.com/talentbridge/platform/shared/api/identity"
	apimatching "github.com/talentbridge/platform/shared/api/matching"
)

// auditFilters are the query parameters of the audit page, passed on to
// GET /audit as they are.
var auditFilters = []string{"entity", "entityType", "action", "actor", "from", "to"}

// AuditActions are the actions the filter offers (each worded by
// "action.<code>").
var AuditActions = []string{"round.created", "round.run.started", "round.run.failed", "round.completed", "round.mocked",
	"round.approved", "round.published", "match.approved", "match.rejected", "match.published", "offer.accepted",
	"offer.declined", "offer.expired", "program.ranking.set", "program.ranking.imported", "round.ranks.imported",
	"round.vacancy.created"}

// AuditEntityTypes are the entity types the filter offers.
var AuditEntityTypes = []string{"round", "match", "program", "application"}

// AuditRow is an audit entry with the names behind its ids, looked up
// when the page is drawn from what the coordinator may read anyway: the
// actor's account, the program's title, the round's name. An id whose
// name cannot be found is shown as the id.
type AuditRow struct {
	apimatching.AuditEntry
	Actor *apiidentity.UserResponse
	// Entity names the entity (a program's title, a round's name); Round
	// names the round an entry belongs to.
	Entity, Round string
}

// AuditData is the audit log with its filters.
type AuditData struct {
	Rows        []AuditRow
	Total       int64
	Actions     []string
	EntityTypes []string
	// Actors are the coordinators and admins the actor filter offers.
	Actors []apiidentity.UserResponse
}

func (u *UI) audit(c echo.Context) error {
	q := url.Values{}
	q.Set("pageSize", "100")
	form := url.Values{}
	for _, k := range auditFilters {
		if v := strings.TrimSpace(c.QueryParam(k)); v != "" {
			q.Set(k, v)
			form.Set(k, v)
		}
	}
	var res api.Page[apimatching.AuditEntry]
	p := u.page(c, "audit.title")
	p.Form = newForm(form)
	status := http.StatusOK
	err := u.call(c, http.MethodGet, "/audit?"+q.Encode(), nil, &res)
	switch {
	case err == nil:
	case p.Form.fromProblem(err, simpleFields(map[string]string{"entity": "audit.entity", "entityType": "audit.entity_type",
		"action": "audit.what", "actor": "audit.who", "from": "audit.from", "to": "audit.to"})):
		status = http.StatusUnprocessableEntity
	default:
		return err
	}
	p.Data = AuditData{Rows: u.auditRows(c, res.Items), Total: res.Total, Actions: AuditActions,
		EntityTypes: AuditEntityTypes, Actors: u.staff(c)}
	return u.render(c, status, "audit", p)
}

// staff lists the coordinators and admins, for the actor filter.
func (u *UI) staff(c echo.Context) []apiidentity.UserResponse {
	var out []apiidentity.UserResponse
	for _, role := range []string{"coordinator", "admin"} {
		var res api.Page[apiidentity.UserResponse]
		if err := u.call(c, http.MethodGet, "/auth/users?role="+role+"&pageSize=100", nil, &res); err == nil {
			out = append(out, res.Items...)
		}
	}
	return out
}

// auditRows names the ids of entries, each id looked up once.
func (u *UI) auditRows(c echo.Context, es []apimatching.AuditEntry) []AuditRow {
	actors := map[string]*apiidentity.UserResponse{}
	rounds := map[string]string{}
	var programIDs []string
	for _, e := range es {
		if e.EntityType == "program" {
			programIDs = append(programIDs, e.EntityID)
		}
	}
	progs := u.programs(c, programIDs)
	roundName := func(id string) string {
		if id == "" {
			return ""
		}
		name, seen := rounds[id]
		if !seen {
			var r Round
			if err := u.call(c, http.MethodGet, "/rounds/"+url.PathEscape(id), nil, &r); err == nil {
				name = r.Name
			}
			rounds[id] = name
		}
		return name
	}
	out := make([]AuditRow, 0, len(es))
	for _, e := range es {
		row := AuditRow{AuditEntry: e}
		if e.ActorID != "" {
			a, seen := actors[e.ActorID]
			if !seen {
				var who apiidentity.UserResponse
				if err := u.call(c, http.MethodGet, "/auth/users/"+url.PathEscape(e.ActorID), nil, &who); err == nil {
					a = &who
				}
				actors[e.ActorID] = a
			}
			row.Actor = a
		}
		switch e.EntityType {
		case "program":
			if p := progs[e.EntityID]; p != nil {
				row.Entity = p.Title
			}
		case "round":
			row.Entity = roundName(e.EntityID)
		}
		if e.RoundID != "" && !(e.EntityType == "round" && e.EntityID == e.RoundID) {
			row.Round = roundName(e.RoundID)
		}
		out = append(out, row)
	}
	return out
}
