package matching_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/talentbridge/platform/services/matching"
	apimatching "github.com/talentbridge/platform/shared/api/matching"
	"github.com/talentbridge/platform/shared/auth"
	programsev "github.com/talentbridge/platform/shared/events/programs"
	"github.com/talentbridge/platform/shared/fielderr"
	"github.com/talentbridge/platform/shared/platform"
	"github.com/talentbridge/platform/shared/platformtest"
	"github.com/talentbridge/platform/shared/web"
)

// TestEveryRouteHasAPolicy fails when a route of the service is
// registered without an access policy.
func TestEveryRouteHasAPolicy(t *testing.T) {
	t.Parallel()
	env := start(t, fast)
	e := web.New(web.Options{Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	svc, err := matching.New(context.Background(), env.Deps)
	if err != nil {
		t.Fatal(err)
	}
	svc.Routes(e, e.Group(platform.APIPrefix))
	n := 0
	for _, r := range e.Routes() {
		if !strings.HasPrefix(r.Path, platform.APIPrefix) || strings.HasSuffix(r.Path, "/*") {
			continue
		}
		n++
		if _, ok := auth.PolicyOf(r.Method, r.Path); !ok {
			t.Errorf("%s %s has no access policy", r.Method, r.Path)
		}
	}
	if n != 50 {
		t.Errorf("%d routes checked, want 50", n)
	}
	for _, tc := range []struct {
		method, path string
		want         auth.Policy
	}{
		{"GET", "/api/v1/recommendations/me", auth.Applicants},
		{"GET", "/api/v1/programs/:id/candidates", auth.HostsAndCoords},
		{"POST", "/api/v1/rounds", auth.Coordinators},
		{"POST", "/api/v1/matches/:id/approve", auth.Coordinators},
		{"POST", "/api/v1/rounds/:id/approve", auth.Coordinators},
		{"POST", "/api/v1/matches/:id/accept", auth.Applicants},
		{"GET", "/api/v1/audit", auth.Coordinators},
		{"GET", "/api/v1/programs/:id/candidates.csv", auth.HostsAndCoords},
		{"GET", "/api/v1/rounds/:id/report.csv", auth.Coordinators},
		{"GET", "/api/v1/rounds/:id/demand", apimatching.ApplicantsAndCoords},
		{"POST", "/api/v1/rounds/:id/vacancy", auth.Coordinators},
		{"POST", "/api/v1/rounds/:id/mock", auth.Coordinators},
		{"GET", "/api/v1/rounds/:id/mock", auth.Coordinators},
		{"GET", "/api/v1/rounds/me", auth.Applicants},
	} {
		if got, _ := auth.PolicyOf(tc.method, tc.path); got.String() != tc.want.String() {
			t.Errorf("PolicyOf(%s %s) = %v, want %v", tc.method, tc.path, got, tc.want)
		}
	}
}

func TestAccess(t *testing.T) {
	t.Parallel()
	w := newWorld(t, fast)
	open1, closed, jpOnly := programSnap("open-"+newID(), "h1", 2), programSnap("closed-"+newID(), "h1", 1), programSnap("jp-"+newID(), "h2", 1)
	closed.Status, closed.ClosedReason = programsev.StatusClosed, programsev.ClosedByHost
	jpOnly.Eligibility.HomeCountries = []string{"JP"}
	jpOnly.HostCountry, jpOnly.Region = "IN", "Kerala"
	w.putProgram(open1, 1)
	w.putProgram(closed, 2)
	w.putProgram(jpOnly, 1)
	w.putProfile(profileSnap("a1", "IN", true), 1)
	w.putProfile(profileSnap("a2", "IN", false), 1)
	w.putProfile(profileSnap("a3", "JP", true), 1)
	w.waitVersion("programs", open1.ID, 1)
	w.waitVersion("programs", closed.ID, 2)
	w.waitVersion("programs", jpOnly.ID, 1)
	for _, a := range []string{"a1", "a2", "a3"} {
		w.waitVersion("profiles", a, 1)
	}
	a1, a2 := w.token("a1", auth.RoleApplicant), w.token("a2", auth.RoleApplicant)
	h1, h2 := w.token("h1", auth.RoleHost), w.token("h2", auth.RoleHost)

	t.Run("applying", func(t *testing.T) {
		if p := w.do(http.MethodPost, "/applications", a1, map[string]string{"programId": closed.ID}).Problem(t); p.Status != 409 || p.Code != "program_closed" {
			t.Errorf("apply to a closed program = %d %s, want 409 program_closed", p.Status, p.Code)
		}
		r := w.do(http.MethodPost, "/applications", a1, map[string]string{"programId": jpOnly.ID})
		var body struct {
			web.Problem
			Reasons []struct {
				Code string `json:"code"`
			} `json:"reasons"`
		}
		platformtest.DecodeJSON(t, r.Body, &body)
		if r.Status != 422 || body.Code != "not_eligible" || len(body.Reasons) == 0 || body.Reasons[0].Code != "eligibility.home_country.unmet" {
			t.Errorf("apply while not eligible = %d %s, want 422 not_eligible with the home country rule", r.Status, r.Body)
		}
		if got := w.do(http.MethodPost, "/applications", a1, map[string]string{"programId": "nope"}); got.Status != 404 {
			t.Errorf("apply to an unknown program = %d, want 404", got.Status)
		}
		if got := w.do(http.MethodPost, "/applications", a1, map[string]any{"programId": open1.ID, "status": "accepted"}); got.Status != 400 {
			t.Errorf("apply with a status field = %d, want 400", got.Status)
		}
		if got := w.do(http.MethodPost, "/applications", w.token("ghost", auth.RoleApplicant), map[string]string{"programId": open1.ID}); got.Status != 422 {
			t.Errorf("apply without a profile = %d, want 422", got.Status)
		}
		w.must(http.MethodPost, "/applications", a1, map[string]string{"programId": open1.ID}, http.StatusCreated, nil)
		if p := w.do(http.MethodPost, "/applications", a1, map[string]string{"programId": open1.ID}).Problem(t); p.Status != 409 || p.Code != "already_applied" {
			t.Errorf("second application = %d %s, want 409 already_applied", p.Status, p.Code)
		}
	})

	var mine list[struct {
		ID        string `json:"id"`
		ProgramID string `json:"programId"`
		Status    string `json:"status"`
	}]
	w.must(http.MethodGet, "/applications/me", a1, nil, http.StatusOK, &mine)
	if len(mine.Items) != 1 {
		t.Fatalf("a1's applications = %+v, want one", mine.Items)
	}
	a1App := mine.Items[0].ID

	t.Run("another applicant's application and rank list", func(t *testing.T) {
		w.must(http.MethodPost, "/applications", a2, map[string]string{"programId": open1.ID}, http.StatusCreated, nil)
		if got := w.do(http.MethodDelete, "/applications/"+a1App, a2, nil); got.Status != 404 {
			t.Errorf("a2 withdraws a1's application = %d, want 404", got.Status)
		}
		var other list[struct{ ID string }]
		w.must(http.MethodGet, "/applications/me", a2, nil, http.StatusOK, &other)
		for _, a := range other.Items {
			if a.ID == a1App {
				t.Errorf("a2's applications include a1's %s", a1App)
			}
		}
		// a2 cannot rank a program through a1's application.
		r := w.do(http.MethodPut, "/applications/me/ranking", a2, map[string]any{"programIds": []string{open1.ID, jpOnly.ID}})
		if p := r.Problem(t); p.Status != 422 || len(p.Errors) != 1 || p.Errors[0].Field != "programIds[1]" || p.Errors[0].Code != fielderr.NotAvailable {
			t.Errorf("rank a program without an application = %d %+v, want 422 naming programIds[1], not_available", p.Status, p.Errors)
		}
		if p := w.do(http.MethodPut, "/applications/me/ranking", a2, map[string]any{"programIds": []string{open1.ID, open1.ID}}).Problem(t); p.Status != 422 || p.Errors[0].Field != "programIds[1]" || p.Errors[0].Code != fielderr.Duplicate ||
			p.Errors[0].Params == nil || p.Errors[0].Params.Other != "programIds[0]" {
			t.Errorf("rank a program twice = %d %+v, want 422 naming programIds[1], a duplicate of programIds[0]", p.Status, p.Errors)
		}
		w.must(http.MethodPut, "/applications/me/ranking", a1, map[string]any{"programIds": []string{open1.ID}}, http.StatusOK, nil)
		var ranking struct {
			ProgramIDs []string `json:"programIds"`
		}
		w.must(http.MethodGet, "/applications/me/ranking", a2, nil, http.StatusOK, &ranking)
		if len(ranking.ProgramIDs) != 0 {
			t.Errorf("a2's rank list = %v, want empty (a1's is not theirs)", ranking.ProgramIDs)
		}
		w.must(http.MethodGet, "/applications/me", a1, nil, http.StatusOK, &mine)
		if mine.Items[0].Status != "submitted" {
			t.Errorf("a1's application after a2's attempt = %s, want submitted", mine.Items[0].Status)
		}
	})

	t.Run("hosts see their own programs only", func(t *testing.T) {
		var cands list[struct {
			ApplicantID string  `json:"applicantId"`
			Score       float64 `json:"score"`
			Applied     bool    `json:"applied"`
			Reasons     []any   `json:"reasons"`
			Statement   string  `json:"statement"`
		}]
		w.must(http.MethodGet, "/programs/"+open1.ID+"/candidates", h1, nil, http.StatusOK, &cands)
		ids := map[string]bool{}
		for _, c := range cands.Items {
			ids[c.ApplicantID] = true
			// Issue 19: a host reads the statement of an applicant who
			// applied to the program, and of no one else.
			if c.Score <= 0 || len(c.Reasons) == 0 || (c.Statement != "") != c.Applied {
				t.Errorf("candidate %+v, want a score, reasons and a statement only if they applied", c)
			}
		}
		// a1 and a2 applied (a2 without consenting to be found: applying
		// shows the application to the program's host); a3 did not apply
		// but lets eligible hosts find them (candidates_test.go checks what
		// the host sees of each).
		if !ids["a1"] || !ids["a2"] || !ids["a3"] || cands.Total != 3 {
			t.Errorf("candidates of %s = %v (total %d), want a1, a2 and a3", open1.ID, ids, cands.Total)
		}
		w.must(http.MethodGet, "/programs/"+open1.ID+"/candidates?pageSize=1&page=2", h1, nil, http.StatusOK, &cands)
		if len(cands.Items) != 1 || cands.Total != 3 || cands.Page != 2 {
			t.Errorf("page 2 of size 1 = %d items, total %d, page %d; want 1, 3, 2", len(cands.Items), cands.Total, cands.Page)
		}
		for _, req := range []struct{ method, path string }{
			{http.MethodGet, "/programs/" + open1.ID + "/candidates"},
			{http.MethodPut, "/programs/" + open1.ID + "/ranking"},
			{http.MethodGet, "/programs/" + open1.ID + "/ranking"},
		} {
			var body any
			if req.method == http.MethodPut {
				body = map[string]any{"applicantIds": []string{"a1"}}
			}
			if got := w.do(req.method, req.path, h2, body); got.Status != 404 {
				t.Errorf("another host: %s %s = %d, want 404", req.method, req.path, got.Status)
			}
		}
		w.must(http.MethodGet, "/programs/"+open1.ID+"/candidates", w.coordinator(), nil, http.StatusOK, nil)
		if p := w.do(http.MethodPut, "/programs/"+open1.ID+"/ranking", h1, map[string]any{"applicantIds": []string{"a1", "a3"}}).Problem(t); p.Status != 422 || p.Errors[0].Field != "applicantIds[1]" {
			t.Errorf("host ranks an applicant who did not apply = %d %+v, want 422 naming applicantIds[1]", p.Status, p.Errors)
		}
		w.must(http.MethodPut, "/programs/"+open1.ID+"/ranking", h1, map[string]any{"applicantIds": []string{"a2", "a1"}}, http.StatusOK, nil)
	})

	t.Run("roles", func(t *testing.T) {
		for _, req := range []struct{ method, path string }{
			{http.MethodPost, "/rounds"}, {http.MethodGet, "/rounds"}, {http.MethodGet, "/rounds/x"},
			{http.MethodPost, "/rounds/x/run"}, {http.MethodPost, "/rounds/x/publish"}, {http.MethodGet, "/rounds/x/report"},
			{http.MethodGet, "/matches"}, {http.MethodPost, "/matches/x/approve"}, {http.MethodPost, "/matches/x/reject"},
			{http.MethodGet, "/audit"}, {http.MethodGet, "/programs/" + open1.ID + "/candidates"},
		} {
			if got := w.do(req.method, req.path, a1, map[string]any{}); got.Status != 403 {
				t.Errorf("applicant: %s %s = %d, want 403", req.method, req.path, got.Status)
			}
		}
		for _, req := range []struct{ method, path string }{
			{http.MethodPost, "/applications"}, {http.MethodGet, "/recommendations/me"}, {http.MethodPost, "/matches/x/accept"},
			{http.MethodGet, "/rounds/x/explanations"},
		} {
			if got := w.do(req.method, req.path, h1, map[string]any{}); got.Status != 403 {
				t.Errorf("host: %s %s = %d, want 403", req.method, req.path, got.Status)
			}
		}
		if got := w.do(http.MethodGet, "/applications/me", "", nil); got.Status != 401 {
			t.Errorf("no token: GET /applications/me = %d, want 401", got.Status)
		}
	})

	t.Run("recommendations", func(t *testing.T) {
		var recs list[struct {
			ProgramID string  `json:"programId"`
			Score     float64 `json:"score"`
			Applied   bool    `json:"applied"`
		}]
		w.must(http.MethodGet, "/recommendations/me", a1, nil, http.StatusOK, &recs)
		// open1 only: closed is closed, jpOnly takes no Indian applicants.
		if len(recs.Items) != 1 || recs.Items[0].ProgramID != open1.ID || !recs.Items[0].Applied || recs.Items[0].Score <= 0 {
			t.Errorf("a1's recommendations = %+v, want open1 only, applied, with a score", recs.Items)
		}
	})

	t.Run("withdraw and apply again", func(t *testing.T) {
		w.must(http.MethodDelete, "/applications/"+a1App, a1, nil, http.StatusNoContent, nil)
		if got := w.do(http.MethodDelete, "/applications/"+a1App, a1, nil); got.Status != 409 {
			t.Errorf("second withdrawal = %d, want 409", got.Status)
		}
		var ranking struct {
			ProgramIDs []string `json:"programIds"`
		}
		w.must(http.MethodGet, "/applications/me/ranking", a1, nil, http.StatusOK, &ranking)
		if len(ranking.ProgramIDs) != 0 {
			t.Errorf("rank list after withdrawal = %v, want the program gone", ranking.ProgramIDs)
		}
		var hostRanking struct {
			ApplicantIDs []string `json:"applicantIds"`
		}
		w.must(http.MethodGet, "/programs/"+open1.ID+"/ranking", h1, nil, http.StatusOK, &hostRanking)
		if len(hostRanking.ApplicantIDs) != 1 || hostRanking.ApplicantIDs[0] != "a2" {
			t.Errorf("host ranking after a1 withdrew = %v, want [a2]", hostRanking.ApplicantIDs)
		}
		w.must(http.MethodPost, "/applications", a1, map[string]string{"programId": open1.ID}, http.StatusCreated, nil)
	})
}
