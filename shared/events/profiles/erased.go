package profiles

import (
	"context"
	"fmt"

	"github.com/talentbridge/platform/shared/events"
	"github.com/talentbridge/platform/shared/events/identity"
)

// ErasedPerson is the id of the person an erasure event names: the user of
// tb.identity.v1.user.deleted or the profile of profile.erased (the same
// id), falling back to the envelope's subject. A service that keeps
// something of people erases that id on either event.
func ErasedPerson(ev events.Envelope) (string, error) {
	var id string
	switch ev.Type {
	case events.UserDeleted:
		var p identity.UserDeleted
		if err := ev.Decode(&p); err != nil {
			return "", err
		}
		id = p.UserID
	case events.ProfileErased:
		var p ProfileErased
		if err := ev.Decode(&p); err != nil {
			return "", err
		}
		id = p.ProfileID
	default:
		return "", fmt.Errorf("%w: %s is not an erasure", events.ErrMalformed, ev.Type)
	}
	if id == "" {
		id = ev.Subject
	}
	if id == "" {
		return "", fmt.Errorf("%w: %s without a person's id", events.ErrMalformed, ev.Type)
	}
	return id, nil
}

// ErasureHandler is the consumer handler that erases the person an
// erasure event names with erase. A failed erasure is returned, so the
// event is delivered again: an erasure must not be lost.
func ErasureHandler(erase func(ctx context.Context, personID string) error) func(context.Context, events.Envelope) error {
	return func(ctx context.Context, ev events.Envelope) error {
		id, err := ErasedPerson(ev)
		if err != nil {
			return err
		}
		if err := erase(ctx, id); err != nil {
			return fmt.Errorf("erase: %w", err)
		}
		return nil
	}
}
