#!/usr/bin/env bash
# Runs the peer workloads side by side: NumPy (and PyTorch when installed), then FENA on the native
# BLAS and on the pure-Java path, RK4 and Dormand-Prince for the cost per evaluation, and the
# memory probe. Prints JSON lines; see README, "Performance".
#   bench/run.sh [SHARED_DIR]      (default: ../shared beside the checkout)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shared="${1:-$root/../shared}"
dump="$(mktemp -d)"
trap 'rm -rf "$dump"' EXIT
source "$root/bench/lib.sh"
build_bench

echo "# NumPy peer (and the dump FENA starts from)" >&2
python3 "$shared/bench/peer_numpy.py" --dump "$dump" | grep '"float64"'
if /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  echo "# PyTorch peer" >&2
  /usr/bin/python3 "$shared/bench/peer_torch.py" 2 | grep '"float64"' || true
fi
echo "# the BLAS ceiling: 1024^2 dgemm, native and pure Java" >&2
java_run -cp "$jar" org.fena.bench.Harness --dgemm --reps 5
java_run -Dfena.blas=java -cp "$jar" org.fena.bench.Harness --dgemm --reps 3
echo "# FENA, default BLAS (native when installed)" >&2
fena_run -cp "$jar" org.fena.bench.Harness --dump "$dump"
echo "# FENA, pure-Java BLAS (Vector API)" >&2
fena_run -Dfena.blas=java -cp "$jar" org.fena.bench.Harness --dump "$dump"
echo "# FENA, Euler, RK4 and Dormand-Prince side by side in one JVM (cost per right-hand-side evaluation)" >&2
fena_run -cp "$jar" org.fena.bench.Harness --methods euler,rk4,dopri5
echo "# batch sweep (mnist-mlp's hierarchy at batch 4 to 128): NumPy, FENA native, FENA pure Java" >&2
python3 "$root/bench/peer_batches.py" "$shared"
fena_run -cp "$jar" org.fena.bench.Harness --batches 4,16,32,64,128
fena_run -Dfena.blas=java -cp "$jar" org.fena.bench.Harness --batches 4,16,32,64,128
echo "# memory: one settle per fresh JVM" >&2
for w in small-batch1 mnist-mlp wide; do
  fena_run -XX:+UseSerialGC -Xms16m -cp "$jar" org.fena.bench.Harness --memory --only "$w"
done
