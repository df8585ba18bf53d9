package org.fena.hierarchy;

/**
 * An activation that also provides the one-pass error kernel of the energy's hot loop.
 *
 * <p>The kernel is written out once per activation rather than once generically because a
 * generic loop would call {@code f} through an interface whose call site sees every activation of
 * the network, which stops the JIT inlining it; in each subclass the call is monomorphic.
 */
abstract class FusedActivation implements Activation {

    /**
     * Whether the error passes and one sample's products may use {@link VectorKernels} and
     * {@link VectorProducts}: the Vector API module is present, the machine runs 256-bit vectors, and
     * they are not switched off with {@code -Dfena.vector=false}. Kept here, not in VectorKernels, because
     * loading that class without the module fails.
     */
    static final boolean VECTOR = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
            && !"false".equals(System.getProperty("fena.vector")) && VectorKernels.supported();

    /**
     * One pass over {@code rows x d} row-major elements {@code i = i0 + r d + j} of a layer with a
     * scalar or diagonal precision {@code pi} (one entry per unit):
     *
     * <pre>
     *   a = ae[i] + bias[j];  mu = f(a);  fp[i] = f'(a)
     *   e = x[xOff + i] - mu;  ae[i] = e;  pieps[i] = pi[j] e;  z[i] = pieps[i] fp[i]
     *   out[outOff + i] = c pieps[i]      (only when out != null)
     * </pre>
     *
     * {@code ae} holds {@code W x} on entry (what the prediction dgemm wrote) and {@code eps} on
     * exit. Returns {@code sum_i e pi e}, twice the layer's energy.
     */
    abstract double errorPass(double[] ae, double[] bias, int d, int i0, int rows, double[] x, int xOff,
            double[] pi, double[] pieps, double[] fp, double[] z, double[] out, int outOff, double c);

    /**
     * {@link #errorPass} for a step of the settling flow, which needs only the output, {@code z} and
     * the energy: a kernel may then leave {@code eps}, {@code Pi eps} and {@code f'} unwritten (and
     * {@code W x} in {@code ae}), with the same bits in what it does write. By default the full pass.
     */
    double leanErrorPass(double[] ae, double[] bias, int d, int i0, int rows, double[] x, int xOff,
            double[] pi, double[] pieps, double[] fp, double[] z, double[] out, int outOff, double c) {
        return errorPass(ae, bias, d, i0, rows, x, xOff, pi, pieps, fp, z, out, outOff, c);
    }

    /**
     * Whether {@link #leanErrorPass} over rows of {@code d} units only reads {@code ae} (it writes
     * neither {@code eps} nor anything else into it): a prediction the workspace keeps through a settle
     * can then be the pass's input as it is, instead of being copied into {@code eps} at every step. By
     * default false, since the default lean pass is the full one, which writes {@code eps} there.
     */
    boolean leanPassReadsInput(int d) {
        return false;
    }

    @Override
    public String toString() {
        return name();
    }
}
