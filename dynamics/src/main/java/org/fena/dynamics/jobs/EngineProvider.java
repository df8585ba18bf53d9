package org.fena.dynamics.jobs;

/**
 * A way to find engines that live outside this module (the Spark engine in {@code distributed})
 * through {@link java.util.ServiceLoader}: the single-machine {@code fena} does not carry Spark,
 * and finds the engine only when the distributed jar and Spark are on the class path.
 */
public interface EngineProvider {

    /** The engine's name, as {@code --engine} takes it. */
    String name();

    /**
     * Opens the engine.
     *
     * @throws IllegalArgumentException when the options cannot work (e.g. the master is unreachable)
     */
    Engine open(EngineOptions options);
}
