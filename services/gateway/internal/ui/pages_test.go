package ui

import (
	"bytes"
	"log/slog"
	"net/url"
	"strings"
	"testing"
	"time"

	apidocs "github.com/talentbridge/platform/shared/api/documents"
	apiidentity "github.com/talentbridge/platform/shared/api/identity"
	apiprograms "github.com/talentbridge/platform/shared/api/programs"

	apimatching "github.com/talentbridge/platform/shared/api/matching"
	apiplacements "github.com/talentbridge/platform/shared/api/placements"

	"golang.org/x/net/html"

	apiprofiles "github.com/talentbridge/platform/shared/api/profiles"
	"github.com/talentbridge/platform/shared/eligibility"
	profilesev "github.com/talentbridge/platform/shared/events/profiles"
	programsev "github.com/talentbridge/platform/shared/events/programs"
	"github.com/talentbridge/platform/shared/explain"
	"github.com/talentbridge/platform/shared/platformtest"
	"github.com/talentbridge/platform/shared/taxonomy"
	"github.com/talentbridge/platform/shared/web"
)

// These tests render every page template in every language with realistic
// data and read the result as a browser would: no message may be missing,
// and the Japanese and Hindi pages may hold no English outside what is
// marked as content (translate="no": names, titles, e-mail addresses) and
// a few names that stay as they are.

func testUI(t *testing.T) *UI {
	t.Helper()
	u, err := New(Options{Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

var (
	sampleProgram = programsev.Program{
		ID: "p-1", HostID: "h-1", Title: "AI for disaster resilience — summer research",
		Description: "Remote sensing and machine learning for flood forecasting.",
		Kind:        "joint_research", HostOrg: "Hokuriku Advanced Science University", HostCountry: "JP", Region: "Ishikawa",
		Fields: []string{"1.2", "2.2"}, Skills: []string{"python", "remote sensing"}, Seats: 2,
		StartDate: "2027-06-01", EndDate: "2027-08-31", ApplicationDeadline: "2027-03-31",
		Stipend: &programsev.Stipend{Amount: 150000, Currency: "JPY", Period: "month"},
		Eligibility: eligibility.Rules{
			ApplicantKinds: []string{"student", "researcher"}, DegreeLevels: []string{"master", "phd"},
			Languages: []taxonomy.LanguageRequirement{{Code: "en", MinLevel: "B2"}, {Code: "ja", MinLevel: "N3"}},
			MinAge:    18, MaxAge: 35,
		},
		Status: "published",
	}
	sampleProfile = profilesev.Profile{
		ID: "a-1", Kind: "student", Name: "Asha Rao", HomeCountry: "IN", Institution: "Kaveri Institute of Technology",
		Region: "Tamil Nadu", Fields: []string{"1.2"}, Skills: []string{"machine learning", "nlp"},
		Languages:   []taxonomy.Language{{Code: "en", Level: "C1"}, {Code: "ja", Level: "N4"}},
		DegreeLevel: "master", BirthYear: 2001, AvailableFrom: "2027-04-01", AvailableTo: "2028-03-31",
		Preferences: profilesev.Preferences{ProgramKinds: []string{"exchange", "joint_research"}, HostRegions: []string{"Tokyo"}},
		Statement:   "I build language tools for disaster alerts.", Gender: "female",
		Consents: profilesev.Consents{NoticeVersion: "2026-11", DataProcessing: true, VisibleToHosts: true,
			Recorded: profilesev.ConsentRecords{DataProcessing: profilesev.ConsentRecord{At: time.Date(2026, 11, 3, 9, 0, 0, 0, time.UTC)}}},
	}
)

// allReasons are reasons of every code the matching service and the
// eligibility rules give, with the params they carry.
func allReasons() []explain.Reason {
	a := eligibility.Applicant{Kind: "company", HomeCountry: "JP", DegreeLevel: "bachelor", BirthYear: 1980,
		Languages: []taxonomy.Language{{Code: "en", Level: "B1"}}, AvailableFrom: "2028-01-01", AvailableTo: "2028-02-01"}
	p := eligibility.Program{HostCountry: "JP", StartDate: "2027-06-01", EndDate: "2027-08-31", ApplicationDeadline: "2027-03-31",
		Eligibility: sampleProgram.Eligibility}
	res := eligibility.Check(a, p, time.Date(2027, 5, 1, 0, 0, 0, 0, time.UTC))
	b := eligibility.Applicant{Kind: "student", HomeCountry: "IN", DegreeLevel: "master", BirthYear: 2001,
		Languages: []taxonomy.Language{{Code: "en", Level: "C1"}, {Code: "ja", Level: "N2"}}}
	ok := eligibility.Check(b, p, time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC))
	out := append(res.Reasons, ok.Met...)
	return append(out,
		explain.New("score.field.same", "", "field", "1.2", "programField", "1.2"),
		explain.New("score.field.related", "", "field", "1.2", "programField", "1.1", "major", "1"),
		explain.New("score.field.different", "", "fields", "1.2,1.3", "programFields", "5.2"),
		explain.New("score.field.unknown", ""),
		explain.New("score.skills", "", "matched", "2", "of", "5", "skills", "nlp,robotics"),
		explain.New("score.skills", "", "matched", "0", "of", "5", "skills", ""),
		explain.New("score.skills.none", ""),
		explain.New("score.text", "", "shared", "4", "terms", "flood,sensing"),
		explain.New("score.text.none", ""),
		explain.New("score.language.margin", "", "language", "ja", "level", "N2", "min", "N3", "margin", "1"),
		explain.New("score.language.margin", "", "language", "en", "level", "B2", "min", "B2", "margin", "0"),
		explain.New("score.language.host", "", "language", "ja", "level", "N4", "hostCountry", "JP"),
		explain.New("score.language.host_missing", "", "language", "en", "hostCountry", "IN"),
		explain.New("score.dates", "", "days", "61", "of", "92", "percent", "66"),
		explain.New("score.dates.open", ""),
		explain.New("score.preference.kind.match", "", "kind", "exchange"),
		explain.New("score.preference.kind.miss", "", "kind", "internship", "preferred", "exchange,joint_research"),
		explain.New("score.preference.region.match", "", "region", "Tokyo"),
		explain.New("score.preference.region.miss", "", "region", "Ishikawa", "preferred", "Tokyo,Kyoto"),
		explain.New("match.choice", "", "choice", "2"),
		explain.New("match.rank", "", "programId", "p-1", "rank", "1", "of", "4", "by", "host"),
		explain.New("match.rank", "", "programId", "p-9", "rank", "3", "of", "4", "by", "score"),
		explain.New("round.filled", "", "programId", "p-1", "capacity", "2", "yourRank", "3", "lastAdmittedRank", "2", "tied", "true"),
		explain.New("round.no_seats", "", "programId", "p-1", "capacity", "0", "yourRank", "0", "lastAdmittedRank", "0"),
		explain.New("round.not_on_list", "", "programId", "p-1", "capacity", "2", "yourRank", "0", "lastAdmittedRank", "0"),
		explain.New("round.not_eligible", "", "programId", "p-1", "rules", "eligibility.kind.unmet"),
		explain.New("round.rejected", "", "programId", "p-1"),
		explain.New("round.declined", "", "programId", "p-1"),
		explain.New("round.blocking", "", "programId", "p-1", "capacity", "2", "yourRank", "1", "lastAdmittedRank", "1"),
		explain.New("round.region_cap", "", "programId", "p-1", "regionId", "tohoku", "regionName", "Tohoku", "cap", "40"),
		explain.New("round.reserved", "", "programId", "p-1", "category", "women", "seats", "2"),
	)
}

// fixture is one page to render.
type fixture struct {
	name  string
	tmpl  string
	role  string
	title string
	data  any
	form  url.Values
	errs  bool
}

func fixtures() []fixture {
	prog := sampleProgram
	prof := sampleProfile
	reasons := allReasons()
	check := eligibility.Check(applicantOf(prof), programOf(prog), time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC))
	created := time.Date(2027, 1, 5, 10, 0, 0, 0, time.UTC)
	scored := Recommendation{Recommendation: apimatching.Recommendation{ProgramID: "p-1", Score: 0.82, Reasons: reasons}, Program: &prog}
	match := Match{Match: apimatching.Match{ID: "m-1", RoundID: "r-1", ApplicantID: "a-1", ProgramID: "p-1", Status: "proposed", Choice: 1, Score: 0.8,
		Reasons: reasons}, Program: &prog}
	offer := match
	offer.Status = "published"
	round := Round{Round: apimatching.Round{ID: "r-1", Name: "Spring 2027", ProgramIDs: []string{"p-1"}, Seed: 42, Status: "completed", Progress: 100,
		Phase: "done", CreatedAt: created}, Counts: map[string]int{"applicants": 12, "programs": 1, "seats": 5, "matches": 4, "proposed": 4, "approved": 0,
		"rejected": 0, "published": 0, "accepted": 0, "declined": 0, "undecided": 4, "unmatched": 8, "mystery": 1}}
	running := round
	running.Status, running.Progress, running.Phase = "running", 40, "solving"
	var rep apimatching.Report
	rep.Totals.Applicants, rep.Totals.Matched, rep.Totals.Unmatched, rep.Totals.MatchRate, rep.Totals.Seats = 12, 4, 8, 0.33, 5
	rep.Programs = append(rep.Programs, apimatching.ProgramResult{ProgramID: "p-1", Title: prog.Title, Seats: 5, Matched: 4, Filled: 2})
	rep.ByHomeCountry = []apimatching.GroupRate{{Value: "IN", Applicants: 8, Matched: 3, Rate: 0.375}, {Value: "JP", Applicants: 4, Matched: 1, Rate: 0.25}}
	rep.ByKind = []apimatching.GroupRate{{Value: "student", Applicants: 12, Matched: 4, Rate: 0.33}}
	rep.ByDegreeLevel = []apimatching.GroupRate{{Value: "master", Applicants: 12, Matched: 4, Rate: 0.33}}
	rep.ByGender = []apimatching.GroupRate{{Value: "female", Applicants: 6, Matched: 2, Rate: 0.33}, {Value: "not_stated", Applicants: 6, Matched: 2, Rate: 0.33}, {Value: "non_binary", Suppressed: true, Display: "<10"}}
	rep.Choices = append(rep.Choices, apimatching.ChoiceCount{Choice: 1, Count: 3}, apimatching.ChoiceCount{Choice: 2, Count: 1})
	for _, code := range []string{"filled", "no_seats", "not_eligible", "not_ranked", "rejected", "declined", "other"} {
		rep.Unmatched = append(rep.Unmatched, apimatching.ReasonCount{Code: code, Count: 1})
	}
	note := NoteView{Notification: apiidentity.Notification{ID: "n-1", Code: "offer.received", Params: map[string]string{"program": prog.Title}, CreatedAt: created}, Href: "/offers"}
	host := apiidentity.UserResponse{ID: "h-2", Email: "ops@setouchi-robotics.example", Name: "Kenji Mori", Organization: "Setouchi Robotics", Role: "host", Status: "pending", CreatedAt: created}
	declinedHost := apiidentity.UserResponse{ID: "h-3", Email: "info@example.org", Name: "Ravi Iyer", Organization: "Iyer Trading", Role: "host", Status: "declined",
		CreatedAt: created, DeclinedAt: &created, DeclineReason: "We could not confirm the registration number."}
	wizard := func(section string, shown []string) WizardData {
		return WizardData{Section: section, Shown: shown, Name: "Asha Rao", Exists: section != "", LanguageRows: seqN(LanguageRows),
			Notice: apiprofiles.ConsentNotice{Version: "2026-11", PublishedAt: "2026-11-01", Language: "en", Text: "TalentBridge privacy and consent notice"}}
	}
	full := valuesOf(bodyOf(prof))
	slot := apimatching.Slot{ID: "s-1", Start: created.Add(72 * time.Hour), End: created.Add(73 * time.Hour), Mode: "online"}
	reviewed := apimatching.Review{ID: "x-1", ApplicantID: "a-1", Name: "Asha Rao", HomeCountry: "IN", Institution: "Kaveri Institute of Technology",
		Statement: "I build tools for disaster response.", DocumentIDs: []string{"d-1"}, Stage: "interview_scheduled", SubmittedAt: created,
		History: []apimatching.StageChange{{Stage: "reviewing", At: created}, {Stage: "shortlisted", At: created, Note: "strong"},
			{Stage: "not_shortlisted", At: created, ReasonCode: "seats_filled"}},
		Interview: &apimatching.Booking{SlotID: "s-1", Start: slot.Start, End: slot.End, Mode: "onsite", Location: "Aoba campus"}}
	thread := []apimatching.Message{{ID: "m-1", AuthorID: "h-1", AuthorRole: "host", Body: "Please attach your transcript.", SentAt: created},
		{ID: "m-2", AuthorID: "a-1", AuthorRole: "applicant", Erased: true, SentAt: created}}
	fs := []fixture{
		{name: "home", tmpl: "home", title: "home.title", data: HomeData{Open: []programsev.Program{prog}, Total: 1}},
		{name: "home-empty", tmpl: "home", role: "applicant", title: "home.title", data: HomeData{}},
		{name: "signup", tmpl: "signup", title: "signup.title", form: url.Values{"role": {"applicant"}}},
		{name: "signup-errors", tmpl: "signup", title: "signup.title", form: url.Values{"role": {"host"}}, errs: true},
		{name: "login", tmpl: "login", title: "login.title", data: LoginData{Next: "/profile"}},
		{name: "error-404", tmpl: "error", title: "error.title.404", data: ErrorData{Status: 404, Key: "error.404"}},
		{name: "error-403", tmpl: "error", title: "error.title.403", data: ErrorData{Status: 403, Key: "error.csrf", Next: "/x"}},
		{name: "search", tmpl: "search", title: "search.title", form: url.Values{"q": {"robotics"}, "kind": {"exchange"}, "open": {"true"}},
			data: SearchData{Results: ProgramPage{Items: []programsev.Program{prog}, Page: 2, PageSize: 10, Total: 31}, Prev: "/programs?page=1", Next: "/programs?page=3", Pages: 4}},
		{name: "search-none", tmpl: "search", title: "search.title", data: SearchData{}},
		{name: "search-eligible", tmpl: "search", role: "applicant", title: "search.title",
			form: url.Values{"eligible": {"true"}, "sort": {"newest"}},
			data: SearchData{Results: ProgramPage{Items: []programsev.Program{prog}, Page: 1, PageSize: 10, Total: 1}, Pages: 1}},
		{name: "search-eligible-no-profile", tmpl: "search", role: "applicant", title: "search.title",
			form: url.Values{"eligible": {"true"}}, data: SearchData{NoProfile: true}},
		{name: "search-applicant", tmpl: "search", role: "applicant", title: "search.title", form: url.Values{"q": {"robotics"}, "hostCountry": {"JP"}},
			data: SearchData{Results: ProgramPage{Items: []programsev.Program{prog}, Page: 1, PageSize: 10, Total: 1}, Pages: 1}},
		{name: "program-eligible", tmpl: "program", role: "applicant", title: "program.title",
			data: ProgramData{Program: prog, Check: &check}},
		{name: "program-apply-docs", tmpl: "program", role: "applicant", title: "program.title",
			data: ProgramData{Program: prog, Check: &eligibility.Result{Eligible: true}, Documents: []apidocs.Document{{ID: "d-1", Kind: "cv", Title: "CV 2026"}}}},
		{name: "program-not-eligible", tmpl: "program", role: "applicant", title: "program.title",
			data: ProgramData{Program: prog, Check: &eligibility.Result{Reasons: reasons[:5]}}},
		{name: "program-no-profile", tmpl: "program", role: "applicant", title: "program.title", data: ProgramData{Program: prog, NoProfile: true}},
		{name: "program-owner", tmpl: "program", role: "host", title: "program.title", data: ProgramData{Program: prog, Owner: true}},
		{name: "profile", tmpl: "profile", role: "applicant", title: "profile.title", data: ProfileData{Profile: prof, Sections: Sections}},
		{name: "profile-notice-changed", tmpl: "profile", role: "applicant", title: "profile.title", data: ProfileData{Profile: prof, Sections: Sections, NoticeChanged: true, Notice: apiprofiles.ConsentNotice{Version: "2026-12", Language: "en"}}},
		{name: "recommendations", tmpl: "recommendations", role: "applicant", title: "recs.title",
			data: RecommendationsData{Items: []Recommendation{scored}, Applied: map[string]bool{}}},
		{name: "recommendations-docs", tmpl: "recommendations", role: "applicant", title: "recs.title",
			data: RecommendationsData{Items: []Recommendation{scored}, Applied: map[string]bool{},
				Documents: []apidocs.Document{{ID: "d-1", Kind: "cv", Title: "CV 2026"}, {ID: "d-2", Kind: "transcript", Title: "Transcript 2026"}}}},
		{name: "recommendations-none", tmpl: "recommendations", role: "applicant", title: "recs.title", data: RecommendationsData{NoProfile: true}},
		{name: "recommendations-no-profile", tmpl: "recommendations", role: "applicant", title: "recs.title",
			data: RecommendationsData{NoProfile: true, Open: []programsev.Program{prog}, OpenTotal: 30}},
		{name: "recommendations-no-fit", tmpl: "recommendations", role: "applicant", title: "recs.title",
			data: RecommendationsData{Open: []programsev.Program{prog}, OpenTotal: 30}},
		{name: "applications", tmpl: "applications", role: "applicant", title: "apps.title",
			data: ApplicationsData{Ranked: []Application{
				{Application: apimatching.Application{ID: "x-1", ProgramID: "p-1", Status: "submitted", SubmittedAt: created}, Program: &prog},
				{Application: apimatching.Application{ID: "x-2", ProgramID: "p-2", Status: "submitted"}}},
				Withdrawn: []Application{{Application: apimatching.Application{ID: "x-3", ProgramID: "p-3", Status: "withdrawn"}, Program: &prog}},
				Demand:    []apimatching.Demand{{ProgramID: "p-1", Seats: 2, Ranked: 11, RankedFirst: 4}}, Programs: map[string]*programsev.Program{"p-1": &prog}}},
		{name: "offers", tmpl: "offers", role: "applicant", title: "offers.title", data: OffersData{Offers: []Match{offer}}},
		{name: "offers-none", tmpl: "offers", role: "applicant", title: "offers.title", data: OffersData{}},
		{name: "offers-unmatched", tmpl: "offers", role: "applicant", title: "offers.title", data: OffersData{Published: 1,
			Unmatched: []apimatching.RoundOutcome{{RoundID: "r-1", Name: "Spring 2027", PublishedAt: created, Choices: []string{"p-1"}, Reasons: reasons[:2]}}}},
		{name: "applications-outcomes", tmpl: "applications", role: "applicant", title: "apps.title",
			data: ApplicationsData{Ranked: []Application{
				{Application: apimatching.Application{ID: "x-1", ProgramID: "p-1", Status: "submitted", SubmittedAt: created, Stage: "shortlisted"}, Program: &prog},
				{Application: apimatching.Application{ID: "x-2", ProgramID: "p-2", Status: "submitted", Stage: "submitted"}}},
				Outcomes: map[string]*ProgramOutcome{"p-1": {Round: "Spring 2027"}, "p-2": {Round: "Spring 2027", Offered: true}}}},
		{name: "offers-deadlines", tmpl: "offers", role: "applicant", title: "offers.title", data: deadlineOffers(offer)},
		{name: "notifications", tmpl: "notifications", role: "applicant", title: "notes.title", data: NotificationsData{Items: []NoteView{note}, Unread: 1}},
		{name: "account", tmpl: "account", role: "host", title: "account.title"},
		{name: "settings", tmpl: "settings", role: "applicant", title: "settings.title",
			data: settingsData(apiidentity.NotificationSettings{Language: "ja", Email: map[string]bool{"offers": true, "results": true}, EmailEnabled: true})},
		{name: "settings-no-mail", tmpl: "settings", role: "host", title: "settings.title", data: settingsData(apiidentity.NotificationSettings{Language: "en"}), errs: true},
		{name: "host-programs", tmpl: "host_programs", role: "host", title: "host.title",
			data: HostProgramsData{Programs: []programsev.Program{prog, func() programsev.Program { d := prog; d.Status = "draft"; return d }()}}},
		{name: "program-new", tmpl: "program_form", role: "host", title: "pform.new", data: ProgramFormData{Rows: seqN(EligibilityRows)}, errs: true},
		{name: "program-edit", tmpl: "program_form", role: "host", title: "pform.edit", form: programValues(prog),
			data: ProgramFormData{ID: "p-1", Status: "published", Locked: true, Rows: seqN(EligibilityRows)}},
		{name: "import", tmpl: "program_import", role: "host", title: "import.title", data: ImportData{Kind: programImport, Done: true, Imported: 3}},
		{name: "import-refused", tmpl: "program_import", role: "host", title: "import.title",
			data: ImportData{Kind: programImport, Rows: []web.FieldError{{Line: 3, Field: "seats", Reason: "must be at least 1"}}}},
		{name: "profile-import", tmpl: "program_import", role: "coordinator", title: "pimport.title", data: ImportData{Kind: profileImport, Done: true, Imported: 40}},
		{name: "profile-import-refused", tmpl: "program_import", role: "coordinator", title: "pimport.title",
			data: ImportData{Kind: profileImport, Rows: []web.FieldError{{Line: 7, Field: "homeCountry", Reason: "must be IN or JP"}}}},
		{name: "rank-import", tmpl: "rank_import", role: "host", title: "rimport.program.title",
			data: RankImportData{Key: "rimport.program", Action: "/host/programs/p-1/ranking/import", Done: true, Count: 4}},
		{name: "rank-import-refused", tmpl: "rank_import", role: "host", title: "rimport.program.title",
			data: RankImportData{Key: "rimport.program", Action: "/host/programs/p-1/ranking/import",
				Rows: []web.FieldError{{Line: 2, Field: "applicant", Reason: "is not an applicant with a live application to this program"}}}},
		{name: "round-rank-import", tmpl: "rank_import", role: "coordinator", title: "rimport.round.title",
			data: RankImportData{Key: "rimport.round", Action: "/coord/rounds/r-1/ranks/import", Done: true, Count: 40, Recorded: 120}},
		{name: "candidates", tmpl: "candidates", role: "host", title: "cands.title",
			data: CandidatesData{Program: prog, CanRank: true, Candidates: []CandidateView{
				{Candidate: apimatching.Candidate{ApplicantID: "a-1", Name: "Asha Rao", Institution: "Kaveri Institute of Technology", HomeCountry: "IN",
					Kind: "student", DegreeLevel: "master", Fields: []string{"1.2"}, Score: 0.7, Reasons: reasons, Applied: true}, Ranked: 1},
				{Candidate: apimatching.Candidate{ApplicantID: "a-2", Kind: "researcher", DegreeLevel: "phd", HomeCountry: "IN", Score: 0.5, Reasons: reasons[:2]}}}}},
		{name: "hosts", tmpl: "coord_hosts", role: "coordinator", title: "hosts.title", data: HostsData{Hosts: []apiidentity.UserResponse{host}}},
		{name: "import-codes", tmpl: "import_codes", role: "host", title: "codes.title", data: ImportCodesData{Lists: codeLists()}},
		{name: "hosts-declined", tmpl: "coord_hosts", role: "coordinator", title: "hosts.title", data: HostsData{Declined: []apiidentity.UserResponse{declinedHost}}},
		{name: "rounds", tmpl: "rounds", role: "coordinator", title: "rounds.title", data: RoundsData{Rounds: []Round{round}}},
		{name: "round-new", tmpl: "round_new", role: "coordinator", title: "rnew.title", data: RoundFormData{Programs: []programsev.Program{prog}}, errs: true},
		{name: "round", tmpl: "round", role: "coordinator", title: "round.title",
			data: RoundData{Round: round, Programs: map[string]*programsev.Program{"p-1": &prog}, Matches: []MatchView{{Match: match, Applicant: &prof}},
				Unmatched: []ExplanationView{{Explanation: apimatching.Explanation{ApplicantID: "a-2", Outcome: "filled", Reasons: reasons[len(reasons)-7:]}}}}},
		{name: "round-published", tmpl: "round", role: "coordinator", title: "round.title", data: publishedRound(round, &prog)},
		{name: "round-large", tmpl: "round", role: "coordinator", title: "round.title", data: largeRound(round, match, &prof)},
		{name: "round-running", tmpl: "round", role: "coordinator", title: "round.title", data: RoundData{Round: running, Running: true}},
		{name: "review", tmpl: "review", role: "coordinator", title: "review.title", data: ReviewData{Matches: []MatchView{{Match: match, Applicant: &prof}}}},
		{name: "audit", tmpl: "audit", role: "coordinator", title: "audit.title",
			data: AuditData{Actions: AuditActions, EntityTypes: AuditEntityTypes, Total: 4,
				Actors: []apiidentity.UserResponse{{ID: "c-1", Name: "Mei Tanaka", Email: "mei@talentbridge.example", Role: "coordinator"}},
				Rows: []AuditRow{
					{AuditEntry: apimatching.AuditEntry{At: created, ActorID: "c-1", ActorRole: "coordinator", Action: "match.rejected", EntityType: "match", EntityID: "m-1", RoundID: "r-1", Note: "seat already promised"},
						Actor: &apiidentity.UserResponse{ID: "c-1", Name: "Mei Tanaka", Email: "mei@talentbridge.example"}, Round: "Spring 2027"},
					{AuditEntry: apimatching.AuditEntry{At: created, ActorID: "c-1", ActorRole: "admin", Action: "round.run.started", EntityType: "round", EntityID: "r-1"}, Entity: "Spring 2027"},
					{AuditEntry: apimatching.AuditEntry{At: created, ActorID: "h-1", ActorRole: "host", Action: "program.ranking.set", EntityType: "program", EntityID: "p-1"}, Entity: "Flood sensing lab"},
					{AuditEntry: apimatching.AuditEntry{At: created, ActorID: "a-1", ActorRole: "applicant", Action: "offer.accepted", EntityType: "match", EntityID: "m-1"}}}}},
		{name: "host-applications", tmpl: "host_applications", role: "host", title: "apprev.title",
			data: HostApplicationsData{Program: prog, PassReasons: PassReasons, Stages: bulkStages, Applications: []apimatching.Review{reviewed, {ID: "x-2", ApplicantID: "a-2", Stage: "submitted", SubmittedAt: created}}}},
		{name: "host-slots", tmpl: "host_slots", role: "host", title: "slots.title",
			data: SlotsData{Program: prog, Slots: []apimatching.Slot{slot, {ID: "s-2", Start: created.Add(48 * time.Hour), End: created.Add(49 * time.Hour), Mode: "onsite", Location: "Aoba campus"}}}},
		{name: "application-applicant", tmpl: "application", role: "applicant", title: "appview.title",
			data: ApplicationPageData{ID: "x-1", ProgramID: "p-1", Program: &prog, Messages: thread,
				Own:   &apimatching.Application{ID: "x-1", ProgramID: "p-1", Stage: "shortlisted", History: reviewed.History[:2], DocumentIDs: []string{"d-1"}},
				Slots: []apimatching.Slot{slot}, Attached: map[string]bool{"d-1": true},
				Documents: []apidocs.Document{{ID: "d-1", Kind: "transcript", Title: "Transcript 2026"}, {ID: "d-2", Kind: "cv", Title: "CV"}}}},
		{name: "messages", tmpl: "messages", role: "applicant", title: "messages.title", data: MessagesData{
			Threads: []ThreadSummary{{ApplicationID: "x-1", Title: "Flood sensing lab", Messages: thread}, {ApplicationID: "x-2", Title: "Robotics"}},
			Bulk:    []apimatching.Message{{ID: "m-9", AuthorRole: "host", Subject: "Interview week", Body: "Slots are open.", SentAt: created}}}},
		{name: "messages-empty", tmpl: "messages", role: "applicant", title: "messages.title", data: MessagesData{}},
		{name: "application-booked", tmpl: "application", role: "applicant", title: "appview.title",
			data: ApplicationPageData{ID: "x-1", ProgramID: "p-1", Program: &prog,
				Own: &apimatching.Application{ID: "x-1", ProgramID: "p-1", Stage: "interview_scheduled", Interview: reviewed.Interview}}},
		{name: "application-host", tmpl: "application", role: "host", title: "appview.title",
			data: ApplicationPageData{ID: "x-1", ProgramID: "p-1", Program: &prog, Messages: thread, Review: &reviewed, Reasons: PassReasons}},
		{name: "documents", tmpl: "documents", role: "applicant", title: "documents.title", data: DocumentsData{Limit: 50, Kinds: apidocs.Kinds,
			Items: []apidocs.Document{{ID: "d-1", Kind: "transcript", Title: "Transcript 2026", ContentType: "application/pdf", Size: 20480,
				SHA256: strings.Repeat("ab", 32), UploadedAt: created}, {ID: "d-2", Kind: "reference", Title: "Letter", ContentType: "image/png",
				Size: 999, SHA256: strings.Repeat("cd", 32), UploadedAt: created}}}},
		{name: "documents-empty", tmpl: "documents", role: "applicant", title: "documents.title", data: DocumentsData{Limit: 50, Kinds: apidocs.Kinds}},
		{name: "references", tmpl: "references", role: "applicant", title: "references.title", data: ReferencesData{Languages: refereeLanguages,
			Created: &apidocs.ReferenceCreated{Reference: apidocs.Reference{RefereeName: "Prof Sato"}, UploadLink: "/references/upload/x", Emailed: true},
			Items: []apidocs.Reference{{ID: "r-1", RefereeName: "Prof Sato", RefereeEmail: "sato@example.ac.jp", Relation: "supervisor",
				Status: "received", Waived: true, ExpiresAt: created}, {ID: "r-2", RefereeName: "Dr Mehta", Relation: "employer", Status: "expired", ExpiresAt: created}}}},
		{name: "referee", tmpl: "referee", title: "referee.title", data: RefereeData{Token: "t", Invitation: apidocs.UploadInvitation{
			RefereeName: "Prof Sato", Relation: "supervisor", Status: "requested", ExpiresAt: created}}},
		{name: "referee-done", tmpl: "referee", title: "referee.title", data: RefereeData{Done: true}},
		{name: "referee-used", tmpl: "referee", title: "referee.title", data: RefereeData{Closed: true, Invitation: apidocs.UploadInvitation{Status: "received"}}},
		{name: "admin-users", tmpl: "admin_users", role: "admin", title: "users.title",
			data: UsersData{Coordinators: []apiidentity.UserResponse{{Name: "Mei Tanaka", Email: "mei@talentbridge.example"}},
				Users: []apiidentity.UserResponse{{ID: "u-2", Name: "Ravi Kumar", Email: "ravi@example.in", Role: "applicant", Status: "disabled"},
					{ID: "u-3", Name: "Mei Tanaka", Email: "mei@talentbridge.example", Role: "coordinator", Status: "active", EmailVerifiedAt: &created}},
				Role: "applicant", Page: 2, Pages: 3, Prev: "/admin/users?page=1", Next: "/admin/users?page=3", Total: 60}},
		{name: "verify-email", tmpl: "verify_email", title: "verify.title", data: TokenData{Token: "t"}},
		{name: "verify-email-done", tmpl: "verify_email", title: "verify.title", data: TokenData{Done: true}},
		{name: "verify-email-invalid", tmpl: "verify_email", title: "verify.title", data: TokenData{Invalid: true}},
		{name: "forgot", tmpl: "forgot_password", title: "forgot.title", data: ForgotData{}, errs: true},
		{name: "forgot-sent", tmpl: "forgot_password", title: "forgot.title", data: ForgotData{Sent: true}},
		{name: "reset", tmpl: "reset_password", title: "reset.title", data: TokenData{Token: "t"}},
		{name: "reset-invalid", tmpl: "reset_password", title: "reset.title", data: TokenData{Invalid: true}},
		{name: "change-password", tmpl: "change_password", role: "applicant", title: "change.title", errs: true},
		{name: "searches", tmpl: "searches", role: "applicant", title: "searches.title", data: SavedSearchesData{Items: []SavedSearchView{
			{SavedSearch: apiprograms.SavedSearch{ID: "s-1", Q: "robotics", Kind: "exchange", HostCountry: "JP", Field: "2.2", Alert: true, Matched: 3}, Link: "/programs?q=robotics"},
			{SavedSearch: apiprograms.SavedSearch{ID: "s-2"}, Link: "/programs?"}}}},
		{name: "searches-none", tmpl: "searches", role: "applicant", title: "searches.title", data: SavedSearchesData{}},
	}
	fs = append(fs, fixture{name: "wizard", tmpl: "wizard", role: "applicant", title: "wizard.title",
		data: wizard("", WizardSections), form: full, errs: true})
	restored := wizard("", WizardSections)
	restored.Restored = true
	fs = append(fs, fixture{name: "wizard-restored", tmpl: "wizard", role: "applicant", title: "wizard.title", data: restored, form: full})
	for i, s := range Sections {
		fs = append(fs, fixture{name: "section-" + s, tmpl: "wizard", role: "applicant", title: "profile.section." + s,
			data: wizard(s, []string{s}), form: full, errs: i%2 == 0})
	}
	changed := wizard("skills", []string{"skills", "consents"})
	changed.NoticeChanged = true
	fs = append(fs, fixture{name: "section-notice-changed", tmpl: "wizard", role: "applicant", title: "profile.section.skills", data: changed, form: full})
	fs = append(fs, policyFixtures(round, prog, prof, reasons)...)
	rep.ByCategory, rep.ByRegion = samplePolicyReport()
	fs = append(fs, fixture{name: "report", tmpl: "report", role: "coordinator", title: "report.title"})
	fs[len(fs)-1].data = rep // filled in by render (charts need the page)
	fs = append(fs, fixture{name: "stats", tmpl: "stats", title: "stats.title", data: sampleStats()},
		fixture{name: "stats-few", tmpl: "stats", role: "applicant", title: "stats.title", data: apiplacements.ExchangeStats{
			GroupBy: "month", From: "2027-01", To: "2027-03", Measures: apiplacements.StatsMeasures,
			Totals: apiplacements.StatsRow{Counts: map[string]apiplacements.StatsCell{}}, Target: apiplacements.StatsTarget{People: 500_000, Counted: apiplacements.SuppressedCell()}}},
		fixture{name: "stats-refused", tmpl: "stats", title: "stats.title", data: statsRefused{}, form: url.Values{"from": {"March"}}})
	return append(fs, placementFixtures()...)
}

func renderFixture(t *testing.T, u *UI, f fixture, lang string) string {
	t.Helper()
	p := &Page{Lang: lang, Title: f.title, CSRF: "token", Path: "/here", Asset: u.asset, cat: u.cat, Form: newForm(f.form), Data: f.data}
	if f.role != "" {
		p.User = &Viewer{ID: "u-1", Name: "Asha Rao", Email: "asha@example.org", Role: f.role, Status: "pending", Unread: 2}
	}
	if f.errs {
		p.Form.add("name", "wizard.name", "problem.required", "is required")
		p.Form.add("level0", "wizard.level", "problem.invalid", `"B2" is not a level for ja`)
		p.Form.add("", "field.other", "problem.rate_limited", "")
	}
	if rep, ok := f.data.(apimatching.Report); ok {
		p.Data = ReportData{Round: Round{Round: apimatching.Round{ID: "r-1", Name: "Spring 2027"}}, Report: rep, Charts: reportCharts(p, rep)}
	}
	switch d := f.data.(type) {
	case apiplacements.ExchangeStats:
		p.Data = statsData(p, d, true, url.Values{"groupBy": {d.GroupBy}})
	case statsRefused:
		p.Form.add("from", "stats.from", "problem.invalid", "must be a month (YYYY-MM) or a date (YYYY-MM-DD)")
		p.Data = statsData(p, apiplacements.ExchangeStats{}, false, url.Values{})
	}
	tmpl, ok := u.tmpl[f.tmpl]
	if !ok {
		t.Fatalf("no template %q", f.tmpl)
	}
	var buf bytes.Buffer
	if err := tmpl.ExecuteTemplate(&buf, "layout", p); err != nil {
		t.Fatalf("render %s in %s: %v", f.name, lang, err)
	}
	return buf.String()
}

// TestEveryPageTranslated renders every page in every language.
func TestEveryPageTranslated(t *testing.T) {
	u := testUI(t)
	fs := fixtures()
	covered := map[string]bool{}
	for _, f := range fs {
		covered[f.tmpl] = true
	}
	names, err := pageNames()
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		if !covered[n] {
			t.Errorf("page template %q has no fixture in this test", n)
		}
	}
	for _, f := range fs {
		for _, lang := range Languages {
			t.Run(f.name+"/"+lang, func(t *testing.T) {
				out := renderFixture(t, u, f, lang)
				if strings.Contains(out, missingOpen) {
					i := strings.Index(out, missingOpen)
					t.Errorf("missing message: %s", out[i:min(len(out), i+80)])
				}
				doc, err := html.Parse(strings.NewReader(out))
				if err != nil {
					t.Fatal(err)
				}
				if got := htmlLang(doc); got != lang {
					t.Errorf(`<html lang> = %q, want %q`, got, lang)
				}
				if lang == "en" {
					return
				}
				for _, w := range platformtest.EnglishWords(doc) {
					t.Errorf("untranslated English on the %s page: %q", lang, w)
				}
			})
		}
	}
}

func htmlLang(n *html.Node) string {
	if n.Type == html.ElementNode && n.Data == "html" {
		for _, a := range n.Attr {
			if a.Key == "lang" {
				return a.Val
			}
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if l := htmlLang(c); l != "" {
			return l
		}
	}
	return ""
}

// TestReasonsTranslated fails when a reason code has no message, which
// would show the API's English text.
func TestReasonsTranslated(t *testing.T) {
	u := testUI(t)
	for _, r := range allReasons() {
		for _, lang := range Languages {
			if !u.cat.has(lang, "reason."+r.Code+variant(r)) {
				t.Errorf("no %s message for reason %q", lang, r.Code)
			}
			got := string(reasonHTML(u.cat, lang, r, nil))
			if strings.Contains(got, "{{") || strings.Contains(got, "<no value>") || strings.Contains(got, missingOpen) {
				t.Errorf("reason %s in %s = %q, want every param filled", r.Code, lang, got)
			}
		}
	}
}

func TestReasonParamsAreEscaped(t *testing.T) {
	u := testUI(t)
	r := explain.New("score.skills", "", "matched", "1", "of", "2", "skills", `<script>alert(1)</script>`)
	got := string(reasonHTML(u.cat, "en", r, nil))
	if strings.Contains(got, "<script>") || !strings.Contains(got, `<span translate="no">&lt;script&gt;`) {
		t.Errorf("reasonHTML = %q, want the skill escaped inside a translate=no span", got)
	}
	unknown := explain.Reason{Code: "round.something_new", Text: "Filled <b>up</b>"}
	if got := string(reasonHTML(u.cat, "ja", unknown, nil)); got != `<span lang="en">Filled &lt;b&gt;up&lt;/b&gt;</span>` {
		t.Errorf("reasonHTML(unknown code) = %q, want the English text, escaped and marked as English", got)
	}
}

// The applicant's application page holds the document picker in each
// language: every own document a box, the attached ones ticked, posted to
// the application's documents.
func TestApplicationPageDocumentPicker(t *testing.T) {
	u := testUI(t)
	var f fixture
	for _, x := range fixtures() {
		if x.name == "application-applicant" {
			f = x
		}
	}
	heading := map[string]string{"en": "Documents for the host", "ja": "受け入れ先に見せる書類", "hi": "मेज़बान के लिए दस्तावेज़"}
	for lang, h := range heading {
		out := renderFixture(t, u, f, lang)
		for _, want := range []string{h, `action="/applications/x-1/documents"`,
			`name="doc" value="d-1" checked>`, `name="doc" value="d-2">`} {
			if !strings.Contains(out, want) {
				t.Errorf("%s: the application page lacks %q", lang, want)
			}
		}
	}
}

// The messages page lists each application's thread, linked to the
// application, and the messages sent to many, in each language.
func TestMessagesPage(t *testing.T) {
	u := testUI(t)
	var f fixture
	for _, x := range fixtures() {
		if x.name == "messages" {
			f = x
		}
	}
	heading := map[string]string{"en": "My messages", "ja": "メッセージ", "hi": "मेरे संदेश"}
	for lang, h := range heading {
		out := renderFixture(t, u, f, lang)
		for _, want := range []string{h, `href="/applications/x-1"`, `href="/applications/x-2"`, "Flood sensing lab", "Interview week", "Slots are open."} {
			if !strings.Contains(out, want) {
				t.Errorf("%s: the messages page lacks %q", lang, want)
			}
		}
	}
}

// The host's applications page holds the bulk message form in each
// language, its audience this program with any stage or one of them.
func TestHostBulkMessageForm(t *testing.T) {
	u := testUI(t)
	var f fixture
	for _, x := range fixtures() {
		if x.name == "host-applications" {
			f = x
		}
	}
	heading := map[string]string{"en": "Write to the applicants", "ja": "応募者への一斉連絡", "hi": "आवेदकों को लिखें"}
	for lang, h := range heading {
		out := renderFixture(t, u, f, lang)
		for _, want := range []string{h, `action="/host/programs/p-1/message"`, `<option value="shortlisted">`, `name="subject"`, `name="body"`} {
			if !strings.Contains(out, want) {
				t.Errorf("%s: the host's applications page lacks %q", lang, want)
			}
		}
	}
}

// The program page offers the applicant's documents with Apply, the
// host's view of an application names its documents, and the host's slots
// page asks before a slot is deleted, in each language.
func TestApplyPickerAndSlotDeletion(t *testing.T) {
	u := testUI(t)
	byName := map[string]fixture{}
	for _, x := range fixtures() {
		byName[x.name] = x
	}
	legend := map[string]string{"en": "Documents to send with this application", "ja": "この応募と一緒に送る書類", "hi": "इस आवेदन के साथ भेजे जाने वाले दस्तावेज़"}
	ask := map[string]string{"en": "Delete this slot?", "ja": "この面接枠を削除しますか", "hi": "यह समय हटाएँ?"}
	for lang, h := range legend {
		out := renderFixture(t, u, byName["program-apply-docs"], lang)
		i := strings.Index(out, `action="/programs/p-1/apply"`)
		if i < 0 {
			t.Fatalf("%s: no apply form in %s", lang, out)
		}
		form := out[i:]
		form = form[:strings.Index(form, "</form>")]
		for _, want := range []string{h, `name="doc" value="d-1">`, "CV 2026"} {
			if !strings.Contains(form, want) {
				t.Errorf("%s: the apply form lacks %q", lang, want)
			}
		}
		none := byName["program-apply-docs"]
		none.data = ProgramData{Program: none.data.(ProgramData).Program, Check: &eligibility.Result{Eligible: true}}
		if out := renderFixture(t, u, none, lang); strings.Contains(out, `name="doc"`) || !strings.Contains(out, `href="/documents"`) {
			t.Errorf("%s: without documents the apply form should offer the documents page and no boxes", lang)
		}
		// The host's view names an attached document by its title when
		// the documents service shows it, else by its id.
		hv := byName["application-host"]
		titled := hv.data.(ApplicationPageData)
		titled.Titles = map[string]string{"d-1": "Transcript 2026"}
		hv.data = titled
		if out := renderFixture(t, u, hv, lang); !strings.Contains(out, `<span translate="no">Transcript 2026</span>`) {
			t.Errorf("%s: the host's view does not name the attached document by its title", lang)
		}
		if out := renderFixture(t, u, byName["application-host"], lang); !strings.Contains(out, `<span translate="no">d-1</span>`) {
			t.Errorf("%s: without its title the host's view does not name the attached document by its id", lang)
		}
		slots := renderFixture(t, u, byName["host-slots"], lang)
		for _, want := range []string{`<details class="confirm">`, `action="/host/programs/p-1/slots/s-2/delete"`, ask[lang]} {
			if !strings.Contains(slots, want) {
				t.Errorf("%s: the slots page lacks %q", lang, want)
			}
		}
	}
}
