package dev.opencx.channel.whatsapp.internal;

import java.util.Optional;

/**
 * What the channel puts in {@code biz_opaque_callback_data} of every message it sends, so that
 * Meta's status webhooks (which echo it) name the session and the message without a lookup:
 * {@code ocx1|<sessionId>|<messageId>}. OpenCX's ids are URL-safe Base64, so {@code |} never
 * appears in them; Meta allows 512 characters.
 */
public final class CallbackData {
    private static final String PREFIX = "ocx1";

    /** Where a sent message belongs. */
    public record Route(String sessionId, String messageId) {}

    private CallbackData() {}

    public static String of(String sessionId, String messageId) {
        String s = PREFIX + "|" + sessionId + "|" + messageId;
        return s.length() <= 512 ? s : "";
    }

    /** The route in an echoed value; empty for anything this channel did not write. */
    public static Optional<Route> parse(String data) {
        if (data == null || !data.startsWith(PREFIX + "|")) {
            return Optional.empty();
        }
        String[] parts = data.split("\\|", -1);
        if (parts.length != 3 || parts[1].isEmpty() || parts[2].isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Route(parts[1], parts[2]));
    }
}
