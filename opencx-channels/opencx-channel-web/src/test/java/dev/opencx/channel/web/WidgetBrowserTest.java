package dev.opencx.channel.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opencx.channel.web.testing.HeadlessChromium;
import dev.opencx.conversation.Identity;
import dev.opencx.conversation.Session;
import dev.opencx.webhook.WebResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * The widget in headless Chromium against the real server: a visitor chats with the AI and sees a
 * sourced answer, markdown from every author is inert, the network drops and recovers without lost
 * or duplicated messages, and a wrong identity claim is refused. Needs Debian's {@code chromium}
 * and {@code chromium-driver} ({@code OPENCX_CHROMIUM} and {@code OPENCX_CHROMEDRIVER} override the
 * paths); without them the tests skip, unless {@code CI=true}: then they fail.
 *
 * <p>Screenshots go to {@code target/screenshots}; with {@code -Dopencx.updateScreenshots=true}
 * they also replace the ones in {@code docs/} that the README shows.
 */
class WidgetBrowserTest {
    private static final Duration T = Duration.ofSeconds(20);

    private Rig rig;
    private WebDriver driver;

    @BeforeEach
    void start() {
        HeadlessChromium.assume();
        rig = Rig.start();
        rig.mount("/shop", request -> {
            String attrs = request.queryParam("user")
                    .map(u -> " data-user-id=\"" + u + "\" data-user-hash=\""
                            + request.queryParam("hash").orElse("") + "\"")
                    .orElse("");
            return WebResponse.of(
                    200,
                    "text/html; charset=utf-8",
                    ("<!doctype html><html lang=\"en\"><head>"
                                    + "<meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                                    + "<title>Northwind Outfitters</title><style>body{font-family:system-ui,sans-serif;margin:0;background:#fafafa}"
                                    + "header{background:#243b2f;color:#fff;padding:18px 32px;font-size:22px}main{padding:32px;max-width:760px}"
                                    + "</style></head><body><header>Northwind Outfitters</header><main><h1>Trail Runner 3</h1>"
                                    + "<p>Light, grippy and ready for wet rock. Free returns within 30 days.</p></main>"
                                    + "<script src=\"/widget.js\" data-title=\"Northwind support\" data-color=\"#2f6f4f\""
                                    + attrs
                                    + " async></script></body></html>")
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        });
        driver = HeadlessChromium.start(1280, 800);
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
    void a_visitor_chats_with_the_ai_sees_a_sourced_answer_then_an_agent() throws IOException {
        driver.get(rig.uri("/shop").toString());
        WebElement launcher = waitFor(".ocx-launcher");
        assertThat(launcher.getAttribute("aria-expanded")).isEqualTo("false");
        assertThat(launcher.getAttribute("aria-label")).isEqualTo("Open support chat");
        launcher.sendKeys(Keys.ENTER); // keyboard only
        WebElement input = waitFor("#ocx-input");
        wait(d -> input.equals(d.switchTo().activeElement()));
        assertThat(launcher.getAttribute("aria-expanded")).isEqualTo("true");
        WebElement log = driver.findElement(By.cssSelector(".ocx-log"));
        assertThat(log.getAttribute("role")).isEqualTo("log");
        assertThat(log.getAttribute("aria-live")).isEqualTo("polite");

        input.sendKeys("when do refunds reach my card", Keys.ENTER);
        WebElement answer = wait(d -> first(d, "li.ocx-ai"));
        assertThat(answer.getText()).contains("five business days");
        WebElement source = answer.findElement(By.cssSelector(".ocx-sources a"));
        assertThat(source.getAttribute("href")).isEqualTo("https://shop.example/help/returns");
        assertThat(source.getText()).isEqualTo("Returns and refunds");
        assertThat(source.getAttribute("rel")).contains("noopener");
        assertThat(texts("li.ocx-customer")).containsExactly("when do refunds reach my card");

        input.sendKeys("I want to talk to a person", Keys.ENTER);
        WebElement notice = wait(d -> first(d, "li.ocx-handoff"));
        Session s = onlyWebSession();
        assertThat(notice.getText()).contains(s.ticket().toString());
        rig.helpdesk.agent().agentJoined(s.ticket(), "maria");
        rig.helpdesk
                .agent()
                .agentReplied(s.ticket(), "maria", "Hi, **Maria** here! I can see your order. Anything else?", "a-1");
        WebElement agent = wait(d -> first(d, "li.ocx-agent"));
        assertThat(agent.findElement(By.tagName("strong")).getText()).isEqualTo("Maria");
        assertThat(driver.findElements(By.cssSelector("li.ocx-agent-joined"))).hasSize(1);
        screenshot("widget-desktop.png");

        driver.manage().window().setSize(new Dimension(390, 844));
        WebElement panel = driver.findElement(By.id("ocx-panel"));
        wait(d -> panel.getSize().getWidth() == ((Number) js("return window.innerWidth")).intValue());
        screenshot("widget-mobile.png");

        input.sendKeys(Keys.ESCAPE);
        wait(d -> !panel.isDisplayed());
        assertThat(driver.switchTo().activeElement()).isEqualTo(launcher);
    }

    @Test
    void markdown_from_every_author_is_rendered_inert() {
        driver.get(rig.uri("/shop").toString());
        waitFor(".ocx-launcher").click();
        WebElement input = waitFor("#ocx-input");
        input.sendKeys(
                "<script>window.__xss=1</script> **bold** [x](javascript:window.__xss=2) <img src=x onerror=\"window.__xss=3\">",
                Keys.ENTER);
        wait(d -> first(d, "li.ocx-customer[data-id]"));
        input.sendKeys("do gift cards expire", Keys.ENTER);
        wait(d -> d.findElements(By.cssSelector("li.ocx-ai, li.ocx-handoff")).size() >= 1 ? true : null);
        input.sendKeys("I want to talk to a person", Keys.ENTER);
        wait(d -> first(d, "li.ocx-handoff"));
        Session s = onlyWebSession();
        rig.helpdesk
                .agent()
                .agentReplied(
                        s.ticket(),
                        "eve",
                        "Hi **there** <script>window.__xss=4</script> [click](javascript:window.__xss=5) [Help](https://shop.example/help)"
                                + " <img src=x onerror=window.__xss=6> [a](JaVaScRiPt:window.__xss=9) [d](data:text/html,hi)"
                                + " <a href=\"javascript:window.__xss=10\">raw</a> https://shop.example/track?id=1&x=2 [m](mailto:help@shop.example)"
                                + "\n\n- one\n- `<b>code</b>`",
                        "evil-1");
        WebElement agent = wait(d -> first(d, "li.ocx-agent"));

        assertThat(js("return window.__xss === undefined")).isEqualTo(true);
        assertThat(count("#ocx-root script, #ocx-root img, #ocx-root iframe, #ocx-root b"))
                .isZero();
        assertThat(
                        js(
                                "return Array.from(document.querySelectorAll('#ocx-root a')).filter(a => !/^(https?:|mailto:)/i.test(a.getAttribute('href'))).length"))
                .isEqualTo(0L);
        assertThat(
                        js(
                                "return Array.from(document.querySelectorAll('#ocx-root .ocx-log *')).filter(e => Array.from(e.attributes).some(a => a.name.startsWith('on'))).length"))
                .isEqualTo(0L);
        assertThat(agent.getText()).contains("<script>window.__xss=4</script>", "<b>code</b>");
        assertThat(agent.findElement(By.tagName("strong")).getText()).isEqualTo("there");
        List<String> hrefs = agent.findElements(By.tagName("a")).stream()
                .map(a -> a.getAttribute("href"))
                .collect(Collectors.toList());
        assertThat(hrefs)
                .containsExactly(
                        "https://shop.example/help", "https://shop.example/track?id=1&x=2", "mailto:help@shop.example");
        assertThat(agent.findElements(By.cssSelector("li li"))).hasSize(2);
        WebElement mine = driver.findElement(By.cssSelector("li.ocx-customer"));
        assertThat(mine.getText()).contains("<script>window.__xss=1</script>");
        assertThat(mine.findElement(By.tagName("strong")).getText()).isEqualTo("bold");
    }

    @Test
    void the_markdown_renderer_neutralises_known_injection_payloads() {
        driver.get(rig.uri("/shop").toString());
        waitFor(".ocx-launcher");
        Object unsafe = js("const payloads = ["
                + "'<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '<svg onload=alert(1)>',"
                + "'[x](javascript:alert(1))', '[x](JAVASCRIPT:alert(1))', '[x]( javascript:alert(1))',"
                + "'[x](javascript&#58;alert(1))', '[x](data:text/html;base64,PHNjcmlwdD4=)', '[x](vbscript:msgbox(1))',"
                + "'[x](https://ok.example\" onmouseover=\"alert(1))', '[<img src=x onerror=alert(1)>](https://ok.example)',"
                + "'https://ok.example/\"onmouseover=alert(1)//', '`<script>alert(1)</script>`', '```\\n<iframe src=x></iframe>\\n```',"
                + "'**<b onclick=alert(1)>x</b>**', '<a href=\"javascript:alert(1)\">a</a>', '&lt;script&gt;alert(1)&lt;/script&gt;',"
                + "'[x](//evil.example)', '<style>*{display:none}</style>', '- <details open ontoggle=alert(1)>'];"
                + "const bad = [];"
                + "for (const p of payloads) {"
                + "  const box = document.createElement('div'); box.innerHTML = window.OpenCX.markdown(p);"
                + "  const els = box.querySelectorAll('*');"
                + "  for (const e of els) {"
                + "    if (!['P','BR','STRONG','EM','CODE','PRE','UL','OL','LI','A'].includes(e.tagName)) bad.push(p + ' -> ' + e.tagName);"
                + "    for (const a of e.attributes) { if (a.name.startsWith('on') || a.name === 'style' || a.name === 'src') bad.push(p + ' -> ' + a.name); }"
                + "    if (e.tagName === 'A' && !/^(https?:\\/\\/|mailto:)/i.test(e.getAttribute('href'))) bad.push(p + ' -> ' + e.getAttribute('href'));"
                + "  }"
                + "}"
                + "return bad;");
        assertThat(unsafe).asList().isEmpty();
        assertThat(js(
                        "return window.OpenCX.markdown(arguments[0])",
                        "**a** _b_ `c` [d](https://e.example)\n\n1. f\n2. g"))
                .isEqualTo(
                        "<p><strong>a</strong> <em>b</em> <code>c</code> <a href=\"https://e.example\" target=\"_blank\""
                                + " rel=\"noopener noreferrer nofollow\">d</a></p><ol><li>f</li><li>g</li></ol>");
    }

    @Test
    void the_network_drops_and_recovers_without_lost_or_duplicated_messages() {
        driver.get(rig.uri("/shop").toString());
        waitFor(".ocx-launcher").click();
        WebElement input = waitFor("#ocx-input");
        input.sendKeys("I want to talk to a person", Keys.ENTER);
        wait(d -> first(d, "li.ocx-handoff"));
        Session s = onlyWebSession();

        int port = rig.stopServer(); // every connection drops
        wait(d -> !driver.findElement(By.cssSelector(".ocx-status")).getText().isEmpty());
        for (int i = 1; i <= 3; i++) {
            rig.helpdesk.agent().agentReplied(s.ticket(), "maria", "offline message " + i, "off-" + i);
        }
        input.sendKeys("sent while offline", Keys.ENTER); // retried with the same client id
        wait(d -> first(d, "li.ocx-customer .ocx-note"));
        rig.startServer(port);

        wait(d -> texts("li.ocx-agent").size() == 3
                        && first(d, "li.ocx-customer.ocx-pending") == null
                        && texts("li.ocx-customer").size() == 2
                ? true
                : null);
        rig.helpdesk.agent().agentReplied(s.ticket(), "maria", "back online", "on-1");
        wait(d -> texts("li.ocx-agent").size() == 4 ? true : null);
        // give a duplicate the chance to show up
        rig.cx.awaitIdle(T);
        sleep(800);
        assertThat(texts("li.ocx-agent"))
                .containsExactly(
                        "Support agent:\noffline message 1", "Support agent:\noffline message 2",
                        "Support agent:\noffline message 3", "Support agent:\nback online");
        assertThat(texts("li.ocx-customer")).containsExactly("I want to talk to a person", "sent while offline");
        assertThat(js("return Array.from(document.querySelectorAll('#ocx-root li[data-id]')).map(e => e.dataset.id)"))
                .asList()
                .doesNotHaveDuplicates();
        assertThat(rig.cx.events(s.id()).stream()
                        .filter(e -> e.payload() instanceof dev.opencx.event.MessageReceived)
                        .count())
                .as("the retried send was stored once")
                .isEqualTo(2);
        assertThat(driver.findElement(By.cssSelector(".ocx-status")).getText()).isEmpty();
    }

    @Test
    void a_wrong_identity_claim_is_refused_and_a_right_one_chats() {
        String wrong = rig.web.userHash("someone-else");
        driver.get(rig.uri("/shop?user=user-7&hash=" + wrong).toString());
        waitFor(".ocx-launcher").click();
        WebElement status = waitFor(".ocx-status");
        wait(d -> status.getText().contains("could not verify your identity") ? true : null);
        assertThat(driver.findElement(By.id("ocx-input")).isEnabled()).isFalse();
        assertThat(rig.store.findContact(Identity.custom("user-7"))).isEmpty();

        driver.get(
                rig.uri("/shop?user=user-7&hash=" + rig.web.userHash("user-7")).toString());
        waitFor(".ocx-launcher").click();
        WebElement input = waitFor("#ocx-input");
        input.sendKeys("do you ship to canada", Keys.ENTER);
        WebElement answer = wait(d -> first(d, "li.ocx-ai"));
        assertThat(answer.getText()).contains("Canada");
        assertThat(rig.store.findContact(Identity.custom("user-7"))).isPresent();
    }

    // ---- helpers ----

    private Session onlyWebSession() {
        return rig
                .store
                .sessions(dev.opencx.store.SessionQuery.inStates(dev.opencx.conversation.SessionState.values()))
                .stream()
                .filter(x -> x.channel().equals(dev.opencx.conversation.ChannelId.WEB))
                .reduce((a, b) -> {
                    throw new AssertionError("more than one web session");
                })
                .orElseThrow();
    }

    private WebElement waitFor(String css) {
        return wait(d -> first(d, css));
    }

    private <V> V wait(java.util.function.Function<WebDriver, V> condition) {
        return HeadlessChromium.waitUntil(driver, T, condition);
    }

    private static WebElement first(WebDriver d, String css) {
        return HeadlessChromium.first(d, css);
    }

    private List<String> texts(String css) {
        return driver.findElements(By.cssSelector(css)).stream()
                .map(e -> {
                    String t = e.getText();
                    return t.startsWith("You:") ? t.substring(4).strip() : t;
                })
                .collect(Collectors.toList());
    }

    private long count(String css) {
        return driver.findElements(By.cssSelector(css)).size();
    }

    private Object js(String script, Object... args) {
        return HeadlessChromium.js(driver, script, args);
    }

    private void screenshot(String name) throws IOException {
        HeadlessChromium.screenshot(driver, name);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
