package dev.opencx.store;

import dev.opencx.conversation.ChannelId;
import java.util.Objects;

/**
 * What is needed to open a session. The store assigns its id and ticket number.
 *
 * @param contactId the contact
 * @param channel the channel
 * @param threadId the channel's thread, empty when none
 * @param locale BCP 47 tag
 */
public record NewSession(String contactId, ChannelId channel, String threadId, String locale) {
    public NewSession {
        Objects.requireNonNull(contactId, "contactId");
        Objects.requireNonNull(channel, "channel");
        threadId = threadId == null ? "" : threadId;
        locale = locale == null || locale.isBlank() ? "en" : locale;
    }
}
