package dev.opencx.internal;

import dev.opencx.conversation.ChannelId;
import dev.opencx.conversation.Contact;
import dev.opencx.conversation.Identity;
import dev.opencx.conversation.IdentityType;
import dev.opencx.pii.PiiDestination;
import dev.opencx.pii.PiiDetector;
import dev.opencx.pii.PiiPolicy;
import dev.opencx.pii.PiiRedactor;
import dev.opencx.pii.PiiType;
import dev.opencx.pii.PiiVault;
import dev.opencx.store.ConversationStore;
import dev.opencx.store.VaultEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Redaction in the pipeline: detects PII in a customer message, replaces it by the session's
 * placeholders, seals new values in the store's vault, and restores values for a destination when
 * the channel's policy allows. Never logs a value.
 */
public final class PiiGuard {
    private static final Logger LOG = LoggerFactory.getLogger(PiiGuard.class);

    private final PiiDetector detector;
    private final PiiPolicy defaultPolicy;
    private final Map<ChannelId, PiiPolicy> channelPolicies;
    private final PiiVault vault;
    private final ConversationStore store;
    private final AtomicBoolean warnedUnopenable = new AtomicBoolean();

    /**
     * @param detector null when PII redaction is off
     * @param vault null for one-way redaction
     */
    public PiiGuard(
            PiiDetector detector,
            PiiPolicy defaultPolicy,
            Map<ChannelId, PiiPolicy> channelPolicies,
            PiiVault vault,
            ConversationStore store) {
        this.detector = detector;
        this.defaultPolicy = defaultPolicy;
        this.channelPolicies = Map.copyOf(channelPolicies);
        this.vault = vault;
        this.store = store;
    }

    /** The policy of a channel: its own, or the default; {@link PiiPolicy#off()} without a detector. */
    public PiiPolicy policy(ChannelId channel) {
        if (detector == null) {
            return PiiPolicy.off();
        }
        return channelPolicies.getOrDefault(channel, defaultPolicy);
    }

    /** A redacted message text and the why. */
    public record Outcome(String text, Map<String, Integer> counts, int newPlaceholders, boolean reversible) {}

    /** Redacts {@code text} for a session; new placeholders are stored before this returns. */
    public Outcome redact(String sessionId, ChannelId channel, String text) {
        PiiPolicy policy = policy(channel);
        if (!policy.isEnabled() || text.isEmpty()) {
            return new Outcome(text, Map.of(), 0, vault != null);
        }
        Map<String, PiiRedactor.Placeholder> known = placeholders(sessionId);
        PiiRedactor.Result r = redactWith(text, policy, known);
        if (!r.created().isEmpty()) {
            List<VaultEntry> entries = new ArrayList<>(r.created().size());
            for (PiiRedactor.Placeholder p : r.created()) {
                String sealed = vault == null ? "" : vault.seal(sessionId, p.placeholder(), p.value());
                entries.add(new VaultEntry(p.placeholder(), p.type().name(), sealed));
            }
            store.putVaultEntries(sessionId, entries);
        }
        return new Outcome(r.text(), r.counts(), r.created().size(), vault != null);
    }

    /** The one place where text is redacted: {@link #redact} and {@link #sameText} must agree. */
    private PiiRedactor.Result redactWith(String text, PiiPolicy policy, Map<String, PiiRedactor.Placeholder> known) {
        return PiiRedactor.redact(text, detector.detect(text), policy, known);
    }

    /**
     * Whether {@code rawText}, as a channel delivers it again, is the message stored as {@code
     * storedText} (which {@link #redact} produced for the channel's session). With redaction off the
     * texts must be equal. With it on, the raw text is redacted the same way, but without the
     * session's placeholders and without storing anything, and the two are compared with the
     * placeholder numbers left out ({@code [EMAIL_1]} and {@code [EMAIL_2]} both read {@code
     * [EMAIL]}): every character outside PII must match, and PII of the same types must sit in the
     * same places.
     *
     * <p>Why not the session's own placeholders: without a vault (one-way redaction) a value seen
     * before is not recognized and gets the next number, so an honest resend would not match, and
     * redacting with the session's state would store placeholders for a message that is never kept.
     * Why not a fingerprint of the raw text: the texts around the PII are in the log, so a hash
     * would let anyone who reads the database test guesses of the PII (a phone number has about
     * 10^10 values), and a keyed hash needs a key kept apart from the database that every instance
     * shares and nobody rotates. This comparison stores nothing and reads only what the log already
     * holds. Its limit: the same id with only a different PII value (another email address in the
     * same sentence) counts as the same message.
     */
    public boolean sameText(ChannelId channel, String rawText, String storedText) {
        PiiPolicy policy = policy(channel);
        if (!policy.isEnabled() || rawText.isEmpty()) {
            return rawText.equals(storedText);
        }
        String redacted = redactWith(rawText, policy, Map.of()).text();
        return unnumbered(redacted).equals(unnumbered(storedText));
    }

    private static String unnumbered(String text) {
        return PiiRedactor.PLACEHOLDER.matcher(text).replaceAll("[$1]");
    }

    /** {@code text} with the placeholders the channel's policy reveals to {@code destination} restored. */
    public String reveal(String sessionId, ChannelId channel, String text, PiiDestination destination) {
        PiiPolicy policy = policy(channel);
        if (vault == null || text == null || text.indexOf('[') < 0 || !policy.isEnabled()) {
            return text;
        }
        Map<String, PiiRedactor.Placeholder> known = new LinkedHashMap<>(placeholders(sessionId));
        known.values().removeIf(p -> p.value().startsWith("\u0000"));
        return PiiRedactor.restore(text, known, policy, destination);
    }

    /**
     * The contact as the responder sees it: without the display name when names are redacted, and
     * without identities of a redacted type (the real contact stays in the store for actions).
     */
    public Contact forModel(Contact contact, ChannelId channel) {
        PiiPolicy policy = policy(channel);
        if (!policy.isEnabled()) {
            return contact;
        }
        List<Identity> ids = new ArrayList<>();
        for (Identity i : contact.identities()) {
            PiiType t = i.type() == IdentityType.EMAIL
                    ? PiiType.EMAIL
                    : i.type() == IdentityType.PHONE ? PiiType.PHONE : null;
            if (t == null || !policy.redacts(t)) {
                ids.add(i);
            }
        }
        String name = policy.redacts(PiiType.PERSON) ? "" : contact.displayName();
        return new Contact(contact.id(), name, ids, contact.createdAt());
    }

    /** The session's known placeholders; values that cannot be opened (no vault, another key) are absent. */
    private Map<String, PiiRedactor.Placeholder> placeholders(String sessionId) {
        Map<String, PiiRedactor.Placeholder> out = new LinkedHashMap<>();
        for (VaultEntry e : store.vaultEntries(sessionId)) {
            if (vault == null || e.sealedValue().isEmpty()) {
                // one-way: the placeholder is taken, its value unknown (a fresh value gets the next number)
                out.put(
                        e.placeholder(),
                        new PiiRedactor.Placeholder(e.placeholder(), PiiType.of(e.type()), "\u0000" + e.placeholder()));
                continue;
            }
            try {
                out.put(
                        e.placeholder(),
                        new PiiRedactor.Placeholder(
                                e.placeholder(),
                                PiiType.of(e.type()),
                                vault.open(sessionId, e.placeholder(), e.sealedValue())));
            } catch (IllegalArgumentException ex) {
                if (warnedUnopenable.compareAndSet(false, true)) {
                    LOG.warn(
                            "a PII vault entry of session {} does not open with the configured key (was the key changed?);"
                                    + " its placeholder stays redacted",
                            sessionId);
                }
                out.put(
                        e.placeholder(),
                        new PiiRedactor.Placeholder(e.placeholder(), PiiType.of(e.type()), "\u0000" + e.placeholder()));
            }
        }
        return out;
    }
}
