package dev.opencx.internal;

import dev.opencx.conversation.ChannelId;
import dev.opencx.conversation.Contact;
import dev.opencx.conversation.Identity;
import dev.opencx.conversation.IdentityType;
import dev.opencx.conversation.Session;
import dev.opencx.pii.PiiDestination;
import dev.opencx.pii.PiiDetector;
import dev.opencx.pii.PiiPolicy;
import dev.opencx.pii.PiiRedactor;
import dev.opencx.pii.PiiSpan;
import dev.opencx.pii.PiiType;
import dev.opencx.pii.PiiVault;
import dev.opencx.store.ConversationStore;
import dev.opencx.store.VaultEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Redaction in the pipeline: detects PII in a customer message, replaces it by the session's
 * placeholders, seals new values in the store's vault, and restores values for a destination when
 * the channel's policy allows. Never logs a value.
 *
 * <p>A contact's display name: contacts persist across sessions, the vault is per session. When the
 * policy of the channel a new contact arrives on redacts {@link PiiType#PERSON}, the contact is
 * stored with the name {@link PiiRedactor#CONTACT_NAME} ({@code [PERSON_0]}) and every session of
 * the contact gets a vault entry for that placeholder, sealed for the session: from the name that
 * arrived with the session, else copied from the contact's latest session that has one. So the name
 * is revealed exactly like a value in a message of that session ({@link #reveal}), and erasing a
 * session's vault erases its copy. Without a vault (one-way redaction) the name is not kept at all.
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
        List<PiiSpan> spans = new ArrayList<>(detector.detect(text));
        PiiRedactor.Placeholder name = known.get(PiiRedactor.CONTACT_NAME);
        if (name != null && !name.value().startsWith("\u0000")) {
            spans.addAll(occurrences(text, name.value())); // the contact's own name, even where no rule finds it
        }
        return PiiRedactor.redact(text, spans, policy, known);
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
    public boolean sameText(String sessionId, ChannelId channel, String rawText, String storedText) {
        PiiPolicy policy = policy(channel);
        if (!policy.isEnabled() || rawText.isEmpty()) {
            return rawText.equals(storedText);
        }
        // only the contact's name from the session: intake found it in the text through it, not through a rule
        PiiRedactor.Placeholder name = placeholders(sessionId).get(PiiRedactor.CONTACT_NAME);
        Map<String, PiiRedactor.Placeholder> known = name == null ? Map.of() : Map.of(PiiRedactor.CONTACT_NAME, name);
        String redacted = redactWith(rawText, policy, known).text();
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
     * The display name to store for a contact that a channel creates: {@link PiiRedactor#CONTACT_NAME}
     * when the channel's policy redacts names (the value then goes to each session's vault through
     * {@link #shareContactName}), else the name as given.
     */
    public String nameToStore(ChannelId channel, String displayName) {
        PiiPolicy policy = policy(channel);
        if (displayName.isBlank() || !policy.isEnabled() || !policy.redacts(PiiType.PERSON)) {
            return displayName;
        }
        return PiiRedactor.CONTACT_NAME;
    }

    /**
     * Gives a session of a contact whose name is {@link PiiRedactor#CONTACT_NAME} its vault entry
     * for the name: copied from the contact's latest other session that has one (the first name
     * given stays the contact's name, as with names stored in clear), else sealed from {@code
     * arrivingName}. Does nothing when the session already has it, the name is not a placeholder,
     * there is no vault, or there is no value to take.
     */
    public void shareContactName(Session session, Contact contact, String arrivingName) {
        if (vault == null || !PiiRedactor.CONTACT_NAME.equals(contact.displayName())) {
            return;
        }
        for (VaultEntry e : store.vaultEntries(session.id())) {
            if (e.placeholder().equals(PiiRedactor.CONTACT_NAME)) {
                return;
            }
        }
        String value = earlierName(contact, session.id());
        if (value == null && arrivingName != null && !arrivingName.isBlank()) {
            value = arrivingName.strip();
        }
        if (value == null) {
            return; // nowhere to take it from: the placeholder stays unrestorable in this session
        }
        store.putVaultEntries(
                session.id(),
                List.of(new VaultEntry(
                        PiiRedactor.CONTACT_NAME,
                        PiiType.PERSON.name(),
                        vault.seal(session.id(), PiiRedactor.CONTACT_NAME, value))));
    }

    private String earlierName(Contact contact, String exceptSessionId) {
        List<Session> sessions = store.sessionsOfContact(contact.id());
        for (int i = sessions.size() - 1; i >= 0; i--) {
            Session s = sessions.get(i);
            if (s.id().equals(exceptSessionId)) {
                continue;
            }
            for (VaultEntry e : store.vaultEntries(s.id())) {
                if (e.placeholder().equals(PiiRedactor.CONTACT_NAME)
                        && !e.sealedValue().isEmpty()) {
                    try {
                        return vault.open(s.id(), e.placeholder(), e.sealedValue());
                    } catch (IllegalArgumentException ex) {
                        break; // another key: try an older session
                    }
                }
            }
        }
        return null;
    }

    /**
     * The display name of a session's contact as {@code destination} may see it: a name stored in
     * clear as it is; the placeholder {@link PiiRedactor#CONTACT_NAME} revealed by the session's
     * vault where the channel's policy reveals names to the destination (on a channel whose policy
     * is off, where nothing is redacted, the value itself).
     */
    public String contactName(Session session, Contact contact, PiiDestination destination) {
        String name = contact.displayName();
        if (!PiiRedactor.CONTACT_NAME.equals(name) || vault == null) {
            return name;
        }
        if (!policy(session.channel()).isEnabled()) {
            PiiRedactor.Placeholder p = placeholders(session.id()).get(name);
            return p == null || p.value().startsWith("\u0000") ? name : p.value();
        }
        return reveal(session.id(), session.channel(), name, destination);
    }

    /**
     * The contact as the responder sees it: without a display name stored in clear when names are
     * redacted (a redacted name is shown as its placeholder, which the customer's channel reveals),
     * and without identities of a redacted type (the real contact stays in the store for actions).
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
        String name = contact.displayName();
        if (policy.redacts(PiiType.PERSON) && !PiiRedactor.CONTACT_NAME.equals(name)) {
            name = "";
        }
        return new Contact(contact.id(), name, ids, contact.createdAt());
    }

    /**
     * The contact as a destination outside the model sees it (the helpdesk's ticket): without the
     * channel identities (e-mail address, phone number) of a type the policy redacts and does not
     * reveal to that destination, as message text is treated.
     */
    public Contact forDestination(Contact contact, ChannelId channel, PiiDestination destination) {
        PiiPolicy policy = policy(channel);
        if (!policy.isEnabled()) {
            return contact;
        }
        List<Identity> ids = new ArrayList<>();
        for (Identity i : contact.identities()) {
            PiiType t = i.type() == IdentityType.EMAIL
                    ? PiiType.EMAIL
                    : i.type() == IdentityType.PHONE ? PiiType.PHONE : null;
            if (t == null || !policy.redacts(t) || policy.reveals(t, destination)) {
                ids.add(i);
            }
        }
        return ids.size() == contact.identities().size()
                ? contact
                : new Contact(contact.id(), contact.displayName(), ids, contact.createdAt());
    }

    private static List<PiiSpan> occurrences(String text, String value) {
        List<PiiSpan> out = new ArrayList<>();
        if (value.strip().length() < 2) {
            return out;
        }
        Matcher m = Pattern.compile(
                        "(?<![\\p{L}\\p{N}])" + Pattern.quote(value.strip()) + "(?![\\p{L}\\p{N}])",
                        Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE)
                .matcher(text);
        while (m.find()) {
            out.add(PiiSpan.of(m.start(), m.end(), PiiType.PERSON));
        }
        return out;
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
