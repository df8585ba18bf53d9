package org.fena.distributed;

import java.io.IOException;
import java.io.Serializable;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.fena.dynamics.jobs.Engine;
import org.fena.dynamics.jobs.EngineOptions;
import org.fena.dynamics.jobs.Job;
import org.fena.dynamics.jobs.JobResult;
import org.fena.dynamics.jobs.ProgressListener;
import org.fena.dynamics.jobs.TaskFailedException;
import org.fena.dynamics.jobs.TaskFunction;

/**
 * Runs a job's tasks on Apache Spark: the task indices are cut into contiguous partitions, each
 * partition computes its rows on an executor, and the driver collects {@code (index, row)} pairs and
 * puts every row at its index — so neither the partitioning, the order tasks finish in, nor a retry
 * after a lost executor changes a bit of the result. Spark retries a failing task up to
 * {@code spark.task.maxFailures} times (4 on a cluster; 1 on {@code local[N]}, {@code local[N,F]} allows F).
 */
public final class SparkEngine implements Engine {

    private static final Pattern TASK = Pattern.compile(Pattern.quote(TaskFailedException.PREFIX) + "(\\d+) [^\\n]*");

    private final SparkSession spark;
    private final boolean owned;
    private final int partitions;

    /** An engine on an existing session (not stopped by {@link #close()}); {@code partitions} 0: chosen. */
    public SparkEngine(SparkSession spark, int partitions) {
        this(spark, false, partitions);
    }

    private SparkEngine(SparkSession spark, boolean owned, int partitions) {
        this.spark = spark;
        this.owned = owned;
        this.partitions = partitions;
    }

    /**
     * Joins the session {@code spark-submit} started, or starts one on {@code options.master()}
     * ({@code local[*]} when neither says). A {@code spark://} master is checked first, so an
     * unreachable one is a one-line error, not a minute of retries.
     *
     * @throws IllegalArgumentException when the master cannot be reached
     */
    public static SparkEngine open(EngineOptions options) {
        String master = options.master();
        if (master != null && master.startsWith("spark://")) {
            checkReachable(master);
        }
        boolean existing = SparkSession.getDefaultSession().isDefined() || SparkSession.getActiveSession().isDefined();
        SparkConf conf = new SparkConf();
        SparkSession.Builder b = SparkSession.builder().appName("fena");
        if (master != null) {
            b.master(master);
        } else if (!conf.contains("spark.master")) {
            b.master("local[*]");
        }
        if (!conf.contains("spark.ui.enabled") && (master == null || master.startsWith("local"))) {
            b.config("spark.ui.enabled", "false"); // a one-machine run needs no web UI on a port
        }
        SparkSession s;
        try {
            s = b.getOrCreate();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("--master: Spark could not start on " + (master == null ? "the default master"
                    : master) + ": " + firstLine(e), e);
        }
        if (!existing) {
            s.sparkContext().setLogLevel("WARN");
        }
        return new SparkEngine(s, !existing, options.partitions());
    }

    /** Connects to every {@code host:port} of a {@code spark://} URL; fails when none answers. */
    static void checkReachable(String master) {
        String hosts = master.substring("spark://".length());
        String last = "";
        for (String hp : hosts.split(",")) {
            int colon = hp.lastIndexOf(':');
            String host = colon < 0 ? hp : hp.substring(0, colon);
            int port;
            try {
                port = colon < 0 ? 7077 : Integer.parseInt(hp.substring(colon + 1).replace("/", ""));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--master: expected spark://HOST:PORT, got " + master);
            }
            try (Socket sock = new Socket()) {
                sock.connect(new InetSocketAddress(host, port), 3000);
                return;
            } catch (IOException e) {
                last = e.getMessage() == null ? e.toString() : e.getMessage();
            }
        }
        throw new IllegalArgumentException("--master: cannot reach the Spark master at " + master + " (" + last
                + "); is it running, and is the address right?");
    }

    @Override
    public String name() {
        return "spark";
    }

    @Override
    public String master() {
        return spark.sparkContext().master();
    }

    /** The session this engine runs on. */
    public SparkSession session() {
        return spark;
    }

    /** How many partitions a job of {@code tasks} tasks is cut into. */
    int partitionsFor(int tasks) {
        int p = partitions > 0 ? partitions : 4 * Math.max(1, spark.sparkContext().defaultParallelism());
        return Math.max(1, Math.min(p, tasks));
    }

    @Override
    public JobResult run(Job job, ProgressListener progress) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        int n = job.tasks();
        int parts = partitionsFor(n);
        List<Integer> indices = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            indices.add(i);
        }
        String group = "fena-" + UUID.randomUUID();
        Progress listener = new Progress(group, n, parts, progress);
        spark.sparkContext().addSparkListener(listener);
        Broadcast<TaskFunction> fn = jsc.broadcast(job.function());
        int width = job.columns().size();
        long seed = job.seed();
        long start = System.nanoTime();
        List<TaskRow> collected;
        try {
            jsc.setJobGroup(group, job.name(), true);
            JavaRDD<Integer> rdd = jsc.parallelize(indices, parts);
            collected = rdd.mapPartitions(it -> {
                TaskFunction f = fn.value();
                List<TaskRow> out = new ArrayList<>();
                while (it.hasNext()) {
                    int i = it.next();
                    long t0 = System.nanoTime();
                    double[] row = Job.runTask(f, width, seed, i);
                    out.add(new TaskRow(i, row, (System.nanoTime() - t0) * 1e-9));
                }
                return out.iterator();
            }).collect();
        } catch (Exception e) { // Spark's Java API throws its checked SparkException undeclared
            throw failure(e);
        } finally {
            jsc.clearJobGroup();
            spark.sparkContext().removeSparkListener(listener);
            fn.destroy();
        }
        double wall = (System.nanoTime() - start) * 1e-9;
        double[][] rows = new double[n][];
        double[] secs = new double[n];
        for (TaskRow r : collected) {
            if (rows[r.index] != null && !java.util.Arrays.equals(rows[r.index], r.row)) {
                throw new IllegalStateException("task " + r.index + " came back twice with different rows");
            }
            rows[r.index] = r.row;
            secs[r.index] = r.seconds;
        }
        for (int i = 0; i < n; i++) {
            if (rows[i] == null) {
                throw new IllegalStateException("task " + i + " is missing from Spark's result");
            }
        }
        progress.update(n, n);
        return new JobResult(rows, secs, name(), master(), parts, wall);
    }

    /** A task failure from Spark's report: the task's own message when it is in there. */
    static RuntimeException failure(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TaskFailedException tf) {
                return tf;
            }
            Matcher m = TASK.matcher(String.valueOf(t.getMessage()));
            if (m.find()) {
                return new TaskFailedException(Integer.parseInt(m.group(1)), m.group().strip());
            }
        }
        return e instanceof RuntimeException re ? re : new IllegalStateException("the Spark job failed: " + firstLine(e), e);
    }

    @Override
    public List<String> writeExtra(Job job, JobResult result, Path dir, String name) throws IOException {
        List<StructField> fields = new ArrayList<>();
        fields.add(DataTypes.createStructField("task", DataTypes.IntegerType, false));
        for (String c : job.columns()) {
            fields.add(DataTypes.createStructField(c, DataTypes.DoubleType, false));
        }
        StructType schema = DataTypes.createStructType(fields);
        List<Row> rows = new ArrayList<>(result.rows().length);
        for (int i = 0; i < result.rows().length; i++) {
            Object[] v = new Object[fields.size()];
            v[0] = i;
            double[] r = result.rows()[i];
            for (int k = 0; k < r.length; k++) {
                v[k + 1] = r[k];
            }
            rows.add(RowFactory.create(v));
        }
        URI target = dir.resolve(name + ".parquet").toAbsolutePath().toUri();
        // one file, rows in task order: the table is small next to the work that made it
        spark.createDataFrame(rows, schema).coalesce(1).write().mode(SaveMode.ErrorIfExists).parquet(target.toString());
        return List.of(name + ".parquet");
    }

    @Override
    public void close() {
        if (owned) {
            spark.stop();
        }
    }

    private static String firstLine(Throwable e) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    /** One task's row as it travels back to the driver. */
    static final class TaskRow implements Serializable {
        private static final long serialVersionUID = 1L;
        final int index;
        final double[] row;
        final double seconds;

        TaskRow(int index, double[] row, double seconds) {
            this.index = index;
            this.row = row;
            this.seconds = seconds;
        }
    }

    /**
     * Counts finished tasks from Spark's task-end events of this job (each partition once, however
     * often it was retried or speculated): partition {@code p} of {@code parts} holds the indices
     * {@code [p n / parts, (p+1) n / parts)}, as {@code parallelize} cuts them.
     */
    private static final class Progress extends SparkListener {
        private final String group;
        private final int n;
        private final int parts;
        private final ProgressListener out;
        private final Set<Integer> stages = ConcurrentHashMap.newKeySet();
        private final Set<Integer> finished = ConcurrentHashMap.newKeySet();
        private final AtomicLong done = new AtomicLong();

        Progress(String group, int n, int parts, ProgressListener out) {
            this.group = group;
            this.n = n;
            this.parts = parts;
            this.out = out;
        }

        @Override
        public void onJobStart(SparkListenerJobStart e) {
            if (e.properties() != null && group.equals(e.properties().getProperty("spark.jobGroup.id"))) {
                scala.collection.Iterator<Object> it = e.stageIds().iterator();
                while (it.hasNext()) {
                    stages.add((Integer) it.next());
                }
            }
        }

        @Override
        public void onTaskEnd(SparkListenerTaskEnd e) {
            if (!stages.contains(e.stageId()) || !e.taskInfo().successful()) {
                return;
            }
            int p = e.taskInfo().index();
            if (finished.add(p)) {
                long size = (long) (p + 1) * n / parts - (long) p * n / parts;
                out.update(done.addAndGet(size), n);
            }
        }
    }
}
