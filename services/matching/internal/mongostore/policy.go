package mongostore

import "github.com/talentbridge/platform/services/matching/internal/domain"

// policyDoc is a round's allocation policy.
type policyDoc struct {
	Regions []regionDoc `bson:"regions"`
}

type regionDoc struct {
	ID         string     `bson:"id"`
	Name       string     `bson:"name"`
	Cap        int        `bson:"cap"`
	ProgramIDs []string   `bson:"programIds"`
	Targets    []seatsDoc `bson:"targets,omitempty"`
}

// policyUseDoc is how a run used the policy and the programs' reserves.
type policyUseDoc struct {
	Reserves []reserveUseDoc `bson:"reserves,omitempty"`
	Regions  []regionUseDoc  `bson:"regions,omitempty"`
}

type reserveUseDoc struct {
	ProgramID  string `bson:"programId"`
	Category   string `bson:"category"`
	Seats      int    `bson:"seats"`
	ToCategory int    `bson:"toCategory"`
	Reverted   int    `bson:"reverted"`
}

type regionUseDoc struct {
	RegionID string `bson:"regionId"`
	Name     string `bson:"name"`
	Cap      int    `bson:"cap"`
	Filled   int    `bson:"filled"`
}

func policyDocOf(p *domain.Policy) *policyDoc {
	if p.Empty() {
		return nil
	}
	d := &policyDoc{}
	for _, r := range p.Regions {
		d.Regions = append(d.Regions, regionDoc{ID: r.ID, Name: r.Name, Cap: r.Cap, ProgramIDs: r.ProgramIDs,
			Targets: seatList(r.ProgramIDs, r.Targets)})
	}
	return d
}

func (d *policyDoc) policy() *domain.Policy {
	if d == nil || len(d.Regions) == 0 {
		return nil
	}
	p := &domain.Policy{}
	for _, r := range d.Regions {
		p.Regions = append(p.Regions, domain.Region{ID: r.ID, Name: r.Name, Cap: r.Cap, ProgramIDs: r.ProgramIDs,
			Targets: seatMap(r.Targets)})
	}
	return p
}

func policyUseDocOf(u *domain.PolicyUse) *policyUseDoc {
	if u == nil {
		return nil
	}
	d := &policyUseDoc{}
	for _, r := range u.Reserves {
		d.Reserves = append(d.Reserves, reserveUseDoc(r))
	}
	for _, r := range u.Regions {
		d.Regions = append(d.Regions, regionUseDoc(r))
	}
	return d
}

func (d *policyUseDoc) use() *domain.PolicyUse {
	if d == nil {
		return nil
	}
	u := &domain.PolicyUse{}
	for _, r := range d.Reserves {
		u.Reserves = append(u.Reserves, domain.ReserveUse(r))
	}
	for _, r := range d.Regions {
		u.Regions = append(u.Regions, domain.RegionUse(r))
	}
	return u
}
