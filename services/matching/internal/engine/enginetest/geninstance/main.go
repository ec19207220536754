// Command geninstance writes a deterministic NRMP-like matching instance as matchsolve
// input, for benchmarks and what-if studies:
//
//	go run ./services/matching/internal/engine/enginetest/geninstance -applicants 50000 > /tmp/nrmp.json
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/talentbridge/platform/services/matching/internal/engine/enginetest"
	"github.com/talentbridge/platform/services/matching/internal/engine/instancejson"
)

func main() {
	var o enginetest.NRMPOptions
	flag.IntVar(&o.Applicants, "applicants", 50000, "number of applicants")
	flag.IntVar(&o.Programs, "programs", 0, "number of programs (0: 13% of applicants)")
	flag.IntVar(&o.ListLength, "list", 20, "programs ranked by each applicant")
	flag.Float64Var(&o.TieProb, "ties", 0, "chance that an entry of a program's order ties with the one before")
	flag.Uint64Var(&o.Seed, "seed", 1, "generator seed")
	flag.Parse()
	if err := instancejson.Write(os.Stdout, enginetest.NRMP(o)); err != nil {
		fmt.Fprintln(os.Stderr, "geninstance:", err)
		os.Exit(1)
	}
}
