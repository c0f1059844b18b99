package dev.opencx.i18n;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.MissingResourceException;
import java.util.Objects;
import java.util.Optional;
import java.util.PropertyResourceBundle;
import java.util.ResourceBundle;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The customer-facing texts of OpenCX (the handoff notice, "no answer", the replies of actions…),
 * resolved per key and locale from layered {@code .properties} resource bundles. Immutable and
 * thread-safe.
 *
 * <p>A text is looked up for the session's language, most specific first: the full tag ({@code
 * pt-BR}), then its language ({@code pt}), then English ({@code en}, the base bundle, which must
 * hold every key). For each of these locales the layers are asked in this order, and the first text
 * found wins:
 *
 * <ol>
 *   <li>single texts set with {@link Builder#override(String, String, String)};
 *   <li>override bundles ({@link Builder#overrideBundle(String, ClassLoader)}), the last added
 *       first;
 *   <li>bundles of keys ({@link Builder#bundle(String, ClassLoader)}): OpenCX's own {@link
 *       #BASE_NAME} and those modules register, the last added first.
 * </ol>
 *
 * So a user's German text beats OpenCX's German text, and OpenCX's German text beats a user's
 * English one for a German customer. Texts use {@code {name}} placeholders, filled by {@link
 * #format(String, String, Map)}; bundles are read as UTF-8 (Java 9+).
 *
 * <pre>{@code
 * Notices notices = Notices.builder()
 *         .overrideBundle("com.example.support.texts", getClass().getClassLoader())
 *         .override("handoff", "de", "Ein Kollege übernimmt gleich (Ticket {ticket}).")
 *         .build();
 * notices.format("handoff", "de-AT", Map.of("ticket", "#4521"));
 * }</pre>
 */
public final class Notices {

    /** The base name of OpenCX's own bundle: {@code dev/opencx/i18n/notices_<lang>.properties}. */
    public static final String BASE_NAME = "dev.opencx.i18n.notices";

    /** The locale every bundle of keys must cover completely, and the last one looked up. */
    public static final Locale BASE_LOCALE = Locale.ENGLISH;

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z0-9_]+)}");

    private record Layer(String baseName, ClassLoader loader) {
        Optional<String> text(String key, Locale locale) {
            ResourceBundle rb;
            try {
                rb = ResourceBundle.getBundle(
                        baseName,
                        locale,
                        loader,
                        ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
            } catch (MissingResourceException e) {
                return Optional.empty();
            }
            if (!rb.getLocale().equals(locale) || !(rb instanceof PropertyResourceBundle p)) {
                return Optional.empty(); // a parent's text: asked for when its own locale comes up
            }
            Object v = p.handleGetObject(key);
            return v instanceof String s && !s.isBlank() ? Optional.of(s) : Optional.empty();
        }

        Set<String> keys() {
            try {
                ResourceBundle rb = ResourceBundle.getBundle(
                        baseName,
                        BASE_LOCALE,
                        loader,
                        ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
                return rb.keySet();
            } catch (MissingResourceException e) {
                return Set.of();
            }
        }
    }

    private final Map<Locale, Map<String, String>> overrides;
    private final List<Layer> overrideBundles; // highest precedence first
    private final List<Layer> bundles; // highest precedence first
    private final Set<String> keys;
    private final Map<String, String> cache = new ConcurrentHashMap<>();

    private Notices(Builder b) {
        Map<Locale, Map<String, String>> o = new LinkedHashMap<>();
        b.overrides.forEach((l, m) -> o.put(l, Map.copyOf(m)));
        this.overrides = Map.copyOf(o);
        List<Layer> ob = new ArrayList<>(b.overrideBundles);
        Collections.reverse(ob);
        this.overrideBundles = List.copyOf(ob);
        List<Layer> kb = new ArrayList<>(b.bundles);
        Collections.reverse(kb);
        this.bundles = List.copyOf(kb);
        Set<String> k = new TreeSet<>();
        for (Layer l : b.bundles) {
            k.addAll(l.keys());
        }
        this.keys = Collections.unmodifiableSet(k);
        for (Layer l : b.bundles) {
            if (l.keys().isEmpty()) {
                throw new IllegalArgumentException("notice bundle '" + l.baseName() + "' has no English base ("
                        + l.baseName().replace('.', '/') + "_en.properties) with texts");
            }
        }
        for (Map.Entry<Locale, Map<String, String>> e : b.overrides.entrySet()) {
            for (String key : e.getValue().keySet()) {
                requireKnown(key);
            }
        }
    }

    /** A builder that already holds OpenCX's own bundle ({@link #BASE_NAME}). */
    public static Builder builder() {
        return new Builder().bundle(BASE_NAME, Notices.class.getClassLoader());
    }

    /** OpenCX's own texts, without overrides. */
    public static Notices defaults() {
        return builder().build();
    }

    /** Every key the bundles of keys define in English, sorted. */
    public Set<String> keys() {
        return keys;
    }

    /**
     * The text of a key for a locale tag ({@code "de"}, {@code "pt-BR"}, {@code "pt_BR"}; blank or
     * null means English), placeholders left as they are.
     *
     * @throws IllegalArgumentException if no layer defines the key
     * @throws NullPointerException if key is null
     */
    public String text(String key, String locale) {
        Objects.requireNonNull(key, "key");
        String tag = locale == null ? "" : locale;
        return cache.computeIfAbsent(key + '\u0000' + tag, k -> resolve(key, tag));
    }

    /**
     * The text of a key for a locale tag with each {@code {name}} replaced by its value in {@code
     * values}; placeholders without a value stay as they are.
     *
     * @throws IllegalArgumentException if no layer defines the key
     * @throws NullPointerException if an argument is null
     */
    public String format(String key, String locale, Map<String, String> values) {
        Objects.requireNonNull(values, "values");
        String text = text(key, locale);
        for (Map.Entry<String, String> v : values.entrySet()) {
            text = text.replace("{" + v.getKey() + "}", v.getValue());
        }
        return text;
    }

    /** The {@code {name}} placeholders of a text, in order of first appearance. */
    public static Set<String> placeholders(String text) {
        Set<String> out = new java.util.LinkedHashSet<>();
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /**
     * The locales looked up for a tag, most specific first: {@code pt-BR} gives pt_BR, pt, en.
     *
     * @throws NullPointerException if tag is null
     */
    public static List<Locale> candidates(String tag) {
        String t = tag.strip().replace('_', '-');
        List<Locale> out = new ArrayList<>();
        if (!t.isEmpty()) {
            Locale l = Locale.forLanguageTag(t);
            if (!l.getLanguage().isEmpty()) {
                if (!l.getCountry().isEmpty()
                        || !l.getScript().isEmpty()
                        || !l.getVariant().isEmpty()) {
                    out.add(l.stripExtensions());
                }
                out.add(Locale.forLanguageTag(l.getLanguage()));
            }
        }
        if (!out.contains(BASE_LOCALE)) {
            out.add(BASE_LOCALE);
        }
        return out;
    }

    private String resolve(String key, String tag) {
        for (Locale locale : candidates(tag)) {
            Map<String, String> own = overrides.get(locale);
            if (own != null && own.containsKey(key)) {
                return own.get(key);
            }
            for (Layer l : overrideBundles) {
                Optional<String> t = l.text(key, locale);
                if (t.isPresent()) {
                    return t.get();
                }
            }
            for (Layer l : bundles) {
                Optional<String> t = l.text(key, locale);
                if (t.isPresent()) {
                    return t.get();
                }
            }
        }
        requireKnown(key);
        throw new IllegalArgumentException("notice '" + key + "' has no English text in any bundle");
    }

    private void requireKnown(String key) {
        if (!keys.contains(key)) {
            throw new IllegalArgumentException("unknown notice '" + key + "'; known: " + keys);
        }
    }

    @Override
    public String toString() {
        return "Notices[bundles=" + bundles.stream().map(Layer::baseName).toList() + ", override bundles="
                + overrideBundles.stream().map(Layer::baseName).toList() + ", overridden locales="
                + overrides.keySet() + "]";
    }

    /** Builds {@link Notices}. Not thread-safe; what it builds is. */
    public static final class Builder {
        private final List<Layer> bundles = new ArrayList<>();
        private final List<Layer> overrideBundles = new ArrayList<>();
        private final Map<Locale, Map<String, String>> overrides = new LinkedHashMap<>();

        private Builder() {}

        /** A builder with the same layers as this one, to add more without changing this one. */
        public Builder copy() {
            Builder b = new Builder();
            b.bundles.addAll(bundles);
            b.overrideBundles.addAll(overrideBundles);
            overrides.forEach((locale, texts) -> b.overrides.put(locale, new LinkedHashMap<>(texts)));
            return b;
        }

        /**
         * Adds a bundle of keys, e.g. a module's own notices: {@code <baseName>_en.properties} must
         * define every key, and {@code _es}, {@code _fr}… translate them. Texts of a bundle added
         * later win over those of earlier ones (OpenCX's own is first); override bundles and single
         * overrides win over all of them.
         *
         * @param baseName a {@link ResourceBundle} base name, e.g. {@code "com.example.cx.notices"}
         * @param loader the class loader that sees the bundle, usually the module's own
         * @throws IllegalArgumentException if the base name is blank
         * @throws NullPointerException if an argument is null
         */
        public Builder bundle(String baseName, ClassLoader loader) {
            bundles.add(new Layer(checkedName(baseName), Objects.requireNonNull(loader, "loader")));
            return this;
        }

        /**
         * Adds a bundle whose texts take precedence over every bundle of keys, locale by locale: it
         * may define any subset of the keys in any locales (no English base needed).
         *
         * @throws IllegalArgumentException if the base name is blank
         * @throws NullPointerException if an argument is null
         */
        public Builder overrideBundle(String baseName, ClassLoader loader) {
            overrideBundles.add(new Layer(checkedName(baseName), Objects.requireNonNull(loader, "loader")));
            return this;
        }

        /**
         * One text for one key in one locale ({@code "fr"}, or {@code "pt-BR"} for Brazil only),
         * ahead of every bundle. The key must be defined by a bundle of keys ({@link #build()} checks).
         *
         * @throws IllegalArgumentException if the locale has no language or the text is blank
         * @throws NullPointerException if an argument is null
         */
        public Builder override(String key, String locale, String text) {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(locale, "locale");
            Objects.requireNonNull(text, "text");
            if (text.isBlank()) {
                throw new IllegalArgumentException("the text of notice '" + key + "' must not be blank");
            }
            List<Locale> c = candidates(locale);
            if (locale.isBlank()
                    || c.size() == 1 && !locale.strip().toLowerCase(Locale.ROOT).startsWith("en")) {
                throw new IllegalArgumentException(
                        "locale must name a language, like 'de' or 'pt-BR', was '" + locale + "'");
            }
            overrides.computeIfAbsent(c.get(0), l -> new LinkedHashMap<>()).put(key, text);
            return this;
        }

        /**
         * The notices.
         *
         * @throws IllegalArgumentException if an override names a key no bundle defines (the message
         *     lists the known keys), or a bundle of keys has no English base
         */
        public Notices build() {
            return new Notices(this);
        }

        private static String checkedName(String baseName) {
            Objects.requireNonNull(baseName, "baseName");
            if (baseName.isBlank()) {
                throw new IllegalArgumentException("bundle base name must not be blank");
            }
            return baseName;
        }
    }
}
