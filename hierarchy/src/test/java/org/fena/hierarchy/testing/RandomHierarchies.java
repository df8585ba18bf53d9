package org.fena.hierarchy.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import org.fena.hierarchy.Activation;
import org.fena.hierarchy.Activations;
import org.fena.hierarchy.Hierarchy;
import org.fena.hierarchy.Precision;
import org.fena.hierarchy.Precisions;

/**
 * jqwik generators of random predictive-coding cases, shared by every module's property tests
 * (published in {@code fena-hierarchy}'s test-jar).
 *
 * <p>A case has 1 to 4 layers (a single layer always gets a prior), dims 1..12, any built-in
 * activation (or identity only, for {@link #linearCases()}), {@code tau} in [0.1, 10], precisions of
 * every kind (scalar and diagonal entries in [0.2, 5]; full ones {@code Q'Q/d + cI} from random
 * {@code Q} in [-1, 1] and {@code c} in [0.2, 2]), weights uniform in
 * {@code ±1.5/sqrt(d_{l+1})}, biases in [-0.5, 0.5], an optional prior (mean in [-1, 1]), a random
 * clamp mask with at least one free layer, batch 1..3, and clamp and initial values in [-2, 2].
 * Everything shrinks towards fewer, smaller layers, identity activations and zero values.
 *
 * <p>Use from a property:
 *
 * <pre>
 * &#64;Property
 * void myProperty(&#64;ForAll("cases") HierarchyCase c) { ... }
 *
 * &#64;Provide
 * Arbitrary&lt;HierarchyCase&gt; cases() { return RandomHierarchies.cases(); }
 * </pre>
 */
public final class RandomHierarchies {

    /** Largest number of layers {@code L + 1}. */
    public static final int MAX_LAYERS = 4;
    /** Largest layer dimension. */
    public static final int MAX_DIM = 12;
    /** Largest batch. */
    public static final int MAX_BATCH = 3;

    private RandomHierarchies() {
    }

    /** Random cases over every activation, precision kind, prior choice and clamp mask. */
    public static Arbitrary<HierarchyCase> cases() {
        return cases(false);
    }

    /**
     * Random LINEAR cases (identity activations) whose top layer always has a prior, so the energy
     * is a strictly convex quadratic over the free states with a unique minimum, available as
     * {@link HierarchyCase#closedFormMinimum()}: the target of "every integrator reaches it".
     */
    public static Arbitrary<HierarchyCase> linearCases() {
        return cases(true);
    }

    /** Random precisions of dimension {@code d}: scalar, diagonal or full SPD. */
    public static Arbitrary<Precision> precisions(int d) {
        Arbitrary<Precision> scalar = Arbitraries.doubles().between(0.2, 5.0).ofScale(3)
                .map(p -> Precisions.scalar(d, p));
        Arbitrary<Precision> diagonal = Arbitraries.doubles().between(0.2, 5.0).ofScale(3)
                .array(double[].class).ofSize(d).map(Precisions::diagonal);
        Arbitrary<Precision> full = Combinators.combine(
                        Arbitraries.doubles().between(-1.0, 1.0).ofScale(3).array(double[].class).ofSize(d * d),
                        Arbitraries.doubles().between(0.2, 2.0).ofScale(3))
                .as((q, c) -> Precisions.full(d, gram(q, d, c)));
        return Arbitraries.oneOf(scalar, diagonal, full);
    }

    /** {@code Q'Q/d + cI}, exactly symmetric (each entry is one sum of products in one order). */
    public static double[] gram(double[] q, int d, double c) {
        double[] p = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                double s = 0;
                for (int k = 0; k < d; k++) {
                    s += q[k * d + i] * q[k * d + j];
                }
                s /= d;
                p[i * d + j] = s;
                p[j * d + i] = s;
            }
            p[i * d + i] += c;
        }
        return p;
    }

    private record LayerSpec(Activation f, Precision p, double[] w, double[] b) {
    }

    private record PriorSpec(double[] mean, Precision p) {
    }

    private record Structure(Hierarchy h, boolean[] clamped, int batch) {
    }

    private static Arbitrary<HierarchyCase> cases(boolean linear) {
        return Arbitraries.integers().between(1, MAX_LAYERS)
                .flatMap(n -> Arbitraries.integers().between(1, MAX_DIM).list().ofSize(n)
                        .flatMap(dims -> structures(dims, linear)))
                .flatMap(RandomHierarchies::withValues);
    }

    private static Arbitrary<Structure> structures(List<Integer> dims, boolean linear) {
        int n = dims.size();
        Arbitrary<List<Double>> taus = Arbitraries.doubles().between(0.1, 10.0).ofScale(2).list().ofSize(n);
        List<Arbitrary<LayerSpec>> specs = new ArrayList<>();
        for (int l = 0; l + 1 < n; l++) {
            specs.add(layerSpec(dims.get(l), dims.get(l + 1), linear));
        }
        Arbitrary<List<LayerSpec>> layerSpecs = specs.isEmpty()
                ? Arbitraries.just(List.of())
                : Combinators.combine(specs).as(list -> list);
        int dTop = dims.get(n - 1);
        Arbitrary<PriorSpec> prior = Combinators.combine(
                        Arbitraries.doubles().between(-1.0, 1.0).ofScale(3).array(double[].class).ofSize(dTop),
                        precisions(dTop))
                .as(PriorSpec::new);
        Arbitrary<Optional<PriorSpec>> maybePrior = (n == 1 || linear)
                ? prior.map(Optional::of)
                : Arbitraries.of(false, true).flatMap(has -> has ? prior.map(Optional::of) : Arbitraries.just(Optional.empty()));
        Arbitrary<boolean[]> mask = Arbitraries.of(false, true).list().ofSize(n).map(list -> {
            boolean[] m = new boolean[n];
            boolean anyFree = false;
            for (int l = 0; l < n; l++) {
                m[l] = list.get(l);
                anyFree |= !m[l];
            }
            if (!anyFree) {
                m[n - 1] = false;
            }
            return m;
        });
        Arbitrary<Integer> batch = Arbitraries.integers().between(1, MAX_BATCH);
        return Combinators.combine(taus, layerSpecs, maybePrior, mask, batch).as((t, ls, pr, m, b) -> {
            Hierarchy.Builder hb = Hierarchy.builder();
            for (int l = 0; l < n; l++) {
                hb.layer(dims.get(l), t.get(l));
            }
            for (int l = 0; l + 1 < n; l++) {
                LayerSpec s = ls.get(l);
                hb.activation(l, s.f()).precision(l, s.p()).weights(l, s.w()).bias(l, s.b());
            }
            pr.ifPresent(p -> hb.prior(p.mean(), p.p()));
            return new Structure(hb.build(), m, b);
        });
    }

    private static Arbitrary<LayerSpec> layerSpec(int d, int dAbove, boolean linear) {
        Arbitrary<Activation> f = linear
                ? Arbitraries.just(Activations.IDENTITY)
                : Arbitraries.of(Activations.all());
        double s = Math.round(1500.0 / Math.sqrt(dAbove)) / 1000.0; // bounds must fit the scale
        Arbitrary<double[]> w = Arbitraries.doubles().between(-s, s).ofScale(3).array(double[].class).ofSize(d * dAbove);
        Arbitrary<double[]> b = Arbitraries.doubles().between(-0.5, 0.5).ofScale(3).array(double[].class).ofSize(d);
        return Combinators.combine(f, precisions(d), w, b).as(LayerSpec::new);
    }

    private static Arbitrary<HierarchyCase> withValues(Structure st) {
        Hierarchy h = st.h();
        int n = h.layers();
        int b = st.batch();
        List<Arbitrary<double[]>> clampArbs = new ArrayList<>();
        int free = 0;
        for (int l = 0; l < n; l++) {
            if (st.clamped()[l]) {
                clampArbs.add(values(b * h.dim(l)));
            } else {
                free += b * h.dim(l);
            }
        }
        Arbitrary<List<double[]>> clamps = clampArbs.isEmpty()
                ? Arbitraries.just(List.of())
                : Combinators.combine(clampArbs).as(list -> list);
        return Combinators.combine(clamps, values(free)).as((cl, fr) -> {
            double[][] cv = new double[n][];
            for (int l = 0, k = 0; l < n; l++) {
                if (st.clamped()[l]) {
                    cv[l] = cl.get(k++);
                }
            }
            // a copy per case, so a property that mutates parameters cannot leak into the next try
            return new HierarchyCase(h.copy(), st.clamped().clone(), b, cv, fr);
        });
    }

    private static Arbitrary<double[]> values(int size) {
        return Arbitraries.doubles().between(-2.0, 2.0).ofScale(3).array(double[].class).ofSize(size);
    }
}
