package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/talentbridge/platform/shared/events"
	"github.com/talentbridge/platform/shared/outbox"
)

// Fault tests on the split platform. By default they run small, inside
// scripts/test.sh; scripts/reliability.sh sets TB_RELIABILITY=full for the
// sizes of the reliability issue and prints the table that faultTable
// collects.

func full() bool { return os.Getenv("TB_RELIABILITY") == "full" }

func size(short, long int) int {
	if full() {
		return long
	}
	return short
}

// faultRow is one line of the table printed at the end of the run.
type faultRow struct {
	Case                     string
	Injected                 string
	Sent, Applied, Dup, Lost int
	Note                     string
}

var (
	faultMu    sync.Mutex
	faultTable []faultRow
)

func record(r faultRow) {
	faultMu.Lock()
	defer faultMu.Unlock()
	faultTable = append(faultTable, r)
}

// printFaultTable writes the table to stdout when any fault test ran.
func printFaultTable() {
	faultMu.Lock()
	defer faultMu.Unlock()
	if len(faultTable) == 0 {
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\n| case | injected faults | events sent | events applied | duplicates | lost | notes |\n|---|---|---|---|---|---|---|\n")
	for _, r := range faultTable {
		fmt.Fprintf(&b, "| %s | %s | %d | %d | %d | %d | %s |\n", r.Case, r.Injected, r.Sent, r.Applied, r.Dup, r.Lost, r.Note)
	}
	os.Stdout.WriteString(b.String())
}

// profileBody is a valid profile for user n.
func profileBody(n int) map[string]any {
	country, region, lang := "IN", "Tamil Nadu", map[string]any{"code": "ja", "level": "N4"}
	if n%2 == 1 {
		country, region, lang = "JP", "Miyagi", map[string]any{"code": "hi", "level": "A2"}
	}
	return map[string]any{
		"kind": "student", "name": fmt.Sprintf("Reliability Person %d", n), "homeCountry": country,
		"institution": "Kaveri Institute of Technology", "region": region,
		"fields": []any{"1.2"}, "skills": []any{"machine learning", "robotics"},
		"languages":   []any{map[string]any{"code": "en", "level": "C1"}, lang},
		"degreeLevel": "master", "birthYear": 1999, "availableFrom": "2027-04-01", "availableTo": "2028-03-31",
		"preferences": map[string]any{"programKinds": []any{"exchange"}, "hostRegions": []any{}},
		"statement":   "Fault-test applicant.",
		"consents":    map[string]any{"noticeVersion": "2026-12", "dataProcessing": true, "crossBorderTransfer": true, "visibleToHosts": true},
	}
}

// call sends one JSON request and returns the status and body.
func call(client *http.Client, method, url, token string, body any) (int, []byte, error) {
	var r io.Reader
	if body != nil {
		raw, _ := json.Marshal(body)
		r = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, url, r)
	if err != nil {
		return 0, nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	return resp.StatusCode, raw, err
}

// countBySubject counts events per aggregate id.
func countBySubject(evs []events.Envelope) map[string]int {
	out := map[string]int{}
	for _, ev := range evs {
		out[ev.Subject]++
	}
	return out
}

// TestReliabilityFailpointBetweenWriteAndPublish kills the profiles process
// right before (or right after) it publishes the event of a change it
// stored, again and again, and checks that every stored change is published
// exactly once.
func TestReliabilityFailpointBetweenWriteAndPublish(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the split platform")
	}
	n := size(10, 100)
	s := startSplit(t)
	ctx := context.Background()
	client := &http.Client{Timeout: 15 * time.Second}
	acked := map[string]bool{}
	for i := range n {
		point := outbox.FailpointBeforePublish
		if i%2 == 1 {
			point = outbox.FailpointAfterPublish
		}
		s.kill("profiles")
		p := s.start("profiles", outbox.FailpointEnv+"="+point)
		s.waitReady("profiles", 30*time.Second)
		user := fmt.Sprintf("failpoint-%03d", i)
		// The process may die before its answer is out: the write is then
		// stored or not, and the database says which.
		status, body, err := call(client, "POST", s.url("profiles")+"/api/v1/profiles", s.token(user, "applicant"), profileBody(i))
		switch {
		case status == http.StatusCreated:
			acked[user] = true
		case err == nil:
			t.Fatalf("create profile %d: %d %s", i, status, body)
		}
		select {
		case err := <-p.done:
			p.done <- err
		case <-time.After(15 * time.Second):
			t.Fatalf("profiles did not exit at failpoint %s (iteration %d)", point, i)
		}
	}
	s.start("profiles")
	s.waitReady("profiles", 30*time.Second)

	// What was stored, whatever the clients heard.
	coll := s.mongo(ctx).Database("profiles").Collection("profiles")
	cur, err := coll.Find(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$regex", Value: "^failpoint-"}}}})
	if err != nil {
		t.Fatal(err)
	}
	var docs []struct {
		ID string `bson:"_id"`
	}
	if err := cur.All(ctx, &docs); err != nil {
		t.Fatal(err)
	}
	stored := map[string]bool{}
	for _, d := range docs {
		stored[d.ID] = true
	}
	b := s.bus(ctx)
	var counts map[string]int
	deadline := time.Now().Add(60 * time.Second)
	for {
		counts = countBySubject(streamEvents(t, b, "PROFILES", events.ProfileCreated))
		if len(counts) >= len(stored) || time.Now().After(deadline) {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	dup, lost, phantom := 0, 0, 0
	for user := range stored {
		switch c := counts[user]; {
		case c == 0:
			lost++
		case c > 1:
			dup += c - 1
		}
	}
	for user := range counts {
		if !stored[user] {
			phantom++
		}
	}
	unstoredAcks := 0
	for user := range acked {
		if !stored[user] {
			unstoredAcks++
		}
	}
	record(faultRow{Case: "3 failpoint between write and publish", Injected: fmt.Sprintf("%d process exits (before/after publish)", n),
		Sent: len(stored), Applied: len(counts), Dup: dup, Lost: lost,
		Note: fmt.Sprintf("%d writes stored (%d answered 201 before the exit)", len(stored), len(acked))})
	if dup != 0 || lost != 0 || phantom != 0 || unstoredAcks != 0 {
		t.Errorf("%d stored changes: %d published, %d duplicates, %d lost, %d events without a stored change, %d acknowledged writes not stored",
			len(stored), len(counts), dup, lost, phantom, unstoredAcks)
	}
	if len(stored) < n/2 {
		t.Errorf("only %d of %d writes were stored; the failpoint fires too early to test anything", len(stored), n)
	}
}

// outcome of one request in a burst.
type outcome struct {
	user     string
	status   int
	problem  bool
	took     time.Duration
	err      error
	acked    bool
	duringOf bool
}

// TestReliabilityInfraKilledMidBurst kills the process holding NATS and
// FerretDB with SIGKILL while profiles are being created through the
// gateway, and starts it again. Every write acknowledged with 2xx must be
// stored and its event in the stream; the services must reconnect by
// themselves within 10 s; requests during the outage must end with 503
// problem+json within the request timeout.
func TestReliabilityInfraKilledMidBurst(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the split platform")
	}
	total := size(150, 1500)
	s := startSplit(t, "TB_HTTP_REQUEST_TIMEOUT=8s")
	ctx := context.Background()
	client := &http.Client{Timeout: 20 * time.Second}

	var mu sync.Mutex
	var results []outcome
	next := make(chan int)
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				user := fmt.Sprintf("burst-%05d", i)
				began := time.Now()
				status, body, err := call(client, "POST", s.url("gateway")+"/api/v1/profiles", s.token(user, "applicant"), profileBody(i))
				o := outcome{user: user, status: status, took: time.Since(began), err: err, acked: status == http.StatusCreated,
					problem: bytes.Contains(body, []byte(`"code"`))}
				mu.Lock()
				results = append(results, o)
				mu.Unlock()
			}
		}()
	}
	killAt := total / 3
	var outage struct{ from, to time.Time }
	var reconnect map[string]time.Duration
	for i := range total {
		if i == killAt {
			outage.from = time.Now()
			s.kill("infra")
			time.Sleep(2 * time.Second)
			s.restartInfra()
			outage.to = time.Now()
			reconnect = map[string]time.Duration{}
			for _, n := range services {
				reconnect[n] = s.waitReady(n, 30*time.Second)
			}
		}
		next <- i
	}
	close(next)
	wg.Wait()

	acked := map[string]bool{}
	var bad []string
	for _, o := range results {
		switch {
		case o.acked:
			acked[o.user] = true
		case o.err != nil:
			bad = append(bad, fmt.Sprintf("%s: %v after %s", o.user, o.err, o.took))
		case o.status == http.StatusServiceUnavailable && o.problem:
		default:
			bad = append(bad, fmt.Sprintf("%s: status %d (problem %v) after %s", o.user, o.status, o.problem, o.took))
		}
		if o.took > 10*time.Second {
			bad = append(bad, fmt.Sprintf("%s: took %s", o.user, o.took))
		}
	}

	// Every acknowledged write is stored and its event published.
	b := s.bus(ctx)
	coll := s.mongo(ctx).Database("profiles").Collection("profiles")
	var counts map[string]int
	deadline := time.Now().Add(60 * time.Second)
	for {
		counts = countBySubject(streamEvents(t, b, "PROFILES", events.ProfileCreated))
		missing := 0
		for u := range acked {
			if counts[u] == 0 {
				missing++
			}
		}
		if missing == 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(250 * time.Millisecond)
	}
	lost, dup := 0, 0
	for u := range acked {
		if n, err := coll.CountDocuments(ctx, bson.D{{Key: "_id", Value: u}}); err != nil || n != 1 {
			lost++
			continue
		}
		switch c := counts[u]; {
		case c == 0:
			lost++
		case c > 1:
			dup += c - 1
		}
	}
	slowest := time.Duration(0)
	for _, d := range reconnect {
		slowest = max(slowest, d)
	}
	record(faultRow{Case: "2 infra SIGKILL mid-burst", Injected: fmt.Sprintf("1 kill, %s outage", outage.to.Sub(outage.from).Round(100*time.Millisecond)),
		Sent: len(acked), Applied: len(acked) - lost, Dup: dup, Lost: lost,
		Note: fmt.Sprintf("%d requests, %d acknowledged, others 503; services ready %s after restart", total, len(acked), slowest.Round(10*time.Millisecond))})
	if lost != 0 || dup != 0 {
		t.Errorf("%d acknowledged writes: %d lost, %d duplicated", len(acked), lost, dup)
	}
	if slowest > 10*time.Second {
		t.Errorf("services took %v to become ready after the infra restart: %v", slowest, reconnect)
	}
	if len(bad) > 0 {
		t.Errorf("%d requests ended other than 201 or a 503 problem within the timeout:\n%s", len(bad), strings.Join(bad[:min(len(bad), 10)], "\n"))
	}
	if len(acked) < total/2 {
		t.Errorf("only %d of %d writes were acknowledged", len(acked), total)
	}
}

// processStats reads the resident memory of a process and, from its
// /metrics, the number of goroutines.
func processStats(t *testing.T, s *split, name string) (rssKB int, goroutines int) {
	t.Helper()
	rssKB, goroutines, err := readProcessStats(s, name)
	if err != nil {
		t.Fatal(err)
	}
	return rssKB, goroutines
}

// readProcessStats reads a process's resident memory (/proc) and its
// goroutine count (its /metrics).
func readProcessStats(s *split, name string) (rssKB int, goroutines int, err error) {
	s.mu.Lock()
	pid := s.procs[name].cmd.Process.Pid
	s.mu.Unlock()
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0, err
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if strings.HasPrefix(line, "VmRSS:") {
			fmt.Sscan(strings.TrimSpace(strings.TrimPrefix(line, "VmRSS:")), &rssKB)
		}
	}
	_, body, err := call(&http.Client{Timeout: 5 * time.Second}, "GET", "http://"+s.addr[name]+"/metrics", "", nil)
	if err != nil {
		return 0, 0, err
	}
	for _, line := range strings.Split(string(body), "\n") {
		if strings.HasPrefix(line, "go_goroutines ") {
			fmt.Sscan(strings.TrimPrefix(line, "go_goroutines "), &goroutines)
		}
	}
	return rssKB, goroutines, nil
}

// procSample is one reading of a process.
type procSample struct{ rss, gor int }

// growth compares the middle of the first and the last third of a series
// of readings taken after warm-up: a leak climbs through the run, while
// caches that fill and connection pools that breathe with the load do not
// move the medians apart. It returns what grew, in words.
func growth(name string, series []procSample) []string {
	if len(series) < 3 {
		return []string{fmt.Sprintf("%s: only %d readings", name, len(series))}
	}
	third := len(series) / 3
	med := func(part []procSample, f func(procSample) int) int {
		v := make([]int, len(part))
		for i, p := range part {
			v[i] = f(p)
		}
		slices.Sort(v)
		return v[len(v)/2]
	}
	rss := func(p procSample) int { return p.rss }
	gor := func(p procSample) int { return p.gor }
	first, last := series[:third], series[len(series)-third:]
	var out []string
	// Allow noise: 15 % or 8 MiB of memory, 5 goroutines.
	if b, e := med(first, rss), med(last, rss); e > b+max(b*15/100, 8*1024) {
		out = append(out, fmt.Sprintf("%s RSS %d→%d KiB", name, b, e))
	}
	if b, e := med(first, gor), med(last, gor); e > b+5 && name != "infra" {
		out = append(out, fmt.Sprintf("%s goroutines %d→%d", name, b, e))
	}
	return out
}

// TestReliabilitySteadyLoad sends a steady mix of reads and writes through
// the gateway and checks the error rate, and that no process keeps growing
// in memory or goroutines once warmed up.
func TestReliabilitySteadyLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the split platform")
	}
	// Full size is the 100 requests/s for 60 s. The short run inside
	// scripts/test.sh is a lighter leak check: the embedded FerretDB writes
	// one document at a time, and under the CPU contention of a parallel
	// test run 25 writes/s can already queue up.
	rate, dur := size(40, 100), size(8, 60)
	s := startSplit(t)
	client := &http.Client{Timeout: 10 * time.Second}
	procs := append([]string{"infra"}, services...)
	series := map[string][]procSample{}
	sample := func() {
		for _, n := range procs {
			if rss, g, err := readProcessStats(s, n); err == nil {
				series[n] = append(series[n], procSample{rss, g})
			}
		}
	}
	var mu sync.Mutex
	sent, failed := 0, 0
	var failures []string
	tick := time.NewTicker(time.Second / time.Duration(rate))
	defer tick.Stop()
	stop := time.After(time.Duration(dur) * time.Second)
	// After warm-up, every process is read every 2 s (8 s runs: every
	// 500 ms) until the load ends.
	warm := time.After(time.Duration(dur) * time.Second / 4)
	every := time.NewTicker(time.Duration(dur) * time.Second / 30)
	defer every.Stop()
	warmed := false
	var wg sync.WaitGroup
	users := 50
	for i := 0; ; i++ {
		select {
		case <-stop:
			goto done
		case <-warm:
			warmed = true
			continue
		case <-every.C:
			if warmed {
				sample()
			}
			continue
		case <-tick.C:
		}
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			u := i % users
			user := fmt.Sprintf("steady-%03d", u)
			tok := s.token(user, "applicant")
			var status int
			var err error
			var want []int
			switch {
			case i < users: // each user's profile first
				status, _, err = call(client, "POST", s.url("gateway")+"/api/v1/profiles", tok, profileBody(u))
				want = []int{http.StatusCreated, http.StatusConflict}
			case i%4 == 0:
				body := profileBody(u)
				body["statement"] = fmt.Sprintf("Updated %d times.", i)
				status, _, err = call(client, "PUT", s.url("gateway")+"/api/v1/profiles/me", tok, body)
				want = []int{http.StatusOK, http.StatusNotFound}
			case i%4 == 1:
				status, _, err = call(client, "GET", s.url("gateway")+"/api/v1/profiles/me", tok, nil)
				want = []int{http.StatusOK, http.StatusNotFound}
			default:
				status, _, err = call(client, "GET", s.url("gateway")+"/api/v1/programs?q=robotics&page=1", "", nil)
				want = []int{http.StatusOK}
			}
			ok := err == nil
			if ok {
				ok = false
				for _, w := range want {
					ok = ok || status == w
				}
			}
			mu.Lock()
			sent++
			if !ok {
				failed++
				failures = append(failures, fmt.Sprintf("request %d: %d %v", i, status, err))
			}
			mu.Unlock()
		}(i)
	}
done:
	wg.Wait()
	var grown []string
	for _, n := range procs {
		grown = append(grown, growth(n, series[n])...)
		ser := series[n]
		if len(ser) > 0 {
			t.Logf("%s: %d readings, RSS %d→%d KiB, goroutines %d→%d", n, len(ser), ser[0].rss, ser[len(ser)-1].rss, ser[0].gor, ser[len(ser)-1].gor)
		}
	}
	errRate := float64(failed) / float64(max(sent, 1))
	record(faultRow{Case: "5 steady load", Injected: fmt.Sprintf("%d req/s for %d s, mixed", rate, dur), Sent: sent, Applied: sent - failed,
		Note: fmt.Sprintf("error rate %.3f%%; growth: %v", 100*errRate, grown)})
	if errRate >= 0.001 {
		t.Errorf("error rate %.3f%% (%d of %d): %v", 100*errRate, failed, sent, failures[:min(len(failures), 10)])
	}
	if len(grown) > 0 {
		t.Errorf("growth after warm-up: %v", grown)
	}
}

// TestGrowthTellsLeaksFromNoise checks the steady-load test's judge on
// made-up readings: a steady climb is growth, a plateau reached early and
// a pool that breathes are not.
func TestGrowthTellsLeaksFromNoise(t *testing.T) {
	series := func(f func(i int) procSample) []procSample {
		var out []procSample
		for i := range 24 {
			out = append(out, f(i))
		}
		return out
	}
	tests := []struct {
		name  string
		s     []procSample
		grown bool
	}{
		{"memory leak", series(func(i int) procSample { return procSample{40000 + 1500*i, 30} }), true},
		{"goroutine leak", series(func(i int) procSample { return procSample{40000, 30 + i} }), true},
		{"flat", series(func(i int) procSample { return procSample{40000, 30} }), false},
		{"breathing pool", series(func(i int) procSample { return procSample{40000 + 3000*(i%3), 30 + 8*(i%2)} }), false},
		{"cache that fills early", series(func(i int) procSample { return procSample{40000 + 1000*min(i, 4), 30} }), false},
	}
	for _, tc := range tests {
		if got := growth("svc", tc.s); (len(got) > 0) != tc.grown {
			t.Errorf("%s: growth = %v, want grown=%v", tc.name, got, tc.grown)
		}
	}
}
