package profiles_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/google/uuid"
	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/talentbridge/platform/services/profiles"
	"github.com/talentbridge/platform/services/profiles/internal/app"
	"github.com/talentbridge/platform/services/profiles/internal/domain"
	"github.com/talentbridge/platform/services/profiles/internal/mongostore"
	apiprofiles "github.com/talentbridge/platform/shared/api/profiles"
	"github.com/talentbridge/platform/shared/auth"
	"github.com/talentbridge/platform/shared/events"
	"github.com/talentbridge/platform/shared/events/identity"
	"github.com/talentbridge/platform/shared/mongotest"
	"github.com/talentbridge/platform/shared/outbox"
	"github.com/talentbridge/platform/shared/platformtest"
)

// A draft keeps an applicant's answers between requests: only its owner
// reaches it; it is refused when its form name is bad, and expires.
func TestDraftRoundTripAndAccess(t *testing.T) {
	t.Parallel()
	env := start(t)
	user, other := uuid.NewString(), uuid.NewString()
	tok := env.Issuer.Token(t, user, auth.RoleApplicant)
	otherTok := env.Issuer.Token(t, other, auth.RoleApplicant)

	if r := env.Do(t, http.MethodGet, "/api/v1/profiles/me/draft", tok, nil); r.Status != http.StatusNotFound {
		t.Fatalf("GET draft before any = %d, want 404", r.Status)
	}
	body := map[string]any{"form": "wizard", "profile": map[string]any{"kind": "researcher", "birthYear": 1994,
		"institution": "Tohoku University", "languages": []any{map[string]any{"code": "ja", "level": "native"}}}}
	before := time.Now().Add(-time.Second)
	r := env.Do(t, http.MethodPut, "/api/v1/profiles/me/draft", tok, body)
	mustStatus(t, r, http.StatusOK, "PUT /profiles/me/draft")
	if cc := r.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("PUT draft Cache-Control = %q, want no-store", cc)
	}

	r = env.Do(t, http.MethodGet, "/api/v1/profiles/me/draft", tok, nil)
	mustStatus(t, r, http.StatusOK, "GET /profiles/me/draft")
	var d apiprofiles.Draft
	r.JSON(t, &d)
	if d.Form != "wizard" || d.Profile.Kind != "researcher" || d.Profile.BirthYear != 1994 ||
		d.Profile.Institution != "Tohoku University" || len(d.Profile.Languages) != 1 || d.Profile.Languages[0].Level != "native" {
		t.Errorf("GET draft = %+v, want the answers stored", d)
	}
	if d.UpdatedAt.Before(before) || !d.ExpiresAt.Equal(d.UpdatedAt.Add(30*24*time.Hour)) {
		t.Errorf("draft times = updated %v expires %v, want now and 30 days later", d.UpdatedAt, d.ExpiresAt)
	}

	// Another applicant has no draft and cannot reach this one; other
	// roles may not use drafts at all.
	if r := env.Do(t, http.MethodGet, "/api/v1/profiles/me/draft", otherTok, nil); r.Status != http.StatusNotFound {
		t.Errorf("another applicant's GET draft = %d, want 404", r.Status)
	}
	if r := env.Do(t, http.MethodDelete, "/api/v1/profiles/me/draft", otherTok, nil); r.Status != http.StatusNoContent {
		t.Errorf("another applicant's DELETE draft = %d, want 204 (of their own, absent draft)", r.Status)
	}
	host := env.Issuer.Token(t, uuid.NewString(), auth.RoleHost)
	for _, m := range []string{http.MethodGet, http.MethodPut, http.MethodDelete} {
		if r := env.Do(t, m, "/api/v1/profiles/me/draft", host, body); r.Status != http.StatusForbidden {
			t.Errorf("host %s draft = %d, want 403", m, r.Status)
		}
	}
	if r := env.Do(t, http.MethodGet, "/api/v1/profiles/me/draft", "", nil); r.Status != http.StatusUnauthorized {
		t.Errorf("anonymous GET draft = %d, want 401", r.Status)
	}
	r = env.Do(t, http.MethodGet, "/api/v1/profiles/me/draft", tok, nil)
	mustStatus(t, r, http.StatusOK, "GET draft after the other applicant's DELETE")

	// Bad input: a stable code per field, and the stored draft unchanged.
	for name, bad := range map[string]struct {
		body        any
		field, code string
	}{
		"no form":       {map[string]any{"profile": map[string]any{"kind": "student"}}, "form", "required"},
		"bad form":      {map[string]any{"form": "../etc", "profile": map[string]any{}}, "form", "format"},
		"unknown field": {map[string]any{"form": "wizard", "owner": "x"}, "owner", "unknown_field"},
		"wrong type":    {map[string]any{"form": "wizard", "profile": map[string]any{"birthYear": "1990"}}, "profile.birthYear", "type"},
	} {
		r := env.Do(t, http.MethodPut, "/api/v1/profiles/me/draft", tok, bad.body)
		if r.Status != http.StatusBadRequest {
			t.Errorf("%s: PUT draft = %d %s, want 400", name, r.Status, r.Body)
			continue
		}
		p := r.Problem(t)
		found := false
		for _, fe := range p.Errors {
			if fe.Field == bad.field && string(fe.Code) == bad.code {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: problem errors %+v, want %s with code %s", name, p.Errors, bad.field, bad.code)
		}
	}
	r = env.Do(t, http.MethodGet, "/api/v1/profiles/me/draft", tok, nil)
	r.JSON(t, &d)
	if d.Profile.Institution != "Tohoku University" {
		t.Errorf("after refused PUTs the draft is %+v, want it unchanged", d)
	}

	// Creating the profile uses the draft up.
	create(t, env, tok, profileBody())
	if r := env.Do(t, http.MethodGet, "/api/v1/profiles/me/draft", tok, nil); r.Status != http.StatusNotFound {
		t.Errorf("GET draft after the profile was created = %d, want 404", r.Status)
	}
	mustStatus(t, env.Do(t, http.MethodPut, "/api/v1/profiles/me/draft", tok, body), http.StatusOK, "PUT draft again")
	mustStatus(t, env.Do(t, http.MethodDelete, "/api/v1/profiles/me/draft", tok, nil), http.StatusNoContent, "DELETE draft")
	if r := env.Do(t, http.MethodGet, "/api/v1/profiles/me/draft", tok, nil); r.Status != http.StatusNotFound {
		t.Errorf("GET draft after DELETE = %d, want 404", r.Status)
	}
}

func TestDraftExpires(t *testing.T) {
	t.Parallel()
	env := start(t)
	user := uuid.NewString()
	tok := env.Issuer.Token(t, user, auth.RoleApplicant)
	mustStatus(t, env.Do(t, http.MethodPut, "/api/v1/profiles/me/draft", tok,
		map[string]any{"form": "wizard", "profile": map[string]any{"kind": "student"}}), http.StatusOK, "PUT draft")
	drafts := env.Deps.DB(profiles.Database).Collection("drafts")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	// 31 days without a change.
	if _, err := drafts.UpdateOne(ctx, bson.D{{Key: "_id", Value: user}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "updatedAt", Value: time.Now().Add(-31 * 24 * time.Hour)}}}}); err != nil {
		t.Fatal(err)
	}
	if r := env.Do(t, http.MethodGet, "/api/v1/profiles/me/draft", tok, nil); r.Status != http.StatusNotFound {
		t.Errorf("GET an expired draft = %d, want 404", r.Status)
	}
	n, err := drafts.CountDocuments(ctx, bson.D{{Key: "_id", Value: user}})
	if err != nil || n != 0 {
		t.Errorf("expired draft still stored (%d, %v), want it deleted", n, err)
	}
}

// Erasing the profile (or the account) erases the draft; the export
// includes it while it lives.
func TestDraftIsExportedAndErased(t *testing.T) {
	t.Parallel()
	env := start(t)
	user := uuid.NewString()
	tok := env.Issuer.Token(t, user, auth.RoleApplicant)
	create(t, env, tok, profileBody())
	marker := "Draft statement marker pine-harbour-2207"
	mustStatus(t, env.Do(t, http.MethodPut, "/api/v1/profiles/me/draft", tok,
		map[string]any{"form": "statement", "profile": map[string]any{"statement": marker}}), http.StatusOK, "PUT draft")

	r := env.Do(t, http.MethodGet, "/api/v1/profiles/me/export", tok, nil)
	mustStatus(t, r, http.StatusOK, "GET export")
	var x struct {
		Services struct {
			Profiles struct {
				Draft *apiprofiles.Draft `json:"draft"`
			} `json:"profiles"`
		} `json:"services"`
	}
	r.JSON(t, &x)
	if d := x.Services.Profiles.Draft; d == nil || d.Form != "statement" || d.Profile.Statement != marker {
		t.Errorf("export's draft = %+v, want the stored draft", d)
	}

	mustStatus(t, env.Do(t, http.MethodDelete, "/api/v1/profiles/me", tok, nil), http.StatusNoContent, "DELETE /profiles/me")
	if r := env.Do(t, http.MethodGet, "/api/v1/profiles/me/draft", tok, nil); r.Status != http.StatusNotFound {
		t.Errorf("GET draft after erasure = %d, want 404", r.Status)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	n, err := env.Deps.DB(profiles.Database).Collection("drafts").CountDocuments(ctx, bson.D{})
	if err != nil || n != 0 {
		t.Errorf("%d drafts stored after erasure (%v), want none", n, err)
	}

	// An account deleted before it had a profile: its draft goes too.
	early := uuid.NewString()
	earlyTok := env.Issuer.Token(t, early, auth.RoleApplicant)
	mustStatus(t, env.Do(t, http.MethodPut, "/api/v1/profiles/me/draft", earlyTok,
		map[string]any{"form": "wizard", "profile": map[string]any{"institution": "Marker Institute"}}), http.StatusOK, "PUT draft")
	publish(t, env, platformtest.Event(t, identity.Source, events.UserDeleted, early, 3, identity.UserDeleted{
		UserID: early, Role: auth.RoleApplicant, DeletedAt: time.Now().UTC(),
	}))
	// (The deleted account's tokens are revoked, so the store is asked.)
	platformtest.Eventually(t, 30*time.Second, func() error {
		n, err := env.Deps.DB(profiles.Database).Collection("drafts").CountDocuments(ctx, bson.D{{Key: "_id", Value: early}})
		if err != nil || n != 0 {
			return fmt.Errorf("%d drafts of the deleted account (%v), want none", n, err)
		}
		return nil
	})
}

// The hourly sweep deletes drafts left unchanged for 30 days, and only
// those.
func TestDraftSweep(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	db := mongotest.DB(t)
	store := mongostore.New(db, outbox.Config{})
	svc := app.New(app.Options{Profiles: store, Applications: store, Imports: store, Drafts: store})
	now := time.Now().UTC()
	for id, at := range map[string]time.Time{"old": now.Add(-31 * 24 * time.Hour), "fresh": now.Add(-29 * 24 * time.Hour)} {
		if err := store.PutDraft(ctx, app.Draft{OwnerID: id, Form: "wizard", UpdatedAt: at}); err != nil {
			t.Fatal(err)
		}
	}
	n, err := svc.SweepDrafts(ctx)
	if err != nil || n != 1 {
		t.Fatalf("SweepDrafts = %d, %v; want the one old draft", n, err)
	}
	if _, err := store.GetDraft(ctx, "old"); !errors.Is(err, domain.ErrDraftNotFound) {
		t.Errorf("old draft after the sweep: %v, want not found", err)
	}
	if _, err := store.GetDraft(ctx, "fresh"); err != nil {
		t.Errorf("fresh draft after the sweep: %v, want it kept", err)
	}
}
