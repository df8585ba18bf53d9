#!/usr/bin/env bash
# The side-by-side rounds behind README "Performance": each round runs, back to back, the BLAS
# ceiling (1024^2 dgemm), the NumPy peer (whose dump FENA then starts from), the PyTorch peer when
# installed, FENA on the native BLAS, FENA on the pure-Java path and FENA with its batch products on
# eight-lane vectors (-Dfena.gemmBits=512, column "lanes8"); with --batches also the batch sweep
# (NumPy and the three FENA columns). Rounds rather than one run because this machine's
# speed moves by tens of percent from minute to minute: the summary pairs every FENA run with the
# peer run beside it (median of the per-round ratios) as well as comparing medians.
#   bench/rounds.sh [-n ROUNDS] [-o LOG] [--batches] [SHARED_DIR]     (defaults: 5, bench-rounds.log, ../shared)
#   python3 bench/summarise.py LOG                                    (the tables, in Markdown)
# Each line of LOG is "R<round> <column> <JSON line>"; lines starting with '#' describe the machine.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds=5
log=bench-rounds.log
batches=""
shared="$root/../shared"
while (( $# )); do
  case "$1" in
    -n|-o) if (( $# < 2 )); then echo "rounds.sh: $1 needs a value" >&2; exit 2; fi
       if [[ "$1" == -n ]]; then rounds="$2"; else log="$2"; fi
       shift 2 ;;
    --batches) batches=yes; shift ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    -*) echo "rounds.sh: unknown option '$1' (expected -n ROUNDS, -o LOG, --batches)" >&2; exit 2 ;;
    *) shared="$1"; shift ;;
  esac
done
if ! [[ "$rounds" =~ ^[1-9][0-9]*$ ]]; then
  echo "rounds.sh: -n expects a whole number of rounds >= 1, got '$rounds'" >&2; exit 2
fi
if [[ ! -f "$shared/bench/peer_numpy.py" ]]; then
  echo "rounds.sh: no peer scripts at $shared/bench/peer_numpy.py (pass the shared directory)" >&2; exit 2
fi
dump="$(mktemp -d)"
trap 'rm -rf "$dump"' EXIT
source "$root/bench/lib.sh"
build_bench
torch=""
/usr/bin/python3 -c 'import torch' 2>/dev/null && torch=yes
tag() { sed "s/^/R$1 $2 /"; }
{
  echo "# date $(date -u +%FT%TZ)"
  echo "# commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$root" diff --quiet 2>/dev/null || echo ' (with uncommitted changes)')"
  echo "# cpu $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores"
  echo "# java $(java -version 2>&1 | sed -n 1p)"
  echo "# numpy $(python3 -c 'import numpy; print(numpy.__version__)' 2>/dev/null || echo none)"
  echo "# torch $([[ -n "$torch" ]] && /usr/bin/python3 -c 'import torch; print(torch.__version__)' 2>/dev/null || echo none)"
  echo "# OPENBLAS_CORETYPE ${OPENBLAS_CORETYPE-unset}"
} > "$log.tmp"
mv "$log.tmp" "$log"
r=0
trap 'echo "rounds.sh: stopped in round $r (see above); $log keeps the rounds before it" >&2' ERR
for r in $(seq 1 "$rounds"); do
  echo "rounds.sh: round $r of $rounds ($(date +%T))" >&2
  echo "# round $r $(date +%T)" >> "$log"
  java_run -cp "$jar" org.fena.bench.Harness --dgemm --reps 5 | tag "$r" dgemm >> "$log"
  python3 "$shared/bench/peer_numpy.py" --dump "$dump" | grep '"float64"' | tag "$r" numpy >> "$log"
  if [[ -n "$torch" ]]; then
    /usr/bin/python3 "$shared/bench/peer_torch.py" 2 | grep '"float64"' | tag "$r" torch >> "$log" || true
  fi
  fena_run -cp "$jar" org.fena.bench.Harness --dump "$dump" | tag "$r" native >> "$log"
  fena_run -Dfena.blas=java -cp "$jar" org.fena.bench.Harness --dump "$dump" | tag "$r" java >> "$log"
  # FENA's batch products on eight-lane vectors (opt-in; on a machine without 512-bit vectors the
  # same as the native column)
  fena_run -Dfena.gemmBits=512 -cp "$jar" org.fena.bench.Harness --dump "$dump" | tag "$r" lanes8 >> "$log"
  # where the environment forces OpenBLAS's kernels (OPENBLAS_CORETYPE), NumPy and FENA again with
  # OpenBLAS choosing its own for this CPU: the ratio depends on it (columns numpy_auto, native_auto)
  if [[ -n "${OPENBLAS_CORETYPE+set}" ]]; then
    (unset OPENBLAS_CORETYPE; python3 "$shared/bench/peer_numpy.py" | grep '"float64"') | tag "$r" numpy_auto >> "$log"
    (unset OPENBLAS_CORETYPE; fena_run -cp "$jar" org.fena.bench.Harness --dump "$dump") | tag "$r" native_auto >> "$log"
  fi
  if [[ -n "$batches" ]]; then
    python3 "$root/bench/peer_batches.py" "$shared" | tag "$r" numpy >> "$log"
    fena_run -cp "$jar" org.fena.bench.Harness --batches 4,16,32,64,128 | tag "$r" native >> "$log"
    fena_run -Dfena.blas=java -cp "$jar" org.fena.bench.Harness --batches 4,16,32,64,128 | tag "$r" java >> "$log"
    fena_run -Dfena.gemmBits=512 -cp "$jar" org.fena.bench.Harness --batches 4,16,32,64,128 | tag "$r" lanes8 >> "$log"
  fi
done
echo "# end $(date +%T)" >> "$log"
echo "rounds.sh: done; python3 bench/summarise.py $log" >&2
