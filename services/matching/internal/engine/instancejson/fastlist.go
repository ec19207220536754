package instancejson

import (
	"errors"
	"unicode/utf8"

	"github.com/go-json-experiment/json/jsontext"
)

// The fast pass. Reading a list of ids token by token through jsontext costs a few calls
// per id (PeekKind, ReadValue, a UTF-8 check, unquoting), and at 10× NRMP size (twenty
// million ids) that was the largest cost on the tokenizer's core. In the fast pass the
// tokenizer instead reads each preference list as one value, which jsontext checks in
// one call with the same options as the token-by-token reads, and then picks the ids out
// of the checked bytes itself: between two strings of a valid array there is only white
// space and a comma, so finding the ids needs no JSON grammar of its own.
//
// The fast pass words no errors. Anything it does not expect — a syntax error, a value
// that is not a string, invalid UTF-8, nesting in a tie group, an empty group, and every
// other problem the decoder finds anywhere — makes Decode start again in the exact pass
// (token by token), which finds the first problem in input order and words it. Errors
// are rare, so the second pass costs nothing in the common case, and a result of the fast
// pass is always the one the exact pass would give (FuzzDecodeFastPass checks this).

// errRetry is the fast pass giving up; Decode then decodes again in the exact pass.
var errRetry = errors.New("instancejson: retry in the exact pass")

// fastList reads the list next in the input — an array, or null for an empty one — as one
// value and returns its bytes with the offset where they start; ok is false for null.
func (d *decoder) fastList() (raw []byte, at int, ok bool, err error) {
	d.skipSpace()
	at = d.pos
	raw, err = d.dec.ReadValue()
	switch {
	case err != nil, len(raw) == 0:
		return nil, at, false, errRetry
	case raw[0] == 'n':
		return nil, at, false, nil
	case raw[0] != '[' || !utf8.Valid(raw):
		return nil, at, false, errRetry
	}
	return raw, at, true, nil
}

// skipSeparators returns the index of the next value or closing bracket in the checked
// array bytes raw at or after i.
func skipSeparators(raw []byte, i int) int {
	for {
		switch raw[i] {
		case ' ', '\t', '\n', '\r', ',':
			i++
			continue
		}
		return i
	}
}

// fastString returns the contents of the checked string that starts at raw[i] (its
// opening quote), unescaped into d.buf if it has escapes, and the index just past it.
func (d *decoder) fastString(raw []byte, i int) (s []byte, next int) {
	j := i + 1
	escaped := false
	for raw[j] != '"' {
		if raw[j] == '\\' {
			escaped = true
			j++ // the escaped character, which may be a quote
		}
		j++
	}
	if !escaped {
		return raw[i+1 : j], j + 1
	}
	d.buf, _ = jsontext.AppendUnquote(d.buf[:0], raw[i:j+1]) // checked by the tokenizer
	return d.buf, j + 1
}

// fastApplicantPrefs is applicantPrefs in the fast pass.
func (d *decoder) fastApplicantPrefs() error {
	raw, at, ok, err := d.fastList()
	if !ok {
		return err
	}
	for i := skipSeparators(raw, 1); raw[i] != ']'; i = skipSeparators(raw, i) {
		if raw[i] != '"' {
			return errRetry
		}
		var id []byte
		d.pos = at + i
		id, i = d.fastString(raw, i)
		d.push(refProgram, id)
		d.nAppRefs++
	}
	return nil
}

// fastProgramPrefs is programPrefs in the fast pass: ids, or tie groups of them.
func (d *decoder) fastProgramPrefs() (tied bool, err error) {
	raw, at, ok, err := d.fastList()
	if !ok {
		return false, err
	}
	rank := int32(0)
	for i := skipSeparators(raw, 1); raw[i] != ']'; i = skipSeparators(raw, i) {
		switch raw[i] {
		case '"':
			i = d.fastProgramRef(raw, at, i, rank)
		case '[':
			members := 0
			for i = skipSeparators(raw, i+1); raw[i] != ']'; i = skipSeparators(raw, i) {
				if raw[i] != '"' {
					return false, errRetry
				}
				i = d.fastProgramRef(raw, at, i, rank)
				members++
			}
			if members == 0 {
				return false, errRetry
			}
			tied = tied || members > 1
			i++ // the group's ']'
		default:
			return false, errRetry
		}
		rank++
	}
	return tied, nil
}

// fastProgramRef sends the applicant id whose string starts at raw[i] (raw is at offset at
// in the input) as an entry of rank, and returns the index just past it.
func (d *decoder) fastProgramRef(raw []byte, at, i int, rank int32) int {
	d.pos = at + i
	id, next := d.fastString(raw, i)
	d.push(refApplicant, id)
	d.nProgRefs++
	d.progRanks = append(d.progRanks, rank)
	return next
}

// fastCategories is applicantCategories in the fast pass.
func (d *decoder) fastCategories() error {
	raw, _, ok, err := d.fastList()
	if !ok {
		return err
	}
	for i := skipSeparators(raw, 1); raw[i] != ']'; i = skipSeparators(raw, i) {
		if raw[i] != '"' {
			return errRetry
		}
		var s []byte
		s, i = d.fastString(raw, i)
		d.pol.cats = append(d.pol.cats, d.pol.intern(s))
	}
	return nil
}
