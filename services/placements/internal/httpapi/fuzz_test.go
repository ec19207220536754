package httpapi

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/talentbridge/platform/services/placements/internal/domain"
	api "github.com/talentbridge/platform/shared/api/placements"
	"github.com/talentbridge/platform/shared/web"
)

// FuzzFeedbackAndEnd decodes arbitrary bodies of POST /placements/{id}/end
// and /feedback and applies them to a placement: a 4XX problem, or a change
// that keeps every rule; never a panic.
func FuzzFeedbackAndEnd(f *testing.F) {
	for _, s := range []string{`{"rating":5,"comment":"Great"}`, `{"rating":0}`, `{"rating":6}`, `{"rating":"5"}`,
		`{"reason":"visa refused"}`, `{"reason":""}`, `{"reason":"a\u0000b"}`, `{"status":"completed"}`, `[]`, `{`, `null`} {
		f.Add(s)
	}
	e := echo.New()
	host := domain.Actor{ID: "h1", Role: "host"}
	f.Fuzz(func(t *testing.T, body string) {
		bind := func(v any) error {
			req := httptest.NewRequest(http.MethodPost, "/api/v1/placements/p1/x", strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			return web.Bind(e.NewContext(req, httptest.NewRecorder()), v)
		}
		meaningful := func(err error) {
			var we *web.Error
			if !errors.As(err, &we) && Problems(err) == nil {
				t.Fatalf("error without an HTTP meaning: %v", err)
			}
		}
		now := time.Date(2027, 12, 1, 0, 0, 0, 0, time.UTC)
		p := &domain.Placement{ID: "p1", ApplicantID: "a1", HostID: "h1"}
		var end api.EndRequest
		if err := bind(&end); err != nil {
			meaningful(err)
		} else if err := p.End(host, end.Reason, now); err != nil {
			meaningful(err)
		} else if strings.TrimSpace(p.EndReason) == "" || utf8.RuneCountInString(p.EndReason) > api.MaxReason {
			t.Fatalf("ended with reason %q", p.EndReason)
		}
		p.Finished = api.StatusCompleted
		var fb api.FeedbackRequest
		if err := bind(&fb); err != nil {
			meaningful(err)
		} else if err := p.GiveFeedback(host, fb.Rating, fb.Comment, now); err != nil {
			meaningful(err)
		} else if r := p.Feedback[0].Rating; r < 1 || r > 5 || utf8.RuneCountInString(p.Feedback[0].Comment) > api.MaxComment {
			t.Fatalf("accepted feedback %+v", p.Feedback[0])
		}
	})
}
