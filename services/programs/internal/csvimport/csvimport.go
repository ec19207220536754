// Package csvimport reads programs from a CSV file, the body of
// POST /programs/import.
//
// The first line names the columns, in any order; later lines are programs.
// Column names are the JSON names of a program, with the nested parts
// spelled out:
//
//	title, titleJa, description, descriptionJa, kind, hostOrg, hostCountry,
//	region, fields, skills, seats, startDate, endDate, applicationDeadline,
//	stipendAmount, stipendCurrency, stipendPeriod, applicantKinds,
//	homeCountries, degreeLevels, languages, minAge, maxAge
//
// Lists (fields, skills, applicantKinds, homeCountries, degreeLevels) are
// separated by semicolons; languages are "code:minLevel" pairs, e.g.
// "en:B2;ja:N3". Parse only reads the file; whether each program is valid is
// decided by the domain, and reported against the same line numbers.
package csvimport

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/talentbridge/platform/services/programs/internal/domain"
	apiprograms "github.com/talentbridge/platform/shared/api/programs"
	"github.com/talentbridge/platform/shared/fielderr"
	"github.com/talentbridge/platform/shared/taxonomy"
)

// MaxRows is the most programs one file may hold.
const MaxRows = 10000

// Columns lists every column a file may have; Required those it must have
// (shared with the import page's template through shared/api/programs).
var (
	Columns  = apiprograms.ImportColumns
	Required = apiprograms.ImportRequired
)

// Row is one program read from the file, with the line it starts on.
type Row struct {
	Line    int
	Content domain.Content
}

// RowError is one problem on a line (1 is the header). Field is the JSON
// path of the program field, as the API names it ("seats",
// "eligibility.languages[0].minLevel"), a column name for problems with the
// header, or "(row)" / "(file)" for problems with the CSV itself.
type RowError = fielderr.FieldError

// Parse reads every row of a CSV file. It returns the rows it could read
// and every problem found; callers store nothing unless the problems are
// none. It never panics, whatever the input.
func Parse(r io.Reader) ([]Row, []RowError) {
	br := bufio.NewReader(r)
	// A UTF-8 byte order mark, as spreadsheet programs write it.
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte{0xEF, 0xBB, 0xBF}) {
		_, _ = br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.ReuseRecord = false
	cr.FieldsPerRecord = -1

	var errs []RowError
	fail := func(line int, e RowError) { errs = append(errs, e.At(line)) }
	// whole names a problem of the file or of a row as a whole.
	whole := func(field string, e RowError) RowError { e.Field = field; return e }

	header, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			fail(1, whole("(file)", fielderr.NewEmptyFile().Because("the file is empty; the first line must name the columns")))
		} else {
			fail(lineOf(err, 1), csvProblem("(file)", err))
		}
		return nil, errs
	}
	col := map[string]int{}
	for i, name := range header {
		name = strings.TrimSpace(name)
		switch {
		case name == "":
			fail(1, fielderr.NewRequired("(header)").Because("column %d has no name", i+1))
		case !slices.Contains(Columns, name):
			fail(1, fielderr.New(shorten(name), fielderr.UnknownField, &fielderr.Params{Allowed: Columns}, "is not a column; columns are "+strings.Join(Columns, ", ")))
		case hasKey(col, name):
			fail(1, fielderr.NewDuplicate(name).Because("appears twice"))
		default:
			col[name] = i
		}
	}
	for _, name := range Required {
		if !hasKey(col, name) {
			fail(1, fielderr.New(name, fielderr.MissingColumn, nil, "column is missing"))
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}

	var rows []Row
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			// A broken quote leaves the reader unsure where rows begin, so
			// nothing after it is trusted.
			fail(lineOf(err, 0), csvProblem("(row)", err))
			break
		}
		line, _ := cr.FieldPos(0)
		if len(rows) >= MaxRows {
			fail(line, whole("(file)", fielderr.NewTooManyRows(MaxRows).Because("at most %d programs per file", MaxRows)))
			break
		}
		if len(rec) != len(header) {
			fail(line, whole("(row)", fielderr.NewColumns(len(header), len(header)).Because("has %d values, the header names %d columns", len(rec), len(header))))
			continue
		}
		row, rowErrs := readRow(rec, col, line)
		errs = append(errs, rowErrs...)
		rows = append(rows, row)
	}
	if len(rows) == 0 && len(errs) == 0 {
		fail(2, whole("(file)", fielderr.NewEmptyFile().Because("the file holds no programs")))
	}
	return rows, errs
}

// shorten keeps a name from the file short enough to quote back.
func shorten(s string) string {
	if len(s) <= 40 {
		return s
	}
	return strings.ToValidUTF8(s[:40], "") + "…"
}

func hasKey(m map[string]int, k string) bool {
	_, ok := m[k]
	return ok
}

func lineOf(err error, fallback int) int {
	var pe *csv.ParseError
	if errors.As(err, &pe) && pe.Line > 0 {
		return pe.Line
	}
	return fallback
}

func csvProblem(field string, err error) RowError {
	e := fielderr.NewCSVSyntax("").Because("not valid CSV")
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		e = fielderr.NewCSVSyntax(pe.Err.Error())
	}
	e.Field = field
	return e
}

func readRow(rec []string, col map[string]int, line int) (Row, []RowError) {
	var errs []RowError
	get := func(name string) string {
		i, ok := col[name]
		if !ok {
			return ""
		}
		return strings.TrimSpace(rec[i])
	}
	for name, i := range col {
		if !utf8.ValidString(rec[i]) {
			errs = append(errs, fielderr.NewTextEncoding(name).At(line).Because("must be valid UTF-8"))
		}
	}
	// number reads a whole number from a column; errors name the field's
	// JSON path, like the domain's.
	number := func(name, path string) (int64, bool) {
		s := get(name)
		if s == "" {
			return 0, false
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			errs = append(errs, fielderr.NewFormat(path, "integer").At(line).Because("%q is not a whole number", s))
			return 0, false
		}
		return n, true
	}

	c := domain.Content{
		Title: get("title"), TitleJa: get("titleJa"),
		Description: get("description"), DescriptionJa: get("descriptionJa"),
		Kind: get("kind"), HostOrg: get("hostOrg"), HostCountry: get("hostCountry"), Region: get("region"),
		Fields: list(get("fields")), Skills: list(get("skills")),
		StartDate: get("startDate"), EndDate: get("endDate"), ApplicationDeadline: get("applicationDeadline"),
	}
	if n, ok := number("seats", "seats"); ok {
		seats := int(max(min(n, 1<<31), -1))
		c.Seats = &seats
	}
	amount, hasAmount := number("stipendAmount", "stipend.amount")
	if hasAmount || get("stipendCurrency") != "" || get("stipendPeriod") != "" {
		c.Stipend = &domain.Stipend{Amount: amount, Currency: get("stipendCurrency"), Period: get("stipendPeriod")}
		if !hasAmount && get("stipendAmount") == "" {
			errs = append(errs, fielderr.NewRequired("stipend.amount").At(line).Because("is required with a stipend currency or period"))
		}
	}
	c.Eligibility.ApplicantKinds = list(get("applicantKinds"))
	c.Eligibility.HomeCountries = list(get("homeCountries"))
	c.Eligibility.DegreeLevels = list(get("degreeLevels"))
	for i, pair := range list(get("languages")) {
		code, level, ok := strings.Cut(pair, ":")
		if !ok {
			errs = append(errs, fielderr.NewFormat(fmt.Sprintf("eligibility.languages[%d]", i), "language_level").At(line).
				Because("%q is not code:minLevel, e.g. en:B2", pair))
			continue
		}
		c.Eligibility.Languages = append(c.Eligibility.Languages,
			taxonomy.LanguageRequirement{Code: strings.TrimSpace(code), MinLevel: strings.TrimSpace(level)})
	}
	if n, ok := number("minAge", "eligibility.minAge"); ok {
		c.Eligibility.MinAge = int(max(min(n, 1<<20), -1))
	}
	if n, ok := number("maxAge", "eligibility.maxAge"); ok {
		c.Eligibility.MaxAge = int(max(min(n, 1<<20), -1))
	}
	return Row{Line: line, Content: c}, errs
}

// list splits a semicolon-separated cell, dropping empty items.
func list(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ";") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}
