// Package csvexport writes the CSV files the platform hands out — statistics,
// reports, any download a person may open in a spreadsheet. Every CSV export
// goes through it; nothing else in the platform writes CSV for people to open.
//
// A spreadsheet reads a cell that begins with "=", "+", "-" or "@" as a
// formula, and some also when it begins with a tab or a carriage return.
// A formula can compute from other cells, fetch URLs (HYPERLINK,
// WEBSERVICE) or, through DDE, start programs, so a name such as
// "=HYPERLINK(...)" typed into a profile would act in the coordinator's
// spreadsheet (CSV or formula injection). Following OWASP's advice on CSV
// injection, Cell puts a single quote (') before such a cell: spreadsheets
// then show it as text, the quote in front telling the reader that it was
// escaped. The full-width forms of the four signs (＝ ＋ － ＠), which a
// Japanese-locale spreadsheet may take for the ASCII ones, are escaped too.
//
// Numbers are left as they are: a cell that is a plain decimal number — an
// optional sign, digits, an optional decimal point with digits, such as
// "-3", "+81", "-0.5" — cannot hold a formula and a spreadsheet reads it as
// that number. Anything else that begins with a sign is escaped, including
// a telephone number written with spaces or hyphens ("+81 90-1234-5678"),
// which a spreadsheet would otherwise compute as arithmetic; it then shows
// as text, as a telephone number should. A number with an exponent
// ("-1e5") is escaped as well: it is not plain.
//
// The rest is encoding/csv (RFC 4180, comma-separated): a cell holding a
// comma, a double quote or a line break is quoted and its quotes doubled,
// so a reader splitting on commas cannot be made to start a new cell
// inside a value. Programs told to split on another character (";" in some
// locales) are outside what this package can promise.
//
// Imports do not use this package and store cells as given: escaping is a
// property of one output format, not of the data. A name that begins with
// "-" or "@" is valid, shows correctly in HTML and JSON, and would be
// wrong there with a quote in front; only the CSV writer knows that its
// reader might be a spreadsheet.
package csvexport

import (
	"encoding/csv"
	"io"
	"strings"
)

// ContentType is the media type to serve an export with.
const ContentType = "text/csv; charset=utf-8"

// Cell returns s as it must be written into a CSV export: with a single
// quote in front when a spreadsheet would read it as a formula, else as
// it is.
func Cell(s string) string {
	if formulaLeading(s) && !plainNumber(s) {
		return "'" + s
	}
	return s
}

// formulaLeading reports whether s begins with a character that makes a
// spreadsheet start a formula.
func formulaLeading(s string) bool {
	if s == "" {
		return false
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return true
	}
	for _, p := range []string{"＝", "＋", "－", "＠"} {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// plainNumber reports whether s is an optionally signed decimal number:
// digits with at most one decimal point and at least one digit.
func plainNumber(s string) bool {
	if s != "" && (s[0] == '+' || s[0] == '-') {
		s = s[1:]
	}
	digits, points := 0, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c == '.':
			points++
		default:
			return false
		}
	}
	return digits > 0 && points <= 1
}

// Writer writes CSV records with every cell passed through Cell. Its
// methods are those of encoding/csv's Writer.
type Writer struct {
	w    *csv.Writer
	cell []string
}

// NewWriter returns a Writer that writes comma-separated records to w.
func NewWriter(w io.Writer) *Writer {
	return &Writer{w: csv.NewWriter(w)}
}

// Write writes one record, each cell escaped. The record itself is not
// changed. Like encoding/csv, it buffers: call Flush, then Error.
func (w *Writer) Write(record []string) error {
	w.cell = w.cell[:0]
	for _, s := range record {
		w.cell = append(w.cell, Cell(s))
	}
	return w.w.Write(w.cell)
}

// WriteAll writes records, each cell escaped, and flushes.
func (w *Writer) WriteAll(records [][]string) error {
	for _, r := range records {
		if err := w.Write(r); err != nil {
			return err
		}
	}
	w.w.Flush()
	return w.w.Error()
}

// Flush writes buffered data to the underlying io.Writer.
func (w *Writer) Flush() { w.w.Flush() }

// Error reports an error from a previous Write or Flush.
func (w *Writer) Error() error { return w.w.Error() }
