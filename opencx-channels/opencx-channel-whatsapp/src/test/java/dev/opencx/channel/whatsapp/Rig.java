package dev.opencx.channel.whatsapp;

import dev.opencx.OpenCx;
import dev.opencx.conversation.Identity;
import dev.opencx.conversation.Session;
import dev.opencx.http.WebServer;
import dev.opencx.responder.Reply;
import dev.opencx.responder.Responder;
import dev.opencx.store.ConversationStore;
import dev.opencx.store.InMemoryConversationStore;
import dev.opencx.store.SessionQuery;
import dev.opencx.test.RecordingHelpdesk;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import mockwebserver3.MockWebServer;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * A running OpenCX with the WhatsApp channel behind the real embedded server, the Graph API played
 * by MockWebServer, and a recording helpdesk whose listener plays the agent.
 */
final class Rig implements AutoCloseable {
    static final String ACCESS_TOKEN = "EAAGm0PX4ZCpsBAKZBtest";
    static final String VERIFY_TOKEN = "opencx-verify-7f3a";
    static final Duration WAIT = Duration.ofSeconds(15);

    final MockWebServer graphServer = new MockWebServer();
    final GraphFake graph = new GraphFake();
    final RecordingHelpdesk helpdesk = new RecordingHelpdesk();
    final ConversationStore store;
    final WhatsAppChannel channel;
    final OpenCx cx;
    final WebServer server;
    final OkHttpClient http =
            new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(30)).build();

    /** Answers every message with "answer: <text>". */
    static Rig start() {
        return start(b -> b, b -> b);
    }

    static Rig start(UnaryOperator<WhatsAppChannel.Builder> channelConfig, UnaryOperator<OpenCx.Builder> cxConfig) {
        return new Rig(channelConfig, cxConfig, new InMemoryConversationStore(), true);
    }

    /** With OpenCX's default (embedded) responder instead of the echo. */
    static Rig startWithDefaultResponder(UnaryOperator<OpenCx.Builder> cxConfig) {
        return new Rig(b -> b, cxConfig, new InMemoryConversationStore(), false);
    }

    static Rig start(
            UnaryOperator<WhatsAppChannel.Builder> channelConfig,
            UnaryOperator<OpenCx.Builder> cxConfig,
            ConversationStore store) {
        return new Rig(channelConfig, cxConfig, store, true);
    }

    static Responder echo() {
        return req -> Reply.answer("answer: " + req.message().text(), 0.95, List.of(), "echo", Map.of());
    }

    private Rig(
            UnaryOperator<WhatsAppChannel.Builder> channelConfig,
            UnaryOperator<OpenCx.Builder> cxConfig,
            ConversationStore store,
            boolean echo) {
        try {
            graphServer.setDispatcher(graph);
            graphServer.start();
            graph.base(graphServer.url("/"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.store = store;
        String base = graphServer.url("/").toString();
        this.channel = channelConfig
                .apply(WhatsAppChannel.builder()
                        .phoneNumberId(Meta.PHONE_NUMBER_ID)
                        .accessToken(ACCESS_TOKEN)
                        .appSecret(Meta.APP_SECRET)
                        .verifyToken(VERIFY_TOKEN)
                        .graphBaseUrl(base.substring(0, base.length() - 1)))
                .build();
        OpenCx.Builder cxBase = OpenCx.builder()
                .store(store)
                .channel(channel)
                .helpdesk(helpdesk)
                .outboxRetries(6, Duration.ofMillis(100), Duration.ofSeconds(2));
        this.cx = cxConfig.apply(echo ? cxBase.responder(echo()) : cxBase).build();
        this.server = WebServer.builder().port(0).mount(channel).build().start();
    }

    /** POSTs a delivery signed with the app secret, as Meta does; returns the status and body. */
    Answer deliver(String json) {
        byte[] body = Meta.utf8(json);
        return post(body, Meta.sign(Meta.APP_SECRET, body));
    }

    /** POSTs a body with this signature header (null: none). */
    Answer post(byte[] body, String signature) {
        Request.Builder r = new Request.Builder()
                .url(server.uri().resolve(channel.mountPath()).toString())
                .header("User-Agent", "facebookexternalua")
                .post(RequestBody.create(body, MediaType.get("application/json")));
        if (signature != null) {
            r.header("X-Hub-Signature-256", signature);
        }
        return call(r.build());
    }

    Answer get(String query) {
        return call(new Request.Builder()
                .url(server.uri().resolve(channel.mountPath()) + "?" + query)
                .build());
    }

    private Answer call(Request request) {
        try (Response response = http.newCall(request).execute()) {
            return new Answer(
                    response.code(),
                    response.header("Content-Type", ""),
                    response.body().string());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    record Answer(int status, String contentType, String body) {}

    /** The sessions of the contact with this WhatsApp id. */
    List<Session> sessionsOf(String waId) {
        return cx.sessionAccess()
                .findContact(Identity.phone("+" + waId))
                .map(c -> store.sessions(SessionQuery.inStates()).stream()
                        .filter(s -> s.contactId().equals(c.id()))
                        .toList())
                .orElse(List.of());
    }

    Session onlySessionOf(String waId) {
        List<Session> s = sessionsOf(waId);
        if (s.size() != 1) {
            throw new AssertionError("expected one session for " + waId + ", found " + s.size());
        }
        return s.get(0);
    }

    void idle() {
        if (!cx.awaitIdle(WAIT)) {
            throw new AssertionError("OpenCx did not become idle within " + WAIT);
        }
    }

    @Override
    public void close() {
        server.close();
        cx.close();
        channel.close();
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
        graphServer.close();
    }
}
