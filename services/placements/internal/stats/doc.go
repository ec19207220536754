// Package stats computes the public exchange statistics (DESIGN.md §3
// "GET /stats/exchanges", §6, §8): how many offers were accepted and how
// many placements started, completed or ended early, grouped by direction,
// program kind, field, host region, home region or month, over a window of
// whole months — and writes them as JSON-ready tables and as CSV.
//
// Disclosure control. No public figure may describe fewer than 10 people:
//
//   - Primary suppression: every cell, total included, under 10 is shown as
//     the string "<10" (Suppressed). Zero is under 10 as well.
//   - Complementary suppression: in a column (one measure) whose total is
//     shown, no "<10" cell may be pinned to one value by the total and the
//     other cells — one suppressed cell alone would be the total minus the
//     rest, two cells of 9 and 9 would be the only split of 18. While one
//     is, the smallest shown cell of the column is hidden too, written as
//     "suppressed" (Hidden) — not "<10", which would be untrue of it.
//     Totals are the same in every grouping, so hiding group cells rather
//     than the total is what protects across tables; only when no shown
//     cell is left does the total go.
//   - Windows are whole calendar months. Subtracting two windows' totals
//     can still give one month's count; that residual risk is named in
//     the OpenAPI description of the route.
//
// The package is pure: it is given the placements as Records and a clock.
package stats
