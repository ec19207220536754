package notify

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/talentbridge/platform/shared/events"
	matchingev "github.com/talentbridge/platform/shared/events/matching"
	"github.com/talentbridge/platform/shared/mongodb"
)

// Interview reminders. The gateway keeps a small schedule of booked
// interviews (collection notify_interviews, one document per application:
// ids and times, nothing else), built from interview.scheduled and
// .cancelled. Every replica runs RunReminders; a reminder is claimed with a
// conditional single-document update (a lease), sent, then marked done. Two
// replicas cannot both claim one lease, and should a replica stop between
// sending and marking, the next claim sends again under the same keys: the
// notification's id and the mail queue's (event, recipient) key are
// derived from the booking's event, so the second attempt adds nothing.

const (
	// RemindBefore is how long ahead of an interview both sides are
	// reminded.
	RemindBefore = 24 * time.Hour
	// reminderLease is how long a claim keeps other replicas off a
	// reminder.
	reminderLease = 2 * time.Minute
	// remindersPerRound bounds one round of RemindDue.
	remindersPerRound = 200
)

// booking is one entry of the reminder schedule.
type booking struct {
	ID          string    `bson:"_id"` // the application
	ApplicantID string    `bson:"applicantId"`
	HostID      string    `bson:"hostId"`
	ProgramID   string    `bson:"programId"`
	Start       time.Time `bson:"start"`
	EventID     string    `bson:"eventId"` // the interview.scheduled event
	Version     int64     `bson:"version"`
	Cancelled   bool      `bson:"cancelled"`
	Reminded    bool      `bson:"reminded"`
	LeaseUntil  time.Time `bson:"leaseUntil"`
}

// book records a booking or its cancellation; an event older than the one
// recorded (by the application's version) changes nothing, and so does a
// redelivery, which keeps a sent reminder marked.
func (in *Inbox) book(ctx context.Context, ev events.Envelope, p matchingev.InterviewScheduled) error {
	set := bson.D{{Key: "version", Value: ev.AggregateVersion}, {Key: "cancelled", Value: ev.Type == events.InterviewCancelled}}
	if ev.Type == events.InterviewScheduled {
		set = append(set, bson.D{
			{Key: "applicantId", Value: p.ApplicantID}, {Key: "hostId", Value: p.HostID}, {Key: "programId", Value: p.ProgramID},
			{Key: "start", Value: p.Interview.Start.UTC()}, {Key: "eventId", Value: ev.ID},
			{Key: "reminded", Value: false}, {Key: "leaseUntil", Value: time.Time{}},
		}...)
	}
	_, err := in.bookings.UpdateOne(ctx,
		bson.D{{Key: "_id", Value: p.ApplicationID}, {Key: "version", Value: bson.D{{Key: "$lt", Value: ev.AggregateVersion}}}},
		bson.D{{Key: "$set", Value: set}}, upsert())
	if mongodb.IsDuplicate(err) {
		// A newer (or the same) version is recorded already.
		return nil
	}
	if err != nil {
		return fmt.Errorf("record interview %s: %w", p.ApplicationID, err)
	}
	return nil
}

// RemindDue sends the reminders that are due now (the interview starts
// within RemindBefore and has not started), each once; it returns how many
// this call sent.
func (in *Inbox) RemindDue(ctx context.Context) (int, error) {
	sent := 0
	for range remindersPerRound {
		now := in.now().UTC()
		var b booking
		err := in.bookings.FindOne(ctx, bson.D{
			{Key: "cancelled", Value: false}, {Key: "reminded", Value: false},
			{Key: "start", Value: bson.D{{Key: "$gt", Value: now}, {Key: "$lte", Value: now.Add(RemindBefore)}}},
			{Key: "leaseUntil", Value: bson.D{{Key: "$lte", Value: now}}},
		}, options.FindOne().SetSort(bson.D{{Key: "start", Value: 1}})).Decode(&b)
		if errors.Is(err, mongo.ErrNoDocuments) {
			return sent, nil
		}
		if err != nil {
			return sent, fmt.Errorf("find due reminders: %w", err)
		}
		// The claim: only one replica's update matches the lease it read.
		res, err := in.bookings.UpdateOne(ctx, bson.D{
			{Key: "_id", Value: b.ID}, {Key: "eventId", Value: b.EventID}, {Key: "cancelled", Value: false},
			{Key: "reminded", Value: false}, {Key: "leaseUntil", Value: b.LeaseUntil},
		}, bson.D{{Key: "$set", Value: bson.D{{Key: "leaseUntil", Value: now.Add(reminderLease)}}}})
		if err != nil {
			return sent, fmt.Errorf("claim reminder %s: %w", b.ID, err)
		}
		if res.MatchedCount == 0 {
			continue // another replica has it
		}
		if err := in.remind(ctx, b, now); err != nil {
			return sent, err
		}
		if _, err := in.bookings.UpdateOne(ctx, bson.D{{Key: "_id", Value: b.ID}, {Key: "eventId", Value: b.EventID}},
			bson.D{{Key: "$set", Value: bson.D{{Key: "reminded", Value: true}}}}); err != nil {
			return sent, fmt.Errorf("mark reminder %s: %w", b.ID, err)
		}
		sent++
	}
	return sent, nil
}

// remind tells both sides of a booking that it is a day away.
func (in *Inbox) remind(ctx context.Context, b booking, now time.Time) error {
	t, err := in.title(ctx, b.ProgramID)
	if err != nil {
		return err
	}
	ev := events.Envelope{ID: "remind-" + b.EventID, Subject: b.ID, Time: now}
	params := map[string]string{"program": t, "start": b.Start.Format(time.RFC3339)}
	mp := mailParams{Program: t, Deadline: b.Start}
	when := b.Start.Format("2006-01-02 15:04 UTC")
	if err := in.add(ctx, ev, b.ApplicantID, "interview.reminder", applicationLink(b.ID, ""), params, mp,
		fmt.Sprintf("Reminder: your interview for %s starts at %s.", t, when)); err != nil {
		return err
	}
	return in.add(ctx, ev, b.HostID, "interview.reminder.host", applicationLink(b.ID, b.ProgramID), params, mp,
		fmt.Sprintf("Reminder: an interview for %s starts at %s.", t, when))
}

// RunReminders calls RemindDue now and then every opt.ReminderEvery until
// ctx ends.
func (in *Inbox) RunReminders(ctx context.Context) {
	t := time.NewTicker(in.opt.ReminderEvery)
	defer t.Stop()
	for {
		if _, err := in.RemindDue(ctx); err != nil && ctx.Err() == nil && in.opt.Log != nil {
			in.opt.Log.Warn("interview reminders", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// forgetBookings removes an erased applicant's bookings from the schedule;
// an erased host's id leaves theirs (the applicant is still reminded).
func (in *Inbox) forgetBookings(ctx context.Context, userID string) error {
	if _, err := in.bookings.DeleteMany(ctx, bson.D{{Key: "applicantId", Value: userID}}); err != nil {
		return fmt.Errorf("forget interviews: %w", err)
	}
	_, err := in.bookings.UpdateMany(ctx, bson.D{{Key: "hostId", Value: userID}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "hostId", Value: ""}}}})
	return err
}

// Interview is one booked interview of the reminder schedule as a
// person's data export shows it.
type Interview struct {
	ApplicationID string    `json:"applicationId"`
	ProgramID     string    `json:"programId"`
	Start         time.Time `json:"start"`
	Cancelled     bool      `json:"cancelled"`
	Reminded      bool      `json:"reminded"`
}

// InterviewsFor returns the schedule's entries that involve a user, as
// applicant or host, for their data export; never nil.
func (in *Inbox) InterviewsFor(ctx context.Context, userID string) ([]Interview, error) {
	cur, err := in.bookings.Find(ctx, bson.D{{Key: "$or", Value: bson.A{
		bson.D{{Key: "applicantId", Value: userID}}, bson.D{{Key: "hostId", Value: userID}}}}},
		options.Find().SetSort(bson.D{{Key: "start", Value: 1}}))
	if err != nil {
		return nil, fmt.Errorf("export interviews: %w", err)
	}
	var stored []booking
	if err := cur.All(ctx, &stored); err != nil {
		return nil, fmt.Errorf("export interviews: %w", err)
	}
	out := make([]Interview, 0, len(stored))
	for _, b := range stored {
		out = append(out, Interview{ApplicationID: b.ID, ProgramID: b.ProgramID, Start: b.Start, Cancelled: b.Cancelled, Reminded: b.Reminded})
	}
	return out, nil
}
