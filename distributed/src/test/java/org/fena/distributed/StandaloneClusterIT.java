package org.fena.distributed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Spark standalone cluster on 127.0.0.1: a Master and two Workers as separate JVMs from the
 * Maven-resolved Spark jars (a {@code SPARK_HOME} whose {@code jars/} links them), the application
 * shipped as {@code fena-distributed.jar}. A 2-D sweep is submitted, one Worker and its executor are
 * killed mid-job, and the job must still complete with exactly the local engine's rows: no row lost,
 * none duplicated, not a bit changed.
 */
class StandaloneClusterIT {

    private static final Pattern PROGRESS = Pattern.compile(": (\\d+)/(\\d+) tasks");

    private final List<Process> started = new ArrayList<>();

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void aSweepSurvivesALostWorkerAndEqualsTheLocalEngine(@TempDir Path dir) throws Exception {
        Path jar = Path.of(System.getProperty("fena.distributed.jar", "target/fena-distributed.jar")).toAbsolutePath();
        assertTrue(Files.isRegularFile(jar), "the spark-submit jar is built by package: " + jar);
        Path config = dir.resolve("sweep.yaml");
        Files.writeString(config, Files.readString(SharedSpark.examples().resolve("sweep-2d.yaml"))
                .replace("points: 24}", "points: 30}").replace("points: 24, log: true", "points: 30, log: true"));
        SharedSpark.Result local = SharedSpark.fena("sweep", "--config", config.toString(), "--out",
                dir.resolve("local").toString(), "--engine", "local", "--threads", "1");
        assertEquals(0, local.status(), local.err());

        Path home = sparkHome(dir.resolve("spark-home"));
        int masterPort = freePort();
        int masterUi = freePort();
        try {
            Process master = launch(home, dir.resolve("master.log"), "org.apache.spark.deploy.master.Master",
                    "--host", "127.0.0.1", "--port", String.valueOf(masterPort), "--webui-port", String.valueOf(masterUi));
            waitForPort(masterPort, master, dir.resolve("master.log"));
            // the web UI binds after the RPC port: wait for it too, or a worker's OS-chosen port can
            // take it first (the master then moves its UI and the JSON below is asked of the wrong port)
            waitForPort(masterUi, master, dir.resolve("master.log"));
            String url = "spark://127.0.0.1:" + masterPort;
            List<Process> workers = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                workers.add(launch(home, dir.resolve("worker" + w + ".log"), "org.apache.spark.deploy.worker.Worker",
                        "--host", "127.0.0.1", "--cores", "1", "--memory", "700m", "--webui-port", String.valueOf(freePort()),
                        "--work-dir", dir.resolve("work" + w).toString(), url));
            }
            waitForWorkers(masterUi, 2, dir.resolve("master.log"));

            System.setProperty("spark.jars", jar.toString());
            System.setProperty("spark.driver.host", "127.0.0.1");
            System.setProperty("spark.driver.bindAddress", "127.0.0.1");
            System.setProperty("spark.ui.enabled", "false");
            System.setProperty("spark.executor.memory", "512m");
            System.setProperty("spark.executor.cores", "1");
            System.setProperty("spark.cores.max", "2");
            System.setProperty("spark.task.maxFailures", "4");
            System.setProperty("spark.executor.extraJavaOptions", "--add-modules jdk.incubator.vector");
            AtomicInteger killedAt = new AtomicInteger(-1);
            Writer watch = new StringWriter() {
                @Override
                public void write(String s, int off, int len) {
                    super.write(s, off, len);
                    Matcher m = PROGRESS.matcher(s.substring(off, off + len));
                    if (m.find() && killedAt.get() < 0) {
                        int done = Integer.parseInt(m.group(1));
                        if (done > 0 && done < Integer.parseInt(m.group(2)) / 2) {
                            killedAt.set(done);
                            kill(workers.get(0)); // the worker and the executor it launched: a lost node
                        }
                    }
                }
            };
            StringWriter out = new StringWriter();
            int status = org.fena.cli.Main.run(new PrintWriter(out, true), new PrintWriter(watch, true), "sweep",
                    "--config", config.toString(), "--out", dir.resolve("cluster").toString(), "--engine", "spark",
                    "--master", url, "--partitions", "30");
            assertEquals(0, status, watch.toString());
            assertTrue(killedAt.get() > 0, "a worker was killed mid-job: " + watch);
            assertTrue(!workers.get(0).isAlive(), "the killed worker stayed dead");
            assertArrayEquals(Files.readAllBytes(dir.resolve("local/sweep.csv")),
                    Files.readAllBytes(dir.resolve("cluster/sweep.csv")), "the cluster's rows are the local engine's");
            assertArrayEquals(Files.readAllBytes(dir.resolve("local/eigenvalues.csv")),
                    Files.readAllBytes(dir.resolve("cluster/eigenvalues.csv")));
            var manifest = new ObjectMapper().readTree(dir.resolve("cluster/manifest.json").toFile());
            assertEquals(url, manifest.get("master").asText());
            assertEquals(30, manifest.get("partitions").asInt());
            // the bench's figure for the 2-worker cluster (bench/jobs.sh covers the one-machine engines)
            System.out.printf(java.util.Locale.ROOT, "standalone cluster, 2 workers x 1 core, one killed at %d tasks: %d tasks"
                    + " in %.2f s, %.1f tasks/s, task compute %.2f ms each%n", killedAt.get(), manifest.get("tasks").asInt(),
                    manifest.get("wall_seconds").asDouble(), manifest.get("tasks_per_second").asDouble(),
                    1e3 * manifest.get("task_seconds_total").asDouble() / manifest.get("tasks").asInt());
        } finally {
            SparkSession.getDefaultSession().foreach(s -> {
                s.stop();
                return null;
            });
            for (Process p : started) {
                kill(p);
            }
        }
    }

    /** A SPARK_HOME whose jars/ links the Spark jars of this test's class path (what a Worker launches executors from). */
    private static Path sparkHome(Path home) throws IOException {
        Path jars = Files.createDirectories(home.resolve("jars"));
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(e);
            String s = p.toString();
            // our own jars stay out: executors must get FENA from the shipped application jar only
            if (s.endsWith(".jar") && !p.getFileName().toString().startsWith("fena-") && !s.contains("/org/fena/") && !s.contains("junit") && !s.contains("jqwik")
                    && !s.contains("opentest4j") && !s.contains("apiguardian") && Files.isRegularFile(p)) {
                Path link = jars.resolve(p.getFileName());
                if (!Files.exists(link)) {
                    Files.createSymbolicLink(link, p);
                }
            }
        }
        return home;
    }

    private Process launch(Path home, Path log, String main, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx256m");
        cmd.add("-cp");
        cmd.add(home.resolve("jars").toString() + File.separator + "*");
        cmd.addAll(List.of(System.getProperty("fena.spark.opens", "").split(" ")).stream().filter(x -> !x.isBlank()).toList());
        cmd.add(main);
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("SPARK_HOME", home.toString());
        pb.environment().put("SPARK_SCALA_VERSION", "2.13"); // SPARK_HOME is not a distribution
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        pb.environment().put("SPARK_LOCAL_HOSTNAME", "127.0.0.1");
        Process p = pb.start();
        started.add(p);
        return p;
    }

    private static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
            p.waitFor(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    private static void waitForPort(int port, Process owner, Path log) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < end) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException e) {
                if (!owner.isAlive()) {
                    throw new IllegalStateException("the Spark master died: " + Files.readString(log));
                }
                Thread.sleep(300);
            }
        }
        throw new IllegalStateException("the Spark master did not open port " + port + ": " + Files.readString(log));
    }

    private static void waitForWorkers(int uiPort, int n, Path masterLog) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        String last = "";
        while (System.nanoTime() < end) {
            try {
                last = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + uiPort + "/json/")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                if (new ObjectMapper().readTree(last).path("aliveworkers").asInt() >= n) {
                    return;
                }
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException(n + " workers did not register: " + last + "\nmaster log:\n"
                + (Files.exists(masterLog) ? Files.readString(masterLog) : "(none)"));
    }
}
