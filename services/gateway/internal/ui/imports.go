package ui

import (
	"bytes"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	apiprofiles "github.com/talentbridge/platform/shared/api/profiles"
	apiprograms "github.com/talentbridge/platform/shared/api/programs"
	"github.com/talentbridge/platform/shared/csvexport"
	"github.com/talentbridge/platform/shared/taxonomy"
)

// CodeItem is one code of a list with its labels.
type CodeItem struct {
	Code   string
	Labels taxonomy.Labels
}

// CodeList is one list of codes an import file uses: Key names it
// ("codes.<key>" on the page), Columns are the import columns it fills.
type CodeList struct {
	Key     string
	Columns string
	Items   []CodeItem
}

// codeLists are the code lists of the import files, from shared/taxonomy:
// the same lists the services check imported rows against.
func codeLists() []CodeList {
	terms := func(ts []taxonomy.Term) []CodeItem {
		out := make([]CodeItem, len(ts))
		for i, t := range ts {
			out[i] = CodeItem{t.Code, t.Labels}
		}
		return out
	}
	levels := func(ls []taxonomy.Level) []CodeItem {
		out := make([]CodeItem, len(ls))
		for i, l := range ls {
			out[i] = CodeItem{l.Code, l.Labels}
		}
		return out
	}
	var fields, countries, langs []CodeItem
	for _, f := range taxonomy.Fields() {
		fields = append(fields, CodeItem{f.Code, f.Labels})
	}
	for _, c := range taxonomy.Countries() {
		countries = append(countries, CodeItem{c.Code, c.Labels})
	}
	for _, l := range taxonomy.Languages() {
		langs = append(langs, CodeItem{l.Code, l.Labels})
	}
	return []CodeList{
		{"fields", "fields", fields},
		{"program_kinds", "kind (programs), programKinds (profiles)", terms(taxonomy.ProgramKinds.Terms())},
		{"applicant_kinds", "kind (profiles), applicantKinds (programs)", terms(taxonomy.ApplicantKinds.Terms())},
		{"degree_levels", "degreeLevel, degreeLevels", terms(taxonomy.DegreeLevels.Terms())},
		{"countries", "hostCountry, homeCountry, homeCountries", countries},
		{"categories", "categories", terms(taxonomy.Categories.Terms())},
		{"languages", "languages (code:level)", langs},
		{"jlpt", "languages (ja:level)", levels(taxonomy.JLPT.Levels())},
		{"cefr", "languages (other:level)", levels(taxonomy.CEFR.Levels())},
	}
}

// ImportCodesData is the page of code lists.
type ImportCodesData struct {
	Lists []CodeList
}

func (u *UI) importCodes(c echo.Context) error {
	p := u.page(c, "codes.title")
	p.Data = ImportCodesData{Lists: codeLists()}
	return u.render(c, http.StatusOK, "import_codes", p)
}

// importCodesCSV downloads every code list as one table: list, code and
// the English, Japanese and Hindi labels.
func (u *UI) importCodesCSV(c echo.Context) error {
	rows := [][]string{{"list", "code", "en", "ja", "hi"}}
	for _, l := range codeLists() {
		for _, it := range l.Items {
			rows = append(rows, []string{l.Key, it.Code, it.Labels.En, it.Labels.Ja, it.Labels.Hi})
		}
	}
	return sendRows(c, "talentbridge-codes.csv", rows)
}

// importTemplate downloads the template of one import file: its columns
// and an example row to overwrite (rank lists have no header).
func (u *UI) importTemplate(c echo.Context) error {
	day := func(days int) string { return time.Now().UTC().AddDate(0, 0, days).Format(time.DateOnly) }
	var rows [][]string
	switch c.Param("name") {
	case "programs.csv":
		example := map[string]string{"title": "Example joint research", "description": "What the participants will do.",
			"kind": taxonomy.ProgramJointResearch, "hostOrg": "Example University", "hostCountry": taxonomy.Japan, "region": "Miyagi",
			"fields": "1.2;2.2", "skills": "python;machine learning", "seats": "2", "startDate": day(120), "endDate": day(300),
			"applicationDeadline": day(60), "homeCountries": taxonomy.India, "languages": "en:B2;ja:N4"}
		rows = withExample(apiprograms.ImportColumns, example)
	case "profiles.csv":
		example := map[string]string{"email": "applicant@example.org", "name": "Example Applicant", "kind": taxonomy.ApplicantStudent,
			"homeCountry": taxonomy.India, "institution": "Example Institute of Technology", "region": "Karnataka", "fields": "1.2",
			"languages": "en:C1;ja:N4", "degreeLevel": taxonomy.DegreeMaster, "birthYear": "2001", "dataProcessing": "true",
			"crossBorderTransfer": "true", "visibleToHosts": "true"}
		rows = withExample(apiprofiles.ImportColumns, example)
	case "program-ranking.csv":
		rows = [][]string{{"applicant@example.org"}, {"another.applicant@example.org"}}
	case "round-ranks.csv":
		rows = [][]string{{"applicant@example.org", "program-id-1", "program-id-2"}}
	default:
		return &APIError{Status: http.StatusNotFound}
	}
	return sendRows(c, "template-"+c.Param("name"), rows)
}

// withExample is a header of columns and one row with example values.
func withExample(columns []string, example map[string]string) [][]string {
	row := make([]string, len(columns))
	for i, col := range columns {
		row[i] = example[col]
	}
	return [][]string{columns, row}
}

// sendRows writes rows as a CSV attachment through shared/csvexport.
func sendRows(c echo.Context, name string, rows [][]string) error {
	var buf bytes.Buffer
	if err := csvexport.NewWriter(&buf).WriteAll(rows); err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	return c.Blob(http.StatusOK, csvexport.ContentType, buf.Bytes())
}
