package ui_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/talentbridge/platform/services/gateway/internal/ui"
	"github.com/talentbridge/platform/shared/auth"
)

// TestTimeZoneSetting: the settings page offers the zone in use (the
// browser's, from app.js's cookie), saves another one for this browser,
// and refuses a name that is not a zone without changing anything.
func TestTimeZoneSetting(t *testing.T) {
	g := startGateway(t)
	b := g.browser(t)
	b.signup(auth.RoleApplicant, "tz@example.org")
	base, _ := url.Parse(g.URL)
	b.Client.Jar.SetCookies(base, []*http.Cookie{{Name: ui.BrowserZoneCookie, Value: "Asia/Tokyo", Path: "/"}})

	chosen := func() string {
		p := b.Get("/settings/notifications")
		if p.Status != http.StatusOK {
			t.Fatalf("settings page = %d", p.Status)
		}
		i := strings.Index(p.Body, `" translate="no" selected>`)
		if i < 0 {
			t.Fatalf("no zone chosen on the settings page:\n%s", p.Body)
		}
		return p.Body[strings.LastIndex(p.Body[:i], `value="`)+len(`value="`) : i]
	}
	if got := chosen(); got != "Asia/Tokyo" {
		t.Fatalf("with the browser in Tokyo the page offers %q", got)
	}

	for _, bad := range []string{"Mars/Olympus_Mons", "../../etc/passwd", ""} {
		p := b.Post("/settings/timezone", url.Values{"timeZone": {bad}})
		if p.Status != http.StatusSeeOther || !strings.HasSuffix(p.Location, "done=timezone_invalid") {
			t.Errorf("saving zone %q = %d to %q, want 303 to the refusal", bad, p.Status, p.Location)
		}
	}
	if got := chosen(); got != "Asia/Tokyo" {
		t.Errorf("after refused zones the page offers %q, want Asia/Tokyo unchanged", got)
	}
	refused := b.Get("/settings/notifications?done=timezone_invalid")
	if !strings.Contains(refused.Body, `role="alert"`) || !strings.Contains(refused.Body, "not one we know") {
		t.Errorf("the refusal is not shown as an alert:\n%.2000s", refused.Body)
	}

	p := b.Post("/settings/timezone", url.Values{"timeZone": {"Europe/London"}})
	if p.Status != http.StatusSeeOther || !strings.HasSuffix(p.Location, "done=timezone_saved") {
		t.Fatalf("saving Europe/London = %d to %q", p.Status, p.Location)
	}
	if got := chosen(); got != "Europe/London" {
		t.Errorf("after choosing London the page offers %q (the choice comes before the browser's zone)", got)
	}

	// Another account in another browser is not affected.
	other := g.browser(t)
	other.signup(auth.RoleHost, "tz-host@example.org")
	if body := other.Get("/settings/notifications").Body; strings.Contains(body, `value="Europe/London" translate="no" selected`) {
		t.Error("another browser got the first one's zone")
	}
}
