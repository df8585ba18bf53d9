"""Summarises a log of bench/rounds.sh as the Markdown tables of README "Performance".

  python3 bench/summarise.py LOG

For each workload and column: the median steps/s over the rounds; for FENA against a peer, the
ratio of the two medians and, in brackets, the median of the per-round ratios (each FENA run paired
with the peer run of its own round, so a slow spell of the machine falls on both sides). Then the
issue 3 targets: the speed targets judged on the ratio of medians, the 70% of dgemm on the median of
the per-round shares (both figures are printed). Only complete rounds count (dgemm, NumPy, FENA
native and FENA pure Java all there, and PyTorch where the log has it), and a FENA run whose energy
or weight step missed the peer's by more than 1e-9 is left out and named: its speed does not measure
the same computation. The "native" column is judged as native OpenBLAS only where every one of its
runs says so. A log with the "lanes8" column (FENA's batch products on eight-lane vectors,
-Dfena.gemmBits=512) gets that column and its own target lines beside the default ones."""
import collections, json, signal, statistics, sys

WORKLOADS = ["mnist-mlp", "mnist-mlp-learn", "wide", "tiny", "small-batch1"]
BATCHES = ["mnist-mlp-b%d" % b for b in (4, 16, 32, 64, 128)]
# FLOPs per mnist-mlp step as the peers count them (4 B sum d_l d_{l+1}): the dgemm bound
MNIST_FLOP = 4 * 256 * (784 * 256 + 256 * 256 + 256 * 10)


def load(path):
    runs = collections.defaultdict(dict)  # (round, column) -> workload -> JSON
    dgemm, about = {}, []
    try:
        lines = open(path).read().splitlines()
    except OSError as e:
        sys.exit("summarise.py: cannot read %s (%s)" % (path, e.strerror))
    for n, line in enumerate(lines, 1):
        if line.startswith("#"):
            if not line.startswith(("# round", "# end")):
                about.append(line[2:])
            continue
        parts = line.split(" ", 2)
        if len(parts) < 3 or not parts[0].startswith("R"):
            continue
        r, column, text = parts
        try:
            d = json.loads(text)
        except ValueError:
            sys.exit("summarise.py: %s line %d: expected 'R<round> <column> <JSON>', got %r" % (path, n, line[:80]))
        if column == "dgemm":
            dgemm[r] = d["gflops"]
        else:
            runs[(r, column)][d["workload"]] = d
    if not runs:
        sys.exit("summarise.py: %s holds no rounds (is it a log of bench/rounds.sh?)" % path)
    # a FENA run whose result missed the peer's is not the same computation: leave it out, say so
    for (r, column), ws in runs.items():
        for w in list(ws):
            d = ws[w]
            bad = [k for k in ("energy_rel_diff", "weight_step_rel_diff")
                   if isinstance(d.get(k), (int, float)) and d[k] > 1e-9]
            if bad:
                print("warning: round %s, %s, %s: %s %s > 1e-9, left out" % (r[1:], column, w, bad[0], d[bad[0]]))
                del ws[w]
    # only complete rounds: a round cut short would pair FENA's medians with other rounds' peers
    columns = {c for _, c in runs}
    need = {"numpy", "native", "java"} | ({"torch"} & columns)
    complete = {r for r, _ in runs if all(runs.get((r, c)) for c in need) and r in dgemm}
    for r in sorted({r for r, _ in runs} - complete, key=lambda r: int(r[1:])):
        missing = sorted(c for c in need if not runs.get((r, c))) + ([] if r in dgemm else ["dgemm"])
        print("warning: round %s is incomplete (no %s), left out" % (r[1:], ", ".join(missing)))
    if not complete:
        sys.exit("summarise.py: %s holds no complete round" % path)
    runs = {k: v for k, v in runs.items() if k[0] in complete}
    dgemm = {r: g for r, g in dgemm.items() if r in complete}
    return runs, dgemm, about


def main():
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # piped into head: stop quietly
    if len(sys.argv) != 2:
        sys.exit("usage: python3 bench/summarise.py LOG   (a log written by bench/rounds.sh)")
    runs, dgemm, about = load(sys.argv[1])
    rounds = sorted({r for r, _ in runs}, key=lambda r: int(r[1:]))

    def speeds(column, w):
        return [runs[(r, column)][w]["steps_per_s"] for r in rounds if w in runs.get((r, column), {})]

    def median(v):
        return statistics.median(v) if v else None

    def ratio(column, peer, w):
        # over the rounds that ran both, so that both medians come from the same rounds
        both = [r for r in rounds if w in runs.get((r, column), {}) and w in runs.get((r, peer), {})]
        if not both:
            return None, None, []
        a = median([runs[(r, column)][w]["steps_per_s"] for r in both])
        b = median([runs[(r, peer)][w]["steps_per_s"] for r in both])
        per = [runs[(r, column)][w]["steps_per_s"] / runs[(r, peer)][w]["steps_per_s"] for r in both]
        return a / b, median(per), per

    def num(v):
        if v is None:
            return "—"
        return "{:,.0f}".format(v) if v >= 1000 else "%.1f" % v

    def times(column, peer, w):
        m, p, _ = ratio(column, peer, w)
        return "—" if m is None else "%.2f× (%.2f×)" % (m, p)

    print("%d rounds; %s" % (len(rounds), "; ".join(about)))
    blas = sorted({d.get("blas") for (r, c), ws in runs.items() if c == "native" for d in ws.values()} - {None})
    native = blas == ["NATIVE"]
    if not native:
        print("warning: the 'native' column ran on %s, not (only) native OpenBLAS: the target that names it is not judged"
              % ", ".join(blas))
    lanes8 = any(c == "lanes8" for _, c in runs)
    bits8 = sorted({d.get("gemm_bits") for (r, c), ws in runs.items() if c == "lanes8" for d in ws.values()} - {None})
    if lanes8 and bits8 != [512]:
        print("warning: the 'lanes8' column's batch products ran on %s-bit vectors, not 512"
              % ", ".join(str(b) for b in bits8))

    def eight(w):
        return " %s | %s |" % (num(median(speeds("lanes8", w))), times("lanes8", "numpy", w)) if lanes8 else ""

    print()
    print("| workload | NumPy | PyTorch | FENA native | × NumPy | × PyTorch | FENA pure Java | × NumPy |"
          + (" FENA 8-lane | × NumPy |" if lanes8 else ""))
    print("|---|---|---|---|---|---|---|---|" + ("---|---|" if lanes8 else ""))
    for w in WORKLOADS:
        print("| %s | %s | %s | %s | %s | %s | %s | %s |%s" % (
            w, num(median(speeds("numpy", w))), num(median(speeds("torch", w))), num(median(speeds("native", w))),
            times("native", "numpy", w), times("native", "torch", w), num(median(speeds("java", w))),
            times("java", "numpy", w), eight(w)))
    if any(speeds("native", w) for w in BATCHES):
        print()
        print("| batch sweep | NumPy | FENA native | × NumPy | FENA pure Java | × NumPy |" + (" FENA 8-lane | × NumPy |" if lanes8 else ""))
        print("|---|---|---|---|---|---|" + ("---|---|" if lanes8 else ""))
        for w in BATCHES:
            print("| %s | %s | %s | %s | %s | %s |%s" % (w, num(median(speeds("numpy", w))), num(median(speeds("native", w))),
                                                   times("native", "numpy", w), num(median(speeds("java", w))),
                                                   times("java", "numpy", w), eight(w)))
    if any(c == "numpy_auto" for _, c in runs):
        print()
        print("With OpenBLAS choosing its own kernels for this CPU (the environment's OPENBLAS_CORETYPE unset, for"
              " NumPy and FENA alike):")
        print()
        print("| workload | NumPy | FENA native | × NumPy | FENA 8-lane against it |")
        print("|---|---|---|---|---|")
        for w in WORKLOADS:
            print("| %s | %s | %s | %s | %s |" % (w, num(median(speeds("numpy_auto", w))),
                                              num(median(speeds("native_auto", w))), times("native_auto", "numpy_auto", w),
                                              times("lanes8", "numpy_auto", w)))
    print()
    g = median([v for v in dgemm.values() if v])

    def mnist_gflops(column):
        return {r: runs[(r, column)]["mnist-mlp"]["gflops"] for r in rounds if "mnist-mlp" in runs.get((r, column), {})}

    def shares(column):
        # mnist-mlp's GFLOP/s as a share of its own round's dgemm ceiling
        return [v / dgemm[r] for r, v in mnist_gflops(column).items() if dgemm.get(r)]

    share = shares("native")
    if g:
        print("dgemm 1024^2: median %.1f GFLOP/s (%s); mnist-mlp native at %.0f%% of it (median of per-round shares, %.0f–%.0f%%);"
              " with every product at that rate and nothing else taking time a mnist-mlp step could not beat %.0f steps/s"
              % (g, ", ".join("%.1f" % dgemm[r] for r in rounds if r in dgemm), 100 * median(share),
                 100 * min(share), 100 * max(share), g * 1e9 / MNIST_FLOP) if share else "dgemm median %.1f GFLOP/s" % g)
    share8 = shares("lanes8")
    if share8:
        print("mnist-mlp 8-lane: median %.1f GFLOP/s, %.0f%% of the dgemm median (per-round shares %.0f–%.0f%%)"
              % (median(list(mnist_gflops("lanes8").values())), 100 * median(share8), 100 * min(share8), 100 * max(share8)))
    npg = list(mnist_gflops("numpy").values())
    if npg and g:
        print("NumPy on mnist-mlp: median %.1f GFLOP/s, %.0f%% of the dgemm median" % (median(npg), 100 * median(npg) / g))
    for key, what in (("energy_rel_diff", "the NumPy peer's final energy, FENA starting from its numbers"),
                      ("weight_step_rel_diff", "the weight step recomputed with plain loops (mnist-mlp-learn)")):
        rel = [d.get(key) for (r, c), ws in runs.items() if c in ("native", "java", "lanes8", "native_auto")
               for d in ws.values()]
        rel = [x for x in rel if isinstance(x, (int, float))]
        if rel:
            print("largest relative difference from %s: %.3g" % (what, max(rel)))
    print()
    print("| target (issue 3) | measured (ratio of medians; median of per-round ratios) | status |")
    print("|---|---|---|")

    def target(name, column, peer, w, need, extra=""):
        m, p, per = ratio(column, peer, w)
        if m is None:
            print("| %s | not run | — |" % name)
            return
        status = "met" if m >= need else "**missed**"
        print("| %s | %.2f× (%.2f×; rounds %.2f–%.2f×)%s | %s |" % (name, m, p, min(per), max(per), extra, status))

    if native:
        target("mnist-mlp ≥ 2× NumPy (native)", "native", "numpy", "mnist-mlp", 2.0,
               "; 2× is %.0f steps/s" % (2 * median(speeds("numpy", "mnist-mlp"))) if speeds("numpy", "mnist-mlp") else "")
    else:
        print("| mnist-mlp ≥ 2× NumPy (native) | not run on native OpenBLAS | — |")
    if share:
        nat = median(speeds("native", "mnist-mlp")) * MNIST_FLOP / 1e9
        print("| mnist-mlp ≥ 70%% of dgemm | %.0f%% by the median of per-round shares (rounds %.0f–%.0f%%; %.0f%% as the ratio of the medians) | %s |"
              % (100 * median(share), 100 * min(share), 100 * max(share), 100 * nat / g,
                 "met" if median(share) >= 0.7 else "**missed**"))
    if lanes8:
        target("mnist-mlp ≥ 2× NumPy (8-lane batch products, native BLAS present)", "lanes8", "numpy", "mnist-mlp", 2.0)
    if share8:
        print("| mnist-mlp ≥ 70%% of dgemm (8-lane) | %.0f%% by the median of per-round shares (rounds %.0f–%.0f%%) | %s |"
              % (100 * median(share8), 100 * min(share8), 100 * max(share8), "met" if median(share8) >= 0.7 else "**missed**"))
    target("mnist-mlp ≥ 1× NumPy (pure Java)", "java", "numpy", "mnist-mlp", 1.0)
    target("wide ≥ 1.5× NumPy", "native", "numpy", "wide", 1.5)
    if lanes8:
        target("wide ≥ 1.5× NumPy (8-lane)", "lanes8", "numpy", "wide", 1.5)
    tiny = median(speeds("native", "tiny"))
    # at batch 1 both FENA columns run the same code (one sample's products never reach the BLAS):
    # the status is the native column's, the pure-Java column is shown beside it
    def java_too(w):
        m, p, _ = ratio("java", "numpy", w)
        return "" if m is None else "; pure Java %.2f× (%.2f×)" % (m, p)

    target("tiny ≥ 30× NumPy", "native", "numpy", "tiny", 30.0, java_too("tiny"))
    if tiny:
        print("| tiny ≥ 1,000,000 steps/s | %s | %s |" % (num(tiny), "met" if tiny >= 1e6 else "**missed**"))
    target("small-batch1 ≥ 30× NumPy", "native", "numpy", "small-batch1", 30.0, java_too("small-batch1"))


if __name__ == "__main__":
    main()
