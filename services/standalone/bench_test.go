package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/talentbridge/platform/services/gateway/identitytest"
	"github.com/talentbridge/platform/shared/config"
	"github.com/talentbridge/platform/shared/logging"
	"github.com/talentbridge/platform/shared/mongodb"
	"github.com/talentbridge/platform/shared/natsauth"
	"github.com/talentbridge/platform/shared/natsbus"
)

// Benchmarks of the whole platform, run in-process with its embedded NATS
// and FerretDB, as `go run ./services/standalone` composes them. They are
// Benchmark functions, so scripts/test.sh (which passes no -bench) never
// runs them; scripts/bench.sh does, with -benchtime 1x -count N, and turns
// the metrics they report into the table of docs/BENCHMARKS.md.
//
//	BenchmarkPipelineThroughput  profiles created over HTTP per second until the
//	                             matching read model holds every one
//	BenchmarkPipelineLag         lag from HTTP 201 to the read model under a
//	                             steady, open-loop creation rate
//	BenchmarkEcho                a bare Echo handler alone: the ceiling of this
//	                             machine for the load generator
//	BenchmarkAPI                 GET /programs?q= and GET /recommendations/me at a
//	                             fixed rate and the highest rate each holds, beside
//	                             the same load on a bare Echo handler
//
// Settings, all optional (defaults in parentheses): TB_BENCH_PROFILES (2000),
// TB_BENCH_WORKERS (32), TB_BENCH_DRAIN (40s); TB_BENCH_LAG_RATE (200),
// TB_BENCH_LAG_FOR (3s), TB_BENCH_LAG_DRAIN (25s); TB_BENCH_PUBLISHED (10000),
// TB_BENCH_DRAFTS (0), TB_BENCH_APPLICANTS (500), TB_BENCH_RATE (500),
// TB_BENCH_FOR (3s), TB_BENCH_STEP (2s), TB_BENCH_ECHO_STEP (1s),
// TB_BENCH_IDLE (5s). TB_BENCH_LOG=<level> shows the platform's log,
// and TB_BENCH_DEBUG=1 the fixture's progress.

// benchInt reads a non-negative integer setting, or returns def.
func benchInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v >= 0 {
		return v
	}
	return def
}

// benchDuration reads a duration setting ("20s"), or returns def.
func benchDuration(name string, def time.Duration) time.Duration {
	if v, err := time.ParseDuration(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

// --- the platform under test ---

// benchSeed is the signing key seed of every platform this process starts
// (TB_SIGNING_KEY), so the benchmarks mint access tokens for as many users
// as they like without signing each one up.
var benchSeed = sync.OnceValue(func() []byte {
	seed := make([]byte, 32)
	_, _ = rand.Read(seed)
	return seed
})

// benchPlatform is a running standalone platform with a direct connection
// to its embedded FerretDB, through which the benchmarks read the matching
// service's read model.
type benchPlatform struct {
	url      string
	bus      *natsbus.Bus
	key      identitytest.Key
	matching *mongo.Database
	client   *http.Client
	stop     func() error
}

// launchPlatform starts the platform on data in dir. It uses the
// standalone command's own settings from the environment (so
// TB_NATS_SYNC_ALWAYS keeps its default, true) but fixes the data folder and
// the embedded servers' addresses, so that the benchmark can reach them too.
func launchPlatform(dir string) (*benchPlatform, error) {
	seed := benchSeed()
	if err := os.Setenv("TB_SIGNING_KEY", base64.StdEncoding.EncodeToString(seed)); err != nil {
		return nil, err
	}
	cfg, err := config.Load[config.Service]()
	if err != nil {
		return nil, err
	}
	st, err := config.Load[settings]()
	if err != nil {
		return nil, err
	}
	natsAddr, err := loopbackAddr()
	if err != nil {
		return nil, err
	}
	cfg.HTTP.Addr = "127.0.0.1:0"
	cfg.NATS.URL, cfg.Mongo.URI = "", ""
	st.DataDir, st.NATSAddr, st.Demo, st.InfraOnly = dir, natsAddr, false, false

	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- serve(ctx, cfg, st, benchLog(), func(a net.Addr) { ready <- a.String() })
	}()
	stop := func() error {
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(30 * time.Second):
			return errors.New("standalone did not stop within 30s")
		}
	}
	var addr string
	select {
	case addr = <-ready:
	case err := <-done:
		cancel()
		return nil, fmt.Errorf("standalone stopped: %v", err)
	case <-time.After(90 * time.Second):
		_ = stop()
		return nil, errors.New("standalone not ready within 90s")
	}
	// The process's own user reads the streams; FerretDB is on its socket.
	natsURL, mongoURI, err := loadConnect(dir, natsauth.Platform)
	if err != nil {
		_ = stop()
		return nil, err
	}
	mc, err := mongodb.Connect(ctx, mongoURI, "bench")
	if err != nil {
		_ = stop()
		return nil, err
	}
	bus, err := natsbus.Connect(ctx, natsURL, "bench", quietLog())
	if err != nil {
		_ = mc.Disconnect(context.Background())
		_ = stop()
		return nil, err
	}
	p := &benchPlatform{
		url:      "http://" + addr,
		bus:      bus,
		key:      identitytest.KeyFromSeed(seed),
		matching: mc.Database(cfg.Mongo.DBPrefix + "matching"),
		client:   loadClient(2 * time.Minute),
	}
	p.stop = func() error {
		_ = bus.Close(context.Background())
		_ = mc.Disconnect(context.Background())
		return stop()
	}
	if err := awaitOK(p.client, p.url+"/readyz", 60*time.Second); err != nil {
		_ = p.stop()
		return nil, err
	}
	return p, nil
}

// benchLog discards the platform's log unless TB_BENCH_LOG names a level
// ("warn"), in which case it goes to stderr.
func benchLog() *slog.Logger {
	if level := os.Getenv("TB_BENCH_LOG"); level != "" {
		return logging.New(os.Stderr, "standalone", level)
	}
	return logging.New(io.Discard, "standalone", "error")
}

// startBenchPlatform starts a fresh platform that stops when b ends.
func startBenchPlatform(b *testing.B) *benchPlatform {
	b.Helper()
	p, err := launchPlatform(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		if err := p.stop(); err != nil {
			b.Error(err)
		}
	})
	return p
}

func loopbackAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

func awaitOK(client *http.Client, url string, within time.Duration) error {
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		if resp, err := client.Get(url); err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("%s not ready within %s", url, within)
}

// loadClient is an HTTP client that keeps enough idle connections for an
// open-loop load generator: without them every burst would open new
// connections and measure the kernel's TIME_WAIT handling instead of the
// server.
func loadClient(timeout time.Duration) *http.Client {
	tr := &http.Transport{
		Proxy:               nil,
		MaxIdleConns:        4096,
		MaxIdleConnsPerHost: 4096,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
	}
	return &http.Client{Transport: tr, Timeout: timeout}
}

func (p *benchPlatform) token(user, role string) string {
	return identitytest.Valid(p.key, user, role)
}

// readModelCount is the number of profiles the matching service has stored
// from profile events.
func (p *benchPlatform) readModelCount(ctx context.Context) (int64, error) {
	return p.matching.Collection("profiles").CountDocuments(ctx, bson.D{})
}

// waitReadModel waits until the matching read model holds want profiles.
// Counting documents makes FerretDB read and decode the whole collection,
// which would slow down what is measured, so it first waits on JetStream
// until the matching service has acknowledged every profile event, and
// counts only then. The figures come from syncedAt, not from when this
// returns.
func (p *benchPlatform) waitReadModel(ctx context.Context, want int64, within time.Duration) error {
	deadline := time.Now().Add(within)
	var n int64
	var err error
	for time.Now().Before(deadline) {
		if p.profileEventsDone(ctx, uint64(want)) {
			if n, err = p.readModelCount(ctx); err == nil && n >= want {
				return nil
			}
			time.Sleep(time.Second)
			continue
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("matching read model holds %d of %d profiles after %s (last error %v)", n, want, within, err)
}

// profileEventsDone reports whether the PROFILES stream holds at least
// events messages and the matching service's consumer has none left to
// handle or acknowledge.
func (p *benchPlatform) profileEventsDone(ctx context.Context, events uint64) bool {
	return p.consumed(ctx, "PROFILES", "matching-profiles", events) == nil
}

// consumed returns nil once stream holds at least events messages and the
// durable consumer has none left to handle or acknowledge, and otherwise
// an error that tells how far it has got.
func (p *benchPlatform) consumed(ctx context.Context, stream, consumer string, events uint64) error {
	st, err := p.bus.JS.Stream(ctx, stream)
	if err != nil {
		return err
	}
	info, err := st.Info(ctx)
	if err != nil {
		return err
	}
	c, err := p.bus.JS.Consumer(ctx, stream, consumer)
	if err != nil {
		return err
	}
	ci, err := c.Info(ctx)
	if err != nil {
		return err
	}
	if info.State.Msgs < events || ci.NumPending > 0 || ci.NumAckPending > 0 {
		return fmt.Errorf("%s: %d of %d events in the stream, %s has %d pending and %d unacknowledged",
			stream, info.State.Msgs, events, consumer, ci.NumPending, ci.NumAckPending)
	}
	return nil
}

// syncedAt returns when the matching service stored each profile of the
// read model (its own clock, which in one process is the benchmark's).
func (p *benchPlatform) syncedAt(ctx context.Context) (map[string]time.Time, error) {
	cur, err := p.matching.Collection("profiles").Find(ctx, bson.D{},
		options.Find().SetProjection(bson.D{{Key: "syncedAt", Value: 1}}))
	if err != nil {
		return nil, err
	}
	var docs []struct {
		ID       string    `bson:"_id"`
		SyncedAt time.Time `bson:"syncedAt"`
	}
	if err := cur.All(ctx, &docs); err != nil {
		return nil, err
	}
	out := make(map[string]time.Time, len(docs))
	for _, d := range docs {
		out[d.ID] = d.SyncedAt
	}
	return out, nil
}

// request is one prepared API call.
type request struct {
	method, path, token, contentType string
	body                             []byte
}

// do sends r and reads the whole answer; it returns the status.
func (p *benchPlatform) do(r request) (int, []byte, error) {
	return send(p.client, p.url, r)
}

func send(client *http.Client, base string, r request) (int, []byte, error) {
	var body io.Reader
	if r.body != nil {
		body = bytes.NewReader(r.body)
	}
	req, err := http.NewRequest(r.method, base+r.path, body)
	if err != nil {
		return 0, nil, err
	}
	if r.body != nil {
		ct := r.contentType
		if ct == "" {
			ct = "application/json"
		}
		req.Header.Set("Content-Type", ct)
	}
	if r.token != "" {
		req.Header.Set("Authorization", "Bearer "+r.token)
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	return resp.StatusCode, raw, err
}

// createProfiles posts one profile for each user, from workers goroutines,
// and fails on any answer but 201.
func (p *benchPlatform) createProfiles(users []string, workers int) error {
	reqs := make([]request, len(users))
	for i, u := range users {
		raw, err := json.Marshal(benchProfile(i))
		if err != nil {
			return err
		}
		reqs[i] = request{method: http.MethodPost, path: "/api/v1/profiles", token: p.token(u, "applicant"), body: raw}
	}
	var next atomic.Int64
	errc := make(chan error, workers)
	for range workers {
		go func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= len(reqs) {
					errc <- nil
					return
				}
				status, body, err := p.do(reqs[i])
				if err == nil && status != http.StatusCreated {
					err = fmt.Errorf("POST /profiles for %s: %d %s", users[i], status, body)
				}
				if err != nil {
					next.Store(int64(len(reqs)))
					errc <- err
					return
				}
			}
		}()
	}
	var first error
	for range workers {
		if err := <-errc; err != nil && first == nil {
			first = err
		}
	}
	return first
}

// benchProfile is a valid profile for applicant n (see profileBody),
// available from next month for a year and a half, so that it overlaps the
// benchmark's programs whatever the date of the run.
func benchProfile(n int) map[string]any {
	body := profileBody(n)
	now := time.Now().UTC()
	body["availableFrom"] = now.AddDate(0, 1, 0).Format(time.DateOnly)
	body["availableTo"] = now.AddDate(1, 6, 0).Format(time.DateOnly)
	body["name"] = fmt.Sprintf("Bench Applicant %d", n)
	body["statement"] = "Benchmark applicant."
	if n%3 == 0 {
		body["skills"] = []any{"python", "remote sensing", "machine learning"}
		body["fields"] = []any{"2.2"}
	}
	return body
}

// --- statistics ---

// quantile returns the q-quantile (0..1) of sorted durations, by the
// nearest-rank method.
func quantile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(math.Ceil(q*float64(len(sorted)))) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// --- the open-loop load generator ---

// loadResult is what one run of the generator observed.
type loadResult struct {
	rate     float64 // requests per second asked for
	sent     int
	ok       int // 2xx answers
	failed   int // other answers, transport errors and timeouts
	skipped  int // requests not sent because too many were in flight
	elapsed  time.Duration
	lat      []time.Duration // of the ok requests, sorted
	answered []time.Time     // when request i was answered 2xx; zero if it was not
	lateness time.Duration   // how far the generator fell behind its schedule, at most
	firstErr string
}

func (r loadResult) p50() time.Duration { return quantile(r.lat, 0.50) }
func (r loadResult) p99() time.Duration { return quantile(r.lat, 0.99) }

// throughput is answers per second over the whole run, draining included.
func (r loadResult) throughput() float64 {
	if r.elapsed <= 0 {
		return 0
	}
	return float64(r.ok) / r.elapsed.Seconds()
}

// held reports whether the run kept up with its rate: every request sent and
// answered 2xx, p99 under limit, and the answers arriving at (nearly) the
// rate asked for.
func (r loadResult) held(limit time.Duration) bool {
	return r.skipped == 0 && r.failed == 0 && r.ok == r.sent && r.p99() < limit &&
		r.throughput() >= 0.95*r.rate
}

func (r loadResult) String() string {
	s := fmt.Sprintf("rate %.0f/s: sent %d, ok %d, failed %d, skipped %d, p50 %.1f ms, p99 %.1f ms, %.0f answers/s, generator behind by %s",
		r.rate, r.sent, r.ok, r.failed, r.skipped, ms(r.p50()), ms(r.p99()), r.throughput(), r.lateness.Round(time.Millisecond))
	if r.firstErr != "" {
		s += ", first error: " + r.firstErr
	}
	return s
}

// maxInFlight bounds the generator: past it the server is hopelessly
// behind, and further requests are counted as skipped.
const maxInFlight = 4000

// openLoop sends count requests at a fixed rate, each at its scheduled
// instant whether or not earlier ones were answered (an open loop, as
// users arrive), and measures each latency from its scheduled instant, so
// that a server or generator falling behind shows in the latency instead of
// silently lowering the rate (no coordinated omission). next(i) gives the
// i-th request.
func openLoop(client *http.Client, base string, rate float64, count int, next func(i int) request) loadResult {
	res := loadResult{rate: rate, answered: make([]time.Time, count)}
	lat := make([]time.Duration, count)
	var failed, inflight atomic.Int64
	var errOnce sync.Once
	var wg sync.WaitGroup
	interval := time.Duration(float64(time.Second) / rate)
	start := time.Now()
	for i := range count {
		due := start.Add(time.Duration(i) * interval)
		if d := time.Until(due); d > 0 {
			time.Sleep(d)
		} else if -d > res.lateness {
			res.lateness = -d
		}
		if inflight.Load() >= maxInFlight {
			res.skipped++
			continue
		}
		res.sent++
		inflight.Add(1)
		wg.Add(1)
		r := next(i)
		go func() {
			defer wg.Done()
			defer inflight.Add(-1)
			status, body, err := send(client, base, r)
			if err == nil && (status < 200 || status > 299) {
				err = fmt.Errorf("%s %s: %d %.200s", r.method, r.path, status, body)
			}
			if err != nil {
				failed.Add(1)
				errOnce.Do(func() { res.firstErr = err.Error() })
				return
			}
			now := time.Now()
			lat[i] = now.Sub(due)
			res.answered[i] = now
		}()
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	res.failed = int(failed.Load())
	for i := range count {
		if !res.answered[i].IsZero() {
			res.lat = append(res.lat, lat[i])
		}
	}
	res.ok = len(res.lat)
	slices.Sort(res.lat)
	return res
}

// ceiling finds the highest rate that holds (p99 under limit, nothing
// lost): from start it steps the rate up by factor until a run misses, or,
// when start itself misses, down by factor until one holds (or the rate
// falls under minRate); then it tries once between the last rate held and
// the first one missed. It returns that rate (0 when none held) and the
// runs made.
func ceiling(client *http.Client, base string, start, factor float64, step, limit time.Duration, maxRate float64,
	next func(i int) request) (float64, []loadResult) {
	const minRate = 10
	var runs []loadResult
	try := func(rate float64) bool {
		r := openLoop(client, base, rate, max(1, int(rate*step.Seconds())), next)
		runs = append(runs, r)
		// Let the server drain its queues and the sockets settle.
		time.Sleep(300 * time.Millisecond)
		return r.held(limit)
	}
	best, missed := 0.0, 0.0
	if try(start) {
		best = start
		for rate := start * factor; rate <= maxRate; rate *= factor {
			if !try(rate) {
				missed = rate
				break
			}
			best = rate
		}
	} else {
		missed = start
		for rate := start / factor; rate >= minRate; rate /= factor {
			if try(rate) {
				best = rate
				break
			}
			missed = rate
		}
	}
	if best > 0 && missed > 0 {
		if mid := (best + missed) / 2; try(mid) {
			best = mid
		}
	}
	return best, runs
}

// --- event pipeline ---

// BenchmarkPipelineThroughput creates TB_BENCH_PROFILES (2000) profiles
// through POST /api/v1/profiles from TB_BENCH_WORKERS (32) concurrent
// clients on a fresh platform, and measures from the first request to the
// moment the matching service's read model holds the last of them (its
// syncedAt): each profile event is stored with its profile (outbox),
// relayed to JetStream, consumed and stored by matching. When some are
// still missing TB_BENCH_DRAIN (40s) after the last answer, the run ends
// there: the rate is then an upper bound, and the "missing" metric says how
// many there were.
func BenchmarkPipelineThroughput(b *testing.B) {
	n := max(1, benchInt("TB_BENCH_PROFILES", 2000))
	workers := max(1, benchInt("TB_BENCH_WORKERS", 32))
	drainFor := benchDuration("TB_BENCH_DRAIN", 40*time.Second)
	p := startBenchPlatform(b)
	ctx := context.Background()
	var e2e, httpRate, drain, missings []float64
	round := 0
	for b.Loop() {
		users := make([]string, n)
		for i := range users {
			users[i] = fmt.Sprintf("pipe-%d-%05d", round, i)
		}
		began := time.Now()
		if err := p.createProfiles(users, workers); err != nil {
			b.Fatal(err)
		}
		answered := time.Since(began)
		deadline := time.Now().Add(drainFor)
		if err := p.waitReadModel(ctx, int64((round+1)*n), drainFor); err != nil {
			b.Log(err)
		}
		at, err := p.syncedAt(ctx)
		if err != nil {
			b.Fatal(err)
		}
		var last time.Time
		missing := 0
		perSecond := map[int]int{}
		for _, u := range users {
			t, ok := at[u]
			if !ok {
				missing++
				t = deadline
			}
			if t.After(last) {
				last = t
			}
			perSecond[int(t.Sub(began)/time.Second)]++
		}
		total := last.Sub(began)
		e2e = append(e2e, float64(n)/total.Seconds())
		httpRate = append(httpRate, float64(n)/answered.Seconds())
		drain = append(drain, ms(max(0, total-answered)))
		missings = append(missings, float64(missing))
		b.Logf("%d profiles: HTTP answered in %s, read model complete after %s (%d missing); arrivals by second: %v",
			n, answered.Round(time.Millisecond), total.Round(time.Millisecond), missing, perSecond)
		round++
	}
	b.ReportMetric(median(e2e), "profiles/s")
	b.ReportMetric(median(httpRate), "http-profiles/s")
	b.ReportMetric(median(drain), "drain-ms")
	b.ReportMetric(median(missings), "missing")
}

// BenchmarkPipelineLag creates profiles at a steady TB_BENCH_LAG_RATE (200)
// per second for TB_BENCH_LAG_FOR (3s), open loop, on a fresh platform,
// and measures each profile's lag from its 201 answer to its arrival in the
// matching read model (the syncedAt the matching service stamps it with;
// both clocks are this process's). A profile can reach the read model
// before its 201 reaches the client, since the relay publishes as soon as
// the write is stored; such lags count as zero. Profiles still missing
// TB_BENCH_LAG_DRAIN (25s) after the load ends count with the lag they had
// reached by then, so the quantiles are then lower bounds, and the
// "missing" metric says how many there were.
func BenchmarkPipelineLag(b *testing.B) {
	rate := float64(max(1, benchInt("TB_BENCH_LAG_RATE", 200)))
	dur := benchDuration("TB_BENCH_LAG_FOR", 3*time.Second)
	drain := benchDuration("TB_BENCH_LAG_DRAIN", 25*time.Second)
	p := startBenchPlatform(b)
	ctx := context.Background()
	var p50s, p99s, maxs, httpP99s, missings []float64
	round, stored := 0, 0
	for b.Loop() {
		count := int(rate * dur.Seconds())
		users := make([]string, count)
		reqs := make([]request, count)
		for i := range users {
			users[i] = fmt.Sprintf("lag-%d-%05d", round, i)
			raw, err := json.Marshal(benchProfile(i))
			if err != nil {
				b.Fatal(err)
			}
			reqs[i] = request{method: http.MethodPost, path: "/api/v1/profiles", token: p.token(users[i], "applicant"), body: raw}
		}
		res := openLoop(p.client, p.url, rate, count, func(i int) request { return reqs[i] })
		if res.ok != count {
			b.Fatalf("steady load did not create every profile: %v", res)
		}
		stored += count
		deadline := time.Now().Add(drain)
		if err := p.waitReadModel(ctx, int64(stored), drain); err != nil {
			b.Log(err)
		}
		at, err := p.syncedAt(ctx)
		if err != nil {
			b.Fatal(err)
		}
		lags := make([]time.Duration, count)
		early, missing := 0, 0
		for i, u := range users {
			t, ok := at[u]
			if !ok {
				missing++
				t = deadline
			}
			if lags[i] = t.Sub(res.answered[i]); lags[i] < 0 {
				lags[i] = 0
				early++
			}
		}
		slices.Sort(lags)
		p50s = append(p50s, ms(quantile(lags, 0.50)))
		p99s = append(p99s, ms(quantile(lags, 0.99)))
		maxs = append(maxs, ms(lags[len(lags)-1]))
		httpP99s = append(httpP99s, ms(res.p99()))
		missings = append(missings, float64(missing))
		b.Logf("%s; lag p50 %.1f ms, p99 %.1f ms, max %.1f ms; %d of %d in the read model before their 201 arrived, %d still missing after %s",
			res, ms(quantile(lags, 0.50)), ms(quantile(lags, 0.99)), ms(lags[len(lags)-1]), early, count, missing, drain)
		round++
	}
	b.ReportMetric(median(p50s), "lag-p50-ms")
	b.ReportMetric(median(p99s), "lag-p99-ms")
	b.ReportMetric(median(maxs), "lag-max-ms")
	b.ReportMetric(median(httpP99s), "http-p99-ms")
	b.ReportMetric(median(missings), "missing")
}

// --- public API ---

// apiFixture is the platform the API benchmarks load: one verified host
// with TB_BENCH_PUBLISHED (10,000) published programs, imported by CSV and
// published, and TB_BENCH_DRAFTS (0) drafts, TB_BENCH_APPLICANTS (500)
// applicants with profiles, and a bare Echo server to compare with.
type apiFixture struct {
	p         *benchPlatform
	users     []string // the applicants' ids
	hostID    string
	tokens    []string // one per applicant, minted by fresh
	host      string   // the host's token, minted by fresh
	echoURL   string
	setup     time.Duration
	drafts    int
	published int
}

// searchQueries are the free-text searches GET /programs is loaded with,
// in turn: one and two terms, broad and narrow.
var searchQueries = []string{"robotics", "machine learning", "disaster resilience", "quantum", "semiconductor design", "nlp"}

// apiShared is set up once per process and shared by every count of
// BenchmarkAPI. It is never stopped: the process ends after the
// benchmarks, and scripts/bench.sh points TMPDIR at a scratch folder, which
// holds the platform's data, and removes it.
var apiShared struct {
	sync.Mutex
	f   *apiFixture
	err error
}

func apiSetup(b *testing.B) *apiFixture {
	b.Helper()
	apiShared.Lock()
	defer apiShared.Unlock()
	if apiShared.f == nil && apiShared.err == nil {
		apiShared.f, apiShared.err = newAPIFixture(benchInt("TB_BENCH_DRAFTS", 0),
			benchInt("TB_BENCH_PUBLISHED", 10000), benchInt("TB_BENCH_APPLICANTS", 500))
		if apiShared.err == nil {
			b.Logf("API fixture ready in %s", apiShared.f.setup.Round(time.Millisecond))
		}
	}
	if apiShared.err != nil {
		b.Fatal(apiShared.err)
	}
	return apiShared.f
}

func newAPIFixture(drafts, published, applicants int) (*apiFixture, error) {
	began := time.Now()
	dir, err := os.MkdirTemp("", "tb-bench-api-*")
	if err != nil {
		return nil, err
	}
	p, err := launchPlatform(dir)
	if err != nil {
		return nil, err
	}
	f := &apiFixture{p: p, drafts: drafts, published: published}
	host, err := verifiedHost(p)
	if err != nil {
		return nil, err
	}
	f.hostID = host
	f.host = p.token(host, "host")
	const perFile = 500 // the import's row limit
	for from := 0; from < drafts+published; from += perFile {
		to := min(drafts+published, from+perFile)
		publish := from >= drafts
		if !publish && to > drafts {
			to = drafts
		}
		t0 := time.Now()
		if err := importPrograms(p, f.host, programsCSV(from, to), publish); err != nil {
			return nil, err
		}
		debugf("imported programs %d..%d (publish=%v) in %s", from, to, publish, time.Since(t0).Round(time.Millisecond))
		from = to - perFile
	}
	users := make([]string, applicants)
	f.users = users
	f.tokens = make([]string, applicants)
	for i := range users {
		users[i] = fmt.Sprintf("api-%05d", i)
		f.tokens[i] = p.token(users[i], "applicant")
	}
	if err := p.createProfiles(users, 16); err != nil {
		return nil, err
	}
	ctx := context.Background()
	if err := p.waitReadModel(ctx, int64(applicants), 5*time.Minute); err != nil {
		return nil, err
	}
	if err := waitFor(10*time.Minute, func() error {
		if err := p.consumed(ctx, "PROGRAMS", "matching-programs", uint64(published)); err != nil {
			debugf("%v", err)
			time.Sleep(2 * time.Second)
			return err
		}
		return nil
	}); err != nil {
		return nil, err
	}
	// Every applicant is eligible for some of the programs, so each list
	// fills once the recommender has caught up with the read model.
	if err := waitFor(3*time.Minute, func() error {
		if published == 0 {
			return nil
		}
		for i := 0; i < applicants; i += max(1, applicants/20) {
			var list struct {
				Total int `json:"total"`
			}
			if err := getJSON(p, "/api/v1/recommendations/me", f.tokens[i], &list); err != nil {
				return err
			}
			if list.Total == 0 {
				return fmt.Errorf("no recommendations yet for %s", users[i])
			}
		}
		return nil
	}); err != nil {
		return nil, err
	}
	// The search index learns of imported programs as they are stored and
	// from the database, so it may take a moment to hold them all.
	if err := waitFor(2*time.Minute, func() error {
		for _, q := range append([]string{""}, searchQueries...) {
			var public, mine struct {
				Total int `json:"total"`
			}
			if err := getJSON(p, "/api/v1/programs?q="+url.QueryEscape(q), "", &public); err != nil {
				return err
			}
			if err := getJSON(p, "/api/v1/programs?mine=true&q="+url.QueryEscape(q), f.host, &mine); err != nil {
				return err
			}
			if q == "" && (public.Total != published || mine.Total != drafts+published) {
				return fmt.Errorf("the catalogue holds %d published programs (want %d) and the host %d (want %d)",
					public.Total, published, mine.Total, drafts+published)
			}
			if (published > 0 && public.Total == 0) || mine.Total == 0 {
				return fmt.Errorf("search %q finds nothing", q)
			}
		}
		return nil
	}); err != nil {
		return nil, err
	}
	f.echoURL, err = startBareEcho()
	if err != nil {
		return nil, err
	}
	f.setup = time.Since(began)
	return f, nil
}

// processCPU is the user and system time this process has used, from
// /proc/self/stat (Linux; ok is false elsewhere).
func processCPU() (time.Duration, bool) {
	raw, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		return 0, false
	}
	// The command name, in parentheses, may hold spaces; the fields after
	// it are numbered from 3.
	i := bytes.LastIndexByte(raw, ')')
	if i < 0 {
		return 0, false
	}
	fields := strings.Fields(string(raw[i+1:]))
	if len(fields) < 13 {
		return 0, false
	}
	utime, err1 := strconv.ParseInt(fields[11], 10, 64)
	stime, err2 := strconv.ParseInt(fields[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	const ticks = 100 // USER_HZ on Linux
	return time.Duration(utime+stime) * time.Second / ticks, true
}

// debugf writes progress to stderr when TB_BENCH_DEBUG is set.
func debugf(format string, args ...any) {
	if os.Getenv("TB_BENCH_DEBUG") != "" {
		fmt.Fprintf(os.Stderr, time.Now().Format("15:04:05.000 ")+format+"\n", args...)
	}
}

func waitFor(within time.Duration, cond func() error) error {
	deadline := time.Now().Add(within)
	for {
		err := cond()
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return err
		}
		time.Sleep(250 * time.Millisecond)
	}
}

func getJSON(p *benchPlatform, path, token string, v any) error {
	status, body, err := p.do(request{method: http.MethodGet, path: path, token: token})
	if err != nil {
		return err
	}
	if status != http.StatusOK {
		return fmt.Errorf("GET %s: %d %s", path, status, body)
	}
	return json.Unmarshal(body, v)
}

// verifiedHost signs a host up and has a coordinator (a minted token)
// verify it; it returns the host's id.
func verifiedHost(p *benchPlatform) (string, error) {
	raw, err := json.Marshal(map[string]any{"email": "bench-host@example.org", "password": "violet kettle drums at noon",
		"role": "host", "name": "Bench Host", "organization": "Bench Institute of Technology"})
	if err != nil {
		return "", err
	}
	status, body, err := p.do(request{method: http.MethodPost, path: "/api/v1/auth/signup", body: raw})
	if err != nil {
		return "", err
	}
	if status != http.StatusCreated {
		return "", fmt.Errorf("host signup: %d %s", status, body)
	}
	var u struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(body, &u); err != nil || u.ID == "" {
		return "", fmt.Errorf("host signup answered %s (%v)", body, err)
	}
	status, body, err = p.do(request{method: http.MethodPost, path: "/api/v1/auth/users/" + u.ID + "/verify",
		token: p.token("bench-coordinator", "coordinator")})
	if err != nil {
		return "", err
	}
	if status != http.StatusOK {
		return "", fmt.Errorf("verify host: %d %s", status, body)
	}
	return u.ID, nil
}

// importPrograms posts one CSV file, publishing its programs or not. The programs
// service learns of the host's verification from an event, so the first
// import may be refused for a moment.
func importPrograms(p *benchPlatform, token string, file []byte, publish bool) error {
	var final error
	err := waitFor(60*time.Second, func() error {
		status, body, err := p.do(request{method: http.MethodPost, path: "/api/v1/programs/import?publish=" + strconv.FormatBool(publish),
			token: token, contentType: "text/csv", body: file})
		switch {
		case err != nil:
			return err
		case status == http.StatusForbidden:
			return fmt.Errorf("import programs: %d %.500s", status, body)
		case status != http.StatusCreated:
			final = fmt.Errorf("import programs: %d %.1500s", status, body)
		}
		return nil
	})
	if final != nil {
		return final
	}
	return err
}

// benchTopic is a theme of generated programs.
type benchTopic struct {
	title, ja, field string
	skills           []string
}

var benchTopics = []benchTopic{
	{"AI for disaster resilience", "防災のためのAI", "2.2", []string{"python", "remote sensing"}},
	{"Robotics and autonomous systems", "ロボット工学と自律システム", "2.3", []string{"ros", "c++"}},
	{"Natural language processing", "自然言語処理", "1.2", []string{"nlp", "machine learning"}},
	{"Semiconductor design", "半導体設計", "2.2", []string{"verilog", "circuit design"}},
	{"Biomedical imaging", "医用画像", "3.1", []string{"python", "image analysis"}},
	{"Supply chain analytics", "サプライチェーン分析", "5.2", []string{"sql", "statistics"}},
	{"Quantum computing", "量子コンピューティング", "1.1", []string{"python", "linear algebra"}},
	{"Machine learning for agriculture", "農業のための機械学習", "1.2", []string{"machine learning", "python"}},
	{"Renewable energy systems", "再生可能エネルギーシステム", "2.2", []string{"matlab", "power electronics"}},
	{"Smart manufacturing", "スマート製造", "2.3", []string{"robotics", "plc"}},
}

var (
	benchKinds     = []string{"exchange", "internship", "joint_research", "fellowship", "scholarship", "industry_partnership"}
	benchJPRegions = []string{"Tokyo", "Osaka", "Kyoto", "Miyagi", "Hyogo", "Fukuoka", "Aichi"}
	benchINRegions = []string{"Karnataka", "Maharashtra", "Tamil Nadu", "Telangana"}
	benchJPOrgs    = []string{"Tohoku University", "Kobe Robotics", "Osaka Institute of Science", "Kyushu Materials Lab"}
	benchINOrgs    = []string{"IIT Madras", "IISc Bangalore", "IIT Bombay", "IIIT Hyderabad"}
)

// programsCSV is an import file of programs from (inclusive) to to
// (exclusive), hosted in Japan and India in turn, open for a month and
// running within the benchmark applicants' availability.
func programsCSV(from, to int) []byte {
	now := time.Now().UTC()
	day := func(d int) string { return now.AddDate(0, 0, d).Format(time.DateOnly) }
	var buf bytes.Buffer
	buf.WriteString("title,titleJa,description,kind,hostOrg,hostCountry,region,fields,skills,seats,startDate,endDate," +
		"applicationDeadline,stipendAmount,stipendCurrency,stipendPeriod,applicantKinds,languages,maxAge\n")
	w := csvWriter{&buf}
	for i := from; i < to; i++ {
		t := benchTopics[i%len(benchTopics)]
		other := benchTopics[(i/len(benchTopics)+i+3)%len(benchTopics)]
		kind := benchKinds[(i/3)%len(benchKinds)]
		kindWords := strings.ReplaceAll(kind, "_", " ")
		fields := t.field
		if other.field != t.field {
			fields += ";" + other.field
		}
		country, region, org, amount, currency := "JP", benchJPRegions[i%len(benchJPRegions)], benchJPOrgs[i%len(benchJPOrgs)], "150000", "JPY"
		if i%2 == 1 {
			country, region, org, amount, currency = "IN", benchINRegions[i%len(benchINRegions)], benchINOrgs[i%len(benchINOrgs)], "40000", "INR"
		}
		w.row(fmt.Sprintf("%s %s %d", t.title, kindWords, i), t.ja,
			fmt.Sprintf("A %s in %s with %s at %s, touching on %s.", kindWords, strings.ToLower(t.title),
				strings.Join(t.skills, " and "), org, strings.ToLower(other.title)),
			kind, org, country, region, fields, strings.Join(append(slices.Clone(t.skills), other.skills[0]), ";"),
			strconv.Itoa(1+i%5), day(60), day(240), day(30), amount, currency, "month", "student;researcher", "en:B2", "40")
	}
	return buf.Bytes()
}

// csvWriter writes CSV rows, quoting fields that need it.
type csvWriter struct{ buf *bytes.Buffer }

func (w csvWriter) row(cols ...string) {
	for i, c := range cols {
		if i > 0 {
			w.buf.WriteByte(',')
		}
		if strings.ContainsAny(c, ",\"\n") {
			c = `"` + strings.ReplaceAll(c, `"`, `""`) + `"`
		}
		w.buf.WriteString(c)
	}
	w.buf.WriteByte('\n')
}

// startBareEcho serves one GET route with a small JSON answer on loopback:
// the most a handler behind Echo can do on this machine, with the same
// load generator, for comparison.
func startBareEcho() (string, error) {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.GET("/ping", func(c echo.Context) error {
		return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
	})
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	srv := &http.Server{Handler: e, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(l) }()
	return "http://" + l.Addr().String(), nil
}

// target is one thing the API benchmarks load.
type target struct {
	name string
	base string
	next func(i int) request
}

// fresh mints the fixture's tokens again: they live 15 minutes, and a
// fixture can outlive that.
func (f *apiFixture) fresh() {
	f.host = f.p.token(f.hostID, "host")
	for i, u := range f.users {
		f.tokens[i] = f.p.token(u, "applicant")
	}
}

// targets are what the fixture can be loaded with: public search and
// recommendations when programs are published, the host's search when
// there are drafts, and always Echo.
func (f *apiFixture) targets() []target {
	f.fresh()
	var out []target
	if f.published > 0 {
		out = append(out,
			target{"search", f.p.url, func(i int) request {
				return request{method: http.MethodGet, path: "/api/v1/programs?q=" + url.QueryEscape(searchQueries[i%len(searchQueries)])}
			}},
			target{"recommendations", f.p.url, func(i int) request {
				return request{method: http.MethodGet, path: "/api/v1/recommendations/me", token: f.tokens[(i*7919)%len(f.tokens)]}
			}})
	}
	if f.drafts > 0 {
		out = append(out, target{"search-all", f.p.url, func(i int) request {
			return request{method: http.MethodGet, token: f.host,
				path: "/api/v1/programs?mine=true&q=" + url.QueryEscape(searchQueries[i%len(searchQueries)])}
		}})
	}
	return append(out, target{"echo", f.echoURL, func(int) request { return request{method: http.MethodGet, path: "/ping"} }})
}

// BenchmarkEcho is the ceiling of this machine for the load generator of
// BenchmarkAPI: a bare Echo handler (one GET route, a small JSON answer)
// with no platform running, loaded like BenchmarkAPI's targets. Run it
// before BenchmarkAPI, in the same run, to compare.
func BenchmarkEcho(b *testing.B) {
	base, err := startBareEcho()
	if err != nil {
		b.Fatal(err)
	}
	rate := float64(max(1, benchInt("TB_BENCH_RATE", 500)))
	dur := benchDuration("TB_BENCH_FOR", 3*time.Second)
	// Alone, Echo has no periodic background work to catch, so shorter
	// steps than BenchmarkAPI's measure the same.
	step := benchDuration("TB_BENCH_ECHO_STEP", time.Second)
	client := loadClient(10 * time.Second)
	next := func(int) request { return request{method: http.MethodGet, path: "/ping"} }
	b.Run(fmt.Sprintf("rate=%.0f", rate), func(b *testing.B) {
		var p50s, p99s []float64
		for b.Loop() {
			r := openLoop(client, base, rate, int(rate*dur.Seconds()), next)
			b.Log(r)
			p50s, p99s = append(p50s, ms(r.p50())), append(p99s, ms(r.p99()))
		}
		b.ReportMetric(median(p50s), "p50-ms")
		b.ReportMetric(median(p99s), "p99-ms")
	})
	b.Run("ceiling", func(b *testing.B) {
		var held []float64
		for b.Loop() {
			best, runs := ceiling(client, base, rate, 1.5, step, 100*time.Millisecond, 50000, next)
			b.Log(describeSteps("echo", best, runs))
			held = append(held, best)
		}
		b.ReportMetric(median(held), "req/s")
	})
}

// describeSteps is one line on a ceiling search: each rate tried, its p99,
// and why the rates missed.
func describeSteps(name string, best float64, runs []loadResult) string {
	steps := make([]string, len(runs))
	for i, r := range runs {
		steps[i] = fmt.Sprintf("%.0f/s p99 %.0f ms", r.rate, ms(r.p99()))
		if !r.held(100 * time.Millisecond) {
			steps[i] += fmt.Sprintf(" (missed: %d failed, %d skipped, %.0f answers/s)", r.failed, r.skipped, r.throughput())
		}
	}
	return fmt.Sprintf("%s held %.0f/s: %s", name, best, strings.Join(steps, ", "))
}

// BenchmarkAPI loads the targets of the fixture (apiFixture.targets: GET
// /api/v1/programs?q=… with the queries of searchQueries in turn, GET
// /api/v1/recommendations/me as the applicants in turn, and a bare Echo
// handler):
//
//   - idle: the share of a core the platform uses with no requests;
//   - <target>/rate=N: TB_BENCH_RATE (500) requests per second for
//     TB_BENCH_FOR (3s), open loop; p50 and p99 latency;
//   - ceiling: the rate stepped up by half from TB_BENCH_RATE, TB_BENCH_STEP
//     (2s) per step, until p99 reaches 100 ms or a request fails, then once
//     between the last two; the highest rate held by each target, and the
//     platform's as fractions of the Echo handler's beside it.
//
// The Echo handler here shares the process, and so the cores, with the
// idle platform; BenchmarkEcho measures it alone.
func BenchmarkAPI(b *testing.B) {
	f := apiSetup(b)
	// What the platform does on its own, holding this much data: outbox
	// relay sweeps, consumer heartbeats (the recommendations' ordered consumers'
	// too).
	b.Run("idle", func(b *testing.B) {
		var shares []float64
		for b.Loop() {
			cpu0, ok0 := processCPU()
			t0 := time.Now()
			time.Sleep(benchDuration("TB_BENCH_IDLE", 5*time.Second))
			cpu1, ok1 := processCPU()
			if !ok0 || !ok1 {
				b.Skip("no /proc/self/stat")
			}
			shares = append(shares, 100*(cpu1-cpu0).Seconds()/time.Since(t0).Seconds())
		}
		b.ReportMetric(median(shares), "cpu-%")
	})
	rate := float64(max(1, benchInt("TB_BENCH_RATE", 500)))
	dur := benchDuration("TB_BENCH_FOR", 3*time.Second)
	step := benchDuration("TB_BENCH_STEP", 2*time.Second)
	client := loadClient(10 * time.Second)
	for _, tg := range f.targets() {
		b.Run(fmt.Sprintf("%s/rate=%.0f", tg.name, rate), func(b *testing.B) {
			var p50s, p99s, tputs []float64
			for b.Loop() {
				r := openLoop(client, tg.base, rate, int(rate*dur.Seconds()), tg.next)
				b.Log(r)
				if r.failed > 0 || r.skipped > 0 {
					b.Errorf("%s at %.0f/s: %v", tg.name, rate, r)
				}
				p50s, p99s, tputs = append(p50s, ms(r.p50())), append(p99s, ms(r.p99())), append(tputs, r.throughput())
				time.Sleep(300 * time.Millisecond)
			}
			b.ReportMetric(median(p50s), "p50-ms")
			b.ReportMetric(median(p99s), "p99-ms")
			b.ReportMetric(median(tputs), "req/s")
		})
	}
	b.Run("ceiling", func(b *testing.B) {
		held := map[string][]float64{}
		ratios := map[string][]float64{}
		for b.Loop() {
			got := map[string]float64{}
			for _, tg := range f.targets() {
				best, runs := ceiling(client, tg.base, rate, 1.5, step, 100*time.Millisecond, 50000, tg.next)
				b.Log(describeSteps(tg.name, best, runs))
				got[tg.name] = best
				held[tg.name] = append(held[tg.name], best)
			}
			for name, v := range got {
				if name != "echo" && got["echo"] > 0 {
					ratios[name] = append(ratios[name], v/got["echo"])
				}
			}
		}
		for _, tg := range f.targets() {
			b.ReportMetric(median(held[tg.name]), tg.name+"-req/s")
			if tg.name != "echo" {
				b.ReportMetric(median(ratios[tg.name]), tg.name+"/echo")
			}
		}
	})
}
