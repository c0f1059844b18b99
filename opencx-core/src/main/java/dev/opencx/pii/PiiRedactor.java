package dev.opencx.pii;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces detected spans by typed placeholders ({@code [EMAIL_1]}, {@code [PHONE_2]}) and puts
 * real values back for a destination. The same value gets the same placeholder within a session:
 * pass the session's known placeholders to {@link #redact}.
 *
 * <pre>{@code
 * PiiRedactor.Result r = PiiRedactor.redact(text, detector.detect(text), PiiPolicy.defaults(), Map.of());
 * r.text();            // "Mail me at [EMAIL_1]"
 * r.placeholders();    // [EMAIL_1] -> EMAIL "ana@example.com"
 * }</pre>
 */
public final class PiiRedactor {
    /**
     * The placeholder of a contact's own display name, in every session of the contact. When the
     * channel's policy redacts {@link PiiType#PERSON}, a name a channel gives for a new contact (the
     * widget's signed-in user, an e-mail's From name, a REST {@code name}) is stored on the contact
     * as this placeholder, and each session of the contact keeps the real value in its own vault
     * entry, sealed for that session (the vault is per session; contacts outlive sessions). The
     * redactor numbers from 1, so the name never collides with a name typed in a message; the same
     * name typed by the customer gets this placeholder too.
     */
    public static final String CONTACT_NAME = "[PERSON_0]";

    /** A placeholder as it appears in text. */
    public static final Pattern PLACEHOLDER = Pattern.compile("\\[([A-Z][A-Z0-9_]*)_(\\d{1,6})\\]");

    private PiiRedactor() {}

    /** A placeholder and the value behind it. */
    public record Placeholder(String placeholder, PiiType type, String value) {
        public Placeholder {
            Objects.requireNonNull(placeholder, "placeholder");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String toString() {
            return placeholder + " (" + type + ")"; // never the value
        }
    }

    /**
     * The outcome of {@link #redact}.
     *
     * @param text the redacted text
     * @param placeholders every placeholder used in the text, in order of first use
     * @param created the placeholders that were not known before (to store in the vault)
     * @param counts spans replaced, by type name
     */
    public record Result(
            String text, List<Placeholder> placeholders, List<Placeholder> created, Map<String, Integer> counts) {
        public boolean changed() {
            return !counts.isEmpty();
        }

        @Override
        public String toString() {
            return "Result[counts=" + counts + "]"; // never the values
        }
    }

    /**
     * Redacts {@code spans} of {@code text} whose type the policy redacts.
     *
     * @param known placeholders already used in the session (their values are matched first)
     */
    public static Result redact(String text, List<PiiSpan> spans, PiiPolicy policy, Map<String, Placeholder> known) {
        Objects.requireNonNull(text, "text");
        Map<String, String> byValue = new HashMap<>();
        Map<PiiType, Integer> next = new HashMap<>();
        for (Placeholder p : known.values()) {
            byValue.put(key(p.type(), p.value()), p.placeholder());
            Matcher m = PLACEHOLDER.matcher(p.placeholder());
            if (m.matches()) {
                next.merge(p.type(), Integer.parseInt(m.group(2)), Math::max);
            }
        }
        // only redacted types compete for a stretch of text: a kept URL must not hide an email inside it
        List<PiiSpan> candidates = new ArrayList<>();
        for (PiiSpan s : spans) {
            if (s.end() <= text.length() && policy.redacts(s.type())) {
                candidates.add(s);
            }
        }
        List<PiiSpan> kept = PiiDetectors.resolveOverlaps(candidates);
        StringBuilder out = new StringBuilder(text.length());
        Map<String, Placeholder> used = new LinkedHashMap<>();
        List<Placeholder> created = new ArrayList<>();
        Map<String, Integer> counts = new TreeMap<>();
        int at = 0;
        for (PiiSpan s : kept) {
            String value = text.substring(s.start(), s.end());
            String k = key(s.type(), value);
            String ph = byValue.get(k);
            if (ph == null) {
                int n = next.merge(s.type(), 1, Integer::sum);
                ph = "[" + s.type().name() + "_" + n + "]";
                byValue.put(k, ph);
                Placeholder p = new Placeholder(ph, s.type(), value);
                created.add(p);
                used.put(ph, p);
            } else if (!used.containsKey(ph)) {
                Placeholder p = known.get(ph);
                used.put(ph, p != null ? p : new Placeholder(ph, s.type(), value));
            }
            out.append(text, at, s.start()).append(ph);
            at = s.end();
            counts.merge(s.type().name(), 1, Integer::sum);
        }
        out.append(text, at, text.length());
        return new Result(out.toString(), List.copyOf(used.values()), List.copyOf(created), Map.copyOf(counts));
    }

    /**
     * Puts back the real values of the placeholders in {@code text} that the policy reveals to
     * {@code destination}; other placeholders (and unknown ones) stay as they are.
     */
    public static String restore(
            String text, Map<String, Placeholder> placeholders, PiiPolicy policy, PiiDestination destination) {
        if (placeholders.isEmpty() || text.indexOf('[') < 0) {
            return text;
        }
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder sb = new StringBuilder(text.length());
        while (m.find()) {
            Placeholder p = placeholders.get(m.group());
            String replacement = p != null && policy.reveals(p.type(), destination) ? p.value() : m.group();
            m.appendReplacement(sb, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** The identity of a value for "same value, same placeholder": case, spaces and separators ignored. */
    static String key(PiiType type, String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        if (type.equals(PiiType.PHONE)
                || type.equals(PiiType.CARD)
                || type.equals(PiiType.IBAN)
                || type.equals(PiiType.SSN)) {
            v = v.replaceAll("[^0-9a-z+]", "");
        } else {
            v = v.replaceAll("\\s+", " ");
        }
        return type.name() + ':' + v;
    }
}
