package org.fena.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code fena report RUN_DIR}: rebuilds {@code report.html} from what a run directory holds (a demo
 * folder or any single command's output), optionally re-rendering the figures first.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Rebuild report.html (one page: what ran, figures, tables, manifest) from a run directory.",
        footer = {"", "Examples:", "  ./fena report runs/demo", "  ./fena report --plot runs/stab   # re-render figures first", "",
                "Exit status: 0 ok, 1 internal error, 2 bad input (not a run directory)."})
final class ReportCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "Output directory of a fena command or of fena demo.")
    Path dir;

    @Option(names = "--plot", description = "Re-render every figure from the data files before building the page.")
    boolean plot;

    @Override
    public Integer call() throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new UserError(dir + ": expected a run directory, but there is no such directory");
        }
        if (plot) {
            RunFigures.renderAll(dir);
        }
        Path page = ReportPage.write(dir);
        spec.commandLine().getOut().println("wrote " + page.toAbsolutePath().normalize());
        return Main.OK;
    }
}
