package dev.opencx.conversation;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The name of a channel: {@code web}, {@code phone}, {@code email}, {@code whatsapp}, {@code sms},
 * {@code slack}, {@code api}, or any lower-case name of your own ({@code console}, {@code kiosk}).
 */
public record ChannelId(@JsonValue String value) {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]{0,31}");

    public static final ChannelId WEB = new ChannelId("web");
    public static final ChannelId PHONE = new ChannelId("phone");
    public static final ChannelId EMAIL = new ChannelId("email");
    public static final ChannelId WHATSAPP = new ChannelId("whatsapp");
    public static final ChannelId SMS = new ChannelId("sms");
    public static final ChannelId SLACK = new ChannelId("slack");
    public static final ChannelId API = new ChannelId("api");
    public static final ChannelId CONSOLE = new ChannelId("console");

    public ChannelId {
        Objects.requireNonNull(value, "channel id");
        if (!NAME.matcher(value).matches()) {
            throw new IllegalArgumentException(
                    "channel id must be lower-case letters, digits, '-' or '_' (at most 32), was '" + value + "'");
        }
    }

    @JsonCreator
    public static ChannelId of(String value) {
        return new ChannelId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
