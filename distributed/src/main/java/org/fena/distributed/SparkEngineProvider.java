package org.fena.distributed;

import org.fena.dynamics.jobs.Engine;
import org.fena.dynamics.jobs.EngineOptions;
import org.fena.dynamics.jobs.EngineProvider;

/** Makes {@code --engine spark} findable by {@link java.util.ServiceLoader} when this jar and Spark are on the class path. */
public final class SparkEngineProvider implements EngineProvider {

    /** Needed by {@link java.util.ServiceLoader}. */
    public SparkEngineProvider() {
    }

    @Override
    public String name() {
        return "spark";
    }

    @Override
    public Engine open(EngineOptions options) {
        try {
            Class.forName("org.apache.spark.sql.SparkSession", false, SparkEngineProvider.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalArgumentException("--engine spark: Spark is not on the class path: run with spark-submit"
                    + " --class org.fena.distributed.Main distributed/target/fena-distributed.jar ... (see docs/cluster.md)");
        }
        return SparkEngine.open(options);
    }
}
