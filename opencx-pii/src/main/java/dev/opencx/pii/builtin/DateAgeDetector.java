package dev.opencx.pii.builtin;

import dev.opencx.pii.PiiDetector;
import dev.opencx.pii.PiiSpan;
import dev.opencx.pii.PiiType;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Dates of birth (a date after "born", "DOB", "date of birth", "birthday", in several languages)
 * and ages ("34 years old", "a 34-year-old", "aged 34", "at the age of 34").
 */
final class DateAgeDetector implements PiiDetector {
    private static final String MONTH =
            "(?:jan(?:uary|vier|uar)?|feb(?:ruary|rero|ruar)?|fév(?:rier)?|mar(?:ch|zo|s)?|märz"
                    + "|apr(?:il)?|abr(?:il)?|avr(?:il)?|may|mai|mayo|jun(?:e|io|i)?|juin|jul(?:y|io|i)?|juil(?:let)?"
                    + "|aug(?:ust)?|ago(?:sto)?|août|sep(?:t(?:ember)?)?|sept(?:iembre)?|oct(?:ober|ubre)?|okt(?:ober)?"
                    + "|nov(?:ember|iembre)?|dec(?:ember)?|dic(?:iembre)?|dez(?:ember)?|déc(?:embre)?)\\.?";
    private static final Pattern DATE = Pattern.compile("(?iu)(?<![\\p{L}\\p{N}])(?:"
            + "\\d{1,2}[/.-]\\d{1,2}[/.-](?:\\d{4}|\\d{2})"
            + "|\\d{4}[/.-]\\d{1,2}[/.-]\\d{1,2}"
            + "|" + MONTH + "\\s+\\d{1,2}(?:st|nd|rd|th)?,?\\s+\\d{4}"
            + "|\\d{1,2}(?:st|nd|rd|th|\\.)?\\s+(?:of\\s+|de\\s+)?" + MONTH + ",?\\s+(?:de\\s+)?\\d{4}"
            + ")(?![\\p{L}\\p{N}])");
    private static final Pattern BIRTH_CUE =
            Pattern.compile("(?iu)(born|birth|d\\.?o\\.?b|birthday|geboren|geburtsdatum"
                    + "|né[e]? le|date de naissance|nacimiento|nací|nascimento|nato il|nata il|födelsedatum|syntymä)");
    private static final Pattern AGE = Pattern.compile("(?iu)(?:"
            + "(?<a>\\d{1,3})[ -]?(?:years?|yrs?|y/?o\\b|year-old|years-old|jahre|años|ans|anos|anni)(?:[ -]old)?"
            + "|(?:aged|age of|age:|age is|i am|i'm|im|turn|turns|turned|turning|(?:he|she|i|they) (?:was|were))\\s+(?<b>\\d{1,3})(?!\\s*(?:%|\\p{L}))"
            + ")");

    @Override
    public List<PiiSpan> detect(String text) {
        List<PiiSpan> out = new ArrayList<>();
        Matcher d = DATE.matcher(text);
        while (d.find()) {
            String before = text.substring(Math.max(0, d.start() - 45), d.start());
            if (BIRTH_CUE.matcher(before).find()) {
                out.add(new PiiSpan(d.start(), d.end(), PiiType.DATE_OF_BIRTH, 0.95));
            }
        }
        Matcher a = AGE.matcher(text);
        while (a.find()) {
            String g = a.group("a") != null ? "a" : "b";
            int v = Integer.parseInt(a.group(g));
            String low = a.group().toLowerCase(java.util.Locale.ROOT);
            boolean cue = g.equals("b")
                    && (low.startsWith("i") || low.startsWith("turn") || low.contains(" was") || low.contains(" were"));
            // "I'm 34" needs a following "y/o"/"years" or end of clause to be an age
            if (v > 0 && v < 125 && (!cue || clauseEnds(text, a.end()))) {
                out.add(new PiiSpan(a.start(g), a.end(g), PiiType.AGE, 0.8));
            }
        }
        return out;
    }

    private static boolean clauseEnds(String text, int at) {
        return at >= text.length() || ".,;!?\n".indexOf(text.charAt(at)) >= 0;
    }
}
