"""NumPy side of the batch sweep (FENA's side: Harness --batches): mnist-mlp's hierarchy
(784-256-256-10, tanh, Euler at step 0.05, float64) at each batch size B, 12,800 / B steps
(at least 50), settled with the NumPy peer's own settle function from shared/bench/peer_numpy.py.
Prints one JSON line per batch with the peer scripts' fields.

  python3 bench/peer_batches.py [SHARED_DIR] [B1,B2,...]   (default: ../shared, 4,16,32,64,128)"""
import json, os, sys, time
import numpy as np

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
shared = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "..", "shared")
batches = [int(b) for b in (sys.argv[2] if len(sys.argv) > 2 else "4,16,32,64,128").split(",")]
sys.path.insert(0, os.path.join(shared, "bench"))
from peer_numpy import settle  # the peer's settle, not a copy of it

dims = [784, 256, 256, 10]
for B in batches:
    T = max(50, 12800 // B)
    rng = np.random.default_rng(0)
    Ws = [rng.uniform(-1, 1, (dims[l], dims[l + 1])) * np.sqrt(6.0 / (dims[l] + dims[l + 1])) for l in range(3)]
    x0 = rng.random((B, dims[0]))
    fresh = lambda: [x0.copy()] + [np.zeros((B, d)) for d in dims[1:]]
    settle(Ws, fresh(), min(T, 5), 0.05)
    best = float("inf")
    for _ in range(3):
        xs = fresh(); t = time.perf_counter(); E = settle(Ws, xs, T, 0.05); best = min(best, time.perf_counter() - t)
    flops = 4 * B * sum(dims[l] * dims[l + 1] for l in range(3)) * T
    print(json.dumps({"peer": "numpy-%s" % np.__version__, "workload": "mnist-mlp-b%d" % B, "dims": dims,
                      "batch": B, "steps": T, "dtype": "float64", "seconds": round(best, 5),
                      "steps_per_s": round(T / best, 1), "gflops": round(flops / best / 1e9, 2), "energy": E}))
    sys.stdout.flush()
