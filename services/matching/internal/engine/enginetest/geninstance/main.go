// Command geninstance writes a deterministic NRMP-like matching instance as matchsolve
// input, for benchmarks and what-if studies:
//
//	go run ./services/matching/internal/engine/enginetest/geninstance -applicants 50000 [-policies] > /tmp/nrmp.json
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
	policies := flag.Bool("policies", false, "add 12 regions (caps at 85% of their seats) and reserves on 60% of programs")
	flag.Parse()
	in := enginetest.NRMP(o)
	if *policies {
		enginetest.WithNRMPPolicies(in, o.Seed)
	}
	if err := instancejson.Write(os.Stdout, in); err != nil {
		fmt.Fprintln(os.Stderr, "geninstance:", err)
		os.Exit(1)
	}
}
