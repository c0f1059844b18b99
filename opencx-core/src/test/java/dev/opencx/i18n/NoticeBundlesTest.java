package dev.opencx.i18n;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every customer-facing text ships in every supported language: a key of the English base bundle
 * that is missing or blank in es, fr, de or pt, a key only a translation has, or a translation whose
 * {@code {placeholders}} differ from the English text fails the build.
 */
class NoticeBundlesTest {
    static final List<String> LANGUAGES = List.of("es", "fr", "de", "pt");

    @ParameterizedTest
    @ValueSource(strings = {Notices.BASE_NAME})
    void every_key_of_the_english_bundle_is_translated_with_the_same_placeholders(String baseName) {
        Properties en = load(baseName, "en");
        assertThat(en).as("the English base of %s", baseName).isNotEmpty();
        List<String> problems = new ArrayList<>();
        for (String lang : LANGUAGES) {
            Properties t = load(baseName, lang);
            for (String key : en.stringPropertyNames()) {
                String text = t.getProperty(key);
                if (text == null || text.isBlank()) {
                    problems.add(lang + ": '" + key + "' is missing or blank");
                } else if (!Notices.placeholders(text).equals(Notices.placeholders(en.getProperty(key)))) {
                    problems.add(lang + ": '" + key + "' has placeholders " + Notices.placeholders(text)
                            + " where English has " + Notices.placeholders(en.getProperty(key)));
                }
            }
            for (String key : t.stringPropertyNames()) {
                if (!en.containsKey(key)) {
                    problems.add(lang + ": '" + key + "' is not a key of the English base");
                }
            }
        }
        assertThat(problems).as("incomplete translations of %s", baseName).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {Notices.BASE_NAME})
    void translations_are_not_copies_of_the_english_text(String baseName) {
        Properties en = load(baseName, "en");
        for (String lang : LANGUAGES) {
            Properties t = load(baseName, lang);
            for (String key : en.stringPropertyNames()) {
                assertThat(t.getProperty(key)).as("%s %s", lang, key).isNotEqualTo(en.getProperty(key));
            }
        }
    }

    static Properties load(String baseName, String lang) {
        String path = baseName.replace('.', '/') + "_" + lang + ".properties";
        try (InputStream in = NoticeBundlesTest.class.getClassLoader().getResourceAsStream(path)) {
            assertThat(in).as(path).isNotNull();
            Properties p = new Properties();
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
