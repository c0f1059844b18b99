package dev.opencx.channel.email;

/** How a connection to the mail server is protected. */
public enum MailSecurity {
    /** TLS from the first byte (IMAP port 993, SMTP port 465). */
    TLS,
    /** A plain connection upgraded with STARTTLS, which the server must offer (IMAP 143, SMTP 587). */
    STARTTLS,
    /** No encryption: for a server on the same machine or in tests only. */
    NONE;

    int defaultImapPort() {
        return this == TLS ? 993 : 143;
    }

    int defaultSmtpPort() {
        return switch (this) {
            case TLS -> 465;
            case STARTTLS -> 587;
            case NONE -> 25;
        };
    }
}
