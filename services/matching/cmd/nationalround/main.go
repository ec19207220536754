// Command nationalround drives a national-size match round through a
// running platform's public API, as a scheme would: it imports the
// applicants' profiles and the programs by CSV, publishes the programs,
// creates one round over all of them, imports every rank list and every
// program's ranking by CSV, runs the round, checks the result against the
// applicant-optimal stable matching it computes itself (plain deferred
// acceptance over the same generated instance, apart from the engine),
// approves every match in one coordinator action and publishes.
//
// It prints one "timing NAME SECONDS" line per step and "ok" at the end,
// and exits 1 on any failure or mismatch, 2 on bad flags. scripts/national.sh
// and scripts/bench.sh start the platform and run it.
//
// Usage:
//
//	nationalround -base http://127.0.0.1:PORT -admin-email E -admin-password P \
//	    [-applicants 20000] [-programs 2600] [-list 20] [-seed 1] [-timeout 30m] \
//	    [-state FILE [-imports-only] [-round ID]] [-settle-for D] [-pid PID]
//
// With -state, a run that imports writes the ids it was given to FILE once
// the round is created, notes there each rank file imported (a run that
// stops during the rank import resumes at the next file), and writes FILE
// whole once the platform has settled; a later run against the same data (the
// platform restarted on its data folder, perhaps with a newer build) finds
// FILE, imports nothing, and runs a new round over the same programs and
// rank lists. -imports-only stops after writing FILE. At 50,000 applicants
// the imports take far longer than the round, which can so be measured
// again without them.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"time"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

type options struct {
	base, adminEmail, adminPassword string
	applicants, programs, list      int
	seed                            uint64
	timeout                         time.Duration
	state                           string
	importsOnly                     bool
	pid                             int
	round                           string
	settleFor                       time.Duration
}

func run(args []string, stdout, stderr io.Writer) int {
	var o options
	fs := flag.NewFlagSet("nationalround", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&o.base, "base", "", "the platform's base URL, e.g. http://127.0.0.1:8080")
	fs.StringVar(&o.adminEmail, "admin-email", os.Getenv("TB_ADMIN_EMAIL"), "the administrator's e-mail (TB_ADMIN_EMAIL)")
	fs.StringVar(&o.adminPassword, "admin-password", os.Getenv("TB_ADMIN_PASSWORD"), "the administrator's password (TB_ADMIN_PASSWORD)")
	fs.IntVar(&o.applicants, "applicants", 20000, "applicants (1 to 100,000)")
	fs.IntVar(&o.programs, "programs", 2600, "programs (1 to 10,000)")
	fs.IntVar(&o.list, "list", 20, "rank list length (1 to 20)")
	fs.Uint64Var(&o.seed, "seed", 1, "seed of the generated instance")
	fs.DurationVar(&o.timeout, "timeout", 30*time.Minute, "give up after this long")
	fs.StringVar(&o.state, "state", "", "a file keeping the imported ids, to run again without importing")
	fs.BoolVar(&o.importsOnly, "imports-only", false, "stop once the imports have settled and -state is written")
	fs.StringVar(&o.round, "round", "", "with -state: run this existing round again instead of a new one")
	fs.DurationVar(&o.settleFor, "settle-for", 0, "wait at most this long for the platform to settle before the run (0: until it has); the run then shares the machine with what is still delivered")
	fs.IntVar(&o.pid, "pid", 0, "the platform's process id (same machine): print its largest resident memory during each step")
	if err := fs.Parse(args); err != nil {
		fmt.Fprintln(stderr, "nationalround:", err)
		return 2
	}
	switch {
	case fs.NArg() > 0:
		fmt.Fprintf(stderr, "nationalround: unexpected argument %q\n", fs.Arg(0))
		return 2
	case o.base == "":
		fmt.Fprintln(stderr, "nationalround: -base is required")
		return 2
	case o.adminEmail == "" || o.adminPassword == "":
		fmt.Fprintln(stderr, "nationalround: the administrator's e-mail and password are required (-admin-email, -admin-password)")
		return 2
	case o.applicants < 1 || o.applicants > 100000:
		fmt.Fprintln(stderr, "nationalround: -applicants must be 1 to 100000")
		return 2
	case o.programs < 1 || o.programs > 10000:
		fmt.Fprintln(stderr, "nationalround: -programs must be 1 to 10000")
		return 2
	case o.list < 1 || o.list > 20:
		fmt.Fprintln(stderr, "nationalround: -list must be 1 to 20")
		return 2
	case o.round != "" && o.state == "":
		fmt.Fprintln(stderr, "nationalround: -round needs -state")
		return 2
	case o.settleFor < 0:
		fmt.Fprintln(stderr, "nationalround: -settle-for must not be negative")
		return 2
	case o.importsOnly && o.state == "":
		fmt.Fprintln(stderr, "nationalround: -imports-only needs -state")
		return 2
	case o.timeout <= 0:
		fmt.Fprintln(stderr, "nationalround: -timeout must be positive")
		return 2
	}
	ctx, cancel := context.WithTimeout(context.Background(), o.timeout)
	defer cancel()
	d := &driver{o: o, out: stdout, api: newClient(o.base)}
	if err := d.run(ctx); err != nil {
		fmt.Fprintln(stderr, "nationalround:", err)
		return 1
	}
	fmt.Fprintln(stdout, "ok")
	return 0
}
