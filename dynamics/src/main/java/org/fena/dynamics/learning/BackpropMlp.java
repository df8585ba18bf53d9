package org.fena.dynamics.learning;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.fena.dynamics.data.LabelledData;
import org.fena.hierarchy.Blas;
import org.fena.hierarchy.Hierarchy;
import org.fena.hierarchy.learning.UpdateRule;

/**
 * The backprop reference: a multilayer perceptron of exactly the shape of a supervised hierarchy
 * whose data sit at the top layer {@code L} and labels at the bottom layer 0, trained by error
 * backpropagation on the loss {@code 1/2 eps_0' Pi_0 eps_0}, the energy of the label layer alone.
 *
 * <p>Its forward pass is the hierarchy's chain of top-down predictions,
 * {@code x_l = f_l(W_l x_{l+1} + b_l)} from {@code x_L = input} down to the output {@code x_0};
 * it starts from a copy of the hierarchy's parameters and uses the same update rule, rates, batch
 * and shuffle seed, so the two learners differ only in how the error reaches the weights: backprop's
 * exact chain rule against predictive coding's settled local errors.
 */
public final class BackpropMlp {

    private final Hierarchy net;
    private final TrainingSettings s;
    private final UpdateRule.State[] wState;
    private final UpdateRule.State[] bState;
    private final double[] rates;
    private final SplittableRandom shuffles;
    private final double[][] act;
    private final double[][] deriv;
    private final double[][] delta;
    private final double[] gw;
    private final double[] gb;
    private int batchCap;

    /**
     * A reference of {@code h}'s shape starting from a copy of its parameters.
     *
     * @throws IllegalArgumentException unless the data layer is the top and the label layer 0
     */
    public BackpropMlp(Hierarchy h, TrainingSettings s) {
        if (s.dataLayer() != h.top() || s.labelLayer() != 0) {
            throw new IllegalArgumentException("the backprop reference needs the data at the top layer " + h.top()
                    + " and the labels at layer 0 (the direction of the top-down predictions); got data "
                    + s.dataLayer() + ", labels " + s.labelLayer());
        }
        this.net = h.copy();
        this.s = s;
        int top = h.top();
        wState = new UpdateRule.State[top];
        bState = new UpdateRule.State[top];
        rates = new double[top];
        int maxW = 0;
        int maxD = 0;
        for (int l = 0; l < top; l++) {
            wState[l] = s.update().newState(h.dim(l) * h.dim(l + 1));
            bState[l] = s.update().newState(h.dim(l));
            rates[l] = s.rates().length == 1 ? s.rates()[0] : s.rates()[l];
            maxW = Math.max(maxW, h.dim(l) * h.dim(l + 1));
            maxD = Math.max(maxD, h.dim(l));
        }
        gw = new double[maxW];
        gb = new double[maxD];
        act = new double[h.layers()][];
        deriv = new double[h.layers()][];
        delta = new double[h.layers()][];
        shuffles = new SplittableRandom(s.seed());
    }

    /** The network's parameters (a hierarchy used as a parameter holder). */
    public Hierarchy network() {
        return net;
    }

    private void size(int b) {
        if (b <= batchCap) {
            return;
        }
        batchCap = b;
        for (int l = 0; l < net.layers(); l++) {
            act[l] = new double[b * net.dim(l)];
            deriv[l] = new double[b * net.dim(l)];
            delta[l] = new double[b * net.dim(l)];
        }
    }

    /** Forward pass of {@code b} rows of {@code x} (from {@code off}); the output is {@code act[0]}. */
    private void forward(double[] x, int off, int b) {
        size(b);
        int top = net.top();
        System.arraycopy(x, off, act[top], 0, b * net.dim(top));
        for (int l = top - 1; l >= 0; l--) {
            int m = net.dim(l);
            int k = net.dim(l + 1);
            double[] a = act[l];
            // row-major a (b x m) = X (b x k) W' : column-major a' = W X'
            Blas.gemm(b, m, k, 1.0, act[l + 1], 0, net.weights(l), 0, true, 0.0, a, 0);
            double[] bias = net.bias(l);
            for (int r = 0, i = 0; r < b; r++) {
                for (int j = 0; j < m; j++, i++) {
                    a[i] += bias[j];
                }
            }
            net.activation(l).valueAndDerivative(a, a, deriv[l], 0, b * m);
        }
    }

    /** One epoch of minibatch backprop on {@code train}; returns the mean loss per sample. */
    public double trainEpoch(LabelledData train) {
        int bsz = s.batch();
        int[] order = new int[train.size()];
        Arrays.setAll(order, i -> i);
        LabelledData.shuffle(order, shuffles.split());
        int batches = train.size() / bsz;
        int dim = train.dim();
        int c = net.dim(0);
        double[] x = new double[bsz * dim];
        double[] e = new double[bsz * c];
        double loss = 0;
        for (int bi = 0; bi < batches; bi++) {
            for (int i = 0; i < bsz; i++) {
                System.arraycopy(train.inputs(), order[bi * bsz + i] * dim, x, i * dim, dim);
            }
            forward(x, 0, bsz);
            for (int i = 0; i < bsz * c; i++) {
                e[i] = -act[0][i];
            }
            for (int i = 0; i < bsz; i++) {
                e[i * c + train.labels()[order[bi * bsz + i]]] += 1.0;
            }
            // delta_0 = Pi_0 eps_0 ⊙ f'_0: the negative gradient of the loss with respect to a_0
            loss += net.precision(0).apply(e, 0, delta[0], 0, bsz);
            backward(bsz);
        }
        return loss / Math.max(1, batches * bsz);
    }

    private void backward(int b) {
        int top = net.top();
        for (int l = 0; l < top; l++) {
            int m = net.dim(l);
            int n = net.dim(l + 1);
            double[] d = delta[l];
            for (int i = 0; i < b * m; i++) {
                d[i] *= deriv[l][i];
            }
            if (l + 1 < top) {
                // negative gradient w.r.t. x_{l+1}: row-major (b x n) = D (b x m) W (m x n)
                Blas.gemm(b, n, m, 1.0, d, 0, net.weights(l), 0, false, 0.0, delta[l + 1], 0);
            }
            Blas.gemmTN(m, n, b, 1.0 / b, d, 0, act[l + 1], 0, 0.0, gw, 0);
            Arrays.fill(gb, 0, m, 0.0);
            for (int r = 0, i = 0; r < b; r++) {
                for (int j = 0; j < m; j++, i++) {
                    gb[j] += d[i] / b;
                }
            }
            wState[l].apply(net.weights(l), gw, rates[l]);
            bState[l].apply(net.bias(l), gb, rates[l]);
        }
    }

    /** Predicted classes (argmax of the output) of every sample of {@code data}. */
    public int[] predict(LabelledData data) {
        int n = data.size();
        int bsz = Math.min(256, n);
        int c = net.dim(0);
        int[] pred = new int[n];
        for (int from = 0; from < n; from += bsz) {
            int count = Math.min(bsz, n - from);
            forward(data.inputs(), from * data.dim(), count);
            for (int i = 0; i < count; i++) {
                int best = 0;
                for (int j = 1; j < c; j++) {
                    if (act[0][i * c + j] > act[0][i * c + best]) {
                        best = j;
                    }
                }
                pred[from + i] = best;
            }
        }
        return pred;
    }

    /** Top-1 accuracy on {@code data}. */
    public double accuracy(LabelledData data) {
        int[] p = predict(data);
        int ok = 0;
        for (int i = 0; i < p.length; i++) {
            if (p[i] == data.labels()[i]) {
                ok++;
            }
        }
        return ok / (double) p.length;
    }
}
