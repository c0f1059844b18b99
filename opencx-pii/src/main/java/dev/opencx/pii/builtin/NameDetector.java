package dev.opencx.pii.builtin;

import dev.opencx.i18n.WordLists;
import dev.opencx.pii.PiiDetector;
import dev.opencx.pii.PiiSpan;
import dev.opencx.pii.PiiType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Person names without a model, and organization names by their shape. Names are found by context
 * ("my name is", "Name:", titles such as Mr/Mrs/Dr, greetings, "says", an answer after "User:" to a
 * name question, a name line above an address), by capitalized sequences that start with a known
 * given name or end with a known family name (a compact gazetteer of common names from many
 * cultures), and by lists of given names. Organizations: a legal or business suffix (Inc, GmbH,
 * Ltd, Systems, Bank, …), "works for …", surname pairs ("Smith-Jones", "Smith, Jones and Brown"),
 * and the line under a name in a signature block.
 */
final class NameDetector implements PiiDetector {
    static final PiiType TITLE = PiiType.of("TITLE");

    /** The word lists: {@code dev/opencx/pii/builtin/names/<language>.txt} and {@code common.txt}. */
    private static final WordLists LISTS =
            WordLists.load("dev/opencx/pii/builtin/names", NameDetector.class.getClassLoader());

    private static final Set<String> STOP = LISTS.set("stop");
    /** Given names that are also common words: a name only with another name part or a cue. */
    private static final Set<String> AMBIGUOUS = LISTS.set("ambiguous");

    private static final Set<String> PARTICLES = LISTS.set("particles");
    private static final Set<String> ORG_SUFFIX = LISTS.set("org-suffixes");
    private static final Pattern TOKEN =
            Pattern.compile("\\p{L}[\\p{L}\\p{M}'’]*(?:-\\p{L}[\\p{L}\\p{M}'’]*)*\\.?|\\d+|\\n|[^\\s\\p{L}\\d]");
    private static final Pattern TITLE_WORD =
            Pattern.compile("(?i)mr|mrs|ms|miss|mx|dr|prof|sir|madam|mme|mlle|herr|frau|sr|sra|srta|dame|lord|lady");
    private static final Pattern STRONG_CUE =
            Pattern.compile("(?iu)(?:my name is|my name's|name is|names are|name:|name -"
                    + "|full name:?|first name:?|last name:?|surname:?|call me|people call me|i am called|i'm called"
                    + "|signed,?|regards,?|sincerely,?|cheers,?|best,|thanks,|thank you,|attn:?|attention:?|c/o|contact person:?"
                    + "|under my (?:\\p{L}+'s )?name|maiden name is|partner's name|husband's name|wife's name|named|to:|from:"
                    + "|(?:name|surname)(?: on the account)?\\?\\s*(?:(?:user|customer|client|me|answer|a)\\s*:)?"
                    + "|ich heiße|je m'appelle|me llamo|mi nombre es|mi chiamo|meu nome é|jag heter|ik heet)\\s*$");
    private static final Pattern WEAK_CUE =
            Pattern.compile("(?iu)(?:\\bi'm|\\bi am|\\bthis is|\\bhi|\\bhello|\\bhey|\\bdear|\\bsays"
                    + "|\\bsaid|\\bby|\\bproducer|\\bdirector|\\bauthor|\\bwriter|\\bmanager|\\bceo|\\bfounder|\\bagent|\\bwith"
                    + "|\\bask for|\\btell|\\bmeet|\\bme and|\\bmy (?:friend|wife|husband|partner|son|daughter|mother|father|mom|dad|brother|sister|colleague|boss)"
                    + "|\\bleave me|\\bcorrect it to|\\bit's|\\bit is)\\s*[\"“]?\\s*$");
    private static final Pattern WORK_CUE = Pattern.compile(
            "(?iu)\\b(?:work(?:s|ed|ing)? (?:for|at)|employed (?:by|at)|employee of|i'm with|is from|am from|joined|at)\\s+$");

    private record Tok(int start, int end, String text) {
        boolean newline() {
            return text.equals("\n");
        }

        boolean word() {
            return Character.isLetter(text.charAt(0));
        }

        boolean cap() {
            return word()
                    && Character.isUpperCase(text.charAt(0))
                    && text.chars().anyMatch(Character::isLowerCase);
        }

        boolean upper() {
            return word()
                    && text.length() >= 2
                    && text.chars().filter(Character::isLetter).allMatch(Character::isUpperCase);
        }

        String bare() {
            return text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
        }

        String lower() {
            return bare().toLowerCase(Locale.ROOT);
        }
    }

    static boolean isStopword(String w) {
        return STOP.contains(w.toLowerCase(Locale.ROOT).replace(".", ""));
    }

    @Override
    public List<PiiSpan> detect(String text) {
        List<PiiSpan> out = new ArrayList<>();
        List<Tok> toks = new ArrayList<>();
        Matcher m = TOKEN.matcher(text);
        while (m.find()) {
            toks.add(new Tok(m.start(), m.end(), m.group()));
        }
        boolean lowerText = text.chars().noneMatch(Character::isUpperCase);
        int n = toks.size();
        boolean[] used = new boolean[n];
        for (int i = 0; i < n; i++) {
            Tok t = toks.get(i);
            if (used[i] || !t.word()) {
                continue;
            }
            String before = text.substring(Math.max(0, t.start() - 60), t.start());
            // a title: "Mr. Smith", "Dr Ana Lima"
            if (TITLE_WORD.matcher(t.bare()).matches()
                    && i + 1 < n
                    && (nameish(toks.get(i + 1), lowerText)
                            || (toks.get(i + 1).text.equals(".")
                                    && i + 2 < n
                                    && nameish(toks.get(i + 2), lowerText)))) {
                int titleEnd = t.end();
                int j = i + 1;
                if (toks.get(j).text.equals(".")) {
                    titleEnd = toks.get(j).end();
                    j++;
                }
                out.add(new PiiSpan(t.start(), titleEnd, TITLE, 0.7));
                int e = extend(toks, j, lowerText, true);
                out.add(new PiiSpan(toks.get(j).start(), nameEnd(toks.get(e)), PiiType.PERSON, 0.9));
                mark(used, i, e);
                i = e;
                continue;
            }
            boolean strong = STRONG_CUE.matcher(before).find();
            boolean weak = !strong && WEAK_CUE.matcher(before).find();
            boolean known = Gazetteer.firstName(t.bare()) && !AMBIGUOUS.contains(t.lower());
            boolean knownSur = Gazetteer.surname(t.bare());
            boolean shaped = t.cap() || (t.upper() && t.text.length() > 2) || lowerText;
            if (!shaped || isStopword(t.bare())) {
                continue;
            }
            if (lowerText && !strong && !known) {
                continue;
            }
            int e = extend(toks, i, lowerText, strong || known);
            int parts = countWords(toks, i, e);
            boolean lastKnownSur = Gazetteer.surname(toks.get(e).bare()) && e > i;
            boolean startsLine =
                    i == 0 || toks.get(i - 1).newline() || toks.get(i - 1).text.equals(">");
            boolean endsLine = e + 1 >= n || toks.get(e + 1).newline();
            double conf;
            if (strong) {
                conf = 0.95;
            } else if (known && parts >= 2) {
                conf = 0.9;
            } else if (lastKnownSur && parts >= 2 && t.cap()) {
                conf = 0.85;
            } else if (weak && (t.cap() || lowerText) && !orgSuffix(toks, e + 1)) {
                conf = 0.75;
            } else if (known && t.cap() && !sentenceStart(toks, i)) {
                conf = 0.75;
            } else if (known && t.cap() && followedByVerb(toks, e)) {
                conf = 0.8;
            } else if (parts >= 2 && parts <= 4 && t.cap() && startsLine && endsLine && nameLine(toks, i, e)) {
                conf = 0.6; // a line that is just a name ("Ana Lima"), e.g. a signature
            } else if (parts >= 2
                    && parts <= 3
                    && t.cap()
                    && sentenceStart(toks, i)
                    && followedByVerb(toks, e)
                    && !knownPlaceOrOrg(toks, i, e)) {
                conf = 0.6; // "Alex Vik will be talking"
            } else if (lowerText && known) {
                conf = 0.6;
            } else {
                continue;
            }
            if (orgSuffix(toks, e + 1) || knownPlaceOrOrg(toks, i, e)) {
                continue; // "Aunt Bertha Inc" is an organization
            }
            out.add(new PiiSpan(t.start(), nameEnd(toks.get(e)), PiiType.PERSON, conf));
            mark(used, i, e);
            i = e;
        }
        lists(toks, lowerText, out);
        organizations(text, toks, out);
        return out;
    }

    private static boolean nameish(Tok t, boolean lowerText) {
        return t.word() && (t.cap() || t.upper() || lowerText) && !isStopword(t.bare());
    }

    /** The last token index of a name starting at {@code i}: capitalized words, initials, particles. */
    private static int extend(List<Tok> toks, int i, boolean lowerText, boolean trusted) {
        int e = i;
        int words = 1;
        int j = i + 1;
        while (j < toks.size() && words < 4) {
            Tok prev = toks.get(j - 1);
            if (prev.text.endsWith(".") && prev.text.length() > 1 && !isInitial(prev)) {
                break; // "Ana Lima. Mail me": a sentence ended
            }
            Tok t = toks.get(j);
            if (t.newline() || !t.word()) {
                if (t.text.equals(".") && isInitial(toks.get(j - 1))) {
                    j++;
                    continue;
                }
                break;
            }
            String low = t.lower();
            if (PARTICLES.contains(low) && j + 1 < toks.size() && nameish(toks.get(j + 1), lowerText)) {
                j++;
                continue;
            }
            boolean ok = isInitial(t)
                    || (t.cap() && !isStopword(t.bare()) && !ORG_SUFFIX.contains(low))
                    || (lowerText
                            && (Gazetteer.surname(t.bare())
                                    || (trusted
                                            && Gazetteer.firstName(toks.get(i).bare())
                                            && words == 1
                                            && !isStopword(low)
                                            && t.text.length() > 2
                                            && Gazetteer.surname(t.bare()))));
            if (!ok) {
                break;
            }
            e = j;
            words++;
            j++;
        }
        // a trailing initial without a surname is not part of the name
        while (e > i && isInitial(toks.get(e))) {
            e--;
        }
        return e;
    }

    /** The end of a name's last token, without a sentence-ending dot ("Lima." ends before the dot). */
    private static int nameEnd(Tok last) {
        return last.text.endsWith(".") && !isInitial(last) ? last.end() - 1 : last.end();
    }

    private static boolean isInitial(Tok t) {
        return t.word() && t.bare().length() == 1 && Character.isUpperCase(t.text.charAt(0));
    }

    private static int countWords(List<Tok> toks, int i, int e) {
        int c = 0;
        for (int k = i; k <= e; k++) {
            if (toks.get(k).word() && !isInitial(toks.get(k))) {
                c++;
            }
        }
        return c;
    }

    private static void mark(boolean[] used, int i, int e) {
        for (int k = i; k <= e; k++) {
            used[k] = true;
        }
    }

    private static boolean sentenceStart(List<Tok> toks, int i) {
        if (i == 0) {
            return true;
        }
        String p = toks.get(i - 1).text;
        return p.equals(".")
                || p.equals("!")
                || p.equals("?")
                || p.equals("\n")
                || p.equals(">")
                || p.equals("\"")
                || p.equals("“")
                || p.equals(":");
    }

    private static final Set<String> VERBS = LISTS.set("verbs");

    private static boolean followedByVerb(List<Tok> toks, int e) {
        return e + 1 < toks.size() && VERBS.contains(toks.get(e + 1).lower());
    }

    private static boolean orgSuffix(List<Tok> toks, int j) {
        if (j < toks.size() && toks.get(j).text.equals(",")) {
            j++;
        }
        return j < toks.size() && ORG_SUFFIX.contains(toks.get(j).text.toLowerCase(Locale.ROOT));
    }

    private static boolean knownPlaceOrOrg(List<Tok> toks, int i, int e) {
        StringBuilder sb = new StringBuilder();
        for (int k = i; k <= e; k++) {
            String low = toks.get(k).lower();
            if (ORG_SUFFIX.contains(low) || Gazetteer.PLACES.contains(low) || Gazetteer.NATIONALITIES.contains(low)) {
                return true;
            }
            sb.append(k > i ? " " : "").append(low);
        }
        return Gazetteer.PLACES.contains(sb.toString());
    }

    /** A line holding only a name: no word in it is a stopword, street type or org suffix. */
    private static boolean nameLine(List<Tok> toks, int i, int e) {
        for (int k = i; k <= e; k++) {
            String low = toks.get(k).lower();
            if (ORG_SUFFIX.contains(low) || isStopword(low)) {
                return false;
            }
        }
        return true;
    }

    /** "They had 3: Anna, Ben and Chloé": when two items of a list of single capitalized words are known given names, every item is a name. */
    private static void lists(List<Tok> toks, boolean lowerText, List<PiiSpan> out) {
        int n = toks.size();
        int i = 0;
        while (i < n) {
            List<Tok> items = new ArrayList<>();
            int j = i;
            while (j < n
                    && toks.get(j).word()
                    && (toks.get(j).cap() || lowerText)
                    && !isStopword(toks.get(j).bare())) {
                items.add(toks.get(j));
                if (j + 2 < n
                        && (toks.get(j + 1).text.equals(",")
                                || toks.get(j + 1).lower().equals("and")
                                || toks.get(j + 1).text.equals("&"))) {
                    j += 2;
                    if (j < n && toks.get(j).lower().equals("and")) {
                        j++;
                    }
                } else {
                    j++;
                    break;
                }
            }
            if (items.size() >= 3) {
                int known = 0;
                for (Tok t : items) {
                    if (Gazetteer.firstName(t.bare())) {
                        known++;
                    }
                }
                if (known >= 2) {
                    for (Tok t : items) {
                        out.add(new PiiSpan(t.start(), t.end() - (t.text.endsWith(".") ? 1 : 0), PiiType.PERSON, 0.7));
                    }
                }
            }
            i = Math.max(i + 1, j);
        }
    }

    private static final Pattern ORG_WITH_SUFFIX = Pattern.compile(
            "(?u)(?:\\p{Lu}[\\p{L}\\p{M}'’&.-]*\\s+(?:(?:and|&|of|the|de|für)\\s+)?){0,4}?\\p{Lu}[\\p{L}\\p{M}'’&.-]*,?\\s+(?:Inc|LLC|Ltd|Limited|GmbH|AG|S\\.A\\.|SA|SAS|SARL|S\\.r\\.l\\.|Srl|B\\.V\\.|BV|N\\.V\\.|NV|Oy|AB|A/S|ASA|plc|PLC|Corp|Corporation|Co|Company|Group|Holdings|Systems|Technologies|Technology|Solutions|Labs|Laboratories|Bank|Partners|Associates|Foundation|Institute|University|Agency|Studios?|Software|Networks|Consulting|Industries|International|Enterprises|Services|Media|Ventures|Capital|Insurance|Airlines|Research|Analytics|Logistics|and Sons|& Sons|Brothers|Pty|KG)\\b\\.?");
    private static final Pattern SURNAME_FIRM = Pattern.compile(
            "(?u)\\p{Lu}[\\p{L}\\p{M}'’]+(?:-\\p{Lu}[\\p{L}\\p{M}'’]+|,\\s+\\p{Lu}[\\p{L}\\p{M}'’]+\\s+and\\s+\\p{Lu}[\\p{L}\\p{M}'’]+|\\s+and\\s+\\p{Lu}[\\p{L}\\p{M}'’]+)");

    private static void organizations(String text, List<Tok> toks, List<PiiSpan> out) {
        Matcher m = ORG_WITH_SUFFIX.matcher(text);
        while (m.find()) {
            int s = m.start();
            String g = m.group();
            // drop leading stopwords ("During", "The")
            Matcher first = Pattern.compile("^(\\S+)\\s+").matcher(g);
            while (first.find()
                    && (isStopword(first.group(1))
                            || first.group(1).equals("During")
                            || first.group(1).equals("In"))) {
                s += first.end();
                g = text.substring(s, m.end());
                first = Pattern.compile("^(\\S+)\\s+").matcher(g);
            }
            if (g.indexOf('\n') < 0) {
                out.add(new PiiSpan(s, m.end(), PiiType.ORGANIZATION, 0.8));
            }
        }
        Matcher f = SURNAME_FIRM.matcher(text);
        while (f.find()) {
            String[] names = f.group().split("[-,]|\\s+and\\s+|\\s+");
            int sur = 0;
            int total = 0;
            for (String nm : names) {
                if (!nm.isBlank() && !nm.equals("and")) {
                    total++;
                    if (Gazetteer.surname(nm.strip()) && !Gazetteer.firstName(nm.strip())) {
                        sur++;
                    }
                }
            }
            boolean hyphen = f.group().contains("-") && !f.group().contains(" ");
            if ((hyphen && sur >= 2) || (!hyphen && total >= 3 && sur >= 2)) {
                out.add(new PiiSpan(f.start(), f.end(), PiiType.ORGANIZATION, 0.7));
            }
        }
        // "works for X", "is from X", "at X": a capitalized sequence after a work cue
        Matcher cap = Pattern.compile("(?u)\\p{Lu}[\\p{L}\\p{M}'’&-]*(?:\\s+\\p{Lu}[\\p{L}\\p{M}'’&-]*){0,3}")
                .matcher(text);
        while (cap.find()) {
            String before = text.substring(Math.max(0, cap.start() - 25), cap.start());
            String w0 = cap.group().split("\\s+")[0];
            if (WORK_CUE.matcher(before).find()
                    && !isStopword(w0)
                    && !Gazetteer.PLACES.contains(cap.group().toLowerCase(Locale.ROOT))
                    && !Gazetteer.firstName(w0)
                    && before.matches("(?s).*\\b(?:for|at|by|of|with|from|joined)\\s+$")) {
                out.add(new PiiSpan(
                        cap.start(),
                        cap.end(),
                        PiiType.ORGANIZATION,
                        before.matches("(?is).*\\bthe\\s+$") ? 0.4 : 0.55));
            }
        }
        // signature block: the line right under a line that is only a person's name
        String[] lines = text.split("\n", -1);
        int offset = 0;
        for (int k = 0; k + 1 < lines.length; k++) {
            String a = lines[k].replaceFirst("^[\\s>]+", "").strip();
            String b = lines[k + 1].replaceFirst("^[\\s>]+", "").strip();
            int bStart = offset + lines[k].length() + 1 + lines[k + 1].indexOf(b.isEmpty() ? lines[k + 1] : b);
            if (!a.isEmpty()
                    && !b.isEmpty()
                    && a.matches(
                            "(?u)\\p{Lu}[\\p{L}\\p{M}'’-]+(?:\\s+\\p{Lu}\\.?)?(?:\\s+\\p{L}[\\p{L}\\p{M}'’-]+){1,2}")
                    && b.matches("(?u)\\p{Lu}[\\p{L}\\p{M}'’&.,-]*(?:\\s+[\\p{L}\\p{M}'’&.,-]+){0,4}")
                    && !b.equals(a)
                    && b.chars().noneMatch(Character::isDigit)
                    && b.length() <= 50
                    && !b.endsWith(":")) {
                out.add(new PiiSpan(bStart, bStart + b.length(), PiiType.ORGANIZATION, 0.5));
            }
            offset += lines[k].length() + 1;
        }
    }
}
