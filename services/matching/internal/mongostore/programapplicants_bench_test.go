package mongostore

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/talentbridge/platform/services/matching/internal/domain"
	"github.com/talentbridge/platform/shared/mongotest"
	"github.com/talentbridge/platform/shared/outbox"
	"go.mongodb.org/mongo-driver/v2/bson"
)

// BenchmarkProgramApplicants compares the two ways a host-ranking import
// learns who applied to a program, over 20,000 stored applications
// (1,000 applicants with lists of 20 over 200 programs, a twentieth of a
// national round): asking the applications ({programId, status}, which
// the embedded store answers by reading every application) and reading
// the program's read-model document by _id.
//
//	go test -run '^$' -bench ProgramApplicants -benchtime 5x ./services/matching/internal/mongostore
func BenchmarkProgramApplicants(b *testing.B) {
	const applicants, programs, list = 1000, 200, 20
	ctx := context.Background()
	s := New(mongotest.DB(b), nil, outbox.Config{})
	now := time.Now().UTC()
	byProgram := map[string][]string{}
	var docs []any
	for i := range applicants {
		for k := range list {
			p := fmt.Sprintf("bp-%03d", (i*7+k*13)%programs)
			a := domain.Application{ID: fmt.Sprintf("app-%05d-%02d", i, k), ApplicantID: fmt.Sprintf("ap-%05d", i),
				ProgramID: p, HostID: "host", Status: domain.ApplicationSubmitted, SubmittedAt: now, Version: 1}
			docs = append(docs, applicationDocOf(&a))
			byProgram[p] = append(byProgram[p], a.ApplicantID)
		}
	}
	if err := chunks(len(docs), func(from, to int) error {
		_, err := s.apps.InsertMany(ctx, docs[from:to])
		return err
	}); err != nil {
		b.Fatal(err)
	}
	if err := s.AddProgramApplicants(ctx, byProgram); err != nil {
		b.Fatal(err)
	}
	want := len(byProgram["bp-007"])
	check := func(b *testing.B, ids []string, err error) {
		if err != nil {
			b.Fatal(err)
		}
		if len(ids) != want {
			b.Fatalf("%d applicants, want %d", len(ids), want)
		}
	}
	b.Run("applications-scan", func(b *testing.B) {
		for b.Loop() {
			ids, err := s.LiveApplicantsTo(ctx, "bp-007")
			check(b, ids, err)
		}
	})
	b.Run("read-model-by-id", func(b *testing.B) {
		for b.Loop() {
			ids, err := s.ProgramApplicants(ctx, "bp-007")
			check(b, ids, err)
		}
	})
}

// BenchmarkLiveApplicationsRead reads 50,000 stored applications (2,500
// applicants with lists of 20, ids shaped like the platform's) the way a
// run used to load them (findApplicationsIn: decoded and sorted), from the
// applicant view (applicantview.go) as a run loads them now, from the view
// as first stored (each entry a document, decoded only), and with a
// cursor over the applications that decodes nothing.
//
//	go test -run '^$' -bench LiveApplicationsRead -benchtime 3x -cpuprofile cpu.out ./services/matching/internal/mongostore
func BenchmarkLiveApplicationsRead(b *testing.B) {
	const applicants, programs, list = 2500, 500, 20
	ctx := context.Background()
	s := New(mongotest.DB(b), nil, outbox.Config{})
	now := time.Now().UTC()
	uuid := func(n int) string { return fmt.Sprintf("01a251b7-ea0a-72be-9fe0-%012d", n) }
	var docs []any
	for i := range applicants {
		for k := range list {
			a := domain.Application{ID: uuid(i*list + k), ApplicantID: uuid(i), ProgramID: uuid((i*7 + k*13) % programs),
				HostID: uuid(1), Status: domain.ApplicationSubmitted, SubmittedAt: now, Version: 1, RecordedBy: uuid(2)}
			docs = append(docs, applicationDocOf(&a))
		}
	}
	if err := chunks(len(docs), func(from, to int) error {
		_, err := s.apps.InsertMany(ctx, docs[from:to])
		return err
	}); err != nil {
		b.Fatal(err)
	}
	b.Run("as-a-run-reads", func(b *testing.B) {
		for b.Loop() {
			out, err := s.findApplicationsIn(ctx, bson.D{{Key: "status", Value: domain.ApplicationSubmitted}}, "", nil)
			if err != nil || len(out) != len(docs) {
				b.Fatalf("%d applications, want %d (%v)", len(out), len(docs), err)
			}
		}
	})
	if err := s.BackfillApplicantView(ctx); err != nil {
		b.Fatal(err)
	}
	b.Run("applicant-view", func(b *testing.B) {
		for b.Loop() {
			out, ok, err := s.liveFromView(ctx)
			if err != nil || !ok || len(out) != len(docs) {
				b.Fatalf("%d applications from the view (complete %v), want %d (%v)", len(out), ok, len(docs), err)
			}
		}
	})
	// The view as first stored, each entry a document {a, at}: read the
	// same way, for comparison with the string entries above.
	type legacyEntry struct {
		App  string    `bson:"a"`
		At   time.Time `bson:"at"`
		Gone bool      `bson:"gone,omitempty"`
	}
	type legacyDoc struct {
		ID      string                 `bson:"_id"`
		Live    map[string]legacyEntry `bson:"live"`
		Pending []viewPending          `bson:"pending"`
	}
	legacy := s.db.Collection("bench_legacy_view")
	byApplicant := map[string]*legacyDoc{}
	for _, d := range docs {
		a := d.(applicationDoc)
		l := byApplicant[a.ApplicantID]
		if l == nil {
			l = &legacyDoc{ID: a.ApplicantID, Live: map[string]legacyEntry{}, Pending: []viewPending{}}
			byApplicant[a.ApplicantID] = l
		}
		l.Live[a.ProgramID] = legacyEntry{App: a.ID, At: a.SubmittedAt}
	}
	var legacyDocs []any
	for _, l := range byApplicant {
		legacyDocs = append(legacyDocs, *l)
	}
	if _, err := legacy.InsertMany(ctx, legacyDocs); err != nil {
		b.Fatal(err)
	}
	b.Run("applicant-view-entries-as-documents", func(b *testing.B) {
		for b.Loop() {
			got, err := all[legacyDoc](ctx, legacy, bson.D{})
			n := 0
			for _, d := range got {
				n += len(d.Live)
			}
			if err != nil || n != len(docs) {
				b.Fatalf("%d entries, want %d (%v)", n, len(docs), err)
			}
		}
	})
	b.Run("cursor-only", func(b *testing.B) {
		for b.Loop() {
			cur, err := s.apps.Find(ctx, bson.D{})
			if err != nil {
				b.Fatal(err)
			}
			n := 0
			for cur.Next(ctx) {
				n++
			}
			closeCursor(ctx, cur)
			if n != len(docs) {
				b.Fatalf("%d applications, want %d", n, len(docs))
			}
		}
	})
}
