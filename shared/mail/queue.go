package mail

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/talentbridge/platform/shared/mongodb"
)

// Queue is the mail outbox of one service: a MongoDB collection of its own
// (say "mails") with one document per (event, recipient), keyed by the
// message's stable ID, and a relay (Run) that sends pending documents and
// then marks them sent.
//
// Once per event and recipient: Enqueue inserts under _id = ID(eventID,
// recipient), so the same event handled twice (a redelivery, a replay, two
// replicas) stores one mail. The relay claims a pending mail by moving its
// next-attempt time a lease ahead (one atomic findAndModify), sends it, and
// sets status "sent". A crash between the send and the mark leaves that one
// mail pending; when its lease runs out a relay (this process restarted, or
// another replica) sends it again, with the same Message-ID so the
// recipient's mail client can recognise the copy. So at most the mails in
// flight at the crash are sent twice — one per relay, since a relay sends
// one mail at a time — and no mail is lost.
//
// Sent mails keep their subject and status but lose their bodies; Forget
// deletes a user's mails (erasure) and ForUser lists them (export).
type Queue struct {
	coll   *mongo.Collection
	sender Sender
	opt    QueueOptions
	kick   chan struct{}
	now    func() time.Time
}

// QueueOptions tune the relay; zero values take the defaults.
type QueueOptions struct {
	// Poll is how often the relay looks for due mails without a Kick
	// (default 10s).
	Poll time.Duration
	// Lease is how long a claimed mail is left to its relay before another
	// may send it (default 2m; longer than an SMTP conversation).
	Lease time.Duration
	// MaxAttempts before a mail that keeps failing is given up (default 8;
	// retries back off from 30s doubling up to 1h).
	MaxAttempts int
	Logger      *slog.Logger
}

// Mail statuses.
const (
	StatusPending = "pending"
	StatusSent    = "sent"
	StatusFailed  = "failed"
)

// Stored is one mail as the queue keeps it.
type Stored struct {
	ID        string    `bson:"_id" json:"id"`
	EventID   string    `bson:"eventId" json:"eventId"`
	UserID    string    `bson:"userId,omitempty" json:"-"`
	To        string    `bson:"to" json:"to"`
	Subject   string    `bson:"subject" json:"subject"`
	Text      string    `bson:"text,omitempty" json:"-"`
	HTML      string    `bson:"html,omitempty" json:"-"`
	Status    string    `bson:"status" json:"status"`
	Attempts  int       `bson:"attempts" json:"attempts"`
	NextAt    time.Time `bson:"nextAt" json:"-"`
	LastError string    `bson:"lastError,omitempty" json:"lastError,omitempty"`
	CreatedAt time.Time `bson:"createdAt" json:"createdAt"`
	SentAt    time.Time `bson:"sentAt,omitempty" json:"sentAt,omitzero"`
}

// NewQueue returns the queue over coll (creating its indexes) that sends
// through sender.
func NewQueue(ctx context.Context, coll *mongo.Collection, sender Sender, opt QueueOptions) (*Queue, error) {
	if opt.Poll <= 0 {
		opt.Poll = 10 * time.Second
	}
	if opt.Lease <= 0 {
		opt.Lease = 2 * time.Minute
	}
	if opt.MaxAttempts <= 0 {
		opt.MaxAttempts = 8
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	if sender == nil {
		sender = Disabled{}
	}
	if err := mongodb.EnsureIndexes(ctx, coll.Database(), []mongodb.Index{
		{Collection: coll.Name(), Keys: bson.D{{Key: "status", Value: 1}, {Key: "nextAt", Value: 1}}},
		{Collection: coll.Name(), Keys: bson.D{{Key: "userId", Value: 1}}},
	}); err != nil {
		return nil, fmt.Errorf("mail queue indexes: %w", err)
	}
	return &Queue{coll: coll, sender: sender, opt: opt, kick: make(chan struct{}, 1), now: time.Now}, nil
}

// Enabled reports whether the queue sends anything (TB_SMTP_ADDR is set).
func (q *Queue) Enabled() bool { return !IsDisabled(q.sender) }

// Enqueue stores m, caused by event eventID, for the relay; userID (may be
// empty) is the recipient's account, for export and erasure. The same
// (eventID, m.To) is stored once: a second Enqueue is a no-op. With e-mail
// off nothing is stored. m.MessageID defaults to ID(eventID, m.To).
func (q *Queue) Enqueue(ctx context.Context, eventID, userID string, m Message) error {
	if !q.Enabled() {
		return nil
	}
	if eventID == "" {
		return errors.New("mail: enqueue without an event id")
	}
	if m.MessageID == "" {
		m.MessageID = ID(eventID, m.To)
	}
	if err := m.Validate(); err != nil {
		return err
	}
	now := q.now()
	_, err := q.coll.InsertOne(ctx, Stored{ID: m.MessageID, EventID: eventID, UserID: userID, To: m.To,
		Subject: m.Subject, Text: m.Text, HTML: m.HTML, Status: StatusPending, NextAt: now, CreatedAt: now})
	if mongodb.IsDuplicate(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("enqueue mail: %w", err)
	}
	q.Kick()
	return nil
}

// Kick wakes the relay.
func (q *Queue) Kick() {
	select {
	case q.kick <- struct{}{}:
	default:
	}
}

// Run is the relay: it sends due mails one at a time until ctx ends. With
// e-mail off it returns at once.
func (q *Queue) Run(ctx context.Context) {
	if !q.Enabled() {
		return
	}
	t := time.NewTicker(q.opt.Poll)
	defer t.Stop()
	for {
		for ctx.Err() == nil {
			sent, err := q.deliverOne(ctx)
			if err != nil {
				if ctx.Err() == nil {
					q.opt.Logger.Warn("mail relay", "err", err)
				}
				break
			}
			if !sent {
				break
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-q.kick:
		}
	}
}

// deliverOne claims, sends and marks one due mail; false when none is due.
func (q *Queue) deliverOne(ctx context.Context) (bool, error) {
	m, err := q.claim(ctx)
	if err != nil || m == nil {
		return false, err
	}
	sendErr := q.sender.Send(ctx, Message{To: m.To, Subject: m.Subject, Text: m.Text, HTML: m.HTML, MessageID: m.ID})
	// The outcome is recorded even when ctx ended during the send: a mail
	// that went out must not stay pending because the process is stopping.
	mctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	return true, q.mark(mctx, m, sendErr)
}

// claim takes the oldest due pending mail and leases it to this relay.
func (q *Queue) claim(ctx context.Context) (*Stored, error) {
	now := q.now()
	var m Stored
	err := q.coll.FindOneAndUpdate(ctx,
		bson.D{{Key: "status", Value: StatusPending}, {Key: "nextAt", Value: bson.D{{Key: "$lte", Value: now}}}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "nextAt", Value: now.Add(q.opt.Lease)}}},
			{Key: "$inc", Value: bson.D{{Key: "attempts", Value: 1}}}},
		options.FindOneAndUpdate().SetSort(bson.D{{Key: "nextAt", Value: 1}}).SetReturnDocument(options.After),
	).Decode(&m)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("claim mail: %w", err)
	}
	return &m, nil
}

// mark records the outcome of sending m.
func (q *Queue) mark(ctx context.Context, m *Stored, sendErr error) error {
	now := q.now()
	var set bson.D
	var unset bson.D
	switch {
	case sendErr == nil:
		set = bson.D{{Key: "status", Value: StatusSent}, {Key: "sentAt", Value: now}}
		unset = bson.D{{Key: "text", Value: ""}, {Key: "html", Value: ""}, {Key: "lastError", Value: ""}}
	case errors.Is(sendErr, ErrPermanent) || m.Attempts >= q.opt.MaxAttempts:
		q.opt.Logger.Error("mail given up", "id", m.ID, "event_id", m.EventID, "attempts", m.Attempts, "err", sendErr)
		set = bson.D{{Key: "status", Value: StatusFailed}, {Key: "lastError", Value: sendErr.Error()}}
		unset = bson.D{{Key: "text", Value: ""}, {Key: "html", Value: ""}}
	default:
		q.opt.Logger.Warn("mail not sent, will retry", "id", m.ID, "event_id", m.EventID, "attempts", m.Attempts, "err", sendErr)
		set = bson.D{{Key: "nextAt", Value: now.Add(backoff(m.Attempts))}, {Key: "lastError", Value: sendErr.Error()}}
	}
	upd := bson.D{{Key: "$set", Value: set}}
	if len(unset) > 0 {
		upd = append(upd, bson.E{Key: "$unset", Value: unset})
	}
	if _, err := q.coll.UpdateOne(ctx, bson.D{{Key: "_id", Value: m.ID}, {Key: "status", Value: StatusPending}}, upd); err != nil {
		return fmt.Errorf("mark mail %s: %w", m.ID, err)
	}
	return nil
}

// backoff is the wait before attempt n+1: 30s doubling, at most an hour.
func backoff(n int) time.Duration {
	d := 30 * time.Second
	for i := 1; i < n && d < time.Hour; i++ {
		d *= 2
	}
	return min(d, time.Hour)
}

// Forget deletes every mail of a user (erasure).
func (q *Queue) Forget(ctx context.Context, userID string) error {
	if userID == "" {
		return nil
	}
	_, err := q.coll.DeleteMany(ctx, bson.D{{Key: "userId", Value: userID}})
	return err
}

// ForUser lists a user's mails, oldest first, for their data export.
func (q *Queue) ForUser(ctx context.Context, userID string) ([]Stored, error) {
	cur, err := q.coll.Find(ctx, bson.D{{Key: "userId", Value: userID}}, options.Find().SetSort(bson.D{{Key: "createdAt", Value: 1}}))
	if err != nil {
		return nil, err
	}
	out := []Stored{}
	return out, cur.All(ctx, &out)
}
