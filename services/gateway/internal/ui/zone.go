package ui

import (
	"html/template"
	"net/http"
	"slices"
	"strings"
	"time"
	// The zones a reader may choose are looked up by name; the database
	// is built in so that a machine without /usr/share/zoneinfo serves
	// them too.
	_ "time/tzdata"

	"github.com/labstack/echo/v4"

	"github.com/talentbridge/platform/shared/auth"
	"github.com/talentbridge/platform/shared/eligibility"
	profilesev "github.com/talentbridge/platform/shared/events/profiles"
	programsev "github.com/talentbridge/platform/shared/events/programs"
)

// The reader's time zone. Times are shown in, and date-and-time inputs
// read in, the first of: the zone chosen on the settings page (a cookie of
// this browser), the zone the browser reports (app.js keeps a cookie of
// it), the zone of the account's country (an applicant's home country, a
// host's programs' country), and the zone of the page's language.

const (
	// ZoneCookie holds the zone chosen on the settings page.
	ZoneCookie = "tb_tz"
	// BrowserZoneCookie holds the zone the browser reports; app.js sets it.
	BrowserZoneCookie = "tb_tz_auto"
)

// countryZones are the zones of the two countries' people.
var countryZones = map[string]string{"IN": "Asia/Kolkata", "JP": "Asia/Tokyo"}

// settingZones are the zones the settings page offers (India and Japan
// first); the zone in use is added when it is not one of them.
var settingZones = []string{"Asia/Kolkata", "Asia/Tokyo", "UTC", "Asia/Kathmandu", "Asia/Dhaka", "Asia/Bangkok",
	"Asia/Singapore", "Asia/Shanghai", "Asia/Seoul", "Asia/Dubai", "Europe/London", "Europe/Paris", "Europe/Berlin",
	"America/New_York", "America/Chicago", "America/Los_Angeles", "Australia/Sydney", "Pacific/Auckland"}

// loadZone reads an IANA zone name ("Asia/Tokyo") from a cookie or a form;
// nil when it is not one.
func loadZone(name string) *time.Location {
	if name == "" || len(name) > 64 || name == "Local" || strings.HasPrefix(name, "/") || strings.Contains(name, "..") {
		return nil
	}
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("/_-+", r)) {
			return nil
		}
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil
	}
	return loc
}

// viewerZone finds the reader's zone (see above); lang is the page's.
func (u *UI) viewerZone(c echo.Context, lang string, v *Viewer) *time.Location {
	for _, name := range []string{ZoneCookie, BrowserZoneCookie} {
		if ck, err := c.Cookie(name); err == nil {
			if loc := loadZone(ck.Value); loc != nil {
				return loc
			}
		}
	}
	if loc := loadZone(countryZones[u.accountCountry(c, v)]); loc != nil {
		return loc
	}
	return langZone(lang)
}

// accountCountry is the country an account belongs to: an applicant's home
// country, a host's first program's country; "" when not known.
func (u *UI) accountCountry(c echo.Context, v *Viewer) string {
	switch {
	case v == nil:
	case v.Role == auth.RoleApplicant:
		var prof profilesev.Profile
		if err := u.call(c, http.MethodGet, "/profiles/me", nil, &prof); err == nil {
			return prof.HomeCountry
		}
	case v.Role == auth.RoleHost:
		if res, err := u.searchPrograms(c, "mine=true&pageSize=1"); err == nil && len(res.Items) > 0 {
			return res.Items[0].HostCountry
		}
	}
	return ""
}

// Loc is the reader's zone, found the first time a page asks.
func (p *Page) Loc() *time.Location {
	if p.zone == nil {
		if p.findZone != nil {
			p.zone = p.findZone()
		}
		if p.zone == nil {
			p.zone = langZone(p.Lang)
		}
	}
	return p.zone
}

// At writes an instant as a <time> element: the machine-readable instant
// in its datetime attribute, the reader's local rendering as its text.
func (p *Page) At(t time.Time) template.HTML {
	if t.IsZero() {
		return ""
	}
	return template.HTML(`<time datetime="` + t.UTC().Format(time.RFC3339) + `">` +
		template.HTMLEscapeString(p.Time(t)) + `</time>`)
}

// AtPtr writes an optional instant as At does.
func (p *Page) AtPtr(t *time.Time) template.HTML {
	if t == nil {
		return ""
	}
	return p.At(*t)
}

// ZoneOption is one zone of the settings page's list.
type ZoneOption struct {
	Name, Label string
	On          bool
}

// zoneOptions lists the settings page's zones, the one in use chosen.
func zoneOptions(current *time.Location, now time.Time) []ZoneOption {
	names := settingZones
	if cur := current.String(); !slices.Contains(names, cur) && loadZone(cur) != nil {
		names = append([]string{cur}, names...)
	}
	out := make([]ZoneOption, 0, len(names))
	for _, n := range names {
		loc := loadZone(n)
		if loc == nil {
			continue
		}
		out = append(out, ZoneOption{Name: n, Label: n + " (UTC" + now.In(loc).Format("-07:00") + ")", On: n == current.String()})
	}
	return out
}

// saveZone remembers the zone chosen on the settings page in this browser
// for a year; a name that is not a zone is refused and nothing changes.
func (u *UI) saveZone(c echo.Context) error {
	name := strings.TrimSpace(c.FormValue("timeZone"))
	if loadZone(name) == nil {
		return seeOther(c, "/settings/notifications?done=timezone_invalid")
	}
	c.SetCookie(&http.Cookie{
		Name: ZoneCookie, Value: name, Path: "/", MaxAge: 365 * 24 * 3600,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: c.IsTLS(),
	})
	return seeOther(c, "/settings/notifications?done=timezone_saved")
}

// Both writes an instant in India and Japan time side by side, as a <time>
// element: "1 April 2027, 14:30 IST · 1 April 2027, 18:00 JST", the zones
// named in the reader's language (for interview slots, which both sides
// read).
func (p *Page) Both(t time.Time) template.HTML {
	if t.IsZero() {
		return ""
	}
	i, j := t.In(ist), t.In(jst)
	text := FormatDay(p.Lang, i) + ", " + i.Format("15:04") + " " + p.T("zone.ist") + " · " +
		FormatDay(p.Lang, j) + ", " + j.Format("15:04") + " " + p.T("zone.jst")
	return template.HTML(`<time datetime="` + t.UTC().Format(time.RFC3339) + `">` + template.HTMLEscapeString(text) + `</time>`)
}

// Closes writes the last minute of a program's application deadline (the
// end of the day in the host country) in India and Japan time side by
// side; empty when the program has no deadline.
func (p *Page) Closes(prog programsev.Program) template.HTML {
	t, ok, err := eligibility.Closes(programOf(prog))
	if !ok || err != nil {
		return ""
	}
	return p.Both(t.Add(-time.Minute))
}
