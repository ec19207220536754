package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// driver runs the round step by step.
type driver struct {
	o   options
	out io.Writer
	api *client

	in         *instance
	coord      *session // the coordinator
	programIDs []string // by program index
	applicants []string // profile ids by applicant index
	roundID    string
	unfinished *unfinished // from -state: imports to finish
}

const password = "national round violet kettle 2026"

// Rows per import file: every file is stored well within the server's
// write timeout (60 s), even on a small, busy machine, as a scheme would
// split its national files.
const (
	programsPerFile = 250
	profilesPerFile = 1000
	ranksPerFile    = 2000
)

func (d *driver) timing(name string, since time.Time) {
	fmt.Fprintf(d.out, "timing %s %.2f\n", name, time.Since(since).Seconds())
}

// rss samples the platform's resident memory (-pid, read from /proc)
// every quarter second until the returned function is called, which
// prints the largest sample as "rss NAME KiB". Without -pid it does
// nothing.
func (d *driver) rss(name string) func() {
	if d.o.pid == 0 {
		return func() {}
	}
	stop := make(chan struct{})
	done := make(chan int64)
	go func() {
		var peak int64
		t := time.NewTicker(250 * time.Millisecond)
		defer t.Stop()
		for {
			peak = max(peak, residentKiB(d.o.pid))
			select {
			case <-stop:
				done <- peak
				return
			case <-t.C:
			}
		}
	}()
	return func() {
		close(stop)
		fmt.Fprintf(d.out, "rss %s %d\n", name, <-done)
	}
}

// residentKiB reads VmRSS of a process; 0 when it cannot.
func residentKiB(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return n
		}
	}
	return 0
}

func (d *driver) run(ctx context.Context) error {
	t := time.Now()
	d.in = generate(d.o.applicants, d.o.programs, d.o.list, d.o.seed)
	d.timing("generate", t)
	fmt.Fprintf(d.out, "instance %d applicants, %d programs, lists of %d\n", d.o.applicants, d.o.programs, d.o.list)
	if err := d.accounts(ctx); err != nil {
		return err
	}
	resumed, err := d.loadState()
	if err != nil {
		return err
	}
	switch {
	case resumed && d.unfinished != nil:
		fmt.Fprintf(d.out, "resuming from %s: rank lists from file %d on, then the rankings, in round %s\n",
			d.o.state, d.unfinished.RanksFrom, d.unfinished.RoundID)
		d.roundID = d.unfinished.RoundID
		t = time.Now()
		if err := d.importRanksFrom(ctx, d.unfinished.RanksFrom); err != nil {
			return err
		}
		d.timing("import-ranks-rest", t)
		t = time.Now()
		if err := d.importRankings(ctx); err != nil {
			return err
		}
		d.timing("import-rankings", t)
		resumed = false // the imports are done now: keep the ids as for a fresh import
	case resumed && d.o.round != "":
		fmt.Fprintf(d.out, "resuming from %s: nothing imported, round %s run again\n", d.o.state, d.o.round)
		d.roundID = d.o.round
	case resumed:
		fmt.Fprintf(d.out, "resuming from %s: nothing imported, a new round over the same programs\n", d.o.state)
		if err := d.createRound(ctx, fmt.Sprintf("National round %d, again at %s", d.o.seed, time.Now().UTC().Format(time.TimeOnly))); err != nil {
			return err
		}
	default:
		if err := d.imports(ctx); err != nil {
			return err
		}
	}
	// A scheme imports days before it runs; here the run waits until the
	// imports' events have been delivered, so "run" times the run alone.
	t = time.Now()
	if err := d.settle(ctx); err != nil {
		return err
	}
	d.timing("settle", t)
	if !resumed && d.o.state != "" {
		if err := d.saveState(); err != nil {
			return err
		}
		if d.o.importsOnly {
			fmt.Fprintf(d.out, "imports settled; ids kept in %s\n", d.o.state)
			return nil
		}
	}
	t = time.Now()
	stopRSS := d.rss("run")
	if err := d.runRound(ctx); err != nil {
		return err
	}
	d.timing("run", t)
	stopRSS()
	t = time.Now()
	if err := d.check(ctx); err != nil {
		return err
	}
	d.timing("check", t)
	t = time.Now()
	stopRSS = d.rss("approve")
	var done roundView
	if err := d.api.do(ctx, http.MethodGet, "/rounds/"+d.roundID, d.coord, nil, &done); err != nil {
		return fmt.Errorf("read the round: %w", err)
	}
	approved, err := d.act(ctx, "approve", map[string]any{"proposed": done.Counts.Proposed, "note": "national round, approved as a whole"},
		func(r roundView) bool { return r.Counts.Proposed == 0 && r.Counts.Approved == done.Counts.Proposed })
	if err != nil {
		return fmt.Errorf("approve the round's matches: %w", err)
	}
	if approved.Counts.Approved != done.Counts.Proposed {
		return fmt.Errorf("approved %d matches, want %d", approved.Counts.Approved, done.Counts.Proposed)
	}
	d.timing("approve", t)
	stopRSS()
	t = time.Now()
	stopRSS = d.rss("publish")
	pub, err := d.act(ctx, "publish", nil, func(r roundView) bool { return r.Status == "published" })
	if err != nil {
		return fmt.Errorf("publish the round: %w", err)
	}
	d.timing("publish", t)
	stopRSS()
	if pub.Status != "published" || pub.Counts.Published == 0 {
		return fmt.Errorf("after publishing, the round is %q with %d offers", pub.Status, pub.Counts.Published)
	}
	fmt.Fprintf(d.out, "published %d offers\n", pub.Counts.Published)
	return nil
}

// imports imports the programs and profiles, creates the round and
// imports the rank lists and rankings.
func (d *driver) imports(ctx context.Context) error {
	t := time.Now()
	if err := d.importPrograms(ctx); err != nil {
		return err
	}
	d.timing("import-programs", t)
	t = time.Now()
	if err := d.importProfiles(ctx); err != nil {
		return err
	}
	d.timing("import-profiles", t)
	if err := d.createRound(ctx, fmt.Sprintf("National round %d", d.o.seed)); err != nil {
		return err
	}
	if err := d.saveProgress(0); err != nil {
		return err
	}
	t = time.Now()
	if err := d.importRanks(ctx); err != nil {
		return err
	}
	d.timing("import-ranks", t)
	t = time.Now()
	if err := d.importRankings(ctx); err != nil {
		return err
	}
	d.timing("import-rankings", t)
	return nil
}

// createRound creates one round over every program. Matching learns of the
// published programs from events: the round is refused (422) until it has
// them all.
func (d *driver) createRound(ctx context.Context, name string) error {
	var round struct {
		ID string `json:"id"`
	}
	t := time.Now()
	err := retry(ctx, 10*time.Minute, false, func() error {
		return d.api.do(ctx, http.MethodPost, "/rounds", d.coord, map[string]any{
			"name": name, "programIds": d.programIDs, "seed": d.o.seed}, &round)
	}, http.StatusUnprocessableEntity)
	if err != nil {
		return fmt.Errorf("create the round: %w", err)
	}
	d.timing("create-round", t)
	d.roundID = round.ID
	return nil
}

// state is what -state keeps: the ids the imports were given, by index.
type state struct {
	Applicants int      `json:"applicants"`
	Programs   int      `json:"programs"`
	List       int      `json:"list"`
	Seed       uint64   `json:"seed"`
	ProgramIDs []string `json:"programIds"`
	ProfileIDs []string `json:"profileIds"`
	// Unfinished, when set, names a round whose rank import stopped
	// before its file RanksFrom (counted from 0): the driver imports from
	// there on, then every ranking, and runs that round.
	Unfinished *unfinished `json:"unfinished,omitempty"`
}

type unfinished struct {
	RoundID   string `json:"roundId"`
	RanksFrom int    `json:"ranksFrom"`
}

// loadState reads -state, if given and there, and checks it describes the
// same instance.
func (d *driver) loadState() (bool, error) {
	if d.o.state == "" {
		return false, nil
	}
	b, err := os.ReadFile(d.o.state)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	var st state
	if err := json.Unmarshal(b, &st); err != nil {
		return false, fmt.Errorf("read %s: %w", d.o.state, err)
	}
	if st.Applicants != d.o.applicants || st.Programs != d.o.programs || st.List != d.o.list || st.Seed != d.o.seed ||
		len(st.ProgramIDs) != d.o.programs || len(st.ProfileIDs) != d.o.applicants {
		return false, fmt.Errorf("%s holds another instance (%d applicants, %d programs, lists of %d, seed %d)",
			d.o.state, st.Applicants, st.Programs, st.List, st.Seed)
	}
	d.programIDs, d.applicants = st.ProgramIDs, st.ProfileIDs
	d.unfinished = st.Unfinished
	return true, nil
}

// saveState writes -state.
func (d *driver) saveState() error { return d.writeState(nil) }

// saveProgress writes -state, if given, while the rank lists are being
// imported: the round and the first rank file not yet imported, so that an
// interrupted import resumes there.
func (d *driver) saveProgress(ranksFrom int) error {
	if d.o.state == "" {
		return nil
	}
	return d.writeState(&unfinished{RoundID: d.roundID, RanksFrom: ranksFrom})
}

func (d *driver) writeState(u *unfinished) error {
	b, err := json.Marshal(state{Applicants: d.o.applicants, Programs: d.o.programs, List: d.o.list, Seed: d.o.seed,
		ProgramIDs: d.programIDs, ProfileIDs: d.applicants, Unfinished: u})
	if err != nil {
		return err
	}
	return os.WriteFile(d.o.state, b, 0o600)
}

// accounts makes a coordinator (through the administrator) and signs it
// in.
func (d *driver) accounts(ctx context.Context) error {
	admin, err := d.api.login(ctx, d.o.adminEmail, d.o.adminPassword)
	if err != nil {
		return fmt.Errorf("sign in the administrator: %w", err)
	}
	coordEmail := fmt.Sprintf("coordinator-%d@national.example.org", d.o.seed)
	err = d.api.do(ctx, http.MethodPost, "/auth/users", admin, map[string]any{"email": coordEmail, "password": password,
		"name": "National Coordinator", "organization": "National Matching Scheme"}, nil)
	if err != nil && !isStatus(err, http.StatusConflict) {
		return fmt.Errorf("create the coordinator: %w", err)
	}
	d.coord, err = d.api.login(ctx, coordEmail, password)
	if err != nil {
		return fmt.Errorf("sign in the coordinator: %w", err)
	}
	return nil
}

// importPrograms signs a host up, has the coordinator verify it, and
// imports and publishes every program, programsPerFile to a file.
func (d *driver) importPrograms(ctx context.Context) error {
	hostEmail := fmt.Sprintf("host-%d@national.example.org", d.o.seed)
	var host struct {
		ID string `json:"id"`
	}
	if err := d.api.do(ctx, http.MethodPost, "/auth/signup", nil, map[string]any{"email": hostEmail, "password": password,
		"role": "host", "name": "National Host", "organization": "National Consortium"}, &host); err != nil {
		return fmt.Errorf("sign the host up: %w", err)
	}
	if err := d.api.do(ctx, http.MethodPost, "/auth/users/"+url.PathEscape(host.ID)+"/verify", d.coord, nil, nil); err != nil {
		return fmt.Errorf("verify the host: %w", err)
	}
	tok, err := d.api.login(ctx, hostEmail, password)
	if err != nil {
		return fmt.Errorf("sign in the host: %w", err)
	}
	// Files of a thousand programs: each is stored within the server's
	// write timeout even on a busy machine.
	type imported struct {
		ID     string `json:"id"`
		Title  string `json:"title"`
		Status string `json:"status"`
	}
	var items []imported
	now := time.Now().UTC()
	for from := 0; from < d.o.programs; from += programsPerFile {
		file := d.in.programsCSV(now, from, min(d.o.programs, from+programsPerFile))
		var res struct {
			Items []imported `json:"items"`
		}
		// The programs service learns of the verification from an event:
		// the first imports may be refused.
		err = retry(ctx, time.Minute, false, func() error {
			return d.api.do(ctx, http.MethodPost, "/programs/import?publish=true", tok, rawCSV(file), &res)
		}, http.StatusForbidden)
		if err != nil {
			return fmt.Errorf("import the programs: %w", err)
		}
		items = append(items, res.Items...)
	}
	d.programIDs = make([]string, d.o.programs)
	for _, p := range items {
		j, err := strconv.Atoi(strings.TrimPrefix(p.Title, "National program "))
		if err != nil || j < 0 || j >= d.o.programs || d.programIDs[j] != "" || p.Status != "published" {
			return fmt.Errorf("the import answered an unexpected program %q (%s)", p.Title, p.Status)
		}
		d.programIDs[j] = p.ID
	}
	if len(items) != d.o.programs {
		return fmt.Errorf("the import made %d programs, want %d", len(items), d.o.programs)
	}
	return nil
}

// importProfiles imports every applicant's profile, profilesPerFile to a
// file.
func (d *driver) importProfiles(ctx context.Context) error {
	var notice struct {
		Version string `json:"version"`
	}
	if err := d.api.do(ctx, http.MethodGet, "/profiles/consent-notice", nil, nil, &notice); err != nil {
		return fmt.Errorf("read the consent notice: %w", err)
	}
	d.applicants = make([]string, d.o.applicants)
	for from := 0; from < d.o.applicants; from += profilesPerFile {
		to := min(d.o.applicants, from+profilesPerFile)
		var res struct {
			Items []struct {
				Line int    `json:"line"`
				ID   string `json:"id"`
			} `json:"items"`
		}
		file := rawCSV(d.in.profilesCSV(notice.Version, from, to))
		// Sending the same file again finishes an import the server's write
		// timeout cut short, and answers every line.
		err := retry(ctx, 10*time.Minute, true, func() error {
			return d.api.do(ctx, http.MethodPost, "/profiles/import", d.coord, file, &res)
		})
		if err != nil {
			return fmt.Errorf("import the profiles: %w", err)
		}
		for _, it := range res.Items {
			i := from + it.Line - 2 // line 1 is the header
			if i < from || i >= to || d.applicants[i] != "" {
				return fmt.Errorf("the import answered an unexpected line %d", it.Line)
			}
			d.applicants[i] = it.ID
		}
		if len(res.Items) != to-from {
			return fmt.Errorf("the import made %d profiles, want %d", len(res.Items), to-from)
		}
	}
	return nil
}

// importRanks imports every rank list, ranksPerFile to a file. Matching learns of the
// profiles and programs from events, so the import is refused (422) until
// it has them all.
func (d *driver) importRanks(ctx context.Context) error { return d.importRanksFrom(ctx, 0) }

// importRanksFrom imports the rank-list files from file (counted from 0) on.
func (d *driver) importRanksFrom(ctx context.Context, file int) error {
	for from := file * ranksPerFile; from < d.o.applicants; from += ranksPerFile {
		to := min(d.o.applicants, from+ranksPerFile)
		file := rawCSV(d.in.ranksCSV(d.applicants, d.programIDs, from, to))
		var res struct {
			Applicants int `json:"applicants"`
		}
		err := retry(ctx, 10*time.Minute, true, func() error {
			return d.api.do(ctx, http.MethodPost, "/rounds/"+d.roundID+"/ranks/import", d.coord, file, &res)
		}, http.StatusUnprocessableEntity)
		if err != nil {
			return fmt.Errorf("import the rank lists: %w", err)
		}
		if res.Applicants != to-from {
			return fmt.Errorf("the rank import set %d lists, want %d", res.Applicants, to-from)
		}
		if err := d.saveProgress(to / ranksPerFile); err != nil {
			return err
		}
	}
	return nil
}

// importRankings imports each program's ranking, two at a time.
func (d *driver) importRankings(ctx context.Context) error {
	jobs := make(chan int)
	errs := make(chan error, 2)
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			for j := range jobs {
				if len(d.in.ranks[j]) == 0 {
					continue
				}
				path := "/programs/" + url.PathEscape(d.programIDs[j]) + "/ranking/import"
				file := rawCSV(d.in.rankingCSV(j, d.applicants))
				err := retry(ctx, 5*time.Minute, true, func() error { return d.api.do(ctx, http.MethodPost, path, d.coord, file, nil) })
				if err != nil {
					errs <- fmt.Errorf("import the ranking of program %d: %w", j, err)
					return
				}
			}
		})
	}
	var err error
feed:
	for j := range d.programIDs {
		select {
		case jobs <- j:
		case err = <-errs:
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	if err == nil {
		select {
		case err = <-errs:
		default:
		}
	}
	return err
}

type roundView struct {
	Status        string `json:"status"`
	Phase         string `json:"phase"`
	Progress      int    `json:"progress"`
	BlockingPairs int    `json:"blockingPairs"`
	OverCapacity  int    `json:"overCapacity"`
	Unacceptable  int    `json:"unacceptablePairs"`
	LastError     string `json:"lastError"`
	Counts        struct {
		Proposed  int `json:"proposed"`
		Approved  int `json:"approved"`
		Published int `json:"published"`
	} `json:"counts"`
}

// runRound starts the run and waits for it to complete.
func (d *driver) runRound(ctx context.Context) error {
	if err := d.api.do(ctx, http.MethodPost, "/rounds/"+d.roundID+"/run", d.coord, nil, nil); err != nil {
		return fmt.Errorf("run the round: %w", err)
	}
	for {
		var r roundView
		if err := d.api.do(ctx, http.MethodGet, "/rounds/"+d.roundID, d.coord, nil, &r); err != nil {
			return fmt.Errorf("read the round: %w", err)
		}
		switch {
		case r.Phase == "failed":
			return fmt.Errorf("the run failed: %s", r.LastError)
		case r.Status == "completed":
			if r.BlockingPairs != 0 || r.OverCapacity != 0 || r.Unacceptable != 0 {
				return fmt.Errorf("the run completed with %d blocking pairs, %d over capacity, %d unacceptable pairs",
					r.BlockingPairs, r.OverCapacity, r.Unacceptable)
			}
			fmt.Fprintf(d.out, "completed: %d proposed, 0 blocking pairs\n", r.Counts.Proposed)
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("the run did not complete in time (phase %s, %d%%)", r.Phase, r.Progress)
		case <-time.After(time.Second):
		}
	}
}

// check compares the round's matches with the matching deferred
// acceptance gives: the same applicant at the same program, and so the
// same seats filled per program.
func (d *driver) check(ctx context.Context) error {
	want := d.in.deferredAcceptance()
	var got struct {
		Items []struct {
			ApplicantID string `json:"applicantId"`
			ProgramID   string `json:"programId"`
			Status      string `json:"status"`
		} `json:"items"`
	}
	if err := d.api.do(ctx, http.MethodGet, "/rounds/"+d.roundID+"/matches", d.coord, nil, &got); err != nil {
		return fmt.Errorf("read the matches: %w", err)
	}
	appIdx := make(map[string]int, len(d.applicants))
	for i, id := range d.applicants {
		appIdx[id] = i
	}
	progIdx := make(map[string]int, len(d.programIDs))
	for j, id := range d.programIDs {
		progIdx[id] = j
	}
	filledWant := make([]int, len(d.programIDs))
	wantCount := 0
	for _, j := range want {
		if j >= 0 {
			filledWant[j]++
			wantCount++
		}
	}
	filledGot := make([]int, len(d.programIDs))
	var problems []string
	for _, m := range got.Items {
		i, ok1 := appIdx[m.ApplicantID]
		j, ok2 := progIdx[m.ProgramID]
		if !ok1 || !ok2 {
			problems = append(problems, fmt.Sprintf("a match of unknown applicant %s or program %s", m.ApplicantID, m.ProgramID))
			continue
		}
		filledGot[j]++
		if want[i] != j {
			problems = append(problems, fmt.Sprintf("applicant %d matched to program %d, deferred acceptance gives %d", i, j, want[i]))
		}
	}
	for j := range filledWant {
		if filledWant[j] != filledGot[j] {
			problems = append(problems, fmt.Sprintf("program %d: %d seats filled, deferred acceptance fills %d", j, filledGot[j], filledWant[j]))
		}
	}
	if len(got.Items) != wantCount {
		problems = append(problems, fmt.Sprintf("%d matches, deferred acceptance makes %d", len(got.Items), wantCount))
	}
	if len(problems) > 0 {
		if len(problems) > 10 {
			problems = append(problems[:10], fmt.Sprintf("and %d more", len(problems)-10))
		}
		return errors.New("the round differs from the applicant-optimal stable matching:\n  " + strings.Join(problems, "\n  "))
	}
	seats := 0
	for _, s := range d.in.seats {
		seats += s
	}
	fmt.Fprintf(d.out, "check: %d matches on %d seats equal the applicant-optimal stable matching, program by program\n", wantCount, seats)
	return nil
}

// settle waits until the platform is quiet (client.quiet) on two checks
// five seconds apart.
func (d *driver) settle(ctx context.Context) error {
	last := map[string]float64{}
	calm := 0
	var giveUp <-chan time.Time
	if d.o.settleFor > 0 {
		giveUp = time.After(d.o.settleFor)
	}
	for calm < 2 {
		select {
		case <-giveUp:
			// What is still waiting shares the machine with the steps
			// timed next: say so beside their figures.
			fmt.Fprintf(d.out, "not settled after %s: consumers still %.0f messages behind, %.0f events awaited\n",
				d.o.settleFor, last["tb_consumer_lag"], last["tb_outbox_awaited"])
			return nil
		case <-ctx.Done():
			return fmt.Errorf("wait for the platform to settle: %w", ctx.Err())
		case <-time.After(5 * time.Second):
		}
		q, err := d.api.quiet(ctx, last)
		if err != nil {
			return fmt.Errorf("wait for the platform to settle: %w", err)
		}
		if q {
			calm++
		} else {
			calm = 0
		}
	}
	return nil
}

// act posts a coordinator action on the round (approve, publish) and
// returns the round after it. An answer cut off by the server's write
// timeout (60 s; the action goes on after it) is not a failure: the round
// is then read every two seconds until done says the action has landed.
// An answer with a status is returned as it is.
func (d *driver) act(ctx context.Context, action string, body any, done func(roundView) bool) (roundView, error) {
	var r roundView
	err := d.api.do(ctx, http.MethodPost, "/rounds/"+d.roundID+"/"+action, d.coord, body, &r)
	var ae *apiError
	if err == nil || errors.As(err, &ae) {
		return r, err
	}
	fmt.Fprintf(d.out, "%s: the answer was cut off (%v); waiting for the round\n", action, err)
	for {
		select {
		case <-ctx.Done():
			return r, fmt.Errorf("%s: %w", action, ctx.Err())
		case <-time.After(2 * time.Second):
		}
		if err := d.api.do(ctx, http.MethodGet, "/rounds/"+d.roundID, d.coord, nil, &r); err != nil {
			continue // the server may still be busy
		}
		if done(r) {
			return r, nil
		}
	}
}
