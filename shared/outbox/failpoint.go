package outbox

// Failpoints are faults the reliability tests inject into a real process.
// They exist only in binaries built with the failpoints build tag
// (failpoint_on.go); anywhere else the relay ignores FailpointEnv
// (failpoint_off.go). With the tag, FailpointEnv names one of:
//
//   - FailpointBeforePublish: the process exits right before publishing an
//     event, as if killed between the store write and the publish;
//   - FailpointAfterPublish: it exits right after the stream acknowledged an
//     event, before the event is marked sent.
//
// Either fires once, and never during the first sweep after start, which is
// the recovery of what an earlier crash left: a test can crash a service
// again and again and still see every event come out.
const (
	FailpointEnv           = "TB_FAILPOINT"
	FailpointBeforePublish = "outbox-before-publish"
	FailpointAfterPublish  = "outbox-after-publish"
)
