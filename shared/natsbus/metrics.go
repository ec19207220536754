package natsbus

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

var (
	metricPublished = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "tb_events_published_total",
		Help: "Messages published to JetStream, by subject and whether the stream dropped them as duplicates.",
	}, []string{"subject", "duplicate"})
	metricConsumed = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "tb_events_consumed_total",
		Help: "Messages handled by a consumer, by outcome: ok, retry or deadletter.",
	}, []string{"consumer", "subject", "outcome"})
	metricRedelivered = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "tb_events_redelivered_total",
		Help: "Deliveries of a message after its first.",
	}, []string{"consumer"})
	metricLag = promauto.NewGaugeVec(prometheus.GaugeOpts{
		Name: "tb_consumer_lag",
		Help: "Messages a durable consumer has not yet acknowledged: waiting to be delivered plus delivered but unacknowledged.",
	}, []string{"consumer"})
	metricDeadLettered = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "tb_events_deadlettered_total",
		Help: "Messages moved to the DEADLETTER stream.",
	}, []string{"consumer", "subject"})
)
