package dev.opencx.helpdesk.inbox.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opencx.OpenCx;
import dev.opencx.channel.api.ApiChannel;
import dev.opencx.helpdesk.inbox.InboxHelpdesk;
import dev.opencx.knowledge.InMemoryKnowledgeStore;
import dev.opencx.store.InMemoryConversationStore;
import dev.opencx.test.TestClock;
import dev.opencx.webhook.WebRequest;
import dev.opencx.webhook.WebResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Sign-in throttling and the stateless sign-in form, against the handler on a test clock: wrong
 * passwords slow down their address (1 s, 2 s, 4 s, … up to the maximum) and never lock the agent
 * out from another address; the form's token is kept by nobody, so other people's traffic cannot
 * expire it.
 */
class SignInTest {
    private static final String ATTACKER = "203.0.113.7";
    private static final String AGENT_HOME = "198.51.100.4";
    /** Cheap to check (the lowest iteration count accepted), so these tests stay fast. */
    private static final String MARIA_HASH =
            PasswordHashes.hash(InboxRig.PASSWORD.toCharArray(), PasswordHashes.MIN_ITERATIONS);

    private final TestClock clock = new TestClock(Instant.parse("2026-01-01T09:00:00Z"));
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private OpenCx cx;
    private InboxHelpdesk inbox;

    @BeforeEach
    void start() {
        InMemoryConversationStore store = new InMemoryConversationStore();
        inbox = InboxHelpdesk.builder().store(store).build();
        cx = OpenCx.builder()
                .store(store)
                .channel(ApiChannel.create())
                .knowledge(new InMemoryKnowledgeStore())
                .helpdesk(inbox)
                .build();
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
        if (cx != null) {
            cx.close();
        }
    }

    private InboxWeb web(UnaryOperator<InboxWeb.Builder> settings) {
        InboxWeb web = settings.apply(InboxWeb.builder(cx, inbox)
                        .agent(AgentAccount.of("maria", "Maria Silva", MARIA_HASH))
                        .loginBackoff(3, Duration.ofMinutes(1))
                        .clock(clock))
                .build();
        toClose.add(web);
        return web;
    }

    @Test
    void wrong_passwords_slow_down_their_address_and_the_agent_still_signs_in_from_another() {
        InboxWeb web = web(b -> b);
        for (int i = 0; i < 3; i++) {
            WebResponse wrong = signIn(web, ATTACKER, "maria", "guess " + i);
            assertThat(wrong.status()).isEqualTo(401);
            assertThat(wrong.bodyText()).contains("Wrong name or password.");
        }
        WebResponse slowed = signIn(web, ATTACKER, "maria", InboxRig.PASSWORD);
        assertThat(slowed.status())
                .as("even the right password, from there, for now")
                .isEqualTo(429);
        assertThat(slowed.header("Retry-After")).isEqualTo("1");
        assertThat(slowed.bodyText()).contains("Too many wrong passwords. Try again in 1 second.");

        assertThat(signIn(web, AGENT_HOME, "maria", InboxRig.PASSWORD).status())
                .as("the agent from their own address: never locked out")
                .isEqualTo(303);

        clock.advance(Duration.ofSeconds(1));
        assertThat(signIn(web, ATTACKER, "maria", InboxRig.PASSWORD).status())
                .as("after the wait, the right password works there too")
                .isEqualTo(303);
    }

    @Test
    void each_further_wrong_password_doubles_the_wait_up_to_the_maximum() {
        InboxWeb web = web(b -> b);
        for (int i = 0; i < 3; i++) {
            assertThat(signIn(web, ATTACKER, "maria", "guess").status()).isEqualTo(401);
        }
        List<String> retryAfter = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            WebResponse early = signIn(web, ATTACKER, "maria", "guess");
            assertThat(early.status()).isEqualTo(429);
            retryAfter.add(early.header("Retry-After"));
            clock.advance(Duration.ofSeconds(Long.parseLong(early.header("Retry-After"))));
            assertThat(signIn(web, ATTACKER, "maria", "guess").status())
                    .as("checked once the wait is over")
                    .isEqualTo(401);
        }
        assertThat(retryAfter).containsExactly("1", "2", "4", "8", "16", "32", "60", "60");
    }

    @Test
    void names_that_are_not_accounts_get_the_same_answer_and_count_against_the_address() {
        InboxWeb web = web(b -> b);
        WebResponse wrongPassword = signIn(web, "192.0.2.50", "maria", "guess");
        WebResponse unknown = signIn(web, "192.0.2.51", "nobody", "guess");
        assertThat(unknown.status()).isEqualTo(wrongPassword.status()).isEqualTo(401);
        assertThat(formError(unknown)).isEqualTo(formError(wrongPassword)).isEqualTo("Wrong name or password.");

        for (int i = 0; i < 12; i++) { // 4 times the free failures, each for another made-up name
            assertThat(signIn(web, ATTACKER, "made-up-" + i, "guess").status()).isEqualTo(401);
        }
        assertThat(signIn(web, ATTACKER, "maria", InboxRig.PASSWORD).status())
                .as("the address as a whole is slowed")
                .isEqualTo(429);
        assertThat(signIn(web, AGENT_HOME, "maria", InboxRig.PASSWORD).status()).isEqualTo(303);
    }

    @Test
    void the_sign_in_form_keeps_nothing_on_the_server_so_other_traffic_cannot_expire_it() {
        InboxWeb web = web(b -> b);
        Form agentsForm = form(web, AGENT_HOME, "");
        for (int i = 0; i < 10_000; i++) {
            WebResponse other = web.handler()
                    .handle(WebRequest.builder("GET", "/login")
                            .remoteAddress("203.0.113." + (i % 250))
                            .build());
            assertThat(other.status()).isEqualTo(200);
        }
        clock.advance(Duration.ofMinutes(50));
        assertThat(post(web, AGENT_HOME, agentsForm, "maria", InboxRig.PASSWORD).status())
                .as("the agent's form, 50 min and 10,000 other forms later")
                .isEqualTo(303);
    }

    @Test
    void a_sign_in_form_belongs_to_its_browser_and_expires_after_an_hour() {
        InboxWeb web = web(b -> b);
        Form mine = form(web, AGENT_HOME, "");
        Form someoneElses = form(web, ATTACKER, "");
        assertThat(mine.cookie()).isNotEqualTo(someoneElses.cookie());
        assertThat(form(web, AGENT_HOME, mine.cookie()).cookie())
                .as("a second tab keeps the browser's cookie, so both forms work")
                .isEqualTo(mine.cookie());

        WebResponse crossed =
                post(web, AGENT_HOME, new Form(mine.cookie(), someoneElses.token()), "maria", InboxRig.PASSWORD);
        assertThat(crossed.status()).as("a token made for another browser").isEqualTo(403);
        assertThat(crossed.bodyText()).contains("Your sign-in form expired");

        clock.advance(Duration.ofMinutes(61));
        WebResponse stale = post(web, AGENT_HOME, mine, "maria", InboxRig.PASSWORD);
        assertThat(stale.status()).isEqualTo(403);
        Form again = new Form(cookieOf(stale), InboxRig.csrfOf(stale.bodyText()));
        assertThat(post(web, AGENT_HOME, again, "maria", InboxRig.PASSWORD).status())
                .as("the fresh form that came with the refusal")
                .isEqualTo(303);
    }

    @Test
    void behind_a_trusted_proxy_sign_ins_count_against_the_forwarded_address_and_a_forged_one_is_ignored() {
        InboxWeb web = web(b -> b.trustedProxies(List.of("10.0.0.2")));
        for (int i = 0; i < 3; i++) {
            assertThat(viaProxy(web, ATTACKER, "maria", "guess").status()).isEqualTo(401);
        }
        assertThat(viaProxy(web, ATTACKER, "maria", InboxRig.PASSWORD).status()).isEqualTo(429);
        assertThat(viaProxy(web, "198.51.100.4, " + ATTACKER, "maria", InboxRig.PASSWORD)
                        .status())
                .as("what the client prepended does not count: the proxy saw " + ATTACKER)
                .isEqualTo(429);
        assertThat(viaProxy(web, AGENT_HOME, "maria", InboxRig.PASSWORD).status())
                .isEqualTo(303);

        WebResponse forged = signIn(web, ATTACKER, "maria", InboxRig.PASSWORD, "X-Forwarded-For", AGENT_HOME);
        assertThat(forged.status())
                .as("X-Forwarded-For from a client that is not a trusted proxy is ignored")
                .isEqualTo(429);
    }

    // ---- helpers: the handler called as the server calls it ----

    record Form(String cookie, String token) {}

    private WebResponse viaProxy(InboxWeb web, String forwardedFor, String login, String password) {
        return signIn(web, "10.0.0.2", login, password, "X-Forwarded-For", forwardedFor);
    }

    private WebResponse signIn(InboxWeb web, String address, String login, String password, String... headers) {
        return post(web, address, form(web, address, ""), login, password, headers);
    }

    private static Form form(InboxWeb web, String address, String cookie) {
        WebRequest.Builder b = WebRequest.builder("GET", "/login").remoteAddress(address);
        if (!cookie.isEmpty()) {
            b.header("Cookie", "opencx_inbox=" + cookie);
        }
        WebResponse page = web.handler().handle(b.build());
        assertThat(page.status()).isEqualTo(200);
        return new Form(cookieOf(page), InboxRig.csrfOf(page.bodyText()));
    }

    private static WebResponse post(
            InboxWeb web, String address, Form form, String login, String password, String... headers) {
        WebRequest.Builder b = WebRequest.builder("POST", "/login")
                .remoteAddress(address)
                .header("Cookie", "opencx_inbox=" + form.cookie())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .body(("csrf=" + InboxRig.enc(form.token()) + "&login=" + InboxRig.enc(login) + "&password="
                                + InboxRig.enc(password))
                        .getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        // a queued sign-in is answered later (the password check runs on its own threads)
        return web.handler().handle(b.build()).await(Duration.ofSeconds(30));
    }

    private static String cookieOf(WebResponse r) {
        String setCookie = r.header("Set-Cookie");
        assertThat(setCookie).startsWith("opencx_inbox=");
        return setCookie.substring("opencx_inbox=".length(), setCookie.indexOf(';'));
    }

    private static String formError(WebResponse page) {
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("id=\"login-error\">([^<]*)<").matcher(page.bodyText());
        return m.find() ? m.group(1) : "";
    }
}
