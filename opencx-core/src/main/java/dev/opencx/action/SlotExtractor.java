package dev.opencx.action;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills an action's parameters from a customer message without a language model, by the type the
 * parameter's schema declares: integers and numbers, e-mail addresses, ISO dates and date-times,
 * UUIDs, URLs, enum values (case and separators ignored), identifiers (for a string parameter named
 * like one, {@code order_id} or {@code reference}: a token with a digit; or a token matching the
 * schema's {@code pattern}). PII placeholders ({@code [EMAIL_1]}) count as the values
 * they stand for. When several parameters want the same kind of value, each takes the candidate
 * closest after a mention of its name ("order <b>1042</b>, item <b>7</b>"). A free-text parameter
 * is only filled when it is the one value asked for: the whole message is the answer.
 *
 * <p>Stateless and thread-safe; not API-stable beyond {@link #extract}.
 */
public final class SlotExtractor {
    private static final Pattern EMAIL = Pattern.compile("[\\w.+-]+@[\\w-]+(\\.[\\w-]+)+|\\[EMAIL_\\d+]");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\[([A-Z_]+)_\\d+]");
    private static final Pattern INTEGER = Pattern.compile("(?<![\\w.\\[])#?(-?\\d{1,18})(?![\\w.]\\d|\\d|_\\d+])");
    private static final Pattern NUMBER = Pattern.compile("(?<![\\w.\\[])(-?\\d+(?:[.,]\\d+)?)(?![\\w]|_\\d+])");
    private static final Pattern DATE_TIME =
            Pattern.compile("\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}(:\\d{2})?(Z|[+-]\\d{2}:?\\d{2})?");
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern UUID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern URL = Pattern.compile("https?://[^\\s]+");
    private static final Pattern TOKEN = Pattern.compile("#?([A-Za-z0-9][A-Za-z0-9_\\-/]*[A-Za-z0-9]|\\d)");
    private static final Pattern WORD = Pattern.compile("[\\p{L}]+");
    private static final int MAX_FREE_TEXT = 500;

    private SlotExtractor() {}

    /** A value found in the text, with where it starts. */
    private record Candidate(int start, int end, JsonNode value) {}

    /**
     * The values of these parameters that the text gives.
     *
     * @param action the action
     * @param names the parameters to fill, in order of preference (contact-bound ones are skipped)
     * @param text the customer's message
     * @param whole whether the message answers a question about exactly these parameters, so a
     *     free-text parameter may take the whole message
     * @return the values by parameter name; only those found
     */
    public static ObjectNode extract(Action action, List<String> names, String text, boolean whole) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        String t = text == null ? "" : text.strip();
        if (t.isEmpty()) {
            return out;
        }
        Set<Integer> used = new HashSet<>();
        Map<String, List<Candidate>> byParameter = new LinkedHashMap<>();
        List<ActionParameter> free = new ArrayList<>();
        for (String name : names) {
            ActionParameter p = action.parameter(name).orElse(null);
            if (p == null || p.isContactBound()) {
                continue;
            }
            List<Candidate> candidates = candidates(p, t);
            if (candidates == null) {
                free.add(p);
            } else {
                byParameter.put(name, candidates);
            }
        }
        for (Map.Entry<String, List<Candidate>> e : byParameter.entrySet()) {
            ActionParameter p = action.parameter(e.getKey()).orElseThrow();
            Candidate best = pick(e.getValue(), mentions(p, t), used);
            if (best != null) {
                used.add(best.start());
                out.set(p.name(), best.value());
            }
        }
        if (whole && byParameter.isEmpty() && free.size() == 1 && !t.endsWith("?")) {
            String value = t.length() <= MAX_FREE_TEXT ? t : t.substring(0, MAX_FREE_TEXT);
            out.put(free.get(0).name(), value);
        }
        return out;
    }

    /** Where the text mentions the parameter's name words ("order" for order_id), as end offsets. */
    private static List<Integer> mentions(ActionParameter p, String text) {
        Set<String> words = new HashSet<>();
        Matcher w = WORD.matcher(p.name().replaceAll("([a-z])([A-Z])", "$1 $2").replace('_', ' '));
        while (w.find()) {
            String word = w.group().toLowerCase(Locale.ROOT);
            if (word.length() > 2 && !word.equals("number") && !word.equals("code")) {
                words.add(word);
            }
        }
        List<Integer> at = new ArrayList<>();
        Matcher m = WORD.matcher(text);
        while (m.find()) {
            String word = m.group().toLowerCase(Locale.ROOT);
            for (String w2 : words) {
                if (word.equals(w2) || word.equals(w2 + "s")) {
                    at.add(m.end());
                }
            }
        }
        return at;
    }

    /** The unused candidate closest after a mention; the first unused one when nothing is mentioned. */
    private static Candidate pick(List<Candidate> candidates, List<Integer> mentions, Set<Integer> used) {
        Candidate best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (Candidate c : candidates) {
            if (used.contains(c.start())) {
                continue;
            }
            if (mentions.isEmpty()) {
                return c;
            }
            for (int m : mentions) {
                int d = c.start() >= m ? c.start() - m : 1000 + (m - c.start());
                if (d < bestDistance) {
                    bestDistance = d;
                    best = c;
                }
            }
        }
        return best;
    }

    /** The values of the schema's type in the text, in order; null for a free-text parameter. */
    private static List<Candidate> candidates(ActionParameter parameter, String text) {
        ObjectNode schema = parameter.schema();
        String type = schema.path("type").asText("");
        String format = schema.path("format").asText("");
        JsonNode enumValues = schema.get("enum");
        List<Candidate> out = new ArrayList<>();
        if (enumValues != null && enumValues.isArray() && enumValues.size() > 0) {
            String folded = fold(text);
            for (JsonNode v : enumValues) {
                String f = fold(v.asText());
                if (f.isEmpty()) {
                    continue;
                }
                Matcher m = Pattern.compile("(?<![a-z0-9])" + Pattern.quote(f) + "(?![a-z0-9])")
                        .matcher(folded);
                if (m.find()) {
                    out.add(new Candidate(m.start(), m.end(), v.deepCopy()));
                }
            }
            out.sort((a, b) -> Integer.compare(a.start(), b.start()));
            return out;
        }
        switch (type) {
            case "integer" -> find(
                    INTEGER, text, out, m -> JsonNodeFactory.instance.numberNode(Long.parseLong(m.group(1))));
            case "number" -> find(
                    NUMBER,
                    text,
                    out,
                    m -> JsonNodeFactory.instance.numberNode(
                            new java.math.BigDecimal(m.group(1).replace(',', '.'))));
            case "string", "" -> {
                switch (format) {
                    case "email" -> find(EMAIL, text, out, m -> JsonNodeFactory.instance.textNode(m.group()));
                    case "date" -> find(DATE, text, out, m -> {
                        String iso = isoDate(m.group());
                        return iso == null ? null : JsonNodeFactory.instance.textNode(iso);
                    });
                    case "date-time" -> find(
                            DATE_TIME,
                            text,
                            out,
                            m -> JsonNodeFactory.instance.textNode(m.group().replace(' ', 'T')));
                    case "uuid" -> find(UUID, text, out, m -> JsonNodeFactory.instance.textNode(m.group()));
                    case "uri", "url" -> find(URL, text, out, m -> JsonNodeFactory.instance.textNode(m.group()));
                    default -> {
                        String pattern = schema.path("pattern").asText("");
                        if (!pattern.isEmpty()) {
                            Pattern p;
                            try {
                                p = Pattern.compile(pattern);
                            } catch (RuntimeException bad) {
                                return null;
                            }
                            Matcher tokens = TOKEN.matcher(text);
                            while (tokens.find()) {
                                if (p.matcher(tokens.group(1)).matches()) {
                                    out.add(new Candidate(
                                            tokens.start(),
                                            tokens.end(),
                                            JsonNodeFactory.instance.textNode(tokens.group(1))));
                                }
                            }
                            return out;
                        }
                        // a plain string: an identifier when named like one, else free text
                        return looksLikeId(parameter.name()) ? identifiers(text) : null;
                    }
                }
            }
            default -> {
                return null;
            }
        }
        return out;
    }

    /**
     * Identifiers for a plain string parameter named like an id ({@code order_id}, {@code
     * orderNumber}, {@code reference}): tokens with a digit, placeholders aside.
     */
    static boolean looksLikeId(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith("id")
                || n.endsWith("ids")
                || n.endsWith("number")
                || n.endsWith("no")
                || n.endsWith("code")
                || n.endsWith("ref")
                || n.endsWith("reference");
    }

    /** Tokens with a digit ("1042", "A-1042", "ORD88"), not inside a PII placeholder. */
    static List<Candidate> identifiers(String text) {
        List<Candidate> out = new ArrayList<>();
        Matcher m = TOKEN.matcher(text);
        while (m.find()) {
            String token = m.group(1);
            if (token.chars().anyMatch(Character::isDigit) && !insidePlaceholder(text, m.start())) {
                out.add(new Candidate(m.start(), m.end(), JsonNodeFactory.instance.textNode(token)));
            }
        }
        return out;
    }

    private static boolean insidePlaceholder(String text, int at) {
        Matcher p = PLACEHOLDER.matcher(text);
        while (p.find()) {
            if (at >= p.start() && at < p.end()) {
                return true;
            }
        }
        return false;
    }

    private interface Converter {
        JsonNode convert(Matcher m);
    }

    private static void find(Pattern pattern, String text, List<Candidate> out, Converter converter) {
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            if (insidePlaceholder(text, m.start()) && !m.group().startsWith("[")) {
                continue;
            }
            JsonNode v;
            try {
                v = converter.convert(m);
            } catch (NumberFormatException tooBig) {
                continue;
            }
            if (v != null) {
                out.add(new Candidate(m.start(), m.end(), v));
            }
        }
    }

    private static String isoDate(String s) {
        try {
            return LocalDate.parse(s).toString();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String fold(String s) {
        return s.toLowerCase(Locale.ROOT).replaceAll("[_\\-]+", " ").strip();
    }
}
