//go:build failpoints

package outbox

import (
	"log/slog"
	"os"
	"sync"
	"sync/atomic"
)

// failpoint is the failpoint named by FailpointEnv when the relay was made.
type failpoint struct {
	point string
	// armed is set once the first sweep has finished.
	armed *atomic.Bool
	once  *sync.Once
}

func newFailpoint() failpoint {
	return failpoint{point: os.Getenv(FailpointEnv), armed: new(atomic.Bool), once: new(sync.Once)}
}

// arm lets the failpoint fire: the first sweep has recovered what an
// earlier crash left.
func (f failpoint) arm() { f.armed.Store(true) }

// at exits the process with status 3 when point is the failpoint, once it
// is armed, and only the first time.
func (f failpoint) at(log *slog.Logger, point, eventID string) {
	if f.point != point || !f.armed.Load() {
		return
	}
	f.once.Do(func() {
		log.Warn("failpoint: exiting", "failpoint", point, "event_id", eventID)
		os.Exit(3)
	})
}
