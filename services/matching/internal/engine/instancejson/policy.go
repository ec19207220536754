package instancejson

import (
	"strconv"

	"github.com/talentbridge/platform/services/matching/internal/engine"
)

// The allocation-policy fields of DESIGN.md §5:
//
//	applicants: "categories": ["women", "first_generation"]
//	programs:   "reserves": [{"category": "women", "seats": 2}], "reserveOrder": "last" | "first",
//	            "region": "Tohoku", "target": 3
//	instance:   "regions": [{"id": "Tohoku", "cap": 40}]
//
// A region's programs are those naming it, in input order. Everything the engine would
// refuse — reserves beyond capacity, targets beyond a region's cap, an unknown or
// duplicate region — is refused here, with the position of the offending item.

// policyData collects the policy fields while decoding.
type policyData struct {
	// Applicant i's categories are cats[catOff[i]:catOff[i+1]], interned in catNames.
	catOff   []int32
	cats     []string
	catNames map[string]string

	programs []programPolicy // one per program
	reserves []engine.Reserve

	regions   []engine.Region
	regionAt  []int32          // offset of each region object
	regionIdx map[string]int32 // region id → index
	names     []string         // region names referenced by programs
	nameIdx   map[string]int32
}

type programPolicy struct {
	at             int32 // offset of the program object
	resLo, resHi   int32 // reserves[resLo:resHi]
	hasReserves    bool
	order          engine.ReserveOrder
	hasOrder       bool
	region         int32 // index into names, or -1
	regionAt       int32
	target         int32 // -1 when not given
	hasTargetField bool
}

// intern returns one shared copy of a category name: there are few, used by many.
func (pd *policyData) intern(b []byte) string {
	if s, ok := pd.catNames[string(b)]; ok {
		return s
	}
	if pd.catNames == nil {
		pd.catNames = map[string]string{}
	}
	s := string(b)
	pd.catNames[s] = s
	return s
}

// applicantCategories reads applicant i's list of category names.
func (d *decoder) applicantCategories(i int) error {
	f := field{"applicants", i, "categories", -1}
	if null, err := d.null(); null || err != nil {
		return err
	}
	if err := d.expectIn('[', f, "an array"); err != nil {
		return err
	}
	for k := 0; ; k++ {
		more, err := d.nextElem()
		if err != nil || !more {
			return err
		}
		f.k = k
		s, err := d.stringValue(f, "a category string")
		if err != nil {
			return err
		}
		d.pol.cats = append(d.pol.cats, d.pol.intern(s))
	}
}

// programPolicyField reads one of program i's policy fields, named key.
func (d *decoder) programPolicyField(i int, key string, keyAt int, pol *programPolicy) error {
	var seen bool
	switch key {
	case "reserves":
		seen = pol.hasReserves
	case "reserveOrder":
		seen = pol.hasOrder
	case "target":
		seen = pol.hasTargetField
	case "region":
		seen = pol.regionAt > 0
	}
	if seen {
		return d.errorAt(keyAt, "programs[%d]: duplicate field %q", i, key)
	}
	f := field{"programs", i, key, -1}
	if key != "reserves" { // a null list is empty; a null region, target or order is absent
		d.skipSpace()
		at := d.pos
		if null, err := d.null(); null || err != nil {
			switch key {
			case "reserveOrder":
				pol.hasOrder = true
			case "region":
				pol.regionAt = int32(at)
			case "target":
				pol.hasTargetField = true
			}
			return err
		}
	}
	switch key {
	case "reserves":
		pol.hasReserves = true
		pol.resLo = int32(len(d.pol.reserves))
		err := d.list("an array of reserves", func(k int) error { return d.reserve(i, k) })
		pol.resHi = int32(len(d.pol.reserves))
		return err
	case "reserveOrder":
		pol.hasOrder = true
		d.skipSpace()
		at := d.pos
		s, err := d.stringValue(f, `"last" or "first"`)
		if err != nil {
			return err
		}
		order, ok := engine.ParseReserveOrder(string(s))
		if !ok {
			return d.errorAt(at, "%v: %s is not \"last\" or \"first\"", f, strconv.Quote(string(s)))
		}
		pol.order = order
	case "region":
		d.skipSpace()
		pol.regionAt = int32(d.pos)
		s, err := d.stringValue(f, "a region id string")
		if err != nil {
			return err
		}
		if d.pol.nameIdx == nil {
			d.pol.nameIdx = map[string]int32{}
		}
		idx, ok := d.pol.nameIdx[string(s)]
		if !ok {
			idx = int32(len(d.pol.names))
			d.pol.names = append(d.pol.names, string(s))
			d.pol.nameIdx[string(s)] = idx
		}
		pol.region = idx
	case "target":
		pol.hasTargetField = true
		t, err := d.count(f, "target")
		if err != nil {
			return err
		}
		pol.target = int32(t)
	}
	return nil
}

// reserve reads element k of program i's reserves.
func (d *decoder) reserve(i, k int) error {
	f := field{"programs", i, "reserves", k}
	r := engine.Reserve{}
	hasCat, hasSeats := false, false
	objAt, err := d.object(f, func(key []byte, keyAt int) (_ bool, err error) {
		switch string(key) {
		case "category":
			if err := d.once(&hasCat, f, "category", keyAt); err != nil {
				return true, err
			}
			s, err := d.nonEmpty(f, "a category string", "category")
			if err != nil {
				return true, err
			}
			r.Category = d.pol.intern(s)
		case "seats":
			if err := d.once(&hasSeats, f, "seats", keyAt); err != nil {
				return true, err
			}
			r.Seats, err = d.count(f, "seats")
			return true, err
		default:
			return false, nil
		}
		return true, nil
	})
	switch {
	case err != nil:
		return err
	case !hasCat:
		return d.errorAt(objAt, "%v: missing \"category\"", f)
	case !hasSeats:
		return d.errorAt(objAt, "%v: missing \"seats\"", f)
	}
	d.pol.reserves = append(d.pol.reserves, r)
	return nil
}

// parseRegions reads the instance's regions.
func (d *decoder) parseRegions() error {
	d.pol.regionIdx = map[string]int32{}
	return d.list("an array of regions", func(i int) error {
		f := field{"regions", i, "", -1}
		reg := engine.Region{}
		hasID, hasCap := false, false
		objAt, err := d.object(f, func(key []byte, keyAt int) (_ bool, err error) {
			switch string(key) {
			case "id":
				if err := d.once(&hasID, f, "id", keyAt); err != nil {
					return true, err
				}
				s, err := d.nonEmpty(field{"regions", i, "id", -1}, "an id string", "id")
				if err != nil {
					return true, err
				}
				at := d.pos
				if j, dup := d.pol.regionIdx[string(s)]; dup {
					line, column := d.lineColumn(int(d.pol.regionAt[j]))
					return true, d.errorAt(at, "duplicate region id %s (first at line %d, column %d)", strconv.Quote(string(s)), line, column)
				}
				reg.ID = string(s)
			case "cap":
				if err := d.once(&hasCap, f, "cap", keyAt); err != nil {
					return true, err
				}
				reg.Cap, err = d.count(field{"regions", i, "cap", -1}, "cap")
				return true, err
			default:
				return false, nil
			}
			return true, nil
		})
		switch {
		case err != nil:
			return err
		case !hasID:
			return d.errorAt(objAt, "regions[%d]: missing \"id\"", i)
		case !hasCap:
			return d.errorAt(objAt, "regions[%d]: missing \"cap\"", i)
		}
		d.pol.regionIdx[reg.ID] = int32(len(d.pol.regions))
		d.pol.regions = append(d.pol.regions, reg)
		d.pol.regionAt = append(d.pol.regionAt, int32(objAt))
		return nil
	})
}

// resolvePolicies moves the policy fields into in and checks what needs the whole input.
func (d *decoder) resolvePolicies(in *engine.Instance) error {
	pd := &d.pol
	if len(pd.cats) > 0 {
		for i := range in.Applicants {
			if lo, hi := pd.catOff[i], pd.catOff[i+1]; lo < hi {
				in.Applicants[i].Categories = pd.cats[lo:hi:hi]
			}
		}
	}
	toRegion := make([]int32, len(pd.names))
	for k, name := range pd.names {
		j, ok := pd.regionIdx[name]
		if !ok {
			toRegion[k] = -1
			continue
		}
		toRegion[k] = j
	}
	for i := range in.Programs {
		pol := &pd.programs[i]
		prog := &in.Programs[i]
		if pol.resHi > pol.resLo {
			prog.Reserves = pd.reserves[pol.resLo:pol.resHi:pol.resHi]
			seats := 0
			for _, r := range prog.Reserves {
				seats += r.Seats
			}
			if seats > prog.Capacity {
				return d.errorAt(int(pol.at), "programs[%d]: reserves hold %d seats, more than its capacity of %d", i, seats, prog.Capacity)
			}
		}
		prog.ReserveOrder = pol.order
		if pol.target >= 0 {
			t := int(pol.target)
			prog.Target = &t
		}
		if pol.region >= 0 {
			r := toRegion[pol.region]
			if r < 0 {
				return d.errorAt(int(pol.regionAt), "programs[%d].region: unknown region %s", i, strconv.Quote(pd.names[pol.region]))
			}
			pd.regions[r].Programs = append(pd.regions[r].Programs, i)
		}
	}
	for r := range pd.regions {
		reg := &pd.regions[r]
		targets := 0
		for _, p := range reg.Programs {
			if t := in.Programs[p].Target; t != nil {
				targets += *t
			} else {
				targets += in.Programs[p].Capacity
			}
		}
		if targets > reg.Cap {
			return d.errorAt(int(pd.regionAt[r]), "regions[%d]: targets of region %s add up to %d, more than its cap of %d",
				r, strconv.Quote(reg.ID), targets, reg.Cap)
		}
	}
	in.Regions = pd.regions
	return nil
}
