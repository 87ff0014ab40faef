#!/usr/bin/env bash
# Runs the JMH benchmarks with their baselines in the same run, then prints one line per ratio as
#   RATIO <name> <measured> <goal>
# and writes benchmarks/results/result.json, the chart docs/benchmark-list-latency.png and the
# results table in docs/BENCHMARKS.md.
#   benchmarks/run.sh          quick mode: 1 fork, short iterations; within 10 minutes on 2 cores
#   benchmarks/run.sh full     2 forks, longer iterations
# Needs the PostgreSQL server of DESIGN.md for the postgres parameter; without it, pass
#   JMH_EXTRA="-p store=memory,h2file"
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-quick}
if [ "$mode" = "full" ]; then
  jmh_opts=(-f 2 -wi 5 -w 2s -i 5 -r 2s)
else
  jmh_opts=(-f 1) # iterations from the classes' @Warmup and @Measurement
fi
mvn -q -B -DskipTests install
# Every fork gets the whole 8 GB heap up front and touched: benchmarks that add rows (create) made a
# growing heap resize and fault in pages in the middle of measurements (in-memory create gave 3.4
# to 9.7 us from run to run); this costs about 4 s per fork.
jar=benchmarks/target/benchmarks.jar
out=benchmarks/results
mkdir -p "$out"
# shellcheck disable=SC2086
java -Xmx8g -jar "$jar" "${jmh_opts[@]}" ${JMH_EXTRA:-} -jvmArgs "-Xms8g -Xmx8g -XX:+AlwaysPreTouch" \
  -rf json -rff "$out/jmh.json" 'dev.vaultengine.benchmarks.(EngineBenchmarks|Floors|ListBenchmark|Pkcs12Peer|ResolveFromStore)' \
  > "$out/jmh.log"
# Re-encryption is timed one invocation at a time, so its own warm-up of 20 invocations stands in
# both modes (the full mode's 5 left the JIT cold and halved the figure); only forks follow the mode.
# shellcheck disable=SC2086
java -Xmx8g -jar "$jar" "${jmh_opts[@]:0:2}" ${JMH_EXTRA:-} -jvmArgs "-Xms8g -Xmx8g -XX:+AlwaysPreTouch" \
  -rf json -rff "$out/jmh-reencrypt.json" 'dev.vaultengine.benchmarks.ReencryptBenchmark' \
  >> "$out/jmh.log"
java -Xmx4g -cp "$jar" dev.vaultengine.benchmarks.Footprint > "$out/footprint.json"
java -Djava.awt.headless=true -cp "$jar" dev.vaultengine.benchmarks.Report "$out/jmh.json,$out/jmh-reencrypt.json" \
  "$out/footprint.json" "$out/result.json" docs/benchmark-list-latency.png docs/BENCHMARKS.md
