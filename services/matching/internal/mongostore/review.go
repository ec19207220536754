package mongostore

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/talentbridge/platform/services/matching/internal/domain"
	"github.com/talentbridge/platform/shared/events"
	"github.com/talentbridge/platform/shared/outbox"
)

// The review of applications: stages, attached documents, interview slots
// and messages.

type stageChangeDoc struct {
	Stage      string    `bson:"stage"`
	At         time.Time `bson:"at"`
	By         string    `bson:"by,omitempty"`
	ByRole     string    `bson:"byRole,omitempty"`
	ReasonCode string    `bson:"reasonCode,omitempty"`
	Reason     string    `bson:"reason,omitempty"`
	Note       string    `bson:"note,omitempty"`
}

type bookingDoc struct {
	SlotID   string    `bson:"slotId"`
	Start    time.Time `bson:"start"`
	End      time.Time `bson:"end"`
	Mode     string    `bson:"mode"`
	Location string    `bson:"location,omitempty"`
}

func (d *applicationDoc) setReview(a *domain.Application) {
	d.Stage, d.DocumentIDs = a.Stage, a.DocumentIDs
	d.History = make([]stageChangeDoc, len(a.History))
	for i, h := range a.History {
		d.History[i] = stageChangeDoc(h)
	}
	if b := a.Interview; b != nil {
		d.Interview = &bookingDoc{SlotID: b.SlotID, Start: b.Start, End: b.End, Mode: b.Mode, Location: b.Location}
	}
}

func (d applicationDoc) review(a *domain.Application) {
	a.Stage, a.DocumentIDs = d.Stage, d.DocumentIDs
	if a.DocumentIDs == nil {
		a.DocumentIDs = []string{}
	}
	for _, h := range d.History {
		h.At = h.At.UTC()
		a.History = append(a.History, domain.StageChange(h))
	}
	if b := d.Interview; b != nil {
		a.Interview = &domain.Booking{SlotID: b.SlotID, Start: b.Start.UTC(), End: b.End.UTC(), Mode: b.Mode, Location: b.Location}
	}
}

// reviewSet is the $set of a review change.
func reviewSet(d applicationDoc) bson.D {
	return bson.D{{Key: "stage", Value: d.Stage}, {Key: "history", Value: d.History},
		{Key: "documentIds", Value: d.DocumentIDs}, {Key: "interview", Value: d.Interview}, {Key: "version", Value: d.Version}}
}

// ReviewApplication writes a's review (stage, history, documents,
// interview), changed from version a.Version-1, with its events.
func (s *Store) ReviewApplication(ctx context.Context, a *domain.Application, evs []events.Envelope) (bool, error) {
	ob, err := s.relay.Encode(ctx, evs...)
	if err != nil {
		return false, err
	}
	res, err := s.apps.UpdateOne(ctx,
		bson.D{{Key: "_id", Value: a.ID}, {Key: "version", Value: a.Version - 1}, {Key: "status", Value: domain.ApplicationSubmitted}},
		bson.D{{Key: "$set", Value: reviewSet(applicationDocOf(a))}, outbox.Push(ob)})
	if err != nil {
		return false, fmt.Errorf("review application: %w", err)
	}
	return s.wrote(res), nil
}

// LiveApplicationsAt returns the live applications to the programs (all
// programs when programIDs is nil) at stage (any when empty).
func (s *Store) LiveApplicationsAt(ctx context.Context, programIDs []string, stage string) ([]domain.Application, error) {
	f := bson.D{{Key: "status", Value: domain.ApplicationSubmitted}}
	if programIDs != nil {
		f = append(f, bson.E{Key: "programId", Value: in(programIDs)})
	}
	apps, err := s.findApplications(ctx, f)
	if err != nil || stage == "" {
		return apps, err
	}
	// Stage is filtered here: applications stored before stages existed
	// have none and are submitted.
	out := apps[:0]
	for _, a := range apps {
		if a.StageOf() == stage {
			out = append(out, a)
		}
	}
	return out, nil
}

// --- interview slots ---

type slotDoc struct {
	ID            string     `bson:"_id"`
	ProgramID     string     `bson:"programId"`
	HostID        string     `bson:"hostId"`
	Start         time.Time  `bson:"start"`
	End           time.Time  `bson:"end"`
	Mode          string     `bson:"mode"`
	Location      string     `bson:"location,omitempty"`
	ApplicationID string     `bson:"applicationId"`
	ApplicantID   string     `bson:"applicantId"`
	BookedAt      *time.Time `bson:"bookedAt,omitempty"`
	CreatedAt     time.Time  `bson:"createdAt"`
	// Cancelled: the host took the slot back; it is deleted once its
	// booking, if any, is withdrawn.
	Cancelled bool `bson:"cancelled,omitempty"`
}

// notCancelled picks slots the host has not cancelled.
var notCancelled = bson.E{Key: "cancelled", Value: bson.D{{Key: "$ne", Value: true}}}

func (d slotDoc) slot() domain.Slot {
	s := domain.Slot{ID: d.ID, ProgramID: d.ProgramID, HostID: d.HostID, Start: d.Start.UTC(), End: d.End.UTC(), Mode: d.Mode,
		Location: d.Location, ApplicationID: d.ApplicationID, ApplicantID: d.ApplicantID, CreatedAt: d.CreatedAt.UTC()}
	if d.BookedAt != nil {
		s.BookedAt = d.BookedAt.UTC()
	}
	return s
}

// InsertSlots stores new slots.
func (s *Store) InsertSlots(ctx context.Context, slots []domain.Slot) error {
	docs := make([]any, len(slots))
	for i, sl := range slots {
		docs[i] = slotDoc{ID: sl.ID, ProgramID: sl.ProgramID, HostID: sl.HostID, Start: sl.Start, End: sl.End, Mode: sl.Mode,
			Location: sl.Location, CreatedAt: sl.CreatedAt}
	}
	if _, err := s.slots.InsertMany(ctx, docs); err != nil {
		return fmt.Errorf("insert slots: %w", err)
	}
	return nil
}

// Slots returns a program's slots by start.
func (s *Store) Slots(ctx context.Context, programID string) ([]domain.Slot, error) {
	docs, err := all[slotDoc](ctx, s.slots, bson.D{{Key: "programId", Value: programID}, notCancelled},
		options.Find().SetSort(bson.D{{Key: "start", Value: 1}, {Key: "_id", Value: 1}}))
	if err != nil {
		return nil, err
	}
	out := make([]domain.Slot, len(docs))
	for i, d := range docs {
		out[i] = d.slot()
	}
	return out, nil
}

// Slot returns a slot or a *domain.NotFoundError.
func (s *Store) Slot(ctx context.Context, slotID string) (*domain.Slot, error) {
	var d slotDoc
	if err := s.slots.FindOne(ctx, bson.D{{Key: "_id", Value: slotID}, notCancelled}).Decode(&d); err != nil {
		return nil, notFound(err, "slot")
	}
	sl := d.slot()
	return &sl, nil
}

// ClaimSlot gives a free slot to an application in one conditional write:
// of two applicants booking the same slot at once, one wins. It reports
// whether the slot was free.
func (s *Store) ClaimSlot(ctx context.Context, slotID, applicationID, applicantID string, at time.Time) (bool, error) {
	res, err := s.slots.UpdateOne(ctx, bson.D{{Key: "_id", Value: slotID}, {Key: "applicationId", Value: ""}, notCancelled},
		bson.D{{Key: "$set", Value: bson.D{{Key: "applicationId", Value: applicationID}, {Key: "applicantId", Value: applicantID},
			{Key: "bookedAt", Value: at}}}})
	if err != nil {
		return false, fmt.Errorf("claim slot: %w", err)
	}
	return res.MatchedCount == 1, nil
}

// ReleaseSlot frees a slot if applicationID holds it.
func (s *Store) ReleaseSlot(ctx context.Context, slotID, applicationID string) error {
	_, err := s.slots.UpdateOne(ctx, bson.D{{Key: "_id", Value: slotID}, {Key: "applicationId", Value: applicationID}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "applicationId", Value: ""}, {Key: "applicantId", Value: ""}, {Key: "bookedAt", Value: nil}}}})
	if err != nil {
		return fmt.Errorf("release slot: %w", err)
	}
	return nil
}

// CancelSlot marks a slot cancelled, so that nobody can claim it any
// more, and returns it as it was; a slot already cancelled or gone is not
// found.
func (s *Store) CancelSlot(ctx context.Context, slotID string) (*domain.Slot, error) {
	var d slotDoc
	err := s.slots.FindOneAndUpdate(ctx, bson.D{{Key: "_id", Value: slotID}, notCancelled},
		bson.D{{Key: "$set", Value: bson.D{{Key: "cancelled", Value: true}}}}).Decode(&d)
	if err != nil {
		return nil, notFound(err, "slot")
	}
	sl := d.slot()
	return &sl, nil
}

// DeleteSlot deletes a cancelled slot.
func (s *Store) DeleteSlot(ctx context.Context, slotID string) error {
	if _, err := s.slots.DeleteOne(ctx, bson.D{{Key: "_id", Value: slotID}, {Key: "cancelled", Value: true}}); err != nil {
		return fmt.Errorf("delete slot: %w", err)
	}
	return nil
}

// SlotHeld reports whether a slot is still open and held by
// applicationID.
func (s *Store) SlotHeld(ctx context.Context, slotID, applicationID string) (bool, error) {
	n, err := s.slots.CountDocuments(ctx, bson.D{{Key: "_id", Value: slotID}, {Key: "applicationId", Value: applicationID}, notCancelled})
	if err != nil {
		return false, fmt.Errorf("look up slot: %w", err)
	}
	return n > 0, nil
}

// LockSlots gives owner the right to change a program's slots until
// until: one insert, or the take-over of an expired lock, in one
// conditional write each. It reports false while another owner holds it.
func (s *Store) LockSlots(ctx context.Context, programID, owner string, now, until time.Time) (bool, error) {
	_, err := s.slotLocks.InsertOne(ctx, bson.D{{Key: "_id", Value: programID}, {Key: "owner", Value: owner}, {Key: "until", Value: until}})
	if err == nil {
		return true, nil
	}
	if !mongo.IsDuplicateKeyError(err) {
		return false, fmt.Errorf("lock slots: %w", err)
	}
	res, err := s.slotLocks.UpdateOne(ctx, bson.D{{Key: "_id", Value: programID}, {Key: "until", Value: bson.D{{Key: "$lt", Value: now}}}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "owner", Value: owner}, {Key: "until", Value: until}}}})
	if err != nil {
		return false, fmt.Errorf("take over slots lock: %w", err)
	}
	return res.MatchedCount == 1, nil
}

// UnlockSlots gives the lock back if owner still holds it.
func (s *Store) UnlockSlots(ctx context.Context, programID, owner string) error {
	if _, err := s.slotLocks.DeleteOne(ctx, bson.D{{Key: "_id", Value: programID}, {Key: "owner", Value: owner}}); err != nil {
		return fmt.Errorf("unlock slots: %w", err)
	}
	return nil
}

// SlotsOf returns the slots an applicant holds.
func (s *Store) SlotsOf(ctx context.Context, applicantID string) ([]domain.Slot, error) {
	docs, err := all[slotDoc](ctx, s.slots, bson.D{{Key: "applicantId", Value: applicantID}})
	if err != nil {
		return nil, err
	}
	out := make([]domain.Slot, len(docs))
	for i, d := range docs {
		out[i] = d.slot()
	}
	return out, nil
}

// --- messages ---

type messageDoc struct {
	ID            string         `bson:"_id"`
	ApplicationID string         `bson:"applicationId,omitempty"`
	ApplicantID   string         `bson:"applicantId,omitempty"`
	ProgramID     string         `bson:"programId,omitempty"`
	HostID        string         `bson:"hostId,omitempty"`
	AuthorID      string         `bson:"authorId"`
	AuthorRole    string         `bson:"authorRole"`
	Subject       string         `bson:"subject,omitempty"`
	Body          string         `bson:"body"`
	Bulk          bool           `bson:"bulk,omitempty"`
	RecipientIDs  []string       `bson:"recipientIds"`
	SentAt        time.Time      `bson:"sentAt"`
	Erased        bool           `bson:"erased,omitempty"`
	Outbox        []outbox.Event `bson:"outbox,omitempty"`
}

func (d messageDoc) message() domain.Message {
	return domain.Message{ID: d.ID, ApplicationID: d.ApplicationID, ApplicantID: d.ApplicantID, ProgramID: d.ProgramID,
		HostID: d.HostID, AuthorID: d.AuthorID, AuthorRole: d.AuthorRole, Subject: d.Subject, Body: d.Body, Bulk: d.Bulk,
		RecipientIDs: d.RecipientIDs, SentAt: d.SentAt.UTC(), Erased: d.Erased}
}

// InsertMessage stores a message with its events.
func (s *Store) InsertMessage(ctx context.Context, m *domain.Message, evs []events.Envelope) error {
	ob, err := s.relay.Encode(ctx, evs...)
	if err != nil {
		return err
	}
	d := messageDoc{ID: m.ID, ApplicationID: m.ApplicationID, ApplicantID: m.ApplicantID, ProgramID: m.ProgramID, HostID: m.HostID,
		AuthorID: m.AuthorID, AuthorRole: m.AuthorRole, Subject: m.Subject, Body: m.Body, Bulk: m.Bulk,
		RecipientIDs: m.RecipientIDs, SentAt: m.SentAt, Outbox: ob}
	if d.RecipientIDs == nil {
		d.RecipientIDs = []string{}
	}
	if _, err := s.messages.InsertOne(ctx, d); err != nil {
		return fmt.Errorf("insert message: %w", err)
	}
	s.relay.Kick()
	return nil
}

func (s *Store) findMessages(ctx context.Context, filter bson.D) ([]domain.Message, error) {
	docs, err := all[messageDoc](ctx, s.messages, filter, options.Find().
		SetSort(bson.D{{Key: "sentAt", Value: 1}, {Key: "_id", Value: 1}}).SetProjection(bson.D{{Key: outbox.Field, Value: 0}}))
	if err != nil {
		return nil, err
	}
	out := make([]domain.Message, len(docs))
	for i, d := range docs {
		out[i] = d.message()
	}
	return out, nil
}

// Thread returns an application's messages, oldest first.
func (s *Store) Thread(ctx context.Context, applicationID string) ([]domain.Message, error) {
	return s.findMessages(ctx, bson.D{{Key: "applicationId", Value: applicationID}})
}

// MessagesTo returns the bulk messages that reached a person, oldest
// first.
func (s *Store) MessagesTo(ctx context.Context, personID string) ([]domain.Message, error) {
	return s.findMessages(ctx, bson.D{{Key: "bulk", Value: true}, {Key: "recipientIds", Value: personID}})
}

// MessagesBy returns the messages a person wrote or that concern their
// applications, oldest first (for export).
func (s *Store) MessagesBy(ctx context.Context, personID string) ([]domain.Message, error) {
	return s.findMessages(ctx, bson.D{{Key: "$or", Value: bson.A{
		bson.D{{Key: "authorId", Value: personID}}, bson.D{{Key: "applicantId", Value: personID}},
		bson.D{{Key: "recipientIds", Value: personID}}}}})
}

// eraseReview removes what the review holds about a person: the bodies of
// the messages they wrote and of their applications' threads (ids, author
// ids and times stay, as an audit that holds ids only), their place among
// bulk messages' recipients, and their interview bookings.
func (s *Store) eraseReview(ctx context.Context, personID string) error {
	if _, err := s.messages.UpdateMany(ctx, bson.D{{Key: "$or", Value: bson.A{
		bson.D{{Key: "authorId", Value: personID}}, bson.D{{Key: "applicantId", Value: personID}}}}}, blankMessage); err != nil {
		return fmt.Errorf("erase messages: %w", err)
	}
	if _, err := s.messages.UpdateMany(ctx, bson.D{{Key: "recipientIds", Value: personID}},
		bson.D{{Key: "$pullAll", Value: bson.D{{Key: "recipientIds", Value: bson.A{personID}}}}}); err != nil {
		return fmt.Errorf("erase message recipients: %w", err)
	}
	if _, err := s.slots.UpdateMany(ctx, bson.D{{Key: "applicantId", Value: personID}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "applicationId", Value: ""}, {Key: "applicantId", Value: ""}, {Key: "bookedAt", Value: nil}}}}); err != nil {
		return fmt.Errorf("erase interview bookings: %w", err)
	}
	return nil
}

// blankMessage empties a message, keeping its ids and time.
var blankMessage = bson.D{{Key: "$set", Value: bson.D{{Key: "body", Value: ""}, {Key: "subject", Value: ""}, {Key: "erased", Value: true}}}}

// EraseAuthor empties the messages a person wrote.
func (s *Store) EraseAuthor(ctx context.Context, personID string) error {
	if _, err := s.messages.UpdateMany(ctx, bson.D{{Key: "authorId", Value: personID}}, blankMessage); err != nil {
		return fmt.Errorf("erase authored messages: %w", err)
	}
	return nil
}
