#!/usr/bin/env bash
# Peak resident set while training vs settling alone (issue 6's memory target: within 1.1x), same
# model, batch, data and batch order: each run is a fresh JVM that either settles every batch of an
# epoch with the training clamps and takes no weight step, or trains that epoch. Runs both modes
# REPS times, alternating, under two sets of JVM flags (a fixed heap, and the JVM's defaults), and
# prints every run as a JSON line, then the medians and their ratio.
#   bench/memory-train.sh [CONFIG] [REPS] [EPOCHS]    (default: examples/mnist-pc.yaml 5 1)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
config="${1:-$root/examples/mnist-pc.yaml}"
reps="${2:-5}"
epochs="${3:-1}"
(cd "$root" && mvn -B -q -DskipTests package -pl bench -am) >&2
jar="$root/bench/target/fena-bench.jar"
out="$(mktemp)"
trap 'rm -f "$out"' EXIT
declare -A flags=([fixed-heap]="-Xms512m -Xmx512m" [default]="")
echo "# $(uptime)" >&2
for rep in $(seq 1 "$reps"); do
  for f in fixed-heap default; do
    for mode in settle train; do
      # shellcheck disable=SC2086  # the flags are words
      line=$(java --add-modules jdk.incubator.vector ${flags[$f]} -cp "$jar" org.fena.bench.TrainMemory \
        --config "$config" --mode "$mode" --epochs "$epochs" 2> >(grep -v -e 'incubator' -e 'JNIBLAS' -e 'InstanceBuilder' >&2))
      echo "{\"flags\": \"$f\", \"rep\": $rep, \"run\": $line}" | tee -a "$out"
    done
  done
done
python3 - "$out" <<'EOF'
import json, statistics, sys
runs = [json.loads(l) for l in open(sys.argv[1])]
for f in ("fixed-heap", "default"):
    med = {}
    for r in runs:
        r["run"]["growth_kb"] = r["run"]["peak_rss_kb"] - r["run"]["rss_after_load_kb"]
    for mode in ("settle", "train"):
        rs = [r["run"] for r in runs if r["flags"] == f and r["run"]["mode"] == mode]
        med[mode] = {k: statistics.median(r[k] for r in rs)
                     for k in ("peak_rss_kb", "rss_after_load_kb", "growth_kb", "allocated_bytes_per_batch", "wall_seconds")}
    ratio = med["train"]["peak_rss_kb"] / med["settle"]["peak_rss_kb"]
    print(json.dumps({"flags": f, "runs_per_mode": len(rs),
                      "settle_peak_rss_mb": round(med["settle"]["peak_rss_kb"] / 1024, 1),
                      "train_peak_rss_mb": round(med["train"]["peak_rss_kb"] / 1024, 1),
                      "train_over_settle": round(ratio, 3),
                      "settle_alloc_bytes_per_batch": med["settle"]["allocated_bytes_per_batch"],
                      "train_alloc_bytes_per_batch": med["train"]["allocated_bytes_per_batch"],
                      "settle_growth_during_epoch_mb": round(med["settle"]["growth_kb"] / 1024, 1),
                      "train_growth_during_epoch_mb": round(med["train"]["growth_kb"] / 1024, 1),
                      "rss_after_load_mb": round(med["settle"]["rss_after_load_kb"] / 1024, 1),
                      "target": "<= 1.1", "met": ratio <= 1.1}))
EOF
