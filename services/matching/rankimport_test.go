package matching_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/talentbridge/platform/services/matching"

	"github.com/talentbridge/platform/shared/api"
	apimatching "github.com/talentbridge/platform/shared/api/matching"
	"github.com/talentbridge/platform/shared/auth"
	"github.com/talentbridge/platform/shared/events"
	matchingev "github.com/talentbridge/platform/shared/events/matching"
	"github.com/talentbridge/platform/shared/platformtest"
)

// TestImportProgramRanking replaces a program's ranking from a CSV file
// naming applicants by id and by the e-mail of an imported profile; a file
// with bad lines is refused whole with each line's problem; another host's
// program is not found, an applicant may not call it, and JSON is not a
// CSV file.
func TestImportProgramRanking(t *testing.T) {
	t.Parallel()
	w := newWorld(t, fast)
	w.putProgram(programSnap("ri-prog", "ri-host", 2), 1)
	w.putProgram(programSnap("ri-other", "ri-host2", 2), 1)
	imported := profileSnap("ri-2", "IN", true)
	imported.Imported, imported.ImportedEmail = true, "meera@example.org"
	w.putProfile(profileSnap("ri-1", "IN", true), 1)
	w.putProfile(imported, 1)
	w.putProfile(profileSnap("ri-3", "IN", true), 1)
	w.waitVersion("programs", "ri-prog", 1)
	w.waitVersion("programs", "ri-other", 1)
	for _, id := range []string{"ri-1", "ri-2", "ri-3"} {
		w.waitVersion("profiles", id, 1)
	}
	for _, id := range []string{"ri-1", "ri-2"} {
		w.must(http.MethodPost, "/applications", w.token(id, auth.RoleApplicant), map[string]any{"programId": "ri-prog"}, http.StatusCreated, nil)
	}

	host := w.token("ri-host", auth.RoleHost)
	send := func(path, token, ctype, body string) platformtest.Response {
		t.Helper()
		return platformtest.Do(t, w.env.Server.URL, http.MethodPost, "/api/v1"+path, token, body, "Content-Type", ctype)
	}
	r := send("/programs/ri-prog/ranking/import", host, "text/csv", "ri-2\n")
	if r.Status != http.StatusOK {
		t.Fatalf("first import = %d %s, want 200", r.Status, r.Body)
	}

	r = send("/programs/ri-prog/ranking/import", host, "text/csv", "ri-1\nri-3\nnobody@example.org\nMeera@Example.org\nri-1\na,b\n")
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("bad file = %d %s, want 422", r.Status, r.Body)
	}
	var p api.ImportProblem
	r.JSON(t, &p)
	var lines []int
	for _, e := range p.Errors {
		lines = append(lines, e.Line)
		if e.Reason == "" {
			t.Errorf("line %d has no reason", e.Line)
		}
	}
	// The shape of line 6 is wrong, so the file is refused before the
	// applicants are looked up.
	if p.Code != "import_rejected" || !slices.Equal(lines, []int{6}) {
		t.Errorf("bad shape = %s lines %v, want import_rejected on line 6", p.Code, lines)
	}
	r = send("/programs/ri-prog/ranking/import", host, "text/csv", "ri-1\nri-3\nnobody@example.org\nMeera@Example.org\nri-1\n")
	p = api.ImportProblem{}
	r.JSON(t, &p)
	lines = lines[:0]
	for _, e := range p.Errors {
		lines = append(lines, e.Line)
	}
	if r.Status != http.StatusUnprocessableEntity || !slices.Equal(lines, []int{2, 3, 5}) {
		t.Errorf("bad applicants = %d lines %v (%s), want 422 on lines 2 (not applied), 3 (unknown e-mail), 5 (repeat)", r.Status, lines, r.Body)
	}
	var got apimatching.ProgramRanking
	w.must(http.MethodGet, "/programs/ri-prog/ranking", host, nil, http.StatusOK, &got)
	if !slices.Equal(got.ApplicantIDs, []string{"ri-2"}) {
		t.Errorf("after refused files the ranking = %v, want the first import's [ri-2]", got.ApplicantIDs)
	}

	r = send("/programs/ri-prog/ranking/import", host, "text/csv; charset=utf-8", "\uFEFFri-1\nMEERA@example.org\n")
	if r.Status != http.StatusOK {
		t.Fatalf("good file = %d %s, want 200", r.Status, r.Body)
	}
	r.JSON(t, &got)
	if !slices.Equal(got.ApplicantIDs, []string{"ri-1", "ri-2"}) {
		t.Errorf("imported ranking = %v, want [ri-1 ri-2]", got.ApplicantIDs)
	}
	coord := w.coordinator()
	if r := send("/programs/ri-prog/ranking/import", coord, "text/csv", "ri-2\nri-1\n"); r.Status != http.StatusOK {
		t.Errorf("coordinator import = %d %s, want 200", r.Status, r.Body)
	}

	for _, tc := range []struct {
		name, path, token, ctype string
		want                     int
	}{
		{"another host's program", "/programs/ri-other/ranking/import", host, "text/csv", http.StatusNotFound},
		{"a program that does not exist", "/programs/nope/ranking/import", host, "text/csv", http.StatusNotFound},
		{"an applicant", "/programs/ri-prog/ranking/import", w.token("ri-1", auth.RoleApplicant), "text/csv", http.StatusForbidden},
		{"no token", "/programs/ri-prog/ranking/import", "", "text/csv", http.StatusUnauthorized},
		{"a JSON body", "/programs/ri-prog/ranking/import", host, "application/json", http.StatusUnsupportedMediaType},
	} {
		if r := send(tc.path, tc.token, tc.ctype, "ri-1\n"); r.Status != tc.want {
			t.Errorf("%s = %d %s, want %d", tc.name, r.Status, r.Body, tc.want)
		}
	}
}

// TestImportRoundRanks sets a round's rank lists from a CSV file: missing
// applications are recorded on the applicants' behalf and shown to them as
// such, the rank lists replace theirs, a file with bad lines changes
// nothing, and only coordinators may import.
func TestImportRoundRanks(t *testing.T) {
	t.Parallel()
	w := newWorld(t, fast)
	w.putProgram(programSnap("rr-a", "rr-host", 2), 1)
	w.putProgram(programSnap("rr-b", "rr-host", 1), 1)
	w.putProgram(programSnap("rr-out", "rr-host", 1), 1)
	imported := profileSnap("rr-2", "IN", true)
	imported.Imported, imported.ImportedEmail = true, "ravi@example.org"
	w.putProfile(profileSnap("rr-1", "IN", true), 1)
	w.putProfile(imported, 1)
	for _, id := range []string{"rr-a", "rr-b", "rr-out"} {
		w.waitVersion("programs", id, 1)
	}
	w.waitVersion("profiles", "rr-1", 1)
	w.waitVersion("profiles", "rr-2", 1)
	w.must(http.MethodPost, "/applications", w.token("rr-2", auth.RoleApplicant), map[string]any{"programId": "rr-a"}, http.StatusCreated, nil)
	coord := w.coordinator()
	var rd round
	w.must(http.MethodPost, "/rounds", coord, map[string]any{"name": "Import", "programIds": []string{"rr-a", "rr-b"}}, http.StatusCreated, &rd)
	path := "/api/v1/rounds/" + rd.ID + "/ranks/import"
	send := func(token, body string) platformtest.Response {
		t.Helper()
		return platformtest.Do(t, w.env.Server.URL, http.MethodPost, path, token, body, "Content-Type", "text/csv")
	}

	r := send(coord, "rr-1,rr-b,rr-out\nghost@example.org,rr-a\nrr-2,rr-a\nrr-1,rr-a\n")
	var p api.ImportProblem
	r.JSON(t, &p)
	var lines []int
	for _, e := range p.Errors {
		lines = append(lines, e.Line)
	}
	if r.Status != http.StatusUnprocessableEntity || !slices.Equal(lines, []int{1, 2, 4}) {
		t.Errorf("bad file = %d lines %v (%s), want 422 on lines 1 (program outside the round), 2 (unknown e-mail), 4 (repeat)", r.Status, lines, r.Body)
	}
	var apps list[apimatching.Application]
	w.must(http.MethodGet, "/applications/me", w.token("rr-1", auth.RoleApplicant), nil, http.StatusOK, &apps)
	if len(apps.Items) != 0 {
		t.Errorf("after a refused file rr-1 has applications %+v, want none", apps.Items)
	}

	r = send(coord, "rr-1,rr-b,rr-a\nRAVI@example.org,rr-a,rr-b\n")
	if r.Status != http.StatusOK {
		t.Fatalf("good file = %d %s, want 200", r.Status, r.Body)
	}
	var res apimatching.RankImportResult
	r.JSON(t, &res)
	if res.Applicants != 2 || res.Applications != 3 {
		t.Errorf("import = %+v, want 2 applicants and 3 applications recorded (rr-2 had applied to rr-a)", res)
	}
	w.must(http.MethodGet, "/applications/me", w.token("rr-1", auth.RoleApplicant), nil, http.StatusOK, &apps)
	if len(apps.Items) != 2 || !apps.Items[0].RecordedByCoordinator || !apps.Items[1].RecordedByCoordinator {
		t.Errorf("rr-1 applications = %+v, want two recorded by a coordinator", apps.Items)
	}
	var apps2 list[apimatching.Application]
	w.must(http.MethodGet, "/applications/me", w.token("rr-2", auth.RoleApplicant), nil, http.StatusOK, &apps2)
	if len(apps2.Items) != 2 {
		t.Errorf("rr-2 applications = %+v, want two", apps2.Items)
	}
	for _, a := range apps2.Items {
		if a.RecordedByCoordinator != (a.ProgramID == "rr-b") {
			t.Errorf("rr-2 application to %s recorded by coordinator = %v, want only rr-b so", a.ProgramID, a.RecordedByCoordinator)
		}
	}
	var rank struct {
		ProgramIDs []string `json:"programIds"`
	}
	w.must(http.MethodGet, "/applications/me/ranking", w.token("rr-1", auth.RoleApplicant), nil, http.StatusOK, &rank)
	if !slices.Equal(rank.ProgramIDs, []string{"rr-b", "rr-a"}) {
		t.Errorf("rr-1 rank list = %v, want [rr-b rr-a]", rank.ProgramIDs)
	}
	// Each applicant hears of the import once, in one applications.imported
	// listing what it recorded for them; there is no application.submitted
	// for an imported application.
	importedPrograms := func(applicant string, n int) [][]string {
		t.Helper()
		evs := platformtest.WaitEvents(t, w.env.Deps.Bus, "MATCHING", platformtest.EventFilter{Type: events.ApplicationsImported, Subject: applicant}, n)
		var out [][]string
		for _, ev := range evs {
			var p matchingev.ApplicationsImported
			if err := ev.Decode(&p); err != nil {
				t.Fatal(err)
			}
			var ps []string
			for _, a := range p.Applications {
				ps = append(ps, a.ProgramID)
			}
			slices.Sort(ps)
			if p.ApplicantID != applicant || p.RoundID != rd.ID || p.RoundName != "Import" {
				t.Errorf("applications.imported %+v, want applicant %s in round %s", p, applicant, rd.ID)
			}
			out = append(out, ps)
		}
		return out
	}
	if got := importedPrograms("rr-1", 1); len(got) != 1 || !slices.Equal(got[0], []string{"rr-a", "rr-b"}) {
		t.Errorf("rr-1 was told of %v, want one event for rr-a and rr-b", got)
	}
	if got := importedPrograms("rr-2", 1); len(got) != 1 || !slices.Equal(got[0], []string{"rr-b"}) {
		t.Errorf("rr-2 was told of %v, want one event for rr-b (it had applied to rr-a itself)", got)
	}
	if n := len(platformtest.StreamEvents(t, w.env.Deps.Bus, "MATCHING", platformtest.EventFilter{Type: events.ApplicationSubmitted})); n != 1 {
		t.Errorf("MATCHING holds %d application.submitted, want 1 (rr-2's own)", n)
	}

	// With the program_applicants read model lost (as after a crash, or
	// on data stored before it), a file naming pairs that already have
	// live applications records none again and puts the pairs back.
	pa := w.env.Deps.DB(matching.Database).Collection("program_applicants")
	if _, err := pa.DeleteMany(context.Background(), bson.D{}); err != nil {
		t.Fatal(err)
	}
	r = send(coord, "rr-1,rr-a,rr-b\n")
	res = apimatching.RankImportResult{}
	r.JSON(t, &res)
	if r.Status != http.StatusOK || res.Applicants != 1 || res.Applications != 0 {
		t.Errorf("re-import with the read model lost = %d %+v, want 200 with 1 applicant and 0 applications recorded", r.Status, res)
	}
	w.must(http.MethodGet, "/applications/me", w.token("rr-1", auth.RoleApplicant), nil, http.StatusOK, &apps)
	if len(apps.Items) != 2 {
		t.Errorf("after the re-import rr-1 has %d applications, want still 2", len(apps.Items))
	}
	if n, err := pa.CountDocuments(context.Background(), bson.D{{Key: "applicantIds", Value: "rr-1"}}); err != nil || n != 2 {
		t.Errorf("read model lists rr-1 under %d programs (%v), want rr-a and rr-b again", n, err)
	}
	// The import that found them live announces them again (as one sent
	// after a crash between its writes must): consumers key them by id.
	if got := importedPrograms("rr-1", 2); len(got) != 2 || !slices.Equal(got[1], []string{"rr-a", "rr-b"}) {
		t.Errorf("rr-1 was told of %v, want a second event for the live rr-a and rr-b", got)
	}

	for _, tc := range []struct {
		name, token string
		want        int
	}{
		{"a host", w.token("rr-host", auth.RoleHost), http.StatusForbidden},
		{"an applicant", w.token("rr-1", auth.RoleApplicant), http.StatusForbidden},
	} {
		if r := send(tc.token, "rr-1,rr-a\n"); r.Status != tc.want {
			t.Errorf("%s = %d, want %d", tc.name, r.Status, tc.want)
		}
	}
	if r := platformtest.Do(t, w.env.Server.URL, http.MethodPost, "/api/v1/rounds/nope/ranks/import", coord, "rr-1,rr-a\n", "Content-Type", "text/csv"); r.Status != http.StatusNotFound {
		t.Errorf("unknown round = %d, want 404", r.Status)
	}
}

// TestProgramApplicantsReadModel follows the read model a ranking is
// checked against (one document per program, read by _id): an application
// adds its applicant, a withdrawal takes them off before a host may rank
// them, and when the read model lags (its document lost, as after a crash
// between the two writes) an import still answers as the applications
// would and puts the missing applicants back.
func TestProgramApplicantsReadModel(t *testing.T) {
	t.Parallel()
	w := newWorld(t, fast)
	w.putProgram(programSnap("pa-prog", "pa-host", 2), 1)
	for _, id := range []string{"pa-1", "pa-2"} {
		w.putProfile(profileSnap(id, "IN", true), 1)
	}
	w.waitVersion("programs", "pa-prog", 1)
	apps := map[string]string{}
	for _, id := range []string{"pa-1", "pa-2"} {
		w.waitVersion("profiles", id, 1)
		var a struct {
			ID string `json:"id"`
		}
		w.must(http.MethodPost, "/applications", w.token(id, auth.RoleApplicant), map[string]any{"programId": "pa-prog"}, http.StatusCreated, &a)
		apps[id] = a.ID
	}
	coll := w.env.Deps.DB(matching.Database).Collection("program_applicants")
	listed := func() []string {
		t.Helper()
		var d struct {
			IDs []string `bson:"applicantIds"`
		}
		err := coll.FindOne(context.Background(), bson.D{{Key: "_id", Value: "pa-prog"}}).Decode(&d)
		if errors.Is(err, mongo.ErrNoDocuments) {
			return nil
		}
		if err != nil {
			t.Fatal(err)
		}
		return slices.Sorted(slices.Values(d.IDs))
	}
	if got := listed(); !slices.Equal(got, []string{"pa-1", "pa-2"}) {
		t.Fatalf("after two applications the read model lists %v, want [pa-1 pa-2]", got)
	}

	w.must(http.MethodDelete, "/applications/"+apps["pa-2"], w.token("pa-2", auth.RoleApplicant), nil, http.StatusNoContent, nil)
	if got := listed(); !slices.Equal(got, []string{"pa-1"}) {
		t.Fatalf("after pa-2 withdrew the read model lists %v, want [pa-1]", got)
	}
	host := w.token("pa-host", auth.RoleHost)
	send := func(body string) platformtest.Response {
		t.Helper()
		return platformtest.Do(t, w.env.Server.URL, http.MethodPost, "/api/v1/programs/pa-prog/ranking/import", host, body, "Content-Type", "text/csv")
	}
	if r := send("pa-1\npa-2\n"); r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("ranking a withdrawn applicant = %d %s, want 422", r.Status, r.Body)
	}

	if _, err := coll.DeleteOne(context.Background(), bson.D{{Key: "_id", Value: "pa-prog"}}); err != nil {
		t.Fatal(err)
	}
	if r := send("pa-1\n"); r.Status != http.StatusOK {
		t.Fatalf("import with the read model lagging = %d %s, want 200", r.Status, r.Body)
	}
	if got := listed(); !slices.Equal(got, []string{"pa-1"}) {
		t.Errorf("after the lagging import the read model lists %v, want [pa-1] put back", got)
	}
	if r := send("pa-2\n"); r.Status != http.StatusUnprocessableEntity {
		t.Errorf("ranking the withdrawn applicant with the read model lagging = %d %s, want 422", r.Status, r.Body)
	}
}
