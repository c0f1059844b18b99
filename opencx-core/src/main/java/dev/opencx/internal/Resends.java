package dev.opencx.internal;

import dev.opencx.channel.MessageIdConflictException;
import dev.opencx.conversation.Contact;
import dev.opencx.conversation.InboundMessage;
import dev.opencx.pipeline.Turn;
import dev.opencx.pipeline.TurnResult;
import dev.opencx.pipeline.TurnResult.Outcome;
import dev.opencx.store.StoredInbound;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A message whose channel external id is already stored: a resend of the same message is answered
 * with the original ids; the same id with a different text, or from a different sender, is refused
 * ({@link MessageIdConflictException}). Texts are compared with {@link PiiGuard#sameText}, which
 * explains how that stays right with PII redaction on.
 */
final class Resends {
    private static final Logger LOG = LoggerFactory.getLogger(Resends.class);
    private static final AtomicBoolean warnedNoLookup = new AtomicBoolean();

    private Resends() {}

    /**
     * The DUPLICATE outcome when the turn's message was already stored, with the original's ids
     * (and {@link Turn#duplicateOf} set); empty when it was not.
     *
     * @throws MessageIdConflictException when the stored message under its id is a different one
     */
    static Optional<TurnResult> check(Runtime rt, Turn turn) {
        InboundMessage in = turn.inbound();
        if (in.externalId().isEmpty()) {
            return Optional.empty();
        }
        Optional<StoredInbound> found;
        try {
            found = rt.store().findInbound(in.channel(), in.externalId());
        } catch (UnsupportedOperationException e) {
            // a store of an earlier SPI: it knows the id was used, not what for
            if (warnedNoLookup.compareAndSet(false, true)) {
                LOG.warn(
                        "{} cannot look up a stored message by its channel id (ConversationStore.findInbound):"
                                + " resends are answered without the original ids and are not compared",
                        rt.store().getClass().getName());
            }
            return Optional.of(TurnResult.of(
                    Outcome.DUPLICATE, turn, "channel '" + in.channel() + "' already delivered this message"));
        }
        if (found.isEmpty()) {
            return Optional.empty();
        }
        StoredInbound original = found.get();
        String sender = rt.store().findContact(in.from()).map(Contact::id).orElse("");
        if (!original.contactId().equals(sender)
                || !rt.pii()
                        .sameText(
                                original.sessionId(),
                                in.channel(),
                                in.text(),
                                original.message().text())) {
            LOG.debug("refused a different message under an external id already used on {}", in.channel());
            throw new MessageIdConflictException(in.channel(), in.externalId());
        }
        turn.duplicateOf(original);
        return Optional.of(new TurnResult(
                Outcome.DUPLICATE,
                original.sessionId(),
                original.ticket(),
                original.message().id(),
                null,
                "",
                0,
                List.of(),
                "channel '" + in.channel() + "' already delivered this message (event " + original.seq()
                        + " of session " + original.ticket() + ")"));
    }
}
