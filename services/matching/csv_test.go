package matching_test

import (
	"encoding/csv"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/talentbridge/platform/shared/auth"
)

func readCSV(t *testing.T, body []byte) [][]string {
	t.Helper()
	rows, err := csv.NewReader(strings.NewReader(string(body))).ReadAll()
	if err != nil {
		t.Fatalf("parse CSV: %v\n%s", err, body)
	}
	return rows
}

// The candidates CSV holds the rows of the candidates API, every page,
// with formula-like cells escaped; only the program's host and
// coordinators get it. The round report CSV holds the report's numbers
// with groups of fewer than 10 as "<10"; only coordinators get it.
func TestCSVExports(t *testing.T) {
	t.Parallel()
	w := newWorld(t, fast)
	prog, other := programSnap("csv-"+newID(), "h1", 2), programSnap("csv-other-"+newID(), "h2", 1)
	w.putProgram(prog, 1)
	w.putProgram(other, 1)
	formula := profileSnap("c1", "IN", true)
	formula.Name = `=HYPERLINK("http://evil.example","x")`
	formula.Institution = "@SUM(1+1)"
	w.putProfile(formula, 1)
	w.putProfile(profileSnap("c2", "IN", true), 1)
	w.putProfile(profileSnap("c3", "IN", false), 1) // not shown to hosts
	w.waitVersion("programs", prog.ID, 1)
	w.waitVersion("programs", other.ID, 1)
	for _, id := range []string{"c1", "c2", "c3"} {
		w.waitVersion("profiles", id, 1)
	}
	h1, h2 := w.token("h1", auth.RoleHost), w.token("h2", auth.RoleHost)
	applicant := w.token("c1", auth.RoleApplicant)
	w.must(http.MethodPost, "/applications", applicant, map[string]string{"programId": prog.ID}, http.StatusCreated, nil)

	var api list[struct {
		ApplicantID string `json:"applicantId"`
		Name        string `json:"name"`
		Applied     bool   `json:"applied"`
	}]
	w.must(http.MethodGet, "/programs/"+prog.ID+"/candidates?pageSize=1", h1, nil, http.StatusOK, &api)
	if api.Total < 2 {
		t.Fatalf("candidates total = %d, want at least 2", api.Total)
	}
	r := w.must(http.MethodGet, "/programs/"+prog.ID+"/candidates.csv", h1, nil, http.StatusOK, nil)
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Errorf("Content-Type = %q", ct)
	}
	if cd := r.Header.Get("Content-Disposition"); !strings.Contains(cd, "attachment") {
		t.Errorf("Content-Disposition = %q", cd)
	}
	rows := readCSV(t, r.Body)
	if len(rows) != api.Total+1 || rows[0][0] != "applicantId" || rows[0][1] != "name" {
		t.Fatalf("CSV has %d rows (header %v), want a header and %d candidates", len(rows), rows[0], api.Total)
	}
	var ids []string
	for _, row := range rows[1:] {
		ids = append(ids, row[0])
		if row[0] == "c1" {
			if row[1] != "'"+formula.Name || row[3] != "'@SUM(1+1)" {
				t.Errorf("formula-like cells written as %q, %q; want them quoted", row[1], row[3])
			}
			if row[10] != "true" {
				t.Errorf("c1 applied = %q, want true", row[10])
			}
		}
		// Like the JSON, the file names an applicant who did not apply by
		// initials only (docs/PRIVACY.md).
		if row[0] == "c2" && (row[1] != "" || row[2] == "" || row[10] != "false") {
			t.Errorf("c2 (findable, not applied) row = %v, want no name, initials, applied false", row)
		}
	}
	slices.Sort(ids)
	if !slices.Equal(ids, []string{"c1", "c2"}) {
		t.Errorf("CSV candidates = %v, want c1 and c2 (c3 did not consent)", ids)
	}
	// Another host's program is not found; an applicant's role is refused.
	if got := w.do(http.MethodGet, "/programs/"+prog.ID+"/candidates.csv", h2, nil); got.Status != http.StatusNotFound {
		t.Errorf("another host's candidates.csv = %d, want 404", got.Status)
	}
	if got := w.do(http.MethodGet, "/programs/"+prog.ID+"/candidates.csv", applicant, nil); got.Status != http.StatusForbidden {
		t.Errorf("applicant's candidates.csv = %d, want 403", got.Status)
	}
	if got := w.do(http.MethodGet, "/programs/"+prog.ID+"/candidates.csv", "", nil); got.Status != http.StatusUnauthorized {
		t.Errorf("anonymous candidates.csv = %d, want 401", got.Status)
	}
	w.must(http.MethodGet, "/programs/"+prog.ID+"/candidates.csv", w.coordinator(), nil, http.StatusOK, nil)

	// The round report.
	var rd round
	w.must(http.MethodPost, "/rounds", w.coordinator(), map[string]any{"name": "CSV round", "programIds": []string{prog.ID}}, http.StatusCreated, &rd)
	w.must(http.MethodPut, "/applications/me/ranking", applicant, map[string]any{"programIds": []string{prog.ID}}, http.StatusOK, nil)
	w.runRound(rd.ID)
	var rep struct {
		Totals struct {
			Applicants int `json:"applicants"`
			Seats      int `json:"seats"`
		} `json:"totals"`
	}
	w.must(http.MethodGet, "/rounds/"+rd.ID+"/report", w.coordinator(), nil, http.StatusOK, &rep)
	r = w.must(http.MethodGet, "/rounds/"+rd.ID+"/report.csv", w.coordinator(), nil, http.StatusOK, nil)
	rows = readCSV(t, r.Body)
	if !slices.Equal(rows[0], []string{"section", "id", "group", "measure", "value"}) {
		t.Fatalf("report CSV header = %v", rows[0])
	}
	cell := func(section, group, measure string) (string, bool) {
		for _, row := range rows[1:] {
			if row[0] == section && row[2] == group && row[3] == measure {
				return row[4], true
			}
		}
		return "", false
	}
	if v, _ := cell("totals", "", "applicants"); v != strconv.Itoa(rep.Totals.Applicants) {
		t.Errorf("totals applicants = %q, want %d", v, rep.Totals.Applicants)
	}
	if v, _ := cell("totals", "", "seats"); v != strconv.Itoa(rep.Totals.Seats) {
		t.Errorf("totals seats = %q, want %d", v, rep.Totals.Seats)
	}
	// One applicant from India: a group of one shows only "<10", and the
	// one matched first choice too.
	if v, ok := cell("homeCountry", "IN", "applicants"); !ok || v != "<10" {
		t.Errorf("homeCountry IN = %q (found %v), want <10", v, ok)
	}
	if _, ok := cell("homeCountry", "IN", "matched"); ok {
		t.Errorf("a suppressed group shows its matched count")
	}
	if v, ok := cell("choice", "1", "matched"); !ok || v != "<10" {
		t.Errorf("first choices = %q (found %v), want <10", v, ok)
	}
	for who, tok := range map[string]string{"host": h1, "applicant": applicant} {
		if got := w.do(http.MethodGet, "/rounds/"+rd.ID+"/report.csv", tok, nil); got.Status != http.StatusForbidden {
			t.Errorf("%s's report.csv = %d, want 403", who, got.Status)
		}
	}
	if got := w.do(http.MethodGet, "/rounds/"+newID()+"/report.csv", w.coordinator(), nil); got.Status != http.StatusNotFound {
		t.Errorf("unknown round's report.csv = %d, want 404", got.Status)
	}
}
