package org.fena.dynamics.jobs;

import java.util.Locale;
import java.util.ServiceLoader;

/** Opens an engine by name: {@code local} here, others through {@link EngineProvider}s. */
public final class Engines {

    private Engines() {
    }

    /**
     * The engine {@code options} name.
     *
     * @throws IllegalArgumentException for an unknown engine, one whose jar is not on the class path
     *                                  (the message says how to run it), or options it refuses
     */
    public static Engine open(EngineOptions options) {
        String name = options.engine() == null ? "local" : options.engine().trim().toLowerCase(Locale.ROOT);
        if (name.equals("local")) {
            return new LocalEngine(options.threads());
        }
        for (EngineProvider p : ServiceLoader.load(EngineProvider.class, Engines.class.getClassLoader())) {
            if (p.name().equals(name)) {
                return p.open(options);
            }
        }
        if (name.equals("spark")) {
            throw new IllegalArgumentException("--engine spark: the spark engine needs the distributed jar and Spark"
                    + " on the class path: run with spark-submit --class org.fena.distributed.Main"
                    + " distributed/target/fena-distributed.jar ... (see docs/cluster.md)");
        }
        throw new IllegalArgumentException("--engine: unknown engine '" + options.engine() + "'; expected local or spark");
    }
}
