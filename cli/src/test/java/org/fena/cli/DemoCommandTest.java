package org.fena.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fena demo} on a reduced setting (one epoch of the quick demo): every promised file is there
 * and non-empty, every link of {@code report.html} resolves, {@code fena plot} and {@code fena report}
 * rebuild figures and page from the folder, and the page loads in a real headless Chromium with no
 * script error and every image drawn (skipped, with a message, where Chromium is not installed).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DemoCommandTest {

    /** Static so JUnit creates it before the demo runs once for the whole class. */
    @TempDir
    static Path tmp;

    Path demo;
    String demoOut;

    private record Result(int status, String out, String err) {
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(status, out.toString(), err.toString());
    }

    @BeforeAll
    void runQuickDemo() {
        demo = tmp.resolve("demo");
        Result r = run("demo", "--quick", "--epochs", "1", "--data", Path.of("..", "data").toString(), "--out", demo.toString());
        assertEquals(0, r.status, r.err);
        demoOut = r.out;
    }

    /** Every file README and the issue promise: figures as PNG and SVG, the data behind them, the page. */
    static final String[] PROMISED = {
        "report.html", "demo.json", "manifest.json",
        "configs/train.yaml", "configs/stability.yaml", "configs/phase.yaml", "configs/anneal.yaml",
        "train/epochs.csv", "train/summary.json", "train/model.fena", "train/manifest.json", "train/config.yaml",
        "train/learning_accuracy.png", "train/learning_accuracy.svg", "train/learning_energy.png", "train/learning_energy.svg",
        "stability/stability.json", "stability/spectrum.csv", "stability/layers.csv", "stability/trace.csv",
        "stability/errors.csv", "stability/energy.png", "stability/energy.svg", "stability/energy_log.png",
        "stability/energy_log.svg", "stability/errors.png", "stability/errors.svg", "stability/spectrum.png",
        "stability/spectrum.svg", "stability/time_constants.png", "stability/time_constants.svg",
        "phase/phase.json", "phase/field.csv", "phase/nullclines.csv", "phase/trajectories.csv", "phase/phase.png",
        "phase/phase.svg", "phase/pca.png", "phase/pca.svg", "anneal/summary.json", "anneal/trace.csv", "anneal/anneal_energy.png",
        "anneal/anneal_energy.svg", "anneal/schedule.png", "anneal/schedule.svg"};

    @Test
    void quickDemoWritesEveryPromisedFileNonEmpty() throws IOException {
        for (String f : PROMISED) {
            Path p = demo.resolve(f);
            assertTrue(Files.isRegularFile(p), f + " missing");
            assertTrue(Files.size(p) > 0, f + " is empty");
        }
        JsonNode d = new ObjectMapper().readTree(demo.resolve("demo.json").toFile());
        boolean sleep = new picocli.CommandLine(new Main()).getSubcommands().containsKey("sleep");
        assertEquals(sleep ? 5 : 4, d.get("phases").size(), "train, stability, phase portrait, annealing (, sleep)");
        if (sleep) {
            for (String f : new String[] {"configs/sleep.yaml", "sleep/summary.json", "sleep/model.fena",
                "sleep/sleep_energy.png", "sleep/sleep_energy.svg"}) {
                assertTrue(Files.isRegularFile(demo.resolve(f)) && Files.size(demo.resolve(f)) > 0, f + " missing or empty");
            }
            assertTrue(Files.readString(demo.resolve("report.html")).contains("Sleep and retention"));
        }
        // the analyses look at the network the demo trained: 128 hidden + 10 label units free, image clamped
        JsonNode st = new ObjectMapper().readTree(demo.resolve("stability/stability.json").toFile());
        assertEquals(138, st.get("free_units").asInt());
        assertTrue(Files.readString(demo.resolve("configs/anneal.yaml")).contains("model: ../train/model.fena"));
        JsonNode s = new ObjectMapper().readTree(demo.resolve("train/summary.json").toFile());
        assertEquals("continuous", s.get("regime").asText());
        assertTrue(s.get("test_accuracy").asDouble() > 0.2, "one quick epoch already beats chance (0.1)");
        assertTrue(s.has("backprop_test_accuracy"));
        assertTrue(demoOut.contains("report.html"), demoOut);
    }

    @Test
    void everyLinkInTheReportResolvesToANonEmptyFile() throws IOException {
        String html = Files.readString(demo.resolve("report.html"));
        List<String> links = links(html);
        assertTrue(links.size() > 30, "links: " + links);
        int images = 0;
        for (String l : links) {
            if (l.startsWith("#")) {
                assertTrue(html.contains("id=\"" + l.substring(1) + "\""), "dangling anchor " + l);
                continue;
            }
            assertFalse(l.contains("://") || l.startsWith("/"), "the page must be relocatable: " + l);
            Path p = demo.resolve(l.replace("%20", " "));
            assertTrue(Files.isRegularFile(p) && Files.size(p) > 0, "broken link " + l);
            images += l.endsWith(".png") ? 1 : 0;
        }
        assertTrue(images >= 10, "figures on the page: " + images);
        for (String section : new String[] {"What was run", "Learning on MNIST", "backprop reference", "spectrum",
            "Phase portrait", "Annealing", "Run manifest"}) {
            assertTrue(html.contains(section), "the page lacks " + section);
        }
    }

    @Test
    void plotRedrawsDeletedFiguresFromTheData() throws IOException {
        Path spectrum = demo.resolve("stability/spectrum.png");
        Path curve = demo.resolve("train/learning_accuracy.svg");
        Files.delete(spectrum);
        Files.delete(curve);
        Result r = run("plot", demo.toString());
        assertEquals(0, r.status, r.err);
        assertTrue(Files.size(spectrum) > 0 && Files.size(curve) > 0);
    }

    @Test
    void reportRebuildsThePageFromTheFolder() throws IOException {
        Path copy = tmp.resolve("stab-only");
        Files.createDirectories(copy);
        try (var s = Files.list(demo.resolve("stability"))) {
            for (Path f : s.toList()) {
                Files.copy(f, copy.resolve(f.getFileName()));
            }
        }
        Result r = run("report", copy.toString());
        assertEquals(0, r.status, r.err);
        String html = Files.readString(copy.resolve("report.html"));
        assertTrue(html.contains("src=\"spectrum.png\""), "a single run's page links its own figures");
        for (String l : links(html)) {
            assertTrue(l.startsWith("#") || Files.isRegularFile(copy.resolve(l)), "broken link " + l);
        }
    }

    @Test
    void plotAndReportRefuseAFolderWithoutARunWithStatus2() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        for (String cmd : new String[] {"plot", "report"}) {
            Result r = run(cmd, empty.toString());
            assertEquals(2, r.status, r.err);
            assertEquals(1, r.err.strip().lines().count(), r.err);
            assertTrue(r.err.startsWith("fena: error:"), r.err);
        }
    }

    @Test
    void reportLoadsInHeadlessChromiumWithNoErrorAndEveryImage() throws Exception {
        String chromium = findChromium();
        if (chromium == null && "1".equals(System.getenv("FENA_REQUIRE_CHROMIUM"))) {
            throw new AssertionError("FENA_REQUIRE_CHROMIUM=1 (as in .ci/run) but there is no chromium on PATH");
        }
        Assumptions.assumeTrue(chromium != null,
                "skipped: no chromium on PATH (apt-get install chromium); .ci/run installs it so CI runs this check");
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            Path f = demo.resolve(ex.getRequestURI().getPath().substring(1).replace("%20", " ")).normalize();
            if (!f.startsWith(demo) || !Files.isRegularFile(f)) {
                ex.sendResponseHeaders(404, -1);
                ex.close();
                return;
            }
            String name = f.getFileName().toString();
            ex.getResponseHeaders().add("Content-Type", name.endsWith(".html") ? "text/html; charset=utf-8"
                    : name.endsWith(".png") ? "image/png" : name.endsWith(".svg") ? "image/svg+xml"
                    : name.endsWith(".json") ? "application/json" : "text/plain; charset=utf-8");
            byte[] body = Files.readAllBytes(f);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/report.html";
            Path profile = Files.createDirectories(tmp.resolve("chromium-profile"));
            String[] dom = chromium(chromium, profile, "--virtual-time-budget=15000", "--dump-dom", url);
            Matcher body = Pattern.compile("<body([^>]*)>").matcher(dom[0]);
            assertTrue(body.find(), "no body in the DOM: " + dom[0] + dom[1]);
            String attrs = body.group(1);
            assertTrue(attrs.contains("data-checked=\"yes\""), "the page's load handler did not run: " + attrs + "\n" + dom[1]);
            assertTrue(attrs.contains("data-errors=\"\""), "script errors: " + attrs);
            Matcher total = Pattern.compile("data-images-total=\"(\\d+)\"").matcher(attrs);
            Matcher loaded = Pattern.compile("data-images-loaded=\"(\\d+)\"").matcher(attrs);
            assertTrue(total.find() && loaded.find(), attrs);
            assertTrue(Integer.parseInt(total.group(1)) >= 10, attrs);
            assertEquals(total.group(1), loaded.group(1), "images that did not load: " + attrs);
            for (String line : dom[1].lines().toList()) {
                assertFalse(line.contains(":CONSOLE("), "console message: " + line);
            }
            Path shot = Path.of("target", "report-screenshot.png").toAbsolutePath();
            Files.createDirectories(shot.getParent());
            Files.deleteIfExists(shot);
            chromium(chromium, Files.createDirectories(tmp.resolve("chromium-profile-2")), "--window-size=1280,4000",
                    "--hide-scrollbars", "--screenshot=" + shot, url);
            assertTrue(Files.isRegularFile(shot) && Files.size(shot) > 50_000, "screenshot " + shot);
        } finally {
            server.stop(0);
        }
    }

    /** Runs Chromium headless on loopback with a fresh profile; returns stdout and stderr. */
    private static String[] chromium(String exe, Path profile, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(exe, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--no-first-run",
                "--disable-dev-shm-usage", "--enable-logging=stderr", "--v=0", "--user-data-dir=" + profile));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(profile, "out", ".txt");
        Path err = Files.createTempFile(profile, "err", ".txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish in 120 s: " + Files.readString(err));
        }
        return new String[] {Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8)};
    }

    static String findChromium() {
        for (String name : new String[] {"chromium", "chromium-browser", "google-chrome"}) {
            for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
                if (Files.isExecutable(Path.of(dir, name))) {
                    return Path.of(dir, name).toString();
                }
            }
        }
        return null;
    }

    static List<String> links(String html) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("(?:href|src)=\"([^\"]+)\"").matcher(html);
        while (m.find()) {
            out.add(m.group(1).replace("&amp;", "&"));
        }
        return out;
    }
}
