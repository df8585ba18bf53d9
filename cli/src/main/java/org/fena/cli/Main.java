package org.fena.cli;

import java.io.PrintWriter;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code fena} command. Exit status: 0 success; 1 internal error (a bug: please report);
 * 2 bad input or usage (one message naming the file, key and what was expected); 3 the run
 * diverged (outputs are still written, marked diverged).
 */
@Command(name = "fena", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Simulate predictive-coding hierarchies as continuous-time dynamical systems.",
        subcommands = {DemoCommand.class, ReportCommand.class, PlotCommand.class, ConfigCommand.class,
                SettleCommand.class, AnnealCommand.class, EscapeCommand.class, StabilityCommand.class, PhaseCommand.class, SweepCommand.class,
                EnsembleCommand.class, TrainCommand.class, EvalCommand.class, SleepCommand.class, ContinualCommand.class,
                CommandLine.HelpCommand.class},
        footer = {"", "Exit status: 0 ok, 1 internal error, 2 bad input or usage, 3 the run diverged."})
public final class Main implements Runnable {

    /** Exit status of a run that succeeded. */
    public static final int OK = 0;
    /** Exit status of an internal error. */
    public static final int INTERNAL = 1;
    /** Exit status of bad input or usage. */
    public static final int BAD_INPUT = 2;
    /** Exit status of a run whose state diverged. */
    public static final int DIVERGED = 3;

    /** Held so the logger (and its level) is not garbage-collected. */
    private static final java.util.logging.Logger NETLIB = java.util.logging.Logger.getLogger("dev.ludovic.netlib");

    static {
        // netlib logs every backend it fails to load; the one it picked is in the manifest and --version
        NETLIB.setLevel(java.util.logging.Level.SEVERE);
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Entry point. */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit status (for tests: no {@code System.exit}). */
    public static int run(String... args) {
        return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** Runs the command line with the given output streams. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        // every subcommand's help ends with the exit statuses, whether or not its own footer lists them
        for (CommandLine sub : cl.getSubcommands().values()) {
            CommandLine.Model.UsageMessageSpec u = sub.getCommandSpec().usageMessage();
            if (!String.join("\n", u.footer()).contains("Exit status")) {
                String[] f = java.util.Arrays.copyOf(u.footer(), u.footer().length + 2);
                f[f.length - 2] = "";
                f[f.length - 1] = "Exit status: 0 ok, 1 internal error, 2 bad input or usage, 3 the run diverged.";
                u.footer(f);
            }
        }
        cl.setExecutionExceptionHandler((ex, line, parse) -> {
            if (ex instanceof UserError) {
                line.getErr().println("fena: error: " + ex.getMessage());
                return BAD_INPUT;
            }
            if (ex instanceof EngineFlags.JobFailed) {
                line.getErr().println("fena: the job failed: " + ex.getMessage());
                return INTERNAL;
            }
            line.getErr().println("fena: internal error (please report it with the command and config): " + ex);
            ex.printStackTrace(line.getErr());
            return INTERNAL;
        });
        cl.setParameterExceptionHandler((ex, a) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println("fena: error: " + ex.getMessage());
            c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for usage.");
            return BAD_INPUT;
        });
        return cl.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Reports FENA's, Java's and the BLAS backend's versions. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"fena " + RunInfo.version(), "java " + RunInfo.java(), "blas " + RunInfo.blas()};
        }
    }
}
