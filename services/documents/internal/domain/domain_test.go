package domain

import (
	"errors"
	"testing"
	"time"

	apidocs "github.com/talentbridge/platform/shared/api/documents"
)

func TestReferenceStatusAndLink(t *testing.T) {
	at := time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)
	r := &Reference{RequestedAt: at, ExpiresAt: at.Add(LinkLifetime)}
	for _, tc := range []struct {
		name string
		now  time.Time
		want string
		err  error
	}{
		{"fresh", at.Add(time.Hour), apidocs.StatusRequested, nil},
		{"last minute", at.Add(LinkLifetime - time.Minute), apidocs.StatusRequested, nil},
		{"thirty days on", at.Add(LinkLifetime), apidocs.StatusExpired, ErrLinkExpired},
	} {
		if got := r.Status(tc.now); got != tc.want {
			t.Errorf("%s: Status = %q, want %q", tc.name, got, tc.want)
		}
		if err := r.Usable(tc.now); !errors.Is(err, tc.err) {
			t.Errorf("%s: Usable = %v, want %v", tc.name, err, tc.err)
		}
	}
	r.ReceivedAt = at.Add(time.Hour)
	if got, err := r.Status(at.Add(2*LinkLifetime)), r.Usable(at.Add(2*time.Hour)); got != apidocs.StatusReceived || !errors.Is(err, ErrLinkUsed) {
		t.Errorf("received: Status = %q, Usable = %v; want received, ErrLinkUsed", got, err)
	}
	if LinkLifetime != 30*24*time.Hour {
		t.Errorf("LinkLifetime = %v, want 30 days (DESIGN.md §3)", LinkLifetime)
	}
}

func TestUploadValidate(t *testing.T) {
	for _, tc := range []struct {
		u     Upload
		field string
	}{
		{Upload{Kind: apidocs.KindCV, Title: "CV 2027"}, ""},
		{Upload{Kind: "selfie", Title: "x"}, apidocs.FieldKind},
		{Upload{Kind: apidocs.KindReference, Title: "x"}, apidocs.FieldKind},
		{Upload{Kind: apidocs.KindCV, Title: ""}, apidocs.FieldTitle},
		{Upload{Kind: apidocs.KindCV, Title: "a\x00b"}, apidocs.FieldTitle},
		{Upload{Kind: apidocs.KindCV, Title: string(make([]rune, 201))}, apidocs.FieldTitle},
	} {
		err := tc.u.Validate()
		var ve *ValidationError
		if tc.field == "" {
			if err != nil {
				t.Errorf("Validate(%+v) = %v, want nil", tc.u, err)
			}
			continue
		}
		if !errors.As(err, &ve) || ve.Fields[0].Field != tc.field {
			t.Errorf("Validate(%+v) = %v, want a problem with %s", tc.u, err, tc.field)
		}
	}
}
