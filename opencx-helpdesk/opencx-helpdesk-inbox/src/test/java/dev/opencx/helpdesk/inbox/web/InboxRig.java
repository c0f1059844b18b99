package dev.opencx.helpdesk.inbox.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opencx.OpenCx;
import dev.opencx.action.Action;
import dev.opencx.action.ActionRegistry;
import dev.opencx.action.http.ActionExecutor;
import dev.opencx.autopilot.TopicClassification;
import dev.opencx.autopilot.TopicScore;
import dev.opencx.channel.OutboundMessage;
import dev.opencx.channel.api.ApiChannel;
import dev.opencx.channel.web.WebChannel;
import dev.opencx.helpdesk.inbox.InboxHelpdesk;
import dev.opencx.http.WebServer;
import dev.opencx.knowledge.BodyFormat;
import dev.opencx.knowledge.InMemoryKnowledgeStore;
import dev.opencx.knowledge.KnowledgeDocument;
import dev.opencx.pii.PiiDetectors;
import dev.opencx.pii.PiiPolicy;
import dev.opencx.pii.PiiType;
import dev.opencx.pii.PiiVault;
import dev.opencx.responder.llm.LlmResponder;
import dev.opencx.store.InMemoryConversationStore;
import dev.opencx.test.ScriptedChatModel;
import dev.opencx.webhook.WebResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A running OpenCX with the web channel, the inbox and its web UI behind a real embedded server on
 * a free port: a scripted model answers (queue its answers per test), with three help-center
 * documents and one action ({@code get_order}) on a small orders API served by a second server.
 * E-mail addresses and card numbers are redacted, with a vault: agents see e-mails, never cards.
 */
final class InboxRig implements AutoCloseable {
    static final String PASSWORD = "correct horse battery staple";
    static final Duration WAIT = Duration.ofSeconds(20);
    static final ObjectMapper JSON = new ObjectMapper();
    /** Hashed once for every rig: a hash costs 600,000 PBKDF2 rounds on purpose. */
    static final String MARIA_HASH = PasswordHashes.hash(PASSWORD.toCharArray());

    final InMemoryConversationStore store = new InMemoryConversationStore();
    final ScriptedChatModel model = new ScriptedChatModel();
    final InMemoryKnowledgeStore knowledge;
    final WebChannel web;
    final ApiChannel api;
    final List<OutboundMessage> toApiCustomer = new CopyOnWriteArrayList<>();
    final InboxHelpdesk inbox;
    final OpenCx cx;
    final InboxWeb inboxWeb;
    final WebServer server;
    final WebServer shopApi;
    final ActionExecutor executor;
    final AtomicInteger orderCalls = new AtomicInteger();
    final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    InboxRig() {
        shopApi = WebServer.builder()
                .port(0)
                .mount("/orders", request -> {
                    orderCalls.incrementAndGet();
                    String id = request.path().substring(1);
                    return WebResponse.json(
                            200, "{\"order_id\":\"" + id.replaceAll("\\D", "") + "\",\"status\":\"shipped\"}");
                })
                .build()
                .start();
        knowledge = new InMemoryKnowledgeStore();
        knowledge.upsert(doc("returns", "Returns and refunds", "Refunds reach your card within five business days."));
        knowledge.upsert(doc("shipping", "Order tracking", "Track your order from the link in the shipping e-mail."));
        knowledge.upsert(
                doc("canada", "Shipping to Canada", "We ship to Canada with tracked delivery in 7 to 10 days."));
        knowledge.upsert(doc("gift-cards", "Gift cards", "Gift cards never expire."));
        web = WebChannel.builder()
                .secret("test-widget-secret-0123456789abcdef")
                .heartbeat(Duration.ofMillis(500))
                .reconnectDelay(Duration.ofMillis(300))
                .build();
        api = ApiChannel.create().onReply(toApiCustomer::add);
        inbox = InboxHelpdesk.builder().store(store).build();
        executor = ActionExecutor.builder().build();
        Action getOrder = Action.builder("get_order")
                .description("The status of an order by its number")
                .get("/orders/{order_id}")
                .baseUrl(shopApi.uri().resolve("/").toString())
                .pathParam("order_id", "The order number")
                .build();
        cx = OpenCx.builder()
                .store(store)
                .channel(web)
                .channel(api)
                .helpdesk(inbox)
                .knowledge(knowledge)
                .actions(ActionRegistry.of(getOrder), executor)
                .responder(LlmResponder.builder().chatModel(model))
                .topicClassifier(InboxRig::topicOf)
                .pii(
                        PiiDetectors.composite(List.of(
                                PiiDetectors.pattern(PiiType.EMAIL, "[\\w.+-]+@[\\w-]+\\.[\\w.]+"),
                                PiiDetectors.pattern(PiiType.CARD, "\\b4111(?: ?\\d{4}){3}\\b"))),
                        PiiPolicy.defaults())
                .piiVault(PiiVault.aesGcm(PiiVault.newKey()))
                .module(new OrdersModule())
                .build();
        inboxWeb = InboxWeb.builder(cx, inbox)
                .agent(AgentAccount.of("maria", "Maria Silva", MARIA_HASH))
                .topics(List.of("orders", "billing"))
                .pollInterval(Duration.ofMillis(200))
                .heartbeat(Duration.ofMillis(500))
                .loginBackoff(3, Duration.ofMinutes(1))
                .build();
        server = WebServer.builder()
                .port(0)
                .mount(web)
                .mount("/inbox", inboxWeb.handler())
                .mount(
                        "/shop",
                        request -> WebResponse.of(
                                200,
                                "text/html; charset=utf-8",
                                ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Shop</title></head>"
                                                + "<body><h1>Trail Runner 3</h1>"
                                                + "<script src=\"/widget.js\" data-title=\"Northwind support\" async></script>"
                                                + "</body></html>")
                                        .getBytes(StandardCharsets.UTF_8)))
                .build()
                .start();
    }

    /** A keyword classifier standing in for a trained one: scores for "orders" and "billing". */
    static TopicClassification topicOf(String text) {
        String t = text.toLowerCase(java.util.Locale.ROOT);
        double orders = t.contains("order") ? 0.91 : 0.12;
        double billing = t.contains("card") || t.contains("charge") ? 0.64 : 0.08;
        List<TopicScore> scores = orders >= billing
                ? List.of(new TopicScore("orders", orders), new TopicScore("billing", billing))
                : List.of(new TopicScore("billing", billing), new TopicScore("orders", orders));
        double best = Math.max(orders, billing);
        return best >= 0.5
                ? new TopicClassification(scores.get(0).topic(), scores, 0.5, "keywords")
                : TopicClassification.none(scores, 0.5, "keywords");
    }

    static KnowledgeDocument doc(String id, String title, String body) {
        return new KnowledgeDocument(
                id, title, body, BodyFormat.MARKDOWN, "https://shop.example/help/" + id, "en", "", Map.of());
    }

    URI uri(String path) {
        return server.uri().resolve(path);
    }

    // ---- HTTP as a browser would ----

    /** A cookie-keeping HTTP session against the inbox. */
    final class Browser {
        String cookie = "";

        Resp get(String path) {
            return send(HttpRequest.newBuilder(uri(path)).GET());
        }

        Resp postForm(String path, String form) {
            return send(HttpRequest.newBuilder(uri(path))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)));
        }

        Resp postJson(String path, String json, String... headers) {
            HttpRequest.Builder b = HttpRequest.newBuilder(uri(path))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json));
            for (int i = 0; i < headers.length; i += 2) {
                b.header(headers[i], headers[i + 1]);
            }
            return send(b);
        }

        /** Opens the login form and signs in; returns the app page. */
        Resp signIn(String login, String password) {
            Resp form = get("/inbox/login");
            return postForm(
                    "/inbox/login",
                    "csrf=" + csrfOf(form.body) + "&login=" + enc(login) + "&password=" + enc(password));
        }

        /** The CSRF token of the app page. */
        String csrf() {
            Resp app = get("/inbox/");
            Matcher m =
                    Pattern.compile("name=\"opencx-csrf\" content=\"([^\"]+)\"").matcher(app.body);
            if (!m.find()) {
                throw new AssertionError("no CSRF token on the app page (" + app.status + ")");
            }
            return m.group(1);
        }

        private Resp send(HttpRequest.Builder b) {
            if (!cookie.isEmpty()) {
                b.header("Cookie", cookie);
            }
            try {
                HttpResponse<String> r =
                        http.send(b.timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                r.headers().allValues("Set-Cookie").forEach(c -> {
                    String pair = c.split(";", 2)[0];
                    cookie = c.contains("Max-Age=0") ? "" : pair;
                });
                return new Resp(r.statusCode(), r.headers(), r.body());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    static String csrfOf(String loginPage) {
        Matcher m = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(loginPage);
        if (!m.find()) {
            throw new AssertionError("no csrf field in " + loginPage);
        }
        return m.group(1);
    }

    static String enc(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    record Resp(int status, java.net.http.HttpHeaders headers, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    @Override
    public void close() {
        server.close();
        inboxWeb.close();
        cx.close();
        executor.close();
        shopApi.close();
    }

    /** A module's event, for inspect mode. */
    public record OrderFlagged(String orderId, String reason) implements dev.opencx.event.ModuleEvent {}

    /** A module that registers {@link OrderFlagged} as {@code acme.order_flagged}. */
    static final class OrdersModule implements dev.opencx.spi.OpenCxModule {
        @Override
        public String name() {
            return "acme-orders";
        }

        @Override
        public void setUp(dev.opencx.spi.ModuleContext ctx) {
            ctx.registerEventType("acme.order_flagged", OrderFlagged.class);
        }
    }
}
