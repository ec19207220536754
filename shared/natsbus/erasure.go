package natsbus

import (
	"context"

	"github.com/talentbridge/platform/shared/events"
)

// The durable consumers a service that keeps something of people runs for
// erasure: one on the account's deletion, one on the profile's erasure.
const (
	UserDeletedConsumer   = "user-deleted"
	ProfileErasedConsumer = "profile-erased"
)

// ErasureConsumers are those two consumers of service, both handled by
// erase (which reads the person with events/profiles.ErasedPerson).
func ErasureConsumers(service string, erase Handler) []Consumer {
	return []Consumer{
		{Service: service, Name: UserDeletedConsumer, Stream: "IDENTITY",
			Subjects: []string{events.UserDeleted}, Handle: erase},
		{Service: service, Name: ProfileErasedConsumer, Stream: "PROFILES",
			Subjects: []string{events.ProfileErased}, Handle: erase},
	}
}

// ConsumeAll starts every consumer of cs, stopping at the first that
// cannot start.
func (b *Bus) ConsumeAll(ctx context.Context, cs []Consumer) error {
	for _, c := range cs {
		if _, err := b.Consume(ctx, c); err != nil {
			return err
		}
	}
	return nil
}
