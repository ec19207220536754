package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/talentbridge/platform/shared/events"
	"github.com/talentbridge/platform/shared/mongodb"
	"github.com/talentbridge/platform/shared/natsbus"
)

// The cluster fault test: the split platform (each service its own OS
// process, FerretDB in the infra process) on a three-node JetStream cluster
// with every stream replicated three times. Profiles are created through the
// gateway at a steady rate while NATS nodes are killed with SIGKILL: the
// PROFILES leader, a follower, and two of the three at once. By default it
// runs small inside scripts/test.sh; scripts/cluster.sh sets TB_CLUSTER=full.

func clusterFull() bool { return os.Getenv("TB_CLUSTER") == "full" }

// Fault kinds.
const (
	faultLeader   = "leader"   // the PROFILES stream leader's node
	faultFollower = "follower" // a node other than the PROFILES leader
	faultTwo      = "two"      // the leader's node and one other: no quorum
)

// downFor is how long killed nodes stay down.
const downFor = 5 * time.Second

// clusterCall is one profile creation through the gateway.
type clusterCall struct {
	user         string
	status       int
	problem      bool
	err          error
	began, ended time.Time
}

// faultReport says what one fault did and what the cluster saw meanwhile.
type faultReport struct {
	kind          string
	killed        []string
	from, to      time.Time     // first kill to last restart
	catchUp       time.Duration // restart to healthy (slowest node)
	cut           int           // service connections on the killed nodes
	probes, acked int           // stream publishes while two were down
	ackedIDs      []string
	err           error
}

// clusterLoad creates n profiles through the gateway at rate per second
// (16 requests in flight at most) and stops sending after within.
func clusterLoad(s *split, prefix string, n, rate int, within time.Duration) []clusterCall {
	client := &http.Client{Timeout: 20 * time.Second}
	var mu sync.Mutex
	var out []clusterCall
	next := make(chan int)
	var wg sync.WaitGroup
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				user := fmt.Sprintf("%s-%05d", prefix, i)
				c := clusterCall{user: user, began: time.Now()}
				var body []byte
				c.status, body, c.err = call(client, "POST", s.url("gateway")+"/api/v1/profiles", s.token(user, "applicant"), profileBody(i))
				c.ended = time.Now()
				c.problem = bytes.Contains(body, []byte(`"code"`))
				mu.Lock()
				out = append(out, c)
				mu.Unlock()
			}
		}()
	}
	tick := time.NewTicker(time.Second / time.Duration(rate))
	defer tick.Stop()
	stop := time.After(within)
feed:
	for i := range n {
		select {
		case <-stop:
			break feed
		case <-tick.C:
		}
		next <- i
	}
	close(next)
	wg.Wait()
	return out
}

// leaderOf names the node leading a stream, waiting for an election.
func (c *natsCluster) leaderOf(ctx context.Context, b *natsbus.Bus, stream string) (int, error) {
	deadline := time.Now().Add(30 * time.Second)
	for {
		st, err := b.JS.Stream(ctx, stream)
		if err == nil {
			info, err2 := st.Info(ctx)
			if err2 == nil && info.Cluster != nil && c.index(info.Cluster.Leader) >= 0 {
				return c.index(info.Cluster.Leader), nil
			}
			err = err2
		}
		if time.Now().After(deadline) {
			return -1, fmt.Errorf("no leader of %s within 30s: %v", stream, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// inject runs one fault and reports it.
func (c *natsCluster) inject(ctx context.Context, b *natsbus.Bus, kind string, probeN int) faultReport {
	r := faultReport{kind: kind}
	leader, err := c.leaderOf(ctx, b, "PROFILES")
	if err != nil {
		r.err = err
		return r
	}
	var victims []int
	switch kind {
	case faultLeader:
		victims = []int{leader}
	case faultFollower:
		victims = []int{(leader + 1) % 3}
	case faultTwo:
		victims = []int{leader, (leader + 2) % 3}
	}
	for _, v := range victims {
		r.cut += c.serviceConns(v)
	}
	r.from = time.Now()
	for _, v := range victims {
		c.kill(v)
		r.killed = append(r.killed, c.nodes[v].name)
	}
	if kind == faultTwo {
		// Without a quorum no publish may be acknowledged; the probes go to
		// DEADLETTER, which nothing consumes, and are looked for afterwards.
		end := time.Now().Add(downFor)
		for time.Now().Before(end) {
			id := fmt.Sprintf("cluster-probe-%d-%d", probeN, r.probes)
			pctx, cancel := context.WithTimeout(ctx, time.Second)
			_, err := b.Publish(pctx, events.DeadLetterPrefix+"cluster-probe", id, []byte(id), nil)
			cancel()
			r.probes++
			if err == nil {
				r.acked++
				r.ackedIDs = append(r.ackedIDs, id)
			}
		}
	} else {
		time.Sleep(downFor)
	}
	r.to = time.Now()
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, v := range victims {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d, err := c.restart(v)
			mu.Lock()
			defer mu.Unlock()
			r.catchUp = max(r.catchUp, d)
			if err != nil {
				r.err = err
			}
		}()
	}
	wg.Wait()
	return r
}

// durableLag sums pending and unacknowledged messages of every durable
// consumer on every stream.
func durableLag(ctx context.Context, b *natsbus.Bus) (map[string]uint64, error) {
	out := map[string]uint64{}
	for _, s := range events.Streams {
		st, err := b.JS.Stream(ctx, s.Name)
		if err != nil {
			return nil, err
		}
		l := st.ListConsumers(ctx)
		for info := range l.Info() {
			if info.Config.Durable != "" {
				out[info.Name] = info.NumPending + uint64(info.NumAckPending)
			}
		}
		if err := l.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func waitDurablesCaughtUp(t *testing.T, b *natsbus.Bus, within time.Duration) map[string]uint64 {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		lag, err := durableLag(ctx, b)
		cancel()
		behind := err != nil || len(lag) == 0
		for _, n := range lag {
			behind = behind || n != 0
		}
		if !behind {
			return lag
		}
		if time.Now().After(deadline) {
			t.Errorf("durable consumers not caught up within %s: %v (err %v)", within, lag, err)
			return lag
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// readModelVersions returns the matching read model's live profiles with
// the prefix and their versions.
func readModelVersions(ctx context.Context, c *mongo.Client, prefix string) (map[string]int, error) {
	cur, err := c.Database("matching").Collection(matchingProfiles).Find(ctx,
		bson.D{{Key: "_id", Value: bson.D{{Key: "$regex", Value: "^" + prefix + "-"}}}, {Key: "erased", Value: bson.D{{Key: "$ne", Value: true}}}},
		options.Find().SetProjection(bson.D{{Key: "version", Value: 1}}))
	if err != nil {
		return nil, err
	}
	var docs []struct {
		ID      string `bson:"_id"`
		Version int    `bson:"version"`
	}
	if err := cur.All(ctx, &docs); err != nil {
		return nil, err
	}
	out := map[string]int{}
	for _, d := range docs {
		out[d.ID] = d.Version
	}
	return out, nil
}

// waitReadModelHolds waits until the read model holds every acknowledged
// profile and returns what it holds then (or at the deadline). Reading 10,000
// documents by a regular expression from the embedded store can outlast the
// platform's 10 s operation bound on a busy machine, so the client here has
// a longer one, and a failed read is tried again.
func waitReadModelHolds(t *testing.T, s *split, prefix string, acked map[string]bool, within time.Duration) map[string]int {
	t.Helper()
	opts := mongodb.ClientOptions(s.mongoURI, "cluster-test").SetTimeout(2 * time.Minute)
	c, err := mongo.Connect(opts)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Disconnect(context.Background())
	deadline := time.Now().Add(within)
	var model map[string]int
	for {
		m, err := readModelVersions(context.Background(), c, prefix)
		if err == nil {
			model = m
			missing := 0
			for u := range acked {
				if model[u] == 0 {
					missing++
				}
			}
			if missing == 0 {
				return model
			}
		}
		if time.Now().After(deadline) {
			if err != nil {
				t.Errorf("read model: %v", err)
			}
			return model
		}
		time.Sleep(2 * time.Second)
	}
}

// TestClusterNodeFaults: every profile answered 201 ends in the matching
// read model exactly once and its event is in the stream once; none answered
// 503 is there twice; no publish is acknowledged without a quorum; every
// durable consumer catches up; every node ends holding the same streams.
func TestClusterNodeFaults(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a NATS cluster and the split platform")
	}
	n, rate := 300, 10
	plan := []string{faultLeader, faultFollower, faultTwo}
	if clusterFull() {
		n, rate = 10000, 40
		plan = append(plan, faultLeader, faultFollower, faultTwo)
	}
	c := startCluster(t, t.TempDir())
	ctx := context.Background()
	b, err := natsbus.Connect(ctx, c.urls(), "cluster-test", quietLog())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close(context.Background()) })
	// The services create the replicated streams themselves as they start,
	// all four at once against the fresh cluster, as a deployment's pods do
	// (natsbus asks again when the cluster leaves such a request
	// unanswered).
	started := time.Now()
	s := startSplitOn(t, c.urls(), "TB_STREAM_REPLICAS=3")
	t.Logf("services ready on the fresh cluster in %s", time.Since(started).Round(time.Millisecond))
	st, err := b.JS.Stream(ctx, "PROFILES")
	if err != nil {
		t.Fatal(err)
	}
	info, err := st.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if info.Config.Replicas != 3 || info.Cluster == nil || len(info.Cluster.Replicas) != 2 {
		t.Fatalf("PROFILES is not replicated on three nodes: replicas %d, cluster %+v", info.Config.Replicas, info.Cluster)
	}

	// Faults are spread over the load: fault k starts at (k+1)/(F+1) of
	// the load's planned length, and not before the previous one is over.
	planned := time.Duration(n) * time.Second / time.Duration(rate)
	began := time.Now()
	reports := make(chan []faultReport, 1)
	go func() {
		var out []faultReport
		for k, kind := range plan {
			at := began.Add(planned * time.Duration(k+1) / time.Duration(len(plan)+1))
			time.Sleep(time.Until(at))
			out = append(out, c.inject(ctx, b, kind, k))
		}
		reports <- out
	}()
	calls := clusterLoad(s, "cl", n, rate, 2*planned+time.Minute)
	loadEnded := time.Now()
	var faults []faultReport
	select {
	case faults = <-reports:
	case <-time.After(3 * time.Minute):
		t.Fatal("faults did not finish within 3 minutes of the load's end")
	}
	for _, name := range services {
		s.waitReady(name, 30*time.Second)
	}

	acked, unavailable := map[string]bool{}, map[string]bool{}
	var bad []string
	for _, cl := range calls {
		switch {
		case cl.status == http.StatusCreated:
			acked[cl.user] = true
		case cl.status == http.StatusServiceUnavailable && cl.problem:
			unavailable[cl.user] = true
		default:
			bad = append(bad, fmt.Sprintf("%s: %d %v", cl.user, cl.status, cl.err))
		}
	}
	for _, f := range faults {
		if f.err != nil {
			t.Errorf("fault %s: %v", f.kind, f.err)
		}
		if f.from.After(loadEnded) {
			t.Errorf("fault %s began after the load had ended; the load is too short", f.kind)
		}
	}

	waitReadModelHolds(t, s, "cl", acked, 5*time.Minute)
	lag := waitDurablesCaughtUp(t, b, 2*time.Minute)
	// Read again once every consumer is level: a repeat applied late
	// would show here as a version above 1.
	model := waitReadModelHolds(t, s, "cl", acked, time.Minute)
	inStream := subjectCounts(t, b, "PROFILES", events.ProfileCreated)
	applied, lost, dup, twice503 := 0, 0, 0, 0
	for u := range acked {
		if model[u] == 1 && inStream[u] == 1 {
			applied++
		} else if model[u] == 0 || inStream[u] == 0 {
			lost++
		}
	}
	for u, k := range inStream {
		if strings.HasPrefix(u, "cl-") && k > 1 {
			dup += k - 1
		}
	}
	for u, v := range model {
		if v != 1 {
			dup++
			t.Errorf("read model %s at version %d, want 1", u, v)
		}
	}
	for u := range unavailable {
		if inStream[u] > 1 {
			twice503++
		}
	}
	states, same := c.replicasEqual(time.Minute)

	// Stream publishes acknowledged while two nodes were down: there must
	// be none, and any there were must be stored.
	probes, probesAcked, probesLost := 0, 0, 0
	if len(faults) > 0 {
		stored := map[string]bool{}
		for _, ev := range streamRaw(t, b, "DEADLETTER", events.DeadLetterPrefix+"cluster-probe") {
			stored[ev] = true
		}
		for _, f := range faults {
			probes += f.probes
			probesAcked += f.acked
			for _, id := range f.ackedIDs {
				if !stored[id] {
					probesLost++
				}
			}
		}
	}

	printClusterTable(calls, faults, c.kills, len(acked), applied, lost, dup)
	if len(bad) > 0 {
		t.Errorf("%d requests ended other than 201 or a 503 problem: %v", len(bad), bad[:min(len(bad), 10)])
	}
	if lost != 0 || dup != 0 || applied != len(acked) || twice503 != 0 {
		t.Errorf("%d acknowledged: %d applied once, %d lost, %d duplicates; %d answered 503 appear twice (read model %d, stream %d)",
			len(acked), applied, lost, dup, twice503, len(model), len(inStream))
	}
	if len(acked) < n*3/4 {
		t.Errorf("only %d of %d creations acknowledged", len(acked), n)
	}
	if probesAcked != 0 || probesLost != 0 || probes == 0 {
		t.Errorf("without a quorum %d of %d stream publishes were acknowledged (%d of those lost); want none acknowledged", probesAcked, probes, probesLost)
	}
	if !same {
		t.Errorf("nodes do not hold the same streams after the faults: %v", states)
	}
	t.Logf("durable consumers at lag 0: %v", lag)
}

// subjectCounts counts the events of one type in a stream per aggregate
// id. It reads with an ordered consumer until the consumer has nothing
// pending: on a replicated stream a fetch can come back empty before the
// end, so an empty batch alone does not mean "done".
func subjectCounts(t *testing.T, b *natsbus.Bus, stream, subject string) map[string]int {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	st, err := b.JS.Stream(ctx, stream)
	if err != nil {
		t.Fatal(err)
	}
	c, err := st.OrderedConsumer(ctx, jetstream.OrderedConsumerConfig{FilterSubjects: []string{subject}})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for ctx.Err() == nil {
		batch, err := c.Fetch(500, jetstream.FetchMaxWait(2*time.Second))
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for m := range batch.Messages() {
			n++
			ev, err := events.Parse(m.Data())
			if err != nil {
				t.Fatal(err)
			}
			out[ev.Subject]++
		}
		if n > 0 {
			continue
		}
		if info, err := c.Info(ctx); err == nil && info.NumPending == 0 {
			return out
		}
	}
	t.Fatalf("reading %s of %s did not finish: %v", subject, stream, ctx.Err())
	return nil
}

// streamRaw returns the payloads of a stream's messages on one subject.
func streamRaw(t *testing.T, b *natsbus.Bus, stream, subject string) []string {
	t.Helper()
	ctx := context.Background()
	st, err := b.JS.Stream(ctx, stream)
	if err != nil {
		t.Fatal(err)
	}
	info, err := st.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for seq := info.State.FirstSeq; info.State.Msgs > 0 && seq <= info.State.LastSeq; seq++ {
		m, err := st.GetMsg(ctx, seq)
		if err == nil && m.Subject == subject {
			out = append(out, string(m.Data))
		}
	}
	return out
}

// printClusterTable writes what each fault did and, last, the one-line
// summary scripts/cluster.sh ends with.
func printClusterTable(calls []clusterCall, faults []faultReport, kills, sent, applied, lost, dup int) {
	var b strings.Builder
	fmt.Fprintf(&b, "\n| fault | nodes killed | service connections cut | down | requests begun meanwhile | 201 | 503 | node healthy after restart | stream publishes without quorum (acked) |\n|---|---|---|---|---|---|---|---|---|\n")
	for _, f := range faults {
		begun, ok, unavail := 0, 0, 0
		for _, cl := range calls {
			if cl.began.Before(f.from) || cl.began.After(f.to) {
				continue
			}
			begun++
			switch cl.status {
			case http.StatusCreated:
				ok++
			case http.StatusServiceUnavailable:
				unavail++
			}
		}
		probe := "—"
		if f.kind == faultTwo {
			probe = fmt.Sprintf("%d (%d)", f.probes, f.acked)
		}
		fmt.Fprintf(&b, "| %s | %s | %d | %s | %d | %d | %d | %s | %s |\n", f.kind, strings.Join(f.killed, "+"), f.cut,
			f.to.Sub(f.from).Round(100*time.Millisecond), begun, ok, unavail, f.catchUp.Round(10*time.Millisecond), probe)
	}
	total503 := 0
	for _, cl := range calls {
		if cl.status == http.StatusServiceUnavailable {
			total503++
		}
	}
	cut := 0
	for _, f := range faults {
		cut += f.cut
	}
	fmt.Fprintf(&b, "requests: %d, answered 201: %d, answered 503: %d; service connections cut by kills (each reconnected to a live node): %d\n",
		len(calls), sent, total503, cut)
	fmt.Fprintf(&b, "cluster: %d sent, %d applied, %d lost, %d duplicates, %d node kills\n", sent, applied, lost, dup, kills)
	os.Stdout.WriteString(b.String())
}
