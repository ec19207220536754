package instancejson

import (
	"bytes"
	"encoding/binary"
	"hash/maphash"
)

// symbols interns the ids of one namespace (applicants or programs). An id may be
// referenced before it is defined: programs can come after the applicants that rank them.
//
// It is an open-addressing hash table rather than a Go map: a large instance looks up two
// million ids in random order, and with a map most of the time went to cache misses on
// scattered keys. A slot holds upper hash bits, the id's length, the symbol and the id's
// first 8 bytes, so a lookup of an id of up to 8 bytes touches nothing but its slot;
// longer ids compare their remaining bytes in the arena, where names live contiguously.
type symbols struct {
	kind  string // "applicant" or "program", for messages
	seed  maphash.Seed
	slots []slot
	arena []byte
	off   []int32 // symbol s is arena[off[s]:off[s+1]]

	def      []int32 // index of the defining applicant or program, or -1
	defAt    []int32 // offset of the definition
	firstRef []int32 // offset of the first reference, or -1
}

// slot is one entry of the table: meta is tag<<40 | length<<32 | symbol+1 (0: empty),
// with the top 24 hash bits as tag and the length capped at 255; head is the id's first
// 8 bytes, little-endian, zero-padded.
type slot struct {
	meta, head uint64
}

func newSymbols(kind string, sizeHint int) *symbols {
	n := 1024
	for n < 2*sizeHint {
		n *= 2
	}
	// The per-symbol arrays are sized for the hint too: grown by doubling, their copies
	// cost as much as filling them.
	s := &symbols{
		kind:     kind,
		seed:     maphash.MakeSeed(),
		slots:    make([]slot, n),
		arena:    make([]byte, 0, 8*sizeHint),
		off:      make([]int32, 1, sizeHint+1),
		def:      make([]int32, 0, sizeHint),
		defAt:    make([]int32, 0, sizeHint),
		firstRef: make([]int32, 0, sizeHint),
	}
	return s
}

func (s *symbols) len() int { return len(s.off) - 1 }

func (s *symbols) bytes(sym int32) []byte { return s.arena[s.off[sym]:s.off[sym+1]] }

func (s *symbols) name(sym int32) string { return string(s.bytes(sym)) }

// key returns the hash of id and the parts of a slot that identify it.
func (s *symbols) key(id []byte) (h, meta, head uint64) {
	return s.keyHashed(id, s.hash(id))
}

// keyHashed is key for an id whose hash h is already known.
func (s *symbols) keyHashed(id []byte, h uint64) (_, meta, head uint64) {
	var b [8]byte
	copy(b[:], id)
	return h, h>>40<<40 | uint64(min(len(id), 255))<<32, binary.LittleEndian.Uint64(b[:])
}

// intern returns id's symbol, and whether this call created it.
func (s *symbols) intern(id []byte) (int32, bool) {
	return s.internHashed(id, s.hash(id))
}

// internHashed is intern for an id whose hash h is already known.
func (s *symbols) internHashed(id []byte, h uint64) (int32, bool) {
	h, meta, head := s.keyHashed(id, h)
	mask := uint64(len(s.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		e := s.slots[i]
		if e.meta == 0 {
			sym := int32(s.len())
			s.arena = append(s.arena, id...)
			s.off = append(s.off, int32(len(s.arena)))
			s.def = append(s.def, -1)
			s.defAt = append(s.defAt, -1)
			s.firstRef = append(s.firstRef, -1)
			s.slots[i] = slot{meta | uint64(sym+1), head}
			if 2*s.len() > len(s.slots) {
				s.grow()
			}
			return sym, true
		}
		if e.meta>>32 == meta>>32 && e.head == head {
			sym := int32(uint32(e.meta)) - 1
			if len(id) <= 8 || bytes.Equal(s.arena[s.off[sym]+8:s.off[sym+1]], id[8:]) {
				return sym, false
			}
		}
	}
}

// grow doubles the table, keeping it at most half full so probe runs stay short.
func (s *symbols) grow() {
	s.slots = make([]slot, 2*len(s.slots))
	mask := uint64(len(s.slots) - 1)
	for sym := range int32(s.len()) {
		h, meta, head := s.key(s.bytes(sym))
		i := h & mask
		for s.slots[i].meta != 0 {
			i = (i + 1) & mask
		}
		s.slots[i] = slot{meta | uint64(sym+1), head}
	}
}

// ref interns an id referenced at offset at. Only the reference that creates a symbol
// records its offset: a symbol created by its definition needs none, since only
// undefined ids are reported by the offset of their first reference.
func (s *symbols) ref(id []byte, at int) int32 {
	return s.refHashed(id, s.hash(id), int32(at))
}

// refHashed is ref for an id whose hash h is already known.
func (s *symbols) refHashed(id []byte, h uint64, at int32) int32 {
	sym, created := s.internHashed(id, h)
	if created {
		s.firstRef[sym] = at
	}
	return sym
}

// hash is the hash intern uses for id.
func (s *symbols) hash(id []byte) uint64 { return maphash.Bytes(s.seed, id) }

// names returns every symbol's name as substrings of one string: one allocation in all.
func (s *symbols) names() []string {
	all := string(s.arena)
	out := make([]string, s.len())
	for sym := range out {
		out[sym] = all[s.off[sym]:s.off[sym+1]]
	}
	return out
}
