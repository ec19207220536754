// Package csvimport reads the CSV files coordinators import profiles from.
//
// # File format
//
// UTF-8 text (a leading byte-order mark is ignored), comma-separated, fields
// quoted as in RFC 4180 when they hold commas, quotes or line breaks. The
// first line is a header naming the columns; columns may come in any order
// and optional ones may be left out. Lists are written in one field,
// separated by semicolons. Line numbers in error reports count the header
// as line 1.
//
//	column               required  content
//	email                yes       the person's e-mail address; one row per address
//	name                 yes       full name, at most 200 characters
//	kind                 yes       student | researcher | company
//	homeCountry          yes       IN | JP
//	institution                    university or company, at most 200 characters
//	region                         state or union territory (IN) / prefecture (JP) of the home country
//	fields                         OECD Fields of Science codes, e.g. 1.2;2.2
//	skills                         e.g. machine learning;nlp
//	languages                      code:level pairs, e.g. en:C1;ja:N4 (JLPT N5…N1 or native for ja, CEFR A1…C2 or native otherwise)
//	degreeLevel          yes       bachelor | master | phd | postdoc | faculty | professional
//	birthYear            yes       e.g. 2001
//	availableFrom                  YYYY-MM-DD
//	availableTo                    YYYY-MM-DD, not before availableFrom
//	programKinds                   preferred program kinds, e.g. exchange;joint_research
//	hostRegions                    preferred host regions, e.g. Tokyo;Karnataka
//	statement                      at most 4,000 characters
//	gender                         female | male | non_binary | other | prefer_not_to_say
//	categories                     self-declared categories, e.g. women;first_generation (women | first_generation | tier2_institution | northeast_india | disability | rural); needs categoriesConsent
//	categoriesConsent              true | false (default false): the person consented to the processing of their categories
//	noticeVersion                  the consent notice version the person agreed to; must be the current one (2026-12) when given
//	dataProcessing       yes       must be true: by importing, the coordinator attests that the person consented to processing under the current notice
//	crossBorderTransfer            true | false (default false)
//	visibleToHosts                 true | false (default false)
//	guardianName                   required when the person may be under 18
//	guardianRelation               parent | legal_guardian; required with guardianName
//
// Booleans are true/false, yes/no or 1/0; an empty field is false.
//
// Example:
//
//	email,name,kind,homeCountry,region,fields,languages,degreeLevel,birthYear,dataProcessing,visibleToHosts
//	asha@example.org,Asha Rao,student,IN,Tamil Nadu,1.2,en:C1;ja:N4,master,2001,true,true
//
// Imported profiles belong to no account. Each gets an id derived from its
// e-mail address (see domain.ImportedID), and the address is kept so the
// person can claim the profile when they sign up with it.
package csvimport

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/talentbridge/platform/services/profiles/internal/domain"
	apiprofiles "github.com/talentbridge/platform/shared/api/profiles"
	"github.com/talentbridge/platform/shared/fielderr"
	"github.com/talentbridge/platform/shared/taxonomy"
)

// MaxRows is the most profiles one file may hold: a national scheme's
// applicants (a round takes up to 100,000). The body limit of imports
// (50 MiB) bounds the memory a file takes.
const MaxRows = 100000

// Column names.
const (
	ColEmail               = "email"
	ColName                = "name"
	ColKind                = "kind"
	ColHomeCountry         = "homeCountry"
	ColInstitution         = "institution"
	ColRegion              = "region"
	ColFields              = "fields"
	ColSkills              = "skills"
	ColLanguages           = "languages"
	ColDegreeLevel         = "degreeLevel"
	ColBirthYear           = "birthYear"
	ColAvailableFrom       = "availableFrom"
	ColAvailableTo         = "availableTo"
	ColProgramKinds        = "programKinds"
	ColHostRegions         = "hostRegions"
	ColStatement           = "statement"
	ColGender              = "gender"
	ColCategories          = "categories"
	ColCategoriesConsent   = "categoriesConsent"
	ColNoticeVersion       = "noticeVersion"
	ColDataProcessing      = "dataProcessing"
	ColCrossBorderTransfer = "crossBorderTransfer"
	ColVisibleToHosts      = "visibleToHosts"
	ColGuardianName        = "guardianName"
	ColGuardianRelation    = "guardianRelation"
)

// Columns lists every column in the documented order (shared with the
// import page's template through shared/api/profiles; the names are the
// Col constants above).
var Columns = apiprofiles.ImportColumns

// Required lists the columns the header must have.
var Required = []string{ColEmail, ColName, ColKind, ColHomeCountry, ColDegreeLevel, ColBirthYear, ColDataProcessing}

// Parse reads an import file. It returns the valid rows, normalized, and a
// problem for every broken rule of every other row (and of the header);
// rows are valid when problems is empty. It reads the whole file even after
// problems, so one report names every bad row. err is set only when r
// cannot be read.
func Parse(r io.Reader, now time.Time) (rows []domain.ImportRow, problems []domain.RowProblem, err error) {
	br := bufio.NewReader(r)
	if b, err := br.Peek(3); err == nil && string(b) == "\uFEFF" {
		_, _ = br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1 // counted here, to report the line and go on
	header, err := cr.Read()
	switch {
	case errors.Is(err, io.EOF):
		return nil, []domain.RowProblem{fielderr.NewEmptyFile().At(1).Because("the file is empty: the first line must name the columns")}, nil
	case err != nil:
		if pe := (*csv.ParseError)(nil); errors.As(err, &pe) {
			return nil, []domain.RowProblem{fielderr.NewCSVSyntax(pe.Err.Error()).At(pe.Line)}, nil
		}
		return nil, nil, fmt.Errorf("read header: %w", err)
	}
	cols, problems := readHeader(header)
	if len(problems) > 0 {
		return nil, problems, nil
	}

	emails := map[string]int{}
	count := 0
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if pe := (*csv.ParseError)(nil); errors.As(err, &pe) {
				problems = append(problems, fielderr.NewCSVSyntax(pe.Err.Error()).At(pe.Line))
				break
			}
			return nil, nil, fmt.Errorf("read file: %w", err)
		}
		line, _ := cr.FieldPos(0)
		count++
		if count > MaxRows {
			problems = append(problems, fielderr.NewTooManyRows(MaxRows).At(line).Because("a file may hold at most %d rows; split it", MaxRows))
			break
		}
		if len(rec) != len(header) {
			problems = append(problems, fielderr.NewColumns(len(header), len(header)).At(line).
				Because("has %d fields, but the header names %d columns", len(rec), len(header)))
			continue
		}
		row, ps := readRow(line, rec, cols, now)
		if row.Email != "" {
			if first, ok := emails[row.Email]; ok {
				ps = append(ps, fielderr.NewDuplicateLine(ColEmail, first).At(line).
					Because("%s is also on line %d: one row per person", row.Email, first))
			} else {
				emails[row.Email] = line
			}
		}
		if len(ps) > 0 {
			problems = append(problems, ps...)
			continue
		}
		rows = append(rows, row)
	}
	if count == 0 && len(problems) == 0 {
		problems = append(problems, fielderr.NewEmptyFile().At(2).Because("the file has a header but no rows"))
	}
	if len(problems) > 0 {
		return nil, problems, nil
	}
	return rows, nil, nil
}

func readHeader(header []string) (map[string]int, []domain.RowProblem) {
	known := map[string]string{}
	for _, c := range Columns {
		known[strings.ToLower(c)] = c
	}
	cols := map[string]int{}
	var ps []domain.RowProblem
	for i, h := range header {
		name, ok := known[strings.ToLower(strings.TrimSpace(h))]
		switch {
		case !ok:
			ps = append(ps, fielderr.New(h, fielderr.UnknownField, &fielderr.Params{Allowed: Columns},
				fmt.Sprintf("is not a known column; the columns are %s", strings.Join(Columns, ", "))).At(1))
		case cols[name] != 0:
			ps = append(ps, fielderr.NewDuplicate(name).At(1).Because("is named twice"))
		default:
			cols[name] = i + 1 // +1 so that 0 means absent
		}
	}
	for _, c := range Required {
		if cols[c] == 0 {
			ps = append(ps, fielderr.New(c, fielderr.MissingColumn, nil, "is a required column and missing from the header").At(1))
		}
	}
	return cols, ps
}

func readRow(line int, rec []string, cols map[string]int, now time.Time) (domain.ImportRow, []domain.RowProblem) {
	get := func(c string) string {
		if i := cols[c]; i > 0 {
			return strings.TrimSpace(rec[i-1])
		}
		return ""
	}
	var ps []domain.RowProblem
	add := func(col string, p domain.RowProblem) {
		p.Line, p.Field = line, col
		ps = append(ps, p)
	}

	row := domain.ImportRow{Line: line}
	email, err := domain.NormalizeEmail(get(ColEmail))
	if err != nil {
		add(ColEmail, asProblem(err))
	} else {
		row.Email = email
	}

	d := domain.Draft{Details: domain.Details{
		Kind:          get(ColKind),
		Name:          get(ColName),
		HomeCountry:   get(ColHomeCountry),
		Institution:   get(ColInstitution),
		Region:        get(ColRegion),
		Fields:        list(get(ColFields)),
		Skills:        list(get(ColSkills)),
		DegreeLevel:   get(ColDegreeLevel),
		AvailableFrom: get(ColAvailableFrom),
		AvailableTo:   get(ColAvailableTo),
		Preferences: domain.Preferences{
			ProgramKinds: list(get(ColProgramKinds)),
			HostRegions:  list(get(ColHostRegions)),
		},
		Statement:  get(ColStatement),
		Gender:     get(ColGender),
		Categories: list(get(ColCategories)),
	}}
	for i, item := range list(get(ColLanguages)) {
		code, level, ok := strings.Cut(item, ":")
		if !ok {
			add(ColLanguages, fielderr.NewFormat(ColLanguages, "language_level").Because("item %d (%q) must be code:level, e.g. en:C1 or ja:N4", i+1, item))
			continue
		}
		d.Languages = append(d.Languages, taxonomy.Language{Code: strings.TrimSpace(code), Level: strings.TrimSpace(level)})
	}
	if y, err := domain.ParseYear(get(ColBirthYear)); err != nil {
		add(ColBirthYear, asProblem(err))
	} else {
		d.BirthYear = y
	}
	d.Consents.NoticeVersion = get(ColNoticeVersion)
	if d.Consents.NoticeVersion == "" {
		d.Consents.NoticeVersion = domain.NoticeVersion
	}
	for _, b := range []struct {
		col string
		dst *bool
	}{
		{ColDataProcessing, &d.Consents.DataProcessing},
		{ColCrossBorderTransfer, &d.Consents.CrossBorderTransfer},
		{ColVisibleToHosts, &d.Consents.VisibleToHosts},
		{ColCategoriesConsent, &d.Consents.Categories},
	} {
		v, err := parseBool(get(b.col))
		if err != nil {
			add(b.col, asProblem(err))
			continue
		}
		*b.dst = v
	}
	if name, rel := get(ColGuardianName), get(ColGuardianRelation); name != "" || rel != "" {
		d.Guardian = &domain.GuardianChoice{Name: name, Relation: rel}
	}

	// A field that could not even be read is reported once, not again by
	// the validator.
	failed := map[string]bool{}
	for _, p := range ps {
		failed[p.Field] = true
	}
	valid, err := domain.Validate(d, now)
	if err != nil {
		var ve *domain.ValidationError
		if !errors.As(err, &ve) {
			add("", asProblem(err))
		} else {
			for _, p := range ve.Problems {
				p = column(p)
				if col := p.Field; failed[col] && (col == ColBirthYear || col == ColDataProcessing || col == ColCrossBorderTransfer || col == ColVisibleToHosts || col == ColCategoriesConsent) {
					continue
				}
				add(p.Field, p)
			}
		}
	}
	if len(ps) > 0 {
		return domain.ImportRow{Line: line, Email: row.Email}, ps
	}
	row.Draft = valid
	return row, nil
}

// column maps a problem of the JSON-shaped profile onto the file's column,
// naming the list item when the field is a list; code and params stay.
func column(p domain.Problem) domain.Problem {
	p.Field, p.Reason = columnReason(p)
	return p
}

// asProblem is the problem an error of a cell's reader stands for.
func asProblem(err error) domain.RowProblem {
	var fe fielderr.FieldError
	if errors.As(err, &fe) {
		return fe
	}
	return fielderr.New("", fielderr.Format, nil, err.Error())
}

func columnReason(p domain.Problem) (col, reason string) {
	path, reason := p.Field, p.Reason
	base, rest, _ := strings.Cut(path, "[")
	item := ""
	if rest != "" {
		if n, err := strconv.Atoi(strings.SplitN(rest, "]", 2)[0]); err == nil {
			item = fmt.Sprintf("item %d: ", n+1)
		}
	}
	switch base {
	case "preferences.programKinds":
		return ColProgramKinds, item + reason
	case "preferences.hostRegions":
		return ColHostRegions, item + reason
	case "consents.noticeVersion":
		return ColNoticeVersion, fmt.Sprintf("must be the current notice version %s, or left empty", domain.NoticeVersion)
	case "consents.dataProcessing":
		return ColDataProcessing, fmt.Sprintf("must be true: import only people who consented to the processing of their data under notice %s", domain.NoticeVersion)
	case "categories":
		return ColCategories, "are kept only with the person's consent: set categoriesConsent to true, or leave categories empty"
	case "guardianConsent":
		return ColGuardianName, reason
	case "guardianConsent.name":
		return ColGuardianName, reason
	case "guardianConsent.relation":
		return ColGuardianRelation, reason
	}
	return base, item + reason
}

func list(s string) []string {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	parts := strings.Split(s, ";")
	out := make([]string, 0, len(parts))
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func parseBool(s string) (bool, error) {
	switch strings.ToLower(s) {
	case "", "false", "no", "0":
		return false, nil
	case "true", "yes", "1":
		return true, nil
	}
	return false, fielderr.NewFormat("", "boolean").Because("must be true or false, not %q", s)
}
