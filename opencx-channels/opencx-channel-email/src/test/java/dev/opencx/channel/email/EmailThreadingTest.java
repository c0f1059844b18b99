package dev.opencx.channel.email;

import static dev.opencx.channel.email.MailRig.ANA;
import static dev.opencx.channel.email.MailRig.BOB;
import static dev.opencx.channel.email.MailRig.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.opencx.OpenCx;
import dev.opencx.conversation.Message;
import dev.opencx.conversation.Session;
import dev.opencx.store.InMemoryConversationStore;
import dev.opencx.test.RecordingHelpdesk;
import jakarta.mail.internet.MimeMessage;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Which session a mail joins: our Message-IDs first, then the ticket token, then the plus address, else a new one. */
class EmailThreadingTest {
    private final MailRig rig = new MailRig();
    private final InMemoryConversationStore store = new InMemoryConversationStore();
    private OpenCx cx;

    @AfterEach
    void tearDown() {
        if (cx != null) {
            cx.close();
        }
        rig.close();
    }

    private Session start(EmailChannel.Builder b) {
        cx = Pipelines.openCx(b.build(), store, new RecordingHelpdesk());
        rig.send(ANA, "Broken zipper", "The zipper of my jacket broke.");
        rig.awaitMailsTo(ANA, 1);
        return Pipelines.sessions(store).get(0);
    }

    private List<Session> sessionsByTicket() {
        return Pipelines.sessions(store).stream()
                .sorted(Comparator.comparing(Session::ticket))
                .toList();
    }

    @Test
    void a_reply_that_lost_its_threading_headers_finds_the_session_by_the_ticket_token() {
        Session s = start(rig.channel(EmailCursorStore.inMemory()));

        rig.send(ANA, "Re: Broken zipper [" + s.ticket() + "]", "Any news?");

        rig.awaitMailsTo(ANA, 2);
        assertThat(Pipelines.sessions(store)).hasSize(1);
        assertThat(Pipelines.customerMessages(store, s.id())).hasSize(2);
    }

    @Test
    void a_mail_to_the_plus_address_finds_its_session_and_our_mails_ask_for_it() {
        Session s = start(rig.channel(EmailCursorStore.inMemory()).plusAddressing(true));
        MimeMessage answer = rig.mailsTo(ANA).get(0);
        assertThat(header(answer, "Reply-To")).contains("support+" + s.ticket().value() + "@shop.example");

        String plus = "support+" + s.ticket().value() + "@shop.example";
        rig.sendRaw(
                MailRig.mailText("<plus-1@customer.example>", ANA, plus, "another question", "And the sleeves?"), plus);

        rig.awaitMailsTo(ANA, 2);
        assertThat(Pipelines.sessions(store)).hasSize(1);
        assertThat(Pipelines.customerMessages(store, s.id()))
                .extracting(Message::externalId)
                .endsWith("<plus-1@customer.example>");
    }

    @Test
    void a_hint_to_someone_elses_session_is_ignored_and_a_mail_without_hints_opens_a_new_session() {
        Session s = start(rig.channel(EmailCursorStore.inMemory()));
        String ours = header(rig.mailsTo(ANA).get(0), "Message-ID");

        // Bob quotes Ana's thread and her ticket: he gets a session of his own
        rig.send(BOB, "Re: Broken zipper [" + s.ticket() + "]", "Is this about me?", "In-Reply-To: " + ours);
        rig.awaitMailsTo(BOB, 1);
        // Ana writes afresh, without any hint: a new session
        rig.send(ANA, "Invoice", "Please send the invoice.");
        rig.awaitMailsTo(ANA, 2);

        List<Session> sessions = sessionsByTicket();
        assertThat(sessions).hasSize(3);
        assertThat(sessions.get(1).contactId()).isNotEqualTo(s.contactId());
        assertThat(sessions.get(2).contactId()).isEqualTo(s.contactId());
        assertThat(Pipelines.customerMessages(store, s.id())).hasSize(1);
    }

    @Test
    void a_follow_up_to_the_customers_own_mail_stays_in_the_thread() {
        cx = Pipelines.openCx(rig.channel(EmailCursorStore.inMemory()).build(), store, new RecordingHelpdesk());
        String first = rig.send(ANA, "Returns", "How do I return shoes?");
        rig.awaitMailsTo(ANA, 1);

        rig.send(ANA, "Re: Returns", "Forgot: they are unworn.", "In-Reply-To: " + first, "References: " + first);

        rig.awaitMailsTo(ANA, 2);
        assertThat(Pipelines.sessions(store)).hasSize(1);
        await().atMost(MailRig.WAIT)
                .until(() -> Pipelines.customerMessages(
                                        store, Pipelines.sessions(store).get(0).id())
                                .size()
                        == 2);
    }
}
