package recommend_test

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/talentbridge/platform/services/matching/internal/app"
	"github.com/talentbridge/platform/services/matching/internal/domain"
	"github.com/talentbridge/platform/services/matching/internal/recommend"
	programsev "github.com/talentbridge/platform/shared/events/programs"
	"github.com/talentbridge/platform/shared/taxonomy"
)

// BenchmarkScaleReplica measures what one matching replica holds in memory
// for recommendations: the directory of profiles and programs
// (app.Directory, every field the service keeps of a profile) with the
// recommender built over it, loaded the way the service loads it at start,
// at the size TB_BENCH_SCALE gives (see scale_bench_test.go). The
// recommender alone shares the profiles' strings with the directory, so
// this, not BenchmarkScaleBuild's figure, is the replica's footprint.
func BenchmarkScaleReplica(b *testing.B) {
	n, m := 200_000, 4_000
	if v := os.Getenv("TB_BENCH_SCALE"); v != "" {
		as, ps, _ := strings.Cut(v, "x")
		var errA, errP error
		n, errA = strconv.Atoi(as)
		m, errP = strconv.Atoi(ps)
		if errA != nil || errP != nil || n < 1 || m < 1 {
			b.Fatalf("TB_BENCH_SCALE=%q: want APPLICANTSxPROGRAMS", v)
		}
	}
	now := func() time.Time { return time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC) }
	var held uint64
	var load time.Duration
	var dir *app.Directory
	for b.Loop() {
		b.StopTimer()
		dir, replica = nil, nil
		base := heapInUse()
		snap := population(n, m)
		d := app.NewDirectory(now)
		start := time.Now()
		if err := d.Load(context.Background(), snap); err != nil {
			b.Fatal(err)
		}
		load += time.Since(start)
		snap = nil
		runtime.KeepAlive(snap)
		held = heapInUse() - base
		dir = d
		b.StartTimer()
	}
	served := 0
	for i := range min(n, 100) {
		if len(dir.Recommendations(fmt.Sprintf("app-%07d", i))) > 0 {
			served++
		}
	}
	if served == 0 {
		b.Fatal("no recommendations for the first applicants of the loaded directory")
	}
	replica = dir // live until the next run, for -memprofile
	b.ReportMetric(load.Seconds()/float64(b.N), "load-s")
	b.ReportMetric(float64(held)/(1<<20), "heap-MiB")
	b.ReportMetric(float64(held)/float64(n), "B/applicant")
}

// replica is the last directory BenchmarkScaleReplica loaded.
var replica *app.Directory

func heapInUse() uint64 {
	var ms runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&ms)
	return ms.HeapInuse
}

// snapshot is the read models, in memory.
type snapshot struct {
	profiles []domain.Profile
	programs []domain.Program
}

func (s *snapshot) AllProfiles(context.Context) ([]domain.Profile, error) { return s.profiles, nil }
func (s *snapshot) AllPrograms(context.Context) ([]domain.Program, error) { return s.programs, nil }

var (
	givenNames  = []string{"Aarav", "Priya", "Vikram", "Ananya", "Rohan", "Kavya", "Yuki", "Haruto", "Sakura", "Ren", "Meera", "Arjun"}
	familyNames = []string{"Sharma", "Iyer", "Reddy", "Banerjee", "Patel", "Nair", "Sato", "Suzuki", "Takahashi", "Tanaka", "Kulkarni", "Das"}
)

// population turns the scale population into read-model entries with the
// fields scoring does not read filled in as well (name, institution,
// gender, versions, times), since the directory keeps them. Every string is
// a copy of its own, as it is when decoded from the read model or an event:
// the generator's shared literals would hide what repeated values cost.
func population(n, m int) *snapshot {
	apps, progs := recommend.ScalePopulation(2027, n, m)
	created := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	s := &snapshot{profiles: make([]domain.Profile, len(apps)), programs: make([]domain.Program, len(progs))}
	c := strings.Clone
	for i, a := range apps {
		langs := make([]taxonomy.Language, len(a.Languages))
		for j, l := range a.Languages {
			langs[j] = taxonomy.Language{Code: c(l.Code), Level: c(l.Level)}
		}
		s.profiles[i] = domain.Profile{
			ID: c(a.ID), Version: int64(1 + i%5), CreatedAt: created.Add(time.Duration(i) * time.Second),
			ProfileData: domain.ProfileData{
				Kind: c(a.Kind), Name: givenNames[i%len(givenNames)] + " " + familyNames[(i/7)%len(familyNames)],
				HomeCountry: c(a.HomeCountry), Institution: fmt.Sprintf("Institution %d", i%400),
				Fields: cloneAll(a.Fields), Skills: cloneAll(a.Skills), Languages: langs, DegreeLevel: c(a.DegreeLevel),
				BirthYear: a.BirthYear, AvailableFrom: c(a.AvailableFrom), AvailableTo: c(a.AvailableTo),
				ProgramKinds: cloneAll(a.Preferences.ProgramKinds), HostRegions: cloneAll(a.Preferences.HostRegions),
				Statement: c(a.Statement), Gender: c([]string{"female", "male", "other", ""}[i%4]), VisibleToHosts: i%3 != 0,
			},
		}
	}
	for i, p := range progs {
		s.programs[i] = domain.Program{
			ID: c(p.ID), Version: 1, HostID: fmt.Sprintf("host-%04d", i%900), Title: c(p.Title), Description: c(p.Description),
			Kind: c(p.Kind), HostOrg: fmt.Sprintf("Host organisation %d", i%900), HostCountry: c(p.HostCountry), Region: c(p.Region),
			Fields: cloneAll(p.Fields), Skills: cloneAll(p.Skills), Seats: 1 + i%10, StartDate: c(p.StartDate), EndDate: c(p.EndDate),
			ApplicationDeadline: c(p.ApplicationDeadline), ClosesAt: closesAt(p.ApplicationDeadline),
			Eligibility: p.Eligibility, Status: programsev.StatusPublished,
		}
	}
	return s
}

func cloneAll(xs []string) []string {
	if xs == nil {
		return nil
	}
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = strings.Clone(x)
	}
	return out
}

// closesAt is the end of the deadline's day, as the programs service would
// have set it (only Recommendations reads it here, to hide closed programs).
func closesAt(deadline string) time.Time {
	d, err := time.Parse(time.DateOnly, deadline)
	if err != nil {
		return time.Time{}
	}
	return d.AddDate(0, 0, 1)
}
