package dev.opencx.responder.llm;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.opencx.handoff.HandoffReason;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the model's text into an {@link LlmAnswer}, leniently: the JSON object alone, inside a
 * Markdown code fence, or with prose around it; field names and values are read with some
 * tolerance (a confidence of "85%" is 0.85, citations may be a comma-separated string). Text
 * without a JSON object carrying an {@code answer}, {@code needs_human} or {@code handoff_reason}
 * is a {@link LlmAnswer.Format#PLAIN} answer.
 */
final class AnswerParser {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.ALLOW_COMMENTS)
            .enable(JsonParser.Feature.ALLOW_TRAILING_COMMA)
            .enable(JsonParser.Feature.ALLOW_SINGLE_QUOTES)
            .build();
    private static final Pattern FENCE = Pattern.compile("```[a-zA-Z]*\\s*\\n?(.*?)```", Pattern.DOTALL);

    /** The categories the model may name, as in the JSON schema. */
    static final List<String> CATEGORIES = List.of(
            "none", "missing_knowledge", "missing_tools", "unclear_request", "user_request", "prohibited_topic");

    private AnswerParser() {}

    static LlmAnswer parse(String text) {
        String t = text == null ? "" : text.strip();
        if (t.isEmpty()) {
            return new LlmAnswer("", List.of(), null, false, "", LlmAnswer.Format.PLAIN);
        }
        Optional<LlmAnswer> whole = object(t, LlmAnswer.Format.JSON);
        if (whole.isPresent()) {
            return whole.get();
        }
        Matcher m = FENCE.matcher(t);
        while (m.find()) {
            Optional<LlmAnswer> fenced = object(m.group(1).strip(), LlmAnswer.Format.FENCED_JSON);
            if (fenced.isPresent()) {
                return fenced.get();
            }
        }
        for (int start = t.indexOf('{'); start >= 0; start = t.indexOf('{', start + 1)) {
            int end = matchingBrace(t, start);
            if (end > start) {
                Optional<LlmAnswer> embedded = object(t.substring(start, end + 1), LlmAnswer.Format.EMBEDDED_JSON);
                if (embedded.isPresent()) {
                    return embedded.get();
                }
            }
        }
        return new LlmAnswer(t, List.of(), null, false, "", LlmAnswer.Format.PLAIN);
    }

    /** The handoff reason for a category the model named; {@code LOW_CONFIDENCE} when it is unknown. */
    static HandoffReason reason(String category) {
        return switch (category) {
            case "missing_knowledge" -> HandoffReason.MISSING_KNOWLEDGE;
            case "missing_tools" -> HandoffReason.MISSING_ACTION;
            case "unclear_request" -> HandoffReason.UNCLEAR_REQUEST;
            case "user_request" -> HandoffReason.EXPLICIT_REQUEST;
            case "prohibited_topic" -> HandoffReason.PROHIBITED_TOPIC;
            default -> HandoffReason.LOW_CONFIDENCE;
        };
    }

    private static Optional<LlmAnswer> object(String candidate, LlmAnswer.Format format) {
        if (!candidate.startsWith("{")) {
            return Optional.empty();
        }
        JsonNode n;
        try {
            n = JSON.readTree(candidate);
        } catch (Exception e) {
            return Optional.empty();
        }
        if (n == null || !n.isObject()) {
            return Optional.empty();
        }
        JsonNode answer = first(n, "answer", "reply", "response", "text");
        JsonNode needs = first(n, "needs_human", "needsHuman", "handoff", "human");
        JsonNode reason = first(n, "handoff_reason", "handoffReason", "reason");
        if (answer == null && needs == null && reason == null) {
            return Optional.empty();
        }
        String category = category(reason == null ? "" : reason.asText(""));
        boolean needsHuman = needs != null
                ? needs.isBoolean()
                        ? needs.booleanValue()
                        : List.of("true", "yes", "1")
                                .contains(needs.asText("").strip().toLowerCase(Locale.ROOT))
                : !category.isEmpty();
        return Optional.of(new LlmAnswer(
                answer == null || answer.isNull() ? "" : answer.asText(""),
                citations(first(n, "citations", "sources", "cited")),
                confidence(first(n, "confidence", "score")),
                needsHuman,
                category,
                format));
    }

    private static JsonNode first(JsonNode n, String... names) {
        for (String name : names) {
            JsonNode v = n.get(name);
            if (v != null && !v.isNull()) {
                return v;
            }
        }
        return null;
    }

    private static List<String> citations(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n == null) {
            return out;
        }
        if (n.isArray()) {
            for (JsonNode c : n) {
                String id = c.isObject() ? c.path("id").asText("") : c.asText("");
                if (!id.isBlank()) {
                    out.add(id.strip());
                }
            }
        } else {
            for (String id : n.asText("").split("[,;\\s]+")) {
                if (!id.isBlank()) {
                    out.add(id.strip());
                }
            }
        }
        return out;
    }

    private static Double confidence(JsonNode n) {
        if (n == null) {
            return null;
        }
        double v;
        if (n.isNumber()) {
            v = n.doubleValue();
        } else {
            String s = n.asText("").strip();
            boolean percent = s.endsWith("%");
            try {
                v = Double.parseDouble(percent ? s.substring(0, s.length() - 1).strip() : s);
            } catch (NumberFormatException e) {
                return null;
            }
            if (percent) {
                v /= 100;
            }
        }
        if (Double.isNaN(v) || v < 0) {
            return null;
        }
        if (v > 1 && v <= 100) {
            v /= 100; // "85" meant 85 %
        }
        return Math.min(1, v);
    }

    /** The category's canonical name: lower case, words joined by '_', synonyms mapped; empty for none. */
    static String category(String raw) {
        String c = raw.strip().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
        c = c.replaceAll("^_+|_+$", "");
        return switch (c) {
            case "", "none", "null", "no", "false", "n_a", "na" -> "";
            case "missing_knowledge",
                    "no_knowledge",
                    "knowledge",
                    "not_in_context",
                    "unknown_answer" -> "missing_knowledge";
            case "missing_tools",
                    "missing_tool",
                    "missing_action",
                    "missing_actions",
                    "needs_action",
                    "tools" -> "missing_tools";
            case "unclear_request", "unclear", "ambiguous", "ambiguous_request" -> "unclear_request";
            case "user_request",
                    "human_request",
                    "explicit_request",
                    "customer_request",
                    "user_asked" -> "user_request";
            case "prohibited_topic", "prohibited", "unsafe", "forbidden_topic" -> "prohibited_topic";
            default -> "other:" + c;
        };
    }

    /** The index of the brace that closes the one at {@code start}, skipping strings; -1 when none. */
    static int matchingBrace(String s, int start) {
        int depth = 0;
        boolean inString = false;
        char quote = 0;
        for (int i = start; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (inString) {
                if (ch == '\\') {
                    i++;
                } else if (ch == quote) {
                    inString = false;
                }
            } else if (ch == '"' || ch == '\'') {
                inString = true;
                quote = ch;
            } else if (ch == '{') {
                depth++;
            } else if (ch == '}') {
                depth--;
                if (depth == 0) {
                    return i;
                }
            }
        }
        return -1;
    }
}
