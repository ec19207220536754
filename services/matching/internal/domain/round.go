package domain

import (
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/talentbridge/platform/shared/fielderr"
)

// Round statuses.
const (
	RoundCreated   = "created"
	RoundRunning   = "running"
	RoundCompleted = "completed"
	RoundPublished = "published"
)

// Phases of a run, in order, with the progress each starts at.
const (
	PhaseQueued     = "queued"
	PhaseLoading    = "loading"
	PhaseSolving    = "solving"
	PhaseChecking   = "checking"
	PhaseExplaining = "explaining"
	PhaseSaving     = "saving"
	PhaseDone       = "done"
	PhaseFailed     = "failed"
)

// Limits of a round.
const (
	MaxRoundName = 200
	// MaxRoundPrograms is a national scheme's size: the largest rounds
	// run (the NRMP's) hold some 6,500 programs.
	MaxRoundPrograms = 10000
	// MaxRoundApplicants is the most applicants one run takes part: what
	// a run holds in memory is bounded by it and MaxRoundPrograms.
	MaxRoundApplicants = 100000
	// MaxSeed keeps seeds exact in JSON numbers (2^53 − 1).
	MaxSeed = 1<<53 - 1
)

// RunStats are the counts of a round's last run.
type RunStats struct {
	// Applicants took part in the run: everyone with a live application to
	// one of the round's programs, and everyone holding a fixed match.
	Applicants int
	Programs   int
	// Seats of the round's programs, and those left after fixed matches.
	Seats     int
	OpenSeats int
	Proposed  int
	Fixed     int
	Unmatched int
	// Excluded pairs: rejected matches and declined offers of the round.
	Excluded int
}

// Round is one allocation of the seats of a set of programs.
type Round struct {
	ID         string
	Name       string
	ProgramIDs []string
	Seed       int64
	Status     string
	Phase      string
	Progress   int
	// BlockingPairs is the stability certificate of the last run, found by
	// the engine's independent checker: 0 for a stable matching.
	BlockingPairs int
	OverCapacity  int
	Unacceptable  int
	Stats         RunStats
	// Seats is each program's number of seats at the last run.
	Seats map[string]int
	// OfferDays is how long its offers stay open (DefaultOfferDays when
	// zero, for rounds made before offers had deadlines).
	OfferDays int
	// A vacancy round (offers.go) names the round it offers the leftovers
	// of, overrides its programs' seats with what was left there, and
	// admits only the applicants listed.
	ParentID   string
	SeatLimits map[string]int
	Applicants []string
	// Policy is the round's allocation policy (regions with caps and
	// targets); nil for none. PolicyUse is how the last run used it and
	// the programs' reserves.
	Policy    *Policy
	PolicyUse *PolicyUse
	Runs      int
	// NoMatches says no match of the round was ever stored: true from its
	// creation until its first run stores proposals, so that runs and
	// views need not look for its matches (on the embedded store a look
	// reads every match of every round).
	NoMatches bool
	// RunID names the run in progress (or the last one); RunExpiresAt is
	// when it counts as abandoned unless renewed. Outside a run it is the
	// zero time, so the round may run.
	RunID        string
	RunExpiresAt time.Time
	// PrevStatus is the status the round returns to if the run fails.
	PrevStatus  string
	LastError   string
	CreatedBy   string
	CreatedAt   time.Time
	StartedAt   time.Time
	CompletedAt time.Time
	PublishedAt time.Time
	Duration    time.Duration
	Version     int64
}

// NewRound checks a round's name, programs and seed.
func NewRound(id, name string, programIDs []string, seed int64, by string, now time.Time) (*Round, error) {
	var errs fieldErrors
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		errs.add(fielderr.NewRequired("name"))
	case !utf8.ValidString(name) || utf8.RuneCountInString(name) > MaxRoundName:
		errs.add(fielderr.NewTooLong("name", MaxRoundName).Because("must be at most %d characters of text", MaxRoundName))
	case strings.IndexFunc(name, unicode.IsControl) >= 0:
		errs.add(fielderr.NewControlCharacter("name"))
	}
	switch {
	case len(programIDs) == 0:
		errs.add(fielderr.NewTooFew("programIds", 1).Because("name at least one program"))
	case len(programIDs) > MaxRoundPrograms:
		errs.add(fielderr.NewTooMany("programIds", MaxRoundPrograms).Because("at most %d programs", MaxRoundPrograms))
	default:
		seen := map[string]int{}
		for i, p := range programIDs {
			if j, dup := seen[p]; dup {
				errs.add(fielderr.NewDuplicateOf(fieldIndex("programIds", i), fieldIndex("programIds", j)))
			}
			if strings.TrimSpace(p) == "" {
				errs.add(fielderr.NewRequired(fieldIndex("programIds", i)).Because("is empty"))
			}
			seen[p] = i
		}
	}
	if seed < 0 || seed > MaxSeed {
		errs.add(fielderr.NewRange("seed", 0, int(MaxSeed)))
	}
	if err := errs.err(); err != nil {
		return nil, err
	}
	return &Round{ID: id, Name: name, ProgramIDs: programIDs, Seed: seed, Status: RoundCreated,
		Phase: "", CreatedBy: by, CreatedAt: now, Version: 1}, nil
}

// Running reports whether a run holds the round at now; a run whose
// renewals stopped (its process died) no longer does.
func (r *Round) Running(now time.Time) bool {
	return r.Status == RoundRunning && r.RunExpiresAt.After(now)
}

// Stalled reports whether the round says it is running but its run stopped
// renewing: running it again takes over.
func (r *Round) Stalled(now time.Time) bool {
	return r.Status == RoundRunning && !r.RunExpiresAt.After(now)
}

// CheckRun reports whether the round may start a run at now.
func (r *Round) CheckRun(now time.Time) error {
	if r.Running(now) {
		return Conflict("round_running", "the round is already running (%s, %d%%)", r.Phase, r.Progress)
	}
	return nil
}

func fieldIndex(field string, i int) string {
	return field + "[" + strconv.Itoa(i) + "]"
}
