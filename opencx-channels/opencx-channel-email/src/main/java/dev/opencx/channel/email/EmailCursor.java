package dev.opencx.channel.email;

import java.time.Instant;
import java.util.Objects;

/**
 * How far the channel has read one IMAP folder: every mail up to {@code lastUid} under {@code
 * uidValidity} is stored (or deliberately skipped), and nothing above it is.
 *
 * <p>IMAP numbers the mails of a folder with increasing UIDs that stay valid as long as the
 * folder's UIDVALIDITY does not change. When it changes (the mailbox was rebuilt or moved to
 * another server) the channel reads again the mails received since {@code lastReceived} (less a
 * margin) and relies on the Message-ID dedupe of the store to skip those it already stored.
 *
 * @param uidValidity the folder's UIDVALIDITY the UID belongs to
 * @param lastUid the highest UID handled, 0 when none
 * @param lastReceived the latest INTERNALDATE of a handled mail (or where reading started)
 */
public record EmailCursor(long uidValidity, long lastUid, Instant lastReceived) {
    public EmailCursor {
        if (uidValidity < 0 || lastUid < 0) {
            throw new IllegalArgumentException(
                    "uidValidity and lastUid must be >= 0, were " + uidValidity + " and " + lastUid);
        }
        Objects.requireNonNull(lastReceived, "lastReceived");
    }

    /** This cursor moved past one more handled mail. */
    EmailCursor advance(long uid, Instant received) {
        Instant latest = received != null && received.isAfter(lastReceived) ? received : lastReceived;
        return new EmailCursor(uidValidity, Math.max(lastUid, uid), latest);
    }
}
