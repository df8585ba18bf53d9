#!/usr/bin/env bash
# Throughput of the job engines on the shipped examples: tasks per second, per-task overhead and the
# scaling from 1 to 2 cores, for the local engine (threads) and Spark local[1] / local[2]. Prints one
# JSON line per run; the 2-worker standalone cluster's figure comes from the integration test
# (mvn -B -pl distributed verify: StandaloneClusterIT prints its tasks/s). See docs/cluster.md.
#   bench/jobs.sh [REPEATS]      (default 1; the best of REPEATS runs is kept)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
reps="${1:-1}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
(cd "$root" && mvn -B -q -DskipTests package -pl distributed -am) >&2
(cd "$root" && mvn -B -q -pl distributed dependency:build-classpath -Dmdep.outputFile="$out/cp.txt") >&2
jar="$root/distributed/target/fena-distributed.jar"
opens="-XX:+IgnoreUnrecognizedVMOptions --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED --add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED -Djdk.reflect.useDirectMethodHandle=false"
run() { # name cores args...
  local name="$1" cores="$2"; shift 2
  local best=""
  for r in $(seq "$reps"); do
    rm -rf "$out/run"
    # shellcheck disable=SC2086
    java --add-modules jdk.incubator.vector $opens -Dspark.ui.enabled=false -Dspark.driver.host=127.0.0.1 \
      -cp "$jar:$(cat "$out/cp.txt")" org.fena.distributed.Main "$@" --out "$out/run" >/dev/null 2>"$out/err" \
      || { cat "$out/err" >&2; exit 1; }
    line=$(python3 - "$out/run/manifest.json" "$name" "$cores" <<'PY'
import json, sys
m = json.load(open(sys.argv[1])); cores = int(sys.argv[3])
n, wall, work = m["tasks"], m["wall_seconds"], m["task_seconds_total"]
print(json.dumps({"run": sys.argv[2], "engine": m["engine"], "master": m["master"], "partitions": m["partitions"],
                  "tasks": n, "wall_s": round(wall, 3), "tasks_per_s": round(n / wall, 1),
                  "task_compute_ms": round(1e3 * work / n, 3),
                  "overhead_ms_per_task": round(1e3 * (wall * cores - work) / n, 3)}))
PY
)
    if [[ -z "$best" ]] || (( $(python3 -c "import json,sys; print(int(json.loads(sys.argv[1])['tasks_per_s'] > json.loads(sys.argv[2])['tasks_per_s']))" "$line" "$best") )); then
      best="$line"
    fi
  done
  echo "$best"
}
for ex in sweep-2d:sweep ensemble-escape:ensemble; do
  cfg="$root/examples/${ex%%:*}.yaml"; cmd="${ex##*:}"
  run "$cmd local 1 thread" 1 "$cmd" --config "$cfg" --engine local --threads 1
  run "$cmd local 2 threads" 2 "$cmd" --config "$cfg" --engine local --threads 2
  run "$cmd spark local[1]" 1 "$cmd" --config "$cfg" --engine spark --master 'local[1]'
  run "$cmd spark local[2]" 2 "$cmd" --config "$cfg" --engine spark --master 'local[2]'
done
