package dev.opencx.channel.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opencx.channel.web.internal.WidgetScript;
import dev.opencx.channel.web.internal.WidgetTexts;
import dev.opencx.i18n.Notices;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The widget's own texts: complete in every language we ship, resolved like core's notices, served
 * from {@code GET /widget/v1/texts} with caching headers, and overridable from the builder.
 */
class WidgetTextsTest {
    private static final List<String> TRANSLATIONS = List.of("es", "fr", "de", "pt");
    private static final Pattern LITERAL = Pattern.compile("'[A-Z][a-z]+ [a-z]+[^']*'");

    static Properties bundle(String lang) throws IOException {
        String path = "/" + WidgetTexts.BASE_NAME.replace('.', '/') + "_" + lang + ".properties";
        try (InputStream in = WidgetTextsTest.class.getResourceAsStream(path)) {
            assertThat(in).as(path).isNotNull();
            Properties p = new Properties();
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            return p;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"es", "fr", "de", "pt"})
    void every_english_text_is_translated_with_the_same_placeholders(String lang) throws IOException {
        Properties en = bundle("en");
        Properties other = bundle(lang);
        assertThat(en).isNotEmpty();
        assertThat(new TreeSet<>(other.stringPropertyNames()))
                .as("keys of widget_%s.properties", lang)
                .isEqualTo(new TreeSet<>(en.stringPropertyNames()));
        for (String key : en.stringPropertyNames()) {
            String text = other.getProperty(key);
            assertThat(text).as("%s in %s", key, lang).isNotBlank();
            assertThat(Notices.placeholders(text))
                    .as("placeholders of %s in %s", key, lang)
                    .isEqualTo(Notices.placeholders(en.getProperty(key)));
            assertThat(text).as("%s in %s is read as UTF-8", key, lang).doesNotContain("\uFFFD", "Ã");
        }
    }

    @Test
    void translations_are_not_english_left_in_place() throws IOException {
        Properties en = bundle("en");
        for (String lang : TRANSLATIONS) {
            Properties other = bundle(lang);
            long same = en.stringPropertyNames().stream()
                    .filter(k -> en.getProperty(k).equals(other.getProperty(k)))
                    .count();
            // a few words are the same in two languages ("Conversation", "Sources"); most are not
            assertThat(same).as("texts of %s equal to English", lang).isLessThanOrEqualTo(2);
        }
    }

    @Test
    void the_widget_script_holds_no_english_literal_shown_to_visitors() throws IOException {
        try (InputStream in = WidgetTextsTest.class.getResourceAsStream(WidgetScript.RESOURCE)) {
            String js = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(js).contains(WidgetScript.TEXTS_MARK);
            Matcher m = LITERAL.matcher(js);
            List<String> found = new java.util.ArrayList<>();
            while (m.find()) {
                found.add(m.group());
            }
            assertThat(found).as("sentences in widget.js").isEmpty();
            // every key the script asks for exists in the bundle
            Matcher keys = Pattern.compile("'(widget\\.[a-z_.]+)'").matcher(js);
            Set<String> used = new TreeSet<>();
            while (keys.find()) {
                used.add(keys.group(1));
            }
            assertThat(used).isNotEmpty();
            assertThat(WidgetTexts.defaults().keys()).containsAll(used);
        }
    }

    @Test
    void a_tag_falls_back_from_country_to_language_to_english() {
        WidgetTexts texts = WidgetTexts.defaults();
        assertThat(texts.texts("de").get("widget.input.placeholder")).isEqualTo("Nachricht schreiben…");
        assertThat(texts.texts("de-AT").get("widget.input.placeholder")).isEqualTo("Nachricht schreiben…");
        assertThat(texts.texts("pt_PT").get("widget.launcher.open")).isEqualTo("Abrir o chat de apoio");
        assertThat(texts.texts("ja").get("widget.launcher.open")).isEqualTo("Open support chat");
        assertThat(texts.texts("").get("widget.send")).isEqualTo("Send");
        assertThat(texts.answering("de-CH")).hasToString("de");
        assertThat(texts.answering("ja-JP")).hasToString("en");
    }

    @Test
    void the_english_texts_are_written_into_the_served_script() {
        String js = new String(WidgetScript.get().plain(), StandardCharsets.UTF_8);
        assertThat(js)
                .doesNotContain(WidgetScript.TEXTS_MARK)
                .contains("\"widget.launcher.open\":\"Open support chat\"");
    }

    @Test
    void the_endpoint_answers_in_the_asked_language_with_caching_headers() {
        try (Rig rig = Rig.start()) {
            Rig.Resp de = rig.get("/widget/v1/texts?lang=de-AT");
            assertThat(de.status()).isEqualTo(200);
            JsonNode j = de.json();
            assertThat(j.get("lang").asText()).isEqualTo("de");
            assertThat(j.get("texts").get("widget.input.placeholder").asText()).isEqualTo("Nachricht schreiben…");
            assertThat(j.get("texts").get("widget.launcher.unread").asText())
                    .isEqualTo("Support-Chat öffnen, {count} ungelesen");
            assertThat(j.get("texts").size())
                    .isEqualTo(WidgetTexts.defaults().keys().size());
            assertThat(de.header("Cache-Control")).isEqualTo("public, max-age=300");
            assertThat(de.header("Content-Type")).startsWith("application/json");
            String etag = de.header("ETag");
            assertThat(etag).startsWith("\"");
            assertThat(rig.get("/widget/v1/texts?lang=de-AT", "If-None-Match", etag)
                            .status())
                    .isEqualTo(304);

            Rig.Resp none = rig.get("/widget/v1/texts");
            assertThat(none.json().get("lang").asText()).isEqualTo("en");
            assertThat(none.json().get("texts").get("widget.send").asText()).isEqualTo("Send");
            assertThat(none.header("ETag")).isNotEqualTo(etag);
            assertThat(rig.get("/widget/v1/texts?lang=ja").json().get("lang").asText())
                    .isEqualTo("en");

            Rig.Resp bad = rig.get("/widget/v1/texts?lang=%3Cscript%3E");
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.json().get("error").get("message").asText()).contains("'lang'");
            assertThat(rig.post("/widget/v1/texts", "{}").status()).isEqualTo(405);
        }
    }

    @Test
    void users_override_one_text_or_bring_a_bundle_with_a_new_language() {
        try (Rig rig = Rig.start(b -> b.texts("com.example.support.widget")
                .text("widget.input.placeholder", "de", "Ihre Frage…")
                .text("widget.launcher.open", "en", "Chat with Northwind"))) {
            JsonNode de = rig.get("/widget/v1/texts?lang=de").json().get("texts");
            assertThat(de.get("widget.input.placeholder").asText()).isEqualTo("Ihre Frage…");
            assertThat(de.get("widget.title").asText()).isEqualTo("Northwind Kundendienst");
            assertThat(de.get("widget.send").asText()).isEqualTo("Senden");
            JsonNode it = rig.get("/widget/v1/texts?lang=it-IT").json();
            assertThat(it.get("lang").asText()).isEqualTo("it");
            assertThat(it.get("texts").get("widget.input.placeholder").asText()).isEqualTo("Scriva un messaggio…");
            assertThat(it.get("texts").get("widget.send").asText()).isEqualTo("Send");
            // the English override is in the script itself
            assertThat(rig.get("/widget.js").body()).contains("\"widget.launcher.open\":\"Chat with Northwind\"");
        }
    }

    @Test
    void an_unknown_key_or_a_blank_text_fails_fast() {
        assertThatThrownBy(() ->
                        WebChannel.builder().text("widget.nope", "de", "x").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("widget.nope")
                .hasMessageContaining("widget.input.placeholder");
        assertThatThrownBy(() -> WebChannel.builder().text("widget.send", "de", " "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("widget.send");
        assertThatThrownBy(() -> WebChannel.builder().texts(" ")).isInstanceOf(IllegalArgumentException.class);
    }
}
