package dev.opencx.pii.builtin;

import dev.opencx.pii.PiiDetector;
import dev.opencx.pii.PiiSpan;
import dev.opencx.pii.PiiType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A payment card's security code ({@code CARD_SECURITY_CODE}: CVV, CVC, CID) and expiry date
 * ({@code CARD_EXPIRY}), found two ways:
 *
 * <ul>
 *   <li><b>after a keyword</b>, in English, Spanish, Portuguese, German, French, Italian and Dutch:
 *       "cvv: 123", "CVC2=1234", "security code is 123", "código de seguridad 456",
 *       "Prüfnummer 789"; "exp 12/29", "exp. 1229", "expiry date: 12/2029", "valid thru 12/29",
 *       "vence 12/29", "gültig bis 12/29", "date d'expiration 12/29", "scadenza 12/29", "expires
 *       December 2029". The value is the first number after the keyword, at most 24 characters
 *       further and in the same sentence;
 *   <li><b>next to a card number</b>, without a keyword: "4111 1111 1111 1111 12/29 123" (up to
 *       three numbers chained after the card, separated by spaces or punctuation).
 * </ul>
 *
 * <p>What is not taken: a date alone ("see you 12/29"), a full date with a day ("expires
 * 12/29/2025", "2025-12-31": not a card's month and year), a 3-digit number alone ("order 123"),
 * more than 4 digits after a security-code keyword (a one-time code "security code 123456"). Generic
 * words ("code", "cid", "código") count only near a card number or a card word ("card", "Visa",
 * "tarjeta", "Karte"…); a verb such as "expires" or "vence" without a card nearby gives a span of
 * confidence 0.7 ("the voucher expires 12/29" is redacted too, as the price of finding "vence
 * 12/29").
 */
final class CardDetailsDetector implements PiiDetector {
    private static final String B = "(?<![\\p{L}\\p{N}])";
    private static final String E = "(?![\\p{L}])";

    /** Keywords that introduce a security code wherever they are. */
    private static final Pattern CVV_KEYWORD = Pattern.compile("(?iu)" + B + "(?:"
            + "cvv2?|cvc2?|cvn2?|cav2|cvd|csc"
            + "|card\\s+(?:security|verification|validation)\\s+(?:code|value|number)"
            + "|security\\s+(?:code|number|digits)"
            + "|(?:3|4|three|four)[\\s-]digits?\\s+(?:security\\s+)?(?:code|number)"
            + "|(?:digits|numbers?|code)\\s+on\\s+the\\s+back(?:\\s+of\\s+(?:the|my)\\s+card)?"
            + "|c[óo]digo\\s+(?:de\\s+)?(?:seguridad|seguran[çc]a|verificaci[óo]n|verifica[çc][ãa]o)"
            + "|codice\\s+(?:di\\s+)?(?:sicurezza|verifica)"
            + "|code\\s+(?:de\\s+)?(?:s[ée]curit[ée]|v[ée]rification)|cryptogramme(?:\\s+visuel)?"
            + "|sicherheits(?:code|nummer)|(?:karten)?pr[üu]f(?:nummer|ziffer|code)"
            + "|beveiligingscode|veiligheidscode"
            + ")" + E);
    /**
     * Words that introduce a security code only near a card number ("code 123" alone is anything),
     * and not after a word that makes it another code ("error code", "promo code").
     */
    private static final Pattern CVV_WEAK_KEYWORD =
            Pattern.compile("(?iu)" + B + "(?:code|c[óo]digo|codice|kode?)" + E);
    /** "cid" (Amex's name for it) near a card number or a card word. */
    private static final Pattern CID = Pattern.compile("(?iu)" + B + "cid" + E);
    /** Words that make a "code" another kind of code, before it or between it and the number. */
    private static final Pattern OTHER_CODE = Pattern.compile("(?iu)" + B + "(?:error|erreur|fehler|promo\\p{L}*"
            + "|discount|descuento|desconto|sconto|rabatt\\p{L}*|r[ée]duction|coupon|cup[óo]n|voucher|gutschein|gift"
            + "|regalo|zip|postal|post|postleitzahl|area|country|tracking|rastreo|seguimiento|rastreio|order|pedido"
            + "|reference|ref|referencia|confirmation|confirmaci[óo]n|verification|sms|otp|access|acceso|auth\\p{L}*"
            + "|reward|referral|bar|qr|response|reason|decline|status|estado|transaction|transacci[óo]n)" + E);
    /** Nouns and labels of an expiry date: also take a bare month-year ("exp 1229"). */
    private static final Pattern EXPIRY_KEYWORD = Pattern.compile("(?iu)" + B + "(?:"
            + "exp(?:iry|iration)?(?:\\s+date)?\\.?|expiry|expiration"
            + "|(?:valid|good)\\s+(?:thru|through)"
            + "|fecha\\s+de\\s+(?:vencimiento|caducidad|expiraci[óo]n)|vencimiento|caducidad|vto\\.?|venc\\.?"
            + "|ablaufdatum|verfallsdatum|g[üu]ltig\\s+bis|g[üu]ltigkeit|ablauf"
            + "|date\\s+d['’]\\s*(?:expiration|exp\\.?)|(?:date|fin)\\s+de\\s+validit[ée]"
            + "|valable\\s+jusqu['’]\\s*(?:au|à|a)"
            + "|data\\s+de\\s+(?:validade|vencimento|expira[çc][ãa]o)|validade|v[áa]lid[oa]\\s+at[ée]|vencimento"
            + "|data\\s+di\\s+scadenza|scadenza|valid[oa]\\s+fino\\s+al?"
            + "|vervaldatum|geldig\\s+tot"
            + "|mm\\s*/\\s*(?:yyyy|yy|aaaa|aa|jjjj|jj)"
            + ")" + E);
    /** Verbs: a date after them is a card's only near a card (otherwise a span of low confidence). */
    private static final Pattern EXPIRY_VERB = Pattern.compile("(?iu)" + B + "(?:"
            + "expires?|expired|expiring|valid\\s+(?:until|till)|expira|expirar[áa]?|vence|venci[óo]|caduca|caducar[áa]"
            + "|l[äa]uft\\s+ab|verf[äa]llt|scade|scadr[àa]"
            + ")" + E);
    /** A card word anywhere near: makes the generic keywords and verbs count. */
    private static final Pattern CARD_WORD = Pattern.compile("(?iu)" + B + "(?:"
            + "card|credit|debit|visa|master\\s?card|amex|american\\s+express|discover|maestro|jcb|diners"
            + "|tarjeta|kreditkarte|karte|carte|cart[ãa]o|carta|kaart|cvv2?|cvc2?"
            + ")" + E);

    private static final String MONTH =
            "(?:jan(?:uary|vier|uar|eiro)?|ene(?:ro)?|feb(?:ruary|rero|ruar|braio)?|f[ée]v(?:rier|ereiro)?|gen(?:naio)?"
                    + "|mar(?:ch|zo|s|ço|co)?|m[äa]rz|apr(?:il|ile)?|abr(?:il)?|avr(?:il)?|may|mai|mayo|maio|maggio|mag"
                    + "|jun(?:e|io|i|ho)?|juin|giu(?:gno)?|jul(?:y|io|i|ho)?|juil(?:let)?|lug(?:lio)?"
                    + "|aug(?:ust)?|ago(?:sto)?|ao[uû]t|sep(?:t(?:ember|iembre|embre)?)?|set(?:embro|tembre)?"
                    + "|oct(?:ober|ubre|obre)?|okt(?:ober)?|out(?:ubro)?|ott(?:obre)?"
                    + "|nov(?:ember|iembre|embre|embro)?|dec(?:ember)?|dic(?:iembre|embre)?|dez(?:ember|embro)?"
                    + "|d[ée]c(?:embre)?)\\.?";
    /** A month name ending the text between a keyword and a year: "expires December 2029". */
    private static final Pattern MONTH_BEFORE = Pattern.compile("(?iu)" + B + MONTH + "[\\s/'’-]*$");

    private static final String NOT_MORE = "(?!\\d|[/.\\-]\\d|\\p{L})";
    /** {@code 12/29}, {@code 1/29}, {@code 12/2029}, {@code 12 / 29}, {@code 12-29}; {@code .} only after a keyword. */
    private static final Pattern MONTH_YEAR =
            Pattern.compile("(?:0?[1-9]|1[0-2])[^\\S\\n]?[/.\\-][^\\S\\n]?(?:20\\d{2}|\\d{2})" + NOT_MORE);

    private static final Pattern MONTH_YEAR_NEXT_TO_CARD =
            Pattern.compile("(?:0?[1-9]|1[0-2])[^\\S\\n]?[/\\-][^\\S\\n]?(?:20\\d{2}|\\d{2})" + NOT_MORE);
    /** {@code 2029-12}, {@code 2029/12}. */
    private static final Pattern YEAR_MONTH = Pattern.compile("20\\d{2}[/\\-](?:0?[1-9]|1[0-2])" + NOT_MORE);
    /** {@code 1229} after a keyword that names the expiry. */
    private static final Pattern MMYY = Pattern.compile("(?:0[1-9]|1[0-2])\\d{2}" + NOT_MORE);

    private static final Pattern YEAR = Pattern.compile("(?:20\\d{2}|\\d{2})" + NOT_MORE);
    private static final Pattern CODE = Pattern.compile("\\d{3,4}" + NOT_MORE);
    /** A bare number after a card that is an amount or a count, not a code. */
    private static final Pattern CODE_NEXT_TO_CARD = Pattern.compile("\\d{3,4}" + NOT_MORE
            + "(?![^\\S\\n]*(?:%|€|\\$|£|(?i:usd|eur|gbp|dollars?|euros?|pounds?|times|items|points|orders?"
            + "|payments?|days?|months?|years?)(?![\\p{L}])))");

    /** What may stand between two numbers chained after a card: punctuation, a space, "and". */
    private static final Pattern BETWEEN = Pattern.compile(
            "(?iu)[^\\S\\n]{0,3}[,;|:()\\[\\]\\-–—]?[^\\S\\n]{0,3}(?:(?:and|y|e|und|et|en|with|con|mit|avec|com|&)[^\\S\\n]{1,3})?");

    private static final int GAP = 24;
    private static final int NEAR = 100;

    private final PiiDetector cards = StructuredDetectors.card();

    @Override
    public List<PiiSpan> detect(String text) {
        List<PiiSpan> out = new ArrayList<>();
        if (!hasDigit(text)) {
            return out;
        }
        List<PiiSpan> cardSpans = cards.detect(text);
        List<int[]> cardWords = new ArrayList<>();
        Matcher w = CARD_WORD.matcher(text);
        while (w.find()) {
            cardWords.add(new int[] {w.start(), w.end()});
        }
        Matcher k = CVV_KEYWORD.matcher(text);
        while (k.find()) {
            add(out, code(text, k.end(), 0.95));
        }
        k = CVV_WEAK_KEYWORD.matcher(text);
        while (k.find()) {
            if (nearCard(k.start(), k.end(), cardSpans, List.of())) {
                PiiSpan c = code(text, k.end(), 0.9);
                if (c != null
                        && !OTHER_CODE
                                .matcher(text.substring(Math.max(0, k.start() - 20), c.start()))
                                .find()) {
                    add(out, c);
                }
            }
        }
        k = CID.matcher(text);
        while (k.find()) {
            if (nearCard(k.start(), k.end(), cardSpans, cardWords)) {
                add(out, code(text, k.end(), 0.9));
            }
        }
        k = EXPIRY_KEYWORD.matcher(text);
        while (k.find()) {
            add(out, expiry(text, k.end(), true, 0.95));
        }
        k = EXPIRY_VERB.matcher(text);
        while (k.find()) {
            boolean near = nearCard(k.start(), k.end(), cardSpans, cardWords);
            add(out, expiry(text, k.end(), false, near ? 0.95 : 0.7));
        }
        // numbers chained after a card, or after a detail found near a card: "4111… 12/29 123"
        List<PiiSpan> anchors = new ArrayList<>(cardSpans);
        for (PiiSpan s : out) {
            if (nearCard(s.start(), s.end(), cardSpans, cardWords)) {
                anchors.add(s);
            }
        }
        anchors.sort(Comparator.comparingInt(PiiSpan::start));
        for (PiiSpan a : anchors) {
            chain(text, a, out);
        }
        return out;
    }

    /** The security code after a keyword ending at {@code from}. */
    private static PiiSpan code(String text, int from, double confidence) {
        int at = valueStart(text, from);
        if (at < 0) {
            return null;
        }
        Matcher m = CODE.matcher(text).region(at, text.length());
        return m.lookingAt() ? new PiiSpan(at, m.end(), PiiType.CARD_SECURITY_CODE, confidence) : null;
    }

    /** The expiry date after a keyword ending at {@code from}. */
    private static PiiSpan expiry(String text, int from, boolean noun, double confidence) {
        int at = valueStart(text, from);
        if (at < 0) {
            return null;
        }
        Matcher month = MONTH_BEFORE.matcher(text).region(from, at);
        if (month.find()) {
            Matcher y = YEAR.matcher(text).region(at, text.length());
            if (y.lookingAt()) {
                return new PiiSpan(month.start(), y.end(), PiiType.CARD_EXPIRY, confidence);
            }
        }
        for (Pattern p : noun ? List.of(MONTH_YEAR, YEAR_MONTH, MMYY) : List.of(MONTH_YEAR, YEAR_MONTH)) {
            Matcher m = p.matcher(text).region(at, text.length());
            if (m.lookingAt()) {
                return new PiiSpan(at, m.end(), PiiType.CARD_EXPIRY, confidence);
            }
        }
        return null;
    }

    /**
     * Where the value after a keyword starts: the first digit within {@value #GAP} characters, with
     * no line break, '?', '!', ';' or sentence end before it; -1 when there is none.
     */
    private static int valueStart(String text, int from) {
        int limit = Math.min(text.length(), from + GAP);
        for (int i = from; i < limit; i++) {
            char c = text.charAt(i);
            if (Character.isDigit(c)) {
                return i;
            }
            if (c == '\n' || c == '?' || c == '!' || c == ';') {
                return -1;
            }
            if (c == '.'
                    && i + 2 < text.length()
                    && Character.isWhitespace(text.charAt(i + 1))
                    && Character.isUpperCase(text.charAt(i + 2))) {
                return -1;
            }
        }
        return -1;
    }

    /**
     * Adds the numbers that follow {@code anchor} (a card number or a detail near one), separated by
     * spaces or punctuation: a month/year is the expiry, 3 or 4 digits the security code.
     */
    private static void chain(String text, PiiSpan anchor, List<PiiSpan> out) {
        int pos = anchor.end();
        boolean amex = anchor.type().equals(PiiType.CARD) && amex(text.substring(anchor.start(), anchor.end()));
        for (int n = 0; n < 3; n++) {
            Matcher between = BETWEEN.matcher(text).region(pos, text.length());
            int at = between.lookingAt() ? between.end() : pos;
            if (at == pos || at >= text.length() || !Character.isDigit(text.charAt(at))) {
                return;
            }
            PiiSpan known = startingAt(out, at);
            if (known != null) {
                pos = known.end();
                continue;
            }
            Matcher my = MONTH_YEAR_NEXT_TO_CARD.matcher(text).region(at, text.length());
            if (my.lookingAt()) {
                out.add(new PiiSpan(at, my.end(), PiiType.CARD_EXPIRY, 0.9));
                pos = my.end();
                continue;
            }
            Matcher c = CODE_NEXT_TO_CARD.matcher(text).region(at, text.length());
            if (!c.lookingAt()) {
                return;
            }
            out.add(new PiiSpan(at, c.end(), kindOfBareNumber(text, at, c.end(), out, amex), 0.9));
            pos = c.end();
        }
    }

    /**
     * 3 digits are a security code; 4 digits are one too on an Amex card or once an expiry was found,
     * and otherwise a month and year ("1229") when they read as one.
     */
    private static PiiType kindOfBareNumber(String text, int start, int end, List<PiiSpan> out, boolean amex) {
        if (end - start == 3 || amex) {
            return PiiType.CARD_SECURITY_CODE;
        }
        for (PiiSpan s : out) {
            if (s.type().equals(PiiType.CARD_EXPIRY) && Math.abs(s.start() - start) < 40) {
                return PiiType.CARD_SECURITY_CODE;
            }
        }
        return MMYY.matcher(text).region(start, end).matches() ? PiiType.CARD_EXPIRY : PiiType.CARD_SECURITY_CODE;
    }

    private static boolean amex(String number) {
        String d = number.replaceAll("\\D", "");
        return d.length() == 15 && (d.startsWith("34") || d.startsWith("37"));
    }

    private static PiiSpan startingAt(List<PiiSpan> spans, int at) {
        for (PiiSpan s : spans) {
            if (s.start() == at) {
                return s;
            }
        }
        return null;
    }

    private static boolean nearCard(int start, int end, List<PiiSpan> cards, List<int[]> words) {
        for (PiiSpan c : cards) {
            if (c.end() > start - NEAR && c.start() < end + NEAR) {
                return true;
            }
        }
        for (int[] w : words) {
            if (w[1] > start - NEAR && w[0] < end + NEAR && !(w[0] == start && w[1] == end)) {
                return true;
            }
        }
        return false;
    }

    private static void add(List<PiiSpan> out, PiiSpan s) {
        if (s == null) {
            return;
        }
        for (PiiSpan o : out) {
            if (o.overlaps(s)) {
                return; // the first keyword to claim a number keeps it
            }
        }
        out.add(s);
    }

    private static boolean hasDigit(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isDigit(text.charAt(i))) {
                return true;
            }
        }
        return false;
    }
}
