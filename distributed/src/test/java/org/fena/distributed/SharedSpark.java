package org.fena.distributed;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import org.apache.spark.sql.SparkSession;

/**
 * One Spark session for every test in the JVM: starting Spark costs seconds, so tests share it.
 * {@code local[2,4]}: two threads, and a failing task is tried up to 4 times, as on a cluster.
 */
final class SharedSpark {

    private static SparkSession session;

    private SharedSpark() {
    }

    /** The shared session, started on first use. */
    static synchronized SparkSession session() {
        if (session == null) {
            session = SparkSession.builder().appName("fena-tests").master("local[2,4]")
                    .config("spark.ui.enabled", "false")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.sql.shuffle.partitions", "2")
                    .getOrCreate();
            session.sparkContext().setLogLevel("ERROR");
        }
        return session;
    }

    /** The result of one {@code fena} command run in this JVM. */
    record Result(int status, String out, String err) {
    }

    /** Runs {@code fena args...} (the shared session is joined, not stopped, by {@code --engine spark}). */
    static Result fena(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = org.fena.cli.Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(status, out.toString(), err.toString());
    }

    /** The repository's examples directory. */
    static Path examples() {
        return Path.of("..", "examples").toAbsolutePath().normalize();
    }
}
