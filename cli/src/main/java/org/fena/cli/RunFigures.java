package org.fena.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

import org.fena.dynamics.stability.StabilityRegion;
import org.fena.plots.AnnealingFigures;
import org.fena.plots.BifurcationFigure;
import org.fena.plots.EnergyFigure;
import org.fena.plots.ErrorHeatmapFigure;
import org.fena.plots.Figures;
import org.fena.plots.LearningCurveFigure;
import org.fena.plots.PhasePortraitFigure;
import org.fena.plots.SpectrumFigure;
import org.fena.plots.Table;
import org.fena.plots.TimeConstantsFigure;

/**
 * Re-renders every figure that a run directory's CSV and JSON files determine, so figures can be
 * restyled or recovered without re-running anything. A run directory is recognised by the files
 * its command writes; a demo directory holds one such directory per phase, rendered in turn.
 */
final class RunFigures {

    private RunFigures() {
    }

    /** The run directories in {@code dir}: itself when it holds a run, and each immediate subdirectory that does. */
    static List<Path> parts(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        if (kind(dir) != null) {
            out.add(dir);
        }
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted().filter(p -> kind(p) != null).forEach(out::add);
        }
        return out;
    }

    /** What wrote {@code dir}: {@code train}, {@code stability}, {@code phase}, {@code sweep}, {@code anneal}, {@code settle}, {@code sleep}, or null. */
    static String kind(Path dir) {
        if (Files.exists(dir.resolve("epochs.csv"))) {
            return "train";
        }
        if (Files.exists(dir.resolve("stability.json"))) {
            return "stability";
        }
        if (Files.exists(dir.resolve("phase.json"))) {
            return "phase";
        }
        if (Files.exists(dir.resolve("sweep.json"))) {
            return "sweep";
        }
        if (Files.exists(dir.resolve("retention.csv")) || dir.getFileName().toString().equals("sleep")
                && Files.exists(dir.resolve("summary.json"))) {
            return "sleep";
        }
        Path trace = dir.resolve("trace.csv");
        if (Files.exists(trace)) {
            try {
                String head = Files.newBufferedReader(trace).readLine();
                return head != null && head.contains("temperature") ? "anneal" : "settle";
            } catch (IOException e) {
                return "settle";
            }
        }
        return null;
    }

    /** Re-renders the figures of every run in {@code dir}; returns the files written. */
    static List<Path> renderAll(Path dir) throws IOException {
        List<Path> written = new ArrayList<>();
        for (Path p : parts(dir)) {
            written.addAll(render(p));
        }
        return written;
    }

    /** Re-renders the figures of one run directory; returns the files written. */
    static List<Path> render(Path dir) throws IOException {
        String kind = kind(dir);
        List<Path> w = new ArrayList<>();
        if (kind == null) {
            return w;
        }
        String name = name(dir);
        switch (kind) {
            case "train" -> w.addAll(LearningCurveFigure.render(Table.read(dir.resolve("epochs.csv")), name, dir));
            case "stability" -> {
                JsonNode js = AnalysisRun.json().readTree(dir.resolve("stability.json").toFile());
                Table trace = Table.read(dir.resolve("trace.csv"));
                String title = name + " (sample " + js.path("sample").asInt() + ")";
                w.addAll(EnergyFigure.render(trace, false, title + ": energy", dir.resolve("energy")));
                w.addAll(EnergyFigure.render(trace, true, title + ": energy", dir.resolve("energy_log")));
                w.addAll(ErrorHeatmapFigure.render(Table.read(dir.resolve("errors.csv")), title + ": prediction errors",
                        dir.resolve("errors")));
                String method = js.path("integrator").path("method").asText("");
                StabilityRegion own = StabilityRegion.forIntegrator(method);
                double h = js.path("integrator").path("step").asDouble(Double.NaN);
                Table spectrum = Table.read(dir.resolve("spectrum.csv"));
                w.addAll(SpectrumFigure.render(spectrum, own == null ? null : own.method(), h,
                        title + ": spectrum, " + method + " region", dir.resolve("spectrum")));
                w.addAll(TimeConstantsFigure.render(spectrum, Table.read(dir.resolve("layers.csv")),
                        title + ": time constants", dir.resolve("time_constants")));
            }
            case "phase" -> {
                JsonNode js = AnalysisRun.json().readTree(dir.resolve("phase.json").toFile());
                w.addAll(PhasePortraitFigure.render(Table.read(dir.resolve("field.csv")),
                        Table.read(dir.resolve("nullclines.csv")), Table.read(dir.resolve("trajectories.csv")),
                        Table.read(dir.resolve("fixed_points.csv")), js.path("x_label").asText("x"),
                        js.path("y_label").asText("y"), name + ": phase plane", dir.resolve("phase")));
            }
            case "sweep" -> {
                JsonNode js = AnalysisRun.json().readTree(dir.resolve("sweep.json").toFile());
                w.addAll(BifurcationFigure.render(Table.read(dir.resolve("eigenvalues.csv")),
                        Table.read(dir.resolve("sweep.csv")), Table.read(dir.resolve("crossings.csv")),
                        js.path("label").asText("parameter"), name + ": sweep of " + js.path("parameter").asText(""),
                        dir.resolve("bifurcation")));
            }
            case "anneal" -> {
                Table t = Table.read(dir.resolve("trace.csv"));
                w.addAll(Figures.save(AnnealingFigures.energyAndTemperature(name + ": annealed settling",
                        t.numbers("t"), t.numbers("energy"), t.numbers("temperature")), dir.resolve("anneal_energy")));
            }
            case "settle" -> {
                Table trace = Table.read(dir.resolve("trace.csv"));
                w.addAll(EnergyFigure.render(trace, false, name + ": energy", dir.resolve("energy")));
                w.addAll(EnergyFigure.render(trace, true, name + ": energy", dir.resolve("energy_log")));
            }
            default -> {
                // sleep runs draw their own figures (consolidation module); nothing to redo here
            }
        }
        return w;
    }

    /** The run's name: {@code name:} of its config copy, else the directory's name. */
    static String name(Path dir) {
        Path cfg = dir.resolve("config.yaml");
        if (Files.exists(cfg)) {
            try {
                JsonNode n = new com.fasterxml.jackson.databind.ObjectMapper(
                        new com.fasterxml.jackson.dataformat.yaml.YAMLFactory()).readTree(cfg.toFile());
                if (n != null && n.hasNonNull("name")) {
                    return n.get("name").asText();
                }
            } catch (IOException | RuntimeException e) {
                // a config we cannot read still has a directory name
            }
        }
        return dir.toAbsolutePath().normalize().getFileName().toString();
    }
}
