// Command matchsolve solves a matching instance offline, for what-if studies and for
// checking the engine against other tools (DESIGN.md §5):
//
//	go run ./services/matching/cmd/matchsolve [--optimal applicants|programs] [--seed N] [--explain] < instance.json
//
// It prints the stable matching as JSON on stdout. Bad input or flags print one line on
// stderr and exit with status 2, with nothing on stdout.
package main

import "os"

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
