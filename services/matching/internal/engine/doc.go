// Package engine allocates program seats to applicants by stable matching.
//
// It is pure computation: no I/O, no clocks, no global state. The matching service builds an
// Instance from its read models, calls Solve, stores the result together with the seed, and
// uses Check and Explain for the round's stability certificate and per-applicant reasons. The
// matchsolve command does the same from a JSON file.
//
// # Model
//
// Applicants rank programs strictly (Applicant.Prefs); programs rank applicants and may tie
// them (Program.Prefs with Program.Ranks). A pair is acceptable only when each side lists the
// other. Each program admits at most Capacity applicants. This is the hospitals/residents
// problem, the model of the NRMP match.
//
// # Algorithm
//
// Solve runs deferred acceptance (Gale–Shapley) with capacities. With ApplicantOptimal the
// applicants propose, which yields the applicant-optimal stable matching: every applicant
// does at least as well as in any other stable matching, and no applicant can gain by
// misreporting their list. With ProgramOptimal the programs propose, which yields the
// program-optimal stable matching. Both run in time linear in the total length of all lists.
//
// By the rural hospitals theorem the two results, like every stable matching of the same
// instance, leave the same applicants unmatched and fill each program to the same count.
//
// # Ties and the lottery
//
// Before solving, ties in each program's order are broken by a lottery (see LotteryNumber):
// every applicant draws one number from the instance's Seed and their id, and within a tie
// group lower numbers come first. The solver then works on that strict order, so the result
// is stable for the broken order and therefore weakly stable for the stated order — no
// applicant and program both strictly prefer each other to what they got. Check counts
// blocking pairs against the stated order, where a tie is indifference.
//
// # Allocation policies
//
// An instance may hold seats for categories of applicants (Program.Reserves) and cap
// regions of programs (Instance.Regions), with the choice rules of DESIGN.md §5. A
// program's seats are a sequence of slots — open ones, then each reserve's (ReservesLast),
// or the reserves first (ReservesFirst) — filled one at a time: an open slot takes the
// best remaining proposer, a reserved slot the best remaining one in its category or,
// when there is none, the best remaining of any kind. A region's programs each fill up to
// their Target from their own proposers, then take one more seat at a time, round-robin
// in the region's order, until the cap is reached or no program can take anyone
// (Kamada and Kojima's flexible deferred acceptance).
//
// These rules are substitutable, so applicant-proposing deferred acceptance against them
// gives the applicant-optimal stable outcome regardless of the order of proposals (tests
// compare every match with a literal implementation of the rules). Check certifies
// stability under the policy — no applicant prefers a program whose chooser would take
// them from what it holds plus them — with ties counted as broken by the lottery, and
// Explain names the deciding rule (ReasonRegionCap, ReasonReserved, or the seats filled
// by applicants ranked higher). Program-optimal matching is not offered with policies.
// Instances without policies take exactly the plain path.
//
// # Fixed matches
//
// A re-run that keeps some matches fixed needs no special support: remove the fixed
// applicants from the instance and lower each program's Capacity by the seats they hold.
// Because the lottery draws by applicant id, not by position, removing applicants does not
// change anyone else's draw. Check on the reduced instance then certifies the re-run: the
// fixed applicants have left the market, so pairs involving them are not blocking pairs.
package engine
