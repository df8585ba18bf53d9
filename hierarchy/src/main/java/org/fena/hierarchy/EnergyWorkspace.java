package org.fena.hierarchy;

import dev.ludovic.netlib.blas.BLAS;
import java.util.Arrays;

/**
 * The mutable workspace that evaluates the energy {@code E = sum_l 1/2 eps_l' Pi_l eps_l} of a
 * hierarchy, summed over a batch of {@code B} samples, its gradient over the free states and the
 * settling flow {@code dx_l/dt = -(1/tau_l) dE/dx_l}, with some layers clamped.
 *
 * <p><b>Layout.</b> A layer's batch of states is row-major {@code B x d_l}. The free layers'
 * blocks are concatenated bottom first into one flat vector (what an integrator steps): block
 * {@code l} starts at {@link #freeOffset(int)}. Clamped layers live in buffers of their own set
 * with {@link #setClamped}. Only {@code free[0 .. freeDimension())} is read or written, so a caller
 * may keep more (e.g. parameters) after it.
 *
 * <p><b>Cost.</b> Every buffer is sized in the constructor; {@link #energy}, {@link #gradient} and
 * {@link #flow} allocate nothing. Per layer {@code l < L} an evaluation does one BLAS product for
 * the prediction {@code A_l = X_{l+1} W_l'}, one fused elementwise pass (activation, derivative,
 * error, scalar/diagonal precision, energy, {@code Pi eps ⊙ f'}, and the top-down term of the
 * output, scaled by {@code 1/tau_l} for the flow), and one BLAS product that accumulates the
 * bottom-up term {@code (Pi_{l} eps_{l} ⊙ f'_{l}) W_{l}} straight into layer {@code l+1}'s block of
 * the output. A full precision adds one product and one pass. States are read in place from
 * {@code free} or the clamp buffers (BLAS takes offsets); nothing is copied.
 *
 * <p>The buffers of the last evaluation ({@link #errors}, {@link #weightedErrors},
 * {@link #activationDerivative}, {@link #weightedErrorsTimesDerivative}) are what the Hebbian and
 * precision rules consume; {@link #stepFlow}, the settlers' evaluation, keeps only the last of them.
 * A workspace is not thread-safe: one per thread.
 */
public final class EnergyWorkspace {

    private final Hierarchy h;
    private final int batch;
    private final int top;
    private final int[] dims;
    private final double[] invTau;
    private final boolean[] clamped;
    private final int[] freeOffset;
    private final int freeDimension;
    private final double[][] clampValues;

    /** {@code eps_l}; for {@code l < L} it first receives {@code W_l x_{l+1}} from the prediction product. */
    private final double[][] eps;
    /** {@code Pi_l eps_l}; the generic path first uses it for {@code mu_l}. */
    private final double[][] piEps;
    /** {@code f'_l(a_l)}, {@code l < L}. */
    private final double[][] fp;
    /** {@code Pi_l eps_l ⊙ f'_l(a_l)}, the error the layer above receives, {@code l < L}. */
    private final double[][] z;
    /** The activation's fused kernel when it has one, else null (generic path). */
    private final FusedActivation[] fused;
    /** Sample-parallel driver when the batch is large enough to split, else null. */
    private final SampleParallel parallel;
    /**
     * Whether the last evaluation was a {@link #stepFlow}, which may leave {@code eps}, {@code Pi eps}
     * and {@code f'} unwritten: their accessors refuse until a full evaluation.
     */
    private boolean lean;
    /**
     * Whether the weight copies that stepFlow reads ({@link #wt}, {@link #wb}, {@link #wp}, {@link #packW}, {@link #packWt})
     * were taken since the last other evaluation or {@link #retakeWeights} (or by {@link #holdWeights}).
     */
    private boolean copiesTaken;
    /**
     * {@code W_l'} ({@code d_{l+1} x d_l}) for one sample's predictions in a {@link #stepFlow}, where
     * that is faster ({@link #transposedPrediction}) and layer {@code l+1} is free; else null. Taken from the weights at the first
     * stepFlow after any other evaluation (or {@link #retakeWeights}) and kept while stepFlows follow
     * one another (a settle's weights are fixed): copying at every evaluation would cost as much as
     * it saves.
     */
    private final double[][] wt;
    /**
     * {@code W_l} for one sample's products in a {@link #stepFlow} that run in {@link VectorProducts},
     * where layer {@code l+1} is free (the bottom-up {@code W_l' z_l}, and the prediction where there
     * is no {@link #wt}); else null.
     * Taken with {@link #wt} and kept as it is, so that it starts on a 32-byte boundary
     * ({@link Aligned}), which the hierarchy's own array need not: small-batch1 1.07–1.16 times the
     * steps/s. Like {@link #wt}, weights changed in place between two stepFlows are not seen by it.
     */
    private final double[][] wb;
    /**
     * {@code W_l} in {@link VectorProducts#packTransposed}'s layout, one copy for both of one sample's
     * products with layer {@code l} in a {@link #stepFlow} where {@link #wt} and {@link #wb} would
     * otherwise both be taken and {@code d_l} is a multiple of four; those two are then null. Taken and
     * kept like them.
     */
    private final double[][] wp;
    /** Where {@link #wt}, {@link #wb} and {@link #wp} start in their arrays (32-byte aligned when known). */
    private final int[] wtOff;
    private final int[] wbOff;
    private final int[] wpOff;
    /** {@link VectorProducts#predictPacked}'s and {@link VectorProducts#backPacked}'s ragged ends. */
    private final double[] packScratch = new double[VectorProducts.PACK_ROWS];
    /** The reference slot {@link Aligned#offset} reads an address through. */
    private final Object[] addressSlot = new Object[1];
    /**
     * The packing buffers of {@link VectorGemm} for evaluations on the caller's thread (each part of
     * {@link SampleParallel} has its own); null when the Vector API is absent, and for one sample, whose
     * products never go there ({@link #ownGemm} wants two rows or more): a settle makes its workspace
     * anew, and these buffers are 7 KB to clear.
     */
    private final VectorGemm.Buffers gemmBuffers;
    /**
     * {@code W_l} and {@code W_l'} packed for {@link VectorGemm} (a batch's back-projection and
     * prediction), where layer {@code l}'s batch products take it and layer {@code l+1} is free (under
     * a clamped layer nothing is sent up and the prediction is kept, {@link #fixedPrediction}); else
     * null. Taken, like {@link #wt},
     * at the first stepFlow after any other evaluation: packing at every product cost each thread a
     * copy of every weight per step.
     */
    private final double[][] packW;
    private final double[][] packWt;
    /**
     * {@code W_l x_{l+1}} ({@code B x d_l}) for each layer {@code l < L} predicted by a clamped layer,
     * else null. Within a run of stepFlows neither the weights nor the clamped values change, so that
     * product (from the hierarchy's own {@code W_l}: no copy is kept under a clamped layer) is
     * computed at the run's first stepFlow, kept here, and copied at the others; while the weights
     * are held ({@link #holdWeights}) full evaluations and {@link #topDownPrediction} use and fill it
     * too. Where the data sit at the top of the hierarchy (the generative arrangement of
     * {@code examples/mnist-pc.yaml}, image above, labels below) it is the largest product of a step.
     */
    private final double[][] fixedPrediction;
    /**
     * Whether {@link #fixedPrediction}{@code [l]} holds the product for the current copies and clamps:
     * per layer, since {@link #topDownPrediction} fills one layer's at a time. Written by the calling
     * thread only, between evaluations; read by every part of one.
     */
    private final boolean[] fixedValid;
    /**
     * Set by {@link #holdWeights} until {@link #retakeWeights}: full evaluations and
     * {@link #topDownPrediction} then read the kept predictions of clamped layers too.
     */
    private boolean held;
    /**
     * stepFlows since the aligned copies' places were last checked ({@link #realign}): a collection
     * may move an array after its offset was taken, and three moves in four leave a 256-bit load of
     * the copy crossing a cache line every other time.
     */
    private int sinceAligned;

    /** Sizes every buffer once for {@code batch} samples; {@code clamped[l]} marks clamped layers. */
    public EnergyWorkspace(Hierarchy hierarchy, int batch, boolean[] clamped) {
        this(hierarchy, batch, clamped, 0);
    }

    /**
     * As {@link #EnergyWorkspace(Hierarchy, int, boolean[])}, with the evaluation split over
     * {@code parts} sample slices (of two samples at least) whatever the size and backend ({@code 0}:
     * decide by size and backend).
     */
    EnergyWorkspace(Hierarchy hierarchy, int batch, boolean[] clamped, int parts) {
        if (hierarchy == null) {
            throw new IllegalArgumentException("hierarchy missing");
        }
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        }
        int n = hierarchy.layers();
        if (clamped == null || clamped.length != n) {
            throw new IllegalArgumentException("clamp mask must have one entry per layer (" + n + "), got "
                    + (clamped == null ? "none" : clamped.length));
        }
        this.h = hierarchy;
        this.batch = batch;
        this.top = n - 1;
        this.dims = hierarchy.dims();
        this.clamped = clamped.clone();
        this.invTau = new double[n];
        this.freeOffset = new int[n];
        this.clampValues = new double[n][];
        int off = 0;
        for (int l = 0; l < n; l++) {
            invTau[l] = 1.0 / hierarchy.tau(l);
            if (this.clamped[l]) {
                freeOffset[l] = -1;
                clampValues[l] = new double[batch * dims[l]];
            } else {
                freeOffset[l] = off;
                off += batch * dims[l];
            }
        }
        if (off == 0) {
            throw new IllegalArgumentException("every layer is clamped: nothing is left to settle");
        }
        this.freeDimension = off;

        this.eps = new double[n][];
        this.piEps = new double[n][];
        this.fp = new double[n][];
        this.z = new double[n][];
        this.fused = new FusedActivation[n];
        for (int l = 0; l < n; l++) {
            boolean predicted = l < top || hierarchy.hasPrior();
            if (predicted) {
                eps[l] = new double[batch * dims[l]];
                piEps[l] = new double[batch * dims[l]];
            }
            if (l < top) {
                fp[l] = new double[batch * dims[l]];
                z[l] = new double[batch * dims[l]];
                Activation f = hierarchy.activation(l);
                if (f instanceof FusedActivation) {
                    fused[l] = (FusedActivation) f;
                }
            }
        }
        this.wt = new double[n][];
        this.wb = new double[n][];
        this.wp = new double[n][];
        this.wtOff = new int[n];
        this.wbOff = new int[n];
        this.wpOff = new int[n];
        this.fixedPrediction = new double[n][];
        this.fixedValid = new boolean[n];
        for (int l = 0; l < top; l++) {
            if (this.clamped[l + 1]) {
                // the prediction made by a clamped layer is kept (computed once per settle) and nothing
                // is sent up into it: no weight copies under it, which would each serve one product per
                // settle, the very one they cost; a stepFlow and a full evaluation then take the same
                // route for that prediction (holdWeights relies on this)
                fixedPrediction[l] = new double[batch * dims[l]];
                continue;
            }
            long macs = (long) dims[l] * dims[l + 1];
            boolean transposed = batch == 1 && transposedPrediction(dims[l], dims[l + 1]);
            boolean aligned = batch == 1 && FusedActivation.VECTOR && macs >= ALIGNED_COPY && macs <= Blas.SMALL_PRODUCT;
            if (transposed && aligned && dims[l] % 4 == 0) {
                wp[l] = new double[VectorProducts.packedLength(dims[l], dims[l + 1]) + Aligned.PAD];
                continue;
            }
            if (transposed) {
                wt[l] = new double[(int) macs + Aligned.PAD];
            }
            if (aligned) {
                wb[l] = new double[(int) macs + Aligned.PAD];
            }
        }
        this.gemmBuffers = batch > 1 ? newGemmBuffers() : null;
        this.parallel = parts > 0 ? SampleParallel.forced(this, batch, parts)
                : SampleParallel.forWorkspace(this, batch, multiplyAddsPerEvaluation());
        // the products run per part: the largest part's rows decide where they go
        int rows = parallel == null ? batch : parallel.maxRows();
        this.packW = new double[n][];
        this.packWt = new double[n][];
        for (int l = 0; l < top; l++) {
            // none under a clamped layer (fixedPrediction, above)
            if (batch > 1 && fixedPrediction[l] == null && ownGemm(rows, (long) rows * dims[l] * dims[l + 1], gemmBuffers)) {
                packW[l] = new double[VectorGemm.packedSize(dims[l], dims[l + 1])];
                packWt[l] = new double[VectorGemm.packedSize(dims[l + 1], dims[l])];
            }
        }
    }

    /** Multiply-adds of one evaluation's dense products: {@code 2 B sum_l d_l d_{l+1}}. */
    long multiplyAddsPerEvaluation() {
        long s = 0;
        for (int l = 0; l < top; l++) {
            s += (long) dims[l] * dims[l + 1];
        }
        return 2L * batch * s;
    }

    /** Number of threads an evaluation is split over (1 when it runs on the caller's thread alone). */
    public int threads() {
        return parallel == null ? 1 : parallel.parts();
    }

    /** The hierarchy whose (live) parameters every evaluation reads. */
    public Hierarchy hierarchy() {
        return h;
    }

    /** The number {@code B} of samples evaluated together. */
    public int batch() {
        return batch;
    }

    /** Whether layer {@code l} is clamped (held fixed, absent from the free vector). */
    public boolean isClamped(int l) {
        return clamped[checkLayer(l)];
    }

    /** Length of the free vector: {@code B sum_{l free} d_l}. */
    public int freeDimension() {
        return freeDimension;
    }

    /** Where layer {@code l}'s {@code B x d_l} block starts in the free vector, or -1 if it is clamped. */
    public int freeOffset(int l) {
        return freeOffset[checkLayer(l)];
    }

    /** Number of values of layer {@code l} in a batch, {@code B d_l}. */
    public int layerSize(int l) {
        return batch * dims[checkLayer(l)];
    }

    /** Copies the {@code B x d_l} row-major values of clamped layer {@code l} (all finite). */
    public void setClamped(int l, double[] values) {
        checkLayer(l);
        if (!clamped[l]) {
            throw new IllegalArgumentException("layer " + l + " is free: its state lives in the free vector, at offset "
                    + freeOffset[l]);
        }
        int n = batch * dims[l];
        if (values == null || values.length != n) {
            throw new IllegalArgumentException("clamp of layer " + l + ": expected B x d_" + l + " = " + batch + " x "
                    + dims[l] + " = " + n + " row-major values, got " + (values == null ? "none" : values.length));
        }
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException("clamp of layer " + l + ": value " + i + " (sample " + i / dims[l]
                        + ", unit " + i % dims[l] + ") is not finite: " + values[i]);
            }
        }
        System.arraycopy(values, 0, clampValues[l], 0, n);
        Arrays.fill(fixedValid, false);
    }

    /**
     * The live buffer of clamped layer {@code l}'s values. Writes take effect at the next evaluation,
     * except that stepFlows in a row, and every evaluation while the weights are held
     * ({@link #holdWeights}), keep the prediction a clamped layer makes ({@link #stepFlow}): after
     * writing here then, call {@link #retakeWeights} (as a settler does before every settle);
     * {@link #setClamped} needs no such call.
     */
    public double[] clampedValues(int l) {
        checkLayer(l);
        if (!clamped[l]) {
            throw new IllegalArgumentException("layer " + l + " is free: it has no clamp buffer");
        }
        return clampValues[l];
    }

    /**
     * The energy {@code E} summed over the batch. {@code perLayer} (nullable, length {@code L+1})
     * receives each layer's term {@code 1/2 sum_b eps_l' Pi_l eps_l}; entry L is the prior's (0 without).
     */
    public double energy(double[] free, double[] perLayer) {
        return evaluate(free, null, perLayer, false, false);
    }

    /**
     * Writes {@code dE/dx} over the free layout into {@code grad} and returns {@code E}:
     * {@code dE/dx_l = Pi_l eps_l - J_{l-1}' Pi_{l-1} eps_{l-1}} with
     * {@code J_{l-1} = diag(f'_{l-1}(a_{l-1})) W_{l-1}}, each term present where it exists.
     */
    public double gradient(double[] free, double[] grad, double[] perLayer) {
        checkOut(grad, "gradient");
        return evaluate(free, grad, perLayer, false, false);
    }

    /**
     * Writes the settling flow {@code dx_l/dt = -(1/tau_l) dE/dx_l} over the free layout into
     * {@code out} and returns {@code E}. The hot loop: allocation-free, one pass per layer.
     * {@code out} must not alias {@code free}.
     */
    public double flow(double[] free, double[] out, double[] perLayer) {
        checkOut(out, "flow");
        return evaluate(free, out, perLayer, true, false);
    }

    /**
     * {@link #flow} for stepping a settle, whose weights do not change from one step to the next:
     * the same {@code dx/dt}, {@code E} and {@link #weightedErrorsTimesDerivative}, bit for bit for a
     * batch, to rounding for one sample. Two savings:
     * <ul>
     * <li>where the fused pass allows it (tanh on whole vectors) {@code eps}, {@code Pi eps} and
     * {@code f'} are not stored, which nothing in a step reads: two fewer streams to memory per
     * element (measured on {@code mnist-mlp}: a two-thread evaluation alone 7-9% faster, a whole
     * settle about 3%). Until the next {@link #energy}, {@link #gradient} or {@link #flow},
     * {@link #errors}, {@link #weightedErrors} and {@link #activationDerivative} throw rather than
     * return stale values;</li>
     * <li>one sample's predictions {@code W x} run as {@code x' W'} on a copy of {@code W'} taken at
     * the first stepFlow after any other evaluation, with the output in register accumulators (the
     * same sums in another order): 64 x 32 in about 150 against 250 ns; below a free layer only
     * (under a clamped one the prediction is kept, below). Weights changed between two stepFlows are
     * therefore not seen by the second; an energy, gradient or flow in between (unless the weights
     * are held, {@link #holdWeights}), or {@link #retakeWeights}, takes them afresh;</li>
     * <li>one sample's products of 1,024 to 32,768 multiply-adds below a free layer that {@code W'}
     * does not serve (the bottom-up term, and the prediction through fewer than 16 outputs) read a copy
     * of {@code W} taken at that same first stepFlow, which starts on a 32-byte boundary
     * ({@link Aligned}), as does the copy of {@code W'}; weights changed in place are likewise not
     * seen by them until the copies are taken again;</li>
     * <li>the prediction {@code W_l x_{l+1}} of a layer whose predicting layer {@code l+1} is clamped
     * is computed at that first stepFlow and copied at the next ones (the same bits): neither its
     * weights nor its clamped values change within a settle. Values written into
     * {@link #clampedValues} between two stepFlows are therefore not seen by the second either
     * ({@link #setClamped} and {@link #retakeWeights} make the next stepFlow compute it afresh);</li>
     * <li>likewise a batch's products that take {@link VectorGemm} read {@code W_l} and {@code W_l'}
     * packed once, at that same first stepFlow, instead of packing them at every product (the same
     * bits).</li>
     * </ul>
     */
    public double stepFlow(double[] free, double[] out, double[] perLayer) {
        checkOut(out, "flow");
        return evaluate(free, out, perLayer, true, true);
    }

    /**
     * Makes the next {@link #stepFlow} take the weights afresh and recompute the predictions made by
     * clamped layers, as it does after any full evaluation that is not under a hold; and ends a hold
     * ({@link #holdWeights}). A settler calls this before every settle: weights may have changed since
     * its last step with no full evaluation in between (a settle that diverged, then a learning or
     * sleep phase elsewhere), and a settle must start from the weights as they are.
     */
    public void retakeWeights() {
        copiesTaken = false;
        held = false;
    }

    /**
     * Takes the weight copies now and, until {@link #retakeWeights}, keeps the predictions made by
     * clamped layers for every evaluation, not only for stepFlows in a row: full evaluations
     * ({@link #energy}, {@link #gradient}, {@link #flow}) and {@link #topDownPrediction} use and fill
     * them too, so each is computed once and then only copied (the same bits as computing it again;
     * full evaluations still read the hierarchy's weights for every other product). For a caller
     * that knows neither the weights nor the clamped values change until it calls
     * {@link #retakeWeights}: {@code BatchSettler} from a batch's top-down start to its settled
     * state's full evaluation, where the data sit at the top (as in {@code examples/mnist-pc.yaml})
     * otherwise computing the largest product of a batch three times. {@link #setClamped} under a
     * hold is seen (it drops the kept predictions); writes into {@link #clampedValues} are not.
     */
    public void holdWeights() {
        takeCopies();
        copiesTaken = true;
        held = true;
    }

    /** Copies layer {@code l}'s {@code B x d_l} values (free or clamped) into {@code out[0 ..)}. */
    public void layerState(double[] free, int l, double[] out) {
        checkLayer(l);
        int n = batch * dims[l];
        if (out.length < n) {
            throw new IllegalArgumentException("layer " + l + " state needs " + n + " values, out holds " + out.length);
        }
        System.arraycopy(stateArray(l, free), stateOffset(l), out, 0, n);
    }

    /**
     * Writes the top-down prediction {@code mu_l = f_l(W_l x_{l+1} + b_l)} ({@code B x d_l},
     * {@code l < L}) from the current state of layer {@code l+1} into {@code out[0 ..)}: the usual
     * way to start the states top-down. Touches none of the evaluation buffers; while the weights are
     * held ({@link #holdWeights}) it uses, or fills, the kept prediction of a clamped layer {@code l+1}.
     */
    public void topDownPrediction(double[] free, int l, double[] out) {
        topDownPrediction(free, l, out, 0);
    }

    /**
     * {@link #topDownPrediction(double[], int, double[])} into {@code out[outOff ..)}; {@code out} may be
     * the free vector itself with {@code outOff = freeOffset(l)}, since block {@code l} does not overlap
     * block {@code l+1}.
     */
    public void topDownPrediction(double[] free, int l, double[] out, int outOff) {
        checkLayer(l);
        if (l == top) {
            throw new IllegalArgumentException("layer " + l + " is the top layer: nothing predicts it");
        }
        checkFree(free);
        int n = batch * dims[l];
        if (outOff < 0 || out.length - outOff < n) {
            throw new IllegalArgumentException("prediction of layer " + l + " needs " + n + " values from offset "
                    + outOff + ", out holds " + out.length);
        }
        double[] kept = held ? fixedPrediction[l] : null;
        if (kept != null && fixedValid[l]) {
            System.arraycopy(kept, 0, out, outOff, n);
        } else {
            predict(h.weights(l), dims[l], dims[l + 1], stateArray(l + 1, free), stateOffset(l + 1), batch, out, outOff,
                    gemmBuffers);
            // kept only where an evaluation's parts would give the same bits: one part, or VectorGemm
            // for the whole batch (then for every part too), whose entries do not depend on the rows
            if (kept != null && (parallel == null
                    || ownGemm(batch, (long) batch * dims[l] * dims[l + 1], gemmBuffers))) {
                System.arraycopy(out, outOff, kept, 0, n);
                fixedValid[l] = true;
            }
        }
        double[] b = h.bias(l);
        Activation f = h.activation(l);
        int d = dims[l];
        for (int r = 0, i = outOff; r < batch; r++) {
            for (int j = 0; j < d; j++, i++) {
                out[i] = f.value(out[i] + b[j]);
            }
        }
    }

    /**
     * {@code eps_l} of the last evaluation ({@code B x d_l}, live); for {@code l = L} the prior's, null
     * without. Not after a {@link #stepFlow}.
     */
    public double[] errors(int l) {
        return eps[checkFull(l, "errors")];
    }

    /** {@code Pi_l eps_l} of the last evaluation ({@code B x d_l}, live); null where {@link #errors} is. */
    public double[] weightedErrors(int l) {
        return piEps[checkFull(l, "weightedErrors")];
    }

    /** {@code f'_l(a_l)} of the last evaluation ({@code B x d_l}, live), {@code l < L}; null for the top. */
    public double[] activationDerivative(int l) {
        return fp[checkFull(l, "activationDerivative")];
    }

    /**
     * {@code Pi_l eps_l ⊙ f'_l(a_l)} of the last evaluation ({@code B x d_l}, live), {@code l < L}: the
     * factor of the Hebbian weight update {@code dW_l ∝ (Pi_l eps_l ⊙ f'_l) x_{l+1}'}; null for the top.
     */
    public double[] weightedErrorsTimesDerivative(int l) {
        return z[checkLayer(l)];
    }

    /**
     * The whole evaluation: the batch in one piece, or split by samples over the worker threads of
     * {@link SampleParallel} when the work is large and the BLAS is pure Java (a native BLAS threads
     * its own products). Samples are independent, so every thread writes disjoint rows; the
     * per-layer energies are added in thread order, so the result does not depend on scheduling.
     */
    private double evaluate(double[] free, double[] out, double[] perLayer, boolean flow, boolean leanPass) {
        checkFree(free);
        if (perLayer != null && perLayer.length < top + 1) {
            throw new IllegalArgumentException("perLayer needs " + (top + 1) + " entries, holds " + perLayer.length);
        }
        if (leanPass && !copiesTaken) {
            takeCopies();
        } else if (leanPass && ++sinceAligned >= REALIGN_EVERY) {
            realign();
        }
        lean = leanPass;
        // during an evaluation copiesTaken also says whether it may use and fill fixedPrediction (a
        // stepFlow, or any evaluation while held): written here, read by every part
        copiesTaken = leanPass || held;
        double energy = parallel != null ? parallel.evaluate(free, out, perLayer, flow, leanPass)
                : evaluateRows(free, out, perLayer, flow, leanPass, 0, batch, gemmBuffers);
        if (copiesTaken) {
            // every kept prediction was either used or filled by this evaluation
            for (int l = 0; l < top; l++) {
                fixedValid[l] = fixedPrediction[l] != null;
            }
        }
        return energy;
    }

    /**
     * Takes the weight copies a run of stepFlows reads ({@link #wt}, {@link #wb}, {@link #wp}, {@link #packW},
     * {@link #packWt}). A method of its own so that {@link #evaluate} stays small enough for C2 to
     * inline into every step.
     */
    private void takeCopies() {
        Arrays.fill(fixedValid, false);
        sinceAligned = 0;
        for (int l = 0; l < top; l++) {
            if (wt[l] != null) {
                wtOff[l] = Aligned.offset(wt[l], addressSlot);
                transpose(h.weights(l), 0, dims[l], dims[l + 1], wt[l], wtOff[l]);
            }
            if (wb[l] != null) {
                wbOff[l] = Aligned.offset(wb[l], addressSlot);
                System.arraycopy(h.weights(l), 0, wb[l], wbOff[l], dims[l] * dims[l + 1]);
            }
            if (wp[l] != null) {
                wpOff[l] = Aligned.offset(wp[l], addressSlot);
                VectorProducts.packTransposed(h.weights(l), dims[l], dims[l + 1], wp[l], wpOff[l]);
            }
            if (packW[l] != null) {
                VectorGemm.pack(h.weights(l), false, dims[l], dims[l + 1], packW[l]);
                VectorGemm.pack(h.weights(l), true, dims[l + 1], dims[l], packWt[l]);
            }
        }
    }

    /**
     * Puts each aligned copy ({@link #wt}, {@link #wb}, {@link #wp}) back on a 32-byte boundary if a
     * collection has moved its array since the offset was taken: the copy is shifted within its own
     * array (its {@link Aligned#PAD} spare elements allow any shift), so it holds the very values it
     * held, not the weights as they are now, and a run of stepFlows sees the same numbers with or
     * without a move. Why it matters: in a loop of stepFlows on small-batch1's shape that never
     * retakes the weights (as JMH's {@code FlowBenchmark} runs), four JVMs in eight ran at 530-538 ns
     * per step, the packed {@code W_0} moved off its boundary by a collection, and the other four at
     * 458-461; with this check seven in eight ran at 447-470.
     */
    private void realign() {
        sinceAligned = 0;
        for (int l = 0; l < top; l++) {
            int macs = dims[l] * dims[l + 1];
            if (wt[l] != null) {
                wtOff[l] = Aligned.reposition(wt[l], wtOff[l], macs, addressSlot);
            }
            if (wb[l] != null) {
                wbOff[l] = Aligned.reposition(wb[l], wbOff[l], macs, addressSlot);
            }
            if (wp[l] != null) {
                wpOff[l] = Aligned.reposition(wp[l], wpOff[l], VectorProducts.packedLength(dims[l], dims[l + 1]),
                        addressSlot);
            }
        }
    }

    /** Layer {@code l}'s packed copy ({@link #wp}, null where there is none), for tests of {@link #realign}. */
    double[] packedCopy(int l) {
        return wp[l];
    }

    /** Where {@link #packedCopy} starts in its array, for tests of {@link #realign}. */
    int packedOffset(int l) {
        return wpOff[l];
    }

    /**
     * Rows {@code [r0, r0 + rows)} of the evaluation. For each layer, first its own top-down term is
     * written into its output block (beta = 0 in effect), then the bottom-up term from the layer
     * below is accumulated onto it (beta = 1), so the output needs no clearing. {@code c} is the
     * coefficient of {@code Pi_l eps_l} in the output: {@code +1} for the gradient, {@code -1/tau_l}
     * for the flow; the bottom-up term gets {@code -c}. A Hessian-vector product can reuse this
     * structure with the same buffers.
     */
    double evaluateRows(double[] free, double[] out, double[] perLayer, boolean flow, boolean leanPass, int r0,
            int rows, VectorGemm.Buffers buf) {
        double total = 0;
        for (int l = 0; l <= top; l++) {
            double c = flow ? -invTau[l] : 1.0;
            boolean writes = out != null && !clamped[l];
            double[] o = writes ? out : null;
            int oOff = writes ? freeOffset[l] + r0 * dims[l] : 0;
            double el;
            boolean written;
            if (l < top) {
                el = predictionTerm(l, free, o, oOff, c, leanPass, r0, rows, buf);
                written = writes;
            } else if (eps[l] != null) {
                el = priorTerm(free, o, oOff, c, r0, rows);
                written = writes;
            } else {
                el = 0;
                written = false;
            }
            if (writes && l > 0 && leanPass && rows > 1 && packW[l - 1] != null) {
                VectorGemm.gemmPacked(z[l - 1], r0 * dims[l - 1], rows, dims[l - 1], packW[l - 1], dims[l], -c,
                        written ? 1.0 : 0.0, out, oOff, buf);
            } else if (writes && l > 0 && leanPass && wp[l - 1] != null) {
                VectorProducts.backPacked(wp[l - 1], wpOff[l - 1], dims[l - 1], dims[l], z[l - 1], r0 * dims[l - 1], -c, written, out,
                        oOff, packScratch);
            } else if (writes && l > 0 && leanPass && wb[l - 1] != null) {
                VectorProducts.backProject(wb[l - 1], wbOff[l - 1], dims[l - 1], dims[l], z[l - 1], r0 * dims[l - 1], -c,
                        written ? 1.0 : 0.0, out, oOff);
            } else if (writes && l > 0) {
                backProject(h.weights(l - 1), dims[l - 1], dims[l], z[l - 1], r0 * dims[l - 1], rows, -c,
                        written ? 1.0 : 0.0, out, oOff, buf);
            } else if (writes && !written) {
                Arrays.fill(out, oOff, oOff + rows * dims[l], 0.0);
            }
            if (perLayer != null) {
                perLayer[l] = el;
            }
            total += el;
        }
        return total;
    }

    /**
     * Layer {@code l < L}, rows {@code [r0, r0 + rows)}: prediction product, then the elementwise
     * pass; returns those rows' energy. {@code outOff} is where row {@code r0} of the output starts.
     */
    private double predictionTerm(int l, double[] free, double[] out, int outOff, double c, boolean leanPass, int r0,
            int rows, VectorGemm.Buffers buf) {
        int d = dims[l];
        int i0 = r0 * d;
        double[] e = eps[l];
        double[] kept = fixedPrediction[l];
        boolean use = kept != null && copiesTaken && fixedValid[l];
        boolean fill = kept != null && copiesTaken && !fixedValid[l];
        double[] pi = unitWeights(l);
        // a lean pass that only reads its input takes the kept prediction as it is: no copy into eps
        boolean direct = use && leanPass && fused[l] != null && pi != null && fused[l].leanPassReadsInput(d);
        if (use) {
            if (!direct) {
                System.arraycopy(kept, i0, e, i0, rows * d);
            }
        } else if (leanPass && rows > 1 && packWt[l] != null) {
            VectorGemm.gemmPacked(stateArray(l + 1, free), stateOffset(l + 1) + r0 * dims[l + 1], rows, dims[l + 1],
                    packWt[l], d, 1.0, 0.0, e, i0, buf);
        } else if (leanPass && wp[l] != null) {
            VectorProducts.predictPacked(wp[l], wpOff[l], d, dims[l + 1], stateArray(l + 1, free), stateOffset(l + 1), e, i0,
                    packScratch);
        } else if (leanPass && wt[l] != null) {
            // x' W' with the output columns in registers: W' is the (m = d_{l+1}) x (n = d_l) "W" of backProject
            VectorProducts.backProject(wt[l], wtOff[l], dims[l + 1], d, stateArray(l + 1, free), stateOffset(l + 1), 1.0, 0.0, e,
                    i0);
        } else if (leanPass && wb[l] != null) {
            VectorProducts.predict(wb[l], wbOff[l], d, dims[l + 1], stateArray(l + 1, free), stateOffset(l + 1), e, i0);
        } else {
            predict(h.weights(l), d, dims[l + 1], stateArray(l + 1, free), stateOffset(l + 1) + r0 * dims[l + 1],
                    rows, e, i0, buf);
        }
        if (fill) {
            System.arraycopy(e, i0, kept, i0, rows * d);
        }
        double[] x = stateArray(l, free);
        int xOff = stateOffset(l);
        double[] bias = h.bias(l);
        double[] pe = piEps[l];
        double[] f1 = fp[l];
        double[] zl = z[l];
        if (fused[l] != null && pi != null) {
            return 0.5 * (leanPass
                    ? fused[l].leanErrorPass(direct ? kept : e, bias, d, i0, rows, x, xOff, pi, pe, f1, zl, out, outOff - i0, c)
                    : fused[l].errorPass(e, bias, d, i0, rows, x, xOff, pi, pe, f1, zl, out, outOff - i0, c));
        }
        // Generic path (full precision or a user-defined activation): pe holds mu until Pi is applied.
        int end = i0 + rows * d;
        for (int r = 0, i = i0; r < rows; r++) {
            for (int j = 0; j < d; j++, i++) {
                e[i] += bias[j];
            }
        }
        h.activation(l).valueAndDerivative(e, pe, f1, i0, rows * d);
        for (int i = i0; i < end; i++) {
            e[i] = x[xOff + i] - pe[i];
        }
        double energy = h.precision(l).apply(e, i0, pe, i0, rows);
        if (out != null) {
            for (int i = i0, k = outOff; i < end; i++, k++) {
                double p = pe[i];
                zl[i] = p * f1[i];
                out[k] = c * p;
            }
        } else {
            for (int i = i0; i < end; i++) {
                zl[i] = pe[i] * f1[i];
            }
        }
        return energy;
    }

    /** Top layer with prior, rows {@code [r0, r0 + rows)}: {@code eps_L = x_L - m_L}; returns their energy. */
    private double priorTerm(double[] free, double[] out, int outOff, double c, int r0, int rows) {
        int l = top;
        int d = dims[l];
        int i0 = r0 * d;
        int end = i0 + rows * d;
        double[] e = eps[l];
        double[] pe = piEps[l];
        double[] m = h.priorMean();
        double[] x = stateArray(l, free);
        int xOff = stateOffset(l);
        double[] pi = unitWeights(l);
        if (pi != null) {
            double sum = 0;
            for (int r = 0, i = i0, k = outOff; r < rows; r++) {
                for (int j = 0; j < d; j++, i++, k++) {
                    double ei = x[xOff + i] - m[j];
                    double p = pi[j] * ei;
                    e[i] = ei;
                    pe[i] = p;
                    sum += ei * p;
                    if (out != null) {
                        out[k] = c * p;
                    }
                }
            }
            return 0.5 * sum;
        }
        for (int r = 0, i = i0; r < rows; r++) {
            for (int j = 0; j < d; j++, i++) {
                e[i] = x[xOff + i] - m[j];
            }
        }
        double energy = h.precision(l).apply(e, i0, pe, i0, rows);
        if (out != null) {
            for (int i = i0, k = outOff; i < end; i++, k++) {
                out[k] = c * pe[i];
            }
        }
        return energy;
    }

    /**
     * One sample's products go to {@link VectorProducts} up to {@link Blas#SMALL_PRODUCT}
     * multiply-adds when the Vector API is there; without it, products up to this many multiply-adds
     * run in the loops here rather than through netlib's {@code dgemv}, whose argument checks (string
     * compares included) cost more than the product itself at this size: measured on the 8-16-4
     * batch-1 settle, the BLAS calls took a third of each 0.5 µs step.
     */
    static final long TINY_PRODUCT = 512;

    /**
     * One sample's products of at least this many multiply-adds read a copy of {@code W} that starts
     * on a 32-byte boundary ({@link #wb}). Smaller ones wait on their multiply-add chains rather than
     * on loads, and took the same time at all four alignments (measured per product: 8 x 16, 16 x 4
     * and 32 x 10 alike at every alignment; 64 x 32 {@code W' z} 92 against 129 ns); on tiny
     * (8-16-4) the copies cost 3-10% in steps/s.
     */
    static final long ALIGNED_COPY = 1024;
    /**
     * stepFlows between two checks of the aligned copies' places ({@link #realign}): three offset
     * reads, a few nanoseconds, per 1,024 steps; a copy a collection has moved is slow for at most
     * that many steps.
     */
    static final int REALIGN_EVERY = 1024;

    /**
     * Whether one sample's prediction through a {@code m x k} {@code W} is faster as {@code x' W'}
     * (output columns in register accumulators) than as four rows at a time with folded lane sums:
     * from 16 outputs on (measured: 64 x 32 in 141-160 against 233-270 ns, 32 x 10 in 26 against
     * 75-110 ns, 16 x 4 in 12 against 37 ns; 8 x 16 in 29-39 against 27 ns).
     */
    static boolean transposedPrediction(int m, int k) {
        return FusedActivation.VECTOR && m >= 16 && (long) m * k <= Blas.SMALL_PRODUCT;
    }

    /** {@code t (k x m) = w'} from {@code t[tOff]}, for row-major {@code w (m x k)} from {@code w[off]}. */
    static void transpose(double[] w, int off, int m, int k, double[] t, int tOff) {
        for (int i = 0; i < m; i++) {
            for (int j = 0, o = off + i * k; j < k; j++) {
                t[tOff + j * m + i] = w[o + j];
            }
        }
    }

    /**
     * Whether a batch's products go to FENA's {@link VectorGemm} rather than netlib's pure-Java
     * {@code dgemm}: wherever the latter would run (the pure-Java backend, and small batched
     * products on a native one), and on a native BLAS for parts of at most {@link Blas#OWN_ROWS}
     * rows, when the Vector API is there and {@code -Dfena.gemm=netlib} is not set. On mnist-mlp's
     * shapes at 128 rows it runs at 1.9 times netlib's rate, allocates nothing (netlib's allocates
     * its packing buffers at every call), and keeps a JVM on FENA's one vector shape (netlib's
     * Vector API BLAS uses the machine's widest).
     */
    static final boolean OWN_GEMM = FusedActivation.VECTOR && !"netlib".equals(System.getProperty("fena.gemm"));

    private static boolean ownGemm(int rows, long macs, VectorGemm.Buffers buf) {
        return rows > 1 && buf != null && Blas.own(rows, macs);
    }

    /**
     * Whether one sample's product of {@code macs} multiply-adds runs in {@link VectorProducts}: up to
     * {@link Blas#SMALL_PRODUCT} whenever the Vector API is there, and at any size wherever netlib's
     * pure-Java BLAS would otherwise take it. Its {@code dgemv} runs on the machine's widest vectors
     * (512 bits here); beside FENA's 256-bit kernels that made C2 box the vectors of whatever it
     * compiled next: one batch-1 settle of a 784-256-256-10 hierarchy, then batch-32 settles in the
     * same JVM, ran those at 102 steps/s against 1,985 in a fresh JVM (1,929 collections).
     */
    private static boolean ownOneSample(long macs) {
        return FusedActivation.VECTOR && (macs <= Blas.SMALL_PRODUCT || Blas.own(macs));
    }

    /** Packing buffers for one thread's batch products, or null when {@link VectorGemm} cannot run. */
    static VectorGemm.Buffers newGemmBuffers() {
        return OWN_GEMM ? new VectorGemm.Buffers() : null;
    }

    /**
     * Row-major {@code C (rows x m) = X (rows x k) W'} with {@code W} row-major {@code m x k}, i.e. in
     * BLAS's column-major terms {@code C' = W X'} where the column-major view of row-major W is W'.
     * One sample is a matrix-vector product.
     */
    static void predict(double[] w, int m, int k, double[] x, int xOff, int rows, double[] c, int cOff,
            VectorGemm.Buffers buf) {
        if (ownGemm(rows, (long) m * k * rows, buf)) {
            VectorGemm.gemm(x, xOff, rows, k, w, true, m, 1.0, 0.0, c, cOff, buf);
            return;
        }
        if (rows == 1 && ownOneSample((long) m * k)) {
            VectorProducts.predict(w, m, k, x, xOff, c, cOff);
            return;
        }
        if (rows == 1 && (long) m * k <= TINY_PRODUCT) {
            for (int i = 0, o = 0; i < m; i++, o += k) {
                double s0 = 0.0;
                double s1 = 0.0;
                int j = 0;
                for (; j + 1 < k; j += 2) {
                    s0 += w[o + j] * x[xOff + j];
                    s1 += w[o + j + 1] * x[xOff + j + 1];
                }
                if (j < k) {
                    s0 += w[o + j] * x[xOff + j];
                }
                c[cOff + i] = s0 + s1;
            }
            return;
        }
        BLAS blas = Blas.forProduct((long) m * k * rows);
        if (rows == 1) {
            blas.dgemv("T", k, m, 1.0, w, 0, k, x, xOff, 1, 0.0, c, cOff, 1);
        } else {
            blas.dgemm("T", "N", m, rows, k, 1.0, w, 0, k, x, xOff, k, 0.0, c, cOff, m);
        }
    }

    /**
     * Row-major {@code out (rows x n) = alpha Z (rows x m) W + beta out} with {@code W} row-major
     * {@code m x n}: column-major {@code out' = alpha W' Z' + beta out'}.
     */
    static void backProject(double[] w, int m, int n, double[] zz, int zOff, int rows, double alpha, double beta,
            double[] out, int outOff, VectorGemm.Buffers buf) {
        if (ownGemm(rows, (long) m * n * rows, buf)) {
            VectorGemm.gemm(zz, zOff, rows, m, w, false, n, alpha, beta, out, outOff, buf);
            return;
        }
        if (rows == 1 && ownOneSample((long) m * n)) {
            VectorProducts.backProject(w, m, n, zz, zOff, alpha, beta, out, outOff);
            return;
        }
        if (rows == 1 && (long) m * n <= TINY_PRODUCT) {
            // BLAS semantics: beta == 0 overwrites (whatever out held, NaN included)
            for (int j = 0; j < n; j++) {
                out[outOff + j] = beta == 0.0 ? 0.0 : beta * out[outOff + j];
            }
            for (int i = 0, o = 0; i < m; i++, o += n) {
                double a = alpha * zz[zOff + i];
                for (int j = 0; j < n; j++) {
                    out[outOff + j] += a * w[o + j];
                }
            }
            return;
        }
        BLAS blas = Blas.forProduct((long) m * n * rows);
        if (rows == 1) {
            blas.dgemv("N", n, m, alpha, w, 0, n, zz, zOff, 1, beta, out, outOff, 1);
        } else {
            blas.dgemm("N", "N", n, rows, m, alpha, w, 0, n, zz, zOff, m, beta, out, outOff, n);
        }
    }

    /**
     * Per-unit weights of a scalar or diagonal {@code Pi_l} (the fused path), else null. Read from the
     * hierarchy at every evaluation, not cached, so a precision replaced by precision learning
     * ({@link Hierarchy#setPrecision}) takes effect at the next evaluation.
     */
    private double[] unitWeights(int l) {
        Precision p = h.precision(l);
        return p instanceof Precisions.PerUnit ? ((Precisions.PerUnit) p).unitWeights() : null;
    }

    private double[] stateArray(int l, double[] free) {
        return clamped[l] ? clampValues[l] : free;
    }

    private int stateOffset(int l) {
        return clamped[l] ? 0 : freeOffset[l];
    }

    private void checkFree(double[] free) {
        if (free == null || free.length < freeDimension) {
            throw new IllegalArgumentException("free state needs " + freeDimension + " values, got "
                    + (free == null ? "none" : free.length));
        }
    }

    private void checkOut(double[] out, String what) {
        if (out == null || out.length < freeDimension) {
            throw new IllegalArgumentException(what + " output needs " + freeDimension + " values, got "
                    + (out == null ? "none" : out.length));
        }
    }

    private int checkFull(int l, String what) {
        checkLayer(l);
        if (lean) {
            throw new IllegalStateException(what + "(" + l + "): the last evaluation was a stepFlow, which does not"
                    + " keep eps, Pi eps or f'; evaluate with energy, gradient or flow first");
        }
        return l;
    }

    private int checkLayer(int l) {
        if (l < 0 || l > top) {
            throw new IllegalArgumentException("layer " + l + " out of range 0.." + top);
        }
        return l;
    }
}
