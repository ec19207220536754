package demo

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	apiprofiles "github.com/talentbridge/platform/shared/api/profiles"
	apiprograms "github.com/talentbridge/platform/shared/api/programs"
	"github.com/talentbridge/platform/shared/eligibility"
	"github.com/talentbridge/platform/shared/taxonomy"
)

// The generator is deterministic: the same seed and day give the same
// programs and people, so a second run finds what the first one made.
// Dates are relative to the day of the run, so the demo always has open
// programs.

const dateLayout = "2006-01-02"

func day(now time.Time, days int) string { return now.AddDate(0, 0, days).Format(dateLayout) }

// durations of programs by kind, in days.
var durations = map[string]int{
	taxonomy.ProgramExchange: 120, taxonomy.ProgramInternship: 75, taxonomy.ProgramJointResearch: 90,
	taxonomy.ProgramFellowship: 365, taxonomy.ProgramScholarship: 300, taxonomy.ProgramIndustryPartnership: 180,
}

// rulesFor are the eligibility rules a program of a kind sets.
func rulesFor(kind, country string, i int) eligibility.Rules {
	en := func(l string) []taxonomy.LanguageRequirement {
		return []taxonomy.LanguageRequirement{{Code: "en", MinLevel: l}}
	}
	var r eligibility.Rules
	switch kind {
	case taxonomy.ProgramExchange:
		r = eligibility.Rules{ApplicantKinds: []string{"student"}, DegreeLevels: []string{"bachelor", "master"}, Languages: en("B2")}
	case taxonomy.ProgramInternship:
		r = eligibility.Rules{ApplicantKinds: []string{"student"}, DegreeLevels: []string{"bachelor", "master", "phd"}, Languages: en("B1")}
		if country == taxonomy.Japan && i%2 == 1 {
			r.Languages = append(r.Languages, taxonomy.LanguageRequirement{Code: "ja", MinLevel: "N4"})
		}
	case taxonomy.ProgramJointResearch:
		r = eligibility.Rules{ApplicantKinds: []string{"student", "researcher"}, DegreeLevels: []string{"master", "phd", "postdoc", "faculty"}, Languages: en("B2")}
	case taxonomy.ProgramFellowship:
		r = eligibility.Rules{ApplicantKinds: []string{"researcher"}, DegreeLevels: []string{"phd", "postdoc"}, Languages: en("C1"), MaxAge: 40}
	case taxonomy.ProgramScholarship:
		r = eligibility.Rules{ApplicantKinds: []string{"student"}, DegreeLevels: []string{"bachelor", "master"}, MaxAge: 30}
	case taxonomy.ProgramIndustryPartnership:
		r = eligibility.Rules{ApplicantKinds: []string{"company", "researcher"}, DegreeLevels: []string{"professional", "phd", "postdoc", "faculty"}, Languages: en("B2")}
	}
	r.MinAge = 18
	return r
}

// programsOf returns the programs a host posts, as of now.
func programsOf(h host, hostIndex int, now time.Time) []apiprograms.ProgramRequest {
	out := make([]apiprograms.ProgramRequest, len(h.Programs))
	for i, s := range h.Programs {
		n := hostIndex*len(h.Programs) + i
		deadline := 21 + 9*n%70
		start := deadline + 30 + 7*(n%5)
		seats := s.Seats
		b := apiprograms.ProgramRequest{
			Title: s.Title, TitleJa: s.TitleJa, Description: s.Description, Kind: s.Kind,
			HostOrg: h.Org, HostCountry: h.Country, Region: h.Region, Fields: s.Fields, Skills: s.Skills, Seats: &seats,
			ApplicationDeadline: day(now, deadline), StartDate: day(now, start), EndDate: day(now, start+durations[s.Kind]),
			Eligibility: rulesFor(s.Kind, h.Country, i),
		}
		if h.Country == taxonomy.Japan {
			amount := int64(80000 + 20000*(n%7))
			b.Stipend = &apiprograms.StipendRequest{Amount: &amount, Currency: "JPY", Period: "month"}
		} else {
			amount := int64(25000 + 5000*(n%7))
			b.Stipend = &apiprograms.StipendRequest{Amount: &amount, Currency: "INR", Period: "month"}
		}
		if s.Kind == taxonomy.ProgramIndustryPartnership {
			b.Stipend = nil
		}
		out[i] = b
	}
	return out
}

// person is a sample applicant: the profile and its e-mail address.
type person struct {
	Email   string
	Profile apiprofiles.ProfileRequest
}

var fieldPool = []string{"1.2", "1.2", "1.2", "2.2", "2.2", "1.6", "2.5", "2.7", "1.5", "2.3", "1.3", "1.4", "3.1", "5.2", "6.4", "6.2", "4.4", "2.6", "1.1", "5.1", "5.8", "2.1", "3.2"}

var genders = []string{"female", "male", "female", "male", "non_binary", "prefer_not_to_say", ""}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// people generates n sample applicants from seed, as of now.
func people(n int, seed uint64, now time.Time, notice string) []person {
	r := rand.New(rand.NewPCG(seed, 0x7a1e47b41d9e))
	out := make([]person, 0, n)
	for i := range n {
		var p apiprofiles.ProfileRequest
		country := taxonomy.India
		if i%5 >= 3 {
			country = taxonomy.Japan
		}
		p.HomeCountry = country
		var given, family string
		if country == taxonomy.India {
			given, family = pick(r, indianGiven), pick(r, indianFamily)
			p.Institution = pick(r, indianInstitutions)
		} else {
			given, family = pick(r, japaneseGiven), pick(r, japaneseFamily)
			p.Institution = pick(r, japaneseInstitutions)
		}
		p.Name = given + " " + family
		regions := taxonomy.Regions(country)
		p.Region = regions[r.IntN(len(regions))].Name

		age := 0
		switch k := r.IntN(20); {
		case k < 12:
			p.Kind = taxonomy.ApplicantStudent
			p.DegreeLevel = pick(r, []string{"bachelor", "bachelor", "master", "master", "phd"})
			age = 19 + r.IntN(9)
		case k < 17:
			p.Kind = taxonomy.ApplicantResearcher
			p.DegreeLevel = pick(r, []string{"phd", "postdoc", "postdoc", "faculty"})
			age = 27 + r.IntN(18)
		default:
			p.Kind = taxonomy.ApplicantCompany
			p.DegreeLevel = pick(r, []string{"professional", "professional", "master"})
			age = 25 + r.IntN(22)
		}
		if i%67 == 11 {
			// A few school leavers who may be under 18: a parent consents.
			p.Kind, p.DegreeLevel, age = taxonomy.ApplicantStudent, "bachelor", 17
			p.GuardianConsent = &apiprofiles.GuardianRequest{Name: pick(r, indianGiven) + " " + family, Relation: "parent"}
			if country == taxonomy.Japan {
				p.GuardianConsent.Name = pick(r, japaneseGiven) + " " + family
			}
		}
		p.BirthYear = now.Year() - age

		f1 := pick(r, fieldPool)
		p.Fields = []string{f1}
		if f2 := pick(r, fieldPool); f2 != f1 && r.IntN(3) == 0 {
			p.Fields = append(p.Fields, f2)
		}
		for _, f := range p.Fields {
			pool := skillsByField[f]
			for range 1 + r.IntN(3) {
				if s := pick(r, pool); !slices.Contains(p.Skills, s) {
					p.Skills = append(p.Skills, s)
				}
			}
		}
		if country == taxonomy.India {
			p.Languages = []taxonomy.Language{{Code: "en", Level: pick(r, []string{"B2", "C1", "C1", "C2", "native"})}}
			if r.IntN(2) == 0 {
				p.Languages = append(p.Languages, taxonomy.Language{Code: "hi", Level: "native"})
			} else {
				p.Languages = append(p.Languages, taxonomy.Language{Code: pick(r, []string{"ta", "te", "mr", "bn", "kn", "ml"}), Level: "native"})
			}
			if r.IntN(10) < 4 {
				p.Languages = append(p.Languages, taxonomy.Language{Code: "ja", Level: pick(r, []string{"N5", "N4", "N4", "N3", "N2"})})
			}
		} else {
			p.Languages = []taxonomy.Language{{Code: "ja", Level: "native"}, {Code: "en", Level: pick(r, []string{"A2", "B1", "B2", "B2", "C1"})}}
			if r.IntN(10) == 0 {
				p.Languages = append(p.Languages, taxonomy.Language{Code: "hi", Level: pick(r, []string{"A1", "A2"})})
			}
		}
		from := r.IntN(60)
		p.AvailableFrom = day(now, from)
		p.AvailableTo = day(now, from+180+r.IntN(360))
		kinds := taxonomy.ProgramKinds.Codes()
		p.Preferences.ProgramKinds = []string{pick(r, kinds)}
		if k := pick(r, kinds); k != p.Preferences.ProgramKinds[0] {
			p.Preferences.ProgramKinds = append(p.Preferences.ProgramKinds, k)
		}
		other := taxonomy.Japan
		if country == taxonomy.Japan {
			other = taxonomy.India
		}
		hostRegions := []string{"Tokyo", "Osaka", "Kyoto", "Ishikawa", "Hiroshima", "Miyagi"}
		if other == taxonomy.India {
			hostRegions = []string{"Tamil Nadu", "Karnataka", "Maharashtra", "Telangana", "Delhi", "West Bengal"}
		}
		if r.IntN(2) == 0 {
			p.Preferences.HostRegions = []string{pick(r, hostRegions)}
		}
		p.Statement = statement(r, p)
		p.Gender = pick(r, genders)
		p.Consents.NoticeVersion = notice
		p.Consents.DataProcessing = true
		p.Consents.CrossBorderTransfer = r.IntN(20) < 17
		p.Consents.VisibleToHosts = r.IntN(10) < 8
		email := fmt.Sprintf("%s.%s.%03d@example.org", strings.ToLower(given), strings.ToLower(family), i)
		out = append(out, person{Email: email, Profile: p})
	}
	return out
}

var openings = []string{
	"I want to spend time in %s working on %s.",
	"My goal is to apply %s to real problems with a team in %s.",
	"I am looking for a placement where I can deepen my work on %s and learn from colleagues in %s.",
}

func statement(r *rand.Rand, p apiprofiles.ProfileRequest) string {
	where := "Japan"
	if p.HomeCountry == taxonomy.Japan {
		where = "India"
	}
	topic := strings.Join(p.Skills, ", ")
	s := pick(r, openings)
	switch {
	case strings.HasPrefix(s, "I want"):
		s = fmt.Sprintf(s, where, topic)
	case strings.HasPrefix(s, "My goal"):
		s = fmt.Sprintf(s, topic, where)
	default:
		s = fmt.Sprintf(s, topic, where)
	}
	if f, ok := taxonomy.Field(p.Fields[0]); ok {
		s += " My background is in " + strings.ToLower(f.Labels.En) + "."
	}
	return s
}

// profilesCSV writes people as a profile import file (see the profiles
// service's csvimport package for the columns).
func profilesCSV(ps []person) ([]byte, error) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	header := []string{"email", "name", "kind", "homeCountry", "institution", "region", "fields", "skills", "languages",
		"degreeLevel", "birthYear", "availableFrom", "availableTo", "programKinds", "hostRegions", "statement", "gender",
		"noticeVersion", "dataProcessing", "crossBorderTransfer", "visibleToHosts", "guardianName", "guardianRelation"}
	if err := w.Write(header); err != nil {
		return nil, err
	}
	for _, pe := range ps {
		p := pe.Profile
		langs := make([]string, len(p.Languages))
		for i, l := range p.Languages {
			langs[i] = l.Code + ":" + l.Level
		}
		var gName, gRel string
		if g := p.GuardianConsent; g != nil {
			gName, gRel = g.Name, g.Relation
		}
		row := []string{pe.Email, p.Name, p.Kind, p.HomeCountry, p.Institution, p.Region, strings.Join(p.Fields, ";"),
			strings.Join(p.Skills, ";"), strings.Join(langs, ";"), p.DegreeLevel, strconv.Itoa(p.BirthYear), p.AvailableFrom,
			p.AvailableTo, strings.Join(p.Preferences.ProgramKinds, ";"), strings.Join(p.Preferences.HostRegions, ";"),
			p.Statement, p.Gender, p.Consents.NoticeVersion, strconv.FormatBool(p.Consents.DataProcessing),
			strconv.FormatBool(p.Consents.CrossBorderTransfer), strconv.FormatBool(p.Consents.VisibleToHosts), gName, gRel}
		if err := w.Write(row); err != nil {
			return nil, err
		}
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}
