package dev.opencx.pii.builtin;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/** Word lists shipped in this jar ({@code dev/opencx/pii/builtin/*.txt}), lower case. */
final class Gazetteer {
    static final Set<String> FIRST_NAMES = load("first_names.txt");
    static final Set<String> SURNAMES = load("surnames.txt");
    static final Set<String> PLACES = load("places.txt");
    static final Set<String> NATIONALITIES = load("nationalities.txt");

    private Gazetteer() {}

    static boolean firstName(String w) {
        return FIRST_NAMES.contains(w.toLowerCase(Locale.ROOT));
    }

    static boolean surname(String w) {
        return SURNAMES.contains(w.toLowerCase(Locale.ROOT));
    }

    private static Set<String> load(String name) {
        String path = "dev/opencx/pii/builtin/" + name;
        try (InputStream in = Gazetteer.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + path);
            }
            Set<String> out = new HashSet<>();
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                String t = line.strip();
                if (!t.isEmpty() && !t.startsWith("#")) {
                    out.add(t.toLowerCase(Locale.ROOT));
                }
            }
            return Set.copyOf(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }
}
