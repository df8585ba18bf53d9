package org.fena.dynamics.data;

import java.io.IOException;
import java.nio.file.Path;

/** An IDX file that cannot be read: the message names the file and what is wrong with it. */
public final class IdxFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;

    /** A problem {@code what} in {@code file}. */
    public IdxFormatException(Path file, String what) {
        super(file + ": " + what);
        this.file = file;
    }

    /** The file that could not be read. */
    public Path file() {
        return file;
    }
}
