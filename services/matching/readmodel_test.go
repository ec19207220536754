package matching_test

import (
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"net/http"
	"reflect"
	"slices"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/talentbridge/platform/services/matching"
	"github.com/talentbridge/platform/shared/auth"
	"github.com/talentbridge/platform/shared/events"
	profilesev "github.com/talentbridge/platform/shared/events/profiles"
	programsev "github.com/talentbridge/platform/shared/events/programs"
	"github.com/talentbridge/platform/shared/platformtest"
)

// history is a sequence of profile and program events as their producers
// published them, in order.
func history(t *testing.T) []events.Envelope {
	var out []events.Envelope
	prof := func(id string, version int64, change func(*profilesev.Profile)) {
		p := profileSnap(id, "IN", true)
		if change != nil {
			change(&p)
		}
		subject := events.ProfileUpdated
		if version == 1 {
			subject = events.ProfileCreated
		}
		out = append(out, platformtest.Event(t, profilesev.Source, subject, id, version, profilesev.ProfileUpdated{Profile: p}))
	}
	erase := func(id string, version int64) {
		out = append(out, platformtest.Event(t, profilesev.Source, events.ProfileErased, id, version, profilesev.ProfileErased{ProfileID: id}))
	}
	prog := func(id string, version int64, subject string, change func(*programsev.Program)) {
		p := programSnap(id, "h1", 2)
		p.Version = version
		if change != nil {
			change(&p)
		}
		out = append(out, platformtest.Event(t, programsev.Source, subject, id, version, programsev.ProgramUpdated{Program: p}))
	}
	prog("g1", 1, events.ProgramPublished, nil)
	prof("r1", 1, nil)
	prof("r2", 1, nil)
	prog("g1", 2, events.ProgramUpdated, func(p *programsev.Program) { p.Seats = 5; p.Skills = []string{"nlp", "python"} })
	prof("r1", 2, func(p *profilesev.Profile) { p.Skills = []string{"robotics"} })
	prog("g2", 1, events.ProgramPublished, func(p *programsev.Program) { p.Title = "Second" })
	prof("r3", 1, func(p *profilesev.Profile) { p.HomeCountry = "JP"; p.Consents.VisibleToHosts = false })
	prof("r2", 2, func(p *profilesev.Profile) { p.DegreeLevel = "phd" })
	prof("r1", 3, func(p *profilesev.Profile) { p.Skills = []string{"nlp", "python", "robotics"}; p.Gender = "" })
	erase("r2", 3)
	prog("g2", 2, events.ProgramClosed, func(p *programsev.Program) {
		p.Status, p.ClosedReason = programsev.StatusClosed, programsev.ClosedByHost
	})
	prog("g1", 3, events.ProgramUpdated, func(p *programsev.Program) { p.Locked = true; p.Seats = 5; p.Skills = []string{"nlp", "python"} })
	return out
}

// readModel returns the read-model documents without the times this
// service stamped on them.
func readModel(t *testing.T, env *platformtest.Env) map[string]bson.M {
	t.Helper()
	out := map[string]bson.M{}
	for _, coll := range []string{"profiles", "programs"} {
		cur, err := env.Deps.DB(matching.Database).Collection(coll).Find(context.Background(), bson.D{})
		if err != nil {
			t.Fatal(err)
		}
		var docs []bson.M
		if err := cur.All(context.Background(), &docs); err != nil {
			t.Fatal(err)
		}
		for _, d := range docs {
			delete(d, "syncedAt")
			out[fmt.Sprintf("%s/%v", coll, d["_id"])] = d
		}
	}
	return out
}

// TestReadModelsIgnoreRepeatsAndOrder delivers every profile and program
// event twice and in a shuffled order (erasure before older updates, newer
// versions before older ones) and compares the read models, the
// recommendations and the candidates with those built from one delivery in
// order.
func TestReadModelsIgnoreRepeatsAndOrder(t *testing.T) {
	t.Parallel()
	evs := history(t)
	inOrder, shuffled := newWorld(t, fast), newWorld(t, fast)
	for _, ev := range evs {
		publish(t, inOrder.env, ev, "")
	}
	mixed := slices.Clone(evs)
	rng := rand.New(rand.NewPCG(3, 4))
	rng.Shuffle(len(mixed), func(i, j int) { mixed[i], mixed[j] = mixed[j], mixed[i] })
	// Make sure the hard cases happen whatever the shuffle: the erasure of
	// r2 and r1's last version go first, so older versions arrive after.
	var first, rest []events.Envelope
	for _, ev := range mixed {
		if (ev.Subject == "r2" && ev.Type == events.ProfileErased) || (ev.Subject == "r1" && ev.AggregateVersion == 3) ||
			(ev.Subject == "g1" && ev.AggregateVersion == 3) {
			first = append(first, ev)
		} else {
			rest = append(rest, ev)
		}
	}
	for i, ev := range append(first, rest...) {
		publish(t, shuffled.env, ev, "")
		publish(t, shuffled.env, ev, fmt.Sprintf("%s-again-%d", ev.ID, i))
	}
	for _, w := range []*world{inOrder, shuffled} {
		platformtest.ConsumerSettled(t, w.env.Deps.Bus, "PROFILES", "matching-profiles", 0)
		platformtest.ConsumerSettled(t, w.env.Deps.Bus, "PROGRAMS", "matching-programs", 0)
	}

	want, got := readModel(t, inOrder.env), readModel(t, shuffled.env)
	if !reflect.DeepEqual(got, want) {
		for k := range maps.Keys(want) {
			if !reflect.DeepEqual(got[k], want[k]) {
				t.Errorf("%s = %v, want %v", k, got[k], want[k])
			}
		}
		t.Fatalf("read models differ: %d documents, want %d", len(got), len(want))
	}
	if r2 := want["profiles/r2"]; len(r2) != 4 || r2["erased"] != true || r2["version"] != int64(3) {
		t.Errorf("r2 = %v, want a tombstone {_id, version 3, erased, erasedAt} only", r2)
	}
	if g1 := want["programs/g1"]; g1["version"] != int64(3) || g1["seats"] != int32(5) {
		t.Errorf("g1 = %v, want version 3 with 5 seats", g1)
	}

	// The recommendations follow the read models, not the delivery order.
	views := func(w *world) map[string]string {
		out := map[string]string{}
		for _, a := range []string{"r1", "r2", "r3"} {
			var l list[map[string]any]
			w.must(http.MethodGet, "/recommendations/me", w.token(a, auth.RoleApplicant), nil, http.StatusOK, &l)
			out[a] = fmt.Sprint(l.Items)
		}
		var c list[map[string]any]
		w.must(http.MethodGet, "/programs/g1/candidates", w.token("h1", auth.RoleHost), nil, http.StatusOK, &c)
		out["g1"] = fmt.Sprint(c.Items)
		return out
	}
	var a, b map[string]string
	platformtest.Eventually(t, 10*time.Second, func() error {
		a, b = views(inOrder), views(shuffled)
		if !maps.Equal(a, b) {
			return fmt.Errorf("views differ:\n in order %v\n shuffled %v", a, b)
		}
		if a["r1"] == "[]" || a["g1"] == "[]" {
			return fmt.Errorf("r1 has no recommendations or g1 no candidates yet: %v", a)
		}
		return nil
	})
	if a["r2"] != "[]" {
		t.Errorf("the erased r2 still has recommendations: %s", a["r2"])
	}
}

// TestErasure erases an applicant who applied, ranked, was ranked and was
// matched, and checks that nothing but audit entries holds their id, and
// that a late update cannot bring them back while a new profile can.
func TestErasure(t *testing.T) {
	t.Parallel()
	m := newMarket(t)
	var r round
	m.must(http.MethodPost, "/rounds", m.coordinator(), map[string]any{"name": "R", "programIds": []string{m.p1, m.p2, m.p3}}, http.StatusCreated, &r)
	m.runRound(r.ID)
	ms := m.matches(r.ID)
	a4match := ms["a4 "+m.p1].ID
	m.must(http.MethodPost, "/matches/"+a4match+"/approve", m.coordinator(), nil, http.StatusOK, nil)

	m.erase("a4", 2)
	db := m.env.Deps.DB(matching.Database)
	platformtest.Eventually(t, 15*time.Second, func() error {
		var d bson.M
		if err := db.Collection("profiles").FindOne(context.Background(), bson.D{{Key: "_id", Value: "a4"}}).Decode(&d); err != nil {
			return err
		}
		if d["erased"] != true {
			return fmt.Errorf("a4 not erased yet: %v", d)
		}
		return nil
	})
	platformtest.ConsumerSettled(t, m.env.Deps.Bus, "PROFILES", "matching-profiles", 0)
	for coll, filter := range map[string]bson.D{
		"applications":       {{Key: "applicantId", Value: "a4"}},
		"rankings":           {{Key: "_id", Value: "a4"}},
		"program_rankings":   {{Key: "applicantIds", Value: "a4"}},
		"program_applicants": {{Key: "applicantIds", Value: "a4"}},
		"matches":            {{Key: "applicantId", Value: "a4"}},
		"round_applicants":   {{Key: "applicantId", Value: "a4"}},
		"round_participants": {{Key: "ids", Value: "a4"}},
	} {
		n, err := db.Collection(coll).CountDocuments(context.Background(), filter)
		if err != nil || n != 0 {
			t.Errorf("%s still holds %d documents of a4 (%v)", coll, n, err)
		}
	}
	var d bson.M
	if err := db.Collection("profiles").FindOne(context.Background(), bson.D{{Key: "_id", Value: "a4"}}).Decode(&d); err != nil {
		t.Fatal(err)
	}
	delete(d, "syncedAt")
	if want := []string{"_id", "erased", "erasedAt", "version"}; !slices.Equal(slices.Sorted(maps.Keys(d)), want) {
		t.Errorf("a4's tombstone has fields %v, want %v", slices.Sorted(maps.Keys(d)), want)
	}
	var audit list[map[string]any]
	m.must(http.MethodGet, "/audit?entity=match:"+a4match, m.coordinator(), nil, http.StatusOK, &audit)
	if len(audit.Items) != 1 {
		t.Errorf("audit entries of a4's match after erasure = %d, want 1 (audit holds ids only and stays)", len(audit.Items))
	}

	// A late update of the erased profile changes nothing.
	m.putProfile(profileSnap("a4", "JP", true), 5)
	platformtest.ConsumerSettled(t, m.env.Deps.Bus, "PROFILES", "matching-profiles", 0)
	if got := m.do(http.MethodPost, "/applications", m.token("a4", auth.RoleApplicant), map[string]string{"programId": m.p1}); got.Status != http.StatusUnprocessableEntity {
		t.Errorf("a4 applies after erasure and a late update = %d %s, want 422 (no profile)", got.Status, got.Body)
	}
	var cands list[struct {
		ApplicantID string `json:"applicantId"`
	}]
	m.must(http.MethodGet, "/programs/"+m.p1+"/candidates?pageSize=100", m.token("h1", auth.RoleHost), nil, http.StatusOK, &cands)
	for _, c := range cands.Items {
		if c.ApplicantID == "a4" {
			t.Errorf("erased a4 is still a candidate of %s", m.p1)
		}
	}

	// A new profile of the same account (created after the erasure) is a
	// new incarnation and counts.
	fresh := profileSnap("a4", "JP", true)
	fresh.CreatedAt = time.Now().Add(time.Second)
	m.putProfile(fresh, 1)
	platformtest.Eventually(t, 15*time.Second, func() error {
		got := m.do(http.MethodPost, "/applications", m.token("a4", auth.RoleApplicant), map[string]string{"programId": m.p1})
		if got.Status != http.StatusCreated {
			return fmt.Errorf("a4 applies with a new profile = %d %s", got.Status, got.Body)
		}
		return nil
	})
}

// TestPoisonEventsAreDeadLettered: an event whose payload names another
// profile than its subject can never be applied; it goes to the
// dead-letter stream and the events after it are applied.
func TestPoisonEventsAreDeadLettered(t *testing.T) {
	t.Parallel()
	w := newWorld(t, fast)
	bad := platformtest.Event(t, profilesev.Source, events.ProfileCreated, "victim", 1, profilesev.ProfileCreated{Profile: profileSnap("someone-else", "IN", true)})
	publish(t, w.env, bad, "")
	w.putProfile(profileSnap("fine", "IN", true), 1)
	w.waitVersion("profiles", "fine", 1)
	platformtest.Eventually(t, 15*time.Second, func() error {
		if n := len(platformtest.StreamEvents(t, w.env.Deps.Bus, "DEADLETTER", platformtest.EventFilter{Type: events.DeadLetterPrefix + events.ProfileCreated})); n != 1 {
			return fmt.Errorf("%d dead letters, want 1", n)
		}
		return nil
	})
	n, err := w.env.Deps.DB(matching.Database).Collection("profiles").CountDocuments(context.Background(),
		bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: []string{"victim", "someone-else"}}}}})
	if err != nil || n != 0 {
		t.Errorf("the malformed event stored %d profiles (%v), want none", n, err)
	}
}
