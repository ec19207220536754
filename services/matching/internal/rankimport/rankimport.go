// Package rankimport reads the CSV files of the rank-list imports
// (DESIGN.md §3): a program's ranking of applicants, one applicant id or
// e-mail address per line, in order. It reads a stream row by row and only
// checks the shape of each line; whether an applicant exists and applied is
// the service's call.
package rankimport

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"slices"
	"strings"

	"github.com/talentbridge/platform/shared/fielderr"
)

// MaxRows is the most lines one file may hold.
const MaxRows = 100000

// MaxRef is the longest applicant id or e-mail address accepted.
const MaxRef = 254

// Ref names an applicant on a line of the file: by id, or by the e-mail
// address of an imported profile (lower-cased).
type Ref struct {
	Line  int
	ID    string
	Email string
}

// Problem is what is wrong with one line: a field error with the line set
// and, for the line as a whole, no field.
type Problem = fielderr.FieldError

// ParseRanking reads a program ranking: one applicant per line. It returns
// the lines in order, or every problem found; err is set only when the
// stream itself fails (for example, the body was too large).
func ParseRanking(r io.Reader) (refs []Ref, problems []Problem, err error) {
	br := bufio.NewReader(r)
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte{0xEF, 0xBB, 0xBF}) {
		_, _ = br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	for {
		rec, rerr := cr.Read()
		if errors.Is(rerr, io.EOF) {
			break
		}
		if rerr != nil {
			if pe := (*csv.ParseError)(nil); errors.As(rerr, &pe) {
				problems = append(problems, fielderr.NewCSVSyntax(pe.Err.Error()).At(pe.Line))
				break
			}
			return nil, nil, rerr
		}
		line, _ := cr.FieldPos(0)
		if len(refs)+len(problems) >= MaxRows {
			problems = append(problems, fielderr.NewTooManyRows(MaxRows).At(line).Because("a file may hold at most %d lines; rank fewer applicants", MaxRows))
			break
		}
		if len(rec) != 1 {
			problems = append(problems, fielderr.NewColumns(1, 1).At(line).Because("has %d fields; give one applicant id or e-mail address per line", len(rec)))
			continue
		}
		ref, bad, ok := parseRef(rec[0])
		if !ok {
			problems = append(problems, bad.At(line))
			continue
		}
		ref.Line = line
		refs = append(refs, ref)
	}
	if len(problems) > 0 {
		return nil, problems, nil
	}
	if len(refs) == 0 {
		return nil, []Problem{fielderr.NewEmptyFile().At(1).Because("the file is empty: give one applicant id or e-mail address per line")}, nil
	}
	return refs, nil, nil
}

// parseRef reads one applicant reference: an e-mail address when it holds
// an @, an id otherwise.
func parseRef(s string) (Ref, Problem, bool) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return Ref{}, fielderr.NewRequired("").Because("is empty: give an applicant id or e-mail address"), false
	case len(s) > MaxRef:
		return Ref{}, fielderr.NewTooLong("", MaxRef).Because("is longer than %d characters", MaxRef), false
	case strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f || r == ' ' }):
		return Ref{}, fielderr.NewControlCharacter("").Because("must not contain spaces or control characters"), false
	case strings.Contains(s, "@"):
		at := strings.LastIndexByte(s, '@')
		if at == 0 || at == len(s)-1 || !strings.Contains(s[at+1:], ".") {
			return Ref{}, fielderr.NewEmail("").Because("%q is not an e-mail address like name@example.org", s), false
		}
		return Ref{Email: strings.ToLower(s)}, Problem{}, true
	}
	return Ref{ID: s}, Problem{}, true
}

// RankRow is one applicant's rank list from a round's import.
type RankRow struct {
	Ref
	ProgramIDs []string
}

// ParseRanks reads a round's rank lists: one line per applicant,
// "applicant,program1,program2,…" with the applicant's id or e-mail address
// and program ids in rank order, at most maxRanked programs. It returns the
// rows, or every problem found; err is set only when the stream fails.
func ParseRanks(r io.Reader, maxRanked int) (rows []RankRow, problems []Problem, err error) {
	br := bufio.NewReader(r)
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte{0xEF, 0xBB, 0xBF}) {
		_, _ = br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	for {
		rec, rerr := cr.Read()
		if errors.Is(rerr, io.EOF) {
			break
		}
		if rerr != nil {
			if pe := (*csv.ParseError)(nil); errors.As(rerr, &pe) {
				problems = append(problems, fielderr.NewCSVSyntax(pe.Err.Error()).At(pe.Line))
				break
			}
			return nil, nil, rerr
		}
		line, _ := cr.FieldPos(0)
		if len(rows)+len(problems) >= MaxRows {
			problems = append(problems, fielderr.NewTooManyRows(MaxRows).At(line))
			break
		}
		ref, bad, ok := parseRef(rec[0])
		if !ok {
			problems = append(problems, bad.At(line).Because("applicant %s", bad.Reason))
			continue
		}
		progs := make([]string, 0, len(rec)-1)
		for i, p := range rec[1:] {
			p = strings.TrimSpace(p)
			ok = false
			switch {
			case p == "":
				bad = fielderr.NewRequired("").Because("program %d is empty", i+1)
			case len(p) > MaxRef:
				bad = fielderr.NewTooLong("", MaxRef).Because("program %d is longer than %d characters", i+1, MaxRef)
			case slices.Contains(progs, p):
				bad = fielderr.NewDuplicate("").Because("program %d (%s) is ranked twice", i+1, p)
			default:
				ok = true
			}
			if !ok {
				break
			}
			progs = append(progs, p)
		}
		switch {
		case !ok:
			problems = append(problems, bad.At(line))
			continue
		case len(progs) == 0:
			problems = append(problems, fielderr.NewTooFew("", 1).At(line).Because("ranks no program: give program ids after the applicant"))
			continue
		case len(progs) > maxRanked:
			problems = append(problems, fielderr.NewTooMany("", maxRanked).At(line).Because("ranks %d programs; at most %d are allowed", len(progs), maxRanked))
			continue
		}
		ref.Line = line
		rows = append(rows, RankRow{Ref: ref, ProgramIDs: progs})
	}
	if len(problems) > 0 {
		return nil, problems, nil
	}
	if len(rows) == 0 {
		return nil, []Problem{fielderr.NewEmptyFile().At(1).Because("the file is empty: give one line per applicant, applicant,program1,program2,…")}, nil
	}
	return rows, nil, nil
}
