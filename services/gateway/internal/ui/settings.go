package ui

import (
	"context"
	"net/http"
	"slices"
	"time"

	"github.com/labstack/echo/v4"

	apiidentity "github.com/talentbridge/platform/shared/api/identity"
)

// mailKinds are the kinds of notification the settings page offers to
// receive by e-mail, in the order shown (the API's kinds).
var mailKinds = []string{"account", "offers", "results", "stages", "interviews", "messages", "searches"}

// SettingsData is the notification settings page.
type SettingsData struct {
	Language     string
	Languages    []string
	Kinds        []KindSetting
	EmailEnabled bool
	// Zones are the time zones to choose from, the reader's chosen.
	Zones []ZoneOption
	// Now is the time of the request, shown in the zone in use.
	Now time.Time
}

// KindSetting is one e-mail checkbox.
type KindSetting struct {
	Name string
	On   bool
}

func settingsData(s apiidentity.NotificationSettings) SettingsData {
	d := SettingsData{Language: s.Language, Languages: Languages, EmailEnabled: s.EmailEnabled}
	for _, k := range mailKinds {
		d.Kinds = append(d.Kinds, KindSetting{Name: k, On: s.Email[k]})
	}
	return d
}

func (u *UI) settingsForm(c echo.Context) error {
	var s apiidentity.NotificationSettings
	if err := u.call(c, http.MethodGet, "/notifications/settings", nil, &s); err != nil {
		return err
	}
	p := u.page(c, "settings.title")
	p.Form = newForm(nil)
	d := settingsData(s)
	d.Zones, d.Now = zoneOptions(p.Loc(), u.now()), u.now()
	p.Data = d
	return u.render(c, http.StatusOK, "settings", p)
}

func (u *UI) saveSettings(c echo.Context) error {
	v, err := c.FormParams()
	if err != nil {
		return err
	}
	ch := apiidentity.NotificationSettings{Language: v.Get("language"), Email: map[string]bool{}}
	for _, k := range mailKinds {
		ch.Email[k] = slices.Contains(v["email"], k)
	}
	var saved apiidentity.NotificationSettings
	err = u.call(c, http.MethodPut, "/notifications/settings", ch, &saved)
	if err == nil {
		return seeOther(c, "/settings/notifications?done=settings_saved")
	}
	f := newForm(v)
	if !f.fromProblem(err, simpleFields(map[string]string{"language": "settings.language", "email": "settings.email"})) {
		return err
	}
	p := u.page(c, "settings.title")
	p.Form = f
	ch.EmailEnabled = true
	d := settingsData(ch)
	d.Zones, d.Now = zoneOptions(p.Loc(), u.now()), u.now()
	p.Data = d
	return u.render(c, http.StatusUnprocessableEntity, "settings", p)
}

// rememberLanguage makes the page language the e-mail language of a new
// account, through the settings hook (the new session's token is not on
// this request yet). Failing here costs the user only a default: logged.
func (u *UI) rememberLanguage(ctx context.Context, userID, lang string) {
	if u.setLanguage == nil || userID == "" {
		return
	}
	if err := u.setLanguage(ctx, userID, lang); err != nil {
		u.log.Warn("remember e-mail language", "err", err)
	}
}
