package org.fena.distributed;

/**
 * The entry point {@code spark-submit} runs: the same {@code fena} command and subcommands
 * ({@code sweep}, {@code ensemble}, ...), with the Spark engine on the class path so that
 * {@code --engine spark} finds it. Spark itself is provided by {@code spark-submit}.
 */
public final class Main {

    private Main() {
    }

    /** Runs {@code fena} with {@code args} and exits with its status. */
    public static void main(String[] args) {
        org.fena.cli.Main.main(args);
    }
}
