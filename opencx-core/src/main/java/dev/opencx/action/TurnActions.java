package dev.opencx.action;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.opencx.responder.Reply;
import java.util.List;
import java.util.Optional;

/**
 * The actions of one turn, as a responder sees them ({@link
 * dev.opencx.responder.ResponderRequest#actions()}): which ones this session's channel and contact
 * may use, and the three things a responder does with them. OpenCX builds it per turn from {@code
 * OpenCx.builder().actions(registry, executor)}; it is {@link #NONE} when no actions are configured.
 *
 * <ul>
 *   <li>{@link #call}: calls the API now. The arguments may hold the session's PII placeholders
 *       (they are revealed for the call only), contact-bound parameters are filled from the
 *       verified contact, each call gets its own idempotency key, and an {@link
 *       dev.opencx.event.ActionCalled} event records it. The result's body and explanation come
 *       back redacted.
 *   <li>{@link #propose}: ends the turn with a question instead of a call: the values still
 *       missing, or (for an action that {@link Action#requiresConfirmation() requires
 *       confirmation}) the filled values and "shall I go ahead?". The customer's next message
 *       answers it; OpenCX makes the call only after an explicit yes.
 *   <li>{@link #reply}: the reply to send after a call: the action's {@link ReplyTemplate} (or a
 *       default) on success, the API's reason on a 4xx the customer can act on, a handoff otherwise.
 * </ul>
 */
public interface TurnActions {

    /** No actions: nothing offered, nothing pending. */
    TurnActions NONE = new TurnActions() {
        @Override
        public ActionRegistry offered() {
            return ActionRegistry.empty();
        }

        @Override
        public Optional<PendingAction> pending() {
            return Optional.empty();
        }

        @Override
        public List<String> check(Action action, ObjectNode arguments) {
            throw new IllegalStateException("no actions are configured: see OpenCx.Builder.actions");
        }

        @Override
        public ActionResult call(Action action, ObjectNode arguments, String trigger) {
            throw new IllegalStateException("no actions are configured: see OpenCx.Builder.actions");
        }

        @Override
        public String propose(Action action, ObjectNode arguments, List<String> missing) {
            throw new IllegalStateException("no actions are configured: see OpenCx.Builder.actions");
        }

        @Override
        public Reply reply(Action action, ObjectNode arguments, ActionResult result) {
            throw new IllegalStateException("no actions are configured: see OpenCx.Builder.actions");
        }
    };

    /** The actions this turn may use: visible, enabled on the session's channel and for the contact. */
    ActionRegistry offered();

    /**
     * The action the AI's previous reply left waiting for values ({@link PendingAction#missing()}
     * not empty), when this message is its answer. (A pending confirmation is handled by OpenCX
     * before the responder runs and never shows here.)
     */
    Optional<PendingAction> pending();

    /**
     * What is wrong with the arguments (schema, required values, contact-bound values unknown for
     * this contact), without calling; empty when the call could be made.
     */
    List<String> check(Action action, ObjectNode arguments);

    /**
     * Calls an offered action now.
     *
     * @param trigger who asked: {@code model}, {@code embedded}, {@code confirmation}
     * @throws IllegalArgumentException when the action is not offered this turn
     */
    ActionResult call(Action action, ObjectNode arguments, String trigger);

    /**
     * Leaves the action open with this turn's reply and returns the reply's text: the question for
     * the first of {@code missing}, or the confirmation request when {@code missing} is empty.
     *
     * @throws IllegalArgumentException when the action is not offered this turn
     */
    String propose(Action action, ObjectNode arguments, List<String> missing);

    /** The reply after {@link #call}: success text, an explanation, or a handoff. */
    Reply reply(Action action, ObjectNode arguments, ActionResult result);
}
