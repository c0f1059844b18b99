package dev.opencx.pii.builtin;

import dev.opencx.pii.PiiDetector;
import dev.opencx.pii.PiiSpan;
import dev.opencx.pii.PiiType;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Detectors for data with a fixed shape, most with a checksum: email, card, IBAN, SSN, IP, URL. */
final class StructuredDetectors {
    private StructuredDetectors() {}

    static final Pattern EMAIL = Pattern.compile(
            "(?<![\\p{L}\\p{N}._%+-])[\\p{L}\\p{N}._%+-]{1,64}@[\\p{L}\\p{N}-]+(?:\\.[\\p{L}\\p{N}-]+)*\\.\\p{L}{2,24}");

    /** Email addresses. */
    static PiiDetector email() {
        return text -> {
            List<PiiSpan> out = new ArrayList<>();
            if (text.indexOf('@') < 0) {
                return out;
            }
            Matcher m = EMAIL.matcher(text);
            while (m.find()) {
                int s = m.start();
                while (s < m.end() && text.charAt(s) == '.') {
                    s++;
                }
                out.add(PiiSpan.of(s, m.end(), PiiType.EMAIL));
            }
            return out;
        };
    }

    private static final Pattern CARD = Pattern.compile("(?<![\\d-])\\d(?:[ -]?\\d){11,18}(?![\\d-])");
    private static final Pattern CARD_CUE = Pattern.compile(
            "(?iu)(card|credit|debit|visa|master ?card|amex|american express|discover|maestro|jcb|diners|unionpay|cc|tarjeta|karte|carte|cartão|carta)[^\\n]{0,30}$");

    /**
     * Payment card numbers: 12 to 19 digits, optionally grouped, with a valid Luhn check digit and a
     * known issuer prefix or a card word before them. When a run of grouped digits is not a card as
     * a whole, its longest run of whole groups that is one counts: in "4111 1111 1111 1111 123" the
     * card is followed by its security code, and in "4111 1111 1111 1111 12" by half a date.
     */
    static PiiDetector card() {
        return text -> {
            List<PiiSpan> out = new ArrayList<>();
            Matcher m = CARD.matcher(text);
            while (m.find()) {
                PiiSpan s = cardIn(text, m.start(), m.end());
                if (s != null) {
                    out.add(s);
                }
            }
            return out;
        };
    }

    private static PiiSpan cardIn(String text, int start, int end) {
        PiiSpan whole = cardAt(text, start, end, 12);
        if (whole != null) {
            return whole;
        }
        List<int[]> groups = new ArrayList<>();
        int i = start;
        while (i < end) {
            int g = i;
            while (i < end && Character.isDigit(text.charAt(i))) {
                i++;
            }
            groups.add(new int[] {g, i});
            while (i < end && !Character.isDigit(text.charAt(i))) {
                i++;
            }
        }
        for (int n = groups.size() - 1; n >= 1; n--) {
            for (int first = 0; first + n <= groups.size(); first++) {
                // a part of the run must look like a card on its own: 13 digits at least
                PiiSpan part = cardAt(text, groups.get(first)[0], groups.get(first + n - 1)[1], 13);
                if (part != null) {
                    return part;
                }
            }
        }
        return null;
    }

    private static PiiSpan cardAt(String text, int start, int end, int minDigits) {
        String digits = text.substring(start, end).replaceAll("[ -]", "");
        if (digits.length() < minDigits || digits.length() > 19 || !luhn(digits)) {
            return null;
        }
        boolean issuer = digits.length() >= 13 && knownIssuer(digits);
        boolean cue =
                CARD_CUE.matcher(text.substring(Math.max(0, start - 40), start)).find();
        if (!issuer && !cue) {
            return null;
        }
        return new PiiSpan(start, end, PiiType.CARD, issuer ? 1.0 : 0.9);
    }

    static boolean luhn(String digits) {
        int sum = 0;
        boolean dbl = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = digits.charAt(i) - '0';
            if (d < 0 || d > 9) {
                return false;
            }
            if (dbl) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            dbl = !dbl;
        }
        return sum % 10 == 0;
    }

    /** Visa, Mastercard, Amex, Discover, JCB, Diners, UnionPay, Maestro, Mir, RuPay, Troy prefixes. */
    static boolean knownIssuer(String d) {
        int n = d.length();
        int p2 = Integer.parseInt(d.substring(0, 2));
        int p4 = Integer.parseInt(d.substring(0, 4));
        if (d.charAt(0) == '4') {
            return n == 13 || n == 16 || n == 19; // Visa
        }
        if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) {
            return n == 16; // Mastercard
        }
        if (p2 == 34 || p2 == 37) {
            return n == 15; // Amex
        }
        if (p2 == 36 || p2 == 38 || p2 == 39 || (p4 >= 3000 && p4 <= 3059) || p4 == 3095) {
            return n >= 14 && n <= 19; // Diners
        }
        if (p2 == 35 || p4 == 1800 || p4 == 2131) {
            return n >= 15 && n <= 19; // JCB (1800 and 2131: 15 digits)
        }
        if (p4 == 6011 || p2 == 65 || (p4 >= 6440 && p4 <= 6499) || p2 == 62 || p2 == 60 || p2 == 81) {
            return n >= 16 && n <= 19; // Discover, UnionPay, RuPay
        }
        if (p2 == 50 || (p2 >= 56 && p2 <= 69) || (p4 >= 2200 && p4 <= 2204)) {
            return n >= 12 && n <= 19; // Maestro, Mir
        }
        return p4 == 9792 && n == 16; // Troy
    }

    private static final Pattern IBAN =
            Pattern.compile("(?<![\\p{L}\\p{N}])[A-Za-z]{2}\\d{2}(?:[ ]?[A-Za-z0-9]){11,30}(?![\\p{L}\\p{N}])");

    /** Lengths of IBANs by country (SWIFT IBAN registry). */
    private static final Map<String, Integer> IBAN_LENGTHS = ibanLengths();

    /** IBANs: a country's length and a valid mod-97 check. */
    static PiiDetector iban() {
        return text -> {
            List<PiiSpan> out = new ArrayList<>();
            Matcher m = IBAN.matcher(text);
            while (m.find()) {
                // a trailing group may have pulled in the next word: shrink until valid
                String raw = m.group();
                int end = m.end();
                while (true) {
                    String compact = raw.replace(" ", "").toUpperCase(Locale.ROOT);
                    if (validIban(compact)) {
                        out.add(PiiSpan.of(m.start(), end, PiiType.IBAN));
                        break;
                    }
                    int sp = raw.lastIndexOf(' ');
                    if (sp < 15) {
                        break;
                    }
                    raw = raw.substring(0, sp);
                    end = m.start() + sp;
                }
            }
            return out;
        };
    }

    static boolean validIban(String iban) {
        Integer len = IBAN_LENGTHS.get(iban.substring(0, 2));
        if (len == null || iban.length() != len) {
            return false;
        }
        String rearranged = iban.substring(4) + iban.substring(0, 4);
        StringBuilder num = new StringBuilder();
        for (char c : rearranged.toCharArray()) {
            if (Character.isDigit(c)) {
                num.append(c);
            } else if (c >= 'A' && c <= 'Z') {
                num.append(c - 'A' + 10);
            } else {
                return false;
            }
        }
        return new BigInteger(num.toString()).mod(BigInteger.valueOf(97)).intValue() == 1;
    }

    private static Map<String, Integer> ibanLengths() {
        String table = "AD24 AE23 AL28 AT20 AZ28 BA20 BE16 BG22 BH22 BI27 BR29 BY28 CH21 CR22 CY28 CZ24 DE22 DJ27 DK18"
                + " DO28 EE20 EG29 ES24 FI18 FK18 FO18 FR27 GB22 GE22 GI23 GL18 GR27 GT28 HR21 HU28 IE22 IL23 IQ23"
                + " IS26 IT27 JO30 KW30 KZ20 LB28 LC32 LI21 LT20 LU20 LV21 LY25 MC27 MD24 ME22 MK19 MN20 MR27 MT31"
                + " MU30 NI28 NL18 NO15 OM23 PK24 PL28 PS29 PT25 QA29 RO24 RS22 RU33 SA24 SC31 SD18 SE24 SI19 SK24"
                + " SM27 SO23 ST25 SV28 TL23 TN24 TR26 UA29 VA22 VG24 XK20 YE30";
        java.util.HashMap<String, Integer> m = new java.util.HashMap<>();
        for (String e : table.split(" ")) {
            m.put(e.substring(0, 2), Integer.parseInt(e.substring(2)));
        }
        return Map.copyOf(m);
    }

    private static final Pattern SSN = Pattern.compile("(?<![\\d-])(\\d{3})([- ])(\\d{2})\\2(\\d{4})(?![\\d-])");
    private static final Pattern SSN_BARE = Pattern.compile("(?<!\\d)\\d{9}(?!\\d)");
    private static final Pattern SSN_CUE = Pattern.compile("(?i)\\b(ssn|social security|ss#|ss no)");

    /** US social security numbers: 123-45-6789 (area, group and serial rules), or 9 digits after "SSN". */
    static PiiDetector ssn() {
        return text -> {
            List<PiiSpan> out = new ArrayList<>();
            Matcher m = SSN.matcher(text);
            while (m.find()) {
                if (validSsn(m.group(1), m.group(3), m.group(4))) {
                    out.add(PiiSpan.of(m.start(), m.end(), PiiType.SSN));
                }
            }
            Matcher b = SSN_BARE.matcher(text);
            while (b.find()) {
                String d = b.group();
                if (validSsn(d.substring(0, 3), d.substring(3, 5), d.substring(5))
                        && SSN_CUE.matcher(text.substring(Math.max(0, b.start() - 40), b.start()))
                                .find()) {
                    out.add(PiiSpan.of(b.start(), b.end(), PiiType.SSN));
                }
            }
            return out;
        };
    }

    static boolean validSsn(String area, String group, String serial) {
        int a = Integer.parseInt(area);
        return a != 0 && a != 666 && a < 900 && !group.equals("00") && !serial.equals("0000");
    }

    private static final Pattern IPV4 = Pattern.compile(
            "(?<![\\d.])(?:(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(?![\\d]|\\.\\d)");
    private static final Pattern IPV6_CANDIDATE =
            Pattern.compile("(?<![\\p{L}\\p{N}:])[0-9A-Fa-f:]*:[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*(?:%[\\w]+)?");
    private static final Pattern VERSION_CUE = Pattern.compile("(?i)(version|\\bv)\\s*$");

    /** IPv4 (not a version number like "v1.2.3.4") and IPv6 addresses, validated. */
    static PiiDetector ip() {
        return text -> {
            List<PiiSpan> out = new ArrayList<>();
            Matcher m = IPV4.matcher(text);
            while (m.find()) {
                if (!VERSION_CUE
                        .matcher(text.substring(Math.max(0, m.start() - 10), m.start()))
                        .find()) {
                    out.add(PiiSpan.of(m.start(), m.end(), PiiType.IP_ADDRESS));
                }
            }
            if (text.indexOf(':') >= 0) {
                Matcher v6 = IPV6_CANDIDATE.matcher(text);
                while (v6.find()) {
                    String c = v6.group();
                    int end = v6.end();
                    while (c.endsWith(".") || (c.endsWith(":") && !c.endsWith("::"))) {
                        c = c.substring(0, c.length() - 1);
                        end--;
                    }
                    if (validIpv6(c)) {
                        out.add(PiiSpan.of(v6.start(), end, PiiType.IP_ADDRESS));
                    }
                }
            }
            return out;
        };
    }

    static boolean validIpv6(String s) {
        int pct = s.indexOf('%');
        if (pct >= 0) {
            s = s.substring(0, pct);
        }
        if (s.length() < 2) {
            return false;
        }
        int dbl = s.indexOf("::");
        if (dbl >= 0 && s.indexOf("::", dbl + 1) >= 0) {
            return false;
        }
        String[] parts = s.split(":", -1);
        int groups = 0;
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (p.isEmpty()) {
                continue; // part of "::" (checked above) or a leading/trailing one
            }
            if (i == parts.length - 1 && p.contains(".")) {
                if (!IPV4.matcher(p).matches()) {
                    return false;
                }
                groups += 2;
                continue;
            }
            if (p.length() > 4 || !p.chars().allMatch(ch -> Character.digit(ch, 16) >= 0)) {
                return false;
            }
            groups++;
        }
        if (dbl < 0) {
            // no "::": exactly eight groups and no empty part
            for (String p : parts) {
                if (p.isEmpty()) {
                    return false;
                }
            }
            return groups == 8;
        }
        if (s.startsWith(":") && !s.startsWith("::") || s.endsWith(":") && !s.endsWith("::")) {
            return false;
        }
        // "::" alone or with few groups: require at least two groups (or "::1") to avoid "a::b" code
        return groups < 8 && (groups >= 2 || s.equals("::1") || s.equals("::"));
    }

    private static final Pattern URL = Pattern.compile(
            "(?i)\\b(?:https?://|www\\.)[\\p{L}\\p{N}.-]+(?:\\.[\\p{L}]{2,})?(?::\\d+)?(?:[/?#][^\\s<>\"']*)?");

    /** Web addresses (URLs), without trailing punctuation. */
    static PiiDetector url() {
        return text -> {
            List<PiiSpan> out = new ArrayList<>();
            Matcher m = URL.matcher(text);
            while (m.find()) {
                int end = m.end();
                while (end > m.start() && ".,;:!?)]}".indexOf(text.charAt(end - 1)) >= 0) {
                    end--;
                }
                if (end - m.start() > 7) {
                    out.add(new PiiSpan(m.start(), end, PiiType.URL, 0.9));
                }
            }
            return out;
        };
    }
}
