package app

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/talentbridge/platform/services/matching/internal/domain"
)

// leaseStore answers the calls a leaseHold makes; every other port is
// left nil.
type leaseStore struct {
	Store
	mu        sync.Mutex
	renewals  int
	progress  []string
	released  int
	keepLease bool // Renew reports whether the leases are still held
	keepRound bool // Progress reports whether the run still holds the round
}

func (f *leaseStore) Renew(context.Context, []string, string, time.Time, time.Duration) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.renewals++
	return f.keepLease, nil
}

func (f *leaseStore) Progress(_ context.Context, _, _, phase string, _ int, _ time.Time) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.progress = append(f.progress, phase)
	return f.keepRound, nil
}

func (f *leaseStore) Release(context.Context, []string, string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.released++
	return nil
}

func (f *leaseStore) counts() (renewals, released int, progress []string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.renewals, f.released, append([]string(nil), f.progress...)
}

func testHold(f *leaseStore, ttl time.Duration) *leaseHold {
	s := New(Options{Store: f, LeaseTTL: ttl})
	return s.hold(&domain.Round{ID: "r1", ProgramIDs: []string{"p1", "p2"}}, "run1", slog.New(slog.DiscardHandler))
}

// TestHoldRenewsUntilReleased: a held run renews its leases and its round
// with the phase it is in; release stops that, gives the programs back
// once however often it is called, and leaves the run's context alive for
// the run to store its result.
func TestHoldRenewsUntilReleased(t *testing.T) {
	f := &leaseStore{keepLease: true, keepRound: true}
	h := testHold(f, 30*time.Millisecond)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	runCtx, release := h.Hold(ctx)
	if err := h.Phase(runCtx, domain.PhaseLoading, 5); err != nil {
		t.Fatalf("Phase = %v", err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		if n, _, _ := f.counts(); n >= 3 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the hold did not renew its leases")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if !h.ReleasedAt().IsZero() {
		t.Error("ReleasedAt set before release")
	}
	release()
	release()
	renewals, released, progress := f.counts()
	if released != 1 {
		t.Errorf("leases released %d times, want 1", released)
	}
	if h.ReleasedAt().IsZero() {
		t.Error("ReleasedAt not set by release")
	}
	for _, p := range progress {
		if p != domain.PhaseLoading {
			t.Errorf("renewal recorded phase %q, want the run's phase %q", p, domain.PhaseLoading)
		}
	}
	if runCtx.Err() != nil {
		t.Error("release ended the run's context; the run could not store its result")
	}
	time.Sleep(100 * time.Millisecond)
	if n, _, _ := f.counts(); n != renewals {
		t.Errorf("%d renewals after release", n-renewals)
	}
}

// TestHoldLost: when a renewal finds a lease lost, the run's context ends;
// when recording a phase finds the round taken, Phase says so.
func TestHoldLost(t *testing.T) {
	f := &leaseStore{keepLease: false, keepRound: true}
	h := testHold(f, 30*time.Millisecond)
	runCtx, release := h.Hold(context.Background())
	defer release()
	select {
	case <-runCtx.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("the run's context lived on after its lease was lost")
	}
	if err := h.Renew(context.Background()); !errors.Is(err, errLeaseLost) {
		t.Errorf("Renew after the lease was lost = %v, want errLeaseLost", err)
	}

	f = &leaseStore{keepLease: true, keepRound: false}
	h = testHold(f, time.Hour)
	if err := h.Phase(context.Background(), domain.PhaseSaving, 85); !errors.Is(err, errLeaseLost) {
		t.Errorf("Phase when the round was taken = %v, want errLeaseLost", err)
	}
}

// TestRetryTransient: a lease write that times out is sent again, up to
// leaseWriteAttempts times; one the store refused for another reason, or
// one that answered, is not.
func TestRetryTransient(t *testing.T) {
	calls := 0
	ok, err := retryTransient(context.Background(), func() (bool, error) {
		calls++
		if calls == 1 {
			return false, context.DeadlineExceeded
		}
		return true, nil
	})
	if !ok || err != nil || calls != 2 {
		t.Errorf("after one timeout: ok %v err %v calls %d, want the second call's true", ok, err, calls)
	}
	calls = 0
	refused := errors.New("refused")
	if _, err := retryTransient(context.Background(), func() (bool, error) { calls++; return false, refused }); !errors.Is(err, refused) || calls != 1 {
		t.Errorf("a lasting error: err %v calls %d, want it back after 1 call", err, calls)
	}
	calls = 0
	if _, err := retryTransient(context.Background(), func() (bool, error) { calls++; return false, context.DeadlineExceeded }); err == nil || calls != leaseWriteAttempts {
		t.Errorf("timeouts throughout: err %v calls %d, want the error after %d calls", err, calls, leaseWriteAttempts)
	}
}
