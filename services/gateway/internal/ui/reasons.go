package ui

import (
	"html"
	"html/template"
	"strconv"
	"strings"

	"github.com/talentbridge/platform/shared/explain"
	"github.com/talentbridge/platform/shared/taxonomy"
)

// Reasons (explain.Reason) have a stable code and params; the UI words them
// from its own messages ("reason.<code>"), turning codes among the params
// into labels of the reader's language. A reason whose code has no message
// is shown in the API's English text, marked as English.

// reasonHTML words r in lang; titles names programs by id, for reasons
// that name a program by its id.
func reasonHTML(cat *catalog, lang string, r explain.Reason, titles map[string]string) template.HTML {
	id := "reason." + r.Code + variant(r)
	if !cat.has(lang, id) {
		if r.Text == "" {
			return template.HTML(html.EscapeString(r.Code))
		}
		return template.HTML(`<span lang="en">` + html.EscapeString(r.Text) + `</span>`)
	}
	return cat.html(lang, id, reasonParams(cat, lang, r, titles)...)
}

// variant picks a wording for a special value of a reason's params: no
// skills in common, a language level exactly at the minimum.
func variant(r explain.Reason) string {
	switch {
	case r.Code == "score.skills" && r.Params["matched"] == "0":
		return ".zero"
	case r.Code == "score.language.margin" && r.Params["margin"] == "0":
		return ".exact"
	}
	return ""
}

// reasonParams converts a reason's params for display.
func reasonParams(cat *catalog, lang string, r explain.Reason, titles map[string]string) []any {
	sep := ", "
	if lang == "ja" {
		sep = "、"
	}
	list := func(csv string, label func(string) string) string {
		if csv == "" {
			return ""
		}
		parts := strings.Split(csv, ",")
		for i, p := range parts {
			parts[i] = label(p)
		}
		return strings.Join(parts, sep)
	}
	applicantKind := func(c string) string { return enumLabel(taxonomy.ApplicantKinds, c, lang) }
	programKind := func(c string) string { return enumLabel(taxonomy.ProgramKinds, c, lang) }
	degree := func(c string) string { return enumLabel(taxonomy.DegreeLevels, c, lang) }
	country := func(c string) string {
		if x, ok := taxonomy.CountryByCode(c); ok {
			return x.Labels.In(lang)
		}
		return c
	}
	field := func(c string) string {
		if f, ok := taxonomy.Field(c); ok {
			return f.Labels.In(lang)
		}
		return c
	}
	region := func(n string) string { return regionLabel(n, lang) }
	langCode := r.Params["language"]
	level := func(l string) string {
		if x, ok := taxonomy.LevelLabels(langCode, l); ok {
			return x.In(lang)
		}
		return l
	}
	day := func(s string) string {
		if s == "" {
			return cat.text(lang, "reason.open_date")
		}
		return FormatDate(lang, s)
	}
	number := func(s string) string {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return s
		}
		return FormatInt(lang, n)
	}
	code := r.Code
	var out []any
	for k, v := range r.Params {
		var val any = v
		switch k {
		case "kind":
			if strings.HasPrefix(code, "eligibility.") {
				val = applicantKind(v)
			} else {
				val = programKind(v)
			}
		case "accepted":
			switch {
			case strings.Contains(code, ".kind."):
				val = list(v, applicantKind)
			case strings.Contains(code, ".home_country."):
				val = list(v, country)
			case strings.Contains(code, ".degree_level."):
				val = list(v, degree)
			}
		case "preferred":
			if strings.Contains(code, ".kind.") {
				val = list(v, programKind)
			} else {
				val = list(v, region)
			}
		case "homeCountry", "hostCountry":
			val = country(v)
		case "degreeLevel":
			val = degree(v)
		case "language":
			if l, ok := taxonomy.LanguageByCode(v); ok {
				val = l.Labels.In(lang)
			}
		case "level", "min":
			val = level(v)
		case "deadline", "startDate", "endDate", "availableFrom", "availableTo":
			val = day(v)
		case "field", "programField", "major":
			val = field(v)
		case "fields", "programFields":
			val = list(v, field)
		case "region":
			val = region(v)
		case "skills", "terms":
			// Free text from profiles and programs.
			val = Raw(strings.ReplaceAll(v, ",", sep))
		case "matched", "of", "shared", "days", "percent", "margin", "younger", "older", "minAge", "maxAge", "rank", "count", "seats":
			val = number(v)
		case "category":
			val = enumLabel(taxonomy.Categories, v, lang)
		case "cap":
			val = number(v)
		case "program", "programTitle", "title", "name", "note", "regionName":
			val = Raw(v)
		case "programId":
			title := titles[v]
			if title == "" {
				title = v
			}
			out = append(out, "program", Raw(title))
		case "by":
			val = cat.text(lang, "reason.by."+v)
		case "tied":
			val = ""
			if v == "true" {
				val = cat.text(lang, "reason.tied")
			}
		case "choice", "capacity", "yourRank", "lastAdmittedRank":
			val = number(v)
		}
		out = append(out, k, val)
	}
	return out
}
