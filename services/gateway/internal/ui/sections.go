package ui

import (
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	apiprofiles "github.com/talentbridge/platform/shared/api/profiles"
	profilesev "github.com/talentbridge/platform/shared/events/profiles"
	"github.com/talentbridge/platform/shared/taxonomy"
)

// A profile is shown and edited in sections; each has its own edit form
// that changes only its own fields (message ids "profile.section.<name>").
// The wizard asks a few sections at once: enough to create the profile,
// be recommended programs and apply; the rest can be added later.

// Sections are the profile's sections, in the order the profile page
// shows them.
var Sections = []string{"about", "studies", "skills", "availability", "statement", "consents", "categories"}

// WizardSections are the sections the wizard asks.
var WizardSections = []string{"about", "studies", "skills", "consents"}

// LanguageRows is how many language rows a form offers.
const LanguageRows = 5

// isSection reports whether s names a section.
func isSection(s string) bool { return slices.Contains(Sections, s) }

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

// applySection puts one section's answers into d. The name is taken only
// where the form shows it (editing "about"; the wizard uses the account's).
func applySection(d *apiprofiles.ProfileRequest, section string, v url.Values) {
	switch section {
	case "about":
		d.Kind = v.Get("kind")
		if _, ok := v["name"]; ok {
			d.Name = v.Get("name")
		}
		d.HomeCountry = v.Get("homeCountry")
		d.Region = v.Get("region")
		d.BirthYear, _ = strconv.Atoi(strings.TrimSpace(v.Get("birthYear")))
		d.Gender = v.Get("gender")
	case "studies":
		d.Institution = v.Get("institution")
		d.DegreeLevel = v.Get("degreeLevel")
		d.Fields = nonEmpty(v["fields"])
	case "skills":
		d.Skills = splitList(v.Get("skills"))
		d.Languages = nil
		for i := range LanguageRows {
			code, level := v.Get("lang"+strconv.Itoa(i)), v.Get("level"+strconv.Itoa(i))
			if code == "" && level == "" {
				continue
			}
			d.Languages = append(d.Languages, taxonomy.Language{Code: code, Level: level})
		}
	case "availability":
		d.AvailableFrom = v.Get("availableFrom")
		d.AvailableTo = v.Get("availableTo")
		d.Preferences.ProgramKinds = nonEmpty(v["programKinds"])
		d.Preferences.HostRegions = nonEmpty(v["hostRegions"])
	case "statement":
		d.Statement = v.Get("statement")
	case "consents":
		d.Consents.NoticeVersion = v.Get("noticeVersion")
		d.Consents.DataProcessing = v.Get("dataProcessing") == "on"
		d.Consents.CrossBorderTransfer = v.Get("crossBorderTransfer") == "on"
		d.Consents.VisibleToHosts = v.Get("visibleToHosts") == "on"
		d.GuardianConsent = nil
		if n, r := strings.TrimSpace(v.Get("guardianName")), v.Get("guardianRelation"); n != "" || r != "" {
			d.GuardianConsent = &apiprofiles.GuardianRequest{Name: n, Relation: r}
		}
	case "categories":
		d.Consents.Categories = v.Get("categoriesConsent") == "on"
		d.Categories = nonEmpty(v["categories"])
	}
}

// valuesOf is a profile request as form values, for rendering any form.
func valuesOf(d apiprofiles.ProfileRequest) url.Values {
	v := url.Values{}
	set := func(k, s string) {
		if s != "" {
			v.Set(k, s)
		}
	}
	on := func(k string, b bool) {
		if b {
			v.Set(k, "on")
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
	on("dataProcessing", d.Consents.DataProcessing)
	on("crossBorderTransfer", d.Consents.CrossBorderTransfer)
	on("visibleToHosts", d.Consents.VisibleToHosts)
	on("categoriesConsent", d.Consents.Categories)
	v["categories"] = d.Categories
	if g := d.GuardianConsent; g != nil {
		set("guardianName", g.Name)
		set("guardianRelation", g.Relation)
	}
	return v
}

var languageRe = regexp.MustCompile(`^languages\[(\d+)\]\.(code|level)$`)

// profileField places an API field path: its section, input name and
// label.
func profileField(field string) (section, name, label string) {
	if m := languageRe.FindStringSubmatch(field); m != nil {
		i, _ := strconv.Atoi(m[1])
		if i >= LanguageRows {
			i = LanguageRows - 1
		}
		if m[2] == "code" {
			return "skills", "lang" + strconv.Itoa(i), "wizard.language"
		}
		return "skills", "level" + strconv.Itoa(i), "wizard.level"
	}
	base := indexRe.ReplaceAllString(field, "")
	switch base {
	case "kind", "name", "homeCountry", "region", "birthYear", "gender":
		return "about", base, "wizard." + base
	case "institution", "degreeLevel", "fields":
		return "studies", base, "wizard." + base
	case "skills":
		return "skills", base, "wizard." + base
	case "languages":
		return "skills", "lang0", "wizard.language"
	case "availableFrom", "availableTo":
		return "availability", base, "wizard." + base
	case "preferences.programKinds":
		return "availability", "programKinds", "wizard.programKinds"
	case "preferences.hostRegions":
		return "availability", "hostRegions", "wizard.hostRegions"
	case "statement":
		return "statement", base, "wizard." + base
	case "consents.noticeVersion", "consents.dataProcessing":
		return "consents", "dataProcessing", "wizard.dataProcessing"
	case "consents.crossBorderTransfer":
		return "consents", "crossBorderTransfer", "wizard.crossBorderTransfer"
	case "consents.visibleToHosts":
		return "consents", "visibleToHosts", "wizard.visibleToHosts"
	case "guardianConsent", "guardianConsent.name":
		return "consents", "guardianName", "wizard.guardianName"
	case "guardianConsent.relation":
		return "consents", "guardianRelation", "wizard.guardianRelation"
	case "categories", "consents.categories":
		return "categories", "categories", "wizard.categories"
	}
	return "", "", ""
}

// shownProblems puts every problem of err on f: those of the shown
// sections at their fields, the others in the summary only, under the
// label of their section (the profile page says where to change them).
func shownProblems(f *Form, err error, shown []string) bool {
	return f.fromProblem(err, func(field string) (string, string, bool) {
		s, name, label := profileField(field)
		if s == "" {
			return "", "", false
		}
		if !slices.Contains(shown, s) {
			return "", "profile.section." + s, true
		}
		return name, label, true
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

func seqN(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}
