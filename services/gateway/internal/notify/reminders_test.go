package notify_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/talentbridge/platform/services/gateway/internal/notify"
	"github.com/talentbridge/platform/shared/auth"
	"github.com/talentbridge/platform/shared/events"
	identityev "github.com/talentbridge/platform/shared/events/identity"
	matchingev "github.com/talentbridge/platform/shared/events/matching"
	"github.com/talentbridge/platform/shared/mail"
	"github.com/talentbridge/platform/shared/mail/mailtest"
	"github.com/talentbridge/platform/shared/platform"
	"github.com/talentbridge/platform/shared/platformtest"
)

// Reminders a day ahead, with two gateway replicas over one database and a
// clock the test moves: a booking less than a day (and a minute) away is
// reminded exactly once to each side, a booking cancelled before that never;
// a replica started later, or one claiming again after a lost mark, sends
// nothing twice; and the schedule, which holds
// only ids and times, loses an erased applicant's bookings.
func TestInterviewRemindersOncePerBooking(t *testing.T) {
	srv := mailtest.Start(t, mailtest.Options{TLS: "none"})
	base := time.Date(2027, 5, 10, 3, 0, 0, 0, time.UTC)
	var offset atomic.Int64
	clock := func() time.Time { return base.Add(time.Duration(offset.Load())) }
	contacts := map[string]notify.Contact{
		"app-a": {Email: "asha@example.in", Name: "Asha"}, "app-b": {Email: "ben@example.in", Name: "Ben"},
		"host-1": {Email: "office@tohoku.example.jp", Name: "Tohoku"},
	}
	dir := notify.DirectoryFunc(func(_ context.Context, id string) (notify.Contact, bool, error) {
		c, ok := contacts[id]
		return c, ok, nil
	})
	var replicas []*notify.Inbox
	var db platform.Deps
	env := platformtest.Start(t, platformtest.Options{}, func(ctx context.Context, d platform.Deps) (platform.Service, error) {
		sender, err := mail.NewSender(srv.Config())
		if err != nil {
			return nil, err
		}
		q, err := mail.NewQueue(ctx, d.DB("identity").Collection("mails"), sender, mail.QueueOptions{Poll: 100 * time.Millisecond})
		if err != nil {
			return nil, err
		}
		go q.Run(ctx)
		// A ticker far slower than the test: RemindDue is called below.
		opt := notify.Options{Mail: q, Directory: dir, Now: clock, ReminderEvery: time.Hour}
		for range 2 {
			in, err := notify.New(ctx, d.DB("identity"), opt)
			if err != nil {
				return nil, err
			}
			replicas = append(replicas, in)
		}
		db = d
		return &service{in: replicas[0], d: d}, nil
	})
	ctx := context.Background()
	booking := func(app, applicant string, start time.Time) matchingev.InterviewScheduled {
		return matchingev.InterviewScheduled{ApplicationID: app, ApplicantID: applicant, ProgramID: "p-1", HostID: "host-1",
			Interview: matchingev.Interview{SlotID: "s-" + app, Start: start, End: start.Add(time.Hour), Mode: "onsite"}, ActorID: applicant}
	}
	publish(t, env, events.InterviewScheduled, "a-1", 2, booking("a-1", "app-a", base.Add(48*time.Hour)))
	publish(t, env, events.InterviewScheduled, "a-2", 2, booking("a-2", "app-b", base.Add(30*time.Hour)))
	publish(t, env, events.InterviewCancelled, "a-2", 3, booking("a-2", "app-b", base.Add(30*time.Hour)))
	platformtest.Eventually(t, 15*time.Second, func() error {
		p, err := replicas[0].List(ctx, "app-b", 1, 10)
		if err != nil || p.Total != 2 {
			return fmt.Errorf("Ben's inbox has %d entries (%v), want booked and cancelled", p.Total, err)
		}
		return nil
	})
	if n, _ := replicas[1].RemindDue(ctx); n != 0 {
		t.Fatalf("two days ahead RemindDue sent %d reminders, want none", n)
	}

	// A day and a minute before Asha's interview: not yet.
	offset.Store(int64(24*time.Hour - time.Minute))
	if n, _ := replicas[0].RemindDue(ctx); n != 0 {
		t.Fatalf("a day and a minute ahead RemindDue sent %d, want none", n)
	}
	// Just under a day ahead: both replicas try at once, several times.
	offset.Store(int64(24*time.Hour + time.Minute))
	var sent atomic.Int64
	var wg sync.WaitGroup
	for i := range 6 {
		wg.Go(func() {
			n, err := replicas[i%2].RemindDue(ctx)
			if err != nil {
				t.Error(err)
			}
			sent.Add(int64(n))
		})
	}
	wg.Wait()
	if sent.Load() != 1 {
		t.Errorf("the replicas sent %d reminders in all, want 1", sent.Load())
	}
	srv.WaitFor(t, 20*time.Second, func(m mailtest.Message) bool {
		return m.Rcpt[0] == "asha@example.in" && strings.HasPrefix(m.Subject, "Reminder:")
	})
	srv.WaitFor(t, 20*time.Second, func(m mailtest.Message) bool {
		return m.Rcpt[0] == "office@tohoku.example.jp" && strings.HasPrefix(m.Subject, "Reminder:")
	})

	// A replica started later (a restart) finds nothing due.
	later, err := notify.New(ctx, db.DB("identity"), notify.Options{Directory: dir, Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	if n, err := later.RemindDue(ctx); n != 0 || err != nil {
		t.Errorf("after a restart RemindDue sent %d (%v), want none", n, err)
	}
	// A replica that died after sending but before marking: once its lease
	// runs out another claims the reminder again, which adds nothing.
	sched := db.DB("identity").Collection("notify_interviews")
	if _, err := sched.UpdateOne(ctx, bson.D{{Key: "_id", Value: "a-1"}}, bson.D{{Key: "$set", Value: bson.D{
		{Key: "reminded", Value: false}, {Key: "leaseUntil", Value: clock().Add(-time.Second)}}}}); err != nil {
		t.Fatal(err)
	}
	if n, err := replicas[1].RemindDue(ctx); n != 1 || err != nil {
		t.Errorf("after a lost mark RemindDue sent %d (%v), want the reminder claimed again", n, err)
	}
	queued, err := db.DB("identity").Collection("mails").CountDocuments(ctx, bson.D{{Key: "subject", Value: bson.D{{Key: "$regex", Value: "^Reminder"}}}})
	if err != nil || queued != 2 {
		t.Errorf("reminder mails stored = %d (%v), want 2: Asha and the host, and none for Ben's cancelled booking", queued, err)
	}
	page, err := replicas[0].List(ctx, "app-a", 1, 20)
	if err != nil {
		t.Fatal(err)
	}
	reminders := 0
	for _, n := range page.Items {
		if n.Code == "interview.reminder" {
			reminders++
		}
	}
	if reminders != 1 {
		t.Errorf("Asha's inbox holds %d reminders, want 1", reminders)
	}
	for _, m := range srv.Messages() {
		if m.Rcpt[0] == "ben@example.in" && strings.HasPrefix(m.Subject, "Reminder:") {
			t.Errorf("Ben was reminded of a cancelled interview: %q", m.Subject)
		}
	}

	// The schedule holds ids and times only, and forgets an erased person.
	var doc bson.M
	if err := sched.FindOne(ctx, bson.D{{Key: "_id", Value: "a-1"}}).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	allowed := []string{"_id", "applicantId", "hostId", "programId", "start", "eventId", "version", "cancelled", "reminded", "leaseUntil"}
	for k := range doc {
		if !slices.Contains(allowed, k) {
			t.Errorf("the interview schedule stores %q", k)
		}
	}
	publish(t, env, events.UserDeleted, "app-a", 4, identityev.UserDeleted{UserID: "app-a", Role: auth.RoleApplicant})
	platformtest.Eventually(t, 15*time.Second, func() error {
		n, err := sched.CountDocuments(ctx, bson.D{{Key: "applicantId", Value: "app-a"}})
		if err != nil || n != 0 {
			return fmt.Errorf("%d bookings of the erased applicant remain (%v)", n, err)
		}
		return nil
	})
	if n, err := sched.CountDocuments(ctx, bson.D{{Key: "applicantId", Value: "app-b"}}); err != nil || n != 1 {
		t.Errorf("Ben's booking = %d (%v), want kept", n, err)
	}
}
