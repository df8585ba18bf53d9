package org.fena.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

import org.fena.plots.Figures;

/**
 * Builds {@code report.html}: one self-contained page (no network, no scripts from elsewhere) that
 * reads top to bottom — what was run, learning, energy and settling, the per-layer error heat map,
 * the spectrum over the integrator's stability region, the phase portrait, annealing, sleep when a
 * sleep phase ran, and the run manifest — from whatever run directories the folder holds. Every
 * link is relative, so the folder can be moved or zipped. A small inline script records load
 * errors and images that failed to load on {@code <body>}, which the headless-browser check reads.
 */
final class ReportPage {

    /** Order in which run kinds appear on the page: the story a reader follows. */
    private static final List<String> ORDER = List.of("train", "settle", "stability", "phase", "anneal", "sleep", "sweep");

    /** Captions of the figures the commands write, keyed by file name without extension. */
    private static final Map<String, String> CAPTIONS = new LinkedHashMap<>();

    static {
        CAPTIONS.put("learning_accuracy", "Held-out accuracy per epoch: predictive coding (local Hebbian learning,"
                + " continuous-time settling) against the same-shape backprop MLP started from the same weights.");
        CAPTIONS.put("learning_energy", "Settled energy of each layer per epoch (log scale): which layer holds the"
                + " prediction error as learning proceeds.");
        CAPTIONS.put("generated", "Digits generated top-down by the trained hierarchy.");
        CAPTIONS.put("energy", "Energy during settling: the total and each layer's term 1/2 eps_l' Pi_l eps_l.");
        CAPTIONS.put("energy_log", "The same on a log scale: a straight tail is the slowest mode's exponential rate.");
        CAPTIONS.put("errors", "Per-layer heat map of the prediction errors eps_l over time, one row per unit.");
        CAPTIONS.put("spectrum", "Eigenvalues of the linearised flow at the fixed point over the integrator's"
                + " stability region scaled by 1/h: a step is stable when every eigenvalue lies inside.");
        CAPTIONS.put("time_constants", "Time constants 1/|Re lambda| of the modes and the layer each lives in.");
        CAPTIONS.put("phase", "Phase portrait: direction field, nullclines, trajectories and fixed points.");
        CAPTIONS.put("pca", "The relaxation in the plane of its first two principal components.");
        CAPTIONS.put("anneal_energy", "Annealed (Langevin) settling: energy with the temperature T(t) on the second axis.");
        CAPTIONS.put("schedule", "The temperature schedule.");
        CAPTIONS.put("sleep_energy", "Sleep: energy of the replayed and dreamed samples during offline consolidation.");
        CAPTIONS.put("dreams", "Dreams: digits generated from causes drawn from the buffer's class statistics under annealed noise.");
        CAPTIONS.put("bifurcation_eigenvalues", "Leading eigenvalues along the parameter sweep.");
        CAPTIONS.put("bifurcation_states", "Fixed-point norms along the parameter sweep.");
    }

    private static final Map<String, String> TITLES = Map.of(
            "train", "Learning on MNIST", "settle", "Settling", "stability", "Energy, settling and stability",
            "phase", "Phase portrait", "anneal", "Annealing", "sleep", "Sleep and retention", "sweep", "Parameter sweep");

    private ReportPage() {
    }

    /** Writes {@code dir/report.html}; returns its path. Refuses a directory without any run. */
    static Path write(Path dir) throws IOException {
        List<Path> parts = new ArrayList<>(RunFigures.parts(dir));
        if (parts.isEmpty()) {
            throw new UserError(dir + ": no run found here (expected the output directory of a fena command,"
                    + " or of fena demo)");
        }
        parts.sort(Comparator.comparingInt((Path p) -> rank(RunFigures.kind(p))).thenComparing(Path::toString));
        StringBuilder b = new StringBuilder(32_000);
        String title = "FENA report: " + RunFigures.name(dir);
        b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(esc(title)).append("</title>\n<style>\n")
                .append("body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:1020px;margin:2em auto;"
                        + "padding:0 1em;color:#222;line-height:1.5}\n")
                .append("h1{border-bottom:2px solid #0072B2}h2{margin-top:2em;border-bottom:1px solid #ccc}\n")
                .append("figure{margin:1.5em 0}figure img{max-width:100%;border:1px solid #ddd}\n")
                .append("figcaption{font-size:.92em;color:#444}table{border-collapse:collapse;margin:1em 0}\n")
                .append("td,th{border:1px solid #ccc;padding:.3em .7em;text-align:left}th{background:#f3f3f3}\n")
                .append("pre{background:#f6f6f6;padding:1em;overflow-x:auto;font-size:.85em}nav a{margin-right:1em}\n")
                .append("</style>\n</head>\n<body>\n<h1>").append(esc(title)).append("</h1>\n");
        b.append("<nav>");
        for (Path p : parts) {
            b.append("<a href=\"#").append(anchor(dir, p)).append("\">").append(esc(TITLES.getOrDefault(RunFigures.kind(p), "Run")))
                    .append("</a>");
        }
        b.append("<a href=\"#manifest\">Manifest</a></nav>\n");
        whatWasRun(b, dir, parts);
        for (Path p : parts) {
            section(b, dir, p);
        }
        b.append("<h2 id=\"manifest\">Run manifest</h2>\n");
        Path manifest = Files.exists(dir.resolve("manifest.json")) ? dir.resolve("manifest.json")
                : parts.get(0).resolve("manifest.json");
        if (Files.exists(manifest)) {
            b.append("<p>From <a href=\"").append(rel(dir, manifest)).append("\">").append(esc(rel(dir, manifest)))
                    .append("</a>: versions, machine, BLAS backend, seeds and SHA-256 of every input.</p>\n<pre>")
                    .append(esc(Files.readString(manifest, StandardCharsets.UTF_8))).append("</pre>\n");
        }
        b.append("<p>Rebuild this page with <code>fena report ").append(esc(dir.getFileName().toString()))
                .append("</code>; re-render its figures with <code>fena plot ").append(esc(dir.getFileName().toString()))
                .append("</code>.</p>\n");
        // records script errors and broken images where a headless browser can read them back
        b.append("<script>\n(function(){var errs=[];window.addEventListener('error',function(e){errs.push(String(e.message||"
                + "(e.target&&e.target.src)||'error'));document.body.setAttribute('data-errors',errs.join(' | '));},true);\n"
                + "window.addEventListener('load',function(){var im=document.images,ok=0,bad=[];for(var i=0;i<im.length;i++)"
                + "{if(im[i].complete&&im[i].naturalWidth>0){ok++;}else{bad.push(im[i].getAttribute('src'));}}\n"
                + "document.body.setAttribute('data-images-total',String(im.length));"
                + "document.body.setAttribute('data-images-loaded',String(ok));"
                + "document.body.setAttribute('data-images-broken',bad.join(' '));"
                + "document.body.setAttribute('data-errors',errs.join(' | '));"
                + "document.body.setAttribute('data-checked','yes');});})();\n</script>\n");
        b.append("</body>\n</html>\n");
        Path out = dir.resolve("report.html");
        String html = b.toString();
        Figures.writeAtomically(out, o -> o.write(html.getBytes(StandardCharsets.UTF_8)));
        return out;
    }

    private static void whatWasRun(StringBuilder b, Path dir, List<Path> parts) throws IOException {
        b.append("<h2 id=\"what\">What was run</h2>\n");
        Path demo = dir.resolve("demo.json");
        if (Files.exists(demo)) {
            JsonNode d = AnalysisRun.json().readTree(demo.toFile());
            b.append("<p>").append(esc(d.path("description").asText(""))).append("</p>\n<table><tr><th>phase</th>"
                    + "<th>command</th><th>seconds</th></tr>\n");
            for (JsonNode ph : d.path("phases")) {
                b.append("<tr><td>").append(esc(ph.path("phase").asText())).append("</td><td><code>")
                        .append(esc(ph.path("command").asText())).append("</code></td><td>")
                        .append(String.format(Locale.ROOT, "%.1f", ph.path("seconds").asDouble())).append("</td></tr>\n");
            }
            b.append("</table>\n<p>Total wall time ").append(String.format(Locale.ROOT, "%.1f",
                    d.path("wall_seconds").asDouble())).append(" s. Settings: <a href=\"demo.json\">demo.json</a>;"
                    + " every phase's configuration is in its folder's <code>config.yaml</code>.</p>\n");
        } else {
            b.append("<ul>\n");
            for (Path p : parts) {
                b.append("<li><code>").append(esc(RunFigures.kind(p))).append("</code> run <b>")
                        .append(esc(RunFigures.name(p))).append("</b> in <code>").append(esc(rel(dir, p).isEmpty() ? "."
                        : rel(dir, p))).append("</code></li>\n");
            }
            b.append("</ul>\n");
        }
    }

    private static void section(StringBuilder b, Path dir, Path p) throws IOException {
        String kind = RunFigures.kind(p);
        b.append("<h2 id=\"").append(anchor(dir, p)).append("\">").append(esc(TITLES.getOrDefault(kind, "Run")))
                .append(": ").append(esc(RunFigures.name(p))).append("</h2>\n");
        switch (kind) {
            case "train" -> trainTable(b, p);
            case "stability" -> stabilityTable(b, p);
            case "anneal" -> annealTable(b, p);
            default -> jsonTable(b, p, kind.equals("phase") ? "phase.json" : kind.equals("sweep") ? "sweep.json"
                    : "summary.json");
        }
        for (Path png : figures(p)) {
            String base = png.getFileName().toString().replaceFirst("\\.png$", "");
            Path svg = p.resolve(base + ".svg");
            b.append("<figure><img src=\"").append(rel(dir, png)).append("\" alt=\"").append(esc(base))
                    .append("\" loading=\"eager\"><figcaption><b>").append(esc(base)).append(".</b> ")
                    .append(esc(CAPTIONS.getOrDefault(base, "")));
            if (Files.exists(svg)) {
                b.append(" <a href=\"").append(rel(dir, svg)).append("\">SVG</a>");
            }
            b.append("</figcaption></figure>\n");
        }
        List<Path> data;
        try (Stream<Path> s = Files.list(p)) {
            data = s.filter(f -> f.toString().endsWith(".csv") || f.toString().endsWith(".json")).sorted().toList();
        }
        if (!data.isEmpty()) {
            b.append("<p>Data behind the figures:");
            for (Path f : data) {
                b.append(" <a href=\"").append(rel(dir, f)).append("\">").append(esc(f.getFileName().toString())).append("</a>");
            }
            b.append("</p>\n");
        }
    }

    /** PNG figures of a run, the captioned ones first in story order. */
    private static List<Path> figures(Path p) throws IOException {
        List<String> order = new ArrayList<>(CAPTIONS.keySet());
        try (Stream<Path> s = Files.list(p)) {
            return s.filter(f -> f.toString().endsWith(".png")).sorted(Comparator.comparingInt((Path f) -> {
                int k = order.indexOf(f.getFileName().toString().replaceFirst("\\.png$", ""));
                return k < 0 ? order.size() : k;
            }).thenComparing(Path::toString)).toList();
        }
    }

    private static void trainTable(StringBuilder b, Path p) throws IOException {
        Path f = p.resolve("summary.json");
        if (!Files.exists(f)) {
            return;
        }
        JsonNode s = AnalysisRun.json().readTree(f.toFile());
        b.append("<p>").append(s.path("train_samples").asInt()).append(" training and ").append(s.path("test_samples").asInt())
                .append(" held-out digits, ").append(s.path("epochs").asInt()).append(" epoch(s), regime <code>")
                .append(esc(s.path("regime").asText())).append("</code>.</p>\n");
        b.append("<table><tr><th>model</th><th>held-out accuracy</th><th>training time [s]</th></tr>\n");
        if (s.has("test_accuracy")) {
            row(b, "predictive coding, untrained", s.path("untrained_test_accuracy"), null);
            row(b, "predictive coding, trained", s.path("test_accuracy"), s.path("pc_train_seconds"));
        }
        if (s.has("backprop_test_accuracy")) {
            row(b, "backprop reference (same shape, same start)", s.path("backprop_test_accuracy"),
                    s.path("backprop_train_seconds"));
        }
        b.append("</table>\n");
        // a fall of NaN (an energy of zero, e.g. a clamped layer) is written as null: not worth a sentence
        boolean anyFall = false;
        for (JsonNode v : s.path("test_energy_fall_per_layer")) {
            anyFall |= v.isNumber();
        }
        if (anyFall) {
            b.append("<p>Held-out settled energy fell per layer (untrained / trained, bottom first): ")
                    .append(esc(s.path("test_energy_fall_per_layer").toString())).append(".</p>\n");
        }
    }

    private static void row(StringBuilder b, String what, JsonNode acc, JsonNode seconds) {
        b.append("<tr><td>").append(esc(what)).append("</td><td>")
                .append(acc.isNumber() ? String.format(Locale.ROOT, "%.2f%%", 100 * acc.asDouble()) : "n/a")
                .append("</td><td>").append(seconds != null && seconds.isNumber()
                        ? String.format(Locale.ROOT, "%.1f", seconds.asDouble()) : "").append("</td></tr>\n");
    }

    private static void stabilityTable(StringBuilder b, Path p) throws IOException {
        JsonNode s = AnalysisRun.json().readTree(p.resolve("stability.json").toFile());
        b.append("<table>\n");
        kv(b, "fixed point", s.path("type").asText() + " (feedback " + s.path("feedback").asText() + ")");
        kv(b, "slowest / fastest time constant", s.path("slowest_time_constant").asText() + " / "
                + s.path("fastest_time_constant").asText());
        kv(b, "stiffness ratio", s.path("stiffness_ratio").asText());
        JsonNode in = s.path("integrator");
        kv(b, "integrator at its step", in.path("method").asText() + ", h = " + in.path("step").asText()
                + ": spectral radius " + in.path("spectral_radius").asText() + ", " + in.path("prediction").asText());
        kv(b, "largest stable step", in.path("largest_stable_step").asText());
        kv(b, "convergence rate predicted / measured", s.path("rate").path("predicted").asText() + " / "
                + s.path("rate").path("measured").asText());
        b.append("</table>\n");
    }

    private static void annealTable(StringBuilder b, Path p) throws IOException {
        jsonTable(b, p, "summary.json");
    }

    /** The scalar entries of a JSON summary as a two-column table. */
    private static void jsonTable(StringBuilder b, Path p, String file) throws IOException {
        Path f = p.resolve(file);
        if (!Files.exists(f)) {
            return;
        }
        JsonNode s = AnalysisRun.json().readTree(f.toFile());
        b.append("<table>\n");
        for (Iterator<Map.Entry<String, JsonNode>> it = s.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isValueNode()) {
                kv(b, e.getKey(), e.getValue().asText());
            }
        }
        b.append("</table>\n");
    }

    private static void kv(StringBuilder b, String k, String v) {
        b.append("<tr><th>").append(esc(k)).append("</th><td>").append(esc(v)).append("</td></tr>\n");
    }

    private static int rank(String kind) {
        int k = ORDER.indexOf(kind);
        return k < 0 ? ORDER.size() : k;
    }

    private static String anchor(Path dir, Path p) {
        String r = rel(dir, p);
        return r.isEmpty() ? "run" : r.replaceAll("[^A-Za-z0-9_-]", "-");
    }

    /** A relative URL from the page to {@code f}, with '/' separators and percent-escaped spaces. */
    static String rel(Path dir, Path f) {
        String r = dir.toAbsolutePath().normalize().relativize(f.toAbsolutePath().normalize()).toString()
                .replace('\\', '/');
        return esc(r.replace("%", "%25").replace(" ", "%20"));
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
