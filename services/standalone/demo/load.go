// Package demo loads believable sample data into a running TalentBridge
// through its public API, as real users would: an administrator creates a
// coordinator, hosts sign up and are verified by the coordinator, post and
// publish programs, the coordinator imports applicant profiles from a CSV
// file, and a few applicants sign up, write their profiles, apply to
// programs recommended to them and rank them.
//
// Every organisation and person is fictional. Loading is idempotent: a
// second run on the same data finds what the first one made and adds
// nothing twice (accounts, programs by title, the profile import, live
// applications).
package demo

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/talentbridge/platform/shared/api"
	apiidentity "github.com/talentbridge/platform/shared/api/identity"
	apimatching "github.com/talentbridge/platform/shared/api/matching"
	apiprograms "github.com/talentbridge/platform/shared/api/programs"
	programsev "github.com/talentbridge/platform/shared/events/programs"

	apiprofiles "github.com/talentbridge/platform/shared/api/profiles"
	"github.com/talentbridge/platform/shared/taxonomy"
)

// Password is the password of every demo account.
const Password = "indigo lantern 2027 tb"

// CoordinatorEmail is the demo coordinator's address.
const CoordinatorEmail = "coordinator@demo.talentbridge.example"

// Account is a demo account someone can sign in with.
type Account struct {
	Role     string
	Name     string
	Email    string
	Password string
}

// Options tune Load.
type Options struct {
	// AdminEmail and AdminPassword sign in the first administrator, who
	// creates the demo coordinator; empty means TB_ADMIN_EMAIL and
	// TB_ADMIN_PASSWORD from the environment.
	AdminEmail, AdminPassword string
	// Applicants is how many applicants to load in all (default 200); all
	// but the few with accounts are imported by the coordinator.
	Applicants int
	// Client sends the requests; nil means a client with a 30 s timeout.
	Client *http.Client
	// Now is the clock dates are set from; nil means time.Now.
	Now func() time.Time
	// Wait bounds how long Load waits for recommendations to appear
	// (they are built from events); default 60 s.
	Wait time.Duration
}

// accountApplicants are the applicants with accounts, who apply and rank.
var accountApplicants = []struct {
	Email, Name, Kind, Country, Region, Degree, Institution string
	Age                                                     int
	Fields, Skills                                          []string
	Languages                                               []taxonomy.Language
	Kinds                                                   []string
	Statement                                               string
}{
	{"asha@demo.talentbridge.example", "Asha Rao", "student", "IN", "Tamil Nadu", "master", "Kaveri Institute of Technology", 24,
		[]string{"1.2"}, []string{"machine learning", "nlp", "python", "remote sensing"},
		[]taxonomy.Language{{Code: "en", Level: "C1"}, {Code: "ja", Level: "N4"}, {Code: "hi", Level: "native"}},
		[]string{"joint_research", "exchange"}, "I build language tools that help people read disaster alerts, and I want to work on flood forecasting in Japan."},
	{"vikram@demo.talentbridge.example", "Vikram Iyer", "researcher", "IN", "Karnataka", "postdoc", "Vindhya Institute of Science", 31,
		[]string{"1.3", "1.2"}, []string{"quantum computing", "linear algebra", "python"},
		[]taxonomy.Language{{Code: "en", Level: "C2"}, {Code: "kn", Level: "native"}},
		[]string{"fellowship", "joint_research"}, "My research is on quantum error correction; I am looking for a lab with superconducting qubits."},
	{"neha@demo.talentbridge.example", "Neha Kulkarni", "company", "IN", "Maharashtra", "professional", "Shivalik Software Labs", 34,
		[]string{"2.3", "5.2"}, []string{"automation", "lean manufacturing", "plc"},
		[]taxonomy.Language{{Code: "en", Level: "C1"}, {Code: "mr", Level: "native"}, {Code: "ja", Level: "N5"}},
		[]string{"industry_partnership"}, "I lead automation projects for small manufacturers and want to learn from Japanese factories."},
	{"yui@demo.talentbridge.example", "Yui Tanaka", "student", "JP", "Kyoto", "bachelor", "Biwako Institute of Science", 21,
		[]string{"6.4"}, []string{"product design", "ux design", "figma", "sketching"},
		[]taxonomy.Language{{Code: "ja", Level: "native"}, {Code: "en", Level: "B2"}},
		[]string{"exchange", "internship"}, "I study product design and want to work with crafts communities and app users in India."},
	{"kaito@demo.talentbridge.example", "Kaito Suzuki", "student", "JP", "Miyagi", "master", "Tohoku Frontier University", 24,
		[]string{"1.6", "1.2"}, []string{"bioinformatics", "python", "statistics", "linux"},
		[]taxonomy.Language{{Code: "ja", Level: "native"}, {Code: "en", Level: "B2"}},
		[]string{"internship", "scholarship"}, "I analyse genomes of crops and want to join a genomics team in Hyderabad."},
	{"sakura@demo.talentbridge.example", "Sakura Ito", "researcher", "JP", "Osaka", "phd", "Seto Inland Sea University", 29,
		[]string{"2.7", "1.5"}, []string{"hydrology", "gis", "water treatment", "modelling"},
		[]taxonomy.Language{{Code: "ja", Level: "native"}, {Code: "en", Level: "C1"}},
		[]string{"fellowship", "joint_research"}, "I model river basins and urban floods, and I would like to compare deltas in Japan and India."},
}

// Accounts lists the demo accounts (without loading anything), for
// printing at start-up: the coordinator, the hosts and the applicants with
// accounts.
func Accounts() []Account {
	out := []Account{{Role: "coordinator", Name: "Demo Coordinator", Email: CoordinatorEmail, Password: Password}}
	for _, h := range hosts {
		out = append(out, Account{Role: "host", Name: h.Person + " (" + h.Org + ")", Email: h.Email, Password: Password})
	}
	for _, a := range accountApplicants {
		out = append(out, Account{Role: "applicant", Name: a.Name, Email: a.Email, Password: Password})
	}
	return out
}

// Load puts the sample data into the platform at baseURL (such as
// "http://localhost:8080") and returns the demo accounts.
func Load(ctx context.Context, baseURL string, log *slog.Logger, o Options) ([]Account, error) {
	if o.AdminEmail == "" {
		o.AdminEmail, o.AdminPassword = os.Getenv("TB_ADMIN_EMAIL"), os.Getenv("TB_ADMIN_PASSWORD")
	}
	if o.Applicants <= 0 {
		o.Applicants = 200
	}
	if o.Client == nil {
		o.Client = &http.Client{Timeout: 30 * time.Second}
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Wait <= 0 {
		o.Wait = 60 * time.Second
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	l := &loader{api: &client{base: strings.TrimRight(baseURL, "/") + "/api/v1", http: o.Client, log: log}, log: log, o: o, now: o.Now()}
	if err := l.run(ctx); err != nil {
		return nil, err
	}
	return Accounts(), nil
}

type loader struct {
	api *client
	log *slog.Logger
	o   Options
	now time.Time
}

func (l *loader) run(ctx context.Context) error {
	coord, err := l.coordinator(ctx)
	if err != nil {
		return err
	}
	if err := l.hosts(ctx, coord); err != nil {
		return err
	}
	if err := l.importProfiles(ctx, coord); err != nil {
		return err
	}
	if err := l.applicants(ctx); err != nil {
		return err
	}
	l.log.Info("demo data loaded", "hosts", len(hosts), "programs", len(hosts)*5, "applicants", l.o.Applicants)
	return nil
}

// coordinator makes sure the demo coordinator exists and signs it in.
func (l *loader) coordinator(ctx context.Context) (string, error) {
	if tok, err := l.api.login(ctx, CoordinatorEmail, Password); err == nil {
		return tok, nil
	} else if !isStatus(err, http.StatusUnauthorized) {
		return "", err
	}
	if l.o.AdminEmail == "" {
		return "", errors.New("demo: the demo coordinator does not exist yet and no administrator is configured to create it (set TB_ADMIN_EMAIL and TB_ADMIN_PASSWORD)")
	}
	admin, err := l.api.login(ctx, l.o.AdminEmail, l.o.AdminPassword)
	if err != nil {
		return "", fmt.Errorf("demo: sign in the administrator: %w", err)
	}
	err = l.api.do(ctx, http.MethodPost, "/auth/users", admin, apiidentity.CreateUserRequest{
		Email: CoordinatorEmail, Password: Password, Name: "Demo Coordinator", Organization: "TalentBridge",
	}, nil)
	if err != nil && !isStatus(err, http.StatusConflict) {
		return "", fmt.Errorf("demo: create the coordinator: %w", err)
	}
	return l.api.login(ctx, CoordinatorEmail, Password)
}

// hosts signs the hosts up, has the coordinator verify them, and posts and
// publishes their programs.
func (l *loader) hosts(ctx context.Context, coord string) error {
	for _, h := range hosts {
		err := l.api.do(ctx, http.MethodPost, "/auth/signup", "", apiidentity.SignupRequest{
			Email: h.Email, Password: Password, Role: "host", Name: h.Person, Organization: h.Org,
		}, nil)
		if err != nil && !isStatus(err, http.StatusConflict) {
			return fmt.Errorf("demo: sign up host %s: %w", h.Org, err)
		}
	}
	var pending api.Page[apiidentity.UserResponse]
	if err := l.api.do(ctx, http.MethodGet, "/auth/users?role=host&status=pending&pageSize=100", coord, nil, &pending); err != nil {
		return fmt.Errorf("demo: list hosts to verify: %w", err)
	}
	for _, u := range pending.Items {
		if !slices.ContainsFunc(hosts, func(h host) bool { return strings.EqualFold(h.Email, u.Email) }) {
			continue // someone else's: the demo does not verify strangers
		}
		if err := l.api.do(ctx, http.MethodPost, "/auth/users/"+url.PathEscape(u.ID)+"/verify", coord, nil, nil); err != nil {
			return fmt.Errorf("demo: verify host %s: %w", u.Email, err)
		}
	}
	for i, h := range hosts {
		tok, err := l.api.login(ctx, h.Email, Password)
		if err != nil {
			return fmt.Errorf("demo: sign in host %s: %w", h.Org, err)
		}
		var mine apiprograms.SearchResponse
		if err := l.api.do(ctx, http.MethodGet, "/programs?mine=true&pageSize=100", tok, nil, &mine); err != nil {
			return fmt.Errorf("demo: list programs of %s: %w", h.Org, err)
		}
		for _, p := range programsOf(h, i, l.now) {
			id, status := "", ""
			for _, m := range mine.Items {
				if m.Title == p.Title {
					id, status = m.ID, m.Status
				}
			}
			if id == "" {
				var created programsev.Program
				if err := l.api.do(ctx, http.MethodPost, "/programs", tok, p, &created); err != nil {
					return fmt.Errorf("demo: post %q: %w", p.Title, err)
				}
				id, status = created.ID, created.Status
			}
			if status == "draft" {
				if err := l.api.do(ctx, http.MethodPost, "/programs/"+url.PathEscape(id)+"/publish", tok, nil, nil); err != nil {
					return fmt.Errorf("demo: publish %q: %w", p.Title, err)
				}
			}
		}
	}
	return nil
}

// importProfiles has the coordinator import the applicants without
// accounts, unless that was done before.
func (l *loader) importProfiles(ctx context.Context, coord string) error {
	n := l.o.Applicants - len(accountApplicants)
	if n <= 0 {
		return nil
	}
	var existing api.Page[apiprofiles.Profile]
	if err := l.api.do(ctx, http.MethodGet, "/profiles?pageSize=1", coord, nil, &existing); err != nil {
		return fmt.Errorf("demo: count profiles: %w", err)
	}
	if existing.Total >= int64(n) {
		return nil
	}
	notice, err := l.notice(ctx)
	if err != nil {
		return err
	}
	file, err := profilesCSV(people(n, 2027, l.now, notice))
	if err != nil {
		return err
	}
	err = l.api.do(ctx, http.MethodPost, "/profiles/import", coord, rawCSV(file), nil)
	if err != nil && !isStatus(err, http.StatusUnprocessableEntity) {
		return fmt.Errorf("demo: import profiles: %w", err)
	}
	if err != nil {
		// Rows imported by an earlier run from a file of another day: the
		// profiles are there already.
		l.log.Warn("demo: some sample profiles were imported before", "err", err)
	}
	return nil
}

func (l *loader) notice(ctx context.Context) (string, error) {
	var n apiprofiles.ConsentNotice
	if err := l.api.do(ctx, http.MethodGet, "/profiles/consent-notice", "", nil, &n); err != nil {
		return "", fmt.Errorf("demo: read the consent notice: %w", err)
	}
	return n.Version, nil
}

// applicants signs up the applicants with accounts, writes their profiles,
// and has each apply to the programs recommended to them and rank them.
func (l *loader) applicants(ctx context.Context) error {
	notice, err := l.notice(ctx)
	if err != nil {
		return err
	}
	for i, a := range accountApplicants {
		err := l.api.do(ctx, http.MethodPost, "/auth/signup", "", apiidentity.SignupRequest{
			Email: a.Email, Password: Password, Role: "applicant", Name: a.Name,
		}, nil)
		if err != nil && !isStatus(err, http.StatusConflict) {
			return fmt.Errorf("demo: sign up %s: %w", a.Email, err)
		}
		tok, err := l.api.login(ctx, a.Email, Password)
		if err != nil {
			return fmt.Errorf("demo: sign in %s: %w", a.Email, err)
		}
		if err := l.api.do(ctx, http.MethodGet, "/profiles/me", tok, nil, nil); isStatus(err, http.StatusNotFound) {
			var p apiprofiles.ProfileRequest
			p.Kind, p.Name, p.HomeCountry, p.Region, p.DegreeLevel, p.Institution = a.Kind, a.Name, a.Country, a.Region, a.Degree, a.Institution
			p.BirthYear = l.now.Year() - a.Age
			p.Fields, p.Skills, p.Languages, p.Statement = a.Fields, a.Skills, a.Languages, a.Statement
			p.AvailableFrom, p.AvailableTo = day(l.now, 7*i), day(l.now, 7*i+400)
			p.Preferences.ProgramKinds, p.Preferences.HostRegions = a.Kinds, []string{}
			p.Gender = genders[i%len(genders)]
			p.Consents.NoticeVersion, p.Consents.DataProcessing = notice, true
			p.Consents.CrossBorderTransfer, p.Consents.VisibleToHosts = true, true
			if err := l.api.do(ctx, http.MethodPost, "/profiles", tok, p, nil); err != nil && !isStatus(err, http.StatusConflict) {
				return fmt.Errorf("demo: profile of %s: %w", a.Email, err)
			}
		} else if err != nil {
			return fmt.Errorf("demo: read profile of %s: %w", a.Email, err)
		}
		if err := l.applyAndRank(ctx, tok, i); err != nil {
			return fmt.Errorf("demo: applications of %s: %w", a.Email, err)
		}
	}
	return nil
}

// applyAndRank applies to the best recommended programs (two or three) if
// the applicant has no live application yet, then ranks them, the first
// applicant of every second pair in reverse, so ranks differ from scores.
func (l *loader) applyAndRank(ctx context.Context, tok string, i int) error {
	var apps api.Page[apimatching.Application]
	if err := l.api.do(ctx, http.MethodGet, "/applications/me", tok, nil, &apps); err != nil {
		return err
	}
	var live []string
	for _, a := range apps.Items {
		if a.Status == "submitted" {
			live = append(live, a.ProgramID)
		}
	}
	if len(live) == 0 {
		recs, err := l.recommendations(ctx, tok)
		if err != nil {
			return err
		}
		for _, id := range recs[:min(len(recs), 2+i%2)] {
			err := l.api.do(ctx, http.MethodPost, "/applications", tok, apimatching.ApplyRequest{ProgramID: id}, nil)
			switch {
			case err == nil:
				live = append(live, id)
			case isStatus(err, http.StatusConflict), isStatus(err, http.StatusUnprocessableEntity):
				// Applied meanwhile, or no longer eligible: skip it.
			default:
				return err
			}
		}
	}
	if len(live) == 0 {
		return nil
	}
	if i%2 == 1 {
		slices.Reverse(live)
	}
	return l.api.do(ctx, http.MethodPut, "/applications/me/ranking", tok, apimatching.RankingRequest{ProgramIDs: live}, nil)
}

// recommendations waits until the matching service has the applicant's
// recommendations (it learns of profiles and programs by events).
func (l *loader) recommendations(ctx context.Context, tok string) ([]string, error) {
	deadline := time.Now().Add(l.o.Wait)
	for {
		var recs api.Page[apimatching.Recommendation]
		err := l.api.do(ctx, http.MethodGet, "/recommendations/me", tok, nil, &recs)
		if err != nil && !isStatus(err, http.StatusNotFound) {
			return nil, err
		}
		if len(recs.Items) > 0 {
			ids := make([]string, len(recs.Items))
			for i, r := range recs.Items {
				ids[i] = r.ProgramID
			}
			return ids, nil
		}
		if time.Now().After(deadline) {
			l.log.Warn("demo: no recommendations yet; the applicant applies to nothing")
			return nil, nil
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(500 * time.Millisecond):
		}
	}
}

// --- HTTP client ------------------------------------------------------------

// rawCSV is a request body sent as text/csv.
type rawCSV []byte

// apiError is an answer other than 2xx.
type apiError struct {
	Status int
	Code   string
	Detail string
}

func (e *apiError) Error() string {
	return fmt.Sprintf("status %d %s: %s", e.Status, e.Code, e.Detail)
}

func isStatus(err error, status int) bool {
	var ae *apiError
	return errors.As(err, &ae) && ae.Status == status
}

type client struct {
	base string
	http *http.Client
	log  *slog.Logger
}

// login signs in and returns the access token. When sign-ins from this
// address are rate-limited, it waits as long as the server says.
func (c *client) login(ctx context.Context, email, password string) (string, error) {
	for {
		var t apiidentity.TokenResponse
		err := c.do(ctx, http.MethodPost, "/auth/login", "", apiidentity.LoginRequest{Email: email, Password: password}, &t)
		var ae *apiError
		if errors.As(err, &ae) && ae.Status == http.StatusTooManyRequests {
			wait := 5 * time.Second
			if s, err := strconv.Atoi(ae.Detail); err == nil && s > 0 {
				wait = time.Duration(s) * time.Second
			}
			c.log.Info("demo: sign-ins are rate-limited; waiting", "wait", wait)
			select {
			case <-ctx.Done():
				return "", ctx.Err()
			case <-time.After(wait):
			}
			continue
		}
		if err != nil {
			return "", err
		}
		return t.AccessToken, nil
	}
}

// do sends one request; JSON bodies are encoded, rawCSV sent as is. A 503
// (a service still starting) is retried a few times.
func (c *client) do(ctx context.Context, method, path, token string, in, out any) error {
	var raw []byte
	ctype := ""
	switch v := in.(type) {
	case nil:
	case rawCSV:
		raw, ctype = v, "text/csv"
	default:
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		raw, ctype = b, "application/json"
	}
	for attempt := 0; ; attempt++ {
		req, err := http.NewRequestWithContext(ctx, method, c.base+path, bytes.NewReader(raw))
		if err != nil {
			return err
		}
		if ctype != "" {
			req.Header.Set("Content-Type", ctype)
		}
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := c.http.Do(req)
		if err != nil {
			return fmt.Errorf("%s %s: %w", method, path, err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return err
		}
		if resp.StatusCode == http.StatusServiceUnavailable && attempt < 10 {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(time.Second):
			}
			continue
		}
		if resp.StatusCode >= 300 {
			ae := &apiError{Status: resp.StatusCode}
			var p struct {
				Code   string `json:"code"`
				Detail string `json:"detail"`
			}
			_ = json.Unmarshal(body, &p)
			ae.Code, ae.Detail = p.Code, p.Detail
			if resp.StatusCode == http.StatusTooManyRequests {
				ae.Detail = resp.Header.Get("Retry-After")
			}
			return ae
		}
		if out != nil && len(body) > 0 {
			return json.Unmarshal(body, out)
		}
		return nil
	}
}
