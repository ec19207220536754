package ui_test

import (
	"encoding/csv"
	"net/http"
	"slices"
	"strings"
	"testing"

	apiprofiles "github.com/talentbridge/platform/shared/api/profiles"
	apiprograms "github.com/talentbridge/platform/shared/api/programs"
	"github.com/talentbridge/platform/shared/auth"
)

// The import templates name the columns the services read, the code list
// download holds every list with its three labels, and the code page is
// worded in the reader's language; applicants get none of them.
func TestImportTemplatesAndCodes(t *testing.T) {
	g := startGateway(t)
	users := signedIn(t, g)
	host := users[auth.RoleHost]
	read := func(path string) [][]string {
		t.Helper()
		p := host.Get(path)
		if p.Status != http.StatusOK || !strings.HasPrefix(p.Header.Get("Content-Type"), "text/csv") ||
			!strings.Contains(p.Header.Get("Content-Disposition"), "attachment") {
			t.Fatalf("GET %s = %d %s %q", path, p.Status, p.Header.Get("Content-Type"), p.Header.Get("Content-Disposition"))
		}
		rows, err := csv.NewReader(strings.NewReader(p.Body)).ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		return rows
	}
	for path, cols := range map[string][]string{"/import/templates/programs.csv": apiprograms.ImportColumns,
		"/import/templates/profiles.csv": apiprofiles.ImportColumns} {
		rows := read(path)
		if len(rows) != 2 || !slices.Equal(rows[0], cols) {
			t.Errorf("%s header = %v, want %v and one example row", path, rows[0], cols)
		}
	}
	if rows := read("/import/templates/round-ranks.csv"); len(rows) != 1 || len(rows[0]) < 2 {
		t.Errorf("round ranks template = %v", rows)
	}
	if p := host.Get("/import/templates/passwords.csv"); p.Status != http.StatusNotFound {
		t.Errorf("unknown template = %d, want 404", p.Status)
	}
	codes := read("/import/codes.csv")
	found := map[string]bool{}
	for _, r := range codes[1:] {
		found[r[0]+":"+r[1]] = r[2] != "" && r[3] != "" && r[4] != ""
	}
	for _, want := range []string{"fields:1.2", "program_kinds:joint_research", "countries:JP", "categories:women", "jlpt:N3", "cefr:B2", "degree_levels:phd"} {
		if !found[want] {
			t.Errorf("code list CSV lacks %s with its three labels", want)
		}
	}
	host.Lang = "ja"
	if p := host.Get("/import/codes"); p.Status != http.StatusOK || !strings.Contains(p.Body, "学問分野") || !strings.Contains(p.Body, "joint_research") {
		t.Errorf("Japanese code page = %d", p.Status)
	}
	for _, path := range []string{"/import/codes", "/import/codes.csv", "/import/templates/programs.csv"} {
		if p := users[auth.RoleApplicant].Get(path); p.Status != http.StatusForbidden {
			t.Errorf("applicant GET %s = %d, want 403", path, p.Status)
		}
	}
	if p := host.Get("/host/programs/import"); !strings.Contains(p.Body, `href="/import/templates/programs.csv"`) {
		t.Errorf("the program import page does not link its template")
	}
}
