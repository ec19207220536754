#!/usr/bin/env bash
# Runs the platform's benchmarks and writes their figures, as a table,
# between the bench:begin and bench:end markers of docs/BENCHMARKS.md:
#
#   engine           NRMP-size solve on one core, plain and with allocation
#                    policies (12 regions, reserves on 60% of programs);
#                    matchsolve as a whole process (wall, CPU, peak memory),
#                    plain and with policies, at NRMP size and at 10x (500,000
#                    applicants, one run each: BENCH_BIG_COUNT); solve time per
#                    list entry from 5,000 to 200,000 applicants
#   recommendations  full build 50,000 x 6,500; one profile update; one publish
#   scale            the recommender and one matching replica at 200,000
#                    applicants x 4,000 programs (one run; BENCH_MILLION=1:
#                    1,000,000 x 20,000: about 16 CPU-minutes, so 10 minutes
#                    or more of wall time, and 6-7 GiB of memory)
#   pipeline         profiles created per second until the matching read model
#                    holds them; lag from HTTP 201 to the read model at 200/s
#   api              GET /programs?q= and GET /recommendations/me at 500/s, the
#                    highest rate each holds with p99 under 100 ms, and a bare
#                    Echo handler under the same load generator
#   national         a national round through the standalone platform
#                    (scripts/national.sh: 50,000 applicants x 6,500 programs,
#                    lists of 20): rank import, run from POST /run to
#                    completed, approve and publish, each timed, and the
#                    server's peak RSS; one run, some minutes on top of the
#                    ten below (BENCH_NATIONAL=0 leaves it out)
#   erase            the embedded store's insert, update and delete with
#                    secure_delete and the write-ahead log trim off and on, and
#                    one trim (shared/embedded/erase_bench_test.go)
#
# Every Go benchmark runs COUNT times (-count) and the table gives medians;
# ratios are taken within one run. The whole script is bounded to finish in
# under ten minutes on the 2-core development machine.
#
# Usage: scripts/bench.sh [--no-write] [--profile DIR]
#   --no-write     print the table, leave docs/BENCHMARKS.md alone
#   --profile DIR  also write CPU profiles (-cpuprofile) and test binaries to DIR
#   BENCH_COUNT    repetitions of each benchmark (default 3)
#   BENCH_MILLION  1: the scale rows at a million applicants (see above)
#   TB_BENCH_*     sizes and rates of the platform benchmarks (services/standalone/bench_test.go)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

write=1
profdir=""
while [ $# -gt 0 ]; do
  case "$1" in
    --no-write) write=0 ;;
    --profile) profdir=$(mkdir -p "$2" && cd "$2" && pwd); shift ;;
    *) echo "usage: scripts/bench.sh [--no-write] [--profile DIR]" >&2; exit 2 ;;
  esac
  shift
done
count=${BENCH_COUNT:-3}
case "$count" in ''|*[!0-9]*|0) echo "BENCH_COUNT must be a positive number" >&2; exit 2 ;; esac
big_count=${BENCH_BIG_COUNT:-1}
case "$big_count" in ''|*[!0-9]*|0) echo "BENCH_BIG_COUNT must be a positive number" >&2; exit 2 ;; esac

# Scratch space for test binaries, the generated instance and the API
# benchmark's platform data (TMPDIR), removed at the end.
work=$(mktemp -d "${TMPDIR:-/tmp}/tb-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
export TMPDIR=$work
mkdir -p "$work/out"

began=$(date +%s)
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
cpu_model=$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')
cores=$(nproc)
gover=$(go version | sed 's/^go version //')
date_utc=$(date -u '+%Y-%m-%d %H:%M UTC')

step() { printf '== %s (%ss)\n' "$*" "$(($(date +%s) - began))"; }

# prof NAME: -cpuprofile flags when --profile was given.
prof() {
  if [ -n "$profdir" ]; then
    echo "-test.cpuprofile=$profdir/$1.prof"
  fi
}

# bench DIR BINARY OUT ARGS...: run a test binary's benchmarks from its
# package directory (tests may read testdata), keeping the output.
bench() {
  local dir=$1 bin=$2 out=$3
  shift 3
  (cd "$dir" && "$bin" -test.run '^$' "$@") >"$work/out/$out.txt" 2>&1 || {
    echo "!! $out failed:"; tail -n 30 "$work/out/$out.txt"; return 1
  }
  grep -E '^Benchmark' "$work/out/$out.txt" || true
}

step "build"
engine_dir=services/matching/internal/engine
rec_dir=services/matching/internal/recommend
go test -c -o "$work/engine.test" "./$engine_dir"
go test -c -o "$work/recommend.test" "./$rec_dir"
go test -c -o "$work/standalone.test" ./services/standalone
go test -c -o "$work/embedded.test" ./shared/embedded
go build -o "$work/matchsolve" ./services/matching/cmd/matchsolve
go build -o "$work/geninstance" ./services/matching/internal/engine/enginetest/geninstance
if [ -n "$profdir" ]; then cp "$work"/*.test "$profdir/"; fi

step "engine: NRMP solve on one core"
bench "$engine_dir" "$work/engine.test" engine -test.bench 'SolveNRMP/applicants$' \
  -test.benchtime 20x -test.count "$count" -test.cpu 1 $(prof engine)

step "engine: NRMP solve with policies on one core (same run as plain)"
bench "$engine_dir" "$work/engine.test" policies -test.bench 'SolveNRMPPolicies/(plain|policies)$' \
  -test.benchtime 20x -test.count "$count" -test.cpu 1 $(prof policies)

step "engine: scaling"
bench "$engine_dir" "$work/engine.test" scaling -test.bench 'SolveScaling' \
  -test.benchtime 10x -test.count "$count" -test.cpu 1 $(prof scaling)

# matchsolve_runs N NAME...: run matchsolve N times on each $work/NAME.json in
# turn (alternating, so that the load falls alike on each), appending wall
# seconds, user seconds, system seconds and max RSS in KiB to out/NAME.txt.
matchsolve_runs() {
  local n=$1 name
  shift
  for name in "$@"; do : >"$work/out/$name.txt"; done
  for _ in $(seq "$n"); do
    for name in "$@"; do
      /usr/bin/time -f '%e %U %S %M' -a -o "$work/out/$name.txt" "$work/matchsolve" <"$work/$name.json" >"$work/result.json"
      grep -Eq '"blockingPairs": ?0}' "$work/result.json" || { echo "!! matchsolve result on $name is not stable"; exit 1; }
    done
  done
  for name in "$@"; do echo "$name: $(tr '\n' ';' <"$work/out/$name.txt")"; done
}

step "engine: matchsolve process, plain and with policies"
"$work/geninstance" -applicants 50000 -seed 1 >"$work/matchsolve.json"
"$work/geninstance" -applicants 50000 -seed 1 -policies >"$work/matchsolve-pol.json"
matchsolve_runs "$count" matchsolve matchsolve-pol
rm -f "$work/matchsolve.json" "$work/matchsolve-pol.json"

step "engine: matchsolve process at 10x NRMP (500,000 x 65,000), plain and with policies"
"$work/geninstance" -applicants 500000 -seed 1 >"$work/matchsolve-big.json"
"$work/geninstance" -applicants 500000 -seed 1 -policies >"$work/matchsolve-big-pol.json"
big_load=$(cut -d' ' -f1-3 /proc/loadavg) # the 10x rows say the load they ran under
matchsolve_runs "$big_count" matchsolve-big matchsolve-big-pol
rm -f "$work/matchsolve-big.json" "$work/matchsolve-big-pol.json"

step "recommendations: full build"
bench "$rec_dir" "$work/recommend.test" build -test.bench 'Build$' \
  -test.benchtime 1x -test.count "$count" $(prof build)

step "recommendations: one profile update, one publish"
bench "$rec_dir" "$work/recommend.test" upsert -test.bench 'UpsertApplicant/update|UpsertProgram/publish' \
  -test.benchtime 20x -test.count "$count" $(prof upsert)

scale_size=200000x4000
if [ "${BENCH_MILLION:-0}" = 1 ]; then scale_size=1000000x20000; fi
step "recommendations at scale ($scale_size): build, memory, update, publish, read"
# One run: the operation figures are already medians of 50 to 1,000
# operations. The replica runs in a process of its own so the first
# recommender's memory is not in its way.
TB_BENCH_SCALE=$scale_size bench "$rec_dir" "$work/recommend.test" scale -test.bench '^BenchmarkScale(Build|Update|Publish|Read)$' \
  -test.benchtime 1x -test.count 1 -test.timeout 90m $(prof scale)
TB_BENCH_SCALE=$scale_size bench "$rec_dir" "$work/recommend.test" replica -test.bench '^BenchmarkScaleReplica$' \
  -test.benchtime 1x -test.count 1 -test.timeout 90m

step "pipeline: throughput"
bench services/standalone "$work/standalone.test" pipeline -test.bench 'PipelineThroughput' \
  -test.benchtime 1x -test.count "$count" -test.timeout 20m $(prof pipeline)

step "pipeline: throughput without fsync (TB_SYNC_ALWAYS=false), for comparison"
TB_SYNC_ALWAYS=false bench services/standalone "$work/standalone.test" pipeline-nosync -test.bench 'PipelineThroughput' \
  -test.benchtime 1x -test.count "$count" -test.timeout 20m

step "pipeline: lag at a steady rate"
bench services/standalone "$work/standalone.test" lag -test.bench 'PipelineLag' \
  -test.benchtime 1x -test.count "$count" -test.timeout 20m $(prof lag)

step "api"
bench services/standalone "$work/standalone.test" api -test.bench '^(BenchmarkEcho|BenchmarkAPI)$' \
  -test.benchtime 1x -test.count "$count" -test.timeout 20m $(prof api)

step "erase: embedded store write path, secure_delete and log trim off and on"
bench shared/embedded "$work/embedded.test" erase -test.bench 'WritePath' \
  -test.benchtime 300x -test.count "$count" $(prof erase)
bench shared/embedded "$work/embedded.test" trim -test.bench 'Trim$' \
  -test.benchtime 20x -test.count "$count"

if [ "${BENCH_NATIONAL:-1}" != 0 ]; then
  step "national: who applied to one program, 20,000 applications on the embedded store"
  go test -c -o "$work/mongostore.test" ./services/matching/internal/mongostore
  bench services/matching/internal/mongostore "$work/mongostore.test" applicants -test.bench 'ProgramApplicants' \
    -test.benchtime 3x -test.count "$count" || true
  step "national: a run's read of 50,000 applications on the embedded store"
  bench services/matching/internal/mongostore "$work/mongostore.test" appsread -test.bench 'LiveApplicationsRead' \
    -test.benchtime 3x -test.count "$count" || true
  step "national: 50,000 x 6,500 x 20 through the standalone platform (one run)"
  NATIONAL_APPLICANTS=50000 NATIONAL_PROGRAMS=6500 NATIONAL_LIST=20 NATIONAL_TIMEOUT=${BENCH_NATIONAL_TIMEOUT:-45m} \
    scripts/national.sh >"$work/out/national.txt" 2>&1 || { echo "!! national failed:"; tail -n 30 "$work/out/national.txt"; }
  grep -E '^(timing|peak-rss-kib|completed|check|published) ' "$work/out/national.txt" || true
fi

load_end=$(cut -d' ' -f1-3 /proc/loadavg)
elapsed=$(($(date +%s) - began))
step "done"

# --- the table ---

# metric OUT NAME UNIT: the median, over the runs, of one metric of one
# benchmark (NAME is the benchmark's full name without the -N suffix).
metric() {
  awk -v name="$2" -v unit="$3" '
    /^Benchmark/ {
      n = $1; sub(/-[0-9]+$/, "", n)
      if (n != name) next
      for (i = 3; i < NF; i += 2) if ($(i + 1) == unit) print $i
    }' "$work/out/$1.txt" | sort -g | awk '
    { v[NR] = $1 }
    END {
      if (NR == 0) { print "nan"; exit }
      if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2
    }'
}

# column N FILE: the median of column N of a whitespace-separated file.
column() {
  awk -v c="$1" '{ print $c }' "$2" | sort -g | awk '
    { v[NR] = $1 }
    END {
      if (NR == 0) { print "nan"; exit }
      if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2
    }'
}

# fmt VALUE SCALE DECIMALS: VALUE / SCALE, rounded.
fmt() { awk -v v="$1" -v s="$2" -v d="$3" 'BEGIN { if (v == "nan") print "n/a"; else printf "%.*f", d, v / s }'; }

# verdict VALUE OP LIMIT: "met" or "**missed**" (OP is < or >=).
verdict() {
  awk -v v="$1" -v op="$2" -v l="$3" 'BEGIN {
    if (v == "n/a" || v == "nan") { print "no figure"; exit }
    ok = (op == "<") ? (v + 0 < l + 0) : (v + 0 >= l + 0)
    print ok ? "met" : "**missed**"
  }'
}

rows=()
# row FIGURE VALUE UNIT [TARGET_TEXT OP LIMIT [NUMBER]]: NUMBER, when the
# shown VALUE is not a plain number, is what the target is checked against.
row() {
  local figure=$1 value=$2 unit=$3 target=${4:-measured} op=${5:-} limit=${6:-} number=${7:-$2} v=""
  if [ -n "$op" ]; then v=$(verdict "$number" "$op" "$limit"); fi
  rows+=("| $figure | $value $unit | $target | $v |")
}

solve_cpu=$(fmt "$(metric engine BenchmarkSolveNRMP/applicants cpu-ns/op)" 1e6 1)
solve_wall=$(fmt "$(metric engine BenchmarkSolveNRMP/applicants ns/op)" 1e6 1)
row "Engine: NRMP solve (50,000 × 6,500, lists of 20), CPU on one core" "$solve_cpu" ms "< 200 ms" "<" 200
row "Engine: the same, wall time" "$solve_wall" ms
pol_cpu=$(fmt "$(metric policies BenchmarkSolveNRMPPolicies/policies cpu-ns/op)" 1e6 1)
plain_cpu=$(fmt "$(metric policies BenchmarkSolveNRMPPolicies/plain cpu-ns/op)" 1e6 1)
row "Engine: NRMP solve with policies (12 regions capped at 85 % of their seats, reserves on 60 % of programs), CPU on one core" "$pol_cpu" ms "< 150 ms" "<" 150
row "Engine: the same ÷ the plain instance's solve in the same run ($plain_cpu ms)" "$(awk -v a="$pol_cpu" -v b="$plain_cpu" 'BEGIN { printf "%.2f", a / b }')" "×" "measured"
# ms_rows NAME LABEL WALL_LIMIT RSS_LIMIT_MIB: wall, CPU and peak memory rows for out/NAME.txt.
ms_rows() {
  local wall cpu rss
  wall=$(fmt "$(column 1 "$work/out/$1.txt")" 1 2)
  cpu=$(fmt "$(awk '{ print $2 + $3 }' "$work/out/$1.txt" | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }')" 1 2)
  rss=$(fmt "$(column 4 "$work/out/$1.txt")" 1024 0)
  row "Engine: $2 whole process, wall" "$wall" s "< $3 s" "<" "$3"
  row "Engine: the same, CPU (user + system)" "$cpu" s
  row "Engine: the same, peak memory (max RSS)" "$rss" MiB "< $4 MiB" "<" "$4"
}
ms_rows matchsolve "\`matchsolve < nrmp.json\`" 1 512
ms_rows matchsolve-pol "\`matchsolve\` on the same instance with policies" 1 512
ratio=$(awk -v a="$(column 1 "$work/out/matchsolve-pol.txt")" -v b="$(column 1 "$work/out/matchsolve.txt")" 'BEGIN { printf "%.2f", a / b }')
row "Engine: policies ÷ plain, whole-process wall, same run" "$ratio" "×" "< 1.5 ×" "<" 1.5
ms_rows matchsolve-big "\`matchsolve\` at 10× NRMP (500,000 × 65,000, lists of 20; $big_count run, load $big_load)" 5 2048
ms_rows matchsolve-big-pol "\`matchsolve\` at 10× NRMP with policies ($big_count run, load $big_load)" 5 2048
first=""
for n in 5000 10000 20000 50000 100000 200000; do
  per=$(fmt "$(metric scaling "BenchmarkSolveScaling/applicants=$n" cpu-ns/entry)" 1 1)
  [ -n "$first" ] || first=$per
  row "Engine: scaling, $n applicants, CPU per list entry" "$per" ns "near-linear growth"
done
last=$(fmt "$(metric scaling BenchmarkSolveScaling/applicants=200000 cpu-ns/entry)" 1 1)
row "Engine: scaling, per-entry cost 200,000 ÷ 5,000 applicants" "$(awk -v a="$last" -v b="$first" 'BEGIN { printf "%.2f", a / b }')" "×" "measured"

build_wall=$(fmt "$(metric build BenchmarkBuild ns/op)" 1e9 1)
build_cpu=$(fmt "$(metric build BenchmarkBuild cpu-s/op)" 1 1)
row "Recommendations: full build 50,000 × 6,500, wall (both cores)" "$build_wall" s "< 20 s" "<" 20
row "Recommendations: the same, CPU" "$build_cpu" s
upd=$(fmt "$(metric upsert BenchmarkUpsertApplicant/update cpu-ms/op)" 1 2)
pub=$(fmt "$(metric upsert BenchmarkUpsertProgram/publish cpu-ms/op)" 1 2)
row "Recommendations: one profile update, re-scored against 6,500 programs" "$upd" ms "< 50 ms" "<" 50
row "Recommendations: one program publish, re-scored against 50,000 applicants" "$pub" ms

sa=${scale_size%x*}
sp=${scale_size#*x}
group() { echo "$1" | sed ':a;s/\B[0-9]\{3\}\>/,&/;ta'; } # 1000000 → 1,000,000
sl="$(group "$sa") × $(group "$sp")"
row "Scale $sl: full build, wall (both cores)" "$(fmt "$(metric scale BenchmarkScaleBuild build-s)" 1 1)" s
row "Scale $sl: the same, CPU" "$(fmt "$(metric scale BenchmarkScaleBuild cpu-s)" 1 1)" s
row "Scale $sl: heap the recommender holds" "$(fmt "$(metric scale BenchmarkScaleBuild heap-MiB)" 1 0)" MiB
rep_b=$(fmt "$(metric replica BenchmarkScaleReplica B/applicant)" 1 0)
row "Scale $sl: heap one replica holds (directory + recommender)" "$(fmt "$(metric replica BenchmarkScaleReplica heap-MiB)" 1 0)" MiB
row "Scale $sl: the same per applicant" "$rep_b" B "< 4,295 B (4 GiB per million)" "<" 4295
row "Scale $sl: one profile update, p50 (wall)" "$(fmt "$(metric scale BenchmarkScaleUpdate p50-ms)" 1 2)" ms
row "Scale $sl: one profile update, CPU" "$(fmt "$(metric scale BenchmarkScaleUpdate cpu-ms/op)" 1 2)" ms "< 50 ms" "<" 50
row "Scale $sl: one publish until every list shows it, p50 (wall)" "$(fmt "$(metric scale BenchmarkScalePublish p50-ms)" 1 1)" ms
row "Scale $sl: one publish, CPU" "$(fmt "$(metric scale BenchmarkScalePublish cpu-ms/op)" 1 1)" ms
row "Scale $sl: read an applicant's top 20 with reasons, p50 / p99" "$(fmt "$(metric scale BenchmarkScaleRead applicant-p50-ms)" 1 2) / $(fmt "$(metric scale BenchmarkScaleRead applicant-p99-ms)" 1 2)" ms
row "Scale $sl: read a program's top 20 with reasons, p50 / p99" "$(fmt "$(metric scale BenchmarkScaleRead program-p50-ms)" 1 2) / $(fmt "$(metric scale BenchmarkScaleRead program-p99-ms)" 1 2)" ms

n_profiles=${TB_BENCH_PROFILES:-2000}
tput=$(fmt "$(metric pipeline BenchmarkPipelineThroughput profiles/s)" 1 0)
tmissing=$(fmt "$(metric pipeline BenchmarkPipelineThroughput missing)" 1 0)
tbound=""
if [ "$tmissing" != "0" ] && [ "$tmissing" != "n/a" ]; then tbound="≤ "; fi
row "Pipeline: profiles/s, first POST to the last in the matching read model ($n_profiles profiles, 32 clients)" "$tbound$tput" "/s" "≥ 500/s" ">=" 500 "$tput"
row "Pipeline: the same, HTTP answers alone" "$(fmt "$(metric pipeline BenchmarkPipelineThroughput http-profiles/s)" 1 0)" "/s"
row "Pipeline: the same with \`TB_SYNC_ALWAYS=false\` (no fsync per commit)" "$(fmt "$(metric pipeline-nosync BenchmarkPipelineThroughput profiles/s)" 1 0)" "/s"
row "Pipeline: profiles not in the read model ${TB_BENCH_DRAIN:-40s} after the last answer" "$tmissing" "" "0" "<" 1
lag_rate=${TB_BENCH_LAG_RATE:-200}
lag_for=${TB_BENCH_LAG_FOR:-3s}
missing=$(fmt "$(metric lag BenchmarkPipelineLag missing)" 1 0)
bound=""
if [ "$missing" != "0" ] && [ "$missing" != "n/a" ]; then bound="≥ "; fi
row "Pipeline: lag HTTP 201 → read model, p50, at $lag_rate/s for $lag_for" "$bound$(fmt "$(metric lag BenchmarkPipelineLag lag-p50-ms)" 1 0)" ms
lag99=$(fmt "$(metric lag BenchmarkPipelineLag lag-p99-ms)" 1 0)
row "Pipeline: lag, p99" "$bound$lag99" ms "< 1000 ms" "<" 1000 "$lag99"
row "Pipeline: profiles not in the read model ${TB_BENCH_LAG_DRAIN:-25s} after the steady load" "$missing" "" "0" "<" 1

idle=$(fmt "$(metric api BenchmarkAPI/idle cpu-%)" 1 0)
row "API: CPU the idle platform uses (share of one core)" "$idle" "%"
for t in search search-all recommendations echo; do
  p99=$(metric api "BenchmarkAPI/$t/rate=500" p99-ms)
  [ "$p99" != "nan" ] || continue
  case $t in
    search) label="GET /programs?q= (${TB_BENCH_PUBLISHED:-10000} published programs)"; tgt="< 50 ms" ;;
    search-all) label="GET /programs?mine=true&q= (${TB_BENCH_DRAFTS:-0} drafts, as their host)"; tgt="< 50 ms" ;;
    recommendations) label="GET /recommendations/me (${TB_BENCH_APPLICANTS:-500} applicants)"; tgt="< 50 ms" ;;
    echo) label="bare Echo handler beside the idle platform"; tgt="" ;;
  esac
  row "API: $label at 500/s, p50" "$(fmt "$(metric api "BenchmarkAPI/$t/rate=500" p50-ms)" 1 1)" ms
  if [ -n "$tgt" ]; then
    row "API: $label at 500/s, p99" "$(fmt "$p99" 1 1)" ms "$tgt" "<" 50
  else
    row "API: $label at 500/s, p99" "$(fmt "$p99" 1 1)" ms
  fi
done
echo_alone=$(metric api BenchmarkEcho/ceiling req/s)
row "API: bare Echo handler alone (no platform), p99 at 500/s" "$(fmt "$(metric api BenchmarkEcho/rate=500 p99-ms)" 1 1)" ms
row "API: bare Echo handler alone, highest rate held with p99 < 100 ms" "$(fmt "$echo_alone" 1 0)" "/s"
for t in search search-all recommendations echo; do
  held=$(metric api BenchmarkAPI/ceiling "$t-req/s")
  [ "$held" != "nan" ] || continue
  if [ "$t" = echo ]; then
    row "API: bare Echo handler beside the idle platform, highest rate held with p99 < 100 ms" "$(fmt "$held" 1 0)" "/s"
  else
    row "API: $t, highest rate held with p99 < 100 ms" "$(fmt "$held" 1 0)" "/s"
    row "API: $t ÷ bare Echo alone" "$(awk -v a="$held" -v b="$echo_alone" 'BEGIN { if (b + 0 > 0) printf "%.2f", a / b; else print "n/a" }')" "×"
    row "API: $t ÷ bare Echo beside the platform (same moment)" "$(fmt "$(metric api BenchmarkAPI/ceiling "$t/echo")" 1 2)" "×"
  fi
done
for op in insert update delete; do
  w=() c=() o=()
  for m in off secure_delete secure_delete+trim; do
    w+=("$(fmt "$(metric erase "BenchmarkWritePath/$op/$m" ns/op)" 1e6 2)")
    c+=("$(fmt "$(metric erase "BenchmarkWritePath/$op/$m" cpu-us/op)" 1e3 2)")
    o+=("$(fmt "$(metric erase "BenchmarkWritePath/$op/$m" written-B/op)" 1024 1)")
  done
  row "Embedded store: one $op of a 1 KiB document (fsync per commit), wall — as before / secure_delete / secure_delete + log trim" "${w[0]} / ${w[1]} / ${w[2]}" ms
  row "Embedded store: the same, process CPU" "${c[0]} / ${c[1]} / ${c[2]}" ms
  row "Embedded store: the same, bytes written" "${o[0]} / ${o[1]} / ${o[2]}" KiB
done
row "Embedded store: one log trim (checkpoint with truncation) after 200 updates" "$(fmt "$(metric trim BenchmarkTrim trim-ms)" 1 1)" ms

if [ "${BENCH_NATIONAL:-1}" != 0 ]; then
  # national NAME: seconds of one step of scripts/national.sh, "nan" if it
  # did not get there.
  national() { awk -v n="$1" '$1 == "timing" && $2 == n { print $3; found = 1 } END { if (!found) print "nan" }' "$work/out/national.txt"; }
  scan=$(fmt "$(metric applicants BenchmarkProgramApplicants/applications-scan ns/op)" 1e6 1)
  byid=$(fmt "$(metric applicants BenchmarkProgramApplicants/read-model-by-id ns/op)" 1e6 2)
  row "Host-ranking import: who applied to one program among 20,000 applications (embedded store) — scan of the applications / program_applicants read by _id" "$scan / $byid" ms
  aread=$(fmt "$(metric appsread BenchmarkLiveApplicationsRead/as-a-run-reads ns/op)" 1e6 0)
  acur=$(fmt "$(metric appsread BenchmarkLiveApplicationsRead/cursor-only ns/op)" 1e6 0)
  aview=$(fmt "$(metric appsread BenchmarkLiveApplicationsRead/applicant-view ns/op)" 1e6 0)
  row "A run's read of 50,000 live applications (embedded store) — the applications decoded and sorted / the applicant view / a cursor over the applications alone" "$aread / $aview / $acur" ms
  nl="National round 50,000 × 6,500 × 20 (standalone platform, embedded store)"
  ranks=$(awk -v a="$(national import-ranks)" -v b="$(national import-rankings)" 'BEGIN { if (a == "nan" || b == "nan") print "nan"; else print a + b }')
  row "$nl: rank lists (CSV, 2,000 a file) and host rankings (CSV, one per program) imported" "$(fmt "$ranks" 1 1)" s
  nrun=$(fmt "$(national run)" 1 1)
  row "$nl: run, POST /run to completed (load, solve, check, explain, save)" "$nrun" s "< 60 s" "<" 60
  row "$nl: approve all (POST /rounds/{id}/approve)" "$(fmt "$(national approve)" 1 1)" s
  row "$nl: publish" "$(fmt "$(national publish)" 1 1)" s
  nrss=$(awk '$1 == "peak-rss-kib" && $2 ~ /^[0-9]+$/ { print $2 }' "$work/out/national.txt" | tail -n 1)
  row "$nl: server peak RSS (VmHWM)" "$(fmt "${nrss:-nan}" 1024 0)" MiB
  nok=no
  if grep -q '^ok$' "$work/out/national.txt"; then nok=yes; fi
  row "$nl: completed with 0 blocking pairs, equal to the applicant-optimal stable matching, published" "$nok" "" "yes"
fi

row "bench.sh: whole run" "$elapsed" s "< 600 s" "<" 600

table=$(
  echo "<!-- bench:begin -->"
  echo "Written by \`scripts/bench.sh\` on $date_utc; medians of $count runs."
  echo
  echo "| run | |"
  echo "|---|---|"
  echo "| machine | \`nproc\` $cores, $cpu_model (\`/proc/cpuinfo\`), $gover |"
  echo "| date | $date_utc |"
  echo "| load average at start (1, 5, 15 min) | $load_start |"
  echo "| load average at end | $load_end |"
  echo
  echo "The machine is shared with other engineers' builds and tests; a load average above 2 means the"
  echo "benchmarks did not have both cores, so wall-clock figures and latencies include waiting for a core."
  echo
  echo "| figure | value | target | |"
  echo "|---|---|---|---|"
  printf '%s\n' "${rows[@]}"
  echo "<!-- bench:end -->"
)
echo
echo "$table"

if [ "$write" = 1 ]; then
  doc=docs/BENCHMARKS.md
  if grep -q '<!-- bench:begin -->' "$doc" && grep -q '<!-- bench:end -->' "$doc"; then
    printf '%s\n' "$table" >"$work/table.md"
    awk -v tf="$work/table.md" '
      /<!-- bench:begin -->/ { while ((getline l < tf) > 0) print l; skip = 1; next }
      /<!-- bench:end -->/ { skip = 0; next }
      !skip { print }' "$doc" >"$work/doc.md"
    cp "$work/doc.md" "$doc"
    echo "wrote the table to $doc"
  else
    echo "!! $doc has no <!-- bench:begin --> / <!-- bench:end --> markers; table not written" >&2
    exit 1
  fi
fi
