package dev.opencx.channel.web.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.opencx.i18n.Notices;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.MissingResourceException;
import java.util.ResourceBundle;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The chat widget's own texts (labels, placeholders, status lines) per language, from {@link
 * #BASE_NAME} and the user's overrides, resolved like core's notices: full tag, then language, then
 * English. Immutable and thread-safe.
 */
public final class WidgetTexts {
    /** The widget's bundle: {@code dev/opencx/channel/web/widget_<lang>.properties}. */
    public static final String BASE_NAME = "dev.opencx.channel.web.widget";

    /** A language tag as the widget sends it: {@code de}, {@code pt-BR}, {@code zh-Hant-TW}. */
    public static final Pattern TAG = Pattern.compile("[A-Za-z]{2,3}([-_][A-Za-z0-9]{1,8}){0,3}");

    private static final WidgetTexts DEFAULTS = builder().build();

    private record Layer(String baseName, ClassLoader loader) {
        boolean has(Locale locale) {
            try {
                return ResourceBundle.getBundle(
                                baseName,
                                locale,
                                loader,
                                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES))
                        .getLocale()
                        .equals(locale);
            } catch (MissingResourceException e) {
                return false;
            }
        }
    }

    private final Notices notices;
    private final Set<String> keys;
    private final List<Layer> layers;
    private final Set<Locale> overriddenLocales;
    // by the locale that answers, so arbitrary tags from browsers cannot grow it
    private final Map<Locale, Map<String, String>> cache = new ConcurrentHashMap<>();

    private WidgetTexts(Notices notices, Set<String> keys, List<Layer> layers, Set<Locale> overriddenLocales) {
        this.notices = notices;
        this.keys = keys;
        this.layers = layers;
        this.overriddenLocales = overriddenLocales;
    }

    /** OpenCX's own widget texts, without overrides. */
    public static WidgetTexts defaults() {
        return DEFAULTS;
    }

    /** A builder that holds the widget's own bundle. */
    public static Builder builder() {
        return new Builder();
    }

    /** Every key of the widget's English bundle, sorted. */
    public Set<String> keys() {
        return keys;
    }

    /**
     * Every widget text for a language tag (blank means English), placeholders left in, keys in
     * sorted order.
     */
    public Map<String, String> texts(String tag) {
        return cache.computeIfAbsent(answering(tag == null ? "" : tag), locale -> {
            Map<String, String> out = new LinkedHashMap<>();
            for (String key : keys) {
                out.put(key, notices.text(key, locale.toLanguageTag()));
            }
            return Collections.unmodifiableMap(out);
        });
    }

    /** The most specific locale of a tag that some bundle or override has texts in; English at the latest. */
    public Locale answering(String tag) {
        for (Locale l : Notices.candidates(tag)) {
            if (overriddenLocales.contains(l) || layers.stream().anyMatch(layer -> layer.has(l))) {
                return l;
            }
        }
        return Notices.BASE_LOCALE;
    }

    /** {@link #texts(String)} as a JSON object, keys sorted. */
    public ObjectNode json(String tag) {
        Map<String, String> texts = texts(tag);
        ObjectNode o = Json.object();
        keys.forEach(k -> o.put(k, texts.get(k)));
        return o;
    }

    private static Set<String> widgetKeys() {
        try {
            ResourceBundle rb = ResourceBundle.getBundle(
                    BASE_NAME,
                    Locale.ENGLISH,
                    WidgetTexts.class.getClassLoader(),
                    ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
            return new TreeSet<>(rb.keySet());
        } catch (MissingResourceException e) {
            throw new IllegalStateException(
                    "the widget's texts " + BASE_NAME.replace('.', '/')
                            + "_en.properties are missing from the class path",
                    e);
        }
    }

    /** Builds {@link WidgetTexts}. Not thread-safe. */
    public static final class Builder {
        private final Notices.Builder notices = Notices.builder().bundle(BASE_NAME, WidgetTexts.class.getClassLoader());
        private final Map<String, String> overridden = new LinkedHashMap<>();
        private final List<Layer> layers =
                new ArrayList<>(List.of(new Layer(BASE_NAME, WidgetTexts.class.getClassLoader())));

        private Builder() {}

        /** One text for one key and locale, ahead of every bundle (see {@code WebChannel.Builder.text}). */
        public Builder text(String key, String locale, String text) {
            notices.override(key, locale, text);
            overridden.put(key + '\u0000' + locale, locale);
            return this;
        }

        /** A bundle of the user's that overrides some keys in some locales. */
        public Builder bundle(String baseName, ClassLoader loader) {
            notices.overrideBundle(baseName, loader);
            layers.add(new Layer(baseName, loader));
            return this;
        }

        /**
         * The texts.
         *
         * @throws IllegalArgumentException if an override names a key that is not one of the widget's
         */
        public WidgetTexts build() {
            Set<String> keys = widgetKeys();
            for (String entry : overridden.keySet()) {
                String key = entry.substring(0, entry.indexOf('\u0000'));
                if (!keys.contains(key)) {
                    throw new IllegalArgumentException(
                            "unknown widget text '" + key + "'; known: " + new TreeSet<>(keys));
                }
            }
            Set<Locale> locales = new HashSet<>();
            overridden
                    .values()
                    .forEach(tag -> locales.add(Notices.candidates(tag).get(0)));
            return new WidgetTexts(
                    notices.build(),
                    Collections.unmodifiableSortedSet(new TreeSet<>(keys)),
                    List.copyOf(layers),
                    Set.copyOf(locales));
        }
    }
}
