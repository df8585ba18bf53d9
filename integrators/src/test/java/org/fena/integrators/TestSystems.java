package org.fena.integrators;

/** Vector fields with known solutions, shared by the tests. */
final class TestSystems {

    private TestSystems() {
    }

    /** {@code y' = A y}, {@code A = [[-a, w], [-w, -a]]}: a decaying rotation. */
    static final class RotationDecay implements OdeSystem {
        final double a;
        final double w;

        RotationDecay(double a, double w) {
            this.a = a;
            this.w = w;
        }

        @Override
        public int dimension() {
            return 2;
        }

        @Override
        public void derivative(double t, double[] y, double[] yDot) {
            yDot[0] = -a * y[0] + w * y[1];
            yDot[1] = -w * y[0] - a * y[1];
        }

        /** The exact solution {@code exp(A t) y0}, in closed form. */
        double[] exact(double t, double[] y0) {
            double d = Math.exp(-a * t);
            double c = Math.cos(w * t);
            double s = Math.sin(w * t);
            return new double[] {d * (c * y0[0] + s * y0[1]), d * (-s * y0[0] + c * y0[1])};
        }
    }

    /** {@code y' = -lambda y} in every component. */
    static final class Decay implements OdeSystem {
        final int n;
        final double lambda;

        Decay(int n, double lambda) {
            this.n = n;
            this.lambda = lambda;
        }

        @Override
        public int dimension() {
            return n;
        }

        @Override
        public void derivative(double t, double[] y, double[] yDot) {
            for (int i = 0; i < n; i++) {
                yDot[i] = -lambda * y[i];
            }
        }
    }

    /** {@code y' = -y + sin(omega t)}; its solution from {@code y(0) = y0} is
     *  {@code (y0 + omega/(1+omega^2)) e^{-t} + (sin(omega t) - omega cos(omega t)) / (1+omega^2)}. */
    static final class ForcedDecay implements OdeSystem {
        final double omega;

        ForcedDecay(double omega) {
            this.omega = omega;
        }

        @Override
        public int dimension() {
            return 1;
        }

        @Override
        public void derivative(double t, double[] y, double[] yDot) {
            yDot[0] = -y[0] + Math.sin(omega * t);
        }

        double exact(double t, double y0) {
            double q = 1 + omega * omega;
            return (y0 + omega / q) * Math.exp(-t) + (Math.sin(omega * t) - omega * Math.cos(omega * t)) / q;
        }
    }

    /** Wraps a system and remembers the last point it was evaluated at (without allocating). */
    static final class Recording implements OdeSystem {
        final OdeSystem inner;
        double lastT = Double.NaN;
        final double[] lastY;
        long calls;

        Recording(OdeSystem inner) {
            this.inner = inner;
            this.lastY = new double[inner.dimension()];
        }

        @Override
        public int dimension() {
            return inner.dimension();
        }

        @Override
        public void derivative(double t, double[] y, double[] yDot) {
            lastT = t;
            System.arraycopy(y, 0, lastY, 0, y.length);
            calls++;
            inner.derivative(t, y, yDot);
        }
    }

    static double maxAbsDiff(double[] a, double[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }
}
