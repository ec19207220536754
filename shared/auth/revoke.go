package auth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/talentbridge/platform/shared/events"
	"github.com/talentbridge/platform/shared/events/identity"
)

// AccessLifetime is the longest an access token lives. A revocation only
// has to be remembered this long (plus Leeway): after that, every token it
// ends has expired anyway.
const AccessLifetime = 15 * time.Minute

// Revocations is the set of ended sign-ins (by session id) and ended
// accounts (by user id) whose access tokens may still be unexpired. Every
// process keeps one, fed from the IDENTITY stream (Follow); the Verifier
// refuses any token it matches.
type Revocations struct {
	keep time.Duration
	now  func() time.Time

	mu       sync.RWMutex
	sessions map[string]time.Time // sid → when it was revoked
	users    map[string]time.Time // sub → tokens issued at or before this fail
	pruned   time.Time
	// after is the size beyond which the next change prunes even within
	// the minute (a burst of revocations).
	after int
}

// NewRevocations returns an empty set that forgets entries older than
// AccessLifetime + Leeway.
func NewRevocations() *Revocations {
	return &Revocations{keep: AccessLifetime + Leeway, now: time.Now,
		sessions: map[string]time.Time{}, users: map[string]time.Time{}}
}

// RevokeSession refuses from now on every token of session sid.
func (r *Revocations) RevokeSession(sid string, at time.Time) {
	if sid == "" {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sessions[sid] = at
	r.pruneLocked()
}

// RevokeUser refuses every token of user sub issued at or before at.
func (r *Revocations) RevokeUser(sub string, at time.Time) {
	if sub == "" {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if prev, ok := r.users[sub]; !ok || at.After(prev) {
		r.users[sub] = at
	}
	r.pruneLocked()
}

// Revoked reports whether the token with claims c was revoked. A nil set
// revokes nothing.
func (r *Revocations) Revoked(c *Claims) bool {
	if r == nil || c == nil {
		return false
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	if c.Session != "" {
		if _, ok := r.sessions[c.Session]; ok {
			return true
		}
	}
	if at, ok := r.users[c.Subject]; ok {
		// Issue times are whole seconds: a token of the same second as
		// the revocation counts as issued before it.
		if c.IssuedAt == nil || !c.IssuedAt.After(at) {
			return true
		}
	}
	return false
}

// Len is how many entries the set holds.
func (r *Revocations) Len() int {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return len(r.sessions) + len(r.users)
}

// pruneLocked drops entries older than the longest token lifetime, so the
// set holds only what can still matter. It runs once a minute, or sooner
// when the set has doubled since the last run, so its cost per change stays
// constant.
func (r *Revocations) pruneLocked() {
	now := r.now()
	if now.Sub(r.pruned) < time.Minute && len(r.sessions)+len(r.users) <= r.after {
		return
	}
	r.pruned = now
	cutoff := now.Add(-r.keep)
	for k, at := range r.sessions {
		if at.Before(cutoff) {
			delete(r.sessions, k)
		}
	}
	for k, at := range r.users {
		if at.Before(cutoff) {
			delete(r.users, k)
		}
	}
	r.after = 2*(len(r.sessions)+len(r.users)) + 64
}

// apply records one IDENTITY event; other subjects are ignored.
func (r *Revocations) apply(subject string, data []byte) error {
	ev, err := events.Parse(data)
	if err != nil {
		return err
	}
	switch subject {
	case events.SessionRevoked:
		var p identity.SessionRevoked
		if err := json.Unmarshal(ev.Data, &p); err != nil {
			return err
		}
		if p.SessionID != "" {
			r.RevokeSession(p.SessionID, p.RevokedAt)
		} else {
			r.RevokeUser(p.UserID, p.RevokedAt)
		}
	case events.UserDeleted:
		var p identity.UserDeleted
		if err := json.Unmarshal(ev.Data, &p); err != nil {
			return err
		}
		// An erased account never signs in again: every token it was
		// ever issued ends, so the entry covers the tokens' whole lifetime.
		at := p.DeletedAt
		if at.IsZero() {
			at = ev.Time
		}
		r.RevokeUser(p.UserID, at.Add(r.keep))
	}
	return nil
}

// Follow feeds r from the IDENTITY stream with an ordered consumer of its
// own (nothing durable: each process rebuilds its set at start). It reads
// from AccessLifetime + Leeway ago, so older revocations, which no
// unexpired token can match, are never loaded. It returns once what the
// stream held at the start has been applied, or after catchUp at most (a
// warning, not a failure: the set fills as the events arrive). stop ends
// the consumer.
func Follow(ctx context.Context, js jetstream.JetStream, r *Revocations, log *slog.Logger, catchUp time.Duration) (stop func(), err error) {
	cons, err := js.OrderedConsumer(ctx, "IDENTITY", jetstream.OrderedConsumerConfig{
		FilterSubjects: []string{events.SessionRevoked, events.UserDeleted},
		DeliverPolicy:  jetstream.DeliverByStartTimePolicy,
		OptStartTime:   ptr(time.Now().Add(-r.keep)),
	})
	if err != nil {
		return nil, fmt.Errorf("follow revocations: %w", err)
	}
	info, err := cons.Info(ctx)
	if err != nil {
		return nil, fmt.Errorf("follow revocations: %w", err)
	}
	caught := make(chan struct{})
	var once sync.Once
	if info.NumPending == 0 {
		once.Do(func() { close(caught) })
	}
	cc, err := cons.Consume(func(m jetstream.Msg) {
		if err := r.apply(m.Subject(), m.Data()); err != nil {
			log.Warn("revocation event not understood", "subject", m.Subject(), "err", err)
		}
		if md, err := m.Metadata(); err == nil && md.NumPending == 0 {
			once.Do(func() { close(caught) })
		}
	})
	if err != nil {
		return nil, fmt.Errorf("follow revocations: %w", err)
	}
	select {
	case <-caught:
	case <-time.After(catchUp):
		log.Warn("revocations not caught up yet; continuing", "after", catchUp)
	case <-ctx.Done():
		cc.Stop()
		return nil, errors.Join(errors.New("follow revocations"), ctx.Err())
	}
	return cc.Stop, nil
}

func ptr[T any](v T) *T { return &v }
