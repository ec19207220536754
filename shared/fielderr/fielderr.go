// Package fielderr holds the one shape of a broken rule of one field of a
// request (DESIGN.md §3): the field's JSON path, a stable code, parameters
// the code's wording needs, and an English reason for API clients.
//
// Pages never read the reason: they word the code in the user's language,
// filling in the parameters. The codes and their parameters are therefore a
// contract; add a code rather than change what one means. Every code is in
// Codes, with the parameters it carries.
//
// The package is plain Go with no dependencies, so domain packages use it
// directly.
package fielderr

import (
	"fmt"
	"slices"
	"strings"
)

// Code names the kind of a field problem; it is stable across releases.
type Code string

// The codes. The comment says which parameters each one sets.
const (
	// Required: the field is missing or empty. Params: allowed, when the
	// value must be one of a list.
	Required Code = "required"
	// OneOf: the value is not one of a fixed list. Params: allowed.
	OneOf Code = "one_of"
	// TooLong: the text has more characters than allowed. Params: max.
	TooLong Code = "too_long"
	// TooShort: the text has fewer characters than allowed. Params: min.
	TooShort Code = "too_short"
	// TooMany: the list has more entries than allowed. Params: max.
	TooMany Code = "too_many"
	// TooFew: the list needs more entries. Params: min.
	TooFew Code = "too_few"
	// Range: the number is outside [min, max]. Params: min, max.
	Range Code = "range"
	// NumberOrder: the number may not exceed another field's. Params:
	// other (the other field's path).
	NumberOrder Code = "number_order"
	// SumTooLarge: the entries add up to more than max. Params: max.
	SumTooLarge Code = "sum_too_large"
	// DateOrder: the date may not be before another field's. Params:
	// other (the other field's path).
	DateOrder Code = "date_order"
	// DeadlineOrder: the date may not be after another field's. Params:
	// other.
	DeadlineOrder Code = "deadline_order"
	// DatePast: the date has already passed.
	DatePast Code = "date_past"
	// DateFuture: the time must lie in the future.
	DateFuture Code = "date_future"
	// DateTooFar: the time lies too far ahead. Params: max (days).
	DateTooFar Code = "date_too_far"
	// Duration: the span from another field's time is too long. Params:
	// other, max (hours).
	Duration Code = "duration"
	// Overlap: the time span overlaps another one.
	Overlap Code = "overlap"
	// Format: the text is not written as the format wants. Params: format
	// ("date", "integer", "boolean", "id", "csv").
	Format Code = "format"
	// Type: the JSON value has the wrong type. Params: format (the JSON
	// type wanted: "string", "number", "boolean", "array", "object").
	Type Code = "type"
	// UnknownField: the request sets a field that does not exist or may
	// not be set there. Params: allowed (the fields or columns there are),
	// when the list is short enough to give.
	UnknownField Code = "unknown_field"
	// UnknownCode: the value is not a code of a list. Params: taxonomy
	// ("field", "language", "country", "category", "currency", …).
	UnknownCode Code = "unknown_code"
	// Duplicate: the value is given twice. Params: line, when the other
	// one is a line of a file; other, when it is another entry.
	Duplicate Code = "duplicate"
	// LevelScale: the level is not on the language's scale. Params: scale
	// ("JLPT", "CEFR"), allowed.
	LevelScale Code = "level_scale"
	// Year: the year is not plausible. Params: min, max.
	Year Code = "year"
	// Region: the region is not one of the country's. Params: country.
	Region Code = "region"
	// Email: the text is not an e-mail address.
	Email Code = "email"
	// TextEncoding: the text is not valid UTF-8.
	TextEncoding Code = "text_encoding"
	// ControlCharacter: the text holds control characters.
	ControlCharacter Code = "control_character"
	// FormatCharacter: the text holds invisible format characters
	// (Unicode Cf: zero-width, bidi controls), refused so that one text
	// cannot pass for another.
	FormatCharacter Code = "format_character"
	// ConsentRequired: a consent that must be given was not.
	ConsentRequired Code = "consent_required"
	// ConsentCategories: categories are kept only with their own consent.
	ConsentCategories Code = "consent_categories"
	// NoticeVersion: the consent was given to another notice than the
	// current one. Params: version (the current one).
	NoticeVersion Code = "notice_version"
	// GuardianRequired: an applicant who may be a minor needs a guardian's
	// consent. Params: age (of majority).
	GuardianRequired Code = "guardian_required"
	// GuardianAdult: guardian consent is given for an adult. Params: age.
	GuardianAdult Code = "guardian_adult"
	// PasswordTooShort: Params: min.
	PasswordTooShort Code = "password_too_short"
	// PasswordTooLong: Params: max.
	PasswordTooLong Code = "password_too_long"
	// PasswordCommon: the password is on the list of common ones.
	PasswordCommon Code = "password_common"
	// PasswordIncorrect: the current password given is not the account's.
	PasswordIncorrect Code = "password_incorrect"
	// PasswordRepeated: the password is one character repeated.
	PasswordRepeated Code = "password_repeated"
	// PasswordEmail: the password contains the account's e-mail address.
	PasswordEmail Code = "password_email"
	// NotFound: the id or address names nothing the caller may use.
	NotFound Code = "not_found"
	// NotAvailable: the object exists but is not in a state that allows
	// this (a program that is not published, or closed).
	NotAvailable Code = "not_available"
	// NotEligible: the applicant does not meet the program's rules.
	NotEligible Code = "not_eligible"
	// TooManyRows: the file has more lines than allowed. Params: max.
	TooManyRows Code = "too_many_rows"
	// EmptyFile: the file holds nothing to import.
	EmptyFile Code = "empty_file"
	// Columns: a line has the wrong number of values. Params: min, max.
	Columns Code = "columns"
	// MissingColumn: a required column is missing from the header.
	MissingColumn Code = "missing_column"
	// FileTooLarge: the uploaded file is too large. Params: max (MiB).
	FileTooLarge Code = "file_too_large"
	// FileType: the uploaded file is not of an accepted type.
	FileType Code = "file_type"
	// FileDamaged: the uploaded file cannot be read as its type.
	FileDamaged Code = "file_damaged"
	// FileEmpty: the uploaded file is empty.
	FileEmpty Code = "file_empty"
)

// Codes lists every code with the parameters it may carry, for tests and
// for the OpenAPI description.
var Codes = map[Code][]string{
	Required: {"allowed"}, OneOf: {"allowed"}, TooLong: {"max"}, TooShort: {"min"},
	TooMany: {"max"}, TooFew: {"min"}, Range: {"min", "max"}, NumberOrder: {"other"},
	SumTooLarge: {"max"}, DateOrder: {"other"}, DeadlineOrder: {"other"}, DatePast: nil,
	DateFuture: nil, DateTooFar: {"max"}, Duration: {"other", "max"}, Overlap: nil,
	Format: {"format"}, Type: {"format"}, UnknownField: {"allowed"}, UnknownCode: {"taxonomy"},
	Duplicate: {"line", "other"}, LevelScale: {"scale", "allowed"}, Year: {"min", "max"},
	Region: {"country"}, Email: nil, TextEncoding: nil, ControlCharacter: nil,
	FormatCharacter: nil, ConsentRequired: nil, ConsentCategories: nil,
	NoticeVersion: {"version"}, GuardianRequired: {"age"}, GuardianAdult: {"age"},
	PasswordTooShort: {"min"}, PasswordTooLong: {"max"}, PasswordCommon: nil, PasswordIncorrect: nil,
	PasswordRepeated: nil, PasswordEmail: nil, NotFound: nil, NotAvailable: nil,
	NotEligible: nil, TooManyRows: {"max"}, EmptyFile: nil, Columns: {"min", "max"},
	MissingColumn: nil, FileTooLarge: {"max"}, FileType: nil, FileDamaged: nil, FileEmpty: nil,
}

// Enum lists the codes in order, for JSON Schema reflection (the OpenAPI
// description names every code a problem may carry).
func (Code) Enum() []any {
	names := make([]string, 0, len(Codes))
	for c := range Codes {
		names = append(names, string(c))
	}
	slices.Sort(names)
	out := make([]any, len(names))
	for i, n := range names {
		out[i] = n
	}
	return out
}

// Known reports whether c is one of the codes.
func Known(c Code) bool {
	_, ok := Codes[c]
	return ok
}

// Params are what a code's wording needs; a code sets only the ones Codes
// lists for it.
type Params struct {
	// Allowed are the values to choose from.
	Allowed []string `json:"allowed,omitempty"`
	// Min and Max bound a number, a length or a count.
	Min *int `json:"min,omitempty"`
	Max *int `json:"max,omitempty"`
	// Other is the path of the field this one is compared with
	// ("startDate"); a page names it by its label.
	Other string `json:"other,omitempty"`
	// Format is the written form wanted ("date", "integer").
	Format string `json:"format,omitempty"`
	// Taxonomy names the list a code must come from ("field", "country").
	Taxonomy string `json:"taxonomy,omitempty"`
	// Scale is a language level scale ("JLPT", "CEFR").
	Scale string `json:"scale,omitempty"`
	// Country is an ISO 3166 code ("IN", "JP").
	Country string `json:"country,omitempty"`
	// Version is the current version of a notice.
	Version string `json:"version,omitempty"`
	// Age is an age in years.
	Age *int `json:"age,omitempty"`
	// Line is another line of an uploaded file.
	Line int `json:"line,omitempty"`
}

// FieldError is one broken rule of one field.
type FieldError struct {
	// Line is the 1-based line of an uploaded file the error is about
	// (CSV imports); 0 otherwise.
	Line int `json:"line,omitempty" description:"The line of an uploaded file (CSV imports), from 1."`
	// Field is the JSON path of the field ("languages[1].level"); empty
	// for a problem of a whole line of a file.
	Field string `json:"field" required:"true" description:"The JSON path of the field, e.g. languages[1].level."`
	// Code is stable; pages word it in the user's language.
	Code Code `json:"code" required:"true" description:"Stable code of the broken rule; word it from the code and params, not from reason."`
	// Reason is the problem in English, for API clients and logs.
	Reason string `json:"reason" required:"true" description:"The problem in English."`
	// Params fill in the code's wording.
	Params *Params `json:"params,omitempty" description:"Values the code's wording needs (see docs/API-ERRORS.md)."`
}

func (e FieldError) Error() string { return e.Field + ": " + e.Reason }

// Because replaces the English reason, for a rule that says more than the
// code's default words.
func (e FieldError) Because(format string, args ...any) FieldError {
	e.Reason = fmt.Sprintf(format, args...)
	return e
}

// WithParams replaces the parameters.
func (e FieldError) WithParams(p *Params) FieldError {
	e.Params = p
	return e
}

// At sets the line of a file the problem is on.
func (e FieldError) At(line int) FieldError {
	e.Line = line
	return e
}

// New makes a field error of any code with its English reason.
func New(field string, code Code, p *Params, reason string) FieldError {
	return FieldError{Field: field, Code: code, Reason: reason, Params: p}
}

func intp(n int) *int { return &n }

// The constructors below give each code its parameters and default
// English reason.

func NewRequired(field string) FieldError { return New(field, Required, nil, "is required") }

// NewRequiredOneOf: a missing value that must be one of allowed.
func NewRequiredOneOf(field string, allowed []string) FieldError {
	return New(field, Required, &Params{Allowed: allowed}, "is required: one of "+strings.Join(allowed, "|"))
}

func NewOneOf(field string, allowed []string) FieldError {
	return New(field, OneOf, &Params{Allowed: allowed}, "must be one of "+strings.Join(allowed, "|"))
}

func NewTooLong(field string, max int) FieldError {
	return New(field, TooLong, &Params{Max: intp(max)}, fmt.Sprintf("must be at most %d characters", max))
}

func NewTooShort(field string, min int) FieldError {
	return New(field, TooShort, &Params{Min: intp(min)}, fmt.Sprintf("must be at least %d characters", min))
}

func NewTooMany(field string, max int) FieldError {
	return New(field, TooMany, &Params{Max: intp(max)}, fmt.Sprintf("may list at most %d entries", max))
}

func NewTooFew(field string, min int) FieldError {
	return New(field, TooFew, &Params{Min: intp(min)}, fmt.Sprintf("must list at least %d entries", min))
}

func NewRange(field string, min, max int) FieldError {
	return New(field, Range, &Params{Min: intp(min), Max: intp(max)}, fmt.Sprintf("must be between %d and %d", min, max))
}

// NewNumberOrder: field may not be greater than other.
func NewNumberOrder(field, other string) FieldError {
	return New(field, NumberOrder, &Params{Other: other}, "must not be greater than "+other)
}

func NewSumTooLarge(field string, max int) FieldError {
	return New(field, SumTooLarge, &Params{Max: intp(max)}, fmt.Sprintf("add up to more than %d", max))
}

// NewDateOrder: the date in field may not be before the one in other.
func NewDateOrder(field, other string) FieldError {
	return New(field, DateOrder, &Params{Other: other}, "must not be before "+other)
}

// NewDeadlineOrder: the date in field may not be after the one in other.
func NewDeadlineOrder(field, other string) FieldError {
	return New(field, DeadlineOrder, &Params{Other: other}, "must not be after "+other)
}

func NewDatePast(field string) FieldError { return New(field, DatePast, nil, "has already passed") }

// NewFormat: the value is not written as format ("date": YYYY-MM-DD).
func NewFormat(field, format string) FieldError {
	reason := "is not a valid " + format
	if format == "date" {
		reason = "must be a date written YYYY-MM-DD"
	}
	return New(field, Format, &Params{Format: format}, reason)
}

// NewType: the JSON value is not of the type wanted.
func NewType(field, jsonType string) FieldError {
	return New(field, Type, &Params{Format: jsonType}, "must be "+jsonType)
}

func NewUnknownField(field string) FieldError {
	return New(field, UnknownField, nil, "is not a field you can set")
}

// NewUnknownCode: the value is not a code of the named list.
func NewUnknownCode(field, taxonomy string) FieldError {
	return New(field, UnknownCode, &Params{Taxonomy: taxonomy}, "is not a known "+taxonomy+" code")
}

func NewDuplicate(field string) FieldError { return New(field, Duplicate, nil, "is listed twice") }

// NewDuplicateLine: the line repeats what an earlier line of the file gave.
func NewDuplicateLine(field string, line int) FieldError {
	return New(field, Duplicate, &Params{Line: line}, fmt.Sprintf("repeats line %d", line))
}

// NewDuplicateOf: the entry repeats the entry at the path other.
func NewDuplicateOf(field, other string) FieldError {
	return New(field, Duplicate, &Params{Other: other}, "repeats "+other)
}

func NewDateFuture(field string) FieldError {
	return New(field, DateFuture, nil, "must be in the future")
}

func NewDateTooFar(field string, maxDays int) FieldError {
	return New(field, DateTooFar, &Params{Max: intp(maxDays)}, fmt.Sprintf("must be at most %d days ahead", maxDays))
}

// NewDuration: the time in field may be at most maxHours after other's.
func NewDuration(field, other string, maxHours int) FieldError {
	return New(field, Duration, &Params{Other: other, Max: intp(maxHours)}, fmt.Sprintf("must be at most %d hours after %s", maxHours, other))
}

func NewOverlap(field string) FieldError { return New(field, Overlap, nil, "overlaps another one") }

func NewLevelScale(field, scale string, allowed []string) FieldError {
	return New(field, LevelScale, &Params{Scale: scale, Allowed: allowed},
		fmt.Sprintf("is not a %s level; want one of %s", scale, strings.Join(allowed, "|")))
}

func NewYear(field string, min, max int) FieldError {
	return New(field, Year, &Params{Min: intp(min), Max: intp(max)}, fmt.Sprintf("must be a year between %d and %d", min, max))
}

func NewRegion(field, country string) FieldError {
	return New(field, Region, &Params{Country: country}, "is not a region of "+country)
}

func NewEmail(field string) FieldError {
	return New(field, Email, nil, "must be an e-mail address such as name@example.org")
}

func NewTextEncoding(field string) FieldError {
	return New(field, TextEncoding, nil, "must be valid UTF-8 text")
}

func NewControlCharacter(field string) FieldError {
	return New(field, ControlCharacter, nil, "must not contain control characters")
}

// FormatCharacterReason is the English reason of FormatCharacter.
const FormatCharacterReason = "must not contain invisible formatting characters (zero-width or bidi controls)"

func NewFormatCharacter(field string) FieldError {
	return New(field, FormatCharacter, nil, FormatCharacterReason)
}

func NewConsentRequired(field string) FieldError {
	return New(field, ConsentRequired, nil, "must be true")
}

func NewNoticeVersion(field, current string) FieldError {
	return New(field, NoticeVersion, &Params{Version: current}, "must be the current notice version "+current)
}

func NewGuardianRequired(field string, age int) FieldError {
	return New(field, GuardianRequired, &Params{Age: intp(age)}, fmt.Sprintf("is required for an applicant who may be under %d", age))
}

func NewGuardianAdult(field string, age int) FieldError {
	return New(field, GuardianAdult, &Params{Age: intp(age)}, fmt.Sprintf("is only for applicants under %d; leave it out", age))
}

func NewPasswordIncorrect(field string) FieldError {
	return New(field, PasswordIncorrect, nil, "is not the current password")
}

func NewNotFound(field string) FieldError {
	return New(field, NotFound, nil, "names nothing you can use")
}

func NewNotAvailable(field string) FieldError {
	return New(field, NotAvailable, nil, "is not available for this")
}

func NewTooManyRows(max int) FieldError {
	return New("", TooManyRows, &Params{Max: intp(max)}, fmt.Sprintf("a file may hold at most %d lines; split it", max))
}

func NewEmptyFile() FieldError {
	return New("", EmptyFile, nil, "the file is empty")
}

// NewColumns: a line should hold between min and max values (max 0: no
// upper bound).
func NewColumns(min, max int) FieldError {
	p := &Params{Min: intp(min)}
	if max > 0 {
		p.Max = intp(max)
	}
	return New("", Columns, p, "has the wrong number of values")
}

// NewCSVSyntax: the file is not valid CSV at this line.
func NewCSVSyntax(detail string) FieldError {
	return New("", Format, &Params{Format: "csv"}, "not valid CSV: "+detail)
}

// Check reports a field error whose code is not one of Codes, or that
// sets a parameter its code does not list (a page would not word it). The
// services' tests run it over every error their validators produce.
func Check(e FieldError) error {
	allowed, ok := Codes[e.Code]
	if !ok {
		return fmt.Errorf("%s: code %q is not a field error code", e.Field, e.Code)
	}
	if e.Reason == "" {
		return fmt.Errorf("%s (%s): no English reason", e.Field, e.Code)
	}
	if e.Params == nil {
		return nil
	}
	p := *e.Params
	set := map[string]bool{
		"allowed": p.Allowed != nil, "min": p.Min != nil, "max": p.Max != nil, "other": p.Other != "",
		"format": p.Format != "", "taxonomy": p.Taxonomy != "", "scale": p.Scale != "", "country": p.Country != "",
		"version": p.Version != "", "age": p.Age != nil, "line": p.Line != 0,
	}
	for name, on := range set {
		if on && !slices.Contains(allowed, name) {
			return fmt.Errorf("%s (%s): sets param %s, which the code does not carry", e.Field, e.Code, name)
		}
	}
	return nil
}
