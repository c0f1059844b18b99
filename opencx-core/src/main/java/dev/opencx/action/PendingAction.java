package dev.opencx.action;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An action the AI's last reply left open, waiting for the customer's next message: either the
 * values still missing (the reply asked for them) or an explicit yes (the reply proposed the call
 * with the filled values). It is stored with that reply ({@link dev.opencx.event.ReplySent#pending})
 * so it survives restarts, and it answers only the very next customer message of the session:
 * anything else, or a reply after {@link #expiresAt}, cancels it.
 *
 * @param id unique; the idempotency key of the call it leads to, so a turn replayed after a crash
 *     never calls twice
 * @param action the action's name
 * @param arguments the arguments gathered so far, a JSON object; personal data as the session's
 *     placeholders, revealed only when the call is made
 * @param missing the required parameters still to ask for, in order; empty when the reply asked for
 *     confirmation
 * @param summary what the customer was shown (the action and its values, with placeholders)
 * @param expiresAt after this instant a yes no longer counts
 */
public record PendingAction(
        String id, String action, String arguments, List<String> missing, String summary, Instant expiresAt) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public PendingAction {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(action, "action");
        arguments = arguments == null || arguments.isBlank() ? "{}" : arguments;
        missing = missing == null ? List.of() : List.copyOf(missing);
        summary = summary == null ? "" : summary;
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /** Whether the reply asked the customer to confirm the call (rather than for missing values). */
    public boolean awaitsConfirmation() {
        return missing.isEmpty();
    }

    /** The arguments as a JSON object (a copy); empty when the stored text is not an object. */
    public ObjectNode parsedArguments() {
        try {
            JsonNode node = JSON.readTree(arguments);
            return node instanceof ObjectNode o ? o : JSON.createObjectNode();
        } catch (JsonProcessingException e) {
            return JSON.createObjectNode();
        }
    }

    /** Whether a customer message at {@code now} still counts as the answer. */
    public boolean isExpired(Instant now) {
        return now.isAfter(expiresAt);
    }
}
