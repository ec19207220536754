package matching_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/google/uuid"
	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/talentbridge/platform/services/matching"
	"github.com/talentbridge/platform/shared/auth"
	"github.com/talentbridge/platform/shared/eligibility"
	"github.com/talentbridge/platform/shared/events"
	profilesev "github.com/talentbridge/platform/shared/events/profiles"
	programsev "github.com/talentbridge/platform/shared/events/programs"
	"github.com/talentbridge/platform/shared/platformtest"
	"github.com/talentbridge/platform/shared/taxonomy"
)

// fast are the options of most tests: the defaults, since the
// recommendations follow every event as it comes and have nothing to tune.
var fast = matching.Options{}

func start(t *testing.T, o matching.Options) *platformtest.Env {
	t.Helper()
	return platformtest.Start(t, platformtest.Options{}, matching.NewWithOptions(o))
}

// world is a test's people and programs, with tokens.
type world struct {
	t   *testing.T
	env *platformtest.Env
}

func newWorld(t *testing.T, o matching.Options) *world {
	return &world{t: t, env: start(t, o)}
}

func (w *world) token(id, role string) string { return w.env.Issuer.Token(w.t, id, role) }

func (w *world) coordinator() string { return w.token("coord-1", auth.RoleCoordinator) }

func (w *world) do(method, path, token string, body any) platformtest.Response {
	w.t.Helper()
	return w.env.Do(w.t, method, "/api/v1"+path, token, body)
}

// must sends a request and fails the test unless it answers want; the body
// is decoded into out when out is not nil.
func (w *world) must(method, path, token string, body any, want int, out any) platformtest.Response {
	w.t.Helper()
	r := w.do(method, path, token, body)
	if r.Status != want {
		w.t.Fatalf("%s %s = %d %s, want %d", method, path, r.Status, r.Body, want)
	}
	if out != nil {
		r.JSON(w.t, out)
	}
	return r
}

// publish sends an event to its stream as a producer would; msgID lets a
// test deliver the same event twice (JetStream drops a repeated id).
func publish(t *testing.T, env *platformtest.Env, ev events.Envelope, msgID string) {
	t.Helper()
	platformtest.PublishWithID(t, env.Deps.Bus, ev, msgID)
}

func day(d time.Duration) string { return time.Now().Add(d).UTC().Format(eligibility.DateLayout) }

// programSnap is a published program in Japan, open to Indian applicants,
// with a deadline a month away.
func programSnap(id, host string, seats int) programsev.Program {
	deadline := day(30 * 24 * time.Hour)
	closes, _, _ := eligibility.Closes(eligibility.Program{HostCountry: "JP", ApplicationDeadline: deadline})
	return programsev.Program{ID: id, HostID: host, Title: "Program " + id, Description: "Research on machine learning for robots",
		Kind: taxonomy.ProgramJointResearch, HostOrg: "Tohoku University", HostCountry: "JP", Region: "Miyagi",
		Fields: []string{"1.2"}, Skills: []string{"python", "machine learning"}, Seats: seats,
		StartDate: day(90 * 24 * time.Hour), EndDate: day(180 * 24 * time.Hour), ApplicationDeadline: deadline,
		ClosesAt: closes, Eligibility: eligibility.Rules{HomeCountries: []string{"IN", "JP"}}, Status: programsev.StatusPublished}
}

func profileSnap(id, country string, visible bool) profilesev.Profile {
	return profilesev.Profile{ID: id, Kind: taxonomy.ApplicantStudent, Name: "Applicant " + id, HomeCountry: country,
		Institution: "IIT Madras", Region: "Tamil Nadu", Fields: []string{"1.2"}, Skills: []string{"python", "nlp"},
		Languages: []taxonomy.Language{{Code: "en", Level: "C1"}}, DegreeLevel: taxonomy.DegreeMaster, BirthYear: 2001,
		Statement: "I build machine learning tools.", Gender: "female",
		Consents: profilesev.Consents{NoticeVersion: profilesev.FindableSince, DataProcessing: true, CrossBorderTransfer: true, VisibleToHosts: visible}}
}

func (w *world) putProgram(p programsev.Program, version int64) {
	w.t.Helper()
	subject := events.ProgramUpdated
	switch {
	case p.Status == programsev.StatusClosed:
		subject = events.ProgramClosed
	case version == 1:
		subject = events.ProgramPublished
	}
	p.Version = version
	publish(w.t, w.env, platformtest.Event(w.t, programsev.Source, subject, p.ID, version, programsev.ProgramUpdated{Program: p}), "")
}

func (w *world) putProfile(p profilesev.Profile, version int64) {
	w.t.Helper()
	subject := events.ProfileUpdated
	if version == 1 {
		subject = events.ProfileCreated
	}
	publish(w.t, w.env, platformtest.Event(w.t, profilesev.Source, subject, p.ID, version, profilesev.ProfileUpdated{Profile: p}), "")
}

func (w *world) erase(id string, version int64) {
	w.t.Helper()
	publish(w.t, w.env, platformtest.Event(w.t, profilesev.Source, events.ProfileErased, id, version, profilesev.ProfileErased{ProfileID: id}), "")
}

// waitVersion waits until the read model holds document id at version.
func (w *world) waitVersion(collection, id string, version int64) {
	w.t.Helper()
	coll := w.env.Deps.DB(matching.Database).Collection(collection)
	platformtest.Eventually(w.t, 15*time.Second, func() error {
		var d struct {
			Version int64 `bson:"version"`
		}
		if err := coll.FindOne(context.Background(), bson.D{{Key: "_id", Value: id}}).Decode(&d); err != nil {
			return fmt.Errorf("%s %s: %v", collection, id, err)
		}
		if d.Version != version {
			return fmt.Errorf("%s %s at version %d, want %d", collection, id, d.Version, version)
		}
		return nil
	})
}

// round is the part of a round response the tests read.
type round struct {
	ID            string   `json:"id"`
	Status        string   `json:"status"`
	Phase         string   `json:"phase"`
	Progress      int      `json:"progress"`
	Seed          int64    `json:"seed"`
	ProgramIDs    []string `json:"programIds"`
	BlockingPairs int      `json:"blockingPairs"`
	Runs          int      `json:"runs"`
	LastError     string   `json:"lastError"`
	Counts        struct {
		Applicants int `json:"applicants"`
		Proposed   int `json:"proposed"`
		Approved   int `json:"approved"`
		Rejected   int `json:"rejected"`
		Published  int `json:"published"`
		Undecided  int `json:"undecided"`
		Unmatched  int `json:"unmatched"`
	} `json:"counts"`
}

type match struct {
	ID          string `json:"id"`
	RoundID     string `json:"roundId"`
	ApplicantID string `json:"applicantId"`
	ProgramID   string `json:"programId"`
	Status      string `json:"status"`
	Choice      int    `json:"choice"`
	Reasons     []struct {
		Code string `json:"code"`
		Text string `json:"text"`
	} `json:"reasons"`
}

type list[T any] struct {
	Items    []T `json:"items"`
	Page     int `json:"page"`
	PageSize int `json:"pageSize"`
	Total    int `json:"total"`
}

// runRound starts a run and waits for it to complete.
func (w *world) runRound(id string) round {
	w.t.Helper()
	var r round
	w.must(http.MethodPost, "/rounds/"+id+"/run", w.coordinator(), nil, http.StatusAccepted, &r)
	if r.Status != "running" {
		w.t.Fatalf("POST /rounds/%s/run status = %s, want running", id, r.Status)
	}
	return w.waitRound(id, r.Runs+1)
}

// waitRound waits until the round completed its n-th run.
func (w *world) waitRound(id string, runs int) round {
	w.t.Helper()
	var r round
	platformtest.Eventually(w.t, 20*time.Second, func() error {
		r = round{}
		w.must(http.MethodGet, "/rounds/"+id, w.coordinator(), nil, http.StatusOK, &r)
		if r.Status != "completed" || r.Runs < runs {
			return fmt.Errorf("round %s is %s (%s %d%%) after %d runs: %s", id, r.Status, r.Phase, r.Progress, r.Runs, r.LastError)
		}
		return nil
	})
	return r
}

func newID() string { return uuid.NewString() }

// roundOfOne makes a new program with one seat, an applicant who applied
// to it, and a round called name over it; it returns the round and the
// program's id.
func (w *world) roundOfOne(applicant, name string) (round, string) {
	w.t.Helper()
	p := "p-" + newID()
	w.putProgram(programSnap(p, "h1", 1), 1)
	w.putProfile(profileSnap(applicant, "IN", true), 1)
	w.waitVersion("programs", p, 1)
	w.waitVersion("profiles", applicant, 1)
	w.must(http.MethodPost, "/applications", w.token(applicant, auth.RoleApplicant), map[string]string{"programId": p}, http.StatusCreated, nil)
	var r round
	w.must(http.MethodPost, "/rounds", w.coordinator(), map[string]any{"name": name, "programIds": []string{p}}, http.StatusCreated, &r)
	return r, p
}
