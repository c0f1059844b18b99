package dev.opencx.channel.twilio;

import dev.opencx.connect.ProviderHttp;
import java.util.Map;

/**
 * Twilio's error codes, with a few words for the frequent ones, for exception messages and the
 * session log. Never Twilio's own {@code message}: it quotes phone numbers back.
 */
final class TwilioErrors {
    private static final Map<String, String> WORDS = Map.ofEntries(
            Map.entry("20003", "authentication failed: check the Account SID and Auth Token"),
            Map.entry("20404", "resource not found"),
            Map.entry("20429", "too many requests"),
            Map.entry("21211", "invalid 'To' phone number"),
            Map.entry("21212", "invalid 'From' number"),
            Map.entry("21408", "sending to this region is not enabled on the account"),
            Map.entry("21602", "message body is required"),
            Map.entry("21606", "'From' is not a valid sender of this account"),
            Map.entry("21610", "the recipient has unsubscribed (replied STOP)"),
            Map.entry("21612", "cannot route between these 'From' and 'To' numbers"),
            Map.entry("21614", "'To' is not a mobile number"),
            Map.entry("21617", "body exceeds the 1,600-character limit"),
            Map.entry("30003", "unreachable destination handset"),
            Map.entry("30004", "message blocked"),
            Map.entry("30005", "unknown destination handset"),
            Map.entry("30006", "landline or unreachable carrier"),
            Map.entry("30007", "filtered by the carrier"),
            Map.entry("30008", "unknown error from the carrier"),
            Map.entry("63007", "WhatsApp sender not found for this account"),
            Map.entry("63016", "outside the WhatsApp 24-hour window: only a template message can be sent"));

    private TwilioErrors() {}

    /** {@code "21211 invalid 'To' phone number"}, or the code alone, or empty for none. */
    static String describe(String code) {
        if (code == null || code.isBlank() || code.equals("null")) {
            return "";
        }
        String c = code.strip();
        if (!c.chars().allMatch(Character::isDigit) || c.length() > 6) {
            return "";
        }
        String words = WORDS.get(c);
        return words == null ? c : c + " " + words;
    }

    /** The described {@code code} of a Twilio error body ({@code {"code":21211,"message":…}}). */
    static String ofBody(String body) {
        return describe(ProviderHttp.jsonField(body, "/code").orElse(""));
    }
}
