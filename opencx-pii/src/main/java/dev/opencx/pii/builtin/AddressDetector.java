package dev.opencx.pii.builtin;

import dev.opencx.pii.PiiDetector;
import dev.opencx.pii.PiiSpan;
import dev.opencx.pii.PiiType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Street addresses and their parts, without a model: a house number with a street-type word in
 * several languages ("221B Baker Street", "Rua Augusta 120", "Pohlstrasse 9", "ul. Narewska 94"),
 * unit numbers ("Apt. 4", "Suite 210"), PO boxes, an address after a cue ("lives at", "ship to"),
 * the city and country lines of an address block, postal codes (after "zip code", or a US state),
 * and country names.
 */
final class AddressDetector implements PiiDetector {
    static final PiiType NATIONALITY = PiiType.of("NATIONALITY");

    private static final String W = "[\\p{L}\\p{M}][\\p{L}\\p{M}'’.-]*";
    private static final String SUFFIX =
            "(?:street|st|str|avenue|ave|av|road|rd|lane|ln|drive|dr|boulevard|blvd|way|place|pl"
                    + "|court|ct|terrace|circle|cir|square|sq|highway|hwy|parkway|pkwy|crescent|cres|close|row|alley|trail"
                    + "|point|points|pt|island|islands|loop|plaza|pass|path|gardens|grove|heights|mews|walk|ridge|crossing"
                    + "|expressway|freeway|route|rte|estates?|manor|meadows?|station|landing|junction|villages?|fork|glen|harbor|haven|cove)";
    private static final String PREFIX =
            "(?:rue|avenue|av\\.|avda\\.?|avenida|calle|carrera|camino|paseo|plaza|rua|travessa|largo"
                    + "|praça|via|viale|piazza|corso|vicolo|strada|ul\\.|ulica|aleja|al\\.|ulitsa|prospekt|náměstí|trg|odos|οδός"
                    + "|λεωφόρος|chemin|allée|boulevard|bd\\.?|quai|impasse|route|jalan|jl\\.|soi|thanon|bulevar|sokak|cadde|caddesi)";
    private static final String COMPOUND =
            "(?:strasse|straße|str\\.|weg|gasse|platz|allee|damm|ufer|gatan|vägen|väg|gata|gränd"
                    + "|vej|gade|stræde|laan|straat|gracht|plein|kade|singel|katu|tie|kuja|polku|tori|utca|útja|körút|ulice"
                    + "|cesta|veien|vegen|gate|gaten|vei|ntie|kaari|u\\.|terrasse)";
    private static final String NUM = "\\d{1,6}[A-Za-z]?(?:[-/]\\d{1,5}[A-Za-z]?)?";

    private static final Pattern NUMBER_FIRST = Pattern.compile("(?iu)(?<![\\p{L}\\p{N}])" + NUM
            + "(?:\\s+\\d{1,6})?\\s+(?:" + W + "\\s+){0,5}?" + SUFFIX + "(?![\\p{L}\\p{N}])\\.?");
    private static final Pattern PREFIX_FIRST = Pattern.compile("(?iu)(?<![\\p{L}\\p{N}])(?:\\d{1,6}\\s+)?" + PREFIX
            + "\\s+(?:" + W + "\\s+){0,6}?" + NUM + "(?![\\p{L}\\p{N}])");
    private static final Pattern COMPOUND_FIRST =
            Pattern.compile("(?iu)(?<![\\p{L}\\p{N}])(?:\\d{1,6}\\s+)?[\\p{L}\\p{M}'’-]+" + COMPOUND + "\\s+" + NUM
                    + "(?![\\p{L}\\p{N}])");
    /** Number, then the street type, then the name: "12 rue de la Paix", "5 Via Roma". */
    private static final Pattern NUMBER_TYPE_NAME =
            Pattern.compile("(?iu)(?<![\\p{L}\\p{N}])\\d{1,5}[a-z]?,?\\s+(?:rue|avenue|av\\.|boulevard|bd"
                    + "|chemin|allée|impasse|place|quai|route|via|viale|piazza|corso|calle|avenida|rua|travessa)\\s+(?:(?:de|du|des|la|le|l'|d'|del|da|do"
                    + "|dos|das|di|della)\\s+)*[\\p{L}\\p{M}'’-]+(?:\\s+(?-i:\\p{Lu})[\\p{L}\\p{M}'’-]+){0,3}");
    /** The street type as its own word after a capitalized name: "Trenerys gate 232", "Király u. 15". */
    private static final Pattern SEPARATE_TYPE =
            Pattern.compile("(?u)(?<![\\p{L}\\p{N}])(?:\\d{1,6}\\s+)?\\p{Lu}[\\p{L}\\p{M}'’-]+\\s+(?i:" + COMPOUND
                    + ")\\s+" + NUM + "(?![\\p{L}\\p{N}])");
    /** "641 Dašická 688": number, capitalized street name, number. */
    private static final Pattern NUM_NAME_NUM = Pattern.compile(
            "(?u)(?<![\\p{L}\\p{N}.,])\\d{1,6}\\s+\\p{Lu}[\\p{L}\\p{M}'’-]+(?:\\s+[\\p{L}\\p{M}'’-]+){0,3}\\s+\\d{1,5}[A-Za-z]?(?![\\p{L}\\p{N}]|[.,]\\d)");

    private static final Pattern UNIT = Pattern.compile(
            "(?iu)(?<![\\p{L}])(?:apt|apartment|suite|ste|unit|flat|floor|fl|room|rm|bldg|building|piso|wohnung|étage)\\.?\\s*#?\\s*\\d{1,5}[A-Za-z]?(?![\\p{L}\\p{N}])");
    private static final Pattern PO_BOX = Pattern.compile(
            "(?iu)(?<![\\p{L}])(?:p\\.?\\s?o\\.?\\s*box|post office box|postfach|apartado|caixa postal|psc|box|apo|fpo|dpo)\\s+(?:[A-Z]{2}\\s+)?\\d{1,6}(?![\\p{N}])");
    private static final Pattern CUE = Pattern.compile(
            "(?iu)\\b(?:lives? (?:at|in)|living (?:at|in)|lived (?:at|in)|located (?:at|in)|address(?: is|:)|ship(?:ped)? (?:it |them )?to"
                    + "|deliver(?:ed)? (?:it |them )?to|send (?:it|them) to|offices? (?:is|are) (?:located )?(?:at|in)|drops? you off at|resides? at"
                    + "|moved to|now live in|meet(?: [\\p{L}]+)? at|it'?s in|at the corner of)\\s*:?\\s*");
    private static final Pattern POSTAL_CUE = Pattern.compile(
            "(?iu)\\b(?:zip|zip ?code|post ?code|postal code|plz|code postal|cep)\\b[^\\p{N}\\n]{0,12}?(\\d{3,5}(?:[- ]\\d{3,4})?|[A-Z]\\d[A-Z] ?\\d[A-Z]\\d|[A-Z]{1,2}\\d[A-Z\\d]? ?\\d[A-Z]{2})(?![\\p{L}\\p{N}])");
    private static final Pattern STATE_ZIP = Pattern.compile("(?u)(?<=,\\s?)[A-Z]{2}\\s+(\\d{5}(?:-\\d{4})?)(?!\\d)");
    private static final Pattern LINE_COUNTRY_ZIP =
            Pattern.compile("(?u)^\\s*>?\\s*(\\p{L}[\\p{L}\\p{M} ()'.-]*?)[ ,]+(\\d{4,6}(?:-\\d{3,4})?)\\s*[.]?\\s*$");

    @Override
    public List<PiiSpan> detect(String text) {
        List<PiiSpan> out = new ArrayList<>();
        boolean hasUpper = text.chars().anyMatch(Character::isUpperCase);
        List<int[]> streets = new ArrayList<>();
        for (Pattern p : List.of(NUMBER_FIRST, PREFIX_FIRST, COMPOUND_FIRST, SEPARATE_TYPE, NUMBER_TYPE_NAME)) {
            Matcher m = p.matcher(text);
            while (m.find()) {
                String g = m.group();
                if (g.indexOf('\n') >= 0) {
                    continue;
                }
                if (p == NUMBER_FIRST && hasUpper && !capitalizedAfterNumber(g)) {
                    continue; // "3 items on the way"
                }
                streets.add(new int[] {m.start(), m.end()});
                addStreet(text, m.start(), m.end(), 0.85, out);
            }
        }
        if (hasUpper) {
            Matcher m = NUM_NAME_NUM.matcher(text);
            while (m.find()) {
                if (m.group().indexOf('\n') < 0 && !Gazetteer.firstName(firstWord(m.group()))) {
                    streets.add(new int[] {m.start(), m.end()});
                    addStreet(text, m.start(), m.end(), 0.6, out);
                }
            }
        }
        Matcher c = CUE.matcher(text);
        while (c.find()) {
            int s = c.end();
            int e = s;
            while (e < text.length() && ",;!?\n(".indexOf(text.charAt(e)) < 0 && !sentenceEnd(text, e)) {
                e++;
            }
            String seg = text.substring(s, e).strip();
            if (!seg.isEmpty() && seg.chars().anyMatch(Character::isDigit) && seg.length() <= 80) {
                int st = s + text.substring(s, e).indexOf(seg);
                streets.add(new int[] {st, st + seg.length()});
                addStreet(text, st, st + seg.length(), 0.8, out);
            }
        }
        for (Pattern p : List.of(UNIT, PO_BOX)) {
            Matcher m = p.matcher(text);
            while (m.find()) {
                if (p == PO_BOX && m.group().toLowerCase(Locale.ROOT).startsWith("box") && streets.isEmpty()) {
                    continue;
                }
                out.add(new PiiSpan(m.start(), m.end(), PiiType.ADDRESS, 0.8));
            }
        }
        Matcher z = POSTAL_CUE.matcher(text);
        while (z.find()) {
            out.add(new PiiSpan(z.start(1), z.end(1), PiiType.POSTAL_CODE, 0.9));
        }
        Matcher sz = STATE_ZIP.matcher(text);
        while (sz.find()) {
            out.add(new PiiSpan(sz.start(1), sz.end(1), PiiType.POSTAL_CODE, 0.8));
        }
        for (int[] st : streets) {
            afterStreet(text, st[1], out);
        }
        places(text, hasUpper, out);
        return out;
    }

    private static final Pattern LEADING_NUMBER = Pattern.compile("^(\\d{1,6})\\s+(?=\\d|\\p{L}[^\\s]*\\s.*\\d)");

    /**
     * A street, with a separate span for a leading building number when the street carries its own
     * number ("86036 Rua do Arenque 1634", "3378 217 Lovers Lane"): two numbers, two parts.
     */
    private static void addStreet(String text, int s, int e, double conf, List<PiiSpan> out) {
        String g = text.substring(s, e);
        Matcher lead = LEADING_NUMBER.matcher(g);
        if (lead.find()) {
            out.add(new PiiSpan(s, s + lead.end(1), PiiType.ADDRESS, conf));
            out.add(new PiiSpan(s + lead.end(), e, PiiType.ADDRESS, conf));
        } else {
            out.add(new PiiSpan(s, e, PiiType.ADDRESS, conf));
        }
    }

    private static String firstWord(String g) {
        String[] parts = g.strip().split("\\s+");
        return parts.length > 1 ? parts[1] : parts[0];
    }

    private static boolean capitalizedAfterNumber(String g) {
        String[] parts = g.split("\\s+");
        for (int i = 1; i < parts.length; i++) {
            if (!parts[i].isEmpty() && Character.isDigit(parts[i].charAt(0))) {
                continue;
            }
            return !parts[i].isEmpty() && Character.isUpperCase(parts[i].charAt(0));
        }
        return false;
    }

    private static boolean sentenceEnd(String text, int i) {
        char ch = text.charAt(i);
        return ch == '.'
                && (i + 1 >= text.length() || Character.isWhitespace(text.charAt(i + 1)))
                && !(i >= 2
                        && Character.isLetter(text.charAt(i - 1))
                        && text.charAt(i - 2) == ' '
                        && i >= 3
                        && isAbbrev(text, i));
    }

    private static boolean isAbbrev(String text, int dot) {
        int s = dot - 1;
        while (s > 0 && Character.isLetter(text.charAt(s - 1))) {
            s--;
        }
        String w = text.substring(s, dot).toLowerCase(Locale.ROOT);
        return List.of("st", "apt", "ste", "ave", "rd", "dr", "ul", "no", "av", "bd", "blvd")
                .contains(w);
    }

    /** After a street: ", City", ", City, Country" on the same line, and unit/city/country lines below. */
    private static void afterStreet(String text, int end, List<PiiSpan> out) {
        int lineEnd = text.indexOf('\n', end);
        if (lineEnd < 0) {
            lineEnd = text.length();
        }
        String rest = text.substring(end, lineEnd);
        int pos = end;
        // same line: , City[, Country][ ZIP]
        Matcher seg = Pattern.compile("(?u)^[,]\\s*([\\p{L}\\p{M}'’.()\\- ]{2,40}?)(?=\\s*(?:,|\\.\\s|\\.$|$|\\s\\d))")
                .matcher(rest);
        int guard = 0;
        while (seg.find() && guard++ < 3) {
            String name = seg.group(1).strip();
            if (!name.isEmpty()
                    && (Character.isUpperCase(name.charAt(0))
                            || Gazetteer.PLACES.contains(name.toLowerCase(Locale.ROOT)))) {
                int s = pos + seg.start(1);
                out.add(new PiiSpan(s, s + name.length(), PiiType.LOCATION, 0.7));
            }
            pos += seg.end();
            rest = text.substring(pos, lineEnd);
            seg = Pattern.compile("(?u)^\\s*,\\s*([\\p{L}\\p{M}'’.()\\- ]{2,40}?)(?=\\s*(?:,|\\.\\s|\\.$|$|\\s\\d))")
                    .matcher(rest);
        }
        // following lines of an address block
        int ls = lineEnd + 1;
        for (int n = 0; n < 4 && ls < text.length(); n++) {
            int le = text.indexOf('\n', ls);
            if (le < 0) {
                le = text.length();
            }
            String line = text.substring(ls, le);
            String body = line.replaceFirst("^[\\s>]+", "").strip();
            int bs = ls + line.indexOf(body.isEmpty() ? line : body);
            if (body.isEmpty()) {
                break;
            }
            Matcher unit = UNIT.matcher(body);
            Matcher cz = LINE_COUNTRY_ZIP.matcher(body);
            if (unit.lookingAt()) {
                // handled by UNIT
            } else if (cz.matches()) {
                out.add(new PiiSpan(bs + cz.start(1), bs + cz.end(1), PiiType.LOCATION, 0.7));
                out.add(new PiiSpan(bs + cz.start(2), bs + cz.end(2), PiiType.POSTAL_CODE, 0.8));
            } else if (body.length() <= 40
                    && body.chars().noneMatch(Character::isDigit)
                    && Character.isLetter(body.charAt(0))) {
                String b = body.replaceAll("[.,]$", "");
                out.add(new PiiSpan(bs, bs + b.length(), PiiType.LOCATION, 0.65));
            } else {
                break;
            }
            ls = le + 1;
        }
    }

    private static final Pattern CAP_SEQ = Pattern.compile(
            "(?u)\\p{Lu}[\\p{L}\\p{M}'’-]*(?:\\s+(?:(?:de|del|do|da|di|la|le|upon|am|der)\\s+)?\\p{Lu}[\\p{L}\\p{M}'’-]*){0,3}");
    private static final Pattern PLACE_CUE = Pattern.compile(
            "(?u)\\b(?:from|in|near|visit|visiting|visited|based in|flew to|moved to|travel(?:l)?ed to|went to|drove to|trip to|welcome to|arrived (?:at|in)|moved here from|originally from|city of|born in|grew up in)\\s+$");

    /** Country names anywhere; capitalized places after "from", "in", "to", …; nationalities. */
    private static void places(String text, boolean hasUpper, List<PiiSpan> out) {
        Matcher m = CAP_SEQ.matcher(text);
        while (m.find()) {
            String g = m.group();
            String lower = g.toLowerCase(Locale.ROOT);
            // longest known place prefix
            String[] words = g.split("\\s+");
            boolean found = false;
            for (int k = Math.min(words.length, 4); k >= 1 && !found; k--) {
                String cand = String.join(" ", java.util.Arrays.copyOf(words, k));
                if (Gazetteer.PLACES.contains(cand.toLowerCase(Locale.ROOT))) {
                    out.add(new PiiSpan(m.start(), m.start() + cand.length(), PiiType.LOCATION, 0.75));
                    found = true;
                }
            }
            if (found) {
                continue;
            }
            if (Gazetteer.NATIONALITIES.contains(lower)) {
                out.add(new PiiSpan(m.start(), m.end(), NATIONALITY, 0.6));
                continue;
            }
            String before = text.substring(Math.max(0, m.start() - 22), m.start());
            if (PLACE_CUE.matcher(before).find()
                    && !NameDetector.isStopword(words[0])
                    && !Gazetteer.firstName(words[0])) {
                int end = m.start();
                for (String w : words) {
                    if (NameDetector.isStopword(w)) {
                        break; // "Paris on Monday": stop at the weekday
                    }
                    end = text.indexOf(w, end) + w.length();
                }
                out.add(new PiiSpan(m.start(), end, PiiType.LOCATION, 0.55));
            }
        }
        if (!hasUpper) {
            Matcher w = Pattern.compile("(?u)\\p{L}+(?:\\s\\p{L}+)?").matcher(text);
            while (w.find()) {
                String g = w.group();
                if (Gazetteer.PLACES.contains(g)) {
                    out.add(new PiiSpan(w.start(), w.end(), PiiType.LOCATION, 0.6));
                } else {
                    String first = g.split(" ")[0];
                    if (Gazetteer.PLACES.contains(first)) {
                        out.add(new PiiSpan(w.start(), w.start() + first.length(), PiiType.LOCATION, 0.6));
                    } else if (Gazetteer.NATIONALITIES.contains(first)) {
                        out.add(new PiiSpan(w.start(), w.start() + first.length(), NATIONALITY, 0.5));
                    }
                }
            }
        }
    }
}
