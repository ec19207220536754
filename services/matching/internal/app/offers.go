package app

import (
	"context"
	"time"

	"github.com/talentbridge/platform/services/matching/internal/domain"
	"github.com/talentbridge/platform/shared/events"
)

// Offer expiry. Every replica sweeps on a timer: it reads a bounded batch
// of published offers whose respondBy has passed and expires each with a
// conditional single-document update (still published, still past its
// deadline, still at the version read) that carries the offer.expired
// event in the document's outbox. Of replicas racing for one offer, one
// update matches and the rest change nothing, so each offer expires once
// and its event is published once; deadlines live in the store, so a
// restart loses none.

// Sweeper defaults.
const (
	DefaultSweepEvery = 5 * time.Second
	// SweepBatch bounds the offers one pass reads; a pass that fills it
	// goes on at once, up to maxSweepPasses times.
	SweepBatch     = 200
	maxSweepPasses = 50
)

// systemCaller is the actor of what the service does by itself.
var systemCaller = Caller{ID: "system", Role: "system"}

// OfferStore finds and expires lapsed offers.
type OfferStore interface {
	// LapsedOffers returns up to limit published matches whose respondBy
	// is at or before now, earliest deadline first.
	LapsedOffers(ctx context.Context, now time.Time, limit int) ([]domain.Match, error)
	// ExpireOffer writes m (expired, at m.Version) with its events if the
	// stored match is still published at m.Version-1 with a respondBy at
	// or before now; it reports whether it wrote.
	ExpireOffer(ctx context.Context, m *domain.Match, now time.Time, evs []events.Envelope) (bool, error)
	// DueReminders returns up to limit published offers not yet reminded
	// of whose respondBy is at or before by.
	DueReminders(ctx context.Context, by time.Time, limit int) ([]domain.Match, error)
	// MarkReminded records the reminder with its events if the offer is
	// still published and was not reminded of; it reports whether it
	// wrote.
	MarkReminded(ctx context.Context, m *domain.Match, at time.Time, evs []events.Envelope) (bool, error)
	// AnyRoundPublished reports whether a round has ever been published:
	// before that there are no offers to sweep.
	AnyRoundPublished(ctx context.Context) (bool, error)
}

// RemindBefore is how long before its deadline an open offer's applicant
// is reminded (offer.reminder, once per offer).
const RemindBefore = 24 * time.Hour

// RemindOffers sends the reminders that are due and returns how many.
func (s *Service) RemindOffers(ctx context.Context) (int, error) {
	done := 0
	for range maxSweepPasses {
		now := s.now()
		ms, err := s.store.DueReminders(ctx, now.Add(RemindBefore), SweepBatch)
		if err != nil {
			return done, err
		}
		for i := range ms {
			m := &ms[i]
			if m.Lapsed(now) {
				continue // expiry, not a reminder, is due
			}
			ev, err := s.event(ctx, events.OfferReminder, m.ID, m.Version, s.matchPayload(m, systemCaller, now))
			if err != nil {
				return done, err
			}
			ok, err := s.store.MarkReminded(ctx, m, now, []events.Envelope{ev})
			if err != nil {
				return done, err
			}
			if ok {
				done++
			}
		}
		if len(ms) < SweepBatch {
			break
		}
	}
	return done, nil
}

// ExpireOffers expires the offers past their deadline, in bounded
// batches, and returns how many this call expired.
func (s *Service) ExpireOffers(ctx context.Context) (int, error) {
	done := 0
	for range maxSweepPasses {
		now := s.now()
		ms, err := s.store.LapsedOffers(ctx, now, SweepBatch)
		if err != nil {
			return done, err
		}
		for i := range ms {
			ok, err := s.expire(ctx, &ms[i], now)
			if err != nil {
				return done, err
			}
			if ok {
				done++
			}
		}
		if len(ms) < SweepBatch {
			break
		}
	}
	return done, nil
}

func (s *Service) expire(ctx context.Context, m *domain.Match, now time.Time) (bool, error) {
	if err := m.Expire(now); err != nil {
		return false, nil // answered or moved on since it was read
	}
	ev, err := s.event(ctx, events.OfferExpired, m.ID, m.Version, s.matchPayload(m, systemCaller, now))
	if err != nil {
		return false, err
	}
	ok, err := s.store.ExpireOffer(ctx, m, now, []events.Envelope{ev})
	if err != nil || !ok {
		return false, err
	}
	s.audit(ctx, domain.AuditEntry{ID: ev.ID, At: now, ActorID: systemCaller.ID, ActorRole: systemCaller.Role,
		Action: action(events.OfferExpired), EntityType: domain.EntityMatch, EntityID: m.ID, RoundID: m.RoundID})
	return true, nil
}

// SweepOffers expires lapsed offers every interval until ctx ends.
func (s *Service) SweepOffers(ctx context.Context, every time.Duration) {
	if every <= 0 {
		every = DefaultSweepEvery
	}
	t := time.NewTimer(every)
	defer t.Stop()
	// Until a round is published there is no offer, and each sweep would
	// only read every match (the embedded store has no index): a national
	// round's tens of thousands of proposed matches, twice every few
	// seconds, while the coordinators review them. A round once published
	// stays so, so the check stops once it has said yes.
	published := false
	for {
		began := time.Now()
		if !published {
			var err error
			if published, err = s.store.AnyRoundPublished(ctx); err != nil && ctx.Err() == nil {
				s.log.Warn("look for published rounds", "err", err)
			}
		}
		if published {
			s.sweepOffersOnce(ctx)
		}
		// After a national round is published each sweep still reads its
		// tens of thousands of matches; spaced at least sweepSpacing times
		// its own length, it takes at most a twentieth of the service's
		// time. An offer whose deadline passes between sweeps is already
		// refused on accept (domain.Match.Lapsed); only its offer.expired
		// event waits for the next sweep.
		t.Reset(max(every, sweepSpacing*time.Since(began)))
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// sweepSpacing is how many times as long as the last sweep took
// SweepOffers waits at least before the next.
const sweepSpacing = 20

// sweepOffersOnce expires the lapsed offers and sends the reminders due.
func (s *Service) sweepOffersOnce(ctx context.Context) {
	if n, err := s.ExpireOffers(ctx); err != nil && ctx.Err() == nil {
		s.log.Warn("expire offers", "err", err)
	} else if n > 0 {
		s.log.Info("offers expired", "count", n)
	}
	if _, err := s.RemindOffers(ctx); err != nil && ctx.Err() == nil {
		s.log.Warn("remind of offers", "err", err)
	}
}
