package instancejson

import (
	"bytes"
	"errors"
	"io"
	"strconv"
	"unicode/utf8"

	"github.com/go-json-experiment/json/jsontext"
)

// Tokens come from jsontext's streaming decoder, which checks the syntax, UTF-8 and
// nesting; the methods below add what the format needs on top: positions for messages
// (d.pos, the offset of the next token), and errors that say what was wanted where.
//
// Two of jsontext's checks are left to the decoder. Repeated names: a repeated known field
// is reported with the field's own name, and unknown fields are skipped. UTF-8: escaped
// lone surrogates become U+FFFD, as in encoding/json, while raw invalid UTF-8 is rejected
// in every string (checkUTF8).

func newTokens(data []byte) *jsontext.Decoder {
	return jsontext.NewDecoder(bytes.NewBuffer(data),
		jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true))
}

// readString reads the string token next in the input (a value or a name) and checks
// that it is valid UTF-8.
func (d *decoder) readString() (jsontext.Value, error) {
	v, err := d.dec.ReadValue()
	if err != nil {
		return nil, d.syntax(err)
	}
	if !utf8.Valid(v) {
		at := int(d.dec.InputOffset()) - len(v)
		for i := 0; i < len(v); {
			r, n := utf8.DecodeRune(v[i:])
			if r == utf8.RuneError && n == 1 {
				return nil, d.errorAt(at+i, "invalid UTF-8 in string")
			}
			i += n
		}
	}
	return v, nil
}

// skipSpace sets d.pos to the start of the next token.
func (d *decoder) skipSpace() {
	d.pos = nextToken(d.data, int(d.dec.InputOffset()))
}

// nextToken returns the start of the first token at or after offset i: past white space
// and the ',' or ':' that separate tokens.
func nextToken(data []byte, i int) int {
	for i < len(data) {
		switch data[i] {
		case ' ', '\t', '\n', '\r', ',', ':':
			i++
			continue
		}
		break
	}
	return i
}

// syntax turns an error of the tokenizer into an InputError at the offset it names.
func (d *decoder) syntax(err error) error {
	var se *jsontext.SyntacticError
	switch {
	case errors.As(err, &se):
		msg := "invalid JSON"
		if se.Err != nil {
			msg = se.Err.Error()
		}
		if errors.Is(se.Err, io.ErrUnexpectedEOF) {
			msg = "unexpected end of input"
		}
		return d.errorAt(min(int(se.ByteOffset), len(d.data)), "%s", msg)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return d.errorAt(len(d.data), "unexpected end of input")
	}
	d.skipSpace()
	return d.errorAt(d.pos, "%v", err)
}

// wrong reports that the next token is not what the format wants there; prefix names the
// place ("programs[0].capacity: ") or is empty. A token that is not valid JSON is
// reported as such.
func (d *decoder) wrong(prefix, want string) error {
	d.skipSpace()
	got := kindName(d.dec.PeekKind())
	if got == "" {
		_, err := d.dec.ReadToken()
		if !errors.Is(err, io.EOF) {
			return d.syntax(err)
		}
		got = "end of input"
	}
	return d.errorAt(d.pos, "%swant %s, got %s", prefix, want, got)
}

func kindName(k jsontext.Kind) string {
	switch k {
	case '"':
		return "string"
	case '0':
		return "number"
	case '{':
		return "object"
	case '[':
		return "array"
	case 't', 'f':
		return "boolean"
	case 'n':
		return "null"
	}
	return ""
}

// describe names the next token, for messages.
func (d *decoder) describe() string {
	if s := kindName(d.dec.PeekKind()); s != "" {
		return s
	}
	return "end of input"
}

// expect consumes the delimiter c ('{' or '[') or reports that want was wanted.
func (d *decoder) expect(c byte, want string) error {
	if ok, err := d.delim(c); ok || err != nil {
		return err
	}
	return d.wrong("", want)
}

// expectIn is expect for a value inside the instance, named by f in errors.
func (d *decoder) expectIn(c byte, f field, want string) error {
	if ok, err := d.delim(c); ok || err != nil {
		return err
	}
	return d.wrong(f.String()+": ", want)
}

// delim consumes the delimiter c if it is next.
func (d *decoder) delim(c byte) (bool, error) {
	if d.dec.PeekKind() != jsontext.Kind(c) {
		return false, nil
	}
	if _, err := d.dec.ReadToken(); err != nil {
		return false, d.syntax(err)
	}
	return true, nil
}

// null consumes a null if it is next.
func (d *decoder) null() (bool, error) {
	if d.dec.PeekKind() != 'n' {
		return false, nil
	}
	if _, err := d.dec.ReadToken(); err != nil {
		return false, d.syntax(err)
	}
	return true, nil
}

// nextField moves to the next key of an object whose '{' was consumed and returns it,
// valid until the next read, with d.pos on its value. It returns more=false after
// consuming the closing '}'.
func (d *decoder) nextField() (key []byte, keyAt int, more bool, err error) {
	switch d.dec.PeekKind() {
	case '}':
		if _, err := d.dec.ReadToken(); err != nil {
			return nil, 0, false, d.syntax(err)
		}
		return nil, 0, false, nil
	case 0:
		_, err := d.dec.ReadToken()
		return nil, 0, false, d.syntax(err)
	}
	d.skipSpace()
	keyAt = d.pos
	v, err := d.readString()
	if err != nil {
		return nil, 0, false, err
	}
	key = d.unquote(v)
	d.skipSpace()
	return key, keyAt, true, nil
}

// nextElem moves to the next element of an array whose '[' was consumed (d.pos is not
// updated; call skipSpace for it). It returns more=false after consuming the closing ']'.
func (d *decoder) nextElem() (more bool, err error) {
	switch d.dec.PeekKind() {
	case ']':
		if _, err := d.dec.ReadToken(); err != nil {
			return false, d.syntax(err)
		}
		return false, nil
	case 0:
		_, err := d.dec.ReadToken()
		return false, d.syntax(err)
	}
	return true, nil
}

// stringValue reads a string where one is required, leaving d.pos at its start; f and
// want name it in errors. The bytes are valid until the next read.
func (d *decoder) stringValue(f field, want string) ([]byte, error) {
	if d.dec.PeekKind() != '"' {
		return nil, d.wrong(f.String()+": ", want)
	}
	v, err := d.readString()
	if err != nil {
		return nil, err
	}
	d.pos = int(d.dec.InputOffset()) - len(v)
	return d.unquote(v), nil
}

// unquote returns the contents of a string token: in place without escapes, else
// unescaped into d.buf (escaped lone surrogates become U+FFFD).
func (d *decoder) unquote(v jsontext.Value) []byte {
	s := v[1 : len(v)-1]
	if bytes.IndexByte(s, '\\') < 0 {
		return s
	}
	d.buf, _ = jsontext.AppendUnquote(d.buf[:0], v) // v was validated by the tokenizer
	return d.buf
}

// skipValue skips the next value of any kind, bounding its nesting at maxDepth.
func (d *decoder) skipValue() error {
	for depth := 0; ; {
		switch d.dec.PeekKind() {
		case '{', '[':
			if depth++; depth > maxDepth {
				d.skipSpace()
				return d.errorAt(d.pos, "nested too deeply")
			}
		case '}', ']':
			depth--
		case '"': // a string value or a name
			if _, err := d.readString(); err != nil {
				return err
			}
			if depth == 0 {
				return nil
			}
			continue
		}
		if _, err := d.dec.ReadToken(); err != nil {
			return d.syntax(err)
		}
		if depth == 0 {
			return nil
		}
	}
}

// end checks that nothing but white space follows the instance object.
func (d *decoder) end() error {
	d.skipSpace()
	if d.dec.PeekKind() != 0 {
		return d.errorAt(d.pos, "unexpected %s after the instance object", d.describe())
	}
	if _, err := d.dec.ReadToken(); !errors.Is(err, io.EOF) {
		return d.syntax(err)
	}
	return nil
}

// elementAt finds the offset of the k-th id in the (already validated) list at offset at,
// counting ids inside tie groups one by one. Errors are rare, so positions of list entries
// are found again here instead of being stored for every entry.
func (d *decoder) elementAt(at, k int) int {
	dec := newTokens(d.data[at:])
	if _, err := dec.ReadToken(); err != nil { // the list's '['
		return at
	}
	for dec.StackDepth() > 0 {
		start := at + nextToken(d.data[at:], int(dec.InputOffset()))
		tok, err := dec.ReadToken()
		if err != nil {
			return at
		}
		if tok.Kind() == '"' {
			if k == 0 {
				return start
			}
			k--
		}
	}
	return at
}

// field names a place in the instance for messages, such as applicants[3].prefs[2]. It is
// formatted only when an error is reported, keeping formatting out of the hot loops.
type field struct {
	list string // "applicants", "programs" or "notes"
	i    int
	name string // field within the element, or ""
	k    int    // index within that field, or -1
}

func (f field) String() string {
	s := f.list + "[" + strconv.Itoa(f.i) + "]"
	if f.name != "" {
		s += "." + f.name
	}
	if f.k >= 0 {
		s += "[" + strconv.Itoa(f.k) + "]"
	}
	return s
}
