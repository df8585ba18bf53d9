package org.fena.dynamics.learning;

/**
 * What inference on a data set reports: only the data layer is clamped, labels are never shown.
 *
 * @param predictions       argmax of the label layer's settled state per sample, or null without a label layer
 * @param energies          settled energy {@code E} of each sample (the OOD score; the free energy
 *                          differs by the constant {@code -1/2 sum_l log det Pi_l})
 * @param energyPerLayer    mean settled per-layer energy per sample, bottom first
 * @param rhsPerBatch       mean right-hand-side evaluations per settle of a full batch (the settling cost)
 * @param convergedFraction fraction of the settles that met the stop rule's tolerance
 * @param wallSeconds       wall-clock time
 */
public record Evaluation(int[] predictions, double[] energies, double[] energyPerLayer, double rhsPerBatch,
                         double convergedFraction, double wallSeconds) {

    /** Fraction of {@code labels} equal to the predictions (the caller holds the labels, never the hierarchy). */
    public double accuracy(int[] labels) {
        if (predictions == null) {
            throw new IllegalStateException("no label layer: nothing was predicted");
        }
        int ok = 0;
        for (int i = 0; i < labels.length; i++) {
            if (predictions[i] == labels[i]) {
                ok++;
            }
        }
        return ok / (double) labels.length;
    }

    /** Mean settled energy per sample. */
    public double meanEnergy() {
        double s = 0;
        for (double e : energies) {
            s += e;
        }
        return s / energies.length;
    }
}
