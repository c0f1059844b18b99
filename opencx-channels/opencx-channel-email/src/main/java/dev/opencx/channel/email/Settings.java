package dev.opencx.channel.email;

import dev.opencx.conversation.ChannelId;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/** Everything an {@link EmailChannel} was built with, checked. */
record Settings(
        ChannelId id,
        String imapHost,
        int imapPort,
        MailSecurity imapSecurity,
        String imapUser,
        String imapPassword,
        String folder,
        String smtpHost,
        int smtpPort,
        MailSecurity smtpSecurity,
        String smtpUser,
        String smtpPassword,
        String address,
        String displayName,
        String messageIdDomain,
        EmailCursorStore cursorStore,
        Duration pollInterval,
        boolean idle,
        Duration idleRefresh,
        Duration timeout,
        Duration reconnectInitial,
        Duration reconnectMax,
        int rateLimitMails,
        Duration rateLimitWindow,
        Duration backlog,
        boolean ticketInSubject,
        boolean plusAddressing,
        boolean htmlPart,
        boolean keepOriginal,
        boolean subjectInText,
        int maxTextChars,
        long maxMessageBytes,
        Map<String, String> mailProperties,
        Clock clock) {

    /** Without the passwords: a record would print them. */
    @Override
    public String toString() {
        return "Settings{" + id + ", imap " + imapUser + "@" + imapHost + ":" + imapPort + "/" + folder + " ("
                + imapSecurity + "), smtp " + smtpHost + ":" + smtpPort + " (" + smtpSecurity + "), address " + address
                + "}";
    }

    /** The key of this channel's cursor: channel, mailbox and folder (not the port: a proxy in between keeps it). */
    String cursorKey() {
        return id.value() + "|" + imapUser + "@" + imapHost + "/" + folder;
    }

    /** The local part and domain of our address. */
    String local() {
        return address.substring(0, address.lastIndexOf('@'));
    }

    String domain() {
        return address.substring(address.lastIndexOf('@') + 1);
    }
}
