package main

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	apimatching "github.com/talentbridge/platform/shared/api/matching"
	apiplacements "github.com/talentbridge/platform/shared/api/placements"
)

// TestPlacementsJourneyBlackBox is issue 20's acceptance journey, over HTTP
// against the standalone platform: a paid fellowship in Japan, twelve PhD
// holders from India with JLPT N1 who all accept their offers, and then
// what follows the match — placements, checklists, the visa pathway,
// completion, feedback and the public statistics.
func TestPlacementsJourneyBlackBox(t *testing.T) {
	p := startInProcess(t, "TB_ADMIN_EMAIL", matchAdminEmail, "TB_ADMIN_PASSWORD", matchAdminPassword,
		"TB_LOGIN_LIMIT", "1000") // some thirty sign-ins from one address
	f := &matchFlow{t: t, base: p.URL}
	const domain = "placements-journey.example"
	coord := f.coordinator(domain)
	verifiedHost := func(local, name, org string) string {
		id, _ := f.signup(local+"@"+domain, "host", name, org)
		f.must(http.MethodPost, "/auth/users/"+id+"/verify", coord, nil, http.StatusOK, nil)
		return f.login(local+"@"+domain, matchPassword)
	}
	host := verifiedHost("office", "Yuki Tanaka", "Tohoku University")
	otherHost := verifiedHost("intl", "Ren Ito", "Kyushu University")

	// A fellowship in Japan paying a monthly stipend, with twelve seats.
	const seats, stipend = 12, 200_000
	body := matchProgramBody("Disaster informatics fellowship", "Tohoku University", "JP", "Miyagi", seats, []string{"IN"})
	body["kind"] = "fellowship"
	body["stipend"] = map[string]any{"amount": stipend, "currency": "JPY", "period": "month"}
	body["eligibility"] = map[string]any{"applicantKinds": []string{"researcher"}, "homeCountries": []string{"IN"},
		"degreeLevels": []string{"phd"}, "languages": []map[string]string{{"code": "ja", "minLevel": "N2"}}}
	var program struct {
		ID        string `json:"id"`
		StartDate string `json:"startDate"`
		EndDate   string `json:"endDate"`
	}
	f.eventually(http.MethodPost, "/programs", host, body, http.StatusCreated, &program)
	f.must(http.MethodPost, "/programs/"+program.ID+"/publish", host, nil, http.StatusOK, nil)
	startYear, err := strconv.Atoi(program.StartDate[:4])
	if err != nil {
		t.Fatalf("program start date %q: %v", program.StartDate, err)
	}

	// Twelve researchers from India with a PhD and JLPT N1, six from each
	// of two home regions, aged 28 or 33 in the start year (15 or 10 age
	// points on the official table), apply.
	type applicant struct {
		id, token, region string
		agePoints         int
	}
	regions := []string{"Karnataka", "Tamil Nadu"}
	var people []applicant
	for i := range seats {
		a := applicant{region: regions[i%2], agePoints: 15}
		age := 28
		if i%4 >= 2 {
			age, a.agePoints = 33, 10
		}
		name := fmt.Sprintf("Researcher %02d", i+1)
		a.id, a.token = f.signup(fmt.Sprintf("r%02d@people.%s", i+1, domain), "applicant", name, "")
		prof := matchProfileBody(name, "IN")
		prof["kind"], prof["degreeLevel"], prof["birthYear"], prof["region"] = "researcher", "phd", startYear-age, a.region
		prof["institution"] = "Indian Institute of Science"
		prof["languages"] = []map[string]string{{"code": "en", "level": "C1"}, {"code": "ja", "level": "N1"}}
		prof["preferences"] = map[string]any{"programKinds": []string{"fellowship"}, "hostRegions": []string{}}
		f.must(http.MethodPost, "/profiles", a.token, prof, http.StatusCreated, nil)
		f.eventually(http.MethodPost, "/applications", a.token, map[string]string{"programId": program.ID}, http.StatusCreated, nil)
		people = append(people, a)
	}
	// The host ranks all twelve.
	var order []string
	for i := len(people) - 1; i >= 0; i-- {
		order = append(order, people[i].id)
	}
	f.must(http.MethodPut, "/programs/"+program.ID+"/ranking", host, map[string]any{"applicantIds": order}, http.StatusOK, nil)

	// A round runs, every match is approved and published, and all twelve
	// accept.
	var rnd apimatching.Round
	f.must(http.MethodPost, "/rounds", coord, map[string]any{"name": "Fellowship 2027",
		"programIds": []string{program.ID}, "seed": 20}, http.StatusCreated, &rnd)
	f.must(http.MethodPost, "/rounds/"+rnd.ID+"/run", coord, nil, http.StatusAccepted, nil)
	f.waitFor("the round to complete", func() error {
		f.must(http.MethodGet, "/rounds/"+rnd.ID, coord, nil, http.StatusOK, &rnd)
		if rnd.Status != "completed" {
			return fmt.Errorf("round is %s %s", rnd.Status, rnd.LastError)
		}
		return nil
	})
	var matches struct {
		Items []apimatching.Match `json:"items"`
	}
	f.must(http.MethodGet, "/rounds/"+rnd.ID+"/matches", coord, nil, http.StatusOK, &matches)
	if len(matches.Items) != seats {
		t.Fatalf("the round proposed %d matches, want %d: %+v", len(matches.Items), seats, matches.Items)
	}
	for _, m := range matches.Items {
		if m.Status != "proposed" || m.ProgramID != program.ID {
			t.Fatalf("match %+v, want proposed for %s", m, program.ID)
		}
		f.must(http.MethodPost, "/matches/"+m.ID+"/approve", coord, nil, http.StatusOK, nil)
	}
	respondBy := time.Now().Add(48 * time.Hour).UTC().Truncate(time.Second)
	f.must(http.MethodPost, "/rounds/"+rnd.ID+"/publish", coord, map[string]string{"respondBy": respondBy.Format(time.RFC3339)}, http.StatusOK, nil)
	for _, a := range people {
		var mine struct {
			Items []apimatching.Match `json:"items"`
		}
		f.must(http.MethodGet, "/matches/me", a.token, nil, http.StatusOK, &mine)
		if len(mine.Items) != 1 || mine.Items[0].ApplicantID != a.id {
			t.Fatalf("%s's offers = %+v, want one", a.id, mine.Items)
		}
		f.must(http.MethodPost, "/matches/"+mine.Items[0].ID+"/accept", a.token, nil, http.StatusOK, nil)
	}

	// 1. Each gets exactly one IN_JP placement with the program's dates.
	placements := make([]apiplacements.Placement, len(people))
	for i, a := range people {
		f.waitFor("the placement of "+a.id, func() error {
			var mine apiplacements.Placements
			f.must(http.MethodGet, "/placements/me", a.token, nil, http.StatusOK, &mine)
			if len(mine.Items) != 1 {
				return fmt.Errorf("%d placements", len(mine.Items))
			}
			placements[i] = mine.Items[0]
			return nil
		})
		pl := placements[i]
		if pl.ApplicantID != a.id || pl.ProgramID != program.ID || pl.Direction != "IN_JP" ||
			pl.StartDate != program.StartDate || pl.EndDate != program.EndDate || pl.Status != apiplacements.StatusPreparing {
			t.Fatalf("placement of %s = %+v, want IN_JP preparing for %s, %s to %s", a.id, pl, program.ID, program.StartDate, program.EndDate)
		}
	}
	// Once all are there, each still holds exactly one: an accepted offer
	// makes one placement however its event is delivered.
	for i, a := range people {
		var mine apiplacements.Placements
		f.must(http.MethodGet, "/placements/me", a.token, nil, http.StatusOK, &mine)
		if len(mine.Items) != 1 || mine.Items[0].ID != placements[i].ID {
			t.Fatalf("applicant %d holds %+v, want only %s", i+1, mine.Items, placements[i].ID)
		}
	}
	var listed apiplacements.Placements
	f.must(http.MethodGet, "/placements?programId="+program.ID+"&pageSize=100", host, nil, http.StatusOK, &listed)
	if listed.Total != seats || len(listed.Items) != seats {
		t.Errorf("the host lists %d (total %d) placements of the program, want %d", len(listed.Items), listed.Total, seats)
	}
	f.must(http.MethodGet, "/placements?programId="+program.ID, otherHost, nil, http.StatusOK, &listed)
	if len(listed.Items) != 0 {
		t.Errorf("another host lists %d placements of the program, want none", len(listed.Items))
	}

	// 2. Every checklist has tasks for the participant and the host, all
	// due before the program ends, and a host task due before the start.
	firstOwn := make([]apiplacements.Task, len(people))
	for i, pl := range placements {
		var tasks apiplacements.Tasks
		f.must(http.MethodGet, "/placements/"+pl.ID+"/tasks", people[i].token, nil, http.StatusOK, &tasks)
		parties := map[string]int{}
		hostBeforeStart := false
		for _, task := range tasks.Items {
			parties[task.Party]++
			if task.DueDate == "" || task.DueDate >= pl.EndDate {
				t.Errorf("placement %s task %s is due %q, not before the end %s", pl.ID, task.ID, task.DueDate, pl.EndDate)
			}
			if task.Status != apiplacements.TaskOpen || task.Source.Name == "" || task.Source.URL == "" {
				t.Errorf("placement %s task %+v, want open with a source", pl.ID, task)
			}
			if task.Party == "host" && task.DueDate < pl.StartDate {
				hostBeforeStart = true
			}
			if task.Party == "applicant" && firstOwn[i].ID == "" {
				firstOwn[i] = task
			}
		}
		if parties["applicant"] == 0 || parties["host"] == 0 || !hostBeforeStart {
			t.Fatalf("placement %s checklist %+v: want tasks of the applicant and the host, one of the host's due before %s",
				pl.ID, tasks.Items, pl.StartDate)
		}
	}

	// 3. Another applicant cannot complete someone's task, nor read the
	// placement; its owner can.
	pl0, task0 := placements[0], firstOwn[0]
	done := "/placements/" + pl0.ID + "/tasks/" + task0.ID + "/done"
	if r := f.call(http.MethodPost, done, people[1].token, map[string]string{"note": "not mine"}); r.status != http.StatusNotFound {
		t.Fatalf("another applicant completes %s = %d %s, want 404", done, r.status, r.body)
	}
	for _, path := range []string{"/placements/" + pl0.ID, "/placements/" + pl0.ID + "/tasks", "/placements/" + pl0.ID + "/visa"} {
		if r := f.call(http.MethodGet, path, people[1].token, nil); r.status != http.StatusNotFound {
			t.Errorf("another applicant GET %s = %d, want 404", path, r.status)
		}
		if r := f.call(http.MethodGet, path, otherHost, nil); r.status != http.StatusNotFound {
			t.Errorf("another host GET %s = %d, want 404", path, r.status)
		}
	}
	var tasks apiplacements.Tasks
	f.must(http.MethodGet, "/placements/"+pl0.ID+"/tasks", people[0].token, nil, http.StatusOK, &tasks)
	for _, task := range tasks.Items {
		if task.Status != apiplacements.TaskOpen {
			t.Fatalf("after the refused attempt task %s is %s, want open", task.ID, task.Status)
		}
	}
	var doneTask apiplacements.Task
	f.must(http.MethodPost, done, people[0].token, map[string]string{"note": "booked"}, http.StatusOK, &doneTask)
	if doneTask.ID != task0.ID || doneTask.Status != apiplacements.TaskDone || doneTask.Note != "booked" {
		t.Errorf("the owner completes the task: %+v, want %s done with the note", doneTask, task0.ID)
	}

	// 4. The visa pathway: a likely status of residence in Japan and an
	// HSP estimate with a doctorate's 30 points and JLPT N1's 15.
	for i, pl := range placements {
		var v apiplacements.VisaResponse
		f.must(http.MethodGet, "/placements/"+pl.ID+"/visa", people[i].token, nil, http.StatusOK, &v)
		if !strings.HasPrefix(v.Visa.Type, "jp.") || len(v.Visa.Needs) == 0 || len(v.Visa.Reasons) == 0 || v.Visa.RuleSet == "" {
			t.Fatalf("visa of %s = %+v, want a Japanese status with needs, reasons and its rule set", pl.ID, v.Visa)
		}
		h := v.HSP
		if h == nil || !h.Estimate || h.Threshold != 70 || h.RuleSet == "" || h.Source.Name == "" || h.Source.URL == "" {
			t.Fatalf("HSP of %s = %+v, want an estimate against 70 with its rule set and source", pl.ID, h)
		}
		points, sum := map[string]int{}, 0
		for _, it := range h.Items {
			points[it.Item] = it.Points
			sum += it.Points
			if it.Reason == "" {
				t.Errorf("HSP item %s of %s has no reason", it.Item, pl.ID)
			}
		}
		if points[apiplacements.HSPAcademicBackground] != 30 || points[apiplacements.HSPJapaneseLanguage] != 15 ||
			points[apiplacements.HSPAge] != people[i].agePoints {
			t.Errorf("HSP items of %s = %+v, want academic_background 30, japanese_language 15, age %d",
				pl.ID, h.Items, people[i].agePoints)
		}
		if sum != h.Total || h.Reached != (h.Total >= 70) {
			t.Errorf("HSP of %s: total %d, reached %v; the items add up to %d", pl.ID, h.Total, h.Reached, sum)
		}
	}
	// The host of the program reads it too.
	f.must(http.MethodGet, "/placements/"+pl0.ID+"/visa", host, nil, http.StatusOK, nil)

	// 5. The host completes a placement; its participant leaves feedback
	// once. Neither the participant (a role that may not) nor another
	// host (not theirs) completes one.
	pl1 := placements[1]
	if r := f.call(http.MethodPost, "/placements/"+pl1.ID+"/complete", people[1].token, nil); r.status != http.StatusForbidden {
		t.Errorf("the participant completes their placement = %d, want 403", r.status)
	}
	if r := f.call(http.MethodPost, "/placements/"+pl1.ID+"/complete", otherHost, nil); r.status != http.StatusNotFound {
		t.Errorf("another host completes the placement = %d, want 404", r.status)
	}
	if r := f.call(http.MethodPost, "/placements/"+pl1.ID+"/feedback", people[2].token, map[string]any{"rating": 1}); r.status != http.StatusNotFound {
		t.Errorf("another applicant leaves feedback = %d, want 404", r.status)
	}
	var completed apiplacements.Placement
	f.must(http.MethodPost, "/placements/"+pl1.ID+"/complete", host, nil, http.StatusOK, &completed)
	if completed.Status != apiplacements.StatusCompleted {
		t.Fatalf("after completing, the placement is %s", completed.Status)
	}
	feedback := map[string]any{"rating": 5, "comment": "A welcoming lab and a clear plan."}
	f.must(http.MethodPost, "/placements/"+pl1.ID+"/feedback", people[1].token, feedback, http.StatusCreated, nil)
	if r := f.call(http.MethodPost, "/placements/"+pl1.ID+"/feedback", people[1].token, map[string]any{"rating": 2}); r.status != http.StatusConflict {
		t.Errorf("second feedback = %d %s, want 409", r.status, r.body)
	}
	// The host has a say too, once.
	f.must(http.MethodPost, "/placements/"+pl1.ID+"/feedback", host, map[string]any{"rating": 4}, http.StatusCreated, nil)
	if r := f.call(http.MethodPost, "/placements/"+pl1.ID+"/feedback", host, map[string]any{"rating": 3}); r.status != http.StatusConflict {
		t.Errorf("the host's second feedback = %d %s, want 409", r.status, r.body)
	}
	var after apiplacements.Placement
	f.must(http.MethodGet, "/placements/"+pl1.ID, people[1].token, nil, http.StatusOK, &after)
	ratings := map[string]int{}
	for _, fb := range after.Feedback {
		ratings[fb.Party] = fb.Rating
	}
	if after.Status != apiplacements.StatusCompleted || len(after.Feedback) != 2 || ratings["applicant"] != 5 || ratings["host"] != 4 {
		t.Errorf("the completed placement = status %s, feedback %+v; want completed with 5 from the applicant and 4 from the host", after.Status, after.Feedback)
	}
	if r := f.call(http.MethodGet, "/placements/me", host, nil); r.status != http.StatusForbidden {
		t.Errorf("a host GET /placements/me = %d, want 403", r.status)
	}

	// 6. The public statistics, without signing in.
	stats := func(query string) (apiplacements.ExchangeStats, []byte) {
		t.Helper()
		r := f.call(http.MethodGet, "/stats/exchanges?"+query, "", nil)
		if r.status != http.StatusOK {
			t.Fatalf("GET /stats/exchanges?%s = %d %s", query, r.status, r.body)
		}
		var st apiplacements.ExchangeStats
		decode(t, r.body, &st)
		return st, r.body
	}
	st, _ := stats("groupBy=direction")
	if len(st.Groups) != 1 || st.Groups[0].Key != "IN_JP" || st.Groups[0].Counts[apiplacements.StatsOffersAccepted].String() != strconv.Itoa(seats) {
		t.Errorf("by direction: %+v, want IN_JP with %d offers accepted", st.Groups, seats)
	}
	st, raw := stats("groupBy=homeRegion")
	if len(st.Groups) != len(regions) {
		t.Fatalf("by home region: %+v, want %v", st.Groups, regions)
	}
	for i, g := range st.Groups {
		if g.Key != regions[i] {
			t.Errorf("home region group %d is %q, want %q", i, g.Key, regions[i])
		}
		for m, c := range g.Counts {
			if c.Shown() {
				t.Errorf("home region %s shows %s = %d for at most six people", g.Key, m, c.Value())
			}
		}
		if c := g.Counts[apiplacements.StatsOffersAccepted]; c.Marker() != apiplacements.StatsSuppressed {
			t.Errorf("home region %s offersAccepted = %s, want <10", g.Key, c)
		}
	}
	var groupsOnly struct {
		Groups []struct {
			Counts map[string]any `json:"counts"`
		} `json:"groups"`
	}
	decode(t, raw, &groupsOnly)
	for _, g := range groupsOnly.Groups {
		for m, v := range g.Counts {
			if _, isText := v.(string); !isText {
				t.Errorf("by home region the JSON carries %s = %v, a number for a group of six", m, v)
			}
		}
	}

	// 7. The CSV: text/csv, the same cells, none a formula.
	resp, err := http.Get(p.URL + "/api/v1/stats/exchanges.csv?groupBy=homeRegion")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("GET /stats/exchanges.csv = %d %s, want 200 text/csv", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	rows, err := csv.NewReader(resp.Body).ReadAll()
	if err != nil {
		t.Fatalf("the CSV does not parse: %v", err)
	}
	want := [][]string{append([]string{"homeRegion"}, st.Measures...)}
	for _, g := range append(st.Groups, st.Totals) {
		row := []string{g.Key}
		for _, m := range st.Measures {
			row = append(row, g.Counts[m].String())
		}
		want = append(want, row)
	}
	if got, exp := csvText(rows), csvText(want); got != exp {
		t.Errorf("CSV:\n%s\nwant the JSON's cells:\n%s", got, exp)
	}
	for _, row := range rows {
		for _, cell := range row {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				t.Errorf("CSV cell %q starts like a formula", cell)
			}
		}
	}
	for _, row := range rows[1 : 1+len(regions)] {
		if row[1] != apiplacements.StatsSuppressed {
			t.Errorf("CSV row %v shows offersAccepted %q, want <10", row, row[1])
		}
	}
	t.Logf("%d placements of %s (%s to %s); placement 1 has %d tasks; CSV:\n%s", len(placements), program.ID,
		program.StartDate, program.EndDate, len(tasks.Items), csvText(rows))
}

// csvText writes rows one to a line, for comparing and printing.
func csvText(rows [][]string) string {
	var b strings.Builder
	for _, row := range rows {
		fmt.Fprintf(&b, "%q\n", row)
	}
	return b.String()
}
