// Package instancejson reads and writes the matching instance format of DESIGN.md §5,
// the input of matchsolve, and writes matchsolve's result:
//
//	{"applicants": [{"id": "a1", "prefs": ["p2", "p1"]}],
//	 "programs":   [{"id": "p1", "capacity": 2, "prefs": ["a1", ["a2", "a3"], "a4"]}],
//	 "notes":      [{"applicant": "a1", "program": "p2", "reason": "not eligible: …"}]}
//
// A nested array in a program's prefs is a tie group: its applicants share one rank and
// the seeded lottery orders them (see engine.LotteryNumber). "notes" is optional; each note
// explains why a pair is unacceptable and shows up with --explain. Unknown fields are
// skipped, so the format can grow; a null list counts as empty.
//
// Decode reads the input with the streaming tokenizer of
// github.com/go-json-experiment/json/jsontext, which checks the syntax, and builds the
// instance as it goes, without an intermediate tree: each id is read in place and interned
// once in an open-addressing table (an NRMP-size instance holds two million ids), by a
// second goroutine fed in batches while the tokenizer reads on (intern.go). A first, fast
// pass reads each preference list as one checked value and picks its ids out itself
// (fastlist.go); on any problem Decode decodes again token by token, so every error names
// the first problem with its line, column and byte offset. docs/BENCHMARKS.md has the
// measurement that retired the earlier hand-written tokenizer.
package instancejson
