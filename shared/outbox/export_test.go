package outbox

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// SetMissTTL shortens how long r looks for encoded events, for tests.
func (r *Relay) SetMissTTL(d time.Duration) { r.missTTL = d }

// Awaited returns how many aggregates r awaits events of.
func (r *Relay) Awaited() int {
	r.idsMu.Lock()
	defer r.idsMu.Unlock()
	return len(r.awaited)
}

// AwaitedGauge is the tb_outbox_awaited gauge of the relay named name.
func AwaitedGauge(name string) prometheus.Gauge { return metricAwaited.WithLabelValues(name) }
