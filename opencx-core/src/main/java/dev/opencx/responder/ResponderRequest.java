package dev.opencx.responder;

import dev.opencx.action.TurnActions;
import dev.opencx.channel.ChannelCapabilities;
import dev.opencx.conversation.Contact;
import dev.opencx.conversation.Message;
import dev.opencx.conversation.Session;
import dev.opencx.event.EventPayload;
import dev.opencx.internal.LazyHistory;
import dev.opencx.pii.SessionPii;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * What a responder gets for one turn.
 *
 * @param session the session
 * @param contact the customer
 * @param message the customer message to answer
 * @param history earlier messages of the session, oldest first (not including {@code message})
 * @param locale the language to answer in (BCP 47)
 * @param topic the classified topic, empty when none
 * @param capabilities what the channel can show
 * @param log records what the responder looked at (retrieved passages, matched scenarios, model
 *     and tool calls) in the session log, for inspect mode
 * @param partialText receives pieces of the reply while it is written, for channels that show
 *     them ({@link dev.opencx.channel.StreamingChannel}); best-effort, a no-op elsewhere. The reply
 *     the responder returns is still what is delivered
 * @param pii the session's PII handling: real values for tools, redaction of what tools return;
 *     {@link SessionPii#NONE} when redaction is off
 * @param actions the actions this turn may use (call, propose, reply); {@link TurnActions#NONE}
 *     when the client has none
 */
public record ResponderRequest(
        Session session,
        Contact contact,
        Message message,
        List<Message> history,
        String locale,
        String topic,
        ChannelCapabilities capabilities,
        Consumer<EventPayload> log,
        Consumer<String> partialText,
        SessionPii pii,
        TurnActions actions) {
    public ResponderRequest {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(contact, "contact");
        Objects.requireNonNull(message, "message");
        // the pipeline's history is read on first use; any other list is copied
        history = history instanceof LazyHistory ? history : List.copyOf(history);
        locale = locale == null || locale.isBlank() ? "en" : locale;
        topic = topic == null ? "" : topic;
        Objects.requireNonNull(capabilities, "capabilities");
        Objects.requireNonNull(log, "log");
        partialText = partialText == null ? text -> {} : partialText;
        pii = pii == null ? SessionPii.NONE : pii;
        actions = actions == null ? TurnActions.NONE : actions;
    }

    /** A request whose partial text goes nowhere (a channel that cannot stream), without PII handling. */
    public ResponderRequest(
            Session session,
            Contact contact,
            Message message,
            List<Message> history,
            String locale,
            String topic,
            ChannelCapabilities capabilities,
            Consumer<EventPayload> log) {
        this(session, contact, message, history, locale, topic, capabilities, log, null, null, null);
    }
}
