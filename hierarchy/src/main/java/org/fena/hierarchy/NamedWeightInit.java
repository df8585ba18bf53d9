package org.fena.hierarchy;

/** The naming shared by the built-in {@link WeightInit} rules. */
abstract class NamedWeightInit implements WeightInit {
    private final String name;
    private final double scale;

    NamedWeightInit(String name, double scale) {
        this.name = name;
        this.scale = scale;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return Double.isNaN(scale) || (scale == 1.0 && !name.equals("normal")) ? name : name + "(" + scale + ")";
    }
}
