//go:build !failpoints

package outbox_test

import (
	"slices"
	"testing"
	"time"

	"github.com/talentbridge/platform/shared/outbox"
)

// TestFailpointsNeedTheBuildTag checks that a binary built without the
// failpoints tag ignores FailpointEnv: with both failpoints named in turn,
// a running relay publishes every event, and the process lives on (a
// failpoint would exit it, failing the whole test binary).
func TestFailpointsNeedTheBuildTag(t *testing.T) {
	for _, point := range []string{outbox.FailpointBeforePublish, outbox.FailpointAfterPublish} {
		t.Run(point, func(t *testing.T) {
			t.Setenv(outbox.FailpointEnv, point)
			b, c, r := watchingRelay(t)
			var want []string
			for _, id := range []string{"p1", "p2"} {
				want = append(want, createProfile(t, r, c, id).ID)
				r.Kick()
			}
			slices.Sort(want)
			deadline := time.Now().Add(10 * time.Second)
			for {
				ids := streamIDs(t, b)
				slices.Sort(ids) // documents are published concurrently
				if slices.Equal(ids, want) {
					return
				}
				if time.Now().After(deadline) {
					t.Fatalf("stream holds %v, want %v", ids, want)
				}
				time.Sleep(20 * time.Millisecond)
			}
		})
	}
}
