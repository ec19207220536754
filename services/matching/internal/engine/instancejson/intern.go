package instancejson

import (
	"strconv"
)

// Decoding runs on two cores. The tokenizer (this goroutine) reads the input and sends
// every id it meets, in input order, to the interner (a second goroutine) in batches; the
// interner looks each one up in the symbol tables and records definitions and
// references. At 10× NRMP size the two halves of the work cost about the same.
//
// Within a batch the interner hashes every id first, then touches each id's slot in a
// tight loop, then does the lookups: nearly every lookup in a large instance misses the
// cache (the applicant table alone is 16 MiB), and this way many of those fetches are in
// flight at once instead of each waiting for the last.
//
// Errors stay those of a single pass. The interner finds only duplicate definitions; it
// stops at the first, which lies before anything the tokenizer had read by then, so when
// both fail the interner's error is the one a single pass would have met first.

// opKind says what an id sent to the interner is.
type opKind uint8

const (
	refProgram   opKind = iota // in an applicant's prefs
	refApplicant               // in a program's prefs
	defApplicant               // an applicant's id
	defProgram                 // a program's id
)

// op is one id for the interner, read at offset at.
type op struct {
	id   []byte // in the input, or in the batch's arena
	at   int32
	kind opKind
}

// batch is a run of ops; arena holds the ids that had escapes (the tokenizer unescapes
// into a buffer it reuses). done, when set, is closed once the batch is interned.
type batch struct {
	ops   []op
	arena []byte
	done  chan struct{}
}

// batchSize bounds a batch so that the slots it touches stay in cache until looked up.
const batchSize = 2048

// startInterner starts the interner with three batches in circulation: one being
// filled, one being interned, one spare.
func (d *decoder) startInterner() {
	d.work = make(chan *batch, 3)
	d.free = make(chan *batch, 3)
	for range 2 {
		d.free <- &batch{ops: make([]op, 0, batchSize)}
	}
	d.cur = &batch{ops: make([]op, 0, batchSize)}
	d.stopped = make(chan struct{})
	go d.interner()
}

// interner interns batches until the work channel closes.
func (d *decoder) interner() {
	defer close(d.stopped)
	for b := range d.work {
		if d.werr == nil {
			d.werr = d.internBatch(b)
		}
		done := b.done
		b.ops, b.arena, b.done = b.ops[:0], b.arena[:0], nil
		d.free <- b
		if done != nil {
			close(done)
		}
	}
}

// push sends the id just read by stringValue (at d.pos) to the interner.
func (d *decoder) push(kind opKind, id []byte) {
	b := d.cur
	if len(id) > 0 && len(d.buf) > 0 && &id[0] == &d.buf[0] { // unescaped into d.buf
		start := len(b.arena)
		b.arena = append(b.arena, id...)
		id = b.arena[start:len(b.arena):len(b.arena)]
	}
	b.ops = append(b.ops, op{id, int32(d.pos), kind})
	if len(b.ops) == batchSize {
		d.send(nil)
	}
}

// send hands the current batch to the interner and takes a free one.
func (d *decoder) send(done chan struct{}) {
	d.cur.done = done
	d.work <- d.cur
	d.cur = <-d.free
}

// sync waits until the interner has interned everything sent so far and returns its
// error. Until the tokenizer sends more, it may use the symbol tables itself.
func (d *decoder) sync() error {
	done := make(chan struct{})
	d.send(done)
	<-done
	return d.werr
}

// stopInterner syncs, ends the interner, waits for it to return and returns its error.
func (d *decoder) stopInterner() error {
	err := d.sync()
	close(d.work)
	<-d.stopped
	return err
}

// internBatch interns one batch in order; see the comment at the top for its three passes.
func (d *decoder) internBatch(b *batch) error {
	table := func(k opKind) *symbols {
		if k == refProgram || k == defProgram {
			return d.progs
		}
		return d.apps
	}
	hs := d.hashes[:0]
	for _, o := range b.ops {
		hs = append(hs, table(o.kind).hash(o.id))
	}
	d.hashes = hs
	var touch uint64
	for k, o := range b.ops {
		s := table(o.kind)
		touch |= s.slots[hs[k]&uint64(len(s.slots)-1)].meta
	}
	d.touched += touch & 1 // keeps the loads from being optimised away
	for k, o := range b.ops {
		switch o.kind {
		case refProgram:
			d.appRefs = append(d.appRefs, d.progs.refHashed(o.id, hs[k], o.at))
		case refApplicant:
			d.progRefs = append(d.progRefs, d.apps.refHashed(o.id, hs[k], o.at))
		case defApplicant:
			if err := d.defineHashed(d.apps, &d.appSym, o, hs[k]); err != nil {
				return err
			}
		case defProgram:
			if err := d.defineHashed(d.progs, &d.progSym, o, hs[k]); err != nil {
				return err
			}
		}
	}
	return nil
}

// defineHashed records o's id, hashed h, as the definition of the next applicant or
// program, whose symbols are syms; a second definition is an error.
func (d *decoder) defineHashed(s *symbols, syms *[]int32, o op, h uint64) error {
	sym, _ := s.internHashed(o.id, h)
	if s.def[sym] >= 0 {
		line, column := d.lineColumn(int(s.defAt[sym]))
		return d.errorAt(int(o.at), "duplicate %s id %s (first at line %d, column %d)", s.kind, strconv.Quote(string(o.id)), line, column)
	}
	s.def[sym] = int32(len(*syms))
	s.defAt[sym] = o.at
	*syms = append(*syms, sym)
	return nil
}
