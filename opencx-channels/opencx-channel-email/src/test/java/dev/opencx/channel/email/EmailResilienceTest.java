package dev.opencx.channel.email;

import static dev.opencx.channel.email.MailRig.ANA;
import static dev.opencx.channel.email.MailRig.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.opencx.OpenCx;
import dev.opencx.conversation.Message;
import dev.opencx.conversation.Session;
import dev.opencx.pipeline.Step;
import dev.opencx.store.InMemoryConversationStore;
import dev.opencx.test.RecordingHelpdesk;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing lost, nothing answered twice: when the SMTP server is down, when the IMAP connection
 * drops, when the IMAP server restarts with a rebuilt mailbox, and when the process dies between
 * fetching a mail and storing it (or between storing it and saving the cursor).
 */
class EmailResilienceTest {
    @TempDir
    Path dir;

    private MailRig rig = new MailRig();
    private final InMemoryConversationStore store = new InMemoryConversationStore();
    private final RecordingHelpdesk helpdesk = new RecordingHelpdesk();
    private OpenCx cx;

    @AfterEach
    void tearDown() {
        if (cx != null) {
            cx.close();
        }
        rig.close();
    }

    private static List<String> bodies(List<MimeMessage> mails) {
        return mails.stream().map(MailRig::body).map(String::strip).toList();
    }

    @Test
    void replies_queued_while_smtp_is_down_are_delivered_later_in_order() throws Exception {
        try (TcpGate smtp = new TcpGate(rig.smtpPort())) {
            EmailChannel channel = rig.channel(EmailCursorStore.inMemory())
                    .smtp("127.0.0.1", smtp.port(), MailSecurity.NONE)
                    .build();
            cx = Pipelines.openCx(channel, store, helpdesk);
            rig.send(ANA, "Help", "I need a human, please.");
            rig.awaitMailsTo(ANA, 1); // the handoff notice
            Session s = Pipelines.sessions(store).get(0);

            smtp.shut();
            for (String text : List.of("One: we are on it.", "Two: found it.", "Three: shipped.")) {
                helpdesk.agent().agentReplied(s.ticket(), "maria", text, "r-" + text.substring(0, text.indexOf(':')));
            }
            Thread.sleep(1500); // several delivery attempts fail meanwhile
            assertThat(rig.mailsTo(ANA)).hasSize(1);

            smtp.open();
            List<MimeMessage> mails = rig.awaitMailsTo(ANA, 4);
            assertThat(bodies(mails.subList(1, 4)))
                    .containsExactly("One: we are on it.", "Two: found it.", "Three: shipped.");
            assertThat(cx.awaitIdle(Duration.ofSeconds(10))).isTrue();
            assertThat(rig.mailsTo(ANA)).hasSize(4);
        }
    }

    @Test
    void a_dropped_imap_connection_is_resumed_without_losing_or_repeating_mail() throws Exception {
        try (TcpGate imap = new TcpGate(rig.imapPort())) {
            EmailChannel channel = rig.channel(EmailCursorStore.inMemory())
                    .imap("127.0.0.1", imap.port(), MailSecurity.NONE)
                    .build();
            cx = Pipelines.openCx(channel, store, helpdesk);
            rig.send(ANA, "Question 1", "First question?");
            rig.awaitMailsTo(ANA, 1);

            imap.shut(); // the server goes away mid-IDLE
            rig.send(ANA, "Question 2", "Second question?");
            rig.send(ANA, "Question 3", "Third question?");
            Thread.sleep(1500); // reconnect attempts are refused meanwhile
            int before = imap.connections();
            imap.open();

            List<MimeMessage> mails = rig.awaitMailsTo(ANA, 3);
            assertThat(imap.connections()).isGreaterThan(before);
            assertThat(cx.awaitIdle(Duration.ofSeconds(10))).isTrue();
            Thread.sleep(500);
            assertThat(rig.mailsTo(ANA)).hasSize(3);
            assertThat(bodies(mails)).allMatch(b -> b.startsWith(Pipelines.ANSWER));
            assertThat(Pipelines.allCustomerMessages(store)).hasSize(3);
        }
    }

    @Test
    void an_imap_server_restarting_with_a_rebuilt_mailbox_loses_nothing_and_answers_nothing_twice() throws Exception {
        EmailCursorStore cursors = EmailCursorStore.file(dir.resolve("cursor.properties"));
        cx = Pipelines.openCx(rig.channel(cursors).build(), store, helpdesk);
        String first = rig.send(ANA, "Order 77", "Where is order 77?");
        MimeMessage answer = rig.awaitMailsTo(ANA, 1).get(0);
        String firstRaw = raw(rig.mail.getReceivedMessages()[0]);
        long validityBefore = cursors.load(EmailLoopProtectionTest.cursorKey(null))
                .orElseThrow()
                .uidValidity();

        // the server stops and comes back on the same ports with its mailbox rebuilt (a new UIDVALIDITY)
        int smtpPort = rig.smtpPort();
        int imapPort = rig.imapPort();
        rig.stop();
        Thread.sleep(1100); // GreenMail's UIDVALIDITY is the folder's creation second
        rig = new MailRig(smtpPort, imapPort);
        rig.deliverRaw(firstRaw); // the old mail is back, under a new UID
        String second = rig.send(
                ANA,
                "Re: Order 77",
                "And order 78?",
                "In-Reply-To: " + header(answer, "Message-ID"),
                "References: " + first + " " + header(answer, "Message-ID"));

        MimeMessage next = rig.awaitMailsTo(ANA, 1).get(0);
        assertThat(header(next, "In-Reply-To")).isEqualTo(second);
        assertThat(cx.awaitIdle(Duration.ofSeconds(10))).isTrue();
        await().atMost(MailRig.WAIT)
                .until(() -> cursors.load(EmailLoopProtectionTest.cursorKey(null))
                                .orElseThrow()
                                .lastUid()
                        == 2);
        Thread.sleep(500);
        assertThat(cursors.load(EmailLoopProtectionTest.cursorKey(null))
                        .orElseThrow()
                        .uidValidity())
                .isNotEqualTo(validityBefore);
        assertThat(rig.mailsTo(ANA)).as("the old mail is not answered again").hasSize(1);
        assertThat(Pipelines.sessions(store)).hasSize(1);
        assertThat(Pipelines.allCustomerMessages(store))
                .extracting(Message::externalId)
                .containsExactly(first, second);
    }

    private static String raw(MimeMessage m) throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        m.writeTo(out);
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void dying_between_fetching_and_storing_a_mail_loses_nothing_and_answers_once() throws Exception {
        EmailCursorStore cursors = EmailCursorStore.file(dir.resolve("cursor.properties"));
        CountDownLatch fetched = new CountDownLatch(1);
        AtomicBoolean dead = new AtomicBoolean();
        EmailChannel first = rig.channel(cursors).build();
        cx = OpenCx.builder()
                .store(store)
                .channel(first)
                .helpdesk(helpdesk)
                .responder(Pipelines::respond)
                .interceptor(Step.PERSIST, chain -> {
                    // the process is about to store the mail: it dies here (the store never sees it)
                    fetched.countDown();
                    while (!dead.get()) {
                        try {
                            Thread.sleep(10);
                        } catch (InterruptedException e) {
                            break;
                        }
                    }
                    throw new IllegalStateException("the process died");
                })
                .build();
        rig.send(ANA, "Refund", "Where is my refund?");
        assertThat(fetched.await(20, TimeUnit.SECONDS)).isTrue();
        dead.set(true);
        first.close();
        cx.close();
        assertThat(Pipelines.allCustomerMessages(store)).isEmpty();

        // the next process, same store and cursor file
        cx = Pipelines.openCx(
                rig.channel(EmailCursorStore.file(dir.resolve("cursor.properties")))
                        .build(),
                store,
                helpdesk);

        MimeMessage answer = rig.awaitMailsTo(ANA, 1).get(0);
        assertThat(MailRig.body(answer)).contains(Pipelines.ANSWER);
        assertThat(cx.awaitIdle(Duration.ofSeconds(10))).isTrue();
        Thread.sleep(500);
        assertThat(rig.mailsTo(ANA)).hasSize(1);
        assertThat(Pipelines.allCustomerMessages(store)).hasSize(1);
    }

    @Test
    void dying_after_storing_but_before_saving_the_cursor_answers_once() throws Exception {
        Path file = dir.resolve("cursor.properties");
        EmailCursorStore durable = EmailCursorStore.file(file);
        AtomicInteger saves = new AtomicInteger();
        CountDownLatch died = new CountDownLatch(1);
        EmailCursorStore dyingAfterBaseline = new EmailCursorStore() {
            @Override
            public java.util.Optional<EmailCursor> load(String key) {
                return durable.load(key);
            }

            @Override
            public void save(String key, EmailCursor cursor) {
                if (saves.incrementAndGet()
                        > 1) { // the first save is the starting point; the next one follows the mail
                    died.countDown();
                    throw new IllegalStateException("the process died before saving the cursor");
                }
                durable.save(key, cursor);
            }
        };
        EmailChannel first = rig.channel(dyingAfterBaseline).build();
        cx = Pipelines.openCx(first, store, helpdesk);
        rig.send(ANA, "Exchange", "Can I exchange a shirt?");
        assertThat(died.await(20, TimeUnit.SECONDS)).isTrue();
        first.close(); // killed: it never saved the cursor past the mail
        assertThat(Pipelines.allCustomerMessages(store)).hasSize(1);
        rig.awaitMailsTo(ANA, 1);
        cx.close();

        cx = Pipelines.openCx(rig.channel(EmailCursorStore.file(file)).build(), store, helpdesk);
        await().atMost(MailRig.WAIT)
                .until(() -> durable.load(EmailLoopProtectionTest.cursorKey(null))
                                .orElseThrow()
                                .lastUid()
                        == 1);
        assertThat(cx.awaitIdle(Duration.ofSeconds(10))).isTrue();
        Thread.sleep(500);
        assertThat(rig.mailsTo(ANA)).as("read twice, stored and answered once").hasSize(1);
        assertThat(Pipelines.allCustomerMessages(store)).hasSize(1);
    }
}
