package app

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/talentbridge/platform/services/matching/internal/domain"
)

// sweepStore answers the offer sweep: no round published for the first
// unpublished looks, then one; each look for lapsed offers takes cost and
// finds none. Every other port is left nil.
type sweepStore struct {
	Store
	cost time.Duration

	mu          sync.Mutex
	unpublished int // looks at the rounds still to answer "none published"
	looks       int // AnyRoundPublished calls
	sweeps      []time.Time
}

func (f *sweepStore) AnyRoundPublished(context.Context) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.looks++
	if f.unpublished > 0 {
		f.unpublished--
		return false, nil
	}
	return true, nil
}

func (f *sweepStore) LapsedOffers(context.Context, time.Time, int) ([]domain.Match, error) {
	time.Sleep(f.cost)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sweeps = append(f.sweeps, time.Now())
	return nil, nil
}

func (f *sweepStore) DueReminders(context.Context, time.Time, int) ([]domain.Match, error) {
	return nil, nil
}

// TestOfferSweepWaitsForAPublicationAndSpacesSlowSweeps: no match is read
// until a round has been published, and once sweeps are slow (a national
// round's matches), the next starts no sooner than sweepSpacing times the
// last one's length after it began, instead of every interval.
func TestOfferSweepWaitsForAPublicationAndSpacesSlowSweeps(t *testing.T) {
	const every, cost = 10 * time.Millisecond, 40 * time.Millisecond
	f := &sweepStore{cost: cost, unpublished: 3}
	s := New(Options{Store: f})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.SweepOffers(ctx, every)
	}()
	time.Sleep(2 * sweepSpacing * cost) // room for two spaced sweeps, or ~30 unspaced
	cancel()
	<-done

	f.mu.Lock()
	defer f.mu.Unlock()
	if f.looks != 4 {
		t.Errorf("the rounds were looked at %d times, want 4: three before the publication, then no more", f.looks)
	}
	if len(f.sweeps) == 0 || len(f.sweeps) > 3 {
		t.Fatalf("%d sweeps of %s each in %s, want 1 to 3 (spaced at least %s apart)",
			len(f.sweeps), cost, 2*sweepSpacing*cost, sweepSpacing*cost)
	}
	for i := 1; i < len(f.sweeps); i++ {
		// Each sweep's look ends cost after the sweep began; the next
		// begins sweepSpacing*cost (or more) after that beginning.
		if gap := f.sweeps[i].Sub(f.sweeps[i-1]); gap < (sweepSpacing-1)*cost {
			t.Errorf("sweeps %d and %d were %s apart, want at least %s", i-1, i, gap, (sweepSpacing-1)*cost)
		}
	}
}
