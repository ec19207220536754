package ui

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	apiprofiles "github.com/talentbridge/platform/shared/api/profiles"
	profilesev "github.com/talentbridge/platform/shared/events/profiles"
	"github.com/talentbridge/platform/shared/taxonomy"
)

// The profile wizard collects a profile in five steps. Until the applicant
// agrees to the consent notice in the last step nothing is stored anywhere:
// the answers so far travel with the form, as one hidden field holding the
// profile being written (the API's own request body). Each step is checked
// by the profiles API itself: the draft is sent with a consent that cannot
// pass, so the API refuses it without storing anything and lists every
// problem; the problems of the current step's fields are shown next to
// them. The last step sends the real request.

// WizardSteps are the steps' names (message ids "wizard.step.<name>").
var WizardSteps = []string{"about", "studies", "languages", "availability", "consents"}

// LanguageRows is how many language rows the languages step offers.
const LanguageRows = 5

// dryRunNotice is a notice version no profile can be stored under; it
// makes a step's check a pure validation.
const dryRunNotice = "wizard-check"

// bodyOf is the request that writes p again.
func bodyOf(p profilesev.Profile) apiprofiles.ProfileRequest {
	b := apiprofiles.ProfileRequest{
		Kind: p.Kind, Name: p.Name, HomeCountry: p.HomeCountry, Institution: p.Institution, Region: p.Region,
		Fields: p.Fields, Skills: p.Skills, Languages: p.Languages, DegreeLevel: p.DegreeLevel,
		BirthYear: p.BirthYear, AvailableFrom: p.AvailableFrom, AvailableTo: p.AvailableTo,
		Preferences: apiprofiles.PreferencesRequest{ProgramKinds: p.Preferences.ProgramKinds, HostRegions: p.Preferences.HostRegions},
		Statement:   p.Statement, Gender: p.Gender, Categories: p.Categories,
		Consents: apiprofiles.ConsentsRequest{NoticeVersion: p.Consents.NoticeVersion, DataProcessing: p.Consents.DataProcessing,
			// A consent to be seen by hosts given before it meant "eligible
			// hosts may find me" is not carried over: the box starts empty.
			CrossBorderTransfer: p.Consents.CrossBorderTransfer, VisibleToHosts: p.Consents.FindableByHosts(),
			Categories: p.Consents.Categories},
	}
	if g := p.GuardianConsent; g != nil {
		b.GuardianConsent = &apiprofiles.GuardianRequest{Name: g.Name, Relation: g.Relation}
	}
	return b
}

// WizardData is a step of the wizard.
type WizardData struct {
	Step int
	// Steps are the step names, for the progress list.
	Steps []string
	// Draft is the profile so far, for the hidden field.
	Draft string
	// Exists is set when the applicant has a stored profile (the last
	// step then changes it rather than creating it).
	Exists bool
	Notice apiprofiles.ConsentNotice
	// LanguageRows are the indexes of the language rows.
	LanguageRows []int
}

func (u *UI) wizardStart(c echo.Context) error {
	var prof profilesev.Profile
	exists := true
	err := u.call(c, http.MethodGet, "/profiles/me", nil, &prof)
	switch {
	case err == nil:
	case statusOf(err) == http.StatusNotFound:
		exists = false
	default:
		return err
	}
	step, _ := strconv.Atoi(c.QueryParam("step"))
	if step < 1 || step > len(WizardSteps) {
		step = 1
	}
	d := apiprofiles.ProfileRequest{}
	if exists {
		d = bodyOf(prof)
	}
	return u.renderWizard(c, http.StatusOK, step, d, exists, valuesOf(d), nil)
}

func (u *UI) renderWizard(c echo.Context, status, step int, d apiprofiles.ProfileRequest, exists bool, v url.Values, f *Form) error {
	p := u.page(c, "wizard.title")
	if f == nil {
		f = newForm(v)
	}
	p.Form = f
	raw, err := json.Marshal(d)
	if err != nil {
		return err
	}
	wd := WizardData{Step: step, Steps: WizardSteps, Draft: string(raw), Exists: exists, LanguageRows: seqN(LanguageRows)}
	if step == len(WizardSteps) {
		if err := u.call(c, http.MethodGet, noticePath(p.Lang), nil, &wd.Notice); err != nil {
			return err
		}
	}
	p.Data = wd
	return u.render(c, status, "wizard", p)
}

func seqN(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

func (u *UI) wizardStep(c echo.Context) error {
	v, err := c.FormParams()
	if err != nil {
		return err
	}
	step, _ := strconv.Atoi(v.Get("step"))
	if step < 1 || step > len(WizardSteps) {
		step = 1
	}
	var d apiprofiles.ProfileRequest
	if raw := v.Get("draft"); raw != "" {
		// A draft that does not decode starts over; the API checks
		// everything in the end anyway.
		_ = json.Unmarshal([]byte(raw), &d)
	}
	exists := v.Get("exists") == "1"
	applyStep(&d, step, v)

	if v.Get("action") == "back" {
		// Going back keeps this step's answers unchecked until next time.
		return u.renderWizard(c, http.StatusOK, max(step-1, 1), d, exists, valuesOf(d), nil)
	}

	if step < len(WizardSteps) {
		// Check this step's answers with the API, storing nothing.
		check := d
		check.Consents = apiprofiles.ConsentsRequest{NoticeVersion: dryRunNotice}
		err := u.call(c, http.MethodPost, "/profiles", check, nil)
		if err == nil {
			// Cannot happen with a notice version that does not exist; if
			// the API ever accepted it, say so loudly.
			u.log.Error("profile check was stored", "step", step)
			return seeOther(c, "/profile")
		}
		f := newForm(v)
		if !stepProblems(f, err, step) {
			if statusOf(err) != http.StatusBadRequest {
				return err
			}
		}
		if f.HasErrors() {
			return u.renderWizard(c, http.StatusUnprocessableEntity, step, d, exists, v, f)
		}
		return u.renderWizard(c, http.StatusOK, step+1, d, exists, valuesOf(d), nil)
	}

	// The last step: store the profile.
	method, path := http.MethodPost, "/profiles"
	if exists {
		method, path = http.MethodPut, "/profiles/me"
	}
	err = u.call(c, method, path, d, nil)
	if err != nil && !exists && statusOf(err) == http.StatusConflict {
		err = u.call(c, http.MethodPut, "/profiles/me", d, nil)
	}
	if err == nil {
		return seeOther(c, "/profile?done=profile_saved")
	}
	if statusOf(err) != http.StatusBadRequest {
		return err
	}
	// Show the first step with a problem; the summary lists every one.
	first := len(WizardSteps)
	for s := 1; s <= len(WizardSteps); s++ {
		probe := newForm(nil)
		stepProblems(probe, err, s)
		if probe.HasErrors() {
			first = s
			break
		}
	}
	f := newForm(valuesOf(d))
	if first == step {
		f = newForm(v)
	}
	allProblems(f, err)
	return u.renderWizard(c, http.StatusUnprocessableEntity, first, d, exists, f.Values, f)
}

// applyStep puts a step's answers into the draft.
func applyStep(d *apiprofiles.ProfileRequest, step int, v url.Values) {
	switch step {
	case 1:
		d.Kind = v.Get("kind")
		d.Name = v.Get("name")
		d.HomeCountry = v.Get("homeCountry")
		d.Region = v.Get("region")
		d.BirthYear, _ = strconv.Atoi(strings.TrimSpace(v.Get("birthYear")))
		d.Gender = v.Get("gender")
	case 2:
		d.Institution = v.Get("institution")
		d.DegreeLevel = v.Get("degreeLevel")
		d.Fields = nonEmpty(v["fields"])
		d.Skills = splitList(v.Get("skills"))
		d.Statement = v.Get("statement")
	case 3:
		d.Languages = nil
		for i := range LanguageRows {
			code, level := v.Get("lang"+strconv.Itoa(i)), v.Get("level"+strconv.Itoa(i))
			if code == "" && level == "" {
				continue
			}
			d.Languages = append(d.Languages, taxonomy.Language{Code: code, Level: level})
		}
	case 4:
		d.AvailableFrom = v.Get("availableFrom")
		d.AvailableTo = v.Get("availableTo")
		d.Preferences.ProgramKinds = nonEmpty(v["programKinds"])
		d.Preferences.HostRegions = nonEmpty(v["hostRegions"])
	case 5:
		d.Consents.NoticeVersion = v.Get("noticeVersion")
		d.Consents.DataProcessing = v.Get("dataProcessing") == "on"
		d.Consents.CrossBorderTransfer = v.Get("crossBorderTransfer") == "on"
		d.Consents.VisibleToHosts = v.Get("visibleToHosts") == "on"
		d.Consents.Categories = v.Get("categoriesConsent") == "on"
		d.Categories = nonEmpty(v["categories"])
		d.GuardianConsent = nil
		if n, r := strings.TrimSpace(v.Get("guardianName")), v.Get("guardianRelation"); n != "" || r != "" {
			d.GuardianConsent = &apiprofiles.GuardianRequest{Name: n, Relation: r}
		}
	}
}

// valuesOf is the draft as form values, for rendering any step.
func valuesOf(d apiprofiles.ProfileRequest) url.Values {
	v := url.Values{}
	set := func(k, s string) {
		if s != "" {
			v.Set(k, s)
		}
	}
	set("kind", d.Kind)
	set("name", d.Name)
	set("homeCountry", d.HomeCountry)
	set("region", d.Region)
	if d.BirthYear != 0 {
		v.Set("birthYear", strconv.Itoa(d.BirthYear))
	}
	set("gender", d.Gender)
	set("institution", d.Institution)
	set("degreeLevel", d.DegreeLevel)
	v["fields"] = d.Fields
	set("skills", strings.Join(d.Skills, ", "))
	set("statement", d.Statement)
	for i, l := range d.Languages {
		set("lang"+strconv.Itoa(i), l.Code)
		set("level"+strconv.Itoa(i), l.Level)
	}
	set("availableFrom", d.AvailableFrom)
	set("availableTo", d.AvailableTo)
	v["programKinds"] = d.Preferences.ProgramKinds
	v["hostRegions"] = d.Preferences.HostRegions
	if d.Consents.DataProcessing {
		v.Set("dataProcessing", "on")
	}
	if d.Consents.CrossBorderTransfer {
		v.Set("crossBorderTransfer", "on")
	}
	if d.Consents.VisibleToHosts {
		v.Set("visibleToHosts", "on")
	}
	if d.Consents.Categories {
		v.Set("categoriesConsent", "on")
	}
	v["categories"] = d.Categories
	if g := d.GuardianConsent; g != nil {
		set("guardianName", g.Name)
		set("guardianRelation", g.Relation)
	}
	return v
}

var languageRe = regexp.MustCompile(`^languages\[(\d+)\]\.(code|level)$`)

// wizardField places an API field path: its step, input name and label.
func wizardField(field string) (step int, name, label string) {
	if m := languageRe.FindStringSubmatch(field); m != nil {
		i, _ := strconv.Atoi(m[1])
		if i >= LanguageRows {
			i = LanguageRows - 1
		}
		if m[2] == "code" {
			return 3, "lang" + strconv.Itoa(i), "wizard.language"
		}
		return 3, "level" + strconv.Itoa(i), "wizard.level"
	}
	base := indexRe.ReplaceAllString(field, "")
	switch base {
	case "categories":
		return 5, "categories", "wizard.categories"
	case "kind", "name", "homeCountry", "region", "birthYear", "gender":
		return 1, base, "wizard." + base
	case "institution", "degreeLevel", "fields", "skills", "statement":
		return 2, base, "wizard." + base
	case "languages":
		return 3, "lang0", "wizard.language"
	case "availableFrom", "availableTo":
		return 4, base, "wizard." + base
	case "preferences.programKinds":
		return 4, "programKinds", "wizard.programKinds"
	case "preferences.hostRegions":
		return 4, "hostRegions", "wizard.hostRegions"
	case "consents.noticeVersion", "consents.dataProcessing":
		return 5, "dataProcessing", "wizard.dataProcessing"
	case "consents.crossBorderTransfer":
		return 5, "crossBorderTransfer", "wizard.crossBorderTransfer"
	case "consents.visibleToHosts":
		return 5, "visibleToHosts", "wizard.findable"
	case "guardianConsent", "guardianConsent.name":
		return 5, "guardianName", "wizard.guardianName"
	case "guardianConsent.relation":
		return 5, "guardianRelation", "wizard.guardianRelation"
	}
	return 0, "", ""
}

// stepProblems puts the problems of one step's fields on f; it returns
// false when err carries no field problems at all.
func stepProblems(f *Form, err error, step int) bool {
	return f.fromProblem(err, func(field string) (string, string, bool) {
		s, name, label := wizardField(field)
		if s != step {
			return "", "", false
		}
		return name, label, true
	}) && filterOther(f)
}

// filterOther drops problems of fields outside the step (fromProblem lists
// them under "other"): while a step is checked, later steps are not done.
func filterOther(f *Form) bool {
	var keep []FieldProblem
	for _, p := range f.Summary {
		if p.Name != "" {
			keep = append(keep, p)
		}
	}
	f.Summary = keep
	delete(f.Errors, "")
	return true
}

// allProblems puts every problem on f.
func allProblems(f *Form, err error) {
	f.fromProblem(err, func(field string) (string, string, bool) {
		s, name, label := wizardField(field)
		return name, label, s != 0
	})
}

func nonEmpty(in []string) []string {
	var out []string
	for _, s := range in {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// splitList reads a comma-separated list (Japanese commas too).
func splitList(s string) []string {
	s = strings.NewReplacer("、", ",", "，", ",", ";", ",").Replace(s)
	return nonEmpty(strings.Split(s, ","))
}

// ProfileData is the profile summary page. Notice is the consent notice in
// force: when the profile's consents were given under another version, the
// page asks the applicant to read it and confirm their choices again.
type ProfileData struct {
	Profile profilesev.Profile
	Notice  apiprofiles.ConsentNotice
}

// Outdated reports whether the profile's consents were given under a notice
// other than the one in force.
func (d ProfileData) Outdated() bool {
	return d.Notice.Version != "" && d.Profile.Consents.NoticeVersion != d.Notice.Version
}

// noticePath asks for the consent notice in the page's language (the
// notice is published in every language the UI speaks).
func noticePath(lang string) string {
	return "/profiles/consent-notice?lang=" + url.QueryEscape(lang)
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
	d := ProfileData{Profile: prof}
	if err := u.call(c, http.MethodGet, noticePath(p.Lang), nil, &d.Notice); err != nil {
		return err
	}
	p.Data = d
	return u.render(c, http.StatusOK, "profile", p)
}
