#!/usr/bin/env bash
# Runs the JMH benchmarks, then prints one line per ratio as
#   RATIO <name> <median over rounds> <goal> spread=<lowest>-<highest> rounds=<n>
# and writes benchmarks/results/result.json, the chart docs/benchmark-list-latency.png and the
# results table in docs/BENCHMARKS.md.
#   benchmarks/run.sh          quick mode: every group 1 fork, 5 rounds of 0.5 s per member
#   benchmarks/run.sh full     every group 2 forks, 8 rounds of 1 s per member in each
# Every ratio's members take turns in one fork (dev.vaultengine.benchmarks.Interleaved, run by
# Rounds); a ratio is computed per round and reported as the median over rounds with its spread.
# Environment:
#   NO_POSTGRES=1   skip the PostgreSQL benchmarks (they need the server of DESIGN.md): the group
#                   resolveFromFeedPostgres and the benchmarks run on their own
#   BENCH_GROUPS=re run only the groups whose method matches, e.g. BENCH_GROUPS='create.*'
#   JMH_EXTRA=...   more JMH options for every run
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-quick}
case "$mode" in
  quick) single=(-f 1) ;; # iterations from the classes' @Warmup and @Measurement
  full) single=(-f 2 -wi 5 -w 1s -i 5 -r 1s) ;;
  *) echo "usage: benchmarks/run.sh [quick|full]" >&2; exit 2 ;;
esac
mvn -q -B -DskipTests install -pl benchmarks -am
jar=benchmarks/target/benchmarks.jar
out=benchmarks/results
mkdir -p "$out"
rm -f "$out"/interleaved-*.json "$out"/jmh-*.json "$out"/jmh.log
# Every fork gets its whole heap up front and touched: benchmarks that add rows (create) made a
# growing heap resize and fault in pages in the middle of measurements (in-memory create gave 3.4
# to 9.7 us from run to run with a heap that grew). 4 GB (it was 8) since the runs have more forks
# now: touching 8 GB took about 4 s per fork, 4 GB under 2 s.
heap=(-jvmArgs "-Xms4g -Xmx4g -XX:+AlwaysPreTouch")

# 1. The ratios: each group of Interleaved in its own JMH run, one JSON file per group.
# shellcheck disable=SC2086
java -Xmx1g ${BENCH_GROUPS:+-Dgroups="$BENCH_GROUPS"} -DnoPostgres="$([ "${NO_POSTGRES:-0}" = 1 ] \
  && echo true || echo false)" -cp "$jar" dev.vaultengine.benchmarks.Rounds "$mode" "$out" "${heap[@]}" ${JMH_EXTRA:-} > "$out/jmh.log"

# 2. What no ratio uses, on its own: get vault; PostgreSQL (no goal is set on it).
# (Durability does not matter to a read: no get vault on sqlite_normal.)
# shellcheck disable=SC2086
java -Xmx1g -jar "$jar" "${single[@]}" "${heap[@]}" ${JMH_EXTRA:-} -p store=memory,h2file,sqlite \
  -rf json -rff "$out/jmh-single.json" 'dev.vaultengine.benchmarks.EngineBenchmarks.getVault' \
  >> "$out/jmh.log"
if [ "${NO_POSTGRES:-0}" != 1 ]; then
  # shellcheck disable=SC2086
  java -Xmx1g -jar "$jar" "${single[@]}" "${heap[@]}" ${JMH_EXTRA:-} -p store=postgres \
    -rf json -rff "$out/jmh-postgres.json" 'dev.vaultengine.benchmarks.EngineBenchmarks' \
    >> "$out/jmh.log"
  # The time another host takes to see a rotation with resolveFromEventFeed (issue 17): 200 shots
  # after 20, one fork, on PostgreSQL (LISTEN/NOTIFY); the class's own counts in both modes.
  # Report prints its median and p99 (LATENCY lines). MariaDB (polling only) by hand: see
  # docs/BENCHMARKS.md "Events and audit".
  # shellcheck disable=SC2086
  java -Xmx1g -jar "$jar" ${JMH_EXTRA:-} -p store=postgres -rf json \
    -rff "$out/jmh-propagation.json" 'dev.vaultengine.benchmarks.FeedBenchmarks.rotationSeenByOtherHost' \
    >> "$out/jmh.log"
fi

# 3. Re-encryption (in-memory and H2 file) is timed one invocation at a time, so its own warm-up of
# 20 invocations stands in both modes (the full mode's 5 left the JIT cold and halved the figure);
# only forks follow the mode.
# shellcheck disable=SC2086
java -Xmx1g -jar "$jar" "${single[@]:0:2}" "${heap[@]}" ${JMH_EXTRA:-} \
  -rf json -rff "$out/jmh-reencrypt.json" 'dev.vaultengine.benchmarks.ReencryptBenchmark' \
  >> "$out/jmh.log"

# 4. Space per credential (heap; H2 file; SQLite files after 10,000 single creates, each
# durability).
java -Xmx4g -cp "$jar" dev.vaultengine.benchmarks.Footprint > "$out/footprint.json"

# 5. The report: every JSON file of this run.
shopt -s nullglob
jsons=("$out"/interleaved-*.json "$out"/jmh-*.json)
files=$(IFS=,; echo "${jsons[*]}")
java -Djava.awt.headless=true -cp "$jar" dev.vaultengine.benchmarks.Report "$files" \
  "$out/footprint.json" "$out/result.json" docs/benchmark-list-latency.png docs/BENCHMARKS.md
