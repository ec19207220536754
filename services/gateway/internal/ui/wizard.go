package ui

import (
	"errors"
	"net/http"
	"net/url"
	"slices"

	"github.com/labstack/echo/v4"

	apiidentity "github.com/talentbridge/platform/shared/api/identity"
	apiprofiles "github.com/talentbridge/platform/shared/api/profiles"
	profilesev "github.com/talentbridge/platform/shared/events/profiles"
)

// The profile is written in one short form, the wizard: the sections an
// applicant needs to be recommended programs and to apply (about you,
// studies, skills and languages, consents). Its one submit creates the
// profile; the name comes from the account, so nothing given at signup is
// asked again. Everything else is a section of the profile page with its
// own edit form, which changes only that section: the rest of the request
// is the stored profile, consents included, so editing a skill does not
// ask for consent again — unless the consent notice changed since the
// applicant agreed, when the form shows the consents too.
//
// Answers not yet saved are kept as the applicant's draft in the profiles
// service (PUT /profiles/me/draft): on a change of language (the script
// sends the form to the server first, see app.js) and after every refused
// submit, so a reload, another language or another device shows them
// again. Saving the profile uses the draft up.

// wizardForm is the draft form name of the wizard.
const wizardForm = "wizard"

// WizardData is the wizard or one section's edit form.
type WizardData struct {
	// Section is the section edited, "" in the wizard.
	Section string
	// Shown are the sections the form shows.
	Shown []string
	// Name is the account's name, which the wizard uses.
	Name string
	// Exists is set when the applicant has a stored profile.
	Exists bool
	// NoticeChanged is set when the applicant agreed to an older consent
	// notice: the form shows the consents to agree again.
	NoticeChanged bool
	// Restored is set when the answers come from a draft.
	Restored bool
	Notice   apiprofiles.ConsentNotice
	// LanguageRows are the indexes of the language rows.
	LanguageRows []int
}

// Show reports whether the form shows a section.
func (d WizardData) Show(section string) bool { return slices.Contains(d.Shown, section) }

// Action is where the form posts.
func (d WizardData) Action() string {
	if d.Section == "" {
		return "/profile/wizard"
	}
	return "/profile/edit/" + d.Section
}

// editing is what a form starts from: the stored profile as a request, or
// for a new one nothing but the account's name.
type editing struct {
	base    apiprofiles.ProfileRequest
	exists  bool
	name    string
	current string // the notice version in force
}

func (u *UI) loadEditing(c echo.Context) (editing, error) {
	var e editing
	var prof profilesev.Profile
	err := u.call(c, http.MethodGet, "/profiles/me", nil, &prof)
	switch {
	case err == nil:
		e.exists, e.base, e.name = true, bodyOf(prof), prof.Name
	case statusOf(err) == http.StatusNotFound:
		var me apiidentity.UserResponse
		if err := u.call(c, http.MethodGet, "/auth/me", nil, &me); err != nil {
			return e, err
		}
		e.name = me.Name
		e.base = apiprofiles.ProfileRequest{Name: me.Name}
	default:
		return e, err
	}
	var n apiprofiles.ConsentNotice
	if err := u.call(c, http.MethodGet, "/profiles/consent-notice", nil, &n); err != nil {
		return e, err
	}
	e.current = n.Version
	return e, nil
}

// shown is the sections a form shows: the wizard's, or the section edited
// plus the consents when the stored agreement is to an older notice.
func (e editing) shown(section string) (shown []string, noticeChanged bool) {
	if section == "" {
		return WizardSections, false
	}
	if e.exists && section != "consents" && e.base.Consents.NoticeVersion != e.current {
		return []string{section, "consents"}, true
	}
	return []string{section}, false
}

func (u *UI) wizardStart(c echo.Context) error { return u.editForm(c, "") }

func (u *UI) wizardSave(c echo.Context) error { return u.saveForm(c, "") }

func (u *UI) sectionStart(c echo.Context) error {
	s := c.Param("section")
	if !isSection(s) {
		return echo.ErrNotFound
	}
	return u.editForm(c, s)
}

func (u *UI) sectionSave(c echo.Context) error {
	s := c.Param("section")
	if !isSection(s) {
		return echo.ErrNotFound
	}
	return u.saveForm(c, s)
}

// draftForm is the draft form name of a form.
func draftForm(section string) string {
	if section == "" {
		return wizardForm
	}
	return section
}

func (u *UI) editForm(c echo.Context, section string) error {
	e, err := u.loadEditing(c)
	if err != nil {
		return err
	}
	if section != "" && !e.exists {
		// There is nothing to edit yet: the wizard comes first.
		return seeOther(c, "/profile/wizard")
	}
	shown, changed := e.shown(section)
	d := e.base
	restored := false
	var dr apiprofiles.Draft
	err = u.call(c, http.MethodGet, "/profiles/me/draft", nil, &dr)
	switch {
	case err == nil && dr.Form == draftForm(section):
		d, restored = dr.Profile, true
	case err == nil || statusOf(err) == http.StatusNotFound:
	default:
		return err
	}
	return u.renderEdit(c, http.StatusOK, section, e, shown, changed, restored, valuesOf(d), nil)
}

func (u *UI) renderEdit(c echo.Context, status int, section string, e editing, shown []string, changed, restored bool, v url.Values, f *Form) error {
	title := "wizard.title"
	if section != "" {
		title = "profile.section." + section
	}
	p := u.page(c, title)
	if f == nil {
		f = newForm(v)
	}
	p.Form = f
	wd := WizardData{Section: section, Shown: shown, Name: e.name, Exists: e.exists, NoticeChanged: changed,
		Restored: restored, LanguageRows: seqN(LanguageRows)}
	if wd.Show("consents") {
		if err := u.call(c, http.MethodGet, noticePath(p.Lang), nil, &wd.Notice); err != nil {
			return err
		}
	}
	p.Data = wd
	return u.render(c, status, "wizard", p)
}

func (u *UI) saveForm(c echo.Context, section string) error {
	v, err := c.FormParams()
	if err != nil {
		return err
	}
	e, err := u.loadEditing(c)
	if err != nil {
		return err
	}
	if section != "" && !e.exists {
		return seeOther(c, "/profile/wizard")
	}
	shown, changed := e.shown(section)
	d := e.base
	for _, s := range shown {
		applySection(&d, s, v)
	}
	back := "/profile/wizard"
	if section != "" {
		back = "/profile/edit/" + section
	}

	if v.Get("action") == "lang" {
		// The language changes: keep the answers so far, then show the
		// same form in the new language.
		if err := u.keepDraft(c, section, d); err != nil {
			return err
		}
		u.setLangCookie(c, v.Get("lang"))
		return seeOther(c, back)
	}

	method, path := http.MethodPost, "/profiles"
	if e.exists {
		method, path = http.MethodPut, "/profiles/me"
	}
	err = u.call(c, method, path, d, nil)
	if err == nil {
		if e.exists {
			// POST /profiles uses the draft up itself.
			if err := u.call(c, http.MethodDelete, "/profiles/me/draft", nil, nil); err != nil {
				u.log.Warn("drop profile draft", "err", err)
			}
		}
		to := "/profile?done=profile_saved"
		if section != "" {
			to += "#s-" + section
		}
		return seeOther(c, to)
	}
	if statusOf(err) != http.StatusBadRequest {
		return err
	}
	// Refused: keep the answers for a reload or another device, and show
	// every problem.
	if derr := u.keepDraft(c, section, d); derr != nil {
		return errors.Join(err, derr)
	}
	f := newForm(v)
	shownProblems(f, err, shown)
	return u.renderEdit(c, http.StatusUnprocessableEntity, section, e, shown, changed, false, v, f)
}

// keepDraft stores the answers of a form as the applicant's draft.
func (u *UI) keepDraft(c echo.Context, section string, d apiprofiles.ProfileRequest) error {
	return u.call(c, http.MethodPut, "/profiles/me/draft", apiprofiles.DraftRequest{Form: draftForm(section), Profile: d}, nil)
}

// ProfileData is the profile page.
type ProfileData struct {
	Profile  profilesev.Profile
	Sections []string
	// Notice is the consent notice in force; NoticeChanged is set when the
	// applicant agreed to an older one, and the page asks them to read it
	// and confirm their choices again.
	Notice        apiprofiles.ConsentNotice
	NoticeChanged bool
}

func (u *UI) profile(c echo.Context) error {
	var prof profilesev.Profile
	err := u.call(c, http.MethodGet, "/profiles/me", nil, &prof)
	if statusOf(err) == http.StatusNotFound {
		return c.Redirect(http.StatusSeeOther, "/profile/wizard")
	}
	if err != nil {
		return err
	}
	p := u.page(c, "profile.title")
	d := ProfileData{Profile: prof, Sections: Sections}
	if err := u.call(c, http.MethodGet, noticePath(p.Lang), nil, &d.Notice); err != nil {
		return err
	}
	d.NoticeChanged = prof.Consents.NoticeVersion != d.Notice.Version
	p.Data = d
	return u.render(c, http.StatusOK, "profile", p)
}

// noticePath asks for the consent notice in the page's language (the
// notice is published in every language the UI speaks).
func noticePath(lang string) string {
	return "/profiles/consent-notice?lang=" + url.QueryEscape(lang)
}
