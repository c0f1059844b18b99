package dev.opencx.channel.email;

import jakarta.mail.FetchProfile;
import jakarta.mail.FolderClosedException;
import jakarta.mail.Message;
import jakarta.mail.MessageRemovedException;
import jakarta.mail.MessagingException;
import jakarta.mail.Store;
import jakarta.mail.UIDFolder;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.search.ComparisonTerm;
import jakarta.mail.search.ReceivedDateTerm;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Date;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reading loop, on its own thread: connect, read every mail above the cursor in UID order and
 * hand it to the {@link Intake}, move the cursor past it once handled, then wait for new mail with
 * IDLE (re-issued every {@code idleRefresh}) or by polling; after a dropped connection, connect
 * again with exponential backoff.
 */
final class ImapReader implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(ImapReader.class);
    /** How far back to read again when the folder's UIDVALIDITY changed (the store's dedupe skips what it has). */
    static final Duration RESCAN_MARGIN = Duration.ofHours(1);
    /** Times a mail may fail for an unexpected reason before it is skipped (so one mail cannot stop the channel). */
    static final int MAX_UNEXPECTED_FAILURES = 5;

    private final Settings s;
    private final ImapAccess access;
    private final MailParser parser;
    private final Intake intake;
    private final ScheduledExecutorService timer;
    private final Instant startedAt;
    private volatile boolean running = true;
    private volatile Store store;
    private volatile IMAPFolder folder;
    private volatile boolean idling;
    private final java.util.concurrent.atomic.AtomicLong idles = new java.util.concurrent.atomic.AtomicLong();
    private EmailCursor cursor;
    private long failingUid = -1;
    private int failures;

    ImapReader(Settings s, ImapAccess access, MailParser parser, Intake intake, ScheduledExecutorService timer) {
        this.s = s;
        this.access = access;
        this.parser = parser;
        this.intake = intake;
        this.timer = timer;
        this.startedAt = s.clock().instant();
    }

    @Override
    public void run() {
        Duration backoff = s.reconnectInitial();
        while (running) {
            try {
                cursor = s.cursorStore().load(s.cursorKey()).orElse(null);
                connect();
                boolean useIdle = s.idle() && ((org.eclipse.angus.mail.imap.IMAPStore) store).hasCapability("IDLE");
                LOG.info(
                        "{}: reading IMAP folder '{}' on {} ({})",
                        s.id(),
                        s.folder(),
                        access.authority(),
                        useIdle ? "IDLE" : "polling every " + s.pollInterval());
                while (running) {
                    if (!sync()) {
                        sleep(backoff);
                        backoff = next(backoff);
                        continue;
                    }
                    backoff = s.reconnectInitial();
                    if (useIdle) {
                        idle();
                    } else {
                        sleep(s.pollInterval());
                        folder.getMessageCount(); // a NOOP: the server tells of new mail
                    }
                }
            } catch (InterruptedException e) {
                if (running) {
                    Thread.currentThread().interrupt();
                }
                break;
            } catch (MessagingException | RuntimeException e) {
                if (!running) {
                    break;
                }
                LOG.warn(
                        "{}: IMAP connection to {} failed ({}); connecting again in {}",
                        s.id(),
                        access.authority(),
                        describe(e),
                        backoff);
                disconnect();
                try {
                    sleep(backoff);
                } catch (InterruptedException ie) {
                    break;
                }
                backoff = next(backoff);
            }
        }
        disconnect();
        LOG.debug("{}: IMAP reader stopped", s.id());
    }

    private Duration next(Duration d) {
        Duration doubled = d.multipliedBy(2);
        return doubled.compareTo(s.reconnectMax()) > 0 ? s.reconnectMax() : doubled;
    }

    private static String describe(Exception e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        return root == e ? m : m + " / " + root.getClass().getSimpleName();
    }

    private void connect() throws MessagingException {
        Store st = access.connect();
        store = st;
        try {
            folder = access.open(st);
        } catch (MessagingException | RuntimeException e) {
            disconnect();
            throw e;
        }
    }

    /** Waits in IDLE until the server reports a change or the refresh timer ends the IDLE. */
    private void idle() throws MessagingException {
        IMAPFolder f = folder;
        ScheduledFuture<?> refresh =
                timer.schedule(this::breakIdle, s.idleRefresh().toMillis(), TimeUnit.MILLISECONDS);
        idling = true;
        try {
            if (running) {
                idles.incrementAndGet();
                f.idle(true);
            }
        } finally {
            idling = false;
            refresh.cancel(false);
        }
    }

    /** IDLE commands issued so far (tests). */
    long idles() {
        return idles.get();
    }

    /** Ends a running IDLE (a NOOP through the folder sends DONE first): the loop syncs and idles again. */
    void breakIdle() {
        IMAPFolder f = folder;
        if (f == null || !idling) {
            return;
        }
        try {
            f.doCommand(p -> {
                p.simpleCommand("NOOP", null);
                return null;
            });
        } catch (MessagingException | RuntimeException e) {
            LOG.debug("{}: ending IDLE failed: {}", s.id(), e.toString());
        }
    }

    /**
     * Reads every mail above the cursor.
     *
     * @return false when a mail must be read again later (OpenCX could not store it)
     */
    private boolean sync() throws MessagingException, InterruptedException {
        IMAPFolder f = folder;
        long uidValidity = f.getUIDValidity();
        if (cursor == null || cursor.uidValidity() != uidValidity) {
            Instant since;
            if (cursor == null) {
                since = startedAt.minus(s.backlog());
                LOG.info("{}: first start on this folder: reading mails received since {}", s.id(), since);
            } else {
                since = cursor.lastReceived().minus(RESCAN_MARGIN);
                LOG.warn(
                        "{}: the folder's UIDVALIDITY changed from {} to {}: reading again the mails received since {}"
                                + " (those already stored are recognised by their Message-ID and not answered again)",
                        s.id(),
                        cursor.uidValidity(),
                        uidValidity,
                        since);
            }
            cursor = new EmailCursor(uidValidity, baseline(f, since), since);
            s.cursorStore().save(s.cursorKey(), cursor);
        }
        Message[] found = f.getMessagesByUID(cursor.lastUid() + 1, UIDFolder.MAXUID);
        FetchProfile fp = new FetchProfile();
        fp.add(UIDFolder.FetchProfileItem.UID);
        fp.add(FetchProfile.Item.SIZE);
        fp.add(IMAPFolder.FetchProfileItem.INTERNALDATE);
        f.fetch(found, fp);
        Message[] fresh = Arrays.stream(found)
                .filter(m -> m != null && uidOf(f, m) > cursor.lastUid())
                .sorted(Comparator.comparingLong(m -> uidOf(f, m)))
                .toArray(Message[]::new);
        for (Message m : fresh) {
            if (!running) {
                return true;
            }
            long uid = uidOf(f, m);
            Instant received = receivedOf(m);
            if (!handle(f, m, uid, uidValidity)) {
                return false;
            }
            cursor = cursor.advance(uid, received);
            s.cursorStore().save(s.cursorKey(), cursor);
        }
        return true;
    }

    /** The highest UID below the first mail received at or after {@code since}. */
    private long baseline(IMAPFolder f, Instant since) throws MessagingException {
        int count = f.getMessageCount();
        if (count == 0) {
            return 0;
        }
        Instant sinceSecond = since.truncatedTo(ChronoUnit.SECONDS);
        Message[] candidates = f.search(new ReceivedDateTerm(ComparisonTerm.GE, Date.from(since)));
        FetchProfile fp = new FetchProfile();
        fp.add(UIDFolder.FetchProfileItem.UID);
        fp.add(IMAPFolder.FetchProfileItem.INTERNALDATE);
        f.fetch(candidates, fp);
        Message first = Arrays.stream(candidates)
                .filter(m -> m.getMessageNumber() <= count)
                .sorted(Comparator.comparingInt(Message::getMessageNumber))
                .filter(m -> {
                    Instant r = receivedOf(m);
                    return r == null || !r.isBefore(sinceSecond);
                })
                .findFirst()
                .orElse(null);
        if (first == null) {
            return f.getUID(f.getMessage(count));
        }
        int seq = first.getMessageNumber();
        return seq == 1 ? 0 : f.getUID(f.getMessage(seq - 1));
    }

    /** @return false when the mail must be read again later */
    private boolean handle(IMAPFolder f, Message m, long uid, long uidValidity)
            throws MessagingException, InterruptedException {
        String where = s.id() + " " + s.folder() + " UID " + uid;
        String url = access.url(uidValidity, uid);
        long size;
        byte[] raw = null;
        MimeMessage mime;
        try {
            size = m.getSize();
            if (size >= 0 && size <= s.maxMessageBytes()) {
                ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(1024, (int) size));
                m.writeTo(out);
                raw = out.toByteArray();
            }
        } catch (MessageRemovedException e) {
            LOG.info("{}: deleted by someone else before it was read; skipped", where);
            return true;
        } catch (IOException e) {
            throw new MessagingException("reading the mail failed", e);
        }
        ParsedMail mail;
        try {
            if (raw != null) {
                try {
                    mime = new MimeMessage(access.session(), new ByteArrayInputStream(raw));
                } catch (MessagingException e) {
                    throw new MalformedMailException("the mail cannot be parsed", e);
                }
            } else {
                mime = (MimeMessage) m; // too large to download: parts are fetched as needed
            }
            mail = parser.parse(mime, raw, uidValidity + ":" + uid, receivedOf(m));
        } catch (MalformedMailException e) {
            if (raw == null && (!f.isOpen() || !store.isConnected())) {
                throw new FolderClosedException(f, "connection lost while reading a mail");
            }
            LOG.warn("{}: malformed mail skipped ({})", where, e.getMessage());
            return true;
        }
        try {
            Intake.Outcome o = intake.handle(mail, url, size, where);
            if (o == Intake.Outcome.RETRY) {
                return false;
            }
            failures = 0;
            return true;
        } catch (RuntimeException e) {
            if (failingUid != uid) {
                failingUid = uid;
                failures = 0;
            }
            failures++;
            if (failures >= MAX_UNEXPECTED_FAILURES) {
                LOG.error("{}: failed {} times, skipped", where, failures, e);
                failures = 0;
                return true;
            }
            LOG.warn("{}: failed ({}), will be read again", where, e.toString());
            return false;
        }
    }

    private static long uidOf(IMAPFolder f, Message m) {
        try {
            return f.getUID(m);
        } catch (MessagingException e) {
            return -1;
        }
    }

    private static Instant receivedOf(Message m) {
        try {
            Date d = m.getReceivedDate();
            return d == null ? null : d.toInstant();
        } catch (MessagingException e) {
            return null;
        }
    }

    private void sleep(Duration d) throws InterruptedException {
        long end = System.nanoTime() + d.toNanos();
        while (running) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                return;
            }
            synchronized (this) {
                TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)));
            }
        }
    }

    /** Stops the loop: ends an IDLE, wakes a sleep. */
    void stop() {
        running = false;
        synchronized (this) {
            notifyAll();
        }
    }

    void disconnect() {
        IMAPFolder f = folder;
        Store st = store;
        folder = null;
        store = null;
        try {
            if (f != null && f.isOpen()) {
                f.close(false);
            }
        } catch (MessagingException | RuntimeException ignored) {
            // closing anyway
        }
        try {
            if (st != null) {
                st.close();
            }
        } catch (MessagingException | RuntimeException ignored) {
            // closing anyway
        }
    }

    /** Closes the connection from another thread when the loop does not stop in time. */
    void forceClose() {
        disconnect();
    }
}
