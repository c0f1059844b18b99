package dev.opencx.channel.email;

import dev.opencx.channel.Channel;
import dev.opencx.channel.ChannelCapabilities;
import dev.opencx.channel.ChannelContext;
import dev.opencx.channel.DeliveryReceipt;
import dev.opencx.channel.OutboundMessage;
import dev.opencx.conversation.Attachment;
import dev.opencx.conversation.ChannelId;
import dev.opencx.conversation.IdentityType;
import dev.opencx.i18n.Notices;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Part;
import jakarta.mail.Store;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.search.MessageIDTerm;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The e-mail channel ({@code email}): reads a mailbox over IMAP and answers over SMTP, with Jakarta
 * Mail (Eclipse Angus).
 *
 * <pre>{@code
 * EmailChannel email = EmailChannel.builder()
 *         .imap("imap.gmail.com", 993, MailSecurity.TLS)
 *         .smtp("smtp.gmail.com", 587, MailSecurity.STARTTLS)
 *         .credentials("support@shop.example", System.getenv("MAIL_APP_PASSWORD"))
 *         .address("support@shop.example")
 *         .displayName("Shop Support")
 *         .cursorStore(EmailCursorStore.file(Path.of("data/email-cursor.properties")))
 *         .build();
 * OpenCx cx = OpenCx.builder().channel(email).knowledge(knowledge).build();
 * }</pre>
 *
 * <p><b>Receiving.</b> A thread of its own ({@code opencx-email-imap-<id>}) reads the folder with
 * IDLE when the server offers it and polls otherwise, and connects again with exponential backoff
 * after a drop. Mails are handled in UID order; the {@link EmailCursor} (UIDVALIDITY and last UID)
 * moves past a mail only once OpenCX has stored it, and the mail's Message-ID is its external id,
 * so a mail read twice (a crash between storing and saving the cursor) is stored once. The mailbox
 * is opened read-only: the channel never changes it.
 *
 * <p><b>Threading.</b> Our mails carry the Message-ID {@code <ocx.MESSAGE.SESSION@domain>}; a reply
 * that names one in {@code In-Reply-To}/{@code References} continues that session; else a {@code
 * [#1042]} ticket token in the subject, else a plus address {@code support+1042@domain}, else the
 * mail's own thread (the first id of {@code References}). A hint only counts for the session's own
 * contact.
 *
 * <p><b>Machine mail</b> (RFC 3834 {@code Auto-Submitted}, {@code Precedence: bulk|list|junk},
 * mailing lists, empty {@code Return-Path}, {@code MAILER-DAEMON}/{@code noreply} senders, {@code
 * X-Autoreply}, {@code X-Autorespond}, {@code X-Auto-Response-Suppress}, our own mails) is never
 * stored nor answered; a bounce of one of our mails is recorded as {@code DeliveryUpdated(FAILED)} in
 * its session. A sender over the rate limit is not answered either.
 *
 * <p>Thread-safe. {@link #close()} (called by {@code OpenCx.close()}) stops reading and closes the
 * connections; idempotent.
 */
public final class EmailChannel implements Channel {
    private static final Logger LOG = LoggerFactory.getLogger(EmailChannel.class);
    /** The base name of the channel's customer-facing texts: {@code dev/opencx/channel/email/texts_<lang>.properties}. */
    public static final String TEXTS = "dev.opencx.channel.email.texts";

    private final Settings s;
    private final BodyCleaner cleaner;
    private final MailIds ids;
    private final Notices notices;
    private final ThreadSubjects subjects = new ThreadSubjects();
    private final SenderRateLimit rateLimit;
    private final ImapAccess access;
    private final SmtpSender sender;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile ChannelContext ctx;
    private volatile ImapReader reader;
    private volatile Thread readerThread;
    private volatile ScheduledExecutorService timer;

    private EmailChannel(Builder b, Settings s) {
        this.s = s;
        this.cleaner = b.cleaner;
        this.ids = new MailIds(s.messageIdDomain());
        Notices.Builder nb = Notices.builder().bundle(TEXTS, EmailChannel.class.getClassLoader());
        for (String base : b.textBundles) {
            nb.overrideBundle(
                    base,
                    Thread.currentThread().getContextClassLoader() != null
                            ? Thread.currentThread().getContextClassLoader()
                            : EmailChannel.class.getClassLoader());
        }
        this.notices = nb.build();
        this.rateLimit = new SenderRateLimit(s.rateLimitMails(), s.rateLimitWindow(), s.clock());
        this.access = new ImapAccess(s);
        this.sender = new SmtpSender(s, ids, notices, subjects, this::lookUpSubject);
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public ChannelId id() {
        return s.id();
    }

    /** Plain text (an optional simple HTML part is derived from it), threads, up to 50,000 characters. */
    @Override
    public ChannelCapabilities capabilities() {
        return new ChannelCapabilities(false, false, false, true, true, 50_000);
    }

    @Override
    public List<IdentityType> answersOn() {
        return List.of(IdentityType.EMAIL);
    }

    /** Starts reading the mailbox on the channel's own thread. */
    @Override
    public void start(ChannelContext context) {
        Objects.requireNonNull(context, "context");
        if (closed.get()) {
            throw new IllegalStateException("the e-mail channel '" + s.id() + "' is closed");
        }
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("the e-mail channel '" + s.id() + "' was already started");
        }
        this.ctx = context;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "opencx-email-timer-" + s.id());
            t.setDaemon(true);
            return t;
        });
        Intake intake = new Intake(s, context, ids, rateLimit, cleaner, subjects);
        this.reader = new ImapReader(s, access, new MailParser(cleaner), intake, timer);
        Thread t = new Thread(reader, "opencx-email-imap-" + s.id());
        t.setDaemon(true);
        this.readerThread = t;
        t.start();
    }

    /**
     * Sends one message as a mail to the contact's address. Throws a retriable {@code
     * OpenCxException} when the SMTP server is unreachable or answers 4xx, a permanent one for 5xx;
     * a message whose idempotency key was sent before is not sent again.
     */
    @Override
    public DeliveryReceipt send(OutboundMessage message) {
        Objects.requireNonNull(message, "message");
        ChannelContext c = ctx;
        if (c == null) {
            throw new IllegalStateException("the e-mail channel '" + s.id() + "' is not started: add it to an OpenCx");
        }
        return sender.send(message, c);
    }

    /**
     * The bytes of an attachment of a received mail, or of the whole mail ({@code original.eml}),
     * read from the mailbox through its IMAP URL. The mail must still be in the folder under the same
     * UIDVALIDITY.
     *
     * @param attachment an attachment this channel put on a message
     * @param maxBytes refuse a part larger than this
     * @throws IllegalArgumentException when the URL is not one of this channel's
     * @throws IllegalStateException when the mail is no longer there, or larger than {@code maxBytes}
     * @throws dev.opencx.OpenCxException (retriable) when the server cannot be reached
     */
    public byte[] readAttachment(Attachment attachment, long maxBytes) {
        ImapAccess.Location at = ImapAccess.parse(
                Objects.requireNonNull(attachment, "attachment").url());
        if (!at.authority().equalsIgnoreCase(access.authority()) || !at.folder().equals(s.folder())) {
            throw new IllegalArgumentException("the attachment is not in this channel's mailbox");
        }
        Store store = null;
        try {
            store = access.connect();
            IMAPFolder f = access.open(store);
            if (f.getUIDValidity() != at.uidValidity()) {
                throw new IllegalStateException("the folder was rebuilt (UIDVALIDITY changed): the mail is gone");
            }
            Message m = f.getMessageByUID(at.uid());
            if (m == null) {
                throw new IllegalStateException("the mail is no longer in the folder");
            }
            if (at.section().isEmpty()) {
                if (m.getSize() > maxBytes) {
                    throw new IllegalStateException("the mail is larger than " + maxBytes + " bytes");
                }
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                m.writeTo(out);
                return out.toByteArray();
            }
            Part p = MailParser.part(m, at.section());
            return MailParser.bytesOf(p, maxBytes);
        } catch (MessagingException | IOException e) {
            throw dev.opencx.OpenCxException.retriable("reading the attachment from the mailbox failed", e);
        } finally {
            closeQuietly(store);
        }
    }

    /** IDLE commands the reader has issued (tests). */
    long idlesIssued() {
        ImapReader r = reader;
        return r == null ? 0 : r.idles();
    }

    /** The subject of a mail in the folder, by Message-ID (after a restart, for the "Re:" of a reply). */
    private Optional<String> lookUpSubject(String messageId) {
        Store store = null;
        try {
            store = access.connect();
            IMAPFolder f = access.open(store);
            Message[] found = f.search(new MessageIDTerm(messageId));
            for (Message m : found) {
                String subject = m.getSubject();
                if (subject != null) {
                    return Optional.of(subject.replaceAll("[\\r\\n\\t]+", " ").strip());
                }
            }
            return Optional.empty();
        } catch (MessagingException | RuntimeException e) {
            LOG.debug("{}: looking up a thread's subject failed: {}", s.id(), e.toString());
            return Optional.empty();
        } finally {
            closeQuietly(store);
        }
    }

    private static void closeQuietly(Store store) {
        if (store != null) {
            try {
                store.close();
            } catch (MessagingException | RuntimeException ignored) {
                // closing anyway
            }
        }
    }

    /** Stops reading (waits up to a few seconds for the mail in hand) and closes the connections. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        ImapReader r = reader;
        Thread t = readerThread;
        ScheduledExecutorService tm = timer;
        if (r != null) {
            r.stop();
            if (tm != null) {
                tm.execute(r::breakIdle);
            }
            if (t != null) {
                t.interrupt();
                try {
                    t.join(5_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                if (t.isAlive()) {
                    r.forceClose();
                }
            }
        }
        if (tm != null) {
            tm.shutdownNow();
        }
        sender.close();
    }

    @Override
    public String toString() {
        return "EmailChannel{" + s.id() + ", " + access.authority() + "/" + s.folder() + "}";
    }

    /**
     * Builds an {@link EmailChannel}. Required: the IMAP and SMTP servers, credentials, our address
     * and a cursor store; everything else has a default. {@link #build()} checks every setting and
     * reports all problems at once.
     */
    public static final class Builder {
        private ChannelId id = ChannelId.EMAIL;
        private String imapHost;
        private Integer imapPort;
        private MailSecurity imapSecurity = MailSecurity.TLS;
        private String imapUser;
        private String imapPassword;
        private String folder = "INBOX";
        private String smtpHost;
        private Integer smtpPort;
        private MailSecurity smtpSecurity = MailSecurity.STARTTLS;
        private String smtpUser;
        private String smtpPassword;
        private String address;
        private String displayName = "";
        private String messageIdDomain;
        private EmailCursorStore cursorStore;
        private Duration pollInterval = Duration.ofMinutes(1);
        private boolean idle = true;
        private Duration idleRefresh = Duration.ofMinutes(9);
        private Duration timeout = Duration.ofSeconds(30);
        private Duration reconnectInitial = Duration.ofSeconds(1);
        private Duration reconnectMax = Duration.ofMinutes(2);
        private int rateLimitMails = 20;
        private Duration rateLimitWindow = Duration.ofHours(1);
        private Duration backlog = Duration.ZERO;
        private boolean ticketInSubject = true;
        private boolean plusAddressing;
        private boolean htmlPart;
        private boolean keepOriginal = true;
        private boolean subjectInText = true;
        private int maxTextChars = 15_000;
        private long maxMessageBytes = 25L * 1024 * 1024;
        private final Map<String, String> mailProperties = new LinkedHashMap<>();
        private final List<String> textBundles = new ArrayList<>();
        private Clock clock = Clock.systemUTC();
        private BodyCleaner cleaner = BodyCleaner.standard();

        private Builder() {}

        /** The channel's id. Default {@link ChannelId#EMAIL}; give each of several mailboxes its own. */
        public Builder id(ChannelId id) {
            this.id = id;
            return this;
        }

        /** The IMAP server. Default security {@link MailSecurity#TLS} (port 993). */
        public Builder imap(String host, int port, MailSecurity security) {
            this.imapHost = host;
            this.imapPort = port;
            this.imapSecurity = security;
            return this;
        }

        /** The IMAP server on the default port of its security (993 for TLS, 143 otherwise). */
        public Builder imap(String host, MailSecurity security) {
            this.imapHost = host;
            this.imapPort = null;
            this.imapSecurity = security;
            return this;
        }

        /** The SMTP server. Default security {@link MailSecurity#STARTTLS} (port 587). */
        public Builder smtp(String host, int port, MailSecurity security) {
            this.smtpHost = host;
            this.smtpPort = port;
            this.smtpSecurity = security;
            return this;
        }

        /** The SMTP server on the default port of its security (465 for TLS, 587 for STARTTLS, 25 for none). */
        public Builder smtp(String host, MailSecurity security) {
            this.smtpHost = host;
            this.smtpPort = null;
            this.smtpSecurity = security;
            return this;
        }

        /** The same user and password for IMAP and SMTP (usual for one mailbox). */
        public Builder credentials(String user, String password) {
            imapCredentials(user, password);
            return smtpCredentials(user, password);
        }

        public Builder imapCredentials(String user, String password) {
            this.imapUser = user;
            this.imapPassword = password;
            return this;
        }

        /** SMTP login; an empty user sends without authentication (a local relay). */
        public Builder smtpCredentials(String user, String password) {
            this.smtpUser = user;
            this.smtpPassword = password;
            return this;
        }

        /** The folder to read. Default {@code INBOX}. */
        public Builder folder(String folder) {
            this.folder = folder;
            return this;
        }

        /** Our address: the {@code From} of our mails, and how our own mails are recognised. Required. */
        public Builder address(String address) {
            this.address = address;
            return this;
        }

        /** The name shown with our address ({@code Shop Support}). Default none. */
        public Builder displayName(String name) {
            this.displayName = name;
            return this;
        }

        /** The domain of our Message-IDs. Default: the domain of {@link #address}. */
        public Builder messageIdDomain(String domain) {
            this.messageIdDomain = domain;
            return this;
        }

        /** Where the read position is kept across restarts. Required: see {@link EmailCursorStore#file}. */
        public Builder cursorStore(EmailCursorStore store) {
            this.cursorStore = store;
            return this;
        }

        /** How often to look for new mail when the server has no IDLE (or it is turned off). Default 1 minute. */
        public Builder pollInterval(Duration interval) {
            this.pollInterval = interval;
            return this;
        }

        /** Use IMAP IDLE when the server offers it. Default true. */
        public Builder idle(boolean on) {
            this.idle = on;
            return this;
        }

        /** How long one IDLE lasts before it is re-issued (servers drop idle connections after 10 to 30 minutes). Default 9 minutes. */
        public Builder idleRefresh(Duration refresh) {
            this.idleRefresh = refresh;
            return this;
        }

        /** Connect, read and write timeout of IMAP and SMTP. Default 30 seconds. */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /** The wait before connecting again after a drop, doubled up to {@code max}. Default 1 second to 2 minutes. */
        public Builder reconnectBackoff(Duration initial, Duration max) {
            this.reconnectInitial = initial;
            this.reconnectMax = max;
            return this;
        }

        /**
         * At most {@code mails} mails per sender within {@code window} are taken in; more are left in
         * the mailbox unanswered (a loop with another robot, a flood). Default 20 per hour.
         */
        public Builder rateLimit(int mails, Duration window) {
            this.rateLimitMails = mails;
            this.rateLimitWindow = window;
            return this;
        }

        /**
         * On the very first start (no cursor yet), also read the mails received this long before the
         * start. Default zero: only mail that arrives from then on.
         */
        public Builder backlog(Duration backlog) {
            this.backlog = backlog;
            return this;
        }

        /** Put the ticket token {@code [#1042]} in the subject of our mails. Default true. */
        public Builder ticketInSubject(boolean on) {
            this.ticketInSubject = on;
            return this;
        }

        /**
         * Set {@code Reply-To: local+1042@domain} on our mails, so that a reply finds its session
         * even when the customer's program drops the threading headers. Only when your mail server
         * delivers plus addresses to the mailbox (Gmail, Office 365 and most servers do). Default false.
         */
        public Builder plusAddressing(boolean on) {
            this.plusAddressing = on;
            return this;
        }

        /** Add a simple HTML part (paragraphs and links) beside the plain text. Default false. */
        public Builder htmlPart(boolean on) {
            this.htmlPart = on;
            return this;
        }

        /** Reference the whole mail from the message as an attachment {@code original.eml}. Default true. */
        public Builder keepOriginal(boolean on) {
            this.keepOriginal = on;
            return this;
        }

        /** Start the text of a new conversation with its subject (often the question itself). Default true. */
        public Builder subjectInText(boolean on) {
            this.subjectInText = on;
            return this;
        }

        /** Longest text taken from a mail; the rest stays in the mailbox. Default 15,000 (below OpenCX's 16,000). */
        public Builder maxTextChars(int max) {
            this.maxTextChars = max;
            return this;
        }

        /** Mails up to this size are downloaded whole; larger ones are read part by part. Default 25 MB. */
        public Builder maxMessageBytes(long max) {
            this.maxMessageBytes = max;
            return this;
        }

        /**
         * A Jakarta Mail property for IMAP or SMTP ({@code mail.imap.*}, {@code mail.smtp.*},
         * {@code mail.mime.*}), e.g. {@code mail.imap.ssl.trust}.
         */
        public Builder mailProperty(String key, String value) {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
            this.mailProperties.put(key, value);
            return this;
        }

        /**
         * Your own bundle of the channel's texts ({@code email_subject}, {@code email_sources}), ahead
         * of the channel's: {@code <baseName>_<lang>.properties} on the class path.
         */
        public Builder texts(String baseName) {
            this.textBundles.add(Objects.requireNonNull(baseName, "baseName"));
            return this;
        }

        /** The clock of the rate limit and the Date header. Default the system clock. */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** Replaces the reply extraction (tests). */
        Builder bodyCleaner(BodyCleaner cleaner) {
            this.cleaner = Objects.requireNonNull(cleaner, "cleaner");
            return this;
        }

        /**
         * @throws IllegalArgumentException naming every missing or bad setting
         */
        public EmailChannel build() {
            List<String> problems = new ArrayList<>();
            if (id == null) {
                problems.add("id is null");
            }
            requireHost(problems, "imap host", imapHost);
            requireHost(problems, "smtp host", smtpHost);
            if (imapSecurity == null) {
                problems.add("imap security is null");
            }
            if (smtpSecurity == null) {
                problems.add("smtp security is null");
            }
            int iPort = imapPort != null ? imapPort : imapSecurity != null ? imapSecurity.defaultImapPort() : 0;
            int sPort = smtpPort != null ? smtpPort : smtpSecurity != null ? smtpSecurity.defaultSmtpPort() : 0;
            checkPort(problems, "imap port", iPort);
            checkPort(problems, "smtp port", sPort);
            if (imapUser == null || imapUser.isBlank()) {
                problems.add("imap user is missing: call credentials(user, password) or imapCredentials(...)");
            }
            if (imapPassword == null || imapPassword.isEmpty()) {
                problems.add("imap password is missing");
            }
            String sUser = smtpUser == null ? "" : smtpUser.strip();
            if (smtpUser == null) {
                problems.add("smtp user is missing: call credentials(user, password) or smtpCredentials(...)"
                        + " (an empty user sends without login)");
            } else if (!sUser.isEmpty() && (smtpPassword == null || smtpPassword.isEmpty())) {
                problems.add("smtp password is missing for smtp user '" + sUser + "'");
            }
            if (folder == null || folder.isBlank()) {
                problems.add("folder is blank");
            }
            String addr = null;
            if (address == null || address.isBlank()) {
                problems.add("address (our e-mail address) is missing");
            } else {
                try {
                    InternetAddress a = new InternetAddress(address.strip(), true);
                    a.validate();
                    addr = a.getAddress();
                    if (a.getPersonal() != null || !addr.contains("@")) {
                        problems.add("address must be a bare address like support@shop.example, was '" + address + "'");
                        addr = null;
                    }
                } catch (AddressException e) {
                    problems.add("address is not an e-mail address: '" + address + "'");
                }
            }
            String domain = messageIdDomain != null
                    ? messageIdDomain.strip()
                    : addr != null ? addr.substring(addr.lastIndexOf('@') + 1) : null;
            if (domain != null && !domain.matches("[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?")) {
                problems.add("messageIdDomain must be a domain name like shop.example, was '" + domain + "'");
            }
            if (displayName == null) {
                problems.add("displayName is null (use \"\" for none)");
            } else if (displayName.chars().anyMatch(Character::isISOControl)) {
                problems.add("displayName has a control character");
            }
            if (cursorStore == null) {
                problems.add("cursorStore is missing: EmailCursorStore.file(Path.of(\"data/email-cursor.properties\"))"
                        + " keeps the read position across restarts (EmailCursorStore.inMemory() for tests)");
            }
            checkDuration(problems, "pollInterval", pollInterval, Duration.ofMillis(100), Duration.ofHours(24));
            checkDuration(problems, "idleRefresh", idleRefresh, Duration.ofMillis(100), Duration.ofMinutes(29));
            checkDuration(problems, "timeout", timeout, Duration.ofMillis(100), Duration.ofMinutes(10));
            checkDuration(
                    problems,
                    "reconnect initial backoff",
                    reconnectInitial,
                    Duration.ofMillis(10),
                    Duration.ofHours(1));
            checkDuration(problems, "reconnect max backoff", reconnectMax, Duration.ofMillis(10), Duration.ofHours(24));
            if (reconnectInitial != null && reconnectMax != null && reconnectMax.compareTo(reconnectInitial) < 0) {
                problems.add("reconnect max backoff (" + reconnectMax + ") is below the initial one ("
                        + reconnectInitial + ")");
            }
            if (rateLimitMails < 1) {
                problems.add("rateLimit mails must be >= 1, was " + rateLimitMails);
            }
            checkDuration(problems, "rateLimit window", rateLimitWindow, Duration.ofSeconds(1), Duration.ofDays(30));
            if (backlog == null || backlog.isNegative() || backlog.compareTo(Duration.ofDays(3650)) > 0) {
                problems.add("backlog must be from 0 to 3650 days, was " + backlog);
            }
            if (maxTextChars < 100 || maxTextChars > 1_000_000) {
                problems.add("maxTextChars must be from 100 to 1,000,000, was " + maxTextChars);
            }
            if (maxMessageBytes < 1024) {
                problems.add("maxMessageBytes must be at least 1024, was " + maxMessageBytes);
            }
            if (clock == null) {
                problems.add("clock is null");
            }
            for (String k : mailProperties.keySet()) {
                if (!k.startsWith("mail.imap.") && !k.startsWith("mail.smtp.") && !k.startsWith("mail.mime.")) {
                    problems.add("mailProperty '" + k + "' is not a mail.imap.*, mail.smtp.* or mail.mime.* property");
                }
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException("EmailChannel settings are invalid: " + String.join("; ", problems));
            }
            warnIfCleartext("IMAP", imapHost, imapSecurity);
            warnIfCleartext("SMTP", smtpHost, smtpSecurity);
            Settings s = new Settings(
                    id,
                    imapHost.strip(),
                    iPort,
                    imapSecurity,
                    imapUser.strip(),
                    imapPassword,
                    folder.strip(),
                    smtpHost.strip(),
                    sPort,
                    smtpSecurity,
                    sUser,
                    smtpPassword == null ? "" : smtpPassword,
                    addr.toLowerCase(java.util.Locale.ROOT),
                    displayName.strip(),
                    domain.toLowerCase(java.util.Locale.ROOT),
                    cursorStore,
                    pollInterval,
                    idle,
                    idleRefresh,
                    timeout,
                    reconnectInitial,
                    reconnectMax,
                    rateLimitMails,
                    rateLimitWindow,
                    backlog,
                    ticketInSubject,
                    plusAddressing,
                    htmlPart,
                    keepOriginal,
                    subjectInText,
                    maxTextChars,
                    maxMessageBytes,
                    Map.copyOf(mailProperties),
                    clock);
            return new EmailChannel(this, s);
        }

        private static void requireHost(List<String> problems, String name, String host) {
            if (host == null || host.isBlank()) {
                problems.add(name + " is missing");
            } else if (!host.strip().matches("[A-Za-z0-9.:\\[\\]-]+")) {
                problems.add(name + " is not a host name or address: '" + host + "'");
            }
        }

        private static void checkPort(List<String> problems, String name, int port) {
            if (port < 1 || port > 65535) {
                problems.add(name + " must be from 1 to 65535, was " + port);
            }
        }

        private static void checkDuration(List<String> problems, String name, Duration d, Duration min, Duration max) {
            if (d == null || d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                problems.add(name + " must be from " + min + " to " + max + ", was " + d);
            }
        }

        private static void warnIfCleartext(String what, String host, MailSecurity security) {
            if (security != MailSecurity.NONE) {
                return;
            }
            boolean loopback;
            try {
                loopback = InetAddress.getByName(host.strip()).isLoopbackAddress();
            } catch (IOException | RuntimeException e) {
                loopback = false;
            }
            if (!loopback) {
                LOG.warn(
                        "{} to {} is not encrypted (MailSecurity.NONE): passwords and mails cross the network in clear",
                        what,
                        host.strip());
            }
        }
    }
}
