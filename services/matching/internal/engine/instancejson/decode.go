package instancejson

import (
	"bytes"
	"fmt"
	"math"
	"strconv"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/talentbridge/platform/services/matching/internal/engine"
)

// InputError is a problem with the input at a byte offset.
type InputError struct {
	Offset       int // 0-based byte offset
	Line, Column int // 1-based; the column counts bytes
	Msg          string
}

func (e *InputError) Error() string {
	return fmt.Sprintf("line %d, column %d (byte %d): %s", e.Line, e.Column, e.Offset, e.Msg)
}

func (d *decoder) errorAt(offset int, format string, args ...any) error {
	line, column := d.lineColumn(offset)
	return &InputError{Offset: offset, Line: line, Column: column, Msg: fmt.Sprintf(format, args...)}
}

// lineColumn locates an offset; it is computed only for errors, so it may scan.
func (d *decoder) lineColumn(offset int) (line, column int) {
	line = 1 + bytes.Count(d.data[:offset], []byte{'\n'})
	column = offset + 1
	if nl := bytes.LastIndexByte(d.data[:offset], '\n'); nl >= 0 {
		column = offset - nl
	}
	return line, column
}

// maxDepth bounds nesting in skipped values, so hostile input cannot exhaust the stack.
const maxDepth = 1000

type rawNote struct {
	app, prog int32 // symbols
	text      string
	at        int
}

type decoder struct {
	data []byte
	dec  *jsontext.Decoder
	pos  int    // offset of the next token (set by skipSpace and nextField) or of the string just read
	buf  []byte // unescaped string, valid until the next string is read

	apps, progs *symbols

	// Applicant i's id is apps.name(appSym[i]) and its prefs are program symbols
	// appRefs[appList[i]:appList[i+1]]; appListAt[i] is the offset of the prefs array.
	appSym, appList, appListAt []int32
	appRefs                    []int32

	// Program i likewise; progRanks holds the tie-group rank of every entry.
	progSym, progList, progListAt []int32
	progCap                       []int
	progTied                      []bool
	progRefs, progRanks           []int32

	notes []rawNote

	// The interner on a second core (intern.go): while it runs, the tokenizer leaves
	// apps, progs, appSym, progSym, appRefs and progRefs to it and counts the references
	// it has sent in nAppRefs and nProgRefs.
	work, free          chan *batch
	stopped             chan struct{} // closed when the interner returns
	cur                 *batch        // being filled by the tokenizer
	hashes              []uint64
	touched             uint64
	werr                error // the interner's error, read after sync
	nAppRefs, nProgRefs int

	pol policyData // categories, reserves, targets and regions (policy.go)

	fast bool // the fast pass (fastlist.go): lists are read whole, and any problem is errRetry
}

// Decode parses an instance. Its seed is left zero for the caller to set.
//
// It decodes in the fast pass first (fastlist.go); if that meets any problem, it decodes
// again in the exact pass, which reports the first problem in the input.
func Decode(data []byte) (*engine.Instance, error) {
	if len(data) >= math.MaxInt32 {
		return nil, newDecoder(nil).errorAt(0, "input larger than 2 GiB")
	}
	if in, err := decode(data, true); err == nil {
		return in, nil
	}
	return decode(data, false)
}

// decode is one pass of Decode, the fast one if fast is set.
func decode(data []byte, fast bool) (*engine.Instance, error) {
	d := newDecoder(data)
	d.fast = fast
	d.startInterner()
	err := d.instance()
	if werr := d.stopInterner(); werr != nil {
		return nil, werr // earlier in the input than err: see intern.go
	}
	if err != nil {
		return nil, err
	}
	return d.resolve()
}

// newDecoder prepares to decode data. A large instance holds about one id per 9 bytes,
// half on each side; reserving room up front avoids regrowing the reference arrays. The
// symbol tables are sized for the NRMP shape (about 400 bytes per applicant, 3,000 per
// program) and grow if needed.
func newDecoder(data []byte) *decoder {
	refs := len(data) / 20
	nA, nP := len(data)/400, len(data)/3000
	d := &decoder{
		data:       data,
		dec:        newTokens(data),
		apps:       newSymbols("applicant", nA),
		progs:      newSymbols("program", nP),
		appSym:     make([]int32, 0, nA),
		appList:    append(make([]int32, 0, nA+1), 0),
		appListAt:  make([]int32, 0, nA),
		pol:        policyData{catOff: append(make([]int32, 0, nA+1), 0)},
		progSym:    make([]int32, 0, nP),
		progList:   append(make([]int32, 0, nP+1), 0),
		progListAt: make([]int32, 0, nP),
		appRefs:    make([]int32, 0, refs),
		progRefs:   make([]int32, 0, refs),
	}
	d.progRanks = make([]int32, 0, refs)
	return d
}

func (d *decoder) instance() error {
	d.skipSpace()
	if err := d.expect('{', "an instance object"); err != nil {
		return err
	}
	var seen [4]bool
	for {
		key, keyAt, more, err := d.nextField()
		if err != nil {
			return err
		}
		if !more {
			break
		}
		var parse func() error
		var slot int
		switch string(key) {
		case "applicants":
			parse, slot = d.applicants, 0
		case "programs":
			parse, slot = d.programs, 1
		case "notes":
			parse, slot = d.parseNotes, 2 // it looks ids up itself, after a sync
		case "regions":
			parse, slot = d.parseRegions, 3
		default:
			if err := d.skipValue(); err != nil {
				return err
			}
			continue
		}
		if seen[slot] {
			return d.errorAt(keyAt, "duplicate field %q", key)
		}
		seen[slot] = true
		if err := parse(); err != nil {
			return err
		}
	}
	return d.end()
}

// list walks an array (or null, treated as empty), calling elem for each element.
func (d *decoder) list(what string, elem func(i int) error) error {
	if null, err := d.null(); null || err != nil {
		return err
	}
	if err := d.expect('[', what); err != nil {
		return err
	}
	for i := 0; ; i++ {
		more, err := d.nextElem()
		if err != nil || !more {
			return err
		}
		if err := elem(i); err != nil {
			return err
		}
	}
}

func (d *decoder) applicants() error {
	return d.list("an array of applicants", func(i int) error {
		f := field{"applicants", i, "", -1}
		hasID, hasPrefs, hasCats := false, false, false
		listAt := int32(-1)
		objAt, err := d.object(f, func(key []byte, keyAt int) (bool, error) {
			switch string(key) {
			case "id":
				if err := d.once(&hasID, f, "id", keyAt); err != nil {
					return true, err
				}
				return true, d.define(defApplicant, field{"applicants", i, "id", -1})
			case "prefs":
				if err := d.once(&hasPrefs, f, "prefs", keyAt); err != nil {
					return true, err
				}
				d.skipSpace()
				listAt = int32(d.pos)
				if d.fast {
					return true, d.fastApplicantPrefs()
				}
				return true, d.applicantPrefs(i)
			case "categories":
				if err := d.once(&hasCats, f, "categories", keyAt); err != nil {
					return true, err
				}
				if d.fast {
					return true, d.fastCategories()
				}
				return true, d.applicantCategories(i)
			}
			return false, nil
		})
		if err != nil {
			return err
		}
		if !hasID {
			return d.errorAt(objAt, "applicants[%d]: missing \"id\"", i)
		}
		d.appList = append(d.appList, int32(d.nAppRefs))
		d.appListAt = append(d.appListAt, listAt)
		d.pol.catOff = append(d.pol.catOff, int32(len(d.pol.cats)))
		return nil
	})
}

// object reads the object next in the input, element f of a list, calling each with
// every field's key and the key's offset: each reads the value of a field it knows and
// answers known=false for any other, whose value is skipped. It returns the offset of
// the object, for messages about it as a whole.
func (d *decoder) object(f field, each func(key []byte, keyAt int) (known bool, err error)) (objAt int, err error) {
	d.skipSpace()
	objAt = d.pos
	if err := d.expectIn('{', f, "an object"); err != nil {
		return objAt, err
	}
	for {
		key, keyAt, more, err := d.nextField()
		if err != nil || !more {
			return objAt, err
		}
		known, err := each(key, keyAt)
		if err == nil && !known {
			err = d.skipValue()
		}
		if err != nil {
			return objAt, err
		}
	}
}

// once records that field name of object f has been read, or reports that it came twice.
func (d *decoder) once(seen *bool, f field, name string, keyAt int) error {
	if *seen {
		return d.errorAt(keyAt, "%v: duplicate field %q", f, name)
	}
	*seen = true
	return nil
}

// define reads an id string and sends it to the interner as the definition of the next
// applicant or program (kind); the interner reports a duplicate.
func (d *decoder) define(kind opKind, f field) error {
	id, err := d.nonEmpty(f, "an id string", "id")
	if err == nil {
		d.push(kind, id)
	}
	return err
}

// nonEmpty reads a string that may not be empty, for field f; want and what name it in
// errors. Like stringValue, it leaves d.pos at the string.
func (d *decoder) nonEmpty(f field, want, what string) ([]byte, error) {
	d.skipSpace()
	at := d.pos
	s, err := d.stringValue(f, want)
	if err == nil && len(s) == 0 {
		err = d.errorAt(at, "%v: empty %s", f, what)
	}
	return s, err
}

// applicantPrefs reads an applicant's list of program ids; it is the hot loop for large
// instances, so it reads strings directly rather than through list's callback.
func (d *decoder) applicantPrefs(i int) error {
	if null, err := d.null(); null || err != nil {
		return err
	}
	if err := d.expectIn('[', field{"applicants", i, "prefs", -1}, "an array"); err != nil {
		return err
	}
	for k := 0; ; k++ {
		more, err := d.nextElem()
		if err != nil || !more {
			return err
		}
		id, err := d.stringValue(field{"applicants", i, "prefs", k}, "a program id string")
		if err != nil {
			return err
		}
		d.push(refProgram, id)
		d.nAppRefs++
	}
}

func (d *decoder) programs() error {
	return d.list("an array of programs", func(i int) error {
		f := field{"programs", i, "", -1}
		hasID, hasCap, hasPrefs, tied := false, false, false, false
		capacity := 0
		listAt := int32(-1)
		pol := programPolicy{region: -1, target: -1}
		objAt, err := d.object(f, func(key []byte, keyAt int) (_ bool, err error) {
			switch string(key) {
			case "id":
				if err := d.once(&hasID, f, "id", keyAt); err != nil {
					return true, err
				}
				return true, d.define(defProgram, field{"programs", i, "id", -1})
			case "capacity":
				if err := d.once(&hasCap, f, "capacity", keyAt); err != nil {
					return true, err
				}
				capacity, err = d.capacity(i)
				return true, err
			case "prefs":
				if err := d.once(&hasPrefs, f, "prefs", keyAt); err != nil {
					return true, err
				}
				d.skipSpace()
				listAt = int32(d.pos)
				if d.fast {
					tied, err = d.fastProgramPrefs()
				} else {
					tied, err = d.programPrefs(i)
				}
				return true, err
			case "reserves", "reserveOrder", "region", "target":
				return true, d.programPolicyField(i, string(key), keyAt, &pol)
			}
			return false, nil
		})
		if err != nil {
			return err
		}
		pol.at = int32(objAt)
		if !hasID {
			return d.errorAt(objAt, "programs[%d]: missing \"id\"", i)
		}
		if !hasCap {
			return d.errorAt(objAt, "programs[%d]: missing \"capacity\"", i)
		}
		d.progList = append(d.progList, int32(d.nProgRefs))
		d.progListAt = append(d.progListAt, listAt)
		d.progCap = append(d.progCap, capacity)
		d.progTied = append(d.progTied, tied)
		d.pol.programs = append(d.pol.programs, pol)
		return nil
	})
}

// programPrefs reads a program's order: applicant ids, or arrays of them for tie groups.
// It reports whether any group had more than one member.
func (d *decoder) programPrefs(i int) (tied bool, err error) {
	if null, err := d.null(); null || err != nil {
		return false, err
	}
	if err := d.expectIn('[', field{"programs", i, "prefs", -1}, "an array"); err != nil {
		return false, err
	}
	for rank := int32(0); ; rank++ {
		more, err := d.nextElem()
		if err != nil || !more {
			return tied, err
		}
		if d.dec.PeekKind() != '[' {
			if err := d.programRef(i, rank); err != nil {
				return false, err
			}
			continue
		}
		d.skipSpace()
		groupAt := d.pos
		if _, err := d.dec.ReadToken(); err != nil {
			return false, d.syntax(err)
		}
		members := 0
		for {
			more, err := d.nextElem()
			if err != nil {
				return false, err
			}
			if !more {
				break
			}
			if d.dec.PeekKind() == '[' {
				d.skipSpace()
				return false, d.errorAt(d.pos, "programs[%d].prefs[%d]: tie groups cannot nest", i, rank)
			}
			if err := d.programRef(i, rank); err != nil {
				return false, err
			}
			members++
		}
		if members == 0 {
			return false, d.errorAt(groupAt, "programs[%d].prefs[%d]: empty tie group", i, rank)
		}
		tied = tied || members > 1
	}
}

func (d *decoder) programRef(i int, rank int32) error {
	id, err := d.stringValue(field{"programs", i, "prefs", int(rank)}, "an applicant id string or a tie group")
	if err != nil {
		return err
	}
	d.push(refApplicant, id)
	d.nProgRefs++
	d.progRanks = append(d.progRanks, rank)
	return nil
}

// capacity reads a whole, non-negative number of seats.
func (d *decoder) capacity(i int) (int, error) {
	return d.count(field{"programs", i, "capacity", -1}, "capacity")
}

// count reads a whole, non-negative number for field f; what names it in messages.
func (d *decoder) count(f field, what string) (int, error) {
	d.skipSpace()
	at := d.pos
	if d.dec.PeekKind() != '0' {
		return 0, d.wrong(f.String()+": ", "a number")
	}
	num, err := d.dec.ReadValue()
	if err != nil {
		return 0, d.syntax(err)
	}
	if bytes.ContainsAny(num, ".eE") {
		return 0, d.errorAt(at, "%v: %s is not a whole number", f, num)
	}
	if num[0] == '-' {
		if string(num) == "-0" {
			return 0, nil
		}
		return 0, d.errorAt(at, "%v: negative %s %s", f, what, num)
	}
	n, err := strconv.ParseInt(string(num), 10, 32)
	if err != nil {
		return 0, d.errorAt(at, "%v: %s is too large", f, num)
	}
	return int(n), nil
}

func (d *decoder) parseNotes() error {
	if err := d.sync(); err != nil {
		return err
	}
	return d.list("an array of notes", func(i int) error {
		f := field{"notes", i, "", -1}
		n := rawNote{app: -1, prog: -1}
		hasApp, hasProg, hasReason := false, false, false
		objAt, err := d.object(f, func(key []byte, keyAt int) (bool, error) {
			name := string(key)
			var seen *bool
			switch name {
			case "applicant":
				seen = &hasApp
			case "program":
				seen = &hasProg
			case "reason":
				seen = &hasReason
			default:
				return false, nil
			}
			if err := d.once(seen, f, name, keyAt); err != nil {
				return true, err
			}
			d.skipSpace()
			at := d.pos
			s, err := d.stringValue(field{"notes", i, name, -1}, "a string")
			if err != nil {
				return true, err
			}
			switch name {
			case "applicant":
				n.app = d.apps.ref(s, at)
			case "program":
				n.prog = d.progs.ref(s, at)
			default:
				n.text = string(s)
			}
			return true, nil
		})
		n.at = objAt
		switch {
		case err != nil:
			return err
		case !hasApp:
			return d.errorAt(objAt, "notes[%d]: missing \"applicant\"", i)
		case !hasProg:
			return d.errorAt(objAt, "notes[%d]: missing \"program\"", i)
		case !hasReason:
			return d.errorAt(objAt, "notes[%d]: missing \"reason\"", i)
		}
		d.notes = append(d.notes, n)
		return nil
	})
}

// resolve turns symbols into indices and checks what needs the whole input: every
// referenced id defined, no list naming the same id twice, one note per pair.
func (d *decoder) resolve() (*engine.Instance, error) {
	for _, s := range []*symbols{d.progs, d.apps} {
		unknown := -1
		for sym, def := range s.def {
			if def < 0 && (unknown < 0 || s.firstRef[sym] < s.firstRef[unknown]) {
				unknown = sym
			}
		}
		if unknown >= 0 {
			return nil, d.errorAt(int(s.firstRef[unknown]), "unknown %s id %s", s.kind, strconv.Quote(s.name(int32(unknown))))
		}
	}

	appNames, progNames := d.apps.names(), d.progs.names()
	in := &engine.Instance{
		Applicants: make([]engine.Applicant, len(d.appSym)),
		Programs:   make([]engine.Program, len(d.progSym)),
	}
	// The two sides' lists resolve independently, each with its own scattered reads, so
	// the programs' run on a second core; if both fail, the applicants' error is the one
	// reported, as when they ran one after the other.
	var progPrefs [][]int
	var progErr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		progPrefs, progErr = d.lists(d.progList, d.progListAt, d.progRefs, d.apps.def, len(d.appSym), appNames, "programs", "applicant")
	}()
	appPrefs, err := d.lists(d.appList, d.appListAt, d.appRefs, d.progs.def, len(d.progSym), progNames, "applicants", "program")
	<-done
	if err == nil {
		err = progErr
	}
	if err != nil {
		return nil, err
	}
	for i, sym := range d.appSym {
		in.Applicants[i] = engine.Applicant{ID: appNames[sym], Prefs: appPrefs[i]}
	}
	for i, sym := range d.progSym {
		lo, hi := d.progList[i], d.progList[i+1]
		prefs := progPrefs[i]
		var ranks []int
		if d.progTied[i] {
			ranks = make([]int, hi-lo)
			for k, r := range d.progRanks[lo:hi] {
				ranks[k] = int(r)
			}
		}
		in.Programs[i] = engine.Program{ID: progNames[sym], Capacity: d.progCap[i], Prefs: prefs, Ranks: ranks}
	}
	if err := d.resolvePolicies(in); err != nil {
		return nil, err
	}

	if len(d.notes) > 0 {
		seen := make(map[[2]int32]bool, len(d.notes))
		for _, n := range d.notes {
			a, p := d.apps.def[n.app], d.progs.def[n.prog]
			if seen[[2]int32{a, p}] {
				return nil, d.errorAt(n.at, "second note for applicant %s and program %s",
					strconv.Quote(appNames[n.app]), strconv.Quote(progNames[n.prog]))
			}
			seen[[2]int32{a, p}] = true
			in.Notes = append(in.Notes, engine.Note{Applicant: int(a), Program: int(p), Text: n.text})
		}
	}
	return in, nil
}

// lists resolves one side's rank lists (refs[list[i]:list[i+1]] for list
// i, whose array starts at offset listAt[i]) to indices of the other
// side's definitions, all in one backing array; a name listed twice in one
// list is an error naming side, the list and the other side's item.
func (d *decoder) lists(list, listAt, refs, def []int32, others int, otherNames []string, side, item string) ([][]int, error) {
	backing := make([]int, len(refs))
	stamp := make([]int32, others) // stamp[x] == i+1: x is already in list i
	out := make([][]int, len(list)-1)
	// When the other side's items were all defined before anything referred to them, as
	// applicants are when they come first in the input, symbol s is item s, and skipping
	// the scattered read of def saves a cache miss per entry at 10× NRMP size.
	identity := true
	for s, x := range def {
		if x != int32(s) {
			identity = false
			break
		}
	}
	for i := range out {
		lo, hi := list[i], list[i+1]
		prefs := backing[lo:hi:hi]
		for k, ref := range refs[lo:hi] {
			x := ref
			if !identity {
				x = def[ref]
			}
			if stamp[x] == int32(i+1) {
				return nil, d.errorAt(d.elementAt(int(listAt[i]), k), "%s[%d].prefs: %s %s listed twice",
					side, i, item, strconv.Quote(otherNames[ref]))
			}
			stamp[x] = int32(i + 1)
			prefs[k] = int(x)
		}
		out[i] = prefs
	}
	return out, nil
}
