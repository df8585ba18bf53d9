package org.fena.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

/**
 * The command line as a whole: every subcommand's help shows an example and the exit statuses; an
 * unknown option or a missing argument anywhere is one line and exit status 2, never a stack trace;
 * {@code fena config --defaults} prints a file that is itself valid.
 */
class CliUsageTest {

    @TempDir
    Path dir;

    private record Result(int status, String out, String err) {
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(status, out.toString(), err.toString());
    }

    /** Every registered subcommand but picocli's own {@code help}. */
    private static List<String> subcommands() {
        List<String> names = new ArrayList<>(new CommandLine(new Main()).getSubcommands().keySet());
        names.remove("help");
        return names;
    }

    @Test
    void everySubcommandsHelpShowsAnExampleAndTheExitStatuses() {
        for (String c : subcommands()) {
            Result r = run(c, "--help");
            assertEquals(0, r.status, c + ": " + r.err);
            assertTrue(r.out.contains("Example"), c + " --help has no example:\n" + r.out);
            assertTrue(r.out.contains("Exit status"), c + " --help does not document its exit statuses:\n" + r.out);
        }
    }

    @Test
    void anUnknownOptionOnAnySubcommandIsOneMessageAndStatus2() {
        for (String c : subcommands()) {
            Result r = run(c, "--no-such-option");
            assertEquals(2, r.status, c + ": " + r.err);
            assertTrue(r.err.startsWith("fena: error:"), c + ": " + r.err);
            assertFalse(r.err.contains("\tat ") || r.err.contains("Exception"), c + " printed a stack trace:\n" + r.err);
            assertTrue(r.err.strip().lines().count() <= 2, c + ": " + r.err);
        }
    }

    @Test
    void aMissingRequiredArgumentIsStatus2WithoutAStackTrace() {
        CommandLine root = new CommandLine(new Main());
        int checked = 0;
        for (String c : subcommands()) {
            CommandLine.Model.CommandSpec spec = root.getSubcommands().get(c).getCommandSpec();
            boolean needsSomething = !spec.requiredArgs().isEmpty()
                    || spec.argGroups().stream().anyMatch(g -> g.multiplicity().min() > 0);
            if (!needsSomething) {
                continue;   // e.g. demo: runs with its defaults
            }
            Result r = run(c);
            assertEquals(2, r.status, c + ": " + r.err);
            assertFalse(r.err.contains("\tat "), c + " printed a stack trace:\n" + r.err);
            checked++;
        }
        assertTrue(checked >= 8, "commands with required arguments: " + checked);
    }

    @Test
    void aNonNumericValueIsStatus2() {
        Result r = run("demo", "--epochs", "many");
        assertEquals(2, r.status, r.err);
        assertTrue(r.err.contains("--epochs"), r.err);
        assertEquals(2, run("demo", "--epochs", "0", "--out", dir.resolve("x").toString()).status);
    }

    @Test
    void theDefaultsPrintedByConfigAreAValidExperimentFile() throws Exception {
        Result d = run("config", "--defaults");
        assertEquals(0, d.status, d.err);
        Path f = dir.resolve("defaults.yaml");
        Files.writeString(f, d.out);
        Result c = run("config", "--check", f.toString());
        assertEquals(0, c.status, c.err);
        assertTrue(c.out.contains("valid experiment"), c.out);
        Result t = run("config", "--defaults", "--kind", "train");
        assertEquals(0, t.status, t.err);
        assertTrue(t.out.contains("regime: two_phase"), t.out);
    }

    @Test
    void configCheckNamesAMisspeltKeyAndExits2() throws Exception {
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, "layers:\n  - {dim: 2, clamp: [0.1, 0.2]}\n  - {dim: 1, tua: 2.0}\n");
        Result r = run("config", "--check", f.toString());
        assertEquals(2, r.status, r.err);
        assertTrue(r.err.contains("tua"), r.err);
        assertEquals(1, r.err.strip().lines().count(), r.err);
        assertEquals(2, run("config", "--defaults", "--check", f.toString()).status, "the two actions exclude each other");
        assertEquals(2, run("config", "--defaults", "--kind", "nonsense").status);
    }

    @Test
    void sleepAndContinualFilesHaveASchemaAndAreChecked() throws Exception {
        Result sd = run("config", "--defaults", "--kind", "sleep");
        assertEquals(0, sd.status, sd.err);
        assertTrue(sd.out.contains("strategies:") && sd.out.contains("transfer:"), sd.out);
        Path sleepDefaults = dir.resolve("sleep-defaults.yaml");
        Files.writeString(sleepDefaults, sd.out);
        Result sc = run("config", "--check", sleepDefaults.toString(), "--kind", "sleep");
        assertEquals(0, sc.status, sc.err);
        Result cd = run("config", "--defaults", "--kind", "continual");
        assertEquals(0, cd.status, cd.err);
        assertTrue(cd.out.contains("epochs_per_task:") && cd.out.contains("interleave:"), cd.out);
        for (String example : new String[] {"sleep.yaml", "split-mnist.yaml"}) {
            Result r = run("config", "--check", Path.of("..", "examples", example).toString());
            assertEquals(0, r.status, example + ": " + r.err);
            assertTrue(r.out.contains(example.startsWith("sleep") ? "valid sleep" : "valid continual"), r.out);
        }
        Path bad = dir.resolve("bad-sleep.yaml");
        Files.writeString(bad, "episodes: {images: a.gz, labels: b.gz}\nsleep: {duration: 10, strategies: [replay], dreem: {}}\n");
        Result r = run("config", "--check", bad.toString());
        assertEquals(2, r.status, r.err);
        assertTrue(r.err.contains("dreem"), r.err);
        assertEquals(1, r.err.strip().lines().count(), r.err);
    }
}
