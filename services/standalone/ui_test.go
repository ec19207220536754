package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"golang.org/x/net/html"

	"github.com/talentbridge/platform/services/standalone/demo"
	"github.com/talentbridge/platform/shared/auth"
	"github.com/talentbridge/platform/shared/config"
	"github.com/talentbridge/platform/shared/logging"
	"github.com/talentbridge/platform/shared/platformtest"
)

// The web UI against the whole platform, started in this process as
// standalone mode starts it (embedded NATS and FerretDB, every service on
// one Echo): a user journey in headless Chromium, every page in every
// language with real data, and the access rules of pages with other
// users' ids.

const (
	journeyOrg      = "Noto Coastal Research Institute"
	uiAdminEmail    = "admin@talentbridge.example"
	uiAdminPassword = "rosewood lantern harbour tide"
	uiPassword      = "violet kettle drums at noon"
)

type uiPlatform struct {
	URL string
	log string
}

// startUIPlatform runs the standalone composition (serve, as main runs it)
// on a free port with its own data folder until the test ends.
func startUIPlatform(t *testing.T) *uiPlatform {
	t.Helper()
	for k, v := range map[string]string{
		"NATS_URL": "", "MONGODB_URI": "", "TB_DB_PREFIX": "",
		"TB_ADMIN_EMAIL": uiAdminEmail, "TB_ADMIN_PASSWORD": uiAdminPassword,
		// Every journey signs in several people from one address.
		"TB_LOGIN_LIMIT":  "10000",
		"TB_PROFILES_URL": "", "TB_PROGRAMS_URL": "", "TB_MATCHING_URL": "", "TB_DOCUMENTS_URL": "", "TB_PLACEMENTS_URL": "",
	} {
		t.Setenv(k, v)
	}
	for _, k := range []string{"TB_KEYS_DIR", "TB_SIGNING_KEY"} {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
	cfg, err := config.Load[config.Service]()
	if err != nil {
		t.Fatal(err)
	}
	cfg.HTTP.Addr = "127.0.0.1:0"
	dir := t.TempDir()
	logPath := filepath.Join(dir, "platform.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- serve(ctx, cfg, settings{DataDir: filepath.Join(dir, "data")}, logging.New(logFile, "standalone", "info"),
			func(a net.Addr) { ready <- a.String() })
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("platform stopped with %v", err)
			}
		case <-time.After(30 * time.Second):
			t.Error("platform did not stop within 30s")
		}
		logFile.Close()
		if t.Failed() {
			t.Logf("platform log: %s", logPath)
		}
	})
	var addr string
	select {
	case addr = <-ready:
	case err := <-done:
		done <- err // for the cleanup
		t.Fatalf("platform stopped early: %v (log %s)", err, logPath)
	case <-time.After(60 * time.Second):
		t.Fatalf("platform not listening within 60s; log %s", logPath)
	}
	p := &uiPlatform{URL: "http://" + addr, log: logPath}
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(p.URL + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return p
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("platform not ready within 30s; log %s", logPath)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestUI runs the UI's whole-platform tests on one running platform.
func TestUI(t *testing.T) {
	p := startUIPlatform(t)
	seed := seedPlatform(t, p)
	t.Run("BrowserJourney", func(t *testing.T) { browserJourney(t, p) })
	t.Run("EveryPageInEveryLanguage", func(t *testing.T) { everyPage(t, p, seed) })
	t.Run("OtherPeoplesObjects", func(t *testing.T) { otherPeoplesObjects(t, p, seed) })
	t.Run("HostImportsCSV", func(t *testing.T) { hostImports(t, p) })
	t.Run("CoordinatorImportsProfiles", func(t *testing.T) { coordinatorImportsProfiles(t, p) })
	t.Run("SearchPages", func(t *testing.T) { searchPages(t, p) })
	t.Run("ApplicantExportsAndDeletes", func(t *testing.T) { exportAndDelete(t, p) })
	t.Run("DemoLoadIsIdempotent", func(t *testing.T) { demoTwice(t, p) })
	t.Run("CoordinatorFeedback", func(t *testing.T) { coordinatorFeedback(t, p, seed) })
	t.Run("ApplicantOrdersAndWithdraws", func(t *testing.T) { applicantOrdersAndWithdraws(t, p, seed) })
	t.Run("PlacementPages", func(t *testing.T) { placementPages(t, p, seed) })
}

// --- Plain HTTP, as a browser without JavaScript ----------------------------

// api calls the JSON API with a bearer token.
func apiCall(t *testing.T, base, method, path, token string, in, out any) int {
	t.Helper()
	var body io.Reader
	if in != nil {
		raw, _ := json.Marshal(in)
		body = bytes.NewReader(raw)
	}
	req, _ := http.NewRequest(method, base+"/api/v1"+path, body)
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if out != nil && resp.StatusCode < 300 {
		if err := json.Unmarshal(raw, out); err != nil {
			t.Fatalf("%s %s: decode %s: %v", method, path, raw, err)
		}
	}
	if resp.StatusCode >= 300 && out != nil {
		t.Logf("%s %s = %d %s", method, path, resp.StatusCode, raw)
	}
	return resp.StatusCode
}

func apiLogin(t *testing.T, base, email, password string) string {
	t.Helper()
	var tok struct {
		AccessToken string `json:"accessToken"`
	}
	if st := apiCall(t, base, http.MethodPost, "/auth/login", "", map[string]string{"email": email, "password": password}, &tok); st != http.StatusOK {
		t.Fatalf("API login %s = %d", email, st)
	}
	return tok.AccessToken
}

func eventually(t *testing.T, within time.Duration, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %s", what, within)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// --- Seed data: the demo loader, then a round run and published ------------

type seeded struct {
	coord, hostA, hostB, applicantA, applicantB string // API tokens
	programA, programB                          string // programs of host A and host B
	round                                       string
	applicationA                                string // applicant A's
	matchA                                      string // applicant A's offer, if any
	emailA, emailB                              string // the applicants' sign-in addresses
}

func seedPlatform(t *testing.T, p *uiPlatform) *seeded {
	t.Helper()
	began := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	accounts, err := demo.Load(ctx, p.URL, nil, demo.Options{AdminEmail: uiAdminEmail, AdminPassword: uiAdminPassword, Applicants: 30, Wait: 30 * time.Second})
	if err != nil {
		t.Fatalf("demo.Load: %v", err)
	}
	t.Logf("demo data loaded in %s", time.Since(began).Round(time.Millisecond))
	email := func(role string, n int) string {
		for _, a := range accounts {
			if a.Role == role {
				if n == 0 {
					return a.Email
				}
				n--
			}
		}
		t.Fatalf("no demo %s account", role)
		return ""
	}
	s := &seeded{
		coord: apiLogin(t, p.URL, demo.CoordinatorEmail, demo.Password),
		hostA: apiLogin(t, p.URL, email("host", 0), demo.Password), hostB: apiLogin(t, p.URL, email("host", 1), demo.Password),
		applicantA: apiLogin(t, p.URL, email("applicant", 0), demo.Password), applicantB: apiLogin(t, p.URL, email("applicant", 1), demo.Password),
		emailA: email("applicant", 0), emailB: email("applicant", 1),
	}
	var mine struct {
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
	}
	apiCall(t, p.URL, http.MethodGet, "/programs?mine=true", s.hostA, nil, &mine)
	s.programA = mine.Items[0].ID
	apiCall(t, p.URL, http.MethodGet, "/programs?mine=true", s.hostB, nil, &mine)
	s.programB = mine.Items[0].ID

	var apps struct {
		Items []struct {
			ID        string `json:"id"`
			ProgramID string `json:"programId"`
		} `json:"items"`
	}
	// The applications are recorded by matching from the demo's requests;
	// on a loaded machine they may show a moment later.
	eventually(t, 20*time.Second, "the demo applicant's applications are listed", func() bool {
		apiCall(t, p.URL, http.MethodGet, "/applications/me", s.applicantA, nil, &apps)
		return len(apps.Items) > 0
	})
	s.applicationA = apps.Items[0].ID
	var all struct {
		Items []struct {
			ID      string `json:"id"`
			HostOrg string `json:"hostOrg"`
		} `json:"items"`
	}
	apiCall(t, p.URL, http.MethodGet, "/programs?pageSize=100", "", nil, &all)
	var ids []string
	for _, it := range all.Items {
		if it.HostOrg != journeyOrg { // the journey's programs had their round
			ids = append(ids, it.ID)
		}
	}
	var round struct {
		ID string `json:"id"`
	}
	if st := apiCall(t, p.URL, http.MethodPost, "/rounds", s.coord, map[string]any{"name": "Spring 2027", "programIds": ids, "seed": 7}, &round); st != http.StatusCreated {
		t.Fatalf("create round = %d", st)
	}
	s.round = round.ID
	apiCall(t, p.URL, http.MethodPost, "/rounds/"+s.round+"/run", s.coord, nil, nil)
	var r struct {
		Status string `json:"status"`
	}
	eventually(t, 30*time.Second, "round completes", func() bool {
		apiCall(t, p.URL, http.MethodGet, "/rounds/"+s.round, s.coord, nil, &r)
		return r.Status == "completed"
	})
	var matches struct {
		Items []struct {
			ID          string `json:"id"`
			ApplicantID string `json:"applicantId"`
		} `json:"items"`
	}
	apiCall(t, p.URL, http.MethodGet, "/rounds/"+s.round+"/matches", s.coord, nil, &matches)
	var me struct {
		ID string `json:"id"`
	}
	apiCall(t, p.URL, http.MethodGet, "/auth/me", s.applicantA, nil, &me)
	rejected := false
	for _, m := range matches.Items {
		if !rejected && m.ApplicantID != me.ID && len(matches.Items) > 1 {
			rejected = true
			apiCall(t, p.URL, http.MethodPost, "/matches/"+m.ID+"/reject", s.coord, map[string]string{"reason": "Seat promised to a partner university"}, nil)
			continue
		}
		apiCall(t, p.URL, http.MethodPost, "/matches/"+m.ID+"/approve", s.coord, map[string]string{"note": "Strong fit"}, nil)
	}
	if st := apiCall(t, p.URL, http.MethodPost, "/rounds/"+s.round+"/publish", s.coord, nil, nil); st != http.StatusOK {
		t.Fatalf("publish round = %d", st)
	}
	var offers struct {
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
	}
	apiCall(t, p.URL, http.MethodGet, "/matches/me", s.applicantA, nil, &offers)
	if len(offers.Items) > 0 {
		s.matchA = offers.Items[0].ID
	}
	t.Logf("seeded in %s: %d matches, applicant A has %d offers", time.Since(began).Round(time.Millisecond), len(matches.Items), len(offers.Items))
	return s
}

// --- Every page in every language -------------------------------------------

func everyPage(t *testing.T, p *uiPlatform, s *seeded) {
	pages := map[string][]string{
		"": {"/", "/programs", "/programs?q=robotics&open=true", "/programs/" + s.programA, "/signup", "/login",
			"/forgot-password", "/reset-password?token=x", "/reset-password", "/verify-email?token=x",
			"/stats", "/stats?groupBy=homeRegion"},
		"applicant": {"/recommendations", "/applications", "/offers", "/notifications", "/account", "/profile", "/documents", "/references",
			"/profile/wizard", "/profile/edit/about", "/profile/edit/studies", "/profile/edit/skills", "/profile/edit/availability",
			"/profile/edit/statement", "/profile/edit/consents", "/profile/edit/categories",
			"/programs/" + s.programA, "/searches", "/account/password", "/programs?q=robotics&hostCountry=JP", "/placements"},
		"host": {"/host/programs", "/host/programs/new", "/host/programs/" + s.programA + "/edit", "/host/programs/import",
			"/host/programs/" + s.programA + "/candidates", "/host/programs/" + s.programA + "/ranking/import", "/notifications", "/account",
			"/import/codes",
			"/host/placements"},
		"coordinator": {"/coord/hosts", "/coord/profiles/import", "/coord/rounds", "/coord/rounds/new", "/coord/rounds/" + s.round,
			"/coord/rounds/" + s.round + "/report", "/coord/rounds/" + s.round + "/ranks/import", "/coord/review", "/coord/audit", "/coord/audit?entity=" + s.round,
			"/coord/placements"},
		"admin": {"/admin/users", "/admin/users?role=applicant&status=active"},
	}
	creds := map[string][2]string{
		"applicant":   {"asha@demo.talentbridge.example", demo.Password},
		"host":        {"exchange@hokuriku-asu.example", demo.Password},
		"coordinator": {demo.CoordinatorEmail, demo.Password},
		"admin":       {uiAdminEmail, uiAdminPassword},
	}
	htmlLang := regexp.MustCompile(`<html lang="([a-z]+)">`)
	n := 0
	for role, paths := range pages {
		c := platformtest.NewBrowser(t, p.URL)
		if role != "" {
			c.Login(creds[role][0], creds[role][1])
		}
		for _, lang := range []string{"en", "ja", "hi"} {
			if got := c.Post("/lang", url.Values{"lang": {lang}, "next": {"/"}}); got.Status != http.StatusSeeOther {
				t.Fatalf("choose %s = %d", lang, got.Status)
			}
			for _, path := range paths {
				got := c.Get(path)
				n++
				where := fmt.Sprintf("%s %s (%s)", role, path, lang)
				if got.Status != http.StatusOK {
					t.Errorf("%s = %d, want 200\n%.400s", where, got.Status, got.Body)
					continue
				}
				if m := htmlLang.FindStringSubmatch(got.Body); m == nil || m[1] != lang {
					t.Errorf("%s: <html lang> = %v, want %s", where, m, lang)
				}
				if i := strings.Index(got.Body, "⟦"); i >= 0 {
					t.Errorf("%s: missing message %.80s", where, got.Body[i:])
				}
				if lang == "en" {
					continue
				}
				doc, err := html.Parse(strings.NewReader(got.Body))
				if err != nil {
					t.Fatal(err)
				}
				for _, w := range platformtest.EnglishWords(doc, "title") {
					t.Errorf("%s: untranslated English %q", where, w)
				}
			}
		}
	}
	t.Logf("%d pages checked", n)
}

// --- Other people's objects and other roles ---------------------------------

func otherPeoplesObjects(t *testing.T, p *uiPlatform, s *seeded) {
	hostB := platformtest.NewBrowser(t, p.URL)
	hostB.Login("talent@setouchi-robotics.example", demo.Password)
	applicantB := platformtest.NewBrowser(t, p.URL)
	applicantB.Login("vikram@demo.talentbridge.example", demo.Password)

	notFound := func(who string, got platformtest.Page, what string) {
		t.Helper()
		if got.Status != http.StatusNotFound {
			t.Errorf("%s %s = %d, want 404 (another user's object)", who, what, got.Status)
		}
	}
	notFound("host B", hostB.Get("/host/programs/"+s.programA+"/edit"), "edits host A's program")
	notFound("host B", hostB.Get("/host/programs/"+s.programA+"/candidates"), "reads host A's candidates")
	notFound("host B", hostB.Post("/host/programs/"+s.programA+"/close", nil), "closes host A's program")
	notFound("host B", hostB.Post("/host/programs/"+s.programA+"/edit", url.Values{"title": {"Taken over"}}), "changes host A's program")
	notFound("applicant B", applicantB.Post("/applications/"+s.applicationA+"/withdraw", nil), "withdraws applicant A's application")
	notFound("host B", hostB.Post("/host/programs/"+s.programA+"/slots/any-slot/delete", nil), "deletes a slot of host A's program")
	if got := applicantB.Post("/host/programs/"+s.programA+"/slots/any-slot/delete", nil); got.Status != http.StatusForbidden {
		t.Errorf("applicant POST slot delete = %d, want 403", got.Status)
	}
	if s.matchA != "" {
		notFound("applicant B", applicantB.Post("/offers/"+s.matchA+"/accept", nil), "accepts applicant A's offer")
		notFound("applicant B", applicantB.Post("/offers/"+s.matchA+"/decline", nil), "declines applicant A's offer")
	}
	for _, path := range []string{"/coord/rounds/" + s.round, "/coord/review", "/host/programs/" + s.programB + "/candidates"} {
		if got := applicantB.Get(path); got.Status != http.StatusForbidden {
			t.Errorf("applicant GET %s = %d, want 403", path, got.Status)
		}
	}
	for _, action := range []string{"publish", "approve"} {
		if got := hostB.Post("/coord/rounds/"+s.round+"/"+action, url.Values{"proposed": {"1"}}); got.Status != http.StatusForbidden {
			t.Errorf("host POST %s round = %d, want 403", action, got.Status)
		}
	}
	// Host A's own program is there, so the 404s above are about ownership.
	hostA := platformtest.NewBrowser(t, p.URL)
	hostA.Login("exchange@hokuriku-asu.example", demo.Password)
	if got := hostA.Get("/host/programs/" + s.programA + "/edit"); got.Status != http.StatusOK {
		t.Errorf("host A GET its own program's form = %d, want 200", got.Status)
	}
	if got := hostA.Get("/host/programs/" + s.programA + "/candidates"); got.Status != http.StatusOK {
		t.Errorf("host A GET its own candidates = %d, want 200", got.Status)
	}
}

// hostImports sends a CSV file through the import form: a file with a bad
// line is refused with the line's problem shown; a good one is imported.
func hostImports(t *testing.T, p *uiPlatform) {
	host := platformtest.NewBrowser(t, p.URL)
	host.Login("office@kansai-green.example", demo.Password)
	host.Get("/host/programs/import")
	header := "title,description,kind,hostOrg,hostCountry,region,fields,seats,startDate,endDate,applicationDeadline,languages\n"
	start := time.Now().AddDate(0, 3, 0).Format("2006-01-02")
	end := time.Now().AddDate(0, 6, 0).Format("2006-01-02")
	deadline := time.Now().AddDate(0, 1, 0).Format("2006-01-02")
	good := fmt.Sprintf("Imported circular economy internship,Work with member companies on recycling.,internship,Kansai Green Materials Consortium,JP,Osaka,2.7,2,%s,%s,%s,en:B2\n", start, end, deadline)
	bad := "Broken line,No seats here.,internship,Kansai Green Materials Consortium,JP,Osaka,2.7,-3," + start + "," + end + "," + deadline + ",en:B2\n"
	send := func(file string) platformtest.Page {
		return postFile(t, p, host, "/host/programs/import", "programs.csv", file)
	}
	refused := send(header + good + bad)
	if refused.Status != http.StatusUnprocessableEntity || !strings.Contains(refused.Body, "Nothing was imported") ||
		!regexp.MustCompile(`<td>3</td><td translate="no">seats</td>`).MatchString(refused.Body) {
		t.Errorf("import with a bad line 3 = %d, want 422 naming line 3's seats\n%.2000s", refused.Status, refused.Body)
	}
	done := send(header + good)
	if done.Status != http.StatusOK || !strings.Contains(done.Body, "Programs imported: 1") {
		t.Errorf("import of a good file = %d, want the count of programs imported\n%.1000s", done.Status, done.Body)
	}
	if list := host.Get("/host/programs"); !strings.Contains(list.Body, "Imported circular economy internship") {
		t.Error("the imported program is not among the host's programs")
	}
}

// addCoordinator signs admin in as the platform's administrator and adds a
// coordinator account with the UI tests' password.
func addCoordinator(admin *tab, name, email string) {
	admin.signIn(uiAdminEmail, uiAdminPassword)
	admin.fill("#f-name", name)
	admin.fill("#f-email", email)
	admin.fill("#f-password", uiPassword)
	admin.submit("admin adds a coordinator", `form[action="/admin/users"] button[type=submit]`)
}

// postFile sends file as the form's "file" field to path, with the
// browser's session and CSRF token, as the import pages' forms do.
func postFile(t *testing.T, p *uiPlatform, b *platformtest.Browser, path, name, file string) platformtest.Page {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	if token := b.CSRF(); token != "" {
		_ = w.WriteField(auth.CSRFFormField, token)
	}
	fw, _ := w.CreateFormFile("file", name)
	io.WriteString(fw, file)
	w.Close()
	req, _ := http.NewRequest(http.MethodPost, p.URL+path, &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	resp, err := b.Client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return platformtest.Page{Status: resp.StatusCode, Body: string(raw)}
}

// coordinatorImportsProfiles sends applicants through the coordinators'
// import page: a bad line refuses the whole file, naming the line; a good
// file imports, and the imported applicant can be found by the API; the
// page is for coordinators only.
func coordinatorImportsProfiles(t *testing.T, p *uiPlatform) {
	coord := platformtest.NewBrowser(t, p.URL)
	coord.Login(demo.CoordinatorEmail, demo.Password)
	if got := coord.Get("/coord/profiles/import"); got.Status != http.StatusOK || !strings.Contains(got.Body, `href="/import/templates/profiles.csv"`) {
		t.Fatalf("GET /coord/profiles/import = %d, want the page with its template link", got.Status)
	}
	header := "email,name,kind,homeCountry,institution,region,fields,languages,degreeLevel,birthYear,noticeVersion,dataProcessing,crossBorderTransfer,visibleToHosts\n"
	var notice struct {
		Version string `json:"version"`
	}
	apiCall(t, p.URL, http.MethodGet, "/profiles/consent-notice", "", nil, &notice)
	email := fmt.Sprintf("imported.%d@example.in", time.Now().UnixNano())
	good := email + ",Imported Applicant,student,IN,Example Institute,Karnataka,1.2,en:C1,master,2001," + notice.Version + ",true,true,false\n"
	bad := "second@example.in,Second Applicant,student,XX,Example Institute,Karnataka,1.2,en:C1,master,2001," + notice.Version + ",true,true,false\n"
	refused := postFile(t, p, coord, "/coord/profiles/import", "profiles.csv", header+good+bad)
	if refused.Status != http.StatusUnprocessableEntity || !strings.Contains(refused.Body, "Nothing was imported") ||
		!regexp.MustCompile(`<td>3</td><td translate="no">homeCountry</td>`).MatchString(refused.Body) {
		t.Errorf("profile import with a bad line 3 = %d, want 422 naming line 3's homeCountry\n%.2000s", refused.Status, refused.Body)
	}
	done := postFile(t, p, coord, "/coord/profiles/import", "profiles.csv", header+good)
	if done.Status != http.StatusOK || !strings.Contains(done.Body, "Profiles in the file: 1") {
		t.Errorf("profile import of a good file = %d, want the count\n%.1000s", done.Status, done.Body)
	}
	host := platformtest.NewBrowser(t, p.URL)
	host.Login("office@kansai-green.example", demo.Password)
	if got := host.Get("/coord/profiles/import"); got.Status != http.StatusForbidden {
		t.Errorf("a host GET /coord/profiles/import = %d, want 403", got.Status)
	}
}

// searchPages follows the search's pages: the same snapshot, no program
// twice.
func searchPages(t *testing.T, p *uiPlatform) {
	c := platformtest.NewBrowser(t, p.URL)
	next := regexp.MustCompile(`<a href="([^"]+)" rel="next">`)
	titles := regexp.MustCompile(`<h3><a href="/programs/([^"]+)"`)
	seen := map[string]bool{}
	path := "/programs?open=true"
	pages := 0
	for path != "" && pages < 10 {
		got := c.Get(path)
		if got.Status != http.StatusOK {
			t.Fatalf("GET %s = %d", path, got.Status)
		}
		pages++
		for _, m := range titles.FindAllStringSubmatch(got.Body, -1) {
			if seen[m[1]] {
				t.Errorf("program %s on two pages", m[1])
			}
			seen[m[1]] = true
		}
		path = ""
		if m := next.FindStringSubmatch(got.Body); m != nil {
			path = html.UnescapeString(m[1])
			if !strings.Contains(path, "asOf=") {
				t.Errorf("next page link %q does not keep the snapshot (asOf)", path)
			}
		}
	}
	if pages < 3 || len(seen) < 25 {
		t.Errorf("followed %d pages with %d programs, want the catalogue over several pages", pages, len(seen))
	}
}

// exportAndDelete: an applicant downloads their data, then deletes the
// account after confirming.
func exportAndDelete(t *testing.T, p *uiPlatform) {
	c := platformtest.NewBrowser(t, p.URL)
	c.Get("/signup")
	if got := c.Post("/signup", url.Values{"role": {"applicant"}, "name": {"Farhan Khan"}, "email": {"farhan@example.org"}, "password": {uiPassword}}); got.Status != http.StatusSeeOther {
		t.Fatalf("sign up = %d", got.Status)
	}
	req, _ := http.NewRequest(http.MethodGet, p.URL+"/account/export", nil)
	resp, err := c.Client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment") ||
		!strings.Contains(string(raw), "farhan@example.org") {
		t.Errorf("export = %d %q, want a JSON attachment holding the account\n%.500s", resp.StatusCode, resp.Header.Get("Content-Disposition"), raw)
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Errorf("export is not JSON: %v", err)
	}
	if got := c.Post("/account/delete", url.Values{}); got.Status != http.StatusUnprocessableEntity || !strings.Contains(got.Body, `role="alert"`) {
		t.Errorf("delete without confirming = %d, want 422 asking to confirm", got.Status)
	}
	if got := c.Post("/account/delete", url.Values{"confirm": {"yes"}}); got.Status != http.StatusSeeOther || got.Location != "/?done=account_deleted" {
		t.Fatalf("delete confirmed = %d to %q, want 303 home", got.Status, got.Location)
	}
	if got := c.Get("/account"); got.Status != http.StatusSeeOther {
		t.Errorf("after deleting, /account = %d, want a redirect to sign in", got.Status)
	}
	again := platformtest.NewBrowser(t, p.URL)
	again.Get("/login")
	if got := again.Post("/login", url.Values{"email": {"farhan@example.org"}, "password": {uiPassword}}); got.Status != http.StatusUnprocessableEntity {
		t.Errorf("signing in to a deleted account = %d, want 422", got.Status)
	}
}

// demoTwice loads the demo data again: nothing is added twice.
func demoTwice(t *testing.T, p *uiPlatform) {
	count := func() (programs, profiles int) {
		coord := apiLogin(t, p.URL, demo.CoordinatorEmail, demo.Password)
		var pr, pf struct {
			Total int `json:"total"`
		}
		apiCall(t, p.URL, http.MethodGet, "/programs?pageSize=1", "", nil, &pr)
		apiCall(t, p.URL, http.MethodGet, "/profiles?pageSize=1", coord, nil, &pf)
		return pr.Total, pf.Total
	}
	pr1, pf1 := count()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if _, err := demo.Load(ctx, p.URL, nil, demo.Options{AdminEmail: uiAdminEmail, AdminPassword: uiAdminPassword, Applicants: 30, Wait: 5 * time.Second}); err != nil {
		t.Fatalf("second demo.Load: %v", err)
	}
	pr2, pf2 := count()
	if pr2 != pr1 || pf2 != pf1 {
		t.Errorf("after a second load: %d programs and %d profiles, want %d and %d as before", pr2, pf2, pr1, pf1)
	}
	if pr1 < 30 || pf1 < 30 {
		t.Errorf("demo data: %d programs, %d profiles; want at least 30 of each", pr1, pf1)
	}
}

// --- The journey in a real browser ------------------------------------------

// browserPath finds Chromium: $TB_CHROMIUM, Debian's /usr/bin/chromium, or
// one on PATH.
func browserPath() string {
	if p := os.Getenv("TB_CHROMIUM"); p != "" {
		if _, err := os.Stat(p); err == nil {
			return p
		}
		return ""
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// tab is one person's browser: its own cookies, its screenshots.
type tab struct {
	t     *testing.T
	ctx   context.Context
	base  string
	shots *shots
}

type shots struct {
	dir string
	n   int
}

func (s *shots) next(name string) string {
	s.n++
	return filepath.Join(s.dir, fmt.Sprintf("%02d-%s.png", s.n, name))
}

// act runs actions with a time limit, failing the test on error.
func (b *tab) act(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.shot("failed-" + strings.ReplaceAll(what, " ", "-"))
		b.t.Fatalf("%s: %v", what, err)
	}
}

func (b *tab) open(path string) {
	b.t.Helper()
	b.act("open "+path, chromedp.Navigate(b.base+path))
}

// submit clicks a button that sends a form and waits for the next page.
func (b *tab) submit(what, button string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	click := chromedp.Click(chromedp.CSS(button))
	if strings.HasPrefix(button, "//") {
		click = chromedp.Click(chromedp.Search(button))
	}
	resp, err := chromedp.RunResponse(ctx, click)
	if err != nil {
		b.shot("failed-" + strings.ReplaceAll(what, " ", "-"))
		b.t.Fatalf("%s: %v", what, err)
	}
	if resp != nil && resp.Status >= 500 {
		b.shot("failed-" + strings.ReplaceAll(what, " ", "-"))
		b.t.Fatalf("%s: status %d", what, resp.Status)
	}
}

// chooseLanguage picks the site's language with the header's switcher.
func (b *tab) chooseLanguage(lang string) {
	b.t.Helper()
	b.submit("choose "+lang, fmt.Sprintf(`form.lang button[value=%q]`, lang))
}

func (b *tab) fill(sel, value string) {
	b.t.Helper()
	b.act("fill "+sel, chromedp.SetValue(chromedp.CSS(sel), value))
}

// choose selects options of a (multiple) select or ticks boxes by value;
// sel may name a group (a fieldset) whose checkboxes are ticked.
func (b *tab) choose(sel string, values ...string) {
	b.t.Helper()
	js := fmt.Sprintf(`(function(){var n=0,want=%s;document.querySelectorAll(%q).forEach(function(e){
		if(e.tagName==="SELECT"){for(var o of e.options){o.selected=want.indexOf(o.value)>=0;if(o.selected)n++}}
		else{(e.tagName==="INPUT"?[e]:e.querySelectorAll("input[type=checkbox]")).forEach(function(c){c.checked=want.indexOf(c.value)>=0;if(c.checked)n++})}});return n})()`, jsList(values), sel)
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](js))
	if err != nil || n < len(values) {
		b.t.Fatalf("choose %v in %s: %d chosen, %v", values, sel, n, err)
	}
}

func jsList(v []string) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func (b *tab) text(sel string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		b.shot("failed-text")
		b.t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

func (b *tab) eval(js string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
	if err != nil {
		b.t.Fatalf("evaluate %s: %v", js, err)
	}
	return s
}

// tryEval evaluates js, giving "" while the page is between loads.
func (b *tab) tryEval(js string) string {
	ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
	defer cancel()
	s, _ := chromedp.Run(ctx, chromedp.Evaluate[string](js))
	return s
}

func (b *tab) location() string {
	return b.eval(`location.pathname + location.search`)
}

func (b *tab) shot(name string) {
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	img, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Logf("screenshot %s: %v", name, err)
		return
	}
	if err := os.WriteFile(b.shots.next(name), img, 0o644); err != nil {
		b.t.Logf("screenshot %s: %v", name, err)
	}
}

func (b *tab) expect(what, sel, want string) {
	b.t.Helper()
	if got := b.text(sel); !strings.Contains(got, want) {
		b.shot("failed-" + strings.ReplaceAll(what, " ", "-"))
		b.t.Fatalf("%s: %s says %q, want it to contain %q", what, sel, got, want)
	}
}

// openBrowser starts headless Chromium for the test (skipping it when
// there is none, outside CI) and returns a maker of people: each a tab in
// its own browser context, so with its own cookies.
func openBrowser(t *testing.T, p *uiPlatform) func() *tab {
	t.Helper()
	exe := browserPath()
	if exe == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("no Chromium found (set TB_CHROMIUM or install chromium); CI must run the browser tests")
		}
		t.Skip("no Chromium found: install chromium (apt-get install chromium) or set TB_CHROMIUM to run the browser tests")
	}
	dir := os.Getenv("TB_SCREENSHOTS")
	keep := dir != ""
	if dir == "" {
		var err error
		if dir, err = os.MkdirTemp("", "tb-ui-screenshots-*"); err != nil {
			t.Fatal(err)
		}
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() || keep {
			t.Logf("screenshots: %s", dir)
			return
		}
		os.RemoveAll(dir)
	})
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(exe), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck, chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900))
	t.Cleanup(cancelAlloc)
	browserCtx, cancelBrowser := chromedp.NewContext(allocCtx)
	t.Cleanup(cancelBrowser)
	if err := chromedp.Do(browserCtx); err != nil {
		t.Fatalf("start %s: %v", exe, err)
	}
	sh := &shots{dir: dir}
	return func() *tab {
		ctx, cancel := chromedp.NewContext(browserCtx, chromedp.WithNewBrowserContext())
		t.Cleanup(cancel)
		if err := chromedp.Do(ctx); err != nil {
			t.Fatal(err)
		}
		return &tab{t: t, ctx: ctx, base: p.URL, shots: sh}
	}
}

func browserJourney(t *testing.T, p *uiPlatform) {
	person := openBrowser(t, p)
	began := time.Now()
	now := time.Now()
	day := func(d int) string { return now.AddDate(0, 0, d).Format("2006-01-02") }
	suffix := strconv.FormatInt(now.UnixNano()%1e6, 10)

	// An applicant chooses Japanese and signs up.
	asha := person()
	// Her browser is in Japan: pages show times in its zone.
	asha.act("put the applicant's browser in Japan", zoneOverride("Asia/Tokyo"))
	asha.open("/")
	asha.submit("choose Japanese", `form.lang button[value="ja"]`)
	if lang := asha.eval(`document.documentElement.lang`); lang != "ja" {
		t.Fatalf("after choosing Japanese, <html lang> = %q", lang)
	}
	asha.open("/signup")
	asha.expect("the sign-up page is in Japanese", "h1", "アカウントを作成")
	asha.fill("#f-name", "Asha Rao")
	asha.fill("#f-email", "asha.rao."+suffix+"@example.org")
	asha.fill("#f-password", uiPassword)
	asha.shot("applicant-signup-ja")
	asha.submit("sign up", `form[action="/signup"] button[type=submit]`)
	if loc := asha.location(); loc != "/profile/wizard" {
		t.Fatalf("after sign-up the applicant is at %s, want the profile wizard", loc)
	}

	// The profile wizard: one form, the name taken from the sign-up, one
	// refused answer corrected on the way.
	asha.expect("the wizard greets the applicant by the sign-up name", "#wizard-lead", "Asha Rao")
	if n := asha.eval(`String(document.querySelectorAll("#f-name").length)`); n != "0" {
		t.Errorf("the wizard asks for the name given at sign-up again")
	}
	asha.choose(`input[name=kind]`, "student")
	asha.choose("#f-homeCountry", "IN")
	asha.choose("#f-region", "Tamil Nadu")
	asha.fill("#f-birthYear", "2001")
	asha.fill("#f-institution", "Kaveri Institute of Technology")
	asha.choose("#f-degreeLevel", "master")
	asha.choose("#f-fields", "1.2")
	asha.fill("#f-skills", "machine learning, nlp, python, remote sensing")
	asha.choose("#f-lang0", "en")
	asha.choose("#f-level0", "C1")
	asha.choose("#f-lang1", "ja")
	asha.choose("#f-level1", "B2") // a CEFR level for Japanese: the API refuses it
	asha.choose(`#f-consents input[type=checkbox]`, "on")
	asha.shot("wizard")
	asha.submit("the wizard with a wrong level", `button[value=save]`)
	asha.expect("the refused level is announced", `#error-summary[role=alert]`, "尺度")
	asha.expect("the problem is shown at the field", "#e-level1", "尺度")
	if d := asha.eval(`document.getElementById("f-level1").getAttribute("aria-describedby")`); d != "e-level1" {
		t.Errorf("the refused field is described by %q, want its error e-level1", d)
	}
	asha.shot("wizard-level-refused")
	asha.choose("#f-level1", "N2")
	asha.submit("the wizard corrected", `button[value=save]`)
	if loc := asha.location(); !strings.HasPrefix(loc, "/profile") || strings.HasPrefix(loc, "/profile/wizard") {
		t.Fatalf("after saving, the applicant is at %s, want the profile", loc)
	}
	asha.expect("the profile is saved", ".notice", "保存しました")
	asha.expect("the corrected level is kept", "main", "日本語能力試験 N2")

	// The rest, section by section, each saved on its own.
	asha.submit("open the statement", "#edit-statement")
	asha.fill("#f-statement", "I build language tools for disaster alerts and want to work on flood forecasting.")
	asha.submit("save the statement", `button[value=save]`)
	asha.expect("the statement is saved", "#s-statement", "flood forecasting")
	asha.submit("open availability", "#edit-availability")
	asha.fill("#f-availableFrom", day(20))
	asha.fill("#f-availableTo", day(420))
	asha.choose(`input[name=programKinds]`, "joint_research", "internship")
	asha.submit("save availability", `button[value=save]`)
	asha.submit("open categories", "#edit-categories")
	// A category without its own consent is refused at the field.
	asha.choose(`input[name=categories]`, "first_generation")
	asha.submit("a category without its consent", `button[value=save]`)
	asha.expect("the category needs its consent", "#e-categories", "専用の同意")
	asha.choose(`#f-categoriesConsent`, "on")
	asha.shot("section-categories")
	asha.submit("save the categories", `button[value=save]`)
	asha.expect("the categories are saved", ".notice", "保存しました")
	asha.expect("the statement stays", "#s-statement", "flood forecasting")
	asha.shot("profile-saved")

	// A host signs up and waits for verification.
	host := person()
	host.open("/signup?role=host")
	host.fill("#f-name", "Haruka Nishimura")
	host.fill("#f-organization", "Noto Coastal Research Institute")
	host.fill("#f-email", "haruka."+suffix+"@example.org")
	host.fill("#f-password", uiPassword)
	host.submit("host signs up", `form[action="/signup"] button[type=submit]`)
	host.expect("the host waits for verification", ".warn", "waiting to be verified")
	host.shot("host-pending")

	// The administrator adds a coordinator, who verifies the host.
	admin := person()
	coordEmail := "mei." + suffix + "@talentbridge.example"
	addCoordinator(admin, "Mei Tanaka", coordEmail)
	admin.expect("the coordinator exists", ".notice", "coordinator account has been created")

	coord := person()
	coord.open("/login")
	coord.fill("#f-email", coordEmail)
	coord.fill("#f-password", uiPassword)
	coord.submit("coordinator logs in", `form[action="/login"] button[type=submit]`)
	coord.open("/coord/hosts")
	coord.expect("the host waits", "main table", "Noto Coastal Research Institute")
	coord.shot("coordinator-hosts")
	coord.submit("verify the host", `//tr[contains(., "Noto Coastal Research Institute")]//button`)
	coord.expect("the host is verified", ".notice", "verified")

	// The host posts two programs.
	titles := []string{"Flood forecasting with satellite data " + suffix, "Coastal language technology lab " + suffix}
	for i, title := range titles {
		host.open("/host/programs/new")
		host.fill("#f-title", title)
		host.fill("#f-description", "Forecast floods on the Noto peninsula from satellite images and rain gauges, with a team of hydrologists and computer scientists.")
		host.choose("#f-kind", "joint_research")
		host.choose("#f-hostCountry", "JP")
		host.choose("#f-region", "Ishikawa")
		host.choose("#f-fields", "1.2", "1.5")
		host.fill("#f-skills", "machine learning, remote sensing, python")
		host.fill("#f-seats", "2")
		host.fill("#f-startDate", day(90+i))
		host.fill("#f-endDate", day(180))
		host.fill("#f-applicationDeadline", day(60))
		host.fill("#f-stipendAmount", "150000")
		host.choose("#f-stipendCurrency", "JPY")
		host.choose("#f-stipendPeriod", "month")
		host.choose(`input[name=eKinds]`, "student", "researcher")
		host.choose(`input[name=eDegrees]`, "master", "phd")
		host.choose("#f-elang0", "en")
		host.choose("#f-elevel0", "B2")
		host.choose("#f-publish", "on")
		if i == 0 {
			// Reserves beyond the seats are refused at the field first.
			host.fill("#f-reserve_first_generation", "2")
			host.fill("#f-reserve_rural", "1")
			host.submit("reserves beyond the seats", `form[action="/host/programs/new"] button[type=submit]`)
			host.expect("the reserves are refused", "#f-reserves", "Seats reserved")
			if cls := host.eval(`document.getElementById("f-reserves").className`); !strings.Contains(cls, "invalid") {
				t.Errorf("the reserves fieldset is %q after a refusal, want it marked invalid", cls)
			}
			host.fill("#f-reserve_rural", "")
			host.choose("#f-reserveOrder", "first")
			host.choose("#f-publish", "on")
			host.shot("host-program-form")
		}
		host.submit("post a program", `form[action="/host/programs/new"] button[type=submit]`)
		host.expect("the program is published", ".notice", "published")
	}
	host.shot("host-programs")

	// The applicant sees both recommended, with reasons, applies and ranks.
	eventually(t, 30*time.Second, "the new programs are recommended", func() bool {
		asha.open("/recommendations")
		body := asha.text("main")
		return strings.Contains(body, titles[0]) && strings.Contains(body, titles[1])
	})
	asha.expect("recommendations give reasons in Japanese", "main", "同じ分野")
	asha.shot("applicant-recommendations")
	uploadAndApplyWithPicker(t, asha, titles[0])
	for _, title := range titles[1:] {
		asha.open("/recommendations")
		asha.submit("apply to "+title, fmt.Sprintf(`//li[.//a[contains(., %q)]]//form[contains(@action, "/apply")]//button`, title))
		asha.expect("the application is sent", ".notice", "応募を送信しました")
	}
	// The host sees the applicant among the candidates, with reasons, and
	// ranks them.
	host.open("/host/programs")
	host.submit("open the candidates", fmt.Sprintf(`//tr[contains(., %q)]//a[contains(@href, "/candidates")]`, titles[0]))
	host.expect("the applicant is a candidate", ".ranklist", "Asha Rao")
	host.expect("the candidate applied", ".ranklist", "Applied")
	host.expect("the candidate comes with reasons", ".ranklist .reasons", "Same field")
	host.submit("rank the candidate", `.ranklist li:first-child form input[value="up"] ~ button`)
	host.expect("the ranking is saved", ".notice", "ranking has been saved")
	host.expect("the candidate is ranked", ".ranklist", "Your rank 1")
	// The applicant's self-declared category is for allocation only.
	if page := host.text("main"); strings.Contains(page, "First in family") || strings.Contains(page, "first_generation") {
		t.Errorf("the host's candidates page shows the applicant's category: %q", page)
	}
	host.shot("host-candidates")

	// A ranking file naming someone who never applied is refused by line,
	// and the ranking stays as it was.
	candidatesPage := host.location()
	host.submit("open the ranking import", `//a[contains(@href, "/ranking/import")]`)
	host.expect("the ranking import page", "main h1", "Import this program's ranking")
	rankFile := filepath.Join(t.TempDir(), "ranking.csv")
	if err := os.WriteFile(rankFile, []byte("nobody."+suffix+"@example.org\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	host.act("choose the ranking file", chromedp.SetUploadFiles("#f-file", []string{rankFile}))
	host.submit("import a ranking naming a stranger", `form[action$="/ranking/import"] button[type=submit]`)
	// Worded from the row's code (not_found), not from the API's English.
	host.expect("the stranger's line is refused", "#rank-import-errors", "Nothing with this id or address was found.")
	host.shot("host-ranking-import-refused")
	host.open(candidatesPage)
	host.expect("the ranking is unchanged", ".ranklist", "Your rank 1")
	reviewJourney(t, host, asha, titles[0], day(5))
	bulkMessages(t, p, person, host, asha, titles[0], suffix)

	first := asha.text(".ranklist li:first-child h2")
	asha.submit("move the first choice down", `.ranklist li:first-child form input[value="down"] ~ button`)
	asha.expect("the ranking is saved", ".notice", "希望順位を保存しました")
	if now := asha.text(".ranklist li:last-child h2"); now != first {
		t.Fatalf("after moving %q down, the last choice is %q", first, now)
	}
	top := asha.text(".ranklist li:first-child h2")
	asha.shot("applicant-ranking")

	// The coordinator runs a round of the two programs, approves, publishes.
	coord.open("/coord/rounds/new")
	coord.fill("#f-name", "Noto spring round "+suffix)
	coord.fill("#f-offerDays", "3")
	for _, title := range titles {
		coord.act("tick "+title, chromedp.Click(fmt.Sprintf(`//fieldset[@id="f-programIds"]//label[contains(., %q)]/input`, title)))
	}
	roundPolicyEditor(coord, titles)
	coord.submit("create the round", `form[action="/coord/rounds/new"] button[type=submit]`)
	roundPath, _, _ := strings.Cut(coord.location(), "?")
	asha.open("/applications?round=" + url.QueryEscape(path.Base(roundPath)))
	asha.expect("the applicant sees how contested the round's programs are", "table.demand", "第1希望")
	coord.submit("run the round", `form[action$="/run"] button`)
	eventually(t, 40*time.Second, "the round completes", func() bool {
		return coord.tryEval(`(document.querySelector(".round-progress") || {dataset: {}}).dataset.status || ""`) == "completed"
	})
	coord.expect("the round is stable", "main", "stable")
	coord.shot("coordinator-round-completed")
	mockRunPage(coord, roundPath, titles[0])
	coord.open("/coord/review")
	coord.expect("the proposed match is explained", "main", "Choice 1 on the applicant's list")
	coord.shot("coordinator-review")
	coord.submit("reject without a reason", `//article[contains(., "Asha Rao")]//form[contains(@action, "/reject")]//button`)
	coord.expect("the reason is required", `#error-summary[role=alert]`, "Reason for rejecting")
	coord.expect("the problem is shown at the reason", "article .field.invalid .field-error", "required")
	coord.shot("coordinator-reject-needs-reason")
	coord.submit("approve the match", `//article[contains(., "Asha Rao")]//form[contains(@action, "/approve")]//button`)
	coord.expect("the match is approved", ".notice", "approved")
	coord.open("/coord/rounds")
	coord.submit("open the round", fmt.Sprintf(`//a[contains(., %q)]`, "Noto spring round "+suffix))
	coord.expect("the round gives three days to answer", "dl.facts", "3")
	coord.expect("the demand table counts the rank lists", "table.demand", "Ranked it first")
	coord.expect("publishing takes an answer deadline", `label[for="respondBy"]`, "Answer deadline")
	coord.submit("publish the results", `form[action$="/publish"] button`)
	coord.expect("the results are published", ".notice", "published")
	coord.expect("a vacancy round can be made of the published round", "#vacancy-h", "Vacancy round")
	coord.open(strings.TrimSuffix(coord.location(), "?done=round_published") + "/report")
	coord.expect("the report has its charts", "main", "Seats and matches by program")
	if bars := coord.eval(`String(document.querySelectorAll("figure.chart svg rect.bar").length)`); bars == "0" {
		t.Errorf("the report draws no bars")
	}
	reportPolicyTables(coord)
	// A round of a few applicants: every group is under 10 people and the
	// charts say "<10", never "0 % (0 of 1)".
	for _, id := range []string{"chart-country", "chart-kind", "chart-degree", "chart-gender"} {
		got := coord.eval(`document.getElementById("` + id + `").textContent`)
		if !strings.Contains(got, "<10") || regexp.MustCompile(`\(\d+ of \d+\)`).MatchString(got) {
			t.Errorf("the report's %s shows %q, want only \"<10\" for groups under 10 people", id, got)
		}
	}
	coord.shot("coordinator-report")

	// The applicant accepts the offer.
	asha.open("/offers")
	asha.expect("the offer is for the first choice", ".offer h2", top)
	asha.expect("the offer has its deadline in Japan time and India time", ".offer .deadline", "IST")
	asha.expect("the deadline is in the reader's zone", ".offer .deadline", "日本時間")
	// The script counts the time left down: about three days, as d h:mm:ss.
	eventually(t, 5*time.Second, "the countdown runs", func() bool {
		return strings.HasPrefix(asha.text(".offer .countdown"), "2d 23:") || strings.HasPrefix(asha.text(".offer .countdown"), "3d 0:")
	})
	asha.shot("applicant-offer")
	asha.submit("accept the offer", `form[action$="/accept"] button`)
	asha.expect("the offer is accepted", ".notice", "承諾しました")
	asha.expect("the offer shows as accepted", ".offer", "承諾")
	asha.shot("applicant-offer-accepted")
	eventually(t, 15*time.Second, "the applicant is told", func() bool {
		asha.open("/notifications")
		return strings.Contains(asha.text("main"), "オファーを承諾しました")
	})
	asha.shot("applicant-notifications")

	// A visitor reads the catalogue in Hindi, keyboard first.
	visitor := person()
	visitor.open("/")
	visitor.submit("choose Hindi", `form.lang button[value="hi"]`)
	if lang := visitor.eval(`document.documentElement.lang`); lang != "hi" {
		t.Fatalf("after choosing Hindi, <html lang> = %q", lang)
	}
	visitor.act("tab to the skip link", chromedp.KeyEvent("\t"))
	if focused := visitor.eval(`document.activeElement.className + ":" + document.activeElement.textContent`); focused != "skip:मुख्य सामग्री पर जाएँ" {
		t.Errorf("the first Tab focuses %q, want the skip link", focused)
	}
	visitor.open("/programs?q=" + url.QueryEscape(titles[0]))
	visitor.expect("the search is in Hindi", "main h1", "कार्यक्रम खोजें")
	visitor.shot("visitor-search-hi")
	visitor.submit("open the program", fmt.Sprintf(`//a[contains(., %q)]`, titles[0]))
	visitor.expect("the rules are in words, in Hindi", "ul.rules", "अंग्रेज़ी: B2 उच्च मध्यम या उससे ऊपर")
	visitor.expect("the stipend is formatted", "main", "¥1,50,000 प्रति माह")
	visitor.shot("visitor-program-hi")
	t.Logf("browser journey: %s", time.Since(began).Round(time.Millisecond))
}
