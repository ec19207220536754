package instancejson

import (
	"bytes"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// The lexer: tokens read in place from d.data.

func (d *decoder) skipSpace() {
	for d.pos < len(d.data) {
		switch d.data[d.pos] {
		case ' ', '\t', '\n', '\r':
			d.pos++
		default:
			return
		}
	}
}

// describe names what is at the current position, for messages.
func (d *decoder) describe() string {
	if d.pos >= len(d.data) {
		return "end of input"
	}
	switch c := d.data[d.pos]; {
	case c == '"':
		return "string"
	case c == '{':
		return "object"
	case c == '[':
		return "array"
	case c == '-' || isDigit(c):
		return "number"
	case bytes.HasPrefix(d.data[d.pos:], []byte("true")) || bytes.HasPrefix(d.data[d.pos:], []byte("false")):
		return "boolean"
	case bytes.HasPrefix(d.data[d.pos:], []byte("null")):
		return "null"
	case c < utf8.RuneSelf:
		return "character " + strconv.QuoteRune(rune(c))
	default:
		r, _ := utf8.DecodeRune(d.data[d.pos:])
		return "character " + strconv.QuoteRune(r)
	}
}

func (d *decoder) expect(c byte, want string) error {
	if d.pos < len(d.data) && d.data[d.pos] == c {
		d.pos++
		return nil
	}
	return d.errorAt(d.pos, "want %s, got %s", want, d.describe())
}

// literal consumes word (true, false or null) if it is next.
func (d *decoder) literal(word string) bool {
	if bytes.HasPrefix(d.data[d.pos:], []byte(word)) {
		d.pos += len(word)
		return true
	}
	return false
}

// nextField moves to the next key of an object whose '{' was consumed. It returns
// more=false after consuming the closing '}'.
func (d *decoder) nextField(first bool) (key []byte, keyAt int, more bool, err error) {
	d.skipSpace()
	if d.pos >= len(d.data) {
		return nil, 0, false, d.errorAt(d.pos, "unexpected end of input in object")
	}
	if d.data[d.pos] == '}' {
		d.pos++
		return nil, 0, false, nil
	}
	if !first {
		if err := d.expect(',', "',' or '}' after object field"); err != nil {
			return nil, 0, false, err
		}
		d.skipSpace()
		if d.pos < len(d.data) && d.data[d.pos] == '}' {
			return nil, 0, false, d.errorAt(d.pos, "trailing comma in object")
		}
	}
	keyAt = d.pos
	if d.pos >= len(d.data) || d.data[d.pos] != '"' {
		return nil, 0, false, d.errorAt(d.pos, "want a field name, got %s", d.describe())
	}
	key, err = d.str()
	if err != nil {
		return nil, 0, false, err
	}
	d.skipSpace()
	if err := d.expect(':', "':' after field name"); err != nil {
		return nil, 0, false, err
	}
	d.skipSpace()
	return key, keyAt, true, nil
}

// nextElem moves to the next element of an array whose '[' was consumed, leaving the
// position on the element. It returns more=false after consuming the closing ']'.
func (d *decoder) nextElem(first bool) (more bool, err error) {
	d.skipSpace()
	if d.pos >= len(d.data) {
		return false, d.errorAt(d.pos, "unexpected end of input in array")
	}
	if d.data[d.pos] == ']' {
		d.pos++
		return false, nil
	}
	if !first {
		if err := d.expect(',', "',' or ']' after array element"); err != nil {
			return false, err
		}
		d.skipSpace()
		if d.pos < len(d.data) && d.data[d.pos] == ']' {
			return false, d.errorAt(d.pos, "trailing comma in array")
		}
	}
	if d.pos >= len(d.data) {
		return false, d.errorAt(d.pos, "unexpected end of input in array")
	}
	return true, nil
}

// stringValue reads a string where one is required; f and want name it in errors.
func (d *decoder) stringValue(f field, want string) ([]byte, error) {
	if d.pos >= len(d.data) || d.data[d.pos] != '"' {
		return nil, d.errorAt(d.pos, "%v: want %s, got %s", f, want, d.describe())
	}
	return d.str()
}

// expectIn is expect for a value inside the instance, named by f in errors.
func (d *decoder) expectIn(c byte, f field, want string) error {
	if d.pos < len(d.data) && d.data[d.pos] == c {
		d.pos++
		return nil
	}
	return d.errorAt(d.pos, "%v: want %s, got %s", f, want, d.describe())
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

// str reads the string at the position (which holds '"'). Strings without escapes are
// returned in place; others are unescaped into d.buf. Invalid UTF-8 and control
// characters are errors; escaped lone surrogates become U+FFFD, as in encoding/json.
func (d *decoder) str() ([]byte, error) {
	start := d.pos + 1
	i := start
	for i < len(d.data) {
		c := d.data[i]
		if c == '"' {
			d.pos = i + 1
			return d.data[start:i], nil
		}
		if c == '\\' || c < 0x20 || c >= utf8.RuneSelf {
			return d.strSlow(start, i)
		}
		i++
	}
	return nil, d.errorAt(len(d.data), "unexpected end of input in string")
}

func (d *decoder) strSlow(start, i int) ([]byte, error) {
	d.buf = append(d.buf[:0], d.data[start:i]...)
	for i < len(d.data) {
		c := d.data[i]
		switch {
		case c == '"':
			d.pos = i + 1
			return d.buf, nil
		case c < 0x20:
			return nil, d.errorAt(i, "control character %s in string", strconv.QuoteRune(rune(c)))
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRune(d.data[i:])
			if r == utf8.RuneError && size == 1 {
				return nil, d.errorAt(i, "invalid UTF-8 in string")
			}
			d.buf = append(d.buf, d.data[i:i+size]...)
			i += size
		case c != '\\':
			d.buf = append(d.buf, c)
			i++
		default:
			if i+1 >= len(d.data) {
				return nil, d.errorAt(len(d.data), "unexpected end of input in string")
			}
			switch e := d.data[i+1]; e {
			case '"', '\\', '/':
				d.buf = append(d.buf, e)
			case 'b':
				d.buf = append(d.buf, '\b')
			case 'f':
				d.buf = append(d.buf, '\f')
			case 'n':
				d.buf = append(d.buf, '\n')
			case 'r':
				d.buf = append(d.buf, '\r')
			case 't':
				d.buf = append(d.buf, '\t')
			case 'u':
				r, ok := d.hex4(i + 2)
				if !ok {
					return nil, d.errorAt(i, "invalid \\u escape in string")
				}
				i += 6
				if utf16.IsSurrogate(r) {
					// A high surrogate followed by an escaped low one is one character.
					if r2, ok := d.hex4(i + 2); ok && i+1 < len(d.data) && d.data[i] == '\\' && d.data[i+1] == 'u' {
						if pair := utf16.DecodeRune(r, r2); pair != utf8.RuneError {
							d.buf = utf8.AppendRune(d.buf, pair)
							i += 6
							continue
						}
					}
					r = utf8.RuneError
				}
				d.buf = utf8.AppendRune(d.buf, r)
				continue
			default:
				return nil, d.errorAt(i, "invalid escape %s in string", strconv.Quote(string(d.data[i:i+2])))
			}
			i += 2
		}
	}
	return nil, d.errorAt(len(d.data), "unexpected end of input in string")
}

// hex4 reads four hex digits at offset at.
func (d *decoder) hex4(at int) (rune, bool) {
	if at+4 > len(d.data) {
		return 0, false
	}
	var r rune
	for _, c := range d.data[at : at+4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// number reads a JSON number and reports whether it has neither fraction nor exponent.
func (d *decoder) number() (num []byte, whole bool, err error) {
	start := d.pos
	i := d.pos
	if i < len(d.data) && d.data[i] == '-' {
		i++
	}
	digits := func() int {
		n := 0
		for i < len(d.data) && isDigit(d.data[i]) {
			i++
			n++
		}
		return n
	}
	switch {
	case i < len(d.data) && d.data[i] == '0':
		i++
	case digits() == 0:
		return nil, false, d.errorAt(i, "invalid number: want a digit, got %s", d.at(i))
	}
	whole = true
	if i < len(d.data) && d.data[i] == '.' {
		i++
		whole = false
		if digits() == 0 {
			return nil, false, d.errorAt(i, "invalid number: want a digit after '.', got %s", d.at(i))
		}
	}
	if i < len(d.data) && (d.data[i] == 'e' || d.data[i] == 'E') {
		i++
		whole = false
		if i < len(d.data) && (d.data[i] == '+' || d.data[i] == '-') {
			i++
		}
		if digits() == 0 {
			return nil, false, d.errorAt(i, "invalid number: want a digit in the exponent, got %s", d.at(i))
		}
	}
	d.pos = i
	return d.data[start:i], whole, nil
}

// at describes the byte at offset i.
func (d *decoder) at(i int) string {
	saved := d.pos
	d.pos = i
	s := d.describe()
	d.pos = saved
	return s
}

// skipValue checks and skips one value of any kind, for fields the format does not use.
func (d *decoder) skipValue(depth int) error {
	if depth > maxDepth {
		return d.errorAt(d.pos, "nested too deeply")
	}
	d.skipSpace()
	if d.pos >= len(d.data) {
		return d.errorAt(d.pos, "unexpected end of input, want a value")
	}
	switch c := d.data[d.pos]; {
	case c == '"':
		_, err := d.str()
		return err
	case c == '-' || isDigit(c):
		_, _, err := d.number()
		return err
	case c == '{':
		d.pos++
		for first := true; ; first = false {
			_, _, more, err := d.nextField(first)
			if err != nil || !more {
				return err
			}
			if err := d.skipValue(depth + 1); err != nil {
				return err
			}
		}
	case c == '[':
		d.pos++
		for first := true; ; first = false {
			more, err := d.nextElem(first)
			if err != nil || !more {
				return err
			}
			if err := d.skipValue(depth + 1); err != nil {
				return err
			}
		}
	case d.literal("true") || d.literal("false") || d.literal("null"):
		return nil
	}
	return d.errorAt(d.pos, "want a value, got %s", d.describe())
}
