package dev.opencx.channel.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opencx.channel.web.testing.HeadlessChromium;
import dev.opencx.webhook.WebResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * The widget speaks the visitor's language in headless Chromium: the script tag's {@code
 * data-lang}, else the page's {@code <html lang>}, else the browser's, else English. Needs Chromium like
 * {@link WidgetBrowserTest}.
 */
class WidgetLanguagesBrowserTest {
    private static final Duration T = Duration.ofSeconds(20);

    private Rig rig;
    private WebDriver driver;

    @BeforeEach
    void start() {
        HeadlessChromium.assume();
        rig = Rig.start(b -> b.text("widget.send", "de", "Abschicken"));
        rig.mount("/page", request -> {
            String lang =
                    request.queryParam("lang").map(l -> " lang=\"" + l + "\"").orElse("");
            String dataLang = request.queryParam("data-lang")
                    .map(l -> " data-lang=\"" + l + "\"")
                    .orElse("");
            return WebResponse.of(
                    200,
                    "text/html; charset=utf-8",
                    ("<!doctype html><html" + lang + "><head><meta charset=\"utf-8\"><title>Shop</title></head>"
                                    + "<body><p>Shop</p><script src=\"/widget.js\"" + dataLang
                                    + " async></script></body></html>")
                            .getBytes(StandardCharsets.UTF_8));
        });
    }

    @AfterEach
    void stop() {
        if (driver != null) {
            driver.quit();
        }
        if (rig != null) {
            rig.close();
        }
    }

    @Test
    void a_german_page_shows_german_labels_to_an_english_browser() {
        driver = HeadlessChromium.start(1280, 800, "en-US");
        driver.get(rig.uri("/page?lang=de").toString());
        WebElement launcher = waitFor(".ocx-launcher");
        assertThat(launcher.getAttribute("aria-label")).isEqualTo("Support-Chat öffnen");
        WebElement input = driver.findElement(By.id("ocx-input"));
        assertThat(input.getAttribute("placeholder")).isEqualTo("Nachricht schreiben…");
        assertThat(driver.findElement(By.cssSelector("label[for=ocx-input]")).getAttribute("textContent"))
                .isEqualTo("Ihre Nachricht");
        assertThat(driver.findElement(By.cssSelector(".ocx-greeting")).getAttribute("textContent"))
                .isEqualTo("Hallo! Fragen Sie uns, was Sie möchten.");
        assertThat(driver.findElement(By.id("ocx-root")).getAttribute("lang")).isEqualTo("de");
        launcher.click();
        HeadlessChromium.waitUntil(
                driver, T, d -> "Support-Chat schließen".equals(launcher.getAttribute("aria-label")));
        // a text overridden on the builder
        assertThat(driver.findElement(By.cssSelector(".ocx-send")).getText()).isEqualTo("Abschicken");
        assertThat(driver.findElement(By.id("ocx-title")).getText()).isEqualTo("Kundenservice");
    }

    @Test
    void a_page_without_a_language_on_an_english_browser_is_english() {
        driver = HeadlessChromium.start(1280, 800, "en-US");
        driver.get(rig.uri("/page").toString());
        WebElement launcher = waitFor(".ocx-launcher");
        assertThat((String) HeadlessChromium.js(driver, "return navigator.language"))
                .startsWith("en");
        assertThat(launcher.getAttribute("aria-label")).isEqualTo("Open support chat");
        assertThat(driver.findElement(By.id("ocx-input")).getAttribute("placeholder"))
                .isEqualTo("Write a message…");
        assertThat(driver.findElement(By.cssSelector(".ocx-send")).getAttribute("textContent"))
                .isEqualTo("Send");
    }

    @Test
    void a_page_without_a_language_follows_a_french_browser_and_data_lang_wins_over_the_page() {
        driver = HeadlessChromium.start(1280, 800, "fr-FR");
        driver.get(rig.uri("/page").toString());
        assertThat((String) HeadlessChromium.js(driver, "return navigator.language"))
                .startsWith("fr");
        assertThat(waitFor(".ocx-launcher").getAttribute("aria-label")).isEqualTo("Ouvrir le chat d’assistance");

        driver.get(rig.uri("/page?lang=de&data-lang=es").toString());
        assertThat(waitFor(".ocx-launcher").getAttribute("aria-label")).isEqualTo("Abrir el chat de asistencia");
        assertThat(driver.findElement(By.id("ocx-input")).getAttribute("placeholder"))
                .isEqualTo("Escriba un mensaje…");
    }

    private WebElement waitFor(String css) {
        return HeadlessChromium.waitUntil(driver, T, d -> HeadlessChromium.first(d, css));
    }
}
