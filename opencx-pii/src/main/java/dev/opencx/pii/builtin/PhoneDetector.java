package dev.opencx.pii.builtin;

import com.google.i18n.phonenumbers.PhoneNumberMatch;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import dev.opencx.pii.PiiDetector;
import dev.opencx.pii.PiiSpan;
import dev.opencx.pii.PiiType;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Phone numbers with libphonenumber: international numbers ({@code +44 20 7946 0958}, {@code 0044
 * …}) in any country, national numbers valid in one of the configured regions. A bare run of digits
 * without separators counts only after a phone cue ("call", "tel", "mobile", …), and numbers right
 * after "order", "invoice", "#" and the like or with a currency are not phones.
 */
final class PhoneDetector implements PiiDetector {
    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
    private static final Pattern CUE = Pattern.compile(
            "(?iu)(phone|tel\\b|tel\\.|telephone|mobile|cell|call|text me|whats ?app|sms|fax|number|nummer|numéro|número|telefon|handy|móvil|portable|contact)[^\\n]{0,25}$");
    private static final Pattern NOT_PHONE_BEFORE = Pattern.compile(
            "(?iu)(#|no\\.|(?:order|invoice|ref|reference|tracking|account|acct|ticket|case|sku|item|id|iban|card|ssn|booking|confirmation|customer|member|parcel|shipment|receipt)(?:\\s+(?:number|no\\.?|num|nr|id|code|#))?(?:\\s+is)?|[$€£¥]|usd|eur|gbp)\\s*[:#]?\\s*$");
    private static final Pattern NOT_PHONE_AFTER =
            Pattern.compile("(?iu)^\\s*([$€£¥%]|usd|eur|gbp|kg|km|items?\\b|points?\\b|units?\\b|pcs\\b)");

    private final List<String> regions;

    PhoneDetector(List<String> regions) {
        this.regions = List.copyOf(regions);
    }

    @Override
    public List<PiiSpan> detect(String text) {
        List<PiiSpan> out = new ArrayList<>();
        if (text.chars().filter(Character::isDigit).count() < 7) {
            return out;
        }
        boolean[] taken = new boolean[text.length() + 1];
        for (String region : regions) {
            for (PhoneNumberMatch m : UTIL.findNumbers(text, region, PhoneNumberUtil.Leniency.VALID, Long.MAX_VALUE)) {
                int s = m.start();
                int e = m.end();
                if (taken[s]) {
                    continue;
                }
                String raw = m.rawString();
                boolean international = raw.startsWith("+") || raw.startsWith("00") || raw.startsWith("(+");
                boolean separated = raw.chars().anyMatch(c -> c == ' ' || c == '-' || c == '.' || c == '(' || c == '/');
                String before = text.substring(Math.max(0, s - 40), s);
                String after = text.substring(e, Math.min(text.length(), e + 6));
                if (NOT_PHONE_BEFORE.matcher(before).find()
                        || NOT_PHONE_AFTER.matcher(after).find()) {
                    continue;
                }
                if (!international && !separated && !CUE.matcher(before).find()) {
                    continue;
                }
                if (looksLikeDate(raw)) {
                    continue;
                }
                for (int i = s; i < e; i++) {
                    taken[i] = true;
                }
                out.add(new PiiSpan(s, e, PiiType.PHONE, international || separated ? 0.95 : 0.8));
            }
        }
        // after an explicit label ("Phone: 467 3395"), a local number libphonenumber cannot place
        java.util.regex.Matcher lab = LABELLED.matcher(text);
        while (lab.find()) {
            int s = lab.start(1);
            int e = lab.end(1);
            long digits = lab.group(1).chars().filter(Character::isDigit).count();
            if (!taken[s] && digits >= 7 && digits <= 15 && !looksLikeDate(lab.group(1))) {
                out.add(new PiiSpan(s, e, PiiType.PHONE, 0.75));
            }
        }
        return out;
    }

    private static final Pattern LABELLED = Pattern.compile(
            "(?iu)\\b(?:phone|tel|telephone|mobile|cell|fax|call me (?:at|on)|text me (?:at|on)|whats ?app|telefon|téléphone|teléfono|telefone|handy)\\b\\.?\\s*(?:number|no\\.?|#)?\\s*(?:is|:|-)?\\s*(\\(?\\+?\\d[\\d ().-]{5,18}\\d)(?![\\d])");

    private static final Pattern DATE = Pattern.compile("\\d{1,4}[./-]\\d{1,2}[./-]\\d{1,4}");

    private static boolean looksLikeDate(String raw) {
        return DATE.matcher(raw.strip()).matches();
    }
}
