package dev.opencx.channel.email;

import static dev.opencx.channel.email.MailRig.ANA;
import static dev.opencx.channel.email.MailRig.SUPPORT;
import static dev.opencx.channel.email.MailRig.header;
import static dev.opencx.channel.email.MailRig.subject;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.opencx.OpenCx;
import dev.opencx.conversation.Attachment;
import dev.opencx.conversation.Message;
import dev.opencx.conversation.Session;
import dev.opencx.conversation.SessionState;
import dev.opencx.store.InMemoryConversationStore;
import dev.opencx.test.RecordingHelpdesk;
import jakarta.mail.internet.MimeMessage;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A whole conversation over real SMTP and IMAP (GreenMail) through the real pipeline: the AI
 * answers in the customer's thread, the customer's reply lands in the same session, a handoff
 * follows and the agent's reply reaches the customer by mail.
 */
class EmailConversationTest {
    private final MailRig rig = new MailRig();
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

    @Test
    void answers_in_the_thread_continues_the_session_hands_off_and_mails_the_agents_reply() throws Exception {
        cx = Pipelines.openCx(rig.channel(EmailCursorStore.inMemory()).build(), store, helpdesk);

        long t0 = System.nanoTime();
        String first =
                rig.send("Ana Souza <" + ANA + ">", "Order 1234 missing", "Hello,\nwhere is my order 1234?\nAna");
        MimeMessage answer = rig.awaitMailsTo(ANA, 1).get(0);
        System.out.printf(
                "[figures] IDLE: customer mail sent -> AI answer in the customer's mailbox: %d ms (incl. first connect)%n",
                (System.nanoTime() - t0) / 1_000_000);

        Session session = Pipelines.sessions(store).get(0);
        assertThat(session.threadId())
                .as("the thread root is the customer's first mail")
                .isEqualTo(first);
        assertThat(answer.getFrom()[0].toString()).contains(SUPPORT).contains("Shop Support");
        assertThat(subject(answer)).isEqualTo("Re: Order 1234 missing [" + session.ticket() + "]");
        assertThat(header(answer, "In-Reply-To")).isEqualTo(first);
        assertThat(header(answer, "References")).contains(first);
        String ours = header(answer, "Message-ID");
        assertThat(ours).matches("<ocx\\.[A-Za-z0-9_-]+\\." + session.id() + "@shop\\.example>");
        assertThat(header(answer, "Auto-Submitted")).isEqualTo("auto-replied");
        assertThat(header(answer, "X-Auto-Response-Suppress")).isEqualTo("All");
        assertThat(MailRig.body(answer)).contains(Pipelines.ANSWER);
        // the subject opens the conversation's text; the contact is the sender with the From name
        Message stored = Pipelines.customerMessages(store, session.id()).get(0);
        assertThat(stored.text()).startsWith("Order 1234 missing\n\nHello,");
        assertThat(stored.externalId()).isEqualTo(first);
        assertThat(store.contact(session.contactId()).orElseThrow().identities())
                .extracting(i -> i.value())
                .containsExactly(ANA);
        assertThat(stored.attachments())
                .extracting(Attachment::name, Attachment::contentType)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("original.eml", "message/rfc822"));

        // the customer replies in the thread, asking for a human
        long t1 = System.nanoTime();
        String second = rig.send(
                "Ana Souza <" + ANA + ">",
                "Re: Order 1234 missing [" + session.ticket() + "]",
                "Thanks. Can I talk to a human please?\n\nOn Monday Shop Support wrote:\n> Your order ships tomorrow.",
                "In-Reply-To: " + ours,
                "References: " + first + " " + ours);
        MimeMessage notice = rig.awaitMailsTo(ANA, 2).get(1);
        System.out.printf(
                "[figures] IDLE: reply in the thread -> handoff notice in the customer's mailbox: %d ms%n",
                (System.nanoTime() - t1) / 1_000_000);
        await().atMost(MailRig.WAIT)
                .until(() -> helpdesk.ticket(session.ticket()).isPresent());
        assertThat(Pipelines.sessions(store)).hasSize(1);
        assertThat(Pipelines.customerMessages(store, session.id()))
                .extracting(Message::externalId)
                .containsExactly(first, second);
        assertThat(store.session(session.id()).orElseThrow().state()).isEqualTo(SessionState.HANDED_OFF);
        assertThat(header(notice, "In-Reply-To")).isEqualTo(second);
        assertThat(header(notice, "References")).startsWith(first).endsWith(second);
        assertThat(subject(notice)).isEqualTo("Re: Order 1234 missing [" + session.ticket() + "]");

        // the agent answers from the helpdesk: a human's mail, without Auto-Submitted
        helpdesk.agent().agentReplied(session.ticket(), "maria", "Hi Ana, Maria here. I found your parcel.", "reply-1");
        MimeMessage agent = rig.awaitMailsTo(ANA, 3).get(2);
        assertThat(MailRig.body(agent)).contains("Maria here. I found your parcel.");
        assertThat(header(agent, "Auto-Submitted")).isNull();
        assertThat(header(agent, "In-Reply-To")).isEqualTo(second);
        assertThat(header(agent, "Message-ID")).endsWith("." + session.id() + "@shop.example>");

        // the customer answers the agent: forwarded to the helpdesk, the AI stays silent
        rig.send(
                ANA,
                "Re: Order 1234 missing [" + session.ticket() + "]",
                "Great, thank you Maria!",
                "In-Reply-To: " + header(agent, "Message-ID"),
                "References: " + first + " " + header(agent, "Message-ID"));
        await().atMost(MailRig.WAIT).until(() -> helpdesk.appended().size() == 1);
        assertThat(helpdesk.appended().get(0).text()).contains("Great, thank you Maria!");
        assertThat(Pipelines.sessions(store)).hasSize(1);
        assertThat(cx.awaitIdle(java.time.Duration.ofSeconds(10))).isTrue();
        assertThat(rig.mailsTo(ANA)).hasSize(3);
        List<String> subjects = rig.mailsTo(ANA).stream().map(MailRig::subject).toList();
        assertThat(subjects).allMatch(s -> s.equals("Re: Order 1234 missing [" + session.ticket() + "]"));
    }

    @Test
    void polls_when_idle_is_off() {
        cx = Pipelines.openCx(
                rig.channel(EmailCursorStore.inMemory()).idle(false).build(), store, helpdesk);

        long t0 = System.nanoTime();
        String id = rig.send(ANA, "Shipping to Canada?", "Do you ship to Canada?");

        MimeMessage answer = rig.awaitMailsTo(ANA, 1).get(0);
        System.out.printf(
                "[figures] polling every 200 ms: customer mail sent -> AI answer in the customer's mailbox: %d ms%n",
                (System.nanoTime() - t0) / 1_000_000);
        assertThat(header(answer, "In-Reply-To")).isEqualTo(id);
        assertThat(MailRig.body(answer)).contains(Pipelines.ANSWER);
    }

    @Test
    void after_a_restart_a_reply_finds_the_threads_subject_in_the_mailbox() {
        EmailCursorStore cursors = EmailCursorStore.inMemory();
        cx = Pipelines.openCx(rig.channel(cursors).build(), store, helpdesk);
        rig.send(ANA, "Lost parcel", "Please connect me with a human.");
        rig.awaitMailsTo(ANA, 1);
        Session s = Pipelines.sessions(store).get(0);
        cx.close();

        // a new process: the subject of the thread is no longer in memory
        cx = Pipelines.openCx(rig.channel(cursors).build(), store, helpdesk);
        helpdesk.agent().agentReplied(s.ticket(), "maria", "We found it.", "after-restart-1");

        MimeMessage agent = rig.awaitMailsTo(ANA, 2).get(1);
        assertThat(subject(agent)).isEqualTo("Re: Lost parcel [" + s.ticket() + "]");
    }

    @Test
    void idle_is_renewed_on_the_same_connection_and_still_hears_new_mail() throws Exception {
        try (TcpGate imap = new TcpGate(rig.imapPort())) {
            EmailChannel channel = rig.channel(EmailCursorStore.inMemory())
                    .imap("127.0.0.1", imap.port(), MailSecurity.NONE)
                    .idleRefresh(java.time.Duration.ofMillis(300))
                    .build();
            cx = Pipelines.openCx(channel, store, helpdesk);
            rig.send(ANA, "First", "First question?");
            rig.awaitMailsTo(ANA, 1);
            int connections = imap.connections();
            long idles = channel.idlesIssued();

            Thread.sleep(2000); // several IDLEs ended by the refresh and issued again
            assertThat(channel.idlesIssued() - idles).as("IDLEs issued again").isGreaterThanOrEqualTo(3);

            rig.send(ANA, "Second", "Second question?");
            rig.awaitMailsTo(ANA, 2);
            // renewals stay on the connection: at least three IDLEs, at most one reconnect (a read
            // timeout on a loaded machine reconnects, by design, without losing the mail)
            long renewals = channel.idlesIssued() - idles;
            assertThat(imap.connections() - connections)
                    .as("IMAP connections opened during %d IDLE renewals", renewals)
                    .isLessThanOrEqualTo(1)
                    .isLessThan((int) renewals);
        }
    }
}
