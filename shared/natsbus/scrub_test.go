package natsbus_test

import (
	"context"
	"strings"
	"testing"

	"github.com/talentbridge/platform/shared/events"
	"github.com/talentbridge/platform/shared/natstest"
)

func TestScrubRemovesOnePersonsSnapshots(t *testing.T) {
	b := natstest.Bus(t, natstest.Start(t), "profiles")
	ctx := context.Background()
	publish := func(subject, who string, v int64, name string) {
		ev, err := events.New("profiles", subject, who, v, map[string]string{"name": name})
		if err != nil {
			t.Fatal(err)
		}
		if err := b.PublishEvent(ctx, ev); err != nil {
			t.Fatal(err)
		}
	}
	publish(events.ProfileCreated, "asha", 1, "Asha Rao")
	publish(events.ProfileCreated, "kenji", 1, "Kenji Sato")
	publish(events.ProfileUpdated, "asha", 2, "Asha R. Rao")
	publish(events.ProfileErased, "asha", 3, "")

	snapshots := []string{events.ProfileCreated, events.ProfileUpdated}
	n, err := b.Scrub(ctx, "PROFILES", snapshots, "asha")
	if err != nil || n != 2 {
		t.Fatalf("Scrub(asha) = %d, %v; want 2 removed", n, err)
	}
	if n, err := b.Scrub(ctx, "PROFILES", snapshots, "asha"); err != nil || n != 0 {
		t.Errorf("second Scrub(asha) = %d, %v; want 0, nil", n, err)
	}
	// What is left: Kenji's snapshot and Asha's erasure, nothing naming her.
	st, _ := b.JS.Stream(ctx, "PROFILES")
	info, _ := st.Info(ctx)
	if info.State.Msgs != 2 {
		t.Errorf("PROFILES holds %d messages, want 2", info.State.Msgs)
	}
	for seq := info.State.FirstSeq; seq <= info.State.LastSeq; seq++ {
		m, err := st.GetMsg(ctx, seq)
		if err != nil {
			continue // deleted
		}
		if strings.Contains(string(m.Data), "Asha") {
			t.Errorf("message %d still names Asha: %s", seq, m.Data)
		}
	}
}
