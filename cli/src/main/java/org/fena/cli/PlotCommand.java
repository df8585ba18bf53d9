package org.fena.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code fena plot RUN_DIR}: re-renders every figure (PNG + SVG) of a run directory from the CSV and
 * JSON files in it — after restyling the plots module, or when figures were deleted — without
 * re-running anything. A demo folder is rendered phase by phase.
 */
@Command(name = "plot", mixinStandardHelpOptions = true,
        description = "Re-render the figures of a run directory from its CSV/JSON files.",
        footer = {"", "Example:", "  ./fena plot runs/demo        # every phase of a demo", "  ./fena plot runs/stab        # one run", "",
                "Exit status: 0 ok, 1 internal error, 2 bad input (not a run directory)."})
final class PlotCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "Output directory of a fena command or of fena demo.")
    Path dir;

    @Override
    public Integer call() throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new UserError(dir + ": expected a run directory, but there is no such directory");
        }
        List<Path> parts = RunFigures.parts(dir);
        if (parts.isEmpty()) {
            throw new UserError(dir + ": no run found here (expected the output directory of a fena command, or of fena demo)");
        }
        List<Path> written = RunFigures.renderAll(dir);
        spec.commandLine().getOut().println("re-rendered " + written.size() + " figure files in " + parts.size()
                + " run(s) under " + dir.toAbsolutePath().normalize());
        return Main.OK;
    }
}
