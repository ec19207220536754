package programs_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/talentbridge/platform/services/programs"
	"github.com/talentbridge/platform/services/programs/internal/app"
	"github.com/talentbridge/platform/services/programs/internal/domain"
	"github.com/talentbridge/platform/services/programs/internal/mongostore"
	"github.com/talentbridge/platform/shared/auth"
	"github.com/talentbridge/platform/shared/events"
	"github.com/talentbridge/platform/shared/events/identity"
	programsev "github.com/talentbridge/platform/shared/events/programs"
	"github.com/talentbridge/platform/shared/mongodb"
	"github.com/talentbridge/platform/shared/mongotest"
	"github.com/talentbridge/platform/shared/natsbus"
	"github.com/talentbridge/platform/shared/natstest"
	"github.com/talentbridge/platform/shared/outbox"
	"github.com/talentbridge/platform/shared/platformtest"
)

// waitConsumed waits until a durable consumer has handled everything in
// its stream, so a test can check that an event changed nothing.
func waitConsumed(t *testing.T, bus *natsbus.Bus, stream, durable string) {
	t.Helper()
	platformtest.Eventually(t, 10*time.Second, func() error {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		c, err := bus.JS.Consumer(ctx, stream, durable)
		if err != nil {
			return err
		}
		info, err := c.Info(ctx)
		if err != nil {
			return err
		}
		st, err := bus.JS.Stream(ctx, stream)
		if err != nil {
			return err
		}
		sinfo, err := st.Info(ctx)
		if err != nil {
			return err
		}
		// Everything up to the stream's last message is acknowledged (a
		// message waiting to be redelivered after an error is not).
		if info.AckFloor.Stream < sinfo.State.LastSeq {
			return fmt.Errorf("%s: acknowledged up to %d of %d", durable, info.AckFloor.Stream, sinfo.State.LastSeq)
		}
		return nil
	})
}

// TestIdentityEvents delivers identity events twice and out of order: the
// host read model ends the same whatever the order.
func TestIdentityEvents(t *testing.T) {
	t.Parallel()
	// The read model's answers, not the revocation of deleted hosts'
	// tokens (tested in shared/auth and services/standalone).
	e := start(t, platformtest.Options{KeepRevokedTokens: true}, nil)
	created := func(id, status string) identity.UserCreated {
		return identity.UserCreated{UserID: id, Role: auth.RoleHost, Status: status, Name: "Host", CreatedAt: time.Now()}
	}
	verified := func(id string) identity.UserVerified {
		return identity.UserVerified{UserID: id, Role: auth.RoleHost, VerifiedBy: "c1", VerifiedAt: time.Now()}
	}
	deleted := func(id string) identity.UserDeleted {
		return identity.UserDeleted{UserID: id, Role: auth.RoleHost, DeletedAt: time.Now()}
	}
	type delivery struct {
		subject string
		version int64
		payload func(id string) any
	}
	c := delivery{events.UserCreated, 1, func(id string) any { return created(id, "pending") }}
	ca := delivery{events.UserCreated, 1, func(id string) any { return created(id, "active") }}
	v := delivery{events.UserVerified, 2, func(id string) any { return verified(id) }}
	d := delivery{events.UserDeleted, 3, func(id string) any { return deleted(id) }}
	tests := []struct {
		name  string
		order []delivery
		draft int // status of POST /programs with an empty body: 400 = may keep drafts, 403 = may not
		// publish: whether the host may publish a valid draft (403
		// host_not_verified when not).
		publish bool
	}{
		{"created only", []delivery{c, c}, 400, false},
		{"created, verified", []delivery{c, v}, 400, true},
		{"verified before created", []delivery{v, c}, 400, true},
		{"everything twice", []delivery{c, v, c, v}, 400, true},
		{"verified twice before created twice", []delivery{v, v, c, c}, 400, true},
		{"created already active", []delivery{ca}, 400, true},
		{"deleted after verified", []delivery{c, v, d}, 403, false},
		{"deleted first, then the rest late", []delivery{d, c, v, v}, 403, false},
	}
	hosts := make([]string, len(tests))
	for i, tc := range tests {
		hosts[i] = uuid.NewString()
		for _, dl := range tc.order {
			e.publish(t, dl.subject, hosts[i], dl.version, dl.payload(hosts[i]))
		}
	}
	// An applicant's events are ignored.
	applicant := uuid.NewString()
	e.publish(t, events.UserVerified, applicant, 2, identity.UserVerified{UserID: applicant, Role: auth.RoleApplicant})
	waitConsumed(t, e.Deps.Bus, "IDENTITY", "programs-identity")
	for i, tc := range tests {
		token := e.Issuer.Token(t, hosts[i], auth.RoleHost)
		r := e.Do(t, "POST", "/api/v1/programs", token, `{}`)
		if r.Status != tc.draft {
			t.Errorf("%s: POST /programs = %d %s, want %d", tc.name, r.Status, r.Body, tc.draft)
		}
		if tc.draft != 400 {
			continue
		}
		p := e.create(t, token, e.body(tc.name))
		r = e.Do(t, "POST", "/api/v1/programs/"+p.ID+"/publish", token, nil)
		switch {
		case tc.publish && r.Status != 200:
			t.Errorf("%s: publish = %d %s, want 200", tc.name, r.Status, r.Body)
		case !tc.publish && (r.Status != 403 || r.Problem(t).Code != "host_not_verified"):
			t.Errorf("%s: publish = %d %s, want 403 host_not_verified", tc.name, r.Status, r.Body)
		}
	}
	if r := e.Do(t, "POST", "/api/v1/programs", e.Issuer.Token(t, applicant, auth.RoleHost), `{}`); r.Status != 403 {
		t.Errorf("an applicant's id with a host token = %d, want 403", r.Status)
	}
}

// TestHostDeletion closes a deleted host's programs and announces it.
func TestHostDeletion(t *testing.T) {
	t.Parallel()
	// The deleted host stays refused by the read model itself (403), not
	// only by the revocation of its tokens.
	e := start(t, platformtest.Options{KeepRevokedTokens: true}, nil)
	id, host := e.verifiedHost(t)
	pub := e.published(t, host, e.body("Published"))
	draft := e.create(t, host, e.body("Draft"))
	e.publish(t, events.UserDeleted, id, 3, identity.UserDeleted{UserID: id, Role: auth.RoleHost, DeletedAt: time.Now()})
	evs := waitEvents(t, e.Deps.Bus, events.ProgramClosed, pub.ID, 1)
	var snap programsev.Program
	if err := evs[0].Decode(&snap); err != nil {
		t.Fatal(err)
	}
	if snap.ClosedReason != programsev.ClosedHostDeleted {
		t.Errorf("closed reason = %q, want %q", snap.ClosedReason, programsev.ClosedHostDeleted)
	}
	platformtest.Eventually(t, 10*time.Second, func() error {
		var got programsev.Program
		e.Do(t, "GET", "/api/v1/programs/"+draft.ID, host, nil).JSON(t, &got)
		if got.Status != "closed" {
			return fmt.Errorf("draft of a deleted host: status %s, want closed", got.Status)
		}
		return nil
	})
	if evs := streamEvents(t, e.Deps.Bus, events.ProgramClosed, draft.ID); len(evs) != 0 {
		t.Errorf("closing a draft published %d events, want none", len(evs))
	}
	if r := e.Do(t, "POST", "/api/v1/programs", host, `{}`); r.Status != 403 {
		t.Errorf("POST by a deleted host = %d, want 403", r.Status)
	}
}

type page struct {
	Items    []programsev.Program `json:"items"`
	Page     int                  `json:"page"`
	PageSize int                  `json:"pageSize"`
	Total    int                  `json:"total"`
	AsOf     string               `json:"asOf"`
}

func (e *env) search(t *testing.T, token, query string) page {
	t.Helper()
	r := e.Do(t, "GET", "/api/v1/programs?"+query, token, nil)
	if r.Status != 200 {
		t.Fatalf("GET /programs?%s = %d %s", query, r.Status, r.Body)
	}
	var p page
	r.JSON(t, &p)
	return p
}

func titles(p page) []string {
	out := []string{}
	for _, it := range p.Items {
		out = append(out, it.Title)
	}
	slices.Sort(out)
	return out
}

func TestSearch(t *testing.T) {
	t.Parallel()
	e := start(t, platformtest.Options{}, nil)
	_, host := e.verifiedHost(t)
	_, indian := e.verifiedHost(t)
	type prog struct {
		title, titleJa, kind, country, region, field string
		deadline                                     int
		skills                                       []string
		publish                                      bool
	}
	for _, p := range []prog{
		{"Disaster resilience research", "防災研究", "joint_research", "JP", "Miyagi", "2.2", 30, []string{"remote sensing"}, true},
		{"Robotics internship", "ロボット工学インターンシップ", "internship", "JP", "Tokyo", "2.3", 20, []string{"ros"}, true},
		{"Machine learning exchange", "機械学習の交換留学", "exchange", "JP", "Kyoto", "1.2", 40, []string{"nlp"}, true},
		{"Software internship", "ソフトウェア開発インターンシップ", "internship", "IN", "Karnataka", "1.2", 25, []string{"go"}, true},
		{"Secret machine learning draft", "機械学習の下書き", "internship", "IN", "Karnataka", "1.2", 25, []string{"nlp"}, false},
	} {
		token := host
		if p.country == "IN" {
			token = indian
		}
		body := e.body(p.title, func(m map[string]any) {
			m["titleJa"], m["kind"], m["hostCountry"], m["region"] = p.titleJa, p.kind, p.country, p.region
			m["fields"], m["skills"] = []string{p.field}, p.skills
			m["applicationDeadline"] = e.clock.Now().AddDate(0, 0, p.deadline).Format("2006-01-02")
			if p.country == "IN" {
				m["hostOrg"] = "Infosys"
			}
		})
		if p.publish {
			e.published(t, token, body)
		} else {
			e.create(t, token, body)
		}
	}
	closed := e.published(t, host, e.body("Closed machine learning school"))
	if r := e.Do(t, "POST", "/api/v1/programs/"+closed.ID+"/close", host, nil); r.Status != 200 {
		t.Fatalf("close = %d", r.Status)
	}
	time.Sleep(10 * time.Millisecond) // snapshots trail the clock by a millisecond

	tests := []struct {
		query string
		want  []string
	}{
		{"q=robotics", []string{"Robotics internship"}},
		{"q=disaster+resilience", []string{"Disaster resilience research"}},
		{"q=" + url.QueryEscape("防災"), []string{"Disaster resilience research"}},
		{"q=" + url.QueryEscape("機械学習"), []string{"Machine learning exchange"}},
		{"q=" + url.QueryEscape("インターンシップ"), []string{"Robotics internship", "Software internship"}},
		{"q=machine+learning", []string{"Machine learning exchange"}},
		{"q=computer+science", []string{"Machine learning exchange", "Software internship"}},
		{"kind=internship", []string{"Robotics internship", "Software internship"}},
		{"kind=internship&hostCountry=JP", []string{"Robotics internship"}},
		{"kind=internship&hostCountry=IN&field=1.2&open=true", []string{"Software internship"}},
		{"kind=exchange&hostCountry=IN", []string{}},
		{"region=kyoto&open=true", []string{"Machine learning exchange"}},
		{"", []string{"Disaster resilience research", "Machine learning exchange", "Robotics internship", "Software internship"}},
	}
	for _, tc := range tests {
		p := e.search(t, "", tc.query)
		if got := titles(p); !slices.Equal(got, tc.want) || p.Total != len(tc.want) {
			t.Errorf("search %q = %v (total %d), want %v", tc.query, got, p.Total, tc.want)
		}
	}
	// By deadline by default without text; with text, scores come back.
	p := e.search(t, "", "")
	var deadlines []string
	for _, it := range p.Items {
		deadlines = append(deadlines, it.ApplicationDeadline)
		if it.HostID != "" || it.Status != "published" {
			t.Errorf("public item %q: hostId %q status %s", it.Title, it.HostID, it.Status)
		}
	}
	if !slices.IsSorted(deadlines) {
		t.Errorf("default order not by deadline: %v", deadlines)
	}
	var scored struct {
		Items []struct{ Score *float64 } `json:"items"`
	}
	e.Do(t, "GET", "/api/v1/programs?q=robotics", "", nil).JSON(t, &scored)
	if len(scored.Items) != 1 || scored.Items[0].Score == nil || *scored.Items[0].Score <= 0 {
		t.Errorf("a text search item carries no positive score: %+v", scored.Items)
	}
	// The host sees their own drafts with mine=true; nobody else does.
	if got := titles(e.search(t, indian, "mine=true&q=machine")); !slices.Equal(got, []string{"Secret machine learning draft"}) {
		t.Errorf("mine=true for the host = %v, want their draft", got)
	}
	if r := e.Do(t, "GET", "/api/v1/programs?mine=true", "", nil); r.Status != 401 {
		t.Errorf("mine=true without a token = %d, want 401", r.Status)
	}
	if r := e.Do(t, "GET", "/api/v1/programs?mine=true", e.Issuer.Token(t, "a1", auth.RoleApplicant), nil); r.Status != 403 {
		t.Errorf("mine=true for an applicant = %d, want 403", r.Status)
	}
	// Bad parameters are named.
	r := e.Do(t, "GET", "/api/v1/programs?pageSize=1000&status=draft", "", nil)
	if r.Status != 400 {
		t.Fatalf("bad parameters = %d, want 400", r.Status)
	}
	var fields []string
	for _, f := range r.Problem(t).Errors {
		fields = append(fields, f.Field)
	}
	slices.Sort(fields)
	if !slices.Equal(fields, []string{"pageSize", "status"}) {
		t.Errorf("bad parameters named %v, want [pageSize status]", fields)
	}
}

// TestPagingWhileAdding pages through the catalogue while another host
// keeps publishing: with asOf every program of the first page's snapshot
// comes back exactly once.
func TestPagingWhileAdding(t *testing.T) {
	t.Parallel()
	e := start(t, platformtest.Options{}, nil)
	_, host := e.verifiedHost(t)
	_, busy := e.verifiedHost(t)
	const initial = 16
	before := map[string]bool{}
	for i := range initial {
		p := e.published(t, host, e.body(fmt.Sprintf("Robotics %02d", i), func(m map[string]any) {
			m["applicationDeadline"] = e.clock.Now().AddDate(0, 0, 10+i%5).Format("2006-01-02")
		}))
		before[p.ID] = true
	}
	time.Sleep(10 * time.Millisecond)

	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			// Deadlines among the existing ones, so new programs sort
			// between them.
			body := e.body(fmt.Sprintf("Robotics new %02d", i), func(m map[string]any) {
				m["applicationDeadline"] = e.clock.Now().AddDate(0, 0, 10+i%5).Format("2006-01-02")
			})
			r := e.Do(t, "POST", "/api/v1/programs", busy, body)
			var p programsev.Program
			if json.Unmarshal(r.Body, &p) != nil || r.Status != 201 {
				t.Errorf("create = %d", r.Status)
				return
			}
			if r := e.Do(t, "POST", "/api/v1/programs/"+p.ID+"/publish", busy, nil); r.Status != 200 {
				t.Errorf("publish = %d", r.Status)
				return
			}
		}
	}()

	for _, sortBy := range []string{"deadline", "relevance"} {
		query := "q=robotics&pageSize=3&sort=" + sortBy
		first := e.search(t, "", query)
		seen := map[string]int{}
		for n := 1; ; n++ {
			p := e.search(t, "", fmt.Sprintf("%s&page=%d&asOf=%s", query, n, url.QueryEscape(first.AsOf)))
			if p.Total != first.Total {
				t.Errorf("%s page %d: total %d, want %d as on page 1", sortBy, n, p.Total, first.Total)
			}
			if len(p.Items) == 0 {
				break
			}
			for _, it := range p.Items {
				seen[it.ID]++
			}
			time.Sleep(15 * time.Millisecond) // let programs be added between pages
		}
		for id, n := range seen {
			if n != 1 {
				t.Errorf("%s: program %s returned %d times", sortBy, id, n)
			}
		}
		for id := range before {
			if seen[id] != 1 {
				t.Errorf("%s: program %s published before the search was not returned", sortBy, id)
			}
		}
		if len(seen) != first.Total {
			t.Errorf("%s: %d programs over all pages, total says %d", sortBy, len(seen), first.Total)
		}
	}
	close(stop)
	wg.Wait()
	// Without asOf a new search sees the programs added meanwhile.
	if p := e.search(t, "", "q=robotics&pageSize=1"); p.Total <= initial {
		t.Errorf("a fresh search finds %d programs, want more than the %d first published", p.Total, initial)
	}
}

// TestDeadlineClosesOnce runs two instances of the service on one database
// and one NATS server. When the deadlines pass, both deadline loops find
// the programs; each program is closed once and program.closed is in the
// stream once.
func TestDeadlineClosesOnce(t *testing.T) {
	t.Parallel()
	clock := &testClock{}
	natsURL := natstest.Start(t)
	one := start(t, platformtest.Options{NATSURL: natsURL}, clock)
	two := start(t, platformtest.Options{NATSURL: natsURL, DBPrefix: one.Deps.DBPrefix}, clock)
	_, host := one.verifiedHost(t)

	soon := func(m map[string]any) { m["applicationDeadline"] = clock.Now().AddDate(0, 0, 1).Format("2006-01-02") }
	var due []programsev.Program
	for i := range 3 {
		due = append(due, one.published(t, host, one.body(fmt.Sprintf("Due %d", i), soon)))
	}
	later := one.published(t, host, one.body("Later"))
	if r := two.Do(t, "GET", "/api/v1/programs/"+due[0].ID, "", nil); r.Status != 200 {
		t.Fatalf("the second instance does not see the program: %d", r.Status)
	}

	clock.Advance(72 * time.Hour)
	for _, p := range due {
		platformtest.Eventually(t, 10*time.Second, func() error {
			var got programsev.Program
			two.Do(t, "GET", "/api/v1/programs/"+p.ID, "", nil).JSON(t, &got)
			if got.Status != "closed" {
				return fmt.Errorf("%s is %s", p.Title, got.Status)
			}
			if got.ClosedReason != "deadline" {
				t.Errorf("%s closed for %q, want deadline", p.Title, got.ClosedReason)
			}
			return nil
		})
	}
	// Let both loops run many more times, then count.
	time.Sleep(time.Second)
	for _, p := range due {
		evs := waitEvents(t, one.Deps.Bus, events.ProgramClosed, p.ID, 1)
		if len(evs) != 1 {
			t.Errorf("%s: %d program.closed events, want exactly 1", p.Title, len(evs))
		}
	}
	var got programsev.Program
	one.Do(t, "GET", "/api/v1/programs/"+later.ID, "", nil).JSON(t, &got)
	if got.Status != "published" || len(streamEvents(t, one.Deps.Bus, events.ProgramClosed, later.ID)) != 0 {
		t.Errorf("a program whose deadline has not passed: status %s", got.Status)
	}
	// Closed programs drop out of open searches on both instances.
	for i, inst := range []*env{one, two} {
		platformtest.Eventually(t, 5*time.Second, func() error {
			if p := inst.search(t, "", "open=true"); p.Total != 1 {
				return fmt.Errorf("instance %d: open search finds %d programs, want 1", i+1, p.Total)
			}
			return nil
		})
	}
}

// TestStaleIndexDoesNotClose: the deadline loop takes its candidates from
// the search index, which lags what other replicas write by the refresh
// interval. A replica whose index still holds a program's old deadline
// checks the stored program before closing it, and leaves it open.
func TestStaleIndexDoesNotClose(t *testing.T) {
	t.Parallel()
	clock := &testClock{}
	natsURL := natstest.Start(t)
	one := start(t, platformtest.Options{NATSURL: natsURL}, clock)
	_, host := one.verifiedHost(t)
	soon := func(m map[string]any) { m["applicationDeadline"] = clock.Now().AddDate(0, 0, 1).Format("2006-01-02") }
	moved := one.published(t, host, one.body("Moved", soon))
	due := one.published(t, host, one.body("Due", soon))

	// The second replica loads both at start and does not refresh again
	// during the test.
	slow := fast
	slow.RefreshInterval = time.Hour
	two := startWith(t, platformtest.Options{NATSURL: natsURL, DBPrefix: one.Deps.DBPrefix}, clock, slow)
	if r := one.Do(t, "PUT", "/api/v1/programs/"+moved.ID, host, one.body("Moved")); r.Status != 200 {
		t.Fatalf("move the deadline = %d %s", r.Status, r.Body)
	}
	if p := two.search(t, "", "q=moved"); len(p.Items) != 1 || p.Items[0].ApplicationDeadline != moved.ApplicationDeadline {
		t.Fatalf("the second replica's index: %+v, want the program with its old deadline %s", p.Items, moved.ApplicationDeadline)
	}

	clock.Advance(72 * time.Hour)
	platformtest.Eventually(t, 10*time.Second, func() error {
		var got programsev.Program
		two.Do(t, "GET", "/api/v1/programs/"+due.ID, "", nil).JSON(t, &got)
		if got.Status != "closed" {
			return fmt.Errorf("the due program is %s", got.Status)
		}
		return nil
	})
	time.Sleep(time.Second) // many more passes of both loops
	var got programsev.Program
	two.Do(t, "GET", "/api/v1/programs/"+moved.ID, "", nil).JSON(t, &got)
	if got.Status != "published" || len(streamEvents(t, one.Deps.Bus, events.ProgramClosed, moved.ID)) != 0 {
		t.Errorf("a program whose deadline was moved is %s (closed for %q)", got.Status, got.ClosedReason)
	}
}

// TestUnfinishedImportFinishedAtStart stores an import as a process that
// stopped before finishing it leaves it, then starts the service: the
// deadline loop finishes it, its programs are in the search index (not by
// the refresh, which is slow here) and its events are published.
func TestUnfinishedImportFinishedAtStart(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clock := &testClock{}
	prefix := mongotest.Prefix(t)
	db := mongotest.Client(t).Database(prefix + programs.Database)
	if err := mongodb.EnsureIndexes(ctx, db, mongostore.Indexes()); err != nil {
		t.Fatal(err)
	}
	then := clock.Now().UTC().Truncate(time.Millisecond).Add(-time.Minute)
	day := func(d int) string { return then.AddDate(0, 0, d).Format("2006-01-02") }
	seats := 2
	p, err := domain.New(uuid.NewString(), uuid.NewString(), domain.Content{
		Title: "Left half imported", Description: "d", Kind: "internship", HostOrg: "Kobe Robotics",
		HostCountry: "JP", Region: "Hyogo", Fields: []string{"2.3"}, Seats: &seats,
		StartDate: day(90), EndDate: day(150), ApplicationDeadline: day(30),
	}, then)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Publish(then); err != nil {
		t.Fatal(err)
	}
	ev, err := events.New(programsev.Source, events.ProgramPublished, p.ID, p.Version,
		programsev.ProgramPublished{Program: app.Snapshot(p)})
	if err != nil {
		t.Fatal(err)
	}
	imp := app.Import{ID: uuid.NewString(), HostID: p.HostID, CreatedAt: then,
		Programs: []app.Pending{{Program: p, Events: []events.Envelope{ev}}}}
	if err := mongostore.New(db, outbox.Config{}).SaveImport(ctx, imp); err != nil {
		t.Fatal(err)
	}

	slow := fast
	slow.RefreshInterval = time.Hour
	e := startWith(t, platformtest.Options{DBPrefix: prefix}, clock, slow)
	platformtest.Eventually(t, 10*time.Second, func() error {
		if p := e.search(t, "", "q=half+imported"); p.Total != 1 {
			return fmt.Errorf("search finds %d programs, want the imported one", p.Total)
		}
		return nil
	})
	if evs := waitEvents(t, e.Deps.Bus, events.ProgramPublished, p.ID, 1); len(evs) != 1 {
		t.Errorf("%d program.published events, want 1", len(evs))
	}
}

const csvHeader = "title,titleJa,description,kind,hostOrg,hostCountry,region,fields,skills,seats,startDate,endDate,applicationDeadline,stipendAmount,stipendCurrency,stipendPeriod,applicantKinds,languages,maxAge\n"

func (e *env) csvRow(title string, change func(cols []string)) string {
	now := e.clock.Now()
	day := func(d int) string { return now.AddDate(0, 0, d).Format("2006-01-02") }
	cols := []string{title, "", "Imported program", "internship", "Kobe Robotics", "JP", "Hyogo", "2.3;1.2", "ros;c++", "3",
		day(90), day(150), day(30), "200000", "JPY", "month", "student", "en:B2;ja:N3", "30"}
	if change != nil {
		change(cols)
	}
	return strings.Join(cols, ",") + "\n"
}

func (e *env) importCSV(t *testing.T, token, query, file string) platformtest.Response {
	t.Helper()
	return platformtest.Do(t, e.Server.URL, http.MethodPost, "/api/v1/programs/import"+query, token, file, "Content-Type", "text/csv")
}

func TestImportCSV(t *testing.T) {
	t.Parallel()
	e := start(t, platformtest.Options{}, nil)
	_, host := e.verifiedHost(t)
	count := func() int {
		time.Sleep(5 * time.Millisecond)
		return e.search(t, host, "mine=true").Total
	}

	// A file with problems on lines 3 and 5 stores nothing, and says where.
	bad := csvHeader +
		e.csvRow("Good one", nil) +
		e.csvRow("Bad seats", func(c []string) { c[9] = "-4" }) +
		e.csvRow("Also good", nil) +
		e.csvRow("Bad level", func(c []string) { c[17] = "en:B2;ja:C1" })
	r := e.importCSV(t, host, "", bad)
	if r.Status != 400 {
		t.Fatalf("import with bad rows = %d %s, want 400", r.Status, r.Body)
	}
	var prob struct {
		Code   string `json:"code"`
		Errors []struct {
			Line   int    `json:"line"`
			Field  string `json:"field"`
			Reason string `json:"reason"`
		} `json:"errors"`
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
		t.Errorf("Content-Type = %q", ct)
	}
	r.JSON(t, &prob)
	var where []string
	for _, e := range prob.Errors {
		where = append(where, fmt.Sprintf("%d:%s", e.Line, e.Field))
		if e.Reason == "" {
			t.Errorf("problem on line %d has no reason", e.Line)
		}
	}
	if want := []string{"3:seats", "5:eligibility.languages[1].minLevel"}; prob.Code != "invalid_import" || !slices.Equal(where, want) {
		t.Errorf("problems = %s %v, want invalid_import %v", prob.Code, where, want)
	}
	if n := count(); n != 0 {
		t.Fatalf("after a refused import the host has %d programs, want 0", n)
	}

	// A good file is stored whole, as drafts.
	good := csvHeader + e.csvRow("First", nil) + e.csvRow("Second", nil)
	r = e.importCSV(t, host, "", good)
	if r.Status != 201 {
		t.Fatalf("import = %d %s, want 201", r.Status, r.Body)
	}
	var res struct {
		Imported int                  `json:"imported"`
		Items    []programsev.Program `json:"items"`
	}
	r.JSON(t, &res)
	if res.Imported != 2 || len(res.Items) != 2 || res.Items[0].Status != "draft" || res.Items[0].Seats != 3 {
		t.Fatalf("import result %+v, want two drafts with 3 seats", res)
	}
	if n := count(); n != 2 {
		t.Errorf("after the import the host has %d programs, want 2", n)
	}

	// publish=true publishes them, and announces each; as a multipart upload.
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", "programs.csv")
	fw.Write([]byte(csvHeader + e.csvRow("Third", nil)))
	mw.Close()
	r = platformtest.Do(t, e.Server.URL, http.MethodPost, "/api/v1/programs/import?publish=true", host, body.Bytes(),
		"Content-Type", mw.FormDataContentType())
	if r.Status != 201 {
		t.Fatalf("multipart import = %d %s", r.Status, r.Body)
	}
	r.JSON(t, &res)
	if res.Imported != 1 || res.Items[0].Status != "published" {
		t.Fatalf("published import %+v", res)
	}
	waitEvents(t, e.Deps.Bus, events.ProgramPublished, res.Items[0].ID, 1)

	// A host still waiting for verification imports drafts, but may not
	// publish them at once.
	_, pending := e.host(t)
	time.Sleep(200 * time.Millisecond)
	if r := e.importCSV(t, pending, "?publish=true", good); r.Status != 403 || r.Problem(t).Code != "host_not_verified" {
		t.Errorf("publishing import by a pending host = %d %s, want 403 host_not_verified", r.Status, r.Body)
	}
	if r := e.importCSV(t, pending, "", good); r.Status != 201 {
		t.Errorf("draft import by a pending host = %d %s, want 201", r.Status, r.Body)
	}
	if r := e.importCSV(t, e.Issuer.Token(t, "a1", auth.RoleApplicant), "", good); r.Status != 403 {
		t.Errorf("import by an applicant = %d, want 403", r.Status)
	}
}

func TestExport(t *testing.T) {
	t.Parallel()
	e := start(t, platformtest.Options{}, nil)
	id, host := e.verifiedHost(t)
	_, other := e.verifiedHost(t)
	e.published(t, host, e.body("Mine"))
	e.create(t, host, e.body("My draft"))
	e.create(t, other, e.body("Not mine"))

	ask := func(body string) map[string]any {
		t.Helper()
		msg, err := e.Deps.Bus.NC.Request("tb.rpc.programs.export", []byte(body), 5*time.Second)
		if err != nil {
			t.Fatalf("export request: %v", err)
		}
		var out map[string]any
		if err := json.Unmarshal(msg.Data, &out); err != nil {
			t.Fatal(err)
		}
		return out
	}
	var reply struct {
		Service string `json:"service"`
		Data    struct {
			Programs []programsev.Program `json:"programs"`
		} `json:"data"`
	}
	raw, _ := json.Marshal(ask(fmt.Sprintf(`{"userId": %q}`, id)))
	if err := json.Unmarshal(raw, &reply); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range reply.Data.Programs {
		got = append(got, p.Title)
		if p.HostID != id {
			t.Errorf("exported program %q has hostId %q, want %q", p.Title, p.HostID, id)
		}
	}
	if reply.Service != "programs" || !slices.Equal(got, []string{"Mine", "My draft"}) {
		t.Errorf("export = %s %v, want programs [Mine My draft]", reply.Service, got)
	}
	if out := ask(`{"userId": "nobody"}`); out["service"] != "programs" || out["data"] == nil {
		t.Errorf("export for an unknown user = %v, want an empty part", out)
	}
	if out := ask(`not json`); out["error"] == nil {
		t.Errorf("export of a malformed request = %v, want an error", out)
	}
}
