package dev.opencx.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.opencx.OpenCx;
import dev.opencx.action.Action;
import dev.opencx.action.ActionRegistry;
import dev.opencx.action.BoundSource;
import dev.opencx.action.JsonSchemas;
import dev.opencx.action.http.ActionExecutor;
import dev.opencx.conversation.ChannelId;
import dev.opencx.conversation.Contact;
import dev.opencx.conversation.Identity;
import dev.opencx.conversation.InboundMessage;
import dev.opencx.event.MessageReceived;
import dev.opencx.event.SessionEvent;
import dev.opencx.handoff.HandoffReason;
import dev.opencx.handoff.HandoffTicket;
import dev.opencx.pii.PiiDestination;
import dev.opencx.pii.PiiPolicy;
import dev.opencx.pii.PiiRedactor;
import dev.opencx.pii.PiiType;
import dev.opencx.pii.PiiVault;
import dev.opencx.pii.builtin.BuiltInPiiDetectors;
import dev.opencx.responder.Reply;
import dev.opencx.responder.Responder;
import dev.opencx.responder.ResponderRequest;
import dev.opencx.store.ConversationStore;
import dev.opencx.store.EventCodec;
import dev.opencx.store.InMemoryConversationStore;
import dev.opencx.store.VaultEntry;
import dev.opencx.store.jdbc.JdbcConversationStore;
import dev.opencx.test.RecordingChannel;
import dev.opencx.test.RecordingHelpdesk;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A contact's display name under PII redaction, through the real pipeline: stored as the
 * placeholder {@code [PERSON_0]}, its value sealed in the vault of each session of the contact, and
 * revealed like a message value (helpdesk, agent view, actions) where the policy allows. Card
 * security codes and expiry dates are redacted with the card.
 */
class ContactNamePiiTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Identity ANA = Identity.email("ana@example.com");
    private static final String NAME = "Ana Lima";

    @StartStop
    private final MockWebServer server = new MockWebServer();

    @TempDir
    Path dir;

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final RecordingChannel api = new RecordingChannel(ChannelId.API);
    private final RecordingChannel web = new RecordingChannel(ChannelId.WEB);
    private final RecordingHelpdesk helpdesk = new RecordingHelpdesk();
    private final List<ResponderRequest> seenByModel = new CopyOnWriteArrayList<>();
    private final byte[] key = PiiVault.newKey();

    private final Responder recording = req -> {
        seenByModel.add(req);
        if (req.message().text().startsWith("human")) {
            return Reply.noAnswer(HandoffReason.MISSING_KNOWLEDGE, "asked for a person", Map.of());
        }
        return Reply.answer("noted", 0.9, List.of(), "echo", Map.of());
    };

    @AfterEach
    void closeAll() throws Exception {
        Collections.reverse(toClose);
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    private OpenCx.Builder base(ConversationStore store) {
        return OpenCx.builder()
                .store(store)
                .channel(api)
                .channel(web)
                .helpdesk(helpdesk)
                .responder(recording)
                .pii(BuiltInPiiDetectors.all(), PiiPolicy.defaults())
                .piiVault(PiiVault.aesGcm(key))
                .outboxRetries(5, Duration.ofMillis(10), Duration.ofMillis(50));
    }

    private OpenCx build(OpenCx.Builder b) {
        OpenCx cx = b.build();
        toClose.add(cx);
        return cx;
    }

    private static InboundMessage named(ChannelId channel, String name, String text) {
        return InboundMessage.builder(channel)
                .from(ANA)
                .displayName(name)
                .text(text)
                .build();
    }

    private static String storedText(OpenCx cx, String sessionId) {
        return cx.events(sessionId).stream()
                .map(SessionEvent::payload)
                .filter(MessageReceived.class::isInstance)
                .map(p -> ((MessageReceived) p).message().text())
                .findFirst()
                .orElseThrow();
    }

    @Test
    void a_name_that_arrives_with_a_message_is_stored_as_a_placeholder_and_each_reader_gets_what_the_policy_allows()
            throws IOException {
        Path data = dir.resolve("h2");
        String session;
        try (JdbcConversationStore store = JdbcConversationStore.h2(data)) {
            OpenCx cx = base(store).build();
            session = cx.receive(named(ChannelId.API, NAME, "hello, this is ana lima"))
                    .join()
                    .sessionId();
            assertThat(cx.awaitIdle(WAIT)).isTrue();
            cx.receive(named(ChannelId.API, NAME, "I want to talk to a human")).join();
            assertThat(cx.awaitIdle(WAIT)).isTrue();

            Contact stored = store.findContact(ANA).orElseThrow();
            assertThat(stored.displayName()).isEqualTo(PiiRedactor.CONTACT_NAME);
            assertThat(storedText(cx, session))
                    .as("the customer's own name in the text: the contact's placeholder")
                    .isEqualTo("hello, this is [PERSON_0]");
            assertThat(store.vaultEntries(session))
                    .extracting(VaultEntry::placeholder, VaultEntry::type)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("[PERSON_0]", "PERSON"));

            assertThat(seenByModel.get(0).contact().displayName())
                    .as("the model knows the name only as its placeholder")
                    .isEqualTo("[PERSON_0]");
            HandoffTicket ticket = helpdesk.tickets().values().iterator().next();
            assertThat(ticket.contact().displayName()).isEqualTo(NAME);
            assertThat(ticket.transcript().get(0).text())
                    .as("the placeholder is revealed with the contact's name as it was given")
                    .isEqualTo("hello, this is Ana Lima");
            assertThat(cx.contactName(session, PiiDestination.AGENT_VIEW)).isEqualTo(NAME);
            assertThat(cx.reveal(session, stored.displayName(), PiiDestination.AGENT_VIEW))
                    .isEqualTo(NAME);
            assertThat(cx.contactName(session, PiiDestination.MODEL)).isEqualTo("[PERSON_0]");
            for (SessionEvent e : cx.events(session)) {
                assertThat(EventCodec.toJson(e.payload())).doesNotContainIgnoringCase(NAME);
            }
            for (var entry : store.outbox(session)) {
                assertThat(entry.item().payload()).doesNotContainIgnoringCase(NAME);
            }
            cx.close();
        }
        assertThat(filesContain(data, NAME))
                .as("the name is nowhere in the database files")
                .isFalse();
        assertThat(filesContain(data, "ana lima")).isFalse();
    }

    private static boolean filesContain(Path dir, String text) throws IOException {
        byte[] needle = text.getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                byte[] bytes = Files.readAllBytes(f);
                outer:
                for (int i = 0; i + needle.length <= bytes.length; i++) {
                    for (int j = 0; j < needle.length; j++) {
                        if (bytes[i + j] != needle[j]) {
                            continue outer;
                        }
                    }
                    return true;
                }
            }
        }
        return false;
    }

    @Test
    void a_later_session_of_the_contact_gets_a_copy_sealed_for_itself_and_erasure_is_per_session() {
        OpenCx cx = build(base(new InMemoryConversationStore()));
        String first = cx.receive(named(ChannelId.API, NAME, "hello")).join().sessionId();
        assertThat(cx.awaitIdle(WAIT)).isTrue();
        cx.resolve(first, "agent-1");

        String second = api.receive(ANA, "hello again").join().sessionId();
        assertThat(cx.awaitIdle(WAIT)).isTrue();
        assertThat(second).isNotEqualTo(first);
        assertThat(cx.contactName(second, PiiDestination.HELPDESK)).isEqualTo(NAME);
        assertThat(sealedName(cx, second)).as("sealed for its own session").isNotEqualTo(sealedName(cx, first));

        // a later message with another name does not rename the contact: the first name stays
        String third = cx.receive(named(ChannelId.WEB, "Someone Else", "hi from the web"))
                .join()
                .sessionId();
        assertThat(cx.awaitIdle(WAIT)).isTrue();
        assertThat(cx.contactName(third, PiiDestination.AGENT_VIEW)).isEqualTo(NAME);

        cx.store().deleteVaultEntries(first);
        assertThat(cx.contactName(second, PiiDestination.AGENT_VIEW)).isEqualTo(NAME);
        cx.store().deleteVaultEntries(second);
        cx.store().deleteVaultEntries(third);
        assertThat(cx.contactName(second, PiiDestination.AGENT_VIEW))
                .as("erased everywhere: the placeholder stays")
                .isEqualTo("[PERSON_0]");
    }

    private static String sealedName(OpenCx cx, String session) {
        return cx.store().vaultEntries(session).stream()
                .filter(v -> v.placeholder().equals(PiiRedactor.CONTACT_NAME))
                .findFirst()
                .orElseThrow()
                .sealedValue();
    }

    @Test
    void a_name_is_stored_as_given_where_names_are_not_redacted() {
        OpenCx cx = build(base(new InMemoryConversationStore())
                .piiPolicy(ChannelId.WEB, PiiPolicy.off())
                .piiPolicy(
                        ChannelId.API,
                        PiiPolicy.builder()
                                .keep(PiiType.PERSON)
                                .revealByDefault(PiiDestination.HELPDESK)
                                .build()));
        cx.receive(named(ChannelId.WEB, NAME, "hello")).join();
        cx.receive(InboundMessage.builder(ChannelId.API)
                        .from(Identity.email("bo@example.com"))
                        .displayName("Bo Berg")
                        .text("hello")
                        .build())
                .join();
        assertThat(cx.awaitIdle(WAIT)).isTrue();
        assertThat(cx.store().findContact(ANA).orElseThrow().displayName()).isEqualTo(NAME);
        assertThat(cx.store()
                        .findContact(Identity.email("bo@example.com"))
                        .orElseThrow()
                        .displayName())
                .isEqualTo("Bo Berg");
        assertThat(cx.contact(ChannelId.API, Identity.custom("u-9"), " Cy ").displayName())
                .isEqualTo("Cy");
    }

    @Test
    void an_action_gets_the_contacts_name_where_the_policy_reveals_names_to_actions() throws Exception {
        Action greet = Action.builder("greet")
                .description("Sends a greeting")
                .get("/greet")
                .baseUrl(server.url("/api").toString())
                .header("X-Name", JsonSchemas.string(), true, "The customer's name")
                .contactBound("X-Name", BoundSource.CONTACT_NAME)
                .build();
        ActionExecutor executor = ActionExecutor.builder().maxAttempts(1).build();
        toClose.add(executor);
        Responder calling = req -> {
            var result = req.actions()
                    .call(
                            req.actions().offered().get("greet").orElseThrow(),
                            JsonNodeFactory.instance.objectNode(),
                            "test");
            return Reply.answer("called: " + result.ok(), 0.9, List.of(), "calls greet", Map.of());
        };
        OpenCx cx = build(
                base(new InMemoryConversationStore()).responder(calling).actions(ActionRegistry.of(greet), executor));
        server.enqueue(new MockResponse.Builder().code(200).body("{}").build());

        cx.receive(named(ChannelId.API, NAME, "say hi")).join();
        assertThat(cx.awaitIdle(WAIT)).isTrue();

        RecordedRequest request = server.takeRequest(5, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(request.getHeaders().get("X-Name")).isEqualTo(NAME);
    }

    @Test
    void a_card_with_its_security_code_and_expiry_is_stored_redacted_and_never_reaches_the_helpdesk() {
        OpenCx cx = build(base(new InMemoryConversationStore()));
        String session = api.receive(
                        ANA, "human: card 4111 1111 1111 1111 exp 12/29 cvv 123, or 5555555555554444 11/27 987")
                .join()
                .sessionId();
        assertThat(cx.awaitIdle(WAIT)).isTrue();

        String stored = storedText(cx, session);
        assertThat(stored)
                .isEqualTo("human: card [CARD_1] exp [CARD_EXPIRY_1] cvv [CARD_SECURITY_CODE_1],"
                        + " or [CARD_2] [CARD_EXPIRY_2] [CARD_SECURITY_CODE_2]");
        String transcript = helpdesk.tickets()
                .values()
                .iterator()
                .next()
                .transcript()
                .get(0)
                .text();
        assertThat(transcript).isEqualTo(stored);
        assertThat(cx.reveal(session, stored, PiiDestination.AGENT_VIEW)).isEqualTo(stored);
    }
}
