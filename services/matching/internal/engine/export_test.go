package engine

// SolvePoliciesInOrder solves an instance with policies letting applicants start proposing
// in the given order, so tests can show that the order does not matter.
func SolvePoliciesInOrder(in *Instance, order []int) ([]int, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	o := make([]int32, len(order))
	for i, a := range order {
		o[i] = int32(a)
	}
	got := solvePolicies(in, prepare(in, false), o)
	out := make([]int, len(got))
	for a, p := range got {
		out[a] = int(p)
	}
	return out, nil
}

// PolicyDeferredAcceptance validates and prepares in once and returns its policy
// deferred acceptance, so that benchmarks can time that step alone.
func PolicyDeferredAcceptance(in *Instance) (func(), error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	pr := prepare(in, false)
	return func() { solvePolicies(in, pr, nil) }, nil
}
