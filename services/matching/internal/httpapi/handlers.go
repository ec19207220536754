package httpapi

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/talentbridge/platform/services/matching/internal/app"
	"github.com/talentbridge/platform/services/matching/internal/domain"
	"github.com/talentbridge/platform/shared/api"
	apimatching "github.com/talentbridge/platform/shared/api/matching"
	"github.com/talentbridge/platform/shared/auth"
	"github.com/talentbridge/platform/shared/fielderr"
	"github.com/talentbridge/platform/shared/platform"
	"github.com/talentbridge/platform/shared/web"
)

// Paging.
const (
	DefaultPageSize = web.DefaultPageSize
	MaxPageSize     = web.MaxPageSize
	maxIDLen        = 200
)

func caller(c echo.Context) app.Caller {
	cl, _ := auth.FromContext(c)
	return app.Caller{ID: cl.UserID(), Role: cl.Role}
}

func paging(c echo.Context) (page, size int, err error) {
	p, err := web.QueryPaging(c)
	return p.Page, p.Size, err
}

func pathID(c echo.Context, what string) (string, error) {
	id := c.Param("id")
	if id == "" || len(id) > maxIDLen {
		return "", web.NotFound(what)
	}
	return id, nil
}

// Problems is the service's one web.Mapper: the domain's errors with their
// HTTP meaning. Handlers return domain errors; the platform's error handler
// asks this mapper.
func Problems(err error) *web.Error {
	var (
		nf  *domain.NotFoundError
		cf  *domain.ConflictError
		ve  *domain.ValidationError
		re  *domain.RuleError
		nel *domain.NotEligibleError
		fb  *domain.ForbiddenError
	)
	switch {
	case errors.As(err, &nf):
		return web.NotFound(nf.What)
	case errors.As(err, &fb):
		return web.Forbidden("forbidden", fb.Detail)
	case errors.As(err, &cf):
		return web.Conflict(cf.Code, cf.Detail)
	case errors.As(err, &ve):
		return web.Invalid(fieldErrors(ve.Fields)...)
	case errors.As(err, &re):
		return &web.Error{Status: http.StatusUnprocessableEntity, Code: re.Code, Detail: re.Detail, Fields: fieldErrors(re.Fields)}
	case errors.As(err, &nel):
		// A problem with one extension member, "reasons": the unmet rules
		// with their codes and parameters, for the UI to word.
		fields := make([]web.FieldError, len(nel.Reasons))
		for i, r := range nel.Reasons {
			fields[i] = fielderr.New("programId", fielderr.NotEligible, nil, r.Text)
		}
		return &web.Error{Status: http.StatusUnprocessableEntity, Code: "not_eligible",
			Detail: "you are not eligible for this program", Fields: fields,
			Members: map[string]any{"reasons": nel.Reasons}}
	}
	return nil
}

func fieldErrors(fs []domain.FieldError) []web.FieldError { return fs }

// private answers with JSON that no cache may keep.
func private(c echo.Context, status int, v any) error {
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(status, v)
}

func (h *Handlers) recommendations(c echo.Context) error {
	recs, err := h.App.Recommendations(c.Request().Context(), caller(c))
	if err != nil {
		return err
	}
	return private(c, http.StatusOK, onePage(recs, recommendationOf))
}

func (h *Handlers) candidates(c echo.Context) error {
	id, err := pathID(c, "program")
	if err != nil {
		return err
	}
	page, size, err := paging(c)
	if err != nil {
		return err
	}
	cands, total, err := h.App.Candidates(c.Request().Context(), caller(c), id, (page-1)*size, size)
	if err != nil {
		return err
	}
	items := make([]apimatching.Candidate, len(cands))
	for i, cd := range cands {
		items[i] = candidateOf(cd)
	}
	return private(c, http.StatusOK, api.Page[apimatching.Candidate]{Items: items, Page: page, PageSize: size, Total: int64(total)})
}

func (h *Handlers) setProgramRanking(c echo.Context) error {
	id, err := pathID(c, "program")
	if err != nil {
		return err
	}
	var req apimatching.ProgramRankingRequest
	if err := web.Bind(c, &req); err != nil {
		return err
	}
	if req.ApplicantIDs == nil {
		return web.Invalid(fielderr.NewRequired("applicantIds").Because("is required (an empty list removes the ranking)"))
	}
	r, err := h.App.SetProgramRanking(c.Request().Context(), caller(c), id, req.ApplicantIDs)
	if err != nil {
		return err
	}
	return private(c, http.StatusOK, programRankingOf(r))
}

func (h *Handlers) programRanking(c echo.Context) error {
	id, err := pathID(c, "program")
	if err != nil {
		return err
	}
	r, err := h.App.ProgramRanking(c.Request().Context(), caller(c), id)
	if err != nil {
		return err
	}
	return private(c, http.StatusOK, programRankingOf(r))
}

func (h *Handlers) apply(c echo.Context) error {
	var req apimatching.ApplyRequest
	if err := web.Bind(c, &req); err != nil {
		return err
	}
	if len(req.ProgramID) > maxIDLen {
		return web.Invalid(fielderr.NewTooLong("programId", maxIDLen).Because("is too long"))
	}
	a, err := h.App.Apply(c.Request().Context(), caller(c), req.ProgramID)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, platform.APIPrefix+"/applications/me")
	return private(c, http.StatusCreated, applicationOf(*a))
}

func (h *Handlers) myApplications(c echo.Context) error {
	apps, err := h.App.MyApplications(c.Request().Context(), caller(c))
	if err != nil {
		return err
	}
	return private(c, http.StatusOK, onePage(apps, applicationOf))
}

func (h *Handlers) withdraw(c echo.Context) error {
	id, err := pathID(c, "application")
	if err != nil {
		return err
	}
	if err := h.App.Withdraw(c.Request().Context(), caller(c), id); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (h *Handlers) setRanking(c echo.Context) error {
	var req apimatching.RankingRequest
	if err := web.Bind(c, &req); err != nil {
		return err
	}
	if req.ProgramIDs == nil {
		return web.Invalid(fielderr.NewRequired("programIds").Because("is required (an empty list removes the rank list)"))
	}
	r, err := h.App.SetRanking(c.Request().Context(), caller(c), req.ProgramIDs)
	if err != nil {
		return err
	}
	return private(c, http.StatusOK, rankingOf(r))
}

func (h *Handlers) myRanking(c echo.Context) error {
	r, err := h.App.MyRanking(c.Request().Context(), caller(c))
	if err != nil {
		return err
	}
	return private(c, http.StatusOK, rankingOf(r))
}

func (h *Handlers) createRound(c echo.Context) error {
	var req apimatching.RoundRequest
	if err := web.Bind(c, &req); err != nil {
		return err
	}
	r, err := h.App.CreateRound(c.Request().Context(), caller(c), req.Name, req.ProgramIDs, req.Seed, req.OfferDays, policyIn(req.Policy))
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, platform.APIPrefix+"/rounds/"+url.PathEscape(r.ID))
	return private(c, http.StatusCreated, roundOf(r))
}

func (h *Handlers) rounds(c echo.Context) error {
	page, size, err := paging(c)
	if err != nil {
		return err
	}
	rs, total, err := h.App.Rounds(c.Request().Context(), page, size)
	if err != nil {
		return err
	}
	items := make([]apimatching.Round, len(rs))
	for i := range rs {
		items[i] = roundOf(&rs[i])
	}
	return private(c, http.StatusOK, api.Page[apimatching.Round]{Items: items, Page: page, PageSize: size, Total: total})
}

func (h *Handlers) round(c echo.Context) error {
	id, err := pathID(c, "round")
	if err != nil {
		return err
	}
	r, err := h.App.Round(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return private(c, http.StatusOK, roundOf(r))
}

func (h *Handlers) run(c echo.Context) error {
	id, err := pathID(c, "round")
	if err != nil {
		return err
	}
	r, err := h.App.StartRun(c.Request().Context(), caller(c), id)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, platform.APIPrefix+"/rounds/"+url.PathEscape(r.ID))
	return private(c, http.StatusAccepted, roundOf(r))
}

func statusFilter(c echo.Context) (string, error) {
	s := c.QueryParam("status")
	if s != "" && !slices.Contains(domain.MatchStatuses, s) {
		return "", web.Invalid(fielderr.NewOneOf("status", domain.MatchStatuses))
	}
	return s, nil
}

func (h *Handlers) roundMatches(c echo.Context) error {
	id, err := pathID(c, "round")
	if err != nil {
		return err
	}
	status, err := statusFilter(c)
	if err != nil {
		return err
	}
	ms, err := h.App.RoundMatches(c.Request().Context(), id, status)
	if err != nil {
		return err
	}
	return private(c, http.StatusOK, onePage(ms, func(m domain.Match) apimatching.Match { return matchOf(&m, true) }))
}

func (h *Handlers) explanations(c echo.Context) error {
	id, err := pathID(c, "round")
	if err != nil {
		return err
	}
	page, size, err := paging(c)
	if err != nil {
		return err
	}
	es, err := h.App.Explanations(c.Request().Context(), caller(c), id, c.QueryParam("applicantId"))
	if err != nil {
		return err
	}
	total := len(es)
	from := min((page-1)*size, total)
	to := min(from+size, total)
	items := make([]apimatching.Explanation, 0, to-from)
	for _, e := range es[from:to] {
		items = append(items, explanationOf(e))
	}
	return private(c, http.StatusOK, api.Page[apimatching.Explanation]{Items: items, Page: page, PageSize: size, Total: int64(total)})
}

func (h *Handlers) publish(c echo.Context) error {
	id, err := pathID(c, "round")
	if err != nil {
		return err
	}
	var req apimatching.PublishRequest
	if c.Request().ContentLength != 0 {
		if err := web.Bind(c, &req); err != nil {
			return err
		}
	}
	var respondBy *time.Time
	if req.RespondBy != "" {
		t, err := time.Parse(time.RFC3339, req.RespondBy)
		if err != nil {
			return &domain.ValidationError{Fields: []domain.FieldError{fielderr.NewFormat("respondBy", "datetime").
				Because("must be an RFC 3339 date and time, such as 2026-01-31T17:00:00+05:30")}}
		}
		respondBy = &t
	}
	r, err := h.App.Publish(c.Request().Context(), caller(c), id, respondBy)
	if err != nil {
		return err
	}
	return private(c, http.StatusOK, roundOf(r))
}

func (h *Handlers) report(c echo.Context) error {
	id, err := pathID(c, "round")
	if err != nil {
		return err
	}
	rep, err := h.App.Report(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return private(c, http.StatusOK, *rep)
}

func (h *Handlers) matches(c echo.Context) error {
	page, size, err := paging(c)
	if err != nil {
		return err
	}
	status, err := statusFilter(c)
	if err != nil {
		return err
	}
	round := c.QueryParam("roundId")
	if len(round) > maxIDLen {
		return web.Invalid(fielderr.NewTooLong("roundId", maxIDLen).Because("is too long"))
	}
	after := c.QueryParam("after")
	switch {
	case len(after) > maxIDLen:
		return web.Invalid(fielderr.NewTooLong("after", maxIDLen).Because("is too long"))
	case after != "" && page > 1:
		return web.Invalid(fielderr.NewRange("page", 1, 1).Because("must be left out when after is given"))
	}
	ms, total, err := h.App.ListMatches(c.Request().Context(), app.MatchFilter{Status: status, RoundID: round, After: after}, page, size)
	if err != nil {
		return err
	}
	out := apimatching.MatchPage{Items: make([]apimatching.Match, len(ms)), Page: page, PageSize: size, Total: total}
	for i := range ms {
		out.Items[i] = matchOf(&ms[i], true)
	}
	if len(ms) == size {
		out.Next = ms[len(ms)-1].ID
	}
	return private(c, http.StatusOK, out)
}

func (h *Handlers) myMatches(c echo.Context) error {
	ms, err := h.App.MyMatches(c.Request().Context(), caller(c))
	if err != nil {
		return err
	}
	return private(c, http.StatusOK, onePage(ms, func(m domain.Match) apimatching.Match { return matchOf(&m, false) }))
}

func (h *Handlers) myRounds(c echo.Context) error {
	outs, err := h.App.MyRounds(c.Request().Context(), caller(c))
	if err != nil {
		return err
	}
	out := apimatching.RoundOutcomes{Items: make([]apimatching.RoundOutcome, len(outs))}
	for i, o := range outs {
		out.Items[i] = roundOutcomeOf(o)
	}
	return private(c, http.StatusOK, out)
}

func (h *Handlers) approve(c echo.Context) error {
	id, err := pathID(c, "match")
	if err != nil {
		return err
	}
	var req apimatching.ApproveRequest
	if c.Request().ContentLength != 0 {
		if err := web.Bind(c, &req); err != nil {
			return err
		}
	}
	m, err := h.App.Approve(c.Request().Context(), caller(c), id, req.Note)
	if err != nil {
		return err
	}
	return private(c, http.StatusOK, matchOf(m, true))
}

// approveRound handles POST /rounds/{id}/approve: every proposed match of
// the round, once the coordinator names how many they reviewed.
func (h *Handlers) approveRound(c echo.Context) error {
	id, err := pathID(c, "round")
	if err != nil {
		return err
	}
	var req apimatching.ApproveRoundRequest
	if err := web.Bind(c, &req); err != nil {
		return err
	}
	proposed := 0
	if req.Proposed != nil {
		proposed = *req.Proposed
	}
	r, err := h.App.ApproveRound(c.Request().Context(), caller(c), id, proposed, req.Note)
	if err != nil {
		return err
	}
	return private(c, http.StatusOK, roundOf(r))
}

func (h *Handlers) reject(c echo.Context) error {
	id, err := pathID(c, "match")
	if err != nil {
		return err
	}
	var req apimatching.RejectRequest
	if err := web.Bind(c, &req); err != nil {
		return err
	}
	m, err := h.App.Reject(c.Request().Context(), caller(c), id, req.Reason)
	if err != nil {
		return err
	}
	return private(c, http.StatusOK, matchOf(m, true))
}

func (h *Handlers) accept(c echo.Context) error {
	id, err := pathID(c, "match")
	if err != nil {
		return err
	}
	m, err := h.App.Accept(c.Request().Context(), caller(c), id)
	if err != nil {
		return err
	}
	return private(c, http.StatusOK, matchOf(m, false))
}

func (h *Handlers) decline(c echo.Context) error {
	id, err := pathID(c, "match")
	if err != nil {
		return err
	}
	m, err := h.App.Decline(c.Request().Context(), caller(c), id)
	if err != nil {
		return err
	}
	return private(c, http.StatusOK, matchOf(m, false))
}

// entityTypes are the prefixes GET /audit?entity= understands.
var entityTypes = []string{domain.EntityMatch, domain.EntityRound, domain.EntityProgram}

// auditEntityTypes are the values of GET /audit?entityType=.
var auditEntityTypes = []string{domain.EntityMatch, domain.EntityRound, domain.EntityProgram, domain.EntityApplication}

// maxActionLen bounds GET /audit?action=.
const maxActionLen = 100

func (h *Handlers) audit(c echo.Context) error {
	page, size, err := paging(c)
	if err != nil {
		return err
	}
	f, err := auditFilter(c)
	if err != nil {
		return err
	}
	es, total, err := h.App.Audit(c.Request().Context(), f, page, size)
	if err != nil {
		return err
	}
	items := make([]apimatching.AuditEntry, len(es))
	for i, e := range es {
		items[i] = auditOf(e)
	}
	return private(c, http.StatusOK, api.Page[apimatching.AuditEntry]{Items: items, Page: page, PageSize: size, Total: total})
}
