package dev.opencx.i18n;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The word lists of a detector, one resource file per language, so that adding a language is adding
 * files. Immutable and thread-safe.
 *
 * <p>The languages are listed in {@value #LANGUAGES} (one code a line, {@code #} comments); every
 * such file on the class path counts, so a jar of your own can add a language. For a detector whose
 * lists live in folder {@code dev/opencx/handoff/human-request}, the files are {@code
 * dev/opencx/handoff/human-request/<language>.txt} for each listed language that has one, plus
 * {@code common.txt} for entries that belong to no language (emoji, digits, acronyms). The format:
 *
 * <pre>
 * # a comment (whole lines only)
 * [section]            the list the following lines belong to, e.g. [target]
 * customer service     one word or phrase a line; leading and trailing spaces are ignored
 * sorry = 0.2          an entry with a value (a weight, an expansion), separated by " = "
 * n't\b = " not"       a value in double quotes keeps its leading and trailing spaces ("" is empty)
 * </pre>
 *
 * UTF-8; blank lines are ignored; a detector documents its sections and what it does with them.
 *
 * <pre>{@code
 * WordLists lists = WordLists.load("dev/opencx/handoff/human-request", MyDetector.class.getClassLoader());
 * Set<String> fillers = lists.set("fillers");              // all languages together
 * List<String> targets = lists.list("de", "target");       // one language
 * }</pre>
 */
public final class WordLists {

    /** The resource that lists the language codes, in the order their files are read. */
    public static final String LANGUAGES = "dev/opencx/i18n/languages.txt";

    /** The file of entries that belong to no language, read before the languages' files. */
    public static final String COMMON = "common";

    /** One entry: the word or phrase, and its value after {@code " = "} (empty when none). */
    public record Entry(String text, String value) {
        /**
         * The value as a number.
         *
         * @throws NumberFormatException naming the entry if the value is not a number
         */
        public double weight() {
            try {
                return Double.parseDouble(value);
            } catch (NumberFormatException e) {
                throw new NumberFormatException("'" + text + "' needs a number after ' = ', was '" + value + "'");
            }
        }
    }

    private final String folder;
    // language ("common" first) -> section -> entries, in file order
    private final Map<String, Map<String, List<Entry>>> byLanguage;

    private WordLists(String folder, Map<String, Map<String, List<Entry>>> byLanguage) {
        this.folder = folder;
        this.byLanguage = byLanguage;
    }

    /**
     * The language codes listed in every {@value #LANGUAGES} the loader sees, in class-path order,
     * each once, lower case.
     *
     * @throws NullPointerException if loader is null
     */
    public static List<String> languages(ClassLoader loader) {
        Objects.requireNonNull(loader, "loader");
        Set<String> out = new LinkedHashSet<>();
        try {
            Enumeration<URL> urls = loader.getResources(LANGUAGES);
            for (URL url : Collections.list(urls)) {
                try (InputStream in = url.openStream()) {
                    for (String line : lines(in)) {
                        out.add(line.toLowerCase(Locale.ROOT));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + LANGUAGES, e);
        }
        return List.copyOf(out);
    }

    /**
     * Reads {@code <folder>/common.txt} and {@code <folder>/<language>.txt} for every language of
     * {@link #languages(ClassLoader)} that has one.
     *
     * @param folder a resource folder without a trailing slash, e.g. {@code "dev/opencx/handoff/frustration"}
     * @throws IllegalStateException if no file exists in the folder (the message names it), or a line
     *     comes before any section
     * @throws NullPointerException if an argument is null
     */
    public static WordLists load(String folder, ClassLoader loader) {
        Objects.requireNonNull(folder, "folder");
        Objects.requireNonNull(loader, "loader");
        Map<String, Map<String, List<Entry>>> out = new LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        names.add(COMMON);
        names.addAll(languages(loader));
        for (String name : names) {
            String path = folder + "/" + name + ".txt";
            try (InputStream in = loader.getResourceAsStream(path)) {
                if (in != null) {
                    out.put(name, parse(path, lines(in)));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + path, e);
            }
        }
        if (out.isEmpty()) {
            throw new IllegalStateException(
                    "no word list in " + folder + " for any language of " + LANGUAGES + ": " + languages(loader));
        }
        return new WordLists(folder, Collections.unmodifiableMap(out));
    }

    private static Map<String, List<Entry>> parse(String path, List<String> lines) {
        Map<String, List<Entry>> sections = new LinkedHashMap<>();
        List<Entry> current = null;
        for (String line : lines) {
            if (line.startsWith("[") && line.endsWith("]")) {
                current = sections.computeIfAbsent(
                        line.substring(1, line.length() - 1).strip(), s -> new ArrayList<>());
                continue;
            }
            if (current == null) {
                throw new IllegalStateException(path + ": '" + line + "' comes before any [section]");
            }
            int eq = line.indexOf(" = ");
            if (eq >= 0) {
                String value = line.substring(eq + 3).strip();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1); // quoted: spaces kept
                }
                current.add(new Entry(line.substring(0, eq).strip(), value));
            } else {
                current.add(new Entry(line, ""));
            }
        }
        sections.replaceAll((k, v) -> List.copyOf(v));
        return Collections.unmodifiableMap(sections);
    }

    private static List<String> lines(InputStream in) throws IOException {
        List<String> out = new ArrayList<>();
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        for (String line; (line = r.readLine()) != null; ) {
            String t = line.strip();
            if (!t.isEmpty() && !t.startsWith("#")) {
                out.add(t.startsWith("\ufeff") ? t.substring(1) : t);
            }
        }
        return out;
    }

    /** The languages that have a file here, in {@value #LANGUAGES} order ({@code common} not included). */
    public List<String> languages() {
        return byLanguage.keySet().stream().filter(l -> !l.equals(COMMON)).toList();
    }

    /** The entries of one section in one language's file ({@code "common"} for the common file); empty if none. */
    public List<Entry> entries(String language, String section) {
        return byLanguage.getOrDefault(language, Map.of()).getOrDefault(section, List.of());
    }

    /** The entries of a section in every file: common first, then the languages in order. */
    public List<Entry> entries(String section) {
        List<Entry> out = new ArrayList<>();
        byLanguage.values().forEach(s -> out.addAll(s.getOrDefault(section, List.of())));
        return List.copyOf(out);
    }

    /** The words or phrases of one section in one language, in file order. */
    public List<String> list(String language, String section) {
        return entries(language, section).stream().map(Entry::text).toList();
    }

    /** The words or phrases of a section in every file, in order (common first); duplicates kept. */
    public List<String> list(String section) {
        return entries(section).stream().map(Entry::text).toList();
    }

    /** The words or phrases of a section in every file, as a set. */
    public Set<String> set(String section) {
        return Set.copyOf(list(section));
    }

    /** The entries of a section in every file as text to value; a later file's value wins. */
    public Map<String, String> map(String section) {
        Map<String, String> out = new LinkedHashMap<>();
        entries(section).forEach(e -> out.put(e.text(), e.value()));
        return Collections.unmodifiableMap(out);
    }

    /**
     * The entries of a section in every file as text to weight; a later entry's weight wins.
     *
     * @throws NumberFormatException naming the entry whose value is not a number
     */
    public Map<String, Double> weights(String section) {
        Map<String, Double> out = new LinkedHashMap<>();
        entries(section).forEach(e -> out.put(e.text(), e.weight()));
        return Collections.unmodifiableMap(out);
    }

    @Override
    public String toString() {
        return "WordLists[" + folder + ", " + byLanguage.keySet() + "]";
    }
}
