package domain

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestNormalizeEmail(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"asha@example.org", "asha@example.org", true},
		{"  Asha.Rao@Example.ORG \n", "asha.rao@example.org", true},
		{"a+tag@mail.example.co.jp", "a+tag@mail.example.co.jp", true},
		{"", "", false},
		{"   ", "", false},
		{"no-at-sign.example.org", "", false},
		{"two@@example.org", "", false},
		{"a@b@example.org", "", false},
		{"@example.org", "", false},
		{"asha@", "", false},
		{"asha@localhost", "", false},
		{"asha@example..org", "", false},
		{"asha@.example.org", "", false},
		{"asha rao@example.org", "", false},
		{"Asha <asha@example.org>", "", false},
		{"a@example.org,b@example.org", "", false},
		{"asha\x00@example.org", "", false},
		{strings.Repeat("a", 250) + "@example.org", "", false},
		// Issue 16, finding 6: look-alike addresses. Format characters are
		// refused; compatibility forms and internationalised domains are
		// brought to one visible form (NFKC, lower case, punycode).
		{"asha\u200b@example.org", "", false},
		{"asha@exa\u200dmple.org", "", false},
		{"\u202easha@example.org", "", false},
		{"asha@example.org\ufeff", "", false},
		{"asha@ex\u00adample.org", "", false},
		{"ａｓｈａ@ＥＸＡＭＰＬＥ.ｏｒｇ", "asha@example.org", true},
		{"Asha@Bücher.Example", "asha@xn--bcher-kva.example", true},
		{"asha@xn--bcher-kva.example", "asha@xn--bcher-kva.example", true},
		{"asha@ex_ample.org", "", false},
	} {
		got, err := NormalizeEmail(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("NormalizeEmail(%q) = %q, %v; want %q, ok=%v", tc.in, got, err, tc.want, tc.ok)
		}
		var ve *ValidationError
		if err != nil && (!errors.As(err, &ve) || ve.Field != "email") {
			t.Errorf("NormalizeEmail(%q) error = %#v, want a ValidationError on email", tc.in, err)
		}
	}
}

func newInput(role Role) NewUserInput {
	return NewUserInput{ID: "u1", Email: "Host@Example.org", Name: " Tohoku Univ ", Organization: "Tohoku University",
		Role: role, PasswordHash: "$argon2id$x", Now: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)}
}

func TestNewUser(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		role   Role
		status Status
	}{
		{RoleApplicant, StatusActive},
		{RoleHost, StatusPending},
		{RoleCoordinator, StatusActive},
		{RoleAdmin, StatusActive},
	} {
		u, err := NewUser(newInput(tc.role))
		if err != nil {
			t.Fatalf("NewUser(%s) = %v", tc.role, err)
		}
		if u.Status != tc.status || u.Version != 1 || u.Email != "host@example.org" || u.Name != "Tohoku Univ" {
			t.Errorf("NewUser(%s) = %+v, want status %s, version 1, normalised email and name", tc.role, u, tc.status)
		}
	}
	in := newInput(RoleHost)
	in.Organization = " "
	in.Email = "nope"
	in.Name = ""
	_, err := NewUser(in)
	fields := map[string]bool{}
	for _, v := range ValidationErrors(err) {
		fields[v.Field] = true
	}
	if !fields["organization"] || !fields["email"] || !fields["name"] {
		t.Errorf("NewUser(host without organization, bad email, no name) problems = %v, want all three", fields)
	}
	// Issue 16, finding 6: a right-to-left override or zero-width space in
	// a name or organization makes one account look like another.
	for _, bad := range []string{"\u202eevil\u202c Admin", "Asha\u200bRao", "Asha\u2066Rao"} {
		in = newInput(RoleHost)
		in.Name, in.Organization = bad, bad
		_, err := NewUser(in)
		fields := map[string]bool{}
		for _, v := range ValidationErrors(err) {
			fields[v.Field] = true
		}
		if !fields["name"] || !fields["organization"] {
			t.Errorf("NewUser(name and organization %q) problems = %v, want both", bad, fields)
		}
	}
	in = newInput("superuser")
	if _, err := NewUser(in); len(ValidationErrors(err)) != 1 {
		t.Errorf("NewUser(role superuser) = %v, want a role problem", err)
	}
}

func TestVerify(t *testing.T) {
	t.Parallel()
	now := time.Date(2027, 1, 2, 0, 0, 0, 0, time.UTC)
	host, _ := NewUser(newInput(RoleHost))
	changed, err := host.Verify("coord", now)
	if !changed || err != nil || host.Status != StatusActive || host.Version != 2 || host.VerifiedBy != "coord" || !host.VerifiedAt.Equal(now) {
		t.Fatalf("Verify(pending host) = %v, %v; user %+v", changed, err, host)
	}
	changed, err = host.Verify("coord2", now.Add(time.Hour))
	if changed || err != nil || host.Version != 2 || host.VerifiedBy != "coord" {
		t.Errorf("Verify(active host) = %v, %v, version %d; want no change", changed, err, host.Version)
	}
	app, _ := NewUser(newInput(RoleApplicant))
	if _, err := app.Verify("coord", now); !errors.Is(err, ErrNotAHost) {
		t.Errorf("Verify(applicant) = %v, want ErrNotAHost", err)
	}
	disabled, _ := NewUser(newInput(RoleHost))
	disabled.Status = StatusDisabled
	if _, err := disabled.Verify("coord", now); !errors.Is(err, ErrAccountDisabled) {
		t.Errorf("Verify(disabled host) = %v, want ErrAccountDisabled", err)
	}
}

func TestSessionTokens(t *testing.T) {
	t.Parallel()
	now := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	s := &Session{ID: "s1", UserID: "u1", CreatedAt: now, ExpiresAt: now.Add(30 * 24 * time.Hour)}
	rt := s.Issue("h1", now, 14*24*time.Hour)
	if rt.SessionID != "s1" || rt.UserID != "u1" || !rt.UsableUntil.Equal(now.Add(14*24*time.Hour)) || !rt.SessionEnd.Equal(s.ExpiresAt) {
		t.Errorf("Issue = %+v", rt)
	}
	late := s.Issue("h2", s.ExpiresAt.Add(-time.Hour), 14*24*time.Hour)
	if !late.UsableUntil.Equal(s.ExpiresAt) {
		t.Errorf("a token issued an hour before the session ends is usable until %v, want the session's end %v", late.UsableUntil, s.ExpiresAt)
	}
	if !rt.Usable(rt.UsableUntil.Add(-time.Second)) || rt.Usable(rt.UsableUntil) {
		t.Errorf("Usable around UsableUntil is wrong")
	}
	if !s.Active(s.ExpiresAt.Add(-time.Second)) || s.Active(s.ExpiresAt) {
		t.Errorf("Active around ExpiresAt is wrong")
	}
	s.Revoked = true
	if s.Active(now) {
		t.Errorf("a revoked session is active")
	}
	tok, h, err := NewRefreshToken()
	if err != nil || len(tok) < 43 || HashRefreshToken(tok) != h || strings.Contains(h, tok) {
		t.Errorf("NewRefreshToken() = %q, %q, %v; want >= 32 random bytes and its SHA-256", tok, h, err)
	}
}
