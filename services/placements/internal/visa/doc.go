// Package visa decides the visa pathway of a placement: the likely visa or
// status of residence, what it needs and why, from the rules in
// shared/placementrules (visa.json), and — for paid placements in Japan —
// an estimate of Highly Skilled Professional points item by item from the
// Immigration Services Agency's points table (hsp.json).
//
// It is pure: inputs are what the placements service knows of the
// participant (degree level, birth year, languages) and of the program
// (kind, stipend, dates). Where the platform holds no data for an item the
// item says so and gives 0 points, so the estimate errs low, never high.
// The answer is always labelled an estimate with the rule set's version
// and its sources; the authorities decide on documents.
package visa
