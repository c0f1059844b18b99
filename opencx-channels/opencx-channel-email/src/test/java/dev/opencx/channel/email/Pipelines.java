package dev.opencx.channel.email;

import dev.opencx.OpenCx;
import dev.opencx.conversation.Message;
import dev.opencx.conversation.Session;
import dev.opencx.event.MessageReceived;
import dev.opencx.event.SessionEvent;
import dev.opencx.handoff.HandoffReason;
import dev.opencx.responder.Reply;
import dev.opencx.responder.ResponderRequest;
import dev.opencx.store.ConversationStore;
import dev.opencx.store.SessionQuery;
import dev.opencx.test.RecordingHelpdesk;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A real OpenCx around an e-mail channel, with a responder that answers or hands off, and the helpers tests share. */
final class Pipelines {
    static final String ANSWER = "Your order ships tomorrow.";

    private Pipelines() {}

    /** Answers every question; hands off when the customer asks for a human. */
    static Reply respond(ResponderRequest req) {
        String t = req.message().text().toLowerCase(Locale.ROOT);
        if (t.contains("human")) {
            return Reply.noAnswer(HandoffReason.EXPLICIT_REQUEST, "asked for a human", Map.of());
        }
        return Reply.answer(
                ANSWER + " (about: " + firstLine(req.message().text()) + ")", 0.95, List.of(), "test", Map.of());
    }

    private static String firstLine(String text) {
        String l = text.strip().split("\n")[0];
        return l.length() > 60 ? l.substring(0, 60) : l;
    }

    static OpenCx openCx(EmailChannel channel, ConversationStore store, RecordingHelpdesk helpdesk) {
        return OpenCx.builder()
                .store(store)
                .channel(channel)
                .helpdesk(helpdesk)
                .responder(Pipelines::respond)
                .outboxRetries(100, Duration.ofMillis(100), Duration.ofMillis(400))
                .build();
    }

    static List<Session> sessions(ConversationStore store) {
        return store.sessions(SessionQuery.inStates());
    }

    /** The customer messages stored in a session, in order. */
    static List<Message> customerMessages(ConversationStore store, String sessionId) {
        List<Message> out = new ArrayList<>();
        for (SessionEvent e : store.events(sessionId)) {
            if (e.payload() instanceof MessageReceived mr) {
                out.add(mr.message());
            }
        }
        return out;
    }

    /** Every customer message stored in any session. */
    static List<Message> allCustomerMessages(ConversationStore store) {
        List<Message> out = new ArrayList<>();
        for (Session s : sessions(store)) {
            out.addAll(customerMessages(store, s.id()));
        }
        return out;
    }
}
