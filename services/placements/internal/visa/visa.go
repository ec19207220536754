package visa

import (
	"slices"
	"time"

	apiplacements "github.com/talentbridge/platform/shared/api/placements"
	"github.com/talentbridge/platform/shared/placementrules"
)

// Pathway answers GET /placements/{id}/visa for a placement: the first
// rule of visa.json that fits its direction, kind, pay and length, the
// additions its length calls for, and for a paid placement in Japan the
// points estimate (which, when it reaches the threshold, adds the Highly
// Skilled Professional status as an alternative).
func Pathway(rules *placementrules.VisaRules, table *placementrules.HSPTable, in Input) apiplacements.VisaResponse {
	var res apiplacements.VisaResponse
	if in.Direction == placementrules.DirectionINJP && in.Paid() {
		est := EstimateHSP(table, in)
		res.HSP = &est
	}
	days := in.days()
	rule, ok := match(rules, in, days)
	if !ok {
		// visa.json is validated to cover every direction and kind;
		// only an unknown direction or kind gets here.
		return res
	}
	v := apiplacements.Visa{Type: rule.Type, Title: rules.Types[rule.Type].Title, RuleSet: rules.Version}
	var sources []string
	sources = append(sources, rules.Types[rule.Type].Sources...)
	needs, why := slices.Clone(rule.Needs), slices.Clone(rule.Reasons)
	for _, a := range rules.Additions {
		if a.Direction == in.Direction && days >= a.MinDays {
			needs = append(needs, a.Needs...)
			why = append(why, a.Reasons...)
			sources = append(sources, a.Sources...)
		}
	}
	for _, alt := range rule.Alternatives {
		v.Alternatives = append(v.Alternatives, apiplacements.VisaOption{Type: alt, Title: rules.Types[alt].Title})
		sources = append(sources, rules.Types[alt].Sources...)
	}
	if rule.HSPOption != "" && res.HSP != nil && res.HSP.Reached {
		why := note(rules, "hsp_option", false)
		v.Alternatives = append(v.Alternatives, apiplacements.VisaOption{Type: rule.HSPOption, Title: rules.Types[rule.HSPOption].Title, Reason: &why})
		needs = append(needs, "hsp_points")
		sources = append(sources, rules.Types[rule.HSPOption].Sources...)
	}
	for _, c := range unique(needs) {
		v.Needs = append(v.Needs, note(rules, c, true))
	}
	for _, c := range unique(why) {
		v.Reasons = append(v.Reasons, note(rules, c, false))
	}
	for _, id := range unique(sources) {
		v.Sources = append(v.Sources, apiplacements.Source(rules.Sources[id]))
	}
	res.Visa = v
	return res
}

// match returns the first rule that fits.
func match(rules *placementrules.VisaRules, in Input, days int) (placementrules.VisaRule, bool) {
	for _, r := range rules.Rules {
		switch {
		case r.Direction != in.Direction:
		case len(r.Kinds) > 0 && !slices.Contains(r.Kinds, in.Kind):
		case r.Paid != nil && *r.Paid != in.Paid():
		case r.MaxDays > 0 && (days <= 0 || days > r.MaxDays):
		default:
			return r, true
		}
	}
	return placementrules.VisaRule{}, false
}

// days is the length of the stay counting both ends, or 0 when the dates
// are missing or out of order.
func (in Input) days() int {
	s, err1 := time.Parse(time.DateOnly, in.Start)
	e, err2 := time.Parse(time.DateOnly, in.End)
	if err1 != nil || err2 != nil || e.Before(s) {
		return 0
	}
	return int(e.Sub(s).Hours()/24) + 1
}

func note(rules *placementrules.VisaRules, code string, need bool) apiplacements.VisaNote {
	if need {
		return apiplacements.VisaNote{Code: code, Text: rules.Needs[code]}
	}
	return apiplacements.VisaNote{Code: code, Text: rules.Reasons[code]}
}

func unique(s []string) []string {
	var out []string
	for _, v := range s {
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}
