package mail

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/talentbridge/platform/shared/mail/mailtest"
	"github.com/talentbridge/platform/shared/mongotest"
)

func newQueue(t *testing.T, srv *mailtest.Server, opt QueueOptions) *Queue {
	t.Helper()
	s, err := NewSender(srv.Config(), WithTLSConfig(srv.ClientTLS()))
	if err != nil {
		t.Fatal(err)
	}
	q, err := NewQueue(context.Background(), mongotest.DB(t).Collection("mails"), s, opt)
	if err != nil {
		t.Fatal(err)
	}
	return q
}

func status(t *testing.T, q *Queue, id string) Stored {
	t.Helper()
	var m Stored
	if err := q.coll.FindOne(context.Background(), bson.D{{Key: "_id", Value: id}}).Decode(&m); err != nil {
		t.Fatalf("find mail %s: %v", id, err)
	}
	return m
}

func runRelay(t *testing.T, q *Queue) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); q.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
}

// The same event enqueued twice for one recipient is sent once; another
// recipient of the same event gets their own mail.
func TestQueueOncePerEventAndRecipient(t *testing.T) {
	srv := mailtest.Start(t, mailtest.Options{TLS: "starttls"})
	q := newQueue(t, srv, QueueOptions{Poll: 50 * time.Millisecond})
	ctx := context.Background()
	for range 3 {
		if err := q.Enqueue(ctx, "ev-1", "u1", Message{To: "ana@example.org", Subject: "Offer", Text: "You have an offer."}); err != nil {
			t.Fatal(err)
		}
	}
	if err := q.Enqueue(ctx, "ev-1", "u2", Message{To: "ravi@example.in", Subject: "Offer", Text: "Hello"}); err != nil {
		t.Fatal(err)
	}
	runRelay(t, q)
	srv.WaitCount(t, 5*time.Second, 2)
	// A second relay over the same collection finds nothing left to send.
	q2 := &Queue{coll: q.coll, sender: q.sender, opt: q.opt, kick: make(chan struct{}, 1), now: time.Now}
	runRelay(t, q2)
	time.Sleep(300 * time.Millisecond)
	if n := len(srv.Messages()); n != 2 {
		t.Fatalf("server received %d mails, want 2 (one per recipient)", n)
	}
	m := status(t, q, ID("ev-1", "ana@example.org"))
	if m.Status != StatusSent || m.Text != "" || m.SentAt.IsZero() {
		t.Fatalf("stored = %+v, want sent, body dropped", m)
	}
}

// A relay that dies after the server accepted a mail but before marking it
// sent: the next relay sends that one mail again, with the same
// Message-ID, and every other mail exactly once.
func TestQueueCrashBetweenSendAndMark(t *testing.T) {
	srv := mailtest.Start(t, mailtest.Options{TLS: "none"})
	q := newQueue(t, srv, QueueOptions{Poll: 20 * time.Millisecond, Lease: 300 * time.Millisecond})
	ctx := context.Background()
	for i := range 4 {
		to := fmt.Sprintf("p%d@example.org", i)
		if err := q.Enqueue(ctx, fmt.Sprintf("ev-%d", i), "", Message{To: to, Subject: "Result", Text: "Round result"}); err != nil {
			t.Fatal(err)
		}
	}
	// The first relay's life: it claims one mail and sends it, then the
	// process is gone (deliverOne's mark never runs).
	crashed, err := q.claim(ctx)
	if err != nil || crashed == nil {
		t.Fatalf("claim = %v, %v", crashed, err)
	}
	if err := q.sender.Send(ctx, Message{To: crashed.To, Subject: crashed.Subject, Text: crashed.Text, MessageID: crashed.ID}); err != nil {
		t.Fatal(err)
	}
	// A second relay (the restarted process) takes over.
	q2 := &Queue{coll: q.coll, sender: q.sender, opt: q.opt, kick: make(chan struct{}, 1), now: time.Now}
	runRelay(t, q2)
	msgs := srv.WaitCount(t, 10*time.Second, 5)
	time.Sleep(200 * time.Millisecond)
	msgs = srv.Messages()
	if len(msgs) != 5 {
		t.Fatalf("server received %d mails, want 5 (4 + the one in flight again)", len(msgs))
	}
	perID := map[string]int{}
	for _, m := range msgs {
		perID[m.MessageID]++
	}
	if len(perID) != 4 || perID["<"+crashed.ID+">"] != 2 {
		t.Fatalf("copies per Message-ID = %v, want 4 ids, 2 copies of <%s> only", perID, crashed.ID)
	}
	if m := status(t, q, crashed.ID); m.Status != StatusSent {
		t.Fatalf("resent mail status = %s, want sent", m.Status)
	}
}

// A temporary refusal is retried later; a permanent one is given up.
func TestQueueRetriesAndGivesUp(t *testing.T) {
	srv := mailtest.Start(t, mailtest.Options{TLS: "none"})
	q := newQueue(t, srv, QueueOptions{})
	ctx := context.Background()
	srv.RejectNext(&smtp.SMTPError{Code: 451, Message: "try later"}, &smtp.SMTPError{Code: 550, Message: "no such user"})
	if err := q.Enqueue(ctx, "ev-t", "", Message{To: "t@example.org", Subject: "s", Text: "t"}); err != nil {
		t.Fatal(err)
	}
	if sent, err := q.deliverOne(ctx); !sent || err != nil {
		t.Fatalf("deliverOne = %v, %v", sent, err)
	}
	m := status(t, q, ID("ev-t", "t@example.org"))
	if m.Status != StatusPending || !m.NextAt.After(time.Now().Add(20*time.Second)) || m.LastError == "" {
		t.Fatalf("after 451: %+v, want pending, retried in ~30s, error kept", m)
	}
	if sent, _ := q.deliverOne(ctx); sent {
		t.Fatal("a mail waiting for its retry was sent early")
	}
	q.now = func() time.Time { return time.Now().Add(time.Minute) }
	if err := q.Enqueue(ctx, "ev-p", "", Message{To: "p@example.org", Subject: "s", Text: "t"}); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := q.deliverOne(ctx); err != nil {
			t.Fatal(err)
		}
	}
	// ev-t is due first, meets the 550 and is given up; ev-p goes out.
	if m := status(t, q, ID("ev-t", "t@example.org")); m.Status != StatusFailed || m.Attempts != 2 {
		t.Fatalf("after 550: %+v, want failed after 2 attempts", m)
	}
	if m := status(t, q, ID("ev-p", "p@example.org")); m.Status != StatusSent {
		t.Fatalf("other mail: %+v, want sent", m)
	}
	if n := len(srv.Messages()); n != 1 {
		t.Fatalf("delivered = %d, want 1", n)
	}
}

// With e-mail off nothing is stored, and erasure removes a user's mails.
func TestQueueDisabledAndForget(t *testing.T) {
	db := mongotest.DB(t)
	off, err := NewQueue(context.Background(), db.Collection("mails"), Disabled{}, QueueOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := off.Enqueue(context.Background(), "ev", "u", Message{To: "a@example.org", Subject: "s", Text: "t"}); err != nil {
		t.Fatal(err)
	}
	if n, _ := db.Collection("mails").CountDocuments(context.Background(), bson.D{}); n != 0 {
		t.Fatalf("disabled queue stored %d mails", n)
	}
	srv := mailtest.Start(t, mailtest.Options{})
	q := newQueue(t, srv, QueueOptions{})
	ctx := context.Background()
	_ = q.Enqueue(ctx, "ev", "u1", Message{To: "a@example.org", Subject: "s", Text: "t"})
	_ = q.Enqueue(ctx, "ev", "u2", Message{To: "b@example.org", Subject: "s", Text: "t"})
	if got, _ := q.ForUser(ctx, "u1"); len(got) != 1 || got[0].To != "a@example.org" {
		t.Fatalf("ForUser(u1) = %+v", got)
	}
	if err := q.Forget(ctx, "u1"); err != nil {
		t.Fatal(err)
	}
	if got, _ := q.ForUser(ctx, "u1"); len(got) != 0 {
		t.Fatalf("after Forget: %+v", got)
	}
	if got, _ := q.ForUser(ctx, "u2"); len(got) != 1 {
		t.Fatalf("Forget(u1) touched u2: %+v", got)
	}
}
