package org.fena.integrators;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class SampledObserverTest {

    private static final TestSystems.RotationDecay ROTATION = new TestSystems.RotationDecay(0.5, 2.0);
    private static final double[] Y0 = {1.0, 0.5};

    @Test
    void samplesMatchTheExactSolutionWithinHermiteAccuracy() {
        double h = 0.1;
        List<double[]> samples = new ArrayList<>();
        SampledObserver observer = SampledObserver.every(0.0, 0.0125, (t, y) -> samples.add(new double[] {t, y[0], y[1]}));
        double[] nodeError = {0};
        StepObserver nodes = s -> nodeError[0] = Math.max(nodeError[0],
                TestSystems.maxAbsDiff(s.y(), ROTATION.exact(s.t(), Y0)));
        // dopri5 keeps the node error far below the interpolation error, so the latter is what is tested.
        Integrators.create("dopri5", StepSettings.fixed(h)).integrate(ROTATION, 0.0, Y0.clone(),
                StopRules.finalTime(2.0), observer, nodes);
        assertEquals(161, samples.size());
        assertEquals(161, observer.samples());
        // Hermite error <= h^4/384 max|y''''|, with |y''''| <= (a^2 + w^2)^2 |y0|, on top of the
        // solver's own error at the step ends (the node derivatives carry it too, times h/4 at most).
        double hermiteBound = Math.pow(h, 4) / 384 * Math.pow(0.25 + 4.0, 2) * Math.hypot(Y0[0], Y0[1]);
        double worst = 0;
        for (double[] s : samples) {
            double[] exact = ROTATION.exact(s[0], Y0);
            worst = Math.max(worst, Math.max(Math.abs(s[1] - exact[0]), Math.abs(s[2] - exact[1])));
        }
        double bound = hermiteBound + nodeError[0] * (1 + Math.hypot(0.5, 2.0) * h / 4);
        System.out.printf("worst sampled error %.3e, bound %.3e (Hermite %.3e, nodes %.3e)%n", worst, bound,
                hermiteBound, nodeError[0]);
        assertTrue(worst <= bound, "worst error " + worst + " above " + bound);
        // Cubic, not linear: linear interpolation would be off by about h^2/8 |y''| ~ 5e-3.
        assertTrue(worst < 1e-4);
    }

    @Test
    void sampleTimesOnStepEndsGetTheStepStateExactly() {
        List<double[]> stepStates = new ArrayList<>();
        List<double[]> samples = new ArrayList<>();
        StepObserver recorder = s -> stepStates.add(new double[] {s.t(), s.y()[0], s.y()[1]});
        SampledObserver sampled = new SampledObserver(new double[] {-1.0, 0.0, 0.5, 1.0, 1.05, 7.0},
                (t, y) -> samples.add(new double[] {t, y[0], y[1]}));
        Integrators.create("midpoint", StepSettings.fixed(0.1)).integrate(ROTATION, 0.0, Y0.clone(),
                StopRules.finalTime(2.0), recorder, sampled);
        // -1 lies before t0 and 7 after the end: neither is delivered.
        assertEquals(4, samples.size());
        assertArrayEquals(new double[] {0.0, Y0[0], Y0[1]}, samples.get(0), 0.0);
        assertArrayEquals(stepStates.get(4), samples.get(1), 0.0);
        assertArrayEquals(stepStates.get(9), samples.get(2), 0.0);
        assertEquals(1.05, samples.get(3)[0]);
    }

    @Test
    void samplesAcrossAdaptiveStepsAreOrderedAndAccurate() {
        List<double[]> samples = new ArrayList<>();
        Integrators.create("dopri5", StepSettings.tolerances(1e-9, 1e-12)).integrate(ROTATION, 0.0, Y0.clone(),
                StopRules.finalTime(3.0), SampledObserver.every(0.0, 0.01, (t, y) -> samples.add(new double[] {t, y[0]})));
        assertEquals(301, samples.size());
        for (int i = 0; i < samples.size(); i++) {
            assertEquals(0.01 * i, samples.get(i)[0], 1e-12);
        }
        // Large adaptive steps: Hermite accuracy follows the step, so only a loose bound here.
        for (double[] s : samples) {
            assertEquals(ROTATION.exact(s[0], Y0)[0], s[1], 1e-3);
        }
    }

    @Test
    void badSampleTimesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new SampledObserver(new double[] {0, 1, 1}, (t, y) -> { }));
        assertThrows(IllegalArgumentException.class, () -> SampledObserver.every(0, 0, (t, y) -> { }));
    }
}
