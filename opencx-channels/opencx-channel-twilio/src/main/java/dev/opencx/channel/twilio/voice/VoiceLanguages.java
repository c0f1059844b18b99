package dev.opencx.channel.twilio.voice;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Maps a session's BCP 47 locale to the language code Twilio's {@code <Say>} and {@code <Gather>}
 * take ({@code en-US}, {@code es-MX}): a tag with a region is used as it is, a bare language gets
 * its most common region, and the configured overrides win over both.
 */
final class VoiceLanguages {
    /** A Twilio language code: {@code en-US}, {@code cmn-CN}, {@code arb}. */
    static final Pattern CODE = Pattern.compile("[a-z]{2,3}(-[A-Z]{2})?");

    private static final Map<String, String> DEFAULT_REGION = Map.ofEntries(
            Map.entry("ar", "arb"),
            Map.entry("ca", "ca-ES"),
            Map.entry("cs", "cs-CZ"),
            Map.entry("da", "da-DK"),
            Map.entry("de", "de-DE"),
            Map.entry("el", "el-GR"),
            Map.entry("en", "en-US"),
            Map.entry("es", "es-ES"),
            Map.entry("fi", "fi-FI"),
            Map.entry("fr", "fr-FR"),
            Map.entry("he", "he-IL"),
            Map.entry("hi", "hi-IN"),
            Map.entry("hu", "hu-HU"),
            Map.entry("id", "id-ID"),
            Map.entry("it", "it-IT"),
            Map.entry("ja", "ja-JP"),
            Map.entry("ko", "ko-KR"),
            Map.entry("nb", "nb-NO"),
            Map.entry("nl", "nl-NL"),
            Map.entry("no", "nb-NO"),
            Map.entry("pl", "pl-PL"),
            Map.entry("pt", "pt-BR"),
            Map.entry("ro", "ro-RO"),
            Map.entry("ru", "ru-RU"),
            Map.entry("sv", "sv-SE"),
            Map.entry("th", "th-TH"),
            Map.entry("tr", "tr-TR"),
            Map.entry("uk", "uk-UA"),
            Map.entry("vi", "vi-VN"),
            Map.entry("zh", "cmn-CN"));

    private VoiceLanguages() {}

    /**
     * The Twilio code for a session locale.
     *
     * @param locale the session's BCP 47 tag ({@code es}, {@code es-MX}, {@code pt_BR})
     * @param overrides language or tag (lower-case language, {@code es} or {@code es-mx}) to Twilio code
     * @param fallback the code to use when the locale names no language
     */
    static String twilioCode(String locale, Map<String, String> overrides, String fallback) {
        Locale l = Locale.forLanguageTag(locale == null ? "" : locale.strip().replace('_', '-'));
        String language = l.getLanguage();
        if (language.isEmpty()) {
            return fallback;
        }
        String country = l.getCountry();
        String tag = country.isEmpty() ? language : language + "-" + country.toLowerCase(Locale.ROOT);
        if (overrides.containsKey(tag)) {
            return overrides.get(tag);
        }
        if (!country.isEmpty()) {
            return language + "-" + country;
        }
        if (overrides.containsKey(language)) {
            return overrides.get(language);
        }
        String fb = fallback.toLowerCase(Locale.ROOT);
        if (fb.equals(language) || fb.startsWith(language + "-")) {
            return fallback; // the configured language's own region: es → es-MX when es-MX is configured
        }
        return DEFAULT_REGION.getOrDefault(language, language);
    }

    /** The lower-case key an override is stored under: {@code es}, {@code es-mx}. */
    static String key(String languageOrTag) {
        Locale l = Locale.forLanguageTag(languageOrTag.strip().replace('_', '-'));
        return l.getCountry().isEmpty()
                ? l.getLanguage()
                : l.getLanguage() + "-" + l.getCountry().toLowerCase(Locale.ROOT);
    }
}
