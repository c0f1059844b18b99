package dev.opencx.channel.email.reply;

import dev.opencx.channel.email.reply.QuoteMarkers.Label;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Removes quoted history from the lines of a plain-text e-mail.
 *
 * <p>Three kinds of history are recognised:
 *
 * <ul>
 *   <li>a <em>history start</em> (an "Original message" or forward separator, an Outlook header
 *       block, a "reply above this line" marker, or an attribution line followed by unmarked text):
 *       it and everything below it are history;
 *   <li>a <em>quote</em>: lines starting with {@code >}, with the attribution line above them;
 *   <li>what follows the customer's last own line.
 * </ul>
 *
 * <p>Top-posting keeps the text above the first quote. A reply written below (or around) a single
 * quote keeps the text on both sides. An interleaved reply (answers between two or more quotes)
 * keeps the customer's answers with the quoted lines they answer, without the attribution lines.
 */
final class QuoteSplitter {

    private static final Pattern QUOTED = Pattern.compile("^\\s*+>");
    private static final Pattern LINK_OR_TOKEN = Pattern.compile("(?:https?://|www\\.|mailto:)|^\\S+$|>\\s*$");

    private enum Kind {
        TEXT,
        BLANK,
        QUOTE,
        ATTRIBUTION
    }

    private final List<Pattern> extraHistoryMarkers;

    QuoteSplitter(List<Pattern> extraHistoryMarkers) {
        this.extraHistoryMarkers = List.copyOf(extraHistoryMarkers);
    }

    /** The lines the customer wrote (signature included), in order. */
    List<String> reply(List<String> input) {
        List<String> lines = new ArrayList<>(input);
        int n = lines.size();
        Kind[] kind = kinds(lines);
        absorbBrokenQuoteLines(lines, kind);

        int cut = n;
        int floor = 0; // attributions never reach above an earlier decision
        for (int j = 0; j < n; j++) {
            if (kind[j] != Kind.TEXT) {
                continue;
            }
            String line = lines.get(j);
            if (startsHistory(lines, kind, j)) {
                cut = backOverRules(lines, j, floor);
                break;
            }
            int start = attributionStart(lines, kind, j, floor);
            if (start < 0) {
                continue;
            }
            boolean nextQuoted = nextNonBlankIsQuote(kind, j);
            if (start == j) {
                int inside = QuoteMarkers.attributionStartInside(line, nextQuoted);
                if (inside > 0) {
                    String prefix = line.substring(0, inside).replaceFirst("[\\s\\-–—=_*]+$", "");
                    if (!prefix.isBlank()) {
                        // the reply and the attribution share the line: keep the reply as its own line
                        lines.set(j, prefix);
                        lines.add(j + 1, line.substring(inside));
                        kind = insertKind(kind, j + 1, Kind.TEXT);
                        n++;
                        start = j + 1;
                        j++;
                    }
                }
            }
            if (nextQuoted) {
                for (int k = start; k <= j; k++) {
                    kind[k] = Kind.ATTRIBUTION;
                }
                floor = j + 1;
            } else {
                // an attribution above unmarked text (Outlook, most mobile apps): all of it is history
                cut = backOverRules(lines, start, floor);
                break;
            }
        }
        return assemble(lines, kind, cut);
    }

    private static Kind[] kinds(List<String> lines) {
        Kind[] kind = new Kind[lines.size()];
        for (int i = 0; i < kind.length; i++) {
            String l = lines.get(i);
            if (l.isBlank()) {
                kind[i] = Kind.BLANK;
            } else if (QUOTED.matcher(l).lookingAt() && !QuoteMarkers.isVerbOnly(l)) {
                kind[i] = Kind.QUOTE;
            } else {
                kind[i] = Kind.TEXT;
            }
        }
        return kind;
    }

    /** Whether an Outlook-style header block starts at line {@code i}. */
    static boolean startsHeaderBlock(List<String> lines, int i) {
        return isHeaderBlock(lines, kinds(lines), i);
    }

    /** Whether line {@code i} starts history that runs to the end of the mail. */
    private boolean startsHistory(List<String> lines, Kind[] kind, int i) {
        String line = lines.get(i);
        for (Pattern p : extraHistoryMarkers) {
            if (p.matcher(line).find()) {
                return true;
            }
        }
        if (QuoteMarkers.isSeparator(line)
                || QuoteMarkers.isForwardIntro(line)
                || QuoteMarkers.isReplyAboveMarker(line)) {
            return true;
        }
        // a header block that opens the mail, with no rule or separator above it, is the mail's own
        // (a contact form relayed by e-mail, a pasted message): only a block below something is history
        return isHeaderBlock(lines, kind, i) && !opensTheMail(lines, i);
    }

    private static boolean opensTheMail(List<String> lines, int i) {
        for (int k = i - 1; k >= 0; k--) {
            if (!lines.get(k).isBlank()) {
                return false;
            }
        }
        return true;
    }

    /**
     * An Outlook-style header block: at least two different labels ("From:", "Sent:", "To:",
     * "Subject:" or their translations) on consecutive lines, with a subject, a sent date or an
     * address among them — so that a customer's "From: Berlin / To: Paris" is not history.
     */
    private static boolean isHeaderBlock(List<String> lines, Kind[] kind, int i) {
        String first = lines.get(i);
        Label l0 = QuoteMarkers.label(first);
        if (l0 == null || !(l0 == Label.FROM || l0 == Label.SENT || l0 == Label.DATE || l0 == Label.SUBJECT)) {
            return false;
        }
        if (l0 == Label.FROM && QuoteMarkers.inlineLabelCount(first) >= 2) {
            return true; // the whole header flattened onto one line
        }
        Set<Label> seen = EnumSet.of(l0);
        boolean address = QuoteMarkers.hasEmail(first) || first.toLowerCase().contains("mailto:");
        int blanks = 0;
        int sinceLabel = 0;
        for (int k = i + 1; k < lines.size() && k <= i + 12; k++) {
            String l = lines.get(k);
            if (kind[k] == Kind.BLANK) {
                if (++blanks > 1) {
                    break;
                }
                continue;
            }
            if (kind[k] == Kind.QUOTE) {
                break;
            }
            Label lk = QuoteMarkers.label(l);
            if (lk != null) {
                seen.add(lk);
                if (lk != Label.SUBJECT
                        && (QuoteMarkers.hasEmail(l) || l.toLowerCase().contains("mailto:"))) {
                    address = true;
                }
                blanks = 0;
                sinceLabel = 0;
            } else {
                // a wrapped value ("bob@example.com]", the rest of a long subject) right below its label
                if (blanks > 0 || ++sinceLabel > 2) {
                    break;
                }
                if (QuoteMarkers.hasEmail(l)) {
                    address = true;
                }
            }
        }
        seen.remove(Label.REPLY_TO);
        return seen.size() >= 2 && (seen.contains(Label.SUBJECT) || seen.contains(Label.SENT) || address);
    }

    /**
     * The first line of an attribution that ends on line {@code j}, or -1. An attribution may be
     * wrapped over up to six lines (long names and addresses); its first line is never the tail of
     * a broken address or a lone verb.
     */
    private static int attributionStart(List<String> lines, Kind[] kind, int j, int floor) {
        String last = lines.get(j).strip();
        if (last.length() > QuoteMarkers.MAX_ATTRIBUTION_CHARS || !QuoteMarkers.mayEndAttribution(last)) {
            return -1;
        }
        boolean nextQuoted = nextNonBlankIsQuote(kind, j);
        int blanks = 0;
        for (int i = j; i >= Math.max(floor, j - 5); i--) {
            if (kind[i] == Kind.BLANK) {
                if (++blanks > 1) {
                    return -1;
                }
                continue;
            }
            if (kind[i] != Kind.TEXT) {
                return -1;
            }
            String li = lines.get(i);
            if (i < j && QuoteMarkers.endsSentence(li)) {
                return -1; // a finished sentence is not the middle of an attribution
            }
            if (QuoteMarkers.isContinuation(li)) {
                continue;
            }
            String joined = join(lines, i, j);
            if (joined.length() > QuoteMarkers.MAX_ATTRIBUTION_CHARS) {
                return -1;
            }
            if (QuoteMarkers.isAttribution(joined, nextQuoted)) {
                // Gmail wraps long attributions: "On Tue, Apr 11, 2017 at 10:07 PM" / "John <j@x.com> wrote:"
                if (i - 1 >= floor && kind[i - 1] == Kind.TEXT) {
                    String above = lines.get(i - 1);
                    if (!QuoteMarkers.endsSentence(above)
                            && QuoteMarkers.startsStrong(above)
                            && QuoteMarkers.hasDigit(above)
                            && QuoteMarkers.isAttribution(join(lines, i - 1, j), nextQuoted)) {
                        return i - 1;
                    }
                }
                return i;
            }
        }
        return -1;
    }

    /**
     * Long links and wrapped words break a run of {@code >} lines ("> see (http://…\n_id=3)\n>"): a
     * single unmarked line squeezed between two quoted lines that is a link or one token is part of
     * the quote.
     */
    private static void absorbBrokenQuoteLines(List<String> lines, Kind[] kind) {
        for (int i = 1; i + 1 < kind.length; i++) {
            if (kind[i] == Kind.TEXT && kind[i - 1] == Kind.QUOTE && kind[i + 1] == Kind.QUOTE) {
                if (LINK_OR_TOKEN.matcher(lines.get(i).strip()).find()) {
                    kind[i] = Kind.QUOTE;
                }
            }
        }
    }

    private static int backOverRules(List<String> lines, int i, int floor) {
        int cut = i;
        for (int k = i - 1; k >= floor; k--) {
            String l = lines.get(k);
            if (l.isBlank()) {
                continue;
            }
            if (QuoteMarkers.RULE_LINE.matcher(l).matches()) {
                cut = k;
                continue;
            }
            break;
        }
        return cut;
    }

    private static boolean nextNonBlankIsQuote(Kind[] kind, int j) {
        for (int k = j + 1; k < kind.length; k++) {
            if (kind[k] == Kind.BLANK) {
                continue;
            }
            return kind[k] == Kind.QUOTE;
        }
        return false;
    }

    private static Kind[] insertKind(Kind[] kind, int at, Kind k) {
        Kind[] out = new Kind[kind.length + 1];
        System.arraycopy(kind, 0, out, 0, at);
        out[at] = k;
        System.arraycopy(kind, at, out, at + 1, kind.length - at);
        return out;
    }

    private static String join(List<String> lines, int from, int to) {
        StringBuilder sb = new StringBuilder();
        for (int k = from; k <= to; k++) {
            String l = lines.get(k).strip();
            if (!l.isEmpty()) {
                if (sb.length() > 0) {
                    sb.append(' ');
                }
                sb.append(l);
            }
        }
        return sb.toString();
    }

    /** A run of quote lines (with their attribution), or of the customer's lines. */
    private record Segment(boolean quote, int from, int to) {}

    private static List<String> assemble(List<String> lines, Kind[] kind, int cut) {
        List<Segment> segments = new ArrayList<>();
        int i = 0;
        while (i < cut) {
            if (kind[i] == Kind.BLANK) {
                i++;
                continue;
            }
            boolean quote = kind[i] == Kind.QUOTE || kind[i] == Kind.ATTRIBUTION;
            int j = i;
            int lastOfKind = i;
            while (j < cut) {
                if (kind[j] == Kind.BLANK) {
                    j++;
                    continue;
                }
                boolean q = kind[j] == Kind.QUOTE || kind[j] == Kind.ATTRIBUTION;
                if (q != quote) {
                    break;
                }
                lastOfKind = j;
                j++;
            }
            segments.add(new Segment(quote, i, lastOfKind));
            i = lastOfKind + 1;
        }
        // history after the customer's last line goes
        while (!segments.isEmpty() && segments.get(segments.size() - 1).quote()) {
            segments.remove(segments.size() - 1);
        }
        List<String> out = new ArrayList<>();
        if (segments.isEmpty()) {
            return out;
        }
        long quotes = segments.stream().filter(Segment::quote).count();
        int end = segments.get(segments.size() - 1).to();
        if (quotes >= 2) {
            // interleaved answers: keep them with the quoted lines they answer, drop the attributions
            int start = segments.get(0).from();
            for (int k = start; k <= end; k++) {
                if (kind[k] != Kind.ATTRIBUTION) {
                    out.add(lines.get(k));
                }
            }
            return collapseBlankRuns(out, 2);
        }
        // top-posting, bottom-posting or a reply around one quote: the customer's text on both sides
        for (Segment s : segments) {
            if (s.quote()) {
                continue;
            }
            if (!out.isEmpty()) {
                out.add(""); // where the quote was
            }
            for (int k = s.from(); k <= s.to(); k++) {
                out.add(lines.get(k));
            }
        }
        return out;
    }

    private static List<String> collapseBlankRuns(List<String> lines, int max) {
        List<String> out = new ArrayList<>();
        int blanks = 0;
        for (String l : lines) {
            if (l.isBlank()) {
                if (++blanks > max) {
                    continue;
                }
            } else {
                blanks = 0;
            }
            out.add(l);
        }
        return out;
    }
}
