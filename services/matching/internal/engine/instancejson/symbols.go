package instancejson

import (
	"bytes"
	"hash/maphash"
)

// symbols interns the ids of one namespace (applicants or programs). An id may be
// referenced before it is defined: programs can come after the applicants that rank them.
//
// It is an open-addressing hash table rather than a Go map: a large instance looks up two
// million ids in random order, and with a map most of the time went to cache misses on
// scattered keys. Here a slot packs the upper hash bits with the symbol, so most probes
// touch only the slot array, and names live in one contiguous arena.
type symbols struct {
	kind  string // "applicant" or "program", for messages
	seed  maphash.Seed
	slots []uint64 // hash>>32<<32 | symbol+1; 0 is empty
	arena []byte
	off   []int32 // symbol s is arena[off[s]:off[s+1]]

	def      []int32 // index of the defining applicant or program, or -1
	defAt    []int32 // offset of the definition
	firstRef []int32 // offset of the first reference, or -1
}

func newSymbols(kind string, sizeHint int) *symbols {
	n := 1024
	for n < 2*sizeHint {
		n *= 2
	}
	return &symbols{kind: kind, seed: maphash.MakeSeed(), slots: make([]uint64, n), off: []int32{0}}
}

func (s *symbols) len() int { return len(s.off) - 1 }

func (s *symbols) bytes(sym int32) []byte { return s.arena[s.off[sym]:s.off[sym+1]] }

func (s *symbols) name(sym int32) string { return string(s.bytes(sym)) }

func (s *symbols) intern(id []byte) int32 {
	h := maphash.Bytes(s.seed, id)
	mask := uint64(len(s.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		e := s.slots[i]
		if e == 0 {
			sym := int32(s.len())
			s.arena = append(s.arena, id...)
			s.off = append(s.off, int32(len(s.arena)))
			s.def = append(s.def, -1)
			s.defAt = append(s.defAt, -1)
			s.firstRef = append(s.firstRef, -1)
			s.slots[i] = h>>32<<32 | uint64(sym+1)
			if 2*s.len() > len(s.slots) {
				s.grow()
			}
			return sym
		}
		if e>>32 == h>>32 {
			if sym := int32(uint32(e)) - 1; bytes.Equal(s.bytes(sym), id) {
				return sym
			}
		}
	}
}

// grow doubles the table, keeping it at most half full so probe runs stay short.
func (s *symbols) grow() {
	s.slots = make([]uint64, 2*len(s.slots))
	mask := uint64(len(s.slots) - 1)
	for sym := range int32(s.len()) {
		h := maphash.Bytes(s.seed, s.bytes(sym))
		i := h & mask
		for s.slots[i] != 0 {
			i = (i + 1) & mask
		}
		s.slots[i] = h>>32<<32 | uint64(sym+1)
	}
}

func (s *symbols) ref(id []byte, at int) int32 {
	sym := s.intern(id)
	if s.firstRef[sym] < 0 {
		s.firstRef[sym] = int32(at)
	}
	return sym
}

// names returns every symbol's name as substrings of one string: one allocation in all.
func (s *symbols) names() []string {
	all := string(s.arena)
	out := make([]string, s.len())
	for sym := range out {
		out[sym] = all[s.off[sym]:s.off[sym+1]]
	}
	return out
}
