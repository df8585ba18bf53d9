package org.fena.cli;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * An output directory written all or nothing: files go to a temporary sibling directory and are
 * moved into place only by {@link #commit()}, so a failed or interrupted run leaves the target as
 * it was — nothing half-written.
 */
final class RunDirectory implements AutoCloseable {

    private final Path target;
    private final Path temp;
    private boolean committed;

    private RunDirectory(Path target, Path temp) {
        this.target = target;
        this.temp = temp;
    }

    /** Prepares a run writing into {@code target}; refuses a target that is a plain file. */
    static RunDirectory open(Path target) {
        Path abs = target.toAbsolutePath().normalize();
        if (Files.exists(abs) && !Files.isDirectory(abs)) {
            throw new UserError(target + ": --out must name a directory, but this is a file");
        }
        Path parent = abs.getParent();
        try {
            Files.createDirectories(parent);
            Path temp = Files.createTempDirectory(parent, "." + abs.getFileName() + ".tmp-");
            return new RunDirectory(abs, temp);
        } catch (IOException e) {
            throw new UserError(target + ": cannot create the output directory (" + e + ")", e);
        }
    }

    /** Where a file of the run is written until commit. */
    Path file(String name) {
        return temp.resolve(name);
    }

    /** The directory the run ends up in. */
    Path target() {
        return target;
    }

    /** Moves every written file into the target directory (created if needed), each move atomic. */
    void commit() throws IOException {
        if (!Files.exists(target)) {
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
                committed = true;
                return;
            } catch (FileAlreadyExistsException | java.nio.file.AtomicMoveNotSupportedException e) {
                // fall through: someone created it meanwhile, or no atomic rename here
            }
        }
        Files.createDirectories(target);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(temp)) {
            for (Path f : files) {
                Files.move(f, target.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
            }
        }
        Files.deleteIfExists(temp);
        committed = true;
    }

    @Override
    public void close() {
        if (!committed && Files.exists(temp)) {
            try (Stream<Path> walk = Files.walk(temp)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // best effort: a stray temporary directory is harmless and visibly named
            }
        }
    }
}
