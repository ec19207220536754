package notify

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/talentbridge/platform/services/gateway/internal/app"
	"github.com/talentbridge/platform/shared/events"
	identityev "github.com/talentbridge/platform/shared/events/identity"
)

var _ app.HostNotifier = (*Inbox)(nil)

// hostWaiting tells every active coordinator, in the inbox and by e-mail,
// that a host signed up and waits to be verified. Hosts created active
// (none today) and every other role need nobody's decision.
func (in *Inbox) hostWaiting(ctx context.Context, ev events.Envelope, p identityev.UserCreated) error {
	if p.Role != "host" || p.Status != "pending" || in.opt.Coordinators == nil {
		return nil
	}
	ids, err := in.opt.Coordinators(ctx)
	if err != nil {
		return fmt.Errorf("list coordinators: %w", err)
	}
	org := p.Organization
	if org == "" {
		org = p.Name
	}
	for _, id := range ids {
		if err := in.add(ctx, ev, id, "host.waiting", "/coord/hosts", map[string]string{"host": org}, mailParams{Host: org},
			fmt.Sprintf("%s signed up as a host and waits for verification.", org)); err != nil {
			return err
		}
	}
	return nil
}

// HostDeclined tells a host that a coordinator declined to verify it, with
// the coordinator's reason, in the inbox and by e-mail in the host's
// language (app.HostNotifier). The decision's time keys it: telling the
// same decision twice adds nothing.
func (in *Inbox) HostDeclined(ctx context.Context, hostID, reason string, at time.Time) error {
	ev := events.Envelope{ID: "host.declined:" + hostID + ":" + strconv.FormatInt(at.UnixNano(), 10), Time: at}
	return in.add(ctx, ev, hostID, "account.declined", "/host/programs", map[string]string{"reason": reason}, mailParams{Note: reason},
		"A coordinator did not verify your organisation. The reason given: "+reason)
}
