package dev.opencx.helpdesk.inbox.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opencx.OpenCx;
import dev.opencx.channel.api.ApiChannel;
import dev.opencx.channel.web.WebChannel;
import dev.opencx.conversation.ChannelId;
import dev.opencx.helpdesk.inbox.InboxHelpdesk;
import dev.opencx.helpdesk.inbox.InboxTicket;
import dev.opencx.http.WebServer;
import dev.opencx.knowledge.InMemoryKnowledgeStore;
import dev.opencx.store.InMemoryConversationStore;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's snippets, compiled and run. Keep the two in sync. */
class ReadmeSnippetsTest {

    @Test
    void mount_the_inbox_next_to_the_widget() throws Exception {
        InMemoryConversationStore store = new InMemoryConversationStore();
        InMemoryKnowledgeStore knowledge = new InMemoryKnowledgeStore();
        WebChannel web = WebChannel.builder().build();
        String mariaPasswordHash = InboxRig.MARIA_HASH;

        // --- README: the ten-line example (port 0 here instead of the default 8080)
        InboxHelpdesk inbox = InboxHelpdesk.builder().store(store).build(); // rebuilds its queue from the store
        OpenCx cx = OpenCx.builder()
                .store(store)
                .channel(web)
                .knowledge(knowledge)
                .helpdesk(inbox)
                .build();
        InboxWeb inboxWeb = InboxWeb.builder(cx, inbox)
                .agent(AgentAccount.of("maria", "Maria Silva", mariaPasswordHash)) // PasswordHashes.hash(...)
                .build();
        WebServer server = WebServer.builder()
                .port(0)
                .mount(web) // the chat widget: /widget.js, /widget/v1/*
                .mount("/inbox", inboxWeb.handler()) // the inbox: http://localhost:8080/inbox/
                .build()
                .start();
        // ---
        try (server;
                inboxWeb;
                cx) {
            HttpResponse<String> login = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(server.uri().resolve("/inbox/login"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(login.statusCode()).isEqualTo(200);
            assertThat(login.body()).contains("Sign in");

            // --- README: the Java API
            for (InboxTicket t : inbox.queue()) { // longest-waiting first: reason, topic, summary, transcript
                inbox.claim(t.ticket(), "maria");
                inbox.note(t.ticket(), "maria", "VIP customer");
                inbox.reply(t.ticket(), "maria", "Hi! I've refunded the second charge.");
                inbox.resolve(t.ticket(), "maria");
            }
            // ---
        }
    }

    @Test
    void configure_agents() {
        InMemoryConversationStore store = new InMemoryConversationStore();
        InboxHelpdesk inbox = InboxHelpdesk.builder().store(store).build();
        List<String> audit = new ArrayList<>();
        char[] password = "correct horse battery staple".toCharArray();
        String tomHash = InboxRig.MARIA_HASH;
        try (OpenCx cx = OpenCx.builder()
                .store(store)
                .channel(ApiChannel.create())
                .knowledge(new InMemoryKnowledgeStore())
                .helpdesk(inbox)
                .build()) {
            // --- README: agents
            String hash = PasswordHashes.hash(password); // pbkdf2-sha256$600000$<salt>$<key>
            InboxWeb inboxWeb = InboxWeb.builder(cx, inbox)
                    .agent(AgentAccount.of("maria", "Maria Silva", hash))
                    .agent(AgentAccount.of("tom", "Tom Okafor", tomHash))
                    .secureCookies(true) // served over HTTPS (always, in production)
                    .idleTimeout(Duration.ofMinutes(30)) // sign-in ends after 30 min without a request
                    .absoluteTimeout(Duration.ofHours(12)) // ...and 12 h after it started, whatever happens
                    .loginBackoff(
                            5, Duration.ofMinutes(5)) // after 5 wrong passwords from one address: 1 s, 2 s, ... 5 min
                    .trustedProxies(List.of("10.0.0.2")) // your reverse proxy: X-Forwarded-For names the client
                    .conversationPageSize(50) // items per page of a conversation
                    .topics(List.of("billing", "orders", "legal")) // the topics agents may gate on the autopilot page
                    .onAutopilotChange(c -> audit.add(c.agentId() + " set " + c.setting() + " to " + c.after()))
                    .build();
            // ---
            try (inboxWeb) {
                assertThat(hash).startsWith("pbkdf2-sha256$600000$");
                assertThat(PasswordHashes.verify(password, hash)).isTrue();
                assertThat(inboxWeb.agents()).containsOnlyKeys("maria", "tom");
                assertThat(cx.channelIds()).containsExactly(ChannelId.API);
                assertThat(cx.autopilot().isOn(ChannelId.WEB)).isTrue();
            }
            assertThatThrownBy(() -> InboxWeb.builder(cx, inbox).idleTimeout(Duration.ofSeconds(10)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("idleTimeout must be from PT1M to PT24H, was PT10S");
            assertThatThrownBy(() -> InboxWeb.builder(cx, inbox).trustedProxies(List.of("proxy.internal")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("a trusted proxy must be an IP address like 10.0.0.2 or ::1, was 'proxy.internal'");
            assertThatThrownBy(() -> InboxWeb.builder(cx, inbox).loginBackoff(0, Duration.ofMinutes(5)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("freeFailures must be from 1 to 100, was 0");
            assertThatThrownBy(() -> InboxWeb.builder(cx, inbox).conversationPageSize(5))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("conversationPageSize must be from 10 to 200, was 5");
            assertThatThrownBy(() -> InboxWeb.builder(cx, inbox).build())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("no agent can sign in");
        }
    }
}
