package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/talentbridge/platform/services/profiles/internal/domain"
	apiprofiles "github.com/talentbridge/platform/shared/api/profiles"
	profilesev "github.com/talentbridge/platform/shared/events/profiles"
)

// View returns what an audience sees of p, as the API returns it.
func View(p *domain.Profile, a Audience) apiprofiles.Profile {
	v := apiprofiles.Profile{Profile: Snapshot(p), Email: p.Email, Version: p.Version}
	v.ImportedEmail = "" // the API names it once, as email
	if a == AudienceHost {
		// Hosts decide on merit: no gender, no categories (nor whether
		// the applicant consented to give any), no guardian, no e-mail.
		v.Gender = ""
		v.Categories = nil
		v.Consents.Categories = false
		v.Consents.Recorded.Categories = profilesev.ConsentRecord{}
		v.GuardianConsent = nil
		v.Email = ""
	}
	return v
}

// OwnPart is what the profiles service holds about a person.
type OwnPart struct {
	// Profile is nil when the person has no profile.
	Profile *apiprofiles.Profile `json:"profile"`
	// Applications are the entries of the applications read model: which
	// host's program the person applied to (ids only).
	Applications []Application `json:"applications"`
	// Draft is the profile the person is writing, when there is one.
	Draft *apiprofiles.Draft `json:"draft,omitempty"`
}

// Own returns the profiles service's part of a person's export.
func (s *Service) Own(ctx context.Context, userID string) (OwnPart, error) {
	part := OwnPart{Applications: []Application{}}
	p, err := s.profiles.Get(ctx, userID)
	switch {
	case err == nil:
		v := View(p, AudienceFull)
		part.Profile = &v
	case !errors.Is(err, domain.ErrProfileNotFound):
		return OwnPart{}, fmt.Errorf("load profile: %w", err)
	}
	apps, err := s.apps.ForApplicant(ctx, userID)
	if err != nil {
		return OwnPart{}, fmt.Errorf("load applications: %w", err)
	}
	if apps != nil {
		part.Applications = apps
	}
	if part.Draft, err = s.ownDraft(ctx, userID); err != nil {
		return OwnPart{}, err
	}
	return part, nil
}

// Export collects the person's data from this service and every other.
func (s *Service) Export(ctx context.Context, userID string) (apiprofiles.Export, error) {
	type result struct {
		parts       map[string]json.RawMessage
		unavailable []string
	}
	others := make(chan result, 1)
	go func() {
		parts, unavailable := s.collect.Collect(ctx, userID)
		others <- result{parts, unavailable}
	}()
	own, err := s.Own(ctx, userID)
	r := <-others
	if err != nil {
		return apiprofiles.Export{}, err
	}
	raw, err := json.Marshal(own)
	if err != nil {
		return apiprofiles.Export{}, fmt.Errorf("encode own part: %w", err)
	}
	x := apiprofiles.Export{
		UserID:      userID,
		GeneratedAt: s.now().UTC().Truncate(time.Second),
		Services:    map[string]json.RawMessage{profilesev.ServiceProfiles: raw},
		Unavailable: []string{},
	}
	for name, part := range r.parts {
		x.Services[name] = part
	}
	x.Unavailable = append(x.Unavailable, r.unavailable...)
	sort.Strings(x.Unavailable)
	return x, nil
}
