package mongostore

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/talentbridge/platform/services/matching/internal/domain"
	"github.com/talentbridge/platform/shared/events"
	"github.com/talentbridge/platform/shared/mongotest"
	"github.com/talentbridge/platform/shared/outbox"
)

// viewFixture makes applications with time-ordered ids, as the service
// does.
type viewFixture struct {
	t   *testing.T
	s   *Store
	ctx context.Context
	now time.Time
}

// newViewFixture gives a store on a database of its own, with its indexes.
func newViewFixture(t *testing.T) *viewFixture {
	f := &viewFixture{t: t, s: New(mongotest.DB(t), nil, outbox.Config{}), ctx: context.Background(), now: time.Now().UTC().Truncate(time.Millisecond)}
	if err := f.s.EnsureIndexes(f.ctx); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *viewFixture) app(applicant, program string) domain.Application {
	f.t.Helper()
	id, err := uuid.NewV7()
	if err != nil {
		f.t.Fatal(err)
	}
	f.now = f.now.Add(time.Second)
	return *domain.NewApplication(id.String(), applicant, domain.Program{ID: program, HostID: "h1"}, f.now)
}

// pairs renders live applications as sorted "applicant program id" lines.
func pairs(apps []domain.Application) []string {
	out := make([]string, 0, len(apps))
	for _, a := range apps {
		out = append(out, a.ApplicantID+" "+a.ProgramID+" "+a.ID)
	}
	slices.Sort(out)
	return out
}

// scanned is what the applications themselves say is live.
func (f *viewFixture) scanned() []string {
	f.t.Helper()
	live, err := f.s.findApplicationsIn(f.ctx, bson.D{{Key: "status", Value: domain.ApplicationSubmitted}}, "", nil)
	if err != nil {
		f.t.Fatal(err)
	}
	return pairs(live)
}

// viewed is what the applicant view says is live; it fails the test when
// the view is not complete.
func (f *viewFixture) viewed() []string {
	f.t.Helper()
	live, ok, err := f.s.liveFromView(f.ctx)
	if err != nil || !ok {
		f.t.Fatalf("the applicant view: complete %v, %v", ok, err)
	}
	return pairs(live)
}

func (f *viewFixture) same(what string) {
	f.t.Helper()
	if got, want := f.viewed(), f.scanned(); !slices.Equal(got, want) {
		f.t.Fatalf("%s: the view holds\n  %s\nthe applications say\n  %s", what, strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

// TestApplicantViewFollowsTheApplications: after a backfill of what was
// stored before the view existed, every way applications are written
// (applying, withdrawing, applying again, importing rank lists with
// duplicates, erasure) leaves the view saying exactly what the
// applications say, and a run's read (LiveApplicationsAround) uses it.
func TestApplicantViewFollowsTheApplications(t *testing.T) {
	f := newViewFixture(t)
	s, ctx := f.s, f.ctx

	// Stored before the view existed: written straight to the collection.
	old := f.app("a1", "p1")
	gone := f.app("a1", "p2")
	if err := gone.Withdraw(f.now); err != nil {
		t.Fatal(err)
	}
	for _, a := range []domain.Application{old, gone} {
		if _, err := s.apps.InsertOne(ctx, applicationDocOf(&a)); err != nil {
			t.Fatal(err)
		}
	}
	if _, ok, err := s.liveFromView(ctx); err != nil || ok {
		t.Fatalf("before the backfill the view says complete %v (%v), want false", ok, err)
	}
	if err := s.BackfillApplicantView(ctx); err != nil {
		t.Fatal(err)
	}
	f.same("after the backfill")

	a2 := f.app("a2", "p1")
	if err := s.InsertApplication(ctx, &a2, nil); err != nil {
		t.Fatal(err)
	}
	f.same("after applying")
	if err := a2.Withdraw(f.now); err != nil {
		t.Fatal(err)
	}
	if ok, err := s.UpdateApplication(ctx, &a2, nil); err != nil || !ok {
		t.Fatalf("withdraw: %v %v", ok, err)
	}
	f.same("after withdrawing")
	again := f.app("a2", "p1")
	if err := s.InsertApplication(ctx, &again, nil); err != nil {
		t.Fatal(err)
	}
	f.same("after applying again")

	// An import: a3 to three programs, and a duplicate of a2's live
	// application to p1 (skipped by the store).
	imported := []domain.Application{f.app("a3", "p1"), f.app("a3", "p2"), f.app("a3", "p3"), f.app("a2", "p1")}
	announced := map[string][]string{}
	announce := func(applicant string, rec []domain.Application) (events.Envelope, error) {
		for _, a := range rec {
			announced[applicant] = append(announced[applicant], a.ID)
		}
		return events.New("matching", events.ApplicationsImported, applicant, 1, map[string]int{"applications": len(rec)})
	}
	ranks := map[string][]string{"a3": {"p1", "p2", "p3"}, "a2": {"p1"}}
	n, err := s.ImportRanks(ctx, imported, ranks, announce, f.now)
	if err != nil {
		t.Fatal(err)
	}
	if n != 3 {
		t.Fatalf("the import inserted %d applications, want 3", n)
	}
	// a3 hears of its three new applications; a2 of the live one its
	// skipped duplicate pointed to, in one event each, carried by the
	// rank list.
	if want := []string{imported[0].ID, imported[1].ID, imported[2].ID}; !slices.Equal(announced["a3"], want) {
		t.Fatalf("a3 was told of %v, want %v", announced["a3"], want)
	}
	if want := []string{again.ID}; !slices.Equal(announced["a2"], want) {
		t.Fatalf("a2 was told of %v, want its live application %v", announced["a2"], want)
	}
	for _, applicant := range []string{"a2", "a3"} {
		var doc struct {
			ProgramIDs []string       `bson:"programIds"`
			Outbox     []outbox.Event `bson:"outbox"`
		}
		if err := s.rankings.FindOne(ctx, bson.D{{Key: "_id", Value: applicant}}).Decode(&doc); err != nil {
			t.Fatal(err)
		}
		if len(doc.Outbox) != 1 || doc.Outbox[0].Subject != events.ApplicationsImported || !slices.Equal(doc.ProgramIDs, ranks[applicant]) {
			t.Fatalf("%s's rank list: %v with outbox %+v, want its list and one applications.imported", applicant, doc.ProgramIDs, doc.Outbox)
		}
	}
	f.same("after the import")

	around, err := s.LiveApplicationsAround(ctx, []string{"p3"})
	if err != nil {
		t.Fatal(err)
	}
	if got := pairs(around); len(got) != 3 || !strings.HasPrefix(got[0], "a3 p1 ") {
		t.Fatalf("around p3: %v, want a3's three applications", got)
	}

	if err := s.EraseApplicant(ctx, "a3"); err != nil {
		t.Fatal(err)
	}
	f.same("after erasing a3")
	if err := s.applicantView.FindOne(ctx, id("a3")).Err(); err == nil {
		t.Fatal("a3's view document outlived the erasure")
	}
}

// TestApplicantViewIsRightWhenAWriteStopsHalfway: a process that stops
// between marking applications pending and settling them, or that settles
// in another order than it wrote, leaves the view answering what the
// applications say.
func TestApplicantViewIsRightWhenAWriteStopsHalfway(t *testing.T) {
	f := newViewFixture(t)
	s, ctx := f.s, f.ctx
	if err := s.BackfillApplicantView(ctx); err != nil {
		t.Fatal(err)
	}

	// Stopped after the insert: pending, never settled.
	inserted := f.app("b1", "p1")
	if _, err := s.viewBegin(ctx, []domain.Application{inserted}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.apps.InsertOne(ctx, applicationDocOf(&inserted)); err != nil {
		t.Fatal(err)
	}
	// Stopped before the insert.
	never := f.app("b1", "p2")
	if _, err := s.viewBegin(ctx, []domain.Application{never}); err != nil {
		t.Fatal(err)
	}
	f.same("with two writes stopped halfway")

	// A withdrawal stopped after its write: the view still says live, but
	// the pending entry sends the reader to the application.
	live := f.app("b2", "p1")
	if err := s.InsertApplication(ctx, &live, nil); err != nil {
		t.Fatal(err)
	}
	withdrawn := live
	if err := withdrawn.Withdraw(f.now); err != nil {
		t.Fatal(err)
	}
	if _, err := s.viewBegin(ctx, []domain.Application{withdrawn}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.apps.UpdateOne(ctx, id(withdrawn.ID), bson.D{{Key: "$set", Value: bson.D{
		{Key: "status", Value: withdrawn.Status}, {Key: "liveKey", Value: liveKey(&withdrawn)}, {Key: "version", Value: withdrawn.Version}}}}); err != nil {
		t.Fatal(err)
	}
	f.same("with a withdrawal stopped halfway")

	// Settled out of order: the withdrawal first, then the application's
	// own settling arrives late; and an older application settles after a
	// newer one to the same program.
	x := f.app("b3", "p1")
	xGone := x
	if err := xGone.Withdraw(f.now); err != nil {
		t.Fatal(err)
	}
	y := f.app("b3", "p1")
	for _, a := range []domain.Application{xGone, y} {
		if _, err := s.apps.InsertOne(ctx, applicationDocOf(&a)); err != nil {
			t.Fatal(err)
		}
	}
	for _, settle := range []domain.Application{y, xGone, x} {
		p, err := s.viewBegin(ctx, []domain.Application{settle})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.viewEnd(ctx, p, []domain.Application{settle}); err != nil {
			t.Fatal(err)
		}
	}
	f.same("settled out of order")
	var d applicantViewDoc
	if err := s.applicantView.FindOne(ctx, id("b3")).Decode(&d); err != nil {
		t.Fatal(err)
	}
	if e, err := parseViewEntry(d.Live["p1"]); err != nil || e.App != y.ID || e.Gone || len(d.Pending) != 0 {
		t.Fatalf("b3's view: %+v, want p1 held by the later application %s and nothing pending", d, y.ID)
	}
}
