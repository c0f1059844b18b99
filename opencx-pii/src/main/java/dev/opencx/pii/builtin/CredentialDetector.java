package dev.opencx.pii.builtin;

import dev.opencx.pii.PiiDetector;
import dev.opencx.pii.PiiSpan;
import dev.opencx.pii.PiiType;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Secrets: API keys with a known prefix (OpenAI, Stripe, GitHub, Slack, AWS, Google, GitLab,
 * SendGrid, JWTs, private keys), bearer tokens, {@code password: …}-style values, and long
 * high-entropy tokens.
 */
final class CredentialDetector implements PiiDetector {
    private static final Pattern KNOWN = Pattern.compile("(?<![A-Za-z0-9_-])(?:"
            + "sk-(?:proj-|ant-)?[A-Za-z0-9_-]{20,}"
            + "|(?:sk|pk|rk)_(?:live|test)_[A-Za-z0-9]{16,}"
            + "|whsec_[A-Za-z0-9]{20,}"
            + "|gh[pousr]_[A-Za-z0-9]{30,}"
            + "|github_pat_[A-Za-z0-9_]{22,}"
            + "|xox[abposr]-[A-Za-z0-9-]{10,}"
            + "|(?:AKIA|ASIA)[0-9A-Z]{16}"
            + "|AIza[0-9A-Za-z_-]{35}"
            + "|glpat-[A-Za-z0-9_-]{20,}"
            + "|SG\\.[A-Za-z0-9_-]{16,}\\.[A-Za-z0-9_-]{16,}"
            + "|eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}"
            + "|npm_[A-Za-z0-9]{36}"
            + "|-----BEGIN [A-Z ]*PRIVATE KEY-----[\\s\\S]*?-----END [A-Z ]*PRIVATE KEY-----"
            + ")");
    private static final Pattern BEARER =
            Pattern.compile("(?i)\\b(?:bearer|token|authorization:\\s*basic)\\s+([A-Za-z0-9._~+/=-]{12,})");
    private static final Pattern ASSIGNED = Pattern.compile(
            "(?iu)\\b(password|passwort|mot de passe|contraseña|senha"
                    + "|passwd|pwd|passcode|pin|secret|api[ _-]?key|access[ _-]?key|access[ _-]?token|auth[ _-]?token"
                    + "|client[ _-]?secret|private[ _-]?key|token)\\b\\s*(?:(:|=|is|was|ist|es|est|é)\\s*)([\"'`]?)(\\S+?)\\3(?=[\\s,;]|[.!?](?:\\s|$)|$)");
    private static final Pattern TOKEN = Pattern.compile("(?<![\\w/.@-])[A-Za-z0-9+/_=-]{24,}(?![\\w/.@-])");

    @Override
    public List<PiiSpan> detect(String text) {
        List<PiiSpan> out = new ArrayList<>();
        Matcher k = KNOWN.matcher(text);
        while (k.find()) {
            out.add(PiiSpan.of(k.start(), k.end(), PiiType.CREDENTIAL));
        }
        Matcher b = BEARER.matcher(text);
        while (b.find()) {
            if (hasLetterAndDigit(b.group(1))) {
                out.add(PiiSpan.of(b.start(1), b.end(1), PiiType.CREDENTIAL));
            }
        }
        Matcher a = ASSIGNED.matcher(text);
        while (a.find()) {
            String verb = a.group(2);
            String value = a.group(4);
            boolean symbolic = verb.equals(":") || verb.equals("=");
            // "my password is not working": after a verb, the value must look like a secret
            if (symbolic ? value.length() >= 3 : looksSecret(value)) {
                out.add(new PiiSpan(a.start(4), a.end(4), PiiType.CREDENTIAL, symbolic ? 0.95 : 0.85));
            }
        }
        Matcher t = TOKEN.matcher(text);
        while (t.find()) {
            String v = t.group();
            if (hasLetterAndDigit(v) && entropy(v) >= 4.0 && mixedCaseOrSymbols(v)) {
                out.add(new PiiSpan(t.start(), t.end(), PiiType.CREDENTIAL, 0.7));
            }
        }
        return out;
    }

    private static boolean looksSecret(String v) {
        if (v.length() < 4) {
            return false;
        }
        boolean digit = v.chars().anyMatch(Character::isDigit);
        boolean symbol = v.chars().anyMatch(c -> !Character.isLetterOrDigit(c));
        boolean upperInside = v.substring(1).chars().anyMatch(Character::isUpperCase);
        return digit || symbol || upperInside;
    }

    private static boolean hasLetterAndDigit(String v) {
        return v.chars().anyMatch(Character::isLetter) && v.chars().anyMatch(Character::isDigit);
    }

    private static boolean mixedCaseOrSymbols(String v) {
        boolean upper = v.chars().anyMatch(Character::isUpperCase);
        boolean lower = v.chars().anyMatch(Character::isLowerCase);
        return (upper && lower) || v.length() >= 32;
    }

    /** Shannon entropy in bits per character. */
    static double entropy(String v) {
        int[] counts = new int[128];
        int other = 0;
        for (char c : v.toCharArray()) {
            if (c < 128) {
                counts[c]++;
            } else {
                other++;
            }
        }
        double h = 0;
        int n = v.length();
        for (int c : counts) {
            if (c > 0) {
                double p = (double) c / n;
                h -= p * Math.log(p) / Math.log(2);
            }
        }
        if (other > 0) {
            double p = (double) other / n;
            h -= p * Math.log(p) / Math.log(2);
        }
        return h;
    }
}
