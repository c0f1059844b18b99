package dev.opencx.eval;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code --name value} and {@code --flag} options. Unknown options, missing values and bad numbers
 * are {@link UsageException}s.
 */
public final class Args {
    private final Map<String, String> values;

    private Args(Map<String, String> values) {
        this.values = values;
    }

    /**
     * Parses {@code args}.
     *
     * @param valued options that take a value (without the dashes)
     * @param flags options that take none
     */
    public static Args parse(List<String> args, Set<String> valued, Set<String> flags) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!a.startsWith("--")) {
                throw new UsageException("unexpected argument: " + a);
            }
            String name = a.substring(2);
            String inline = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                inline = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (flags.contains(name) && inline == null) {
                values.put(name, "true");
            } else if (valued.contains(name)) {
                String v = inline;
                if (v == null) {
                    if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
                        throw new UsageException("option --" + name + " needs a value");
                    }
                    v = args.get(++i);
                }
                values.put(name, v);
            } else {
                throw new UsageException("unknown option: --" + name);
            }
        }
        return new Args(values);
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    public String get(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    public String required(String name) {
        String v = values.get(name);
        if (v == null) {
            throw new UsageException("missing required option --" + name);
        }
        return v;
    }

    /** A required path to an existing, readable file. */
    public Path existingFile(String name) {
        Path p = Path.of(required(name));
        if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
            throw new UsageException("--" + name + ": no readable file at " + p);
        }
        return p;
    }

    public double number(String name, double fallback, double min, double max) {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            double d = Double.parseDouble(v);
            if (d < min || d > max) {
                throw new UsageException("--" + name + " must be " + min + ".." + max + ", was " + v);
            }
            return d;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be a number, was " + v);
        }
    }

    public <E extends Enum<E>> E choice(String name, Class<E> type, E fallback) {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(v)) {
                return e;
            }
        }
        StringBuilder allowed = new StringBuilder();
        for (E e : type.getEnumConstants()) {
            allowed.append(allowed.length() == 0 ? "" : "|").append(e.name().toLowerCase(java.util.Locale.ROOT));
        }
        throw new UsageException("--" + name + " must be one of " + allowed + ", was " + v);
    }
}
