package matching_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/talentbridge/platform/services/matching"
	"github.com/talentbridge/platform/shared/auth"
	"github.com/talentbridge/platform/shared/platformtest"
)

// replicas runs two instances of the service on one NATS server and one
// database, as two replicas would. Runs pause in every phase so that they
// overlap.
func replicas(t *testing.T) (*world, *world) {
	o := matching.Options{PhasePause: 150 * time.Millisecond}
	one := &world{t: t, env: platformtest.Start(t, platformtest.Options{}, matching.NewWithOptions(o))}
	two := &world{t: t, env: platformtest.Start(t, platformtest.Options{NATSURL: one.env.Deps.Bus.NC.ConnectedUrl(),
		DBPrefix: one.env.Deps.DBPrefix}, matching.NewWithOptions(o))}
	return one, two
}

type runRecord struct {
	ID         string     `bson:"_id"`
	RoundID    string     `bson:"roundId"`
	ProgramIDs []string   `bson:"programIds"`
	StartedAt  time.Time  `bson:"startedAt"`
	FinishedAt *time.Time `bson:"finishedAt"`
	Outcome    string     `bson:"outcome"`
}

func TestLeaseOneRunPerProgramAcrossReplicas(t *testing.T) {
	t.Parallel()
	one, two := replicas(t)
	x, y, z := "x-"+newID(), "y-"+newID(), "z-"+newID()
	for _, id := range []string{x, y, z} {
		one.putProgram(programSnap(id, "h1", 1), 1)
	}
	for i := range 4 {
		one.putProfile(profileSnap(fmt.Sprintf("l%d", i), "IN", true), 1)
	}
	for _, id := range []string{x, y, z} {
		one.waitVersion("programs", id, 1)
	}
	for i := range 4 {
		one.waitVersion("profiles", fmt.Sprintf("l%d", i), 1)
		// Applications through either replica.
		w := []*world{one, two}[i%2]
		for _, p := range []string{x, y, z} {
			w.must(http.MethodPost, "/applications", w.token(fmt.Sprintf("l%d", i), auth.RoleApplicant), map[string]string{"programId": p}, http.StatusCreated, nil)
		}
	}

	// Both replicas' recommendations follow the read models, whichever
	// replica consumed the events.
	platformtest.Eventually(t, 10*time.Second, func() error {
		for _, w := range []*world{one, two} {
			var l list[map[string]any]
			w.must(http.MethodGet, "/recommendations/me", w.token("l0", auth.RoleApplicant), nil, http.StatusOK, &l)
			if len(l.Items) != 3 {
				return fmt.Errorf("replica has %d recommendations for l0, want 3", len(l.Items))
			}
		}
		return nil
	})

	var a, b round
	one.must(http.MethodPost, "/rounds", one.coordinator(), map[string]any{"name": "A", "programIds": []string{x, y}}, http.StatusCreated, &a)
	two.must(http.MethodPost, "/rounds", two.coordinator(), map[string]any{"name": "B", "programIds": []string{y, z}}, http.StatusCreated, &b)

	for attempt := range 3 {
		// The two replicas race to run rounds sharing program y.
		var wg sync.WaitGroup
		codes := make([]int, 2)
		for i, job := range []struct {
			w  *world
			id string
		}{{one, a.ID}, {two, b.ID}} {
			wg.Go(func() {
				r := job.w.do(http.MethodPost, "/rounds/"+job.id+"/run", job.w.coordinator(), nil)
				codes[i] = r.Status
				if r.Status == http.StatusConflict {
					if p := r.Problem(t); p.Code != "program_busy" && p.Code != "round_running" {
						t.Errorf("attempt %d: conflict code %s, want program_busy", attempt, p.Code)
					}
				}
			})
		}
		wg.Wait()
		winner := a.ID
		if codes[1] == http.StatusAccepted {
			winner = b.ID
		}
		slices.Sort(codes)
		if !slices.Equal(codes, []int{http.StatusAccepted, http.StatusConflict}) {
			t.Fatalf("attempt %d: concurrent runs answered %v, want one 202 and one 409", attempt, codes)
		}
		// While it runs, the round shows its phase and progress.
		var running round
		two.must(http.MethodGet, "/rounds/"+winner, two.coordinator(), nil, http.StatusOK, &running)
		if running.Status != "running" || running.Phase == "" || running.Progress < 0 || running.Progress >= 100 {
			t.Errorf("attempt %d: running round = %s %s %d%%, want running with a phase and progress below 100", attempt, running.Status, running.Phase, running.Progress)
		}
		// Let the winner finish before the next race.
		platformtest.Eventually(t, 20*time.Second, func() error {
			for _, id := range []string{a.ID, b.ID} {
				var r round
				one.must(http.MethodGet, "/rounds/"+id, one.coordinator(), nil, http.StatusOK, &r)
				if r.Status == "running" {
					return fmt.Errorf("round %s still running", id)
				}
			}
			return nil
		})
	}

	// The same round started on both replicas at once runs once.
	var wg sync.WaitGroup
	codes := make([]int, 2)
	for i, w := range []*world{one, two} {
		wg.Go(func() { codes[i] = w.do(http.MethodPost, "/rounds/"+a.ID+"/run", w.coordinator(), nil).Status })
	}
	wg.Wait()
	slices.Sort(codes)
	if !slices.Equal(codes, []int{http.StatusAccepted, http.StatusConflict}) {
		t.Fatalf("the same round run on both replicas answered %v, want one 202 and one 409", codes)
	}

	// The run log proves it: no two runs sharing a program overlapped.
	var runs []runRecord
	platformtest.Eventually(t, 20*time.Second, func() error {
		cur, err := one.env.Deps.DB(matching.Database).Collection("runs").Find(context.Background(), bson.D{})
		if err != nil {
			return err
		}
		runs = nil
		if err := cur.All(context.Background(), &runs); err != nil {
			return err
		}
		for _, r := range runs {
			if r.FinishedAt == nil {
				return fmt.Errorf("run %s of round %s has not finished", r.ID, r.RoundID)
			}
		}
		return nil
	})
	if len(runs) != 4 {
		t.Fatalf("%d runs recorded, want 4 (one per race)", len(runs))
	}
	for i, r := range runs {
		if r.Outcome != "completed" {
			t.Errorf("run %s of round %s ended %q, want completed", r.ID, r.RoundID, r.Outcome)
		}
		for _, s := range runs[i+1:] {
			shared := slices.ContainsFunc(r.ProgramIDs, func(p string) bool { return slices.Contains(s.ProgramIDs, p) })
			if shared && r.StartedAt.Before(*s.FinishedAt) && s.StartedAt.Before(*r.FinishedAt) {
				t.Errorf("runs %s (%s–%s) and %s (%s–%s) overlap on a shared program", r.ID, r.StartedAt, r.FinishedAt, s.ID, s.StartedAt, s.FinishedAt)
			}
		}
	}
}

// TestLeaseTakeover shows that a live lease refuses a run and an expired
// one (its holder died) is taken over.
func TestLeaseTakeover(t *testing.T) {
	t.Parallel()
	w := newWorld(t, fast)
	r, p := w.roundOfOne("t1", "T")

	leases := w.env.Deps.DB(matching.Database).Collection("leases")
	ctx := context.Background()
	if _, err := leases.InsertOne(ctx, bson.D{{Key: "_id", Value: p}, {Key: "owner", Value: "other-run"},
		{Key: "roundId", Value: "other-round"}, {Key: "expiresAt", Value: time.Now().Add(time.Minute)}}); err != nil {
		t.Fatal(err)
	}
	if pr := w.do(http.MethodPost, "/rounds/"+r.ID+"/run", w.coordinator(), nil).Problem(t); pr.Status != 409 || pr.Code != "program_busy" {
		t.Fatalf("run while another run holds the program = %d %s, want 409 program_busy", pr.Status, pr.Code)
	}
	if _, err := leases.UpdateOne(ctx, bson.D{{Key: "_id", Value: p}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "expiresAt", Value: time.Now().Add(-time.Second)}}}}); err != nil {
		t.Fatal(err)
	}
	done := w.runRound(r.ID)
	if done.Counts.Proposed != 1 {
		t.Errorf("run after taking over an expired lease proposed %d, want 1", done.Counts.Proposed)
	}
	if n, _ := leases.CountDocuments(ctx, bson.D{}); n != 0 {
		t.Errorf("%d leases left after the run, want 0 (released)", n)
	}
}
