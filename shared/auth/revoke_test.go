package auth_test

import (
	"context"
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"

	"github.com/talentbridge/platform/shared/auth"
	"github.com/talentbridge/platform/shared/auth/authtest"
	"github.com/talentbridge/platform/shared/events"
	"github.com/talentbridge/platform/shared/events/identity"
	"github.com/talentbridge/platform/shared/natstest"
)

func sessionToken(t *testing.T, iss *authtest.Issuer, user, sid string, issued time.Time) string {
	t.Helper()
	return iss.Sign(t, &auth.Claims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer: auth.Issuer, Audience: jwt.ClaimStrings{auth.Audience}, Subject: user,
			IssuedAt:  jwt.NewNumericDate(issued),
			ExpiresAt: jwt.NewNumericDate(issued.Add(auth.AccessLifetime)),
			ID:        uuid.NewString(),
		},
		Role: auth.RoleApplicant, Session: sid,
	})
}

func publish(t *testing.T, ctx context.Context, pub interface {
	PublishEvent(context.Context, events.Envelope) error
}, typ, user string, data any) {
	t.Helper()
	ev, err := events.New(identity.Source, typ, user, 1, data)
	if err != nil {
		t.Fatal(err)
	}
	if err := pub.PublishEvent(ctx, ev); err != nil {
		t.Fatal(err)
	}
}

// TestRevokedSessionsAndErasedAccountsAreRefused: a verifier fed from the
// IDENTITY stream refuses the tokens of a revoked session and of an erased
// account, both those published before it started (the set is rebuilt from
// the stream) and those published while it runs, and keeps accepting the
// other sessions of the same user.
func TestRevokedSessionsAndErasedAccountsAreRefused(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := natstest.Start(t)
	gw := natstest.Bus(t, url, "gateway")
	iss := authtest.New(t)
	now := time.Now()

	// Before the verifier's process starts: one sign-in of alice ends.
	publish(t, ctx, gw, events.SessionRevoked, "alice",
		identity.SessionRevoked{UserID: "alice", SessionID: "s-old", Reason: "logout", RevokedAt: now})

	svc := natstest.Bus(t, url, "profiles")
	set := auth.NewRevocations()
	stop, err := auth.Follow(ctx, svc.JS, set, slog.New(slog.DiscardHandler), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	v := iss.Verifier().WithRevocations(set)

	if _, err := v.Parse(ctx, sessionToken(t, iss, "alice", "s-old", now)); !errors.Is(err, auth.ErrInvalidToken) {
		t.Errorf("token of a session revoked before start: %v, want ErrInvalidToken", err)
	}
	if _, err := v.Parse(ctx, sessionToken(t, iss, "alice", "s-other", now)); err != nil {
		t.Errorf("token of alice's other session: %v, want accepted", err)
	}

	// While it runs: a second sign-in ends, and bob's account is erased.
	publish(t, ctx, gw, events.SessionRevoked, "alice",
		identity.SessionRevoked{UserID: "alice", SessionID: "s-other", Reason: "logout", RevokedAt: time.Now()})
	publish(t, ctx, gw, events.UserDeleted, "bob",
		identity.UserDeleted{UserID: "bob", Role: auth.RoleApplicant, DeletedAt: time.Now()})
	bobToken := sessionToken(t, iss, "bob", "s-bob", now)
	deadline := time.Now().Add(5 * time.Second)
	for {
		_, errA := v.Parse(ctx, sessionToken(t, iss, "alice", "s-other", now))
		_, errB := v.Parse(ctx, bobToken)
		if errors.Is(errA, auth.ErrInvalidToken) && errors.Is(errB, auth.ErrInvalidToken) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("5 s after the events: alice's revoked session %v, erased bob %v; want both refused", errA, errB)
		}
		time.Sleep(20 * time.Millisecond)
	}
	// An erased account's tokens fail whatever their session or issue time.
	if _, err := v.Parse(ctx, sessionToken(t, iss, "bob", "", time.Now().Add(time.Second))); !errors.Is(err, auth.ErrInvalidToken) {
		t.Errorf("later token of erased bob: %v, want ErrInvalidToken", err)
	}
	if _, err := v.Parse(ctx, sessionToken(t, iss, "carol", "s-carol", now)); err != nil {
		t.Errorf("carol's token: %v, want accepted", err)
	}
}

// TestRevocationsForgetWhatNoTokenOutlives: entries older than the longest
// token lifetime are dropped, so the set stays small.
func TestRevocationsForgetWhatNoTokenOutlives(t *testing.T) {
	t.Parallel()
	set := auth.NewRevocations()
	old := time.Now().Add(-auth.AccessLifetime - auth.Leeway - time.Minute)
	for range 1000 {
		set.RevokeSession(uuid.NewString(), old)
		set.RevokeUser(uuid.NewString(), old)
	}
	set.RevokeSession("fresh", time.Now())
	if n := set.Len(); n > 65 {
		t.Errorf("Len = %d after 2,000 expired revocations, want at most 65", n)
	}
	// What is recent stays.
	fresh := &auth.Claims{Session: "fresh"}
	fresh.Subject = "anyone"
	if !set.Revoked(fresh) {
		t.Error("a fresh revocation was pruned")
	}
}
