package dev.opencx.connect;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An {@code application/x-www-form-urlencoded} body as a provider sent it (Twilio, Slack slash
 * commands): the pairs in order, repeated names kept. Immutable.
 *
 * <pre>{@code
 * FormBody form = FormBody.parse(request.body());
 * String from = form.first("From").orElse("");
 * List<String> media = form.all("MediaUrl0");
 * }</pre>
 */
public final class FormBody {
    private final List<Map.Entry<String, String>> pairs;
    private final Map<String, List<String>> byName;

    private FormBody(List<Map.Entry<String, String>> pairs) {
        this.pairs = List.copyOf(pairs);
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (Map.Entry<String, String> p : pairs) {
            m.computeIfAbsent(p.getKey(), k -> new ArrayList<>()).add(p.getValue());
        }
        m.replaceAll((k, v) -> List.copyOf(v));
        this.byName = Collections.unmodifiableMap(m);
    }

    /**
     * Decodes a body ({@code +} is a space, {@code %XX} UTF-8). A pair without {@code =} has an
     * empty value.
     *
     * @throws IllegalArgumentException for a malformed escape, naming it
     */
    public static FormBody parse(byte[] body) {
        return parse(new String(body, StandardCharsets.UTF_8));
    }

    /** Decodes a body given as text; see {@link #parse(byte[])}. */
    public static FormBody parse(String body) {
        List<Map.Entry<String, String>> pairs = new ArrayList<>();
        if (!body.isEmpty()) {
            for (String part : body.split("&")) {
                if (part.isEmpty()) {
                    continue;
                }
                int eq = part.indexOf('=');
                String name = eq < 0 ? part : part.substring(0, eq);
                String value = eq < 0 ? "" : part.substring(eq + 1);
                pairs.add(Map.entry(decode(name), decode(value)));
            }
        }
        return new FormBody(pairs);
    }

    /** The pairs in the order they came. */
    public List<Map.Entry<String, String>> pairs() {
        return pairs;
    }

    /** The values of each name, names in first-seen order. */
    public Map<String, List<String>> asMap() {
        return byName;
    }

    /** The first value of {@code name}. */
    public Optional<String> first(String name) {
        List<String> v = byName.get(name);
        return v == null ? Optional.empty() : Optional.of(v.get(0));
    }

    /** Every value of {@code name}, empty when absent. */
    public List<String> all(String name) {
        return byName.getOrDefault(name, List.of());
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed form encoding in '" + abbreviate(s) + "'", e);
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }

    @Override
    public String toString() {
        return "FormBody" + byName.keySet(); // names only: values may be personal data
    }
}
