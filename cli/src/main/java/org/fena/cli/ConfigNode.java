package org.fena.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A node of a YAML experiment file with the path that leads to it, so that every complaint names
 * the file, the key and what was expected ({@code exp.yaml: layers[1].tau: expected a number > 0,
 * got -1}).
 */
final class ConfigNode {

    private final Path file;
    private final String path;
    private final JsonNode node;
    private final List<Path> reads;

    ConfigNode(Path file, String path, JsonNode node) {
        this(file, path, node, new ArrayList<>());
    }

    private ConfigNode(Path file, String path, JsonNode node, List<Path> reads) {
        this.file = file;
        this.path = path;
        this.node = node;
        this.reads = reads;
    }

    /** Records that a data file was read on behalf of this experiment (for the manifest). */
    void noteRead(Path p) {
        if (!reads.contains(p)) {
            reads.add(p);
        }
    }

    /** Every data file read so far, in order. */
    List<Path> reads() {
        return reads;
    }

    Path file() {
        return file;
    }

    String path() {
        return path;
    }

    JsonNode raw() {
        return node;
    }

    boolean isMissing() {
        return node == null || node.isMissingNode() || node.isNull();
    }

    UserError error(String expected) {
        String got = isMissing() ? "nothing" : describe(node);
        return new UserError(String.format(Locale.ROOT, "%s: %s: expected %s, got %s", file,
                path.isEmpty() ? "(top level)" : path, expected, got));
    }

    private static String describe(JsonNode n) {
        String s = n.isTextual() ? "'" + n.asText() + "'" : n.toString();
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }

    /** Refuses keys that are not in {@code known}: a misspelt key must not be silently ignored. */
    ConfigNode requireObject(Set<String> known) {
        if (!node.isObject()) {
            throw error("a mapping with keys " + new TreeSet<>(known));
        }
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String k = names.next();
            if (!known.contains(k)) {
                throw new UserError(String.format(Locale.ROOT, "%s: %s: unknown key '%s' (known keys: %s)",
                        file, path.isEmpty() ? "(top level)" : path, k, String.join(", ", new TreeSet<>(known))));
            }
        }
        return this;
    }

    ConfigNode get(String key) {
        JsonNode child = node == null ? null : node.get(key);
        return new ConfigNode(file, path.isEmpty() ? key : path + "." + key, child, reads);
    }

    boolean has(String key) {
        return !get(key).isMissing();
    }

    List<ConfigNode> elements() {
        if (!node.isArray()) {
            throw error("a list");
        }
        List<ConfigNode> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            out.add(new ConfigNode(file, path + "[" + i + "]", node.get(i), reads));
        }
        return out;
    }

    double asDouble() {
        if (node != null && node.isNumber()) {
            return node.asDouble();
        }
        if (node != null && node.isTextual()) {
            String t = node.asText().trim().toLowerCase(Locale.ROOT);
            if (t.equals("inf") || t.equals(".inf") || t.equals("infinity") || t.equals("+inf")) {
                return Double.POSITIVE_INFINITY;
            }
        }
        throw error("a number");
    }

    double doubleOr(String key, double fallback) {
        ConfigNode c = get(key);
        return c.isMissing() ? fallback : c.asDouble();
    }

    double positive(String key, double fallback) {
        ConfigNode c = get(key);
        if (c.isMissing()) {
            return fallback;
        }
        double v = c.asDouble();
        if (!(v > 0)) {
            throw c.error("a number > 0");
        }
        return v;
    }

    double nonNegative(String key, double fallback) {
        ConfigNode c = get(key);
        if (c.isMissing()) {
            return fallback;
        }
        double v = c.asDouble();
        if (!(v >= 0)) {
            throw c.error("a number >= 0");
        }
        return v;
    }

    long asLong() {
        if (node != null && node.canConvertToLong() && node.isIntegralNumber()) {
            return node.asLong();
        }
        throw error("a whole number");
    }

    long longOr(String key, long fallback) {
        ConfigNode c = get(key);
        return c.isMissing() ? fallback : c.asLong();
    }

    int intAtLeast(String key, int min, int fallback) {
        ConfigNode c = get(key);
        if (c.isMissing()) {
            return fallback;
        }
        long v = c.asLong();
        if (v < min || v > Integer.MAX_VALUE) {
            throw c.error("a whole number >= " + min);
        }
        return (int) v;
    }

    boolean boolOr(String key, boolean fallback) {
        ConfigNode c = get(key);
        if (c.isMissing()) {
            return fallback;
        }
        if (!c.node.isBoolean()) {
            throw c.error("true or false");
        }
        return c.node.asBoolean();
    }

    String asText() {
        if (node != null && node.isTextual()) {
            return node.asText();
        }
        throw error("a string");
    }

    String textOr(String key, String fallback) {
        ConfigNode c = get(key);
        return c.isMissing() ? fallback : c.asText();
    }
}
