// Package events holds the contract between services: the CloudEvents-style
// envelope every event travels in, the subjects and streams of DESIGN.md §2,
// and (in sub-packages, one per producer) the typed payloads.
package events

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/talentbridge/platform/shared/tracing"
)

// SpecVersion is the CloudEvents version the envelope follows.
const SpecVersion = "1.0"

// Envelope is one event. Attribute names follow CloudEvents 1.0; Type is
// always the NATS subject the event is published on, and ID doubles as the
// Nats-Msg-Id so JetStream drops a republished copy.
type Envelope struct {
	SpecVersion      string          `json:"specversion"`
	ID               string          `json:"id"`
	Source           string          `json:"source"`
	Type             string          `json:"type"`
	Subject          string          `json:"subject"`
	Time             time.Time       `json:"time"`
	DataContentType  string          `json:"datacontenttype"`
	TraceParent      string          `json:"traceparent,omitempty"`
	AggregateVersion int64           `json:"aggregateversion"`
	Data             json.RawMessage `json:"data"`
}

// New builds an envelope with a fresh UUIDv7 id. aggregateID is the id of the
// thing that changed; version is its version after the change.
func New(source, typ, aggregateID string, version int64, data any) (Envelope, error) {
	id, err := uuid.NewV7()
	if err != nil {
		return Envelope{}, fmt.Errorf("event id: %w", err)
	}
	raw, err := json.Marshal(data)
	if err != nil {
		return Envelope{}, fmt.Errorf("encode %s: %w", typ, err)
	}
	return Envelope{
		SpecVersion:      SpecVersion,
		ID:               id.String(),
		Source:           source,
		Type:             typ,
		Subject:          aggregateID,
		Time:             time.Now().UTC().Truncate(time.Millisecond),
		DataContentType:  "application/json",
		AggregateVersion: version,
		Data:             raw,
	}, nil
}

// NewWithContext is New with the traceparent of the span in ctx recorded in
// the envelope, so the trace of the request that caused the event continues
// in every consumer.
func NewWithContext(ctx context.Context, source, typ, aggregateID string, version int64, data any) (Envelope, error) {
	e, err := New(source, typ, aggregateID, version, data)
	if err != nil {
		return e, err
	}
	e.TraceParent = tracing.TraceParent(ctx)
	return e, nil
}

// ErrMalformed marks an event that can never be processed: retrying it is
// pointless, so consumers dead-letter it at once.
var ErrMalformed = errors.New("malformed event")

// Parse decodes and checks an envelope. Every error wraps ErrMalformed.
func Parse(b []byte) (Envelope, error) {
	var e Envelope
	if err := json.Unmarshal(b, &e); err != nil {
		return Envelope{}, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	var missing []string
	for _, f := range []struct{ name, v string }{
		{"specversion", e.SpecVersion}, {"id", e.ID}, {"source", e.Source},
		{"type", e.Type}, {"subject", e.Subject},
	} {
		if f.v == "" {
			missing = append(missing, f.name)
		}
	}
	if len(missing) > 0 {
		return Envelope{}, fmt.Errorf("%w: missing %s", ErrMalformed, strings.Join(missing, ", "))
	}
	if e.SpecVersion != SpecVersion {
		return Envelope{}, fmt.Errorf("%w: specversion %q", ErrMalformed, e.SpecVersion)
	}
	if e.AggregateVersion < 0 {
		return Envelope{}, fmt.Errorf("%w: negative aggregateversion", ErrMalformed)
	}
	if len(e.Data) == 0 || string(e.Data) == "null" {
		return Envelope{}, fmt.Errorf("%w: no data", ErrMalformed)
	}
	return e, nil
}

// Decode unmarshals the payload into v. Unknown fields are allowed so that
// producers can add fields without breaking older consumers.
func (e Envelope) Decode(v any) error {
	if err := json.Unmarshal(e.Data, v); err != nil {
		return fmt.Errorf("%w: %s data: %v", ErrMalformed, e.Type, err)
	}
	return nil
}

// Marshal encodes the envelope as JSON.
func (e Envelope) Marshal() ([]byte, error) { return json.Marshal(e) }
