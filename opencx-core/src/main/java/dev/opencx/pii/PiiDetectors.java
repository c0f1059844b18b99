package dev.opencx.pii;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Detectors you configure: your own patterns, and combinations of detectors. */
public final class PiiDetectors {
    private PiiDetectors() {}

    /**
     * A detector for a regular expression: each match (or its group named {@code pii}, when the
     * pattern has one) is a span of {@code type}.
     *
     * @throws IllegalArgumentException when the pattern does not compile
     */
    public static PiiDetector pattern(PiiType type, String regex) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(regex, "regex");
        Pattern p;
        try {
            p = Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(
                    "pattern for " + type + " does not compile: " + e.getDescription() + " in '" + regex + "'", e);
        }
        boolean named = regex.contains("(?<pii>");
        return text -> {
            List<PiiSpan> out = new ArrayList<>();
            Matcher m = p.matcher(text);
            while (m.find()) {
                int s = named ? m.start("pii") : m.start();
                int e = named ? m.end("pii") : m.end();
                if (s >= 0 && e > s) {
                    out.add(PiiSpan.of(s, e, type));
                }
            }
            return out;
        };
    }

    /**
     * A detector that runs every one of {@code detectors} and returns all their spans, sorted by
     * start. Overlaps are kept: the redactor resolves them among the types a policy redacts, so a
     * kept type (a URL) never hides a redacted one inside it (an e-mail in its query string).
     */
    public static PiiDetector composite(List<? extends PiiDetector> detectors) {
        List<PiiDetector> all = List.copyOf(detectors);
        return text -> {
            List<PiiSpan> spans = new ArrayList<>();
            for (PiiDetector d : all) {
                spans.addAll(d.detect(text));
            }
            spans.sort(Comparator.comparingInt(PiiSpan::start).thenComparingInt(PiiSpan::end));
            return List.copyOf(spans);
        };
    }

    /**
     * Removes overlapping spans: the longest wins, then the more confident, then the earlier one.
     * The result is sorted by start.
     */
    public static List<PiiSpan> resolveOverlaps(List<PiiSpan> spans) {
        List<PiiSpan> sorted = new ArrayList<>(spans);
        sorted.sort(Comparator.comparingInt(PiiSpan::length)
                .reversed()
                .thenComparing(Comparator.comparingDouble(PiiSpan::confidence).reversed())
                .thenComparingInt(PiiSpan::start));
        List<PiiSpan> kept = new ArrayList<>();
        for (PiiSpan s : sorted) {
            boolean clash = false;
            for (PiiSpan k : kept) {
                if (k.overlaps(s)) {
                    clash = true;
                    break;
                }
            }
            if (!clash) {
                kept.add(s);
            }
        }
        kept.sort(Comparator.comparingInt(PiiSpan::start));
        return List.copyOf(kept);
    }
}
