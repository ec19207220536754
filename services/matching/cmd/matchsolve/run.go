package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"runtime"

	"github.com/talentbridge/platform/services/matching/internal/engine"
	"github.com/talentbridge/platform/services/matching/internal/engine/instancejson"
)

// bigInput is the input size from which run asks for huge pages and collects garbage
// after decoding; below it the heap is small and neither would buy anything.
const bigInput = 32 << 20

// Exit statuses.
const (
	exitOK       = 0
	exitInternal = 1 // I/O failure, or a solver result that failed its own check
	exitBadInput = 2 // bad flags, malformed or inconsistent instance
)

const usage = `usage: matchsolve [--optimal applicants|programs] [--seed N] [--explain] < instance.json

Reads a matching instance as JSON on stdin and prints its stable matching on stdout:
  {"matches": [{"applicant": "a1", "program": "p2"}], "unmatched": ["a3"], "blockingPairs": 0}

Input: {"applicants": [{"id": "a1", "prefs": ["p2", "p1"]}],
        "programs":   [{"id": "p1", "capacity": 2, "prefs": ["a1", ["a2", "a3"], "a4"]}],
        "notes":      [{"applicant": "a1", "program": "p3", "reason": "not eligible: ..."}]}
A pair is acceptable only when each lists the other. A nested array in a program's prefs
is a tie, broken by a lottery drawn from --seed and each applicant's id. Notes are optional
reasons for unacceptable pairs, shown by --explain.

Allocation policies (DESIGN.md §5), all optional:
  applicants: "categories": ["women", "first_generation"]
  programs:   "reserves": [{"category": "women", "seats": 2}], "reserveOrder": "last"|"first",
              "region": "Tohoku", "target": 3
  instance:   "regions": [{"id": "Tohoku", "cap": 40}]
Reserved seats nobody in their category takes revert to the best remaining applicant; a
region's programs fill their targets, then share the rest of its cap round-robin.

Flags:
  --optimal applicants|programs  whose optimal stable matching to return (default applicants)
  --seed N                       lottery seed for ties (default 0)
  --explain                      add, for each applicant, why they did not get each program
                                 they ranked above their match (and, with policies, how each
                                 reserve was used and how full each region is)
`

type options struct {
	side    engine.Side
	seed    uint64
	explain bool
}

// sideFlag parses --optimal.
type sideFlag struct{ side *engine.Side }

func (f sideFlag) String() string {
	if f.side == nil {
		return ""
	}
	return f.side.String()
}

func (f sideFlag) Set(s string) error {
	side, ok := engine.ParseSide(s)
	if !ok {
		return errors.New(`want "applicants" or "programs"`)
	}
	*f.side = side
	return nil
}

func parseFlags(args []string) (options, error) {
	var o options
	fset := flag.NewFlagSet("matchsolve", flag.ContinueOnError)
	fset.SetOutput(io.Discard) // errors are reported in one line by run
	fset.Var(sideFlag{&o.side}, "optimal", "")
	fset.Uint64Var(&o.seed, "seed", 0, "")
	fset.BoolVar(&o.explain, "explain", false, "")
	if err := fset.Parse(args); err != nil {
		return o, err
	}
	if fset.NArg() > 0 {
		return o, fmt.Errorf("unexpected argument %q (the instance is read from stdin)", fset.Arg(0))
	}
	return o, nil
}

// run is the whole command, testable in-process. Output is written only once the result
// is complete, so failures leave stdout empty.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fail := func(code int, format string, a ...any) int {
		fmt.Fprintf(stderr, "matchsolve: "+format+"\n", a...)
		return code
	}

	opts, err := parseFlags(args)
	if errors.Is(err, flag.ErrHelp) {
		io.WriteString(stdout, usage)
		return exitOK
	}
	if err != nil {
		return fail(exitBadInput, "bad flag: %v", err)
	}

	data, release, err := readInput(stdin)
	if err != nil {
		return fail(exitInternal, "read instance: %v", err)
	}
	if len(data) >= bigInput {
		// The heap grows to about twice the input (450 MB at 10× NRMP size).
		preferHugePages(3 * len(data))
	}
	in, err := instancejson.Decode(data)
	release()
	if err != nil {
		return fail(exitBadInput, "decode instance: %v", err)
	}
	in.Seed = opts.seed
	if len(data) >= bigInput {
		// The decoder's working arrays (about 120 MB at 10× NRMP size) are garbage now.
		// Collecting them here lets the solver's arrays reuse their pages: otherwise the
		// heap only grows until the end, and every fresh page costs a page fault.
		runtime.GC()
	}

	// The certificate is computed by an independent checker; a failure is a solver bug.
	m, cert, err := engine.SolveAndCheck(in, opts.side)
	if errors.Is(err, engine.ErrInvalidInstance) {
		return fail(exitBadInput, "%v", err)
	}
	if err != nil {
		return fail(exitInternal, "%v", err)
	}
	if !cert.Stable() {
		return fail(exitInternal, "internal error: solver result failed its check: %v", cert)
	}
	var reasons [][]engine.Reason
	if opts.explain {
		if reasons, err = engine.Explain(in, m); err != nil {
			return fail(exitInternal, "%v", err)
		}
	}

	w := bufio.NewWriterSize(stdout, 1<<16)
	instancejson.WriteResult(w, in, m, cert, reasons)
	if err := w.Flush(); err != nil {
		return fail(exitInternal, "write result: %v", err)
	}
	return exitOK
}

// readInput returns the whole input: mapped into memory when it is a regular file (see
// mapFile), else read. release frees it once it has been decoded.
func readInput(r io.Reader) (data []byte, release func(), err error) {
	if f, ok := r.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
			if data, release, ok := mapFile(f, fi.Size()); ok {
				return data, release, nil
			}
		}
	}
	data, err = readAll(r)
	return data, func() {}, err
}

// readAll reads stdin in one allocation when its size is known, as for a redirected file.
func readAll(r io.Reader) ([]byte, error) {
	if f, ok := r.(interface{ Stat() (fs.FileInfo, error) }); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() && fi.Size() > 0 {
			buf := make([]byte, 0, fi.Size()+1) // +1 so the final Read sees EOF without growing
			for {
				n, err := r.Read(buf[len(buf):cap(buf)])
				buf = buf[:len(buf)+n]
				if errors.Is(err, io.EOF) {
					return buf, nil
				}
				if err != nil {
					return nil, err
				}
				if len(buf) == cap(buf) {
					rest, err := io.ReadAll(r)
					return append(buf, rest...), err
				}
			}
		}
	}
	return io.ReadAll(r)
}
