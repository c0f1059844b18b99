package dev.opencx.helpdesk.inbox.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opencx.channel.web.testing.HeadlessChromium;
import dev.opencx.conversation.Identity;
import dev.opencx.conversation.Session;
import dev.opencx.conversation.SessionState;
import dev.opencx.helpdesk.inbox.InboxTicket;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;

/**
 * The inbox in headless Chromium against the real server, next to the chat widget: a visitor asks
 * for a human and sees the agent's reply live; inspect mode shows what the AI saw and an agent
 * takes over by typing; a POST without the CSRF token is refused; a long conversation loads
 * earlier messages on demand and stays live; a wrong password is refused; markup from customers,
 * the AI and the knowledge base stays inert. Needs Debian's {@code chromium}
 * and {@code chromium-driver} ({@code OPENCX_CHROMIUM} and {@code OPENCX_CHROMEDRIVER} override the
 * paths); without them the tests skip, unless {@code CI=true}: then they fail.
 *
 * <p>Screenshots go to {@code target/screenshots}; with {@code -Dopencx.updateScreenshots=true}
 * they also replace the ones in {@code docs/} that the README shows.
 */
class InboxBrowserTest {
    private static final Duration T = Duration.ofSeconds(20);

    private InboxRig rig;
    private WebDriver driver;

    @BeforeEach
    void start() {
        HeadlessChromium.assume();
        rig = new InboxRig();
        driver = HeadlessChromium.start(1440, 1100);
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
    void a_visitor_asks_for_a_human_and_sees_the_agents_reply_live() throws IOException {
        String inboxTab = driver.getWindowHandle();
        signIn();
        waitFor("#queue li.none");

        rig.api
                .receive(Identity.email("bo@example.com"), "I was charged twice for my boots, get me a person")
                .join();
        String visitorTab = openTab(rig.uri("/shop").toString());
        waitFor(".ocx-launcher").click();
        WebElement input = waitFor("#ocx-input");
        input.sendKeys("Hi, I'm ana@example.com and I want to talk to a person", Keys.ENTER);
        wait(d -> first(d, "li.ocx-handoff"));
        Session s = webSession();

        driver.switchTo().window(inboxTab);
        String row = "#queue button.row[data-session='" + s.id() + "']";
        waitFor(row); // appeared without a reload
        assertThat(text(row)).contains(s.ticket().toString(), "explicit request", "ana@example.com");
        click(row);
        wait(d -> text("#conv-ticket").equals(s.ticket().toString()));
        assertThat(text("#conv-items")).contains("Hi, I'm ana@example.com and I want to talk to a person");
        wait(d -> driver.findElements(By.cssSelector("#queue button.row")).size() == 2);
        screenshot("inbox-queue.png");
        click("#btn-claim");
        wait(d -> text("#conv-state").equals("agent active"));
        assertThat(rig.inbox.ticket(s.ticket()).orElseThrow().assignee()).isEqualTo("maria");

        type("#composer", "Customer is upset about order 1042");
        click("#send-note");
        wait(d -> first(d, "#conv-items li.note"));
        type("#composer", "Hi Ana, **Maria** here. How can I help?");
        click("#send-reply");
        wait(d -> first(d, "#conv-items li.agent"));

        driver.switchTo().window(visitorTab);
        WebElement reply = wait(d -> first(d, "li.ocx-agent"));
        assertThat(reply.getText()).contains("Maria", "How can I help?");
        assertThat(driver.findElement(By.id("ocx-panel")).getText()).doesNotContain("upset");
        input.sendKeys("My order 1042 never arrived", Keys.ENTER);

        driver.switchTo().window(inboxTab);
        wait(d -> text("#conv-items").contains("My order 1042 never arrived")); // live, no reload
        screenshot("inbox-conversation.png");

        click("#btn-resolve");
        wait(d -> text("#conv-state").equals("resolved"));
        assertThat(rig.inbox.ticket(s.ticket()).orElseThrow().status()).isEqualTo(InboxTicket.Status.RESOLVED);
    }

    @Test
    void inspect_mode_shows_what_the_ai_saw_and_an_agent_takes_over_by_typing() throws IOException {
        rig.model
                .toolCall("get_order", "{\"order_id\":\"1042\"}")
                .answer("Order 1042 has **shipped** and arrives on Friday.", 0.86);
        String visitorTab = driver.getWindowHandle();
        driver.get(rig.uri("/shop").toString());
        waitFor(".ocx-launcher").click();
        WebElement input = waitFor("#ocx-input");
        input.sendKeys("Where is my order 1042? I'm ana@example.com, card 4111 1111 1111 1111", Keys.ENTER);
        wait(d -> first(d, "li.ocx-ai"));
        Session s = onlySession();

        String inboxTab = openTab(rig.uri("/inbox/login").toString());
        signIn();
        click("#live button.row[data-session='" + s.id() + "']");
        click("#conv-items li.ai details.trace summary");
        waitFor("#conv-items li.ai details[open] .trace-autopilot");
        assertThat(text("li.ai .trace-autopilot")).contains("AI replies");
        assertThat(driver.findElements(By.cssSelector("li.ai .trace-passages tbody tr")))
                .isNotEmpty();
        assertThat(text("li.ai .trace-passages")).containsPattern("\\d\\.\\d{3}");
        assertThat(text("li.ai .trace-actions")).contains("get_order", "ok", "200", "/orders/1042");
        assertThat(text("li.ai .trace-confidence")).contains("0.86", "threshold 0.50");
        assertThat(text("li.ai .trace-topic")).contains("orders", "0.91", "threshold 0.50");
        assertThat(text("#conv-items")).contains("ana@example.com"); // revealed for agents
        assertThat(text("#conv-items li.customer .pii")).isEqualTo("[CARD_1]"); // never revealed: marked as such
        screenshot("inbox-inspect.png");

        // watching live: the next AI turn appears in the open conversation without a reload
        rig.model.answer("It ships with tracked delivery; the link is in your shipping e-mail.", 0.8);
        driver.switchTo().window(visitorTab);
        input.sendKeys("can I track it?", Keys.ENTER);
        driver.switchTo().window(inboxTab);
        wait(d -> driver.findElements(By.cssSelector("#conv-items li.ai")).size() == 2);
        assertThat(text("#conv-items")).contains("can I track it?", "the link is in your shipping e-mail");

        assertThat(text("#send-reply")).isEqualTo("Take over and reply");
        type("#composer", "Hi Ana, Maria here: I'll follow your parcel personally.");
        click("#send-reply");
        wait(d -> text("#conv-state").equals("agent active"));
        assertThat(rig.cx.session(s.id()).orElseThrow().state()).isEqualTo(SessionState.AGENT_ACTIVE);

        driver.switchTo().window(visitorTab);
        wait(d -> first(d, "li.ocx-agent"));
        int modelCalls = rig.model.requests().size();
        input.sendKeys("thanks!", Keys.ENTER);
        driver.switchTo().window(inboxTab);
        wait(d -> text("#conv-items").contains("thanks!"));
        assertThat(rig.model.requests()).as("the AI paused for this session").hasSize(modelCalls);
    }

    @Test
    void a_post_without_the_csrf_token_is_refused_and_changes_nothing() throws IOException {
        var r = rig.api
                .receive(Identity.email("bo@example.com"), "I want to talk to a person")
                .join();
        rig.cx.awaitIdle(T);
        signIn();
        waitFor("#queue button.row[data-session='" + r.sessionId() + "']");
        Object status = ((org.openqa.selenium.JavascriptExecutor) driver)
                .executeAsyncScript("const done = arguments[arguments.length - 1];"
                        + "fetch('/inbox/api/tickets/" + r.ticket().value() + "/resolve', {method: 'POST',"
                        + " headers: {'Content-Type': 'application/json'}, body: '{}'}).then(x => done(x.status));");
        assertThat(status).isEqualTo(403L);
        Object forged = ((org.openqa.selenium.JavascriptExecutor) driver)
                .executeAsyncScript(
                        "const done = arguments[arguments.length - 1];"
                                + "fetch('/inbox/api/autopilot', {method: 'POST', headers: {'Content-Type': 'application/json',"
                                + " 'X-CSRF-Token': 'forged'}, body: JSON.stringify({channel: 'web', on: false})}).then(x => done(x.status));");
        assertThat(forged).isEqualTo(403L);
        assertThat(rig.inbox.ticket(r.ticket()).orElseThrow().status()).isEqualTo(InboxTicket.Status.WAITING);
        assertThat(rig.cx.autopilot().isOn(dev.opencx.conversation.ChannelId.WEB))
                .isTrue();
        assertThat(rig.inboxWeb.autopilotChanges()).isEmpty();

        // the page itself sends the token: switching autopilot off for the web works and is audited
        click("#nav-autopilot");
        click("button.toggle[data-channel='web']");
        wait(d -> first(d, "button.toggle[data-channel='web']:not(.on)"));
        assertThat(rig.cx.autopilot().isOn(dev.opencx.conversation.ChannelId.WEB))
                .isFalse();
        wait(d -> text("#autopilot-audit").contains("maria set channel:web: on → off"));
        js("const s = document.querySelector(\"select[data-topic='billing']\");"
                + " s.value = 'HANDOFF'; s.dispatchEvent(new Event('change'));");
        wait(d -> text("#autopilot-audit").contains("maria set topic:billing: none → HANDOFF"));
        assertThat(rig.cx.autopilot().gate("billing"))
                .isEqualTo(dev.opencx.autopilot.AutopilotPolicy.GateAction.HANDOFF);
        screenshot("inbox-autopilot.png");
    }

    @Test
    void a_long_conversation_loads_earlier_messages_on_demand_and_stays_live() {
        Identity bo = Identity.email("bo@example.com");
        var r = rig.api.receive(bo, "I want to talk to a person").join();
        rig.cx.awaitIdle(T);
        for (int i = 0; i < 60; i++) {
            rig.api.receive(bo, "line #" + i + " of a long story").join();
        }
        rig.cx.awaitIdle(T);
        int total = (int) rig.cx.events(r.sessionId()).stream()
                .filter(e -> e.payload() instanceof dev.opencx.event.MessageReceived
                        || e.payload() instanceof dev.opencx.event.MessageForwarded
                        || e.payload() instanceof dev.opencx.event.HandoffRequested)
                .count();
        assertThat(total).isGreaterThan(100);

        signIn();
        click("#queue button.row[data-session='" + r.sessionId() + "']");
        wait(d -> text("#conv-items").contains("line #59 of a long story"));
        assertThat(shownItems()).isEqualTo(50);
        assertThat(text("#conv-items")).doesNotContain("line #0 of a long story");

        click("#load-earlier");
        wait(d -> shownItems() == 100);
        click("#load-earlier");
        wait(d -> shownItems() == total);
        assertThat(driver.findElements(By.id("load-earlier")))
                .as("nothing older")
                .isEmpty();
        assertThat(text("#conv-items")).contains("I want to talk to a person", "line #0 of a long story");

        rig.api.receive(bo, "one more thing").join(); // live: appears without a reload, the older ones stay
        wait(d -> text("#conv-items").contains("one more thing"));
        wait(d -> shownItems() == total + 2);
        assertThat(text("#conv-items")).contains("line #0 of a long story");
    }

    private long shownItems() {
        Object n = js("return document.querySelectorAll('#conv-items li.item:not(.older)').length");
        return n instanceof Number x ? x.longValue() : -1;
    }

    @Test
    void a_wrong_password_is_refused() {
        driver.get(rig.uri("/inbox/").toString());
        wait(d -> d.getCurrentUrl().endsWith("/inbox/login"));
        waitFor("#login").sendKeys("maria");
        driver.findElement(By.id("password")).sendKeys("not my password", Keys.ENTER);
        WebElement error = waitFor("#login-error");
        assertThat(error.getText()).isEqualTo("Wrong name or password.");
        assertThat(driver.findElements(By.id("queue"))).isEmpty();
        driver.get(rig.uri("/inbox/").toString());
        wait(d -> d.getCurrentUrl().endsWith("/inbox/login"));
    }

    @Test
    void markup_from_customers_the_ai_and_passages_is_rendered_inert() {
        rig.knowledge.upsert(InboxRig.doc(
                "gift-card-terms",
                "Gift card terms <img src=x onerror=\"window.__xss=40\">",
                "Gift cards never expire. <script>window.__xss=41</script>"));
        rig.model.answer(
                "<b>Gift</b> cards never expire <script>window.__xss=5</script>"
                        + " <img src=x onerror=\"window.__xss=6\">",
                0.9);
        var first = rig.api
                .receive(Identity.email("eve@example.com"), "do gift cards expire")
                .join();
        rig.cx.awaitIdle(T);
        rig.api
                .receive(
                        Identity.email("eve@example.com"),
                        "<script>window.__xss=1</script> <img src=x onerror=\"window.__xss=2\"> **bold**"
                                + " [x](javascript:window.__xss=3) <iframe src=\"javascript:window.__xss=7\"></iframe>"
                                + " I want to talk to a person")
                .join();
        rig.cx.awaitIdle(T);
        signIn();
        click("#queue button.row[data-session='" + first.sessionId() + "']");
        click("#conv-items li.ai details.trace summary");
        waitFor(".trace-passages");

        assertThat(js("return window.__xss === undefined")).isEqualTo(true);
        assertThat(driver.findElements(By.cssSelector(
                        "main script, main img, main iframe, main b, aside script, aside img, aside iframe")))
                .isEmpty();
        assertThat(js("return Array.from(document.querySelectorAll('main *, aside *'))"
                        + ".filter(e => Array.from(e.attributes).some(a => a.name.startsWith('on'))).length"))
                .isEqualTo(0L);
        assertThat(js("return document.querySelectorAll('main a, aside a').length"))
                .isEqualTo(0L);
        assertThat(
                        js(
                                "return Array.from(document.querySelectorAll('main strong')).filter(e => e.textContent === 'bold').length"))
                .isEqualTo(0L);
        String conversation = text("#conv-items");
        assertThat(conversation)
                .contains("<script>window.__xss=1</script>", "**bold** [x](javascript:window.__xss=3)")
                .contains("<b>Gift</b> cards never expire <script>window.__xss=5</script>")
                .contains("<iframe src=\"javascript:window.__xss=7\"></iframe>");
        assertThat(text(".trace-passages")).contains("Gift card terms <img src=x onerror=\"window.__xss=40\">");
        assertThat(text("#queue")).contains("<iframe");
    }

    // ---- helpers ----

    private void signIn() {
        if (!driver.getCurrentUrl().endsWith("/inbox/login")) {
            driver.get(rig.uri("/inbox/login").toString());
        }
        waitFor("#login").sendKeys("maria");
        driver.findElement(By.id("password")).sendKeys(InboxRig.PASSWORD, Keys.ENTER);
        waitFor("#queue");
    }

    /** Clicks the first match once it exists (in one step: the page re-renders live). */
    private void click(String css) {
        waitFor(css);
        wait(d -> Boolean.TRUE.equals(js(
                "const e = document.querySelector(arguments[0]); if (!e || e.disabled) return false; e.click(); return true;",
                css)));
    }

    private String openTab(String url) {
        driver.switchTo().newWindow(WindowType.TAB);
        driver.get(url);
        return driver.getWindowHandle();
    }

    private void type(String css, String text) {
        WebElement box = waitFor(css);
        box.clear();
        box.sendKeys(text);
    }

    private Session webSession() {
        return rig.store.sessions(dev.opencx.store.SessionQuery.inStates(SessionState.values())).stream()
                .filter(x -> x.channel().equals(dev.opencx.conversation.ChannelId.WEB))
                .findFirst()
                .orElseThrow();
    }

    private Session onlySession() {
        List<Session> all = rig.store.sessions(dev.opencx.store.SessionQuery.inStates(SessionState.values()));
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    /** The rendered text of the first match, empty when none (read in one step: the page re-renders live). */
    private String text(String css) {
        Object t = js("const e = document.querySelector(arguments[0]); return e ? e.innerText : '';", css);
        return t == null ? "" : t.toString().strip();
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

    private Object js(String script, Object... args) {
        return HeadlessChromium.js(driver, script, args);
    }

    private void screenshot(String name) throws IOException {
        HeadlessChromium.screenshot(driver, name);
    }
}
