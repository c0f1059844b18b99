package dev.opencx.channel.email;

import static dev.opencx.channel.email.MailRig.ANA;
import static dev.opencx.channel.email.MailRig.BOB;
import static dev.opencx.channel.email.MailRig.SUPPORT;
import static dev.opencx.channel.email.MailRig.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.opencx.OpenCx;
import dev.opencx.conversation.Message;
import dev.opencx.conversation.Session;
import dev.opencx.event.DeliveryUpdated;
import dev.opencx.event.SessionEvent;
import dev.opencx.store.InMemoryConversationStore;
import dev.opencx.test.RecordingHelpdesk;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Machine mail is never answered (RFC 3834 and its common cousins), a bounce of our mail is
 * recorded as a failed delivery, a flooding sender is cut off, and mail that cannot be read is
 * skipped without blocking the mails behind it.
 */
class EmailLoopProtectionTest {
    private final MailRig rig = new MailRig();
    private final InMemoryConversationStore store = new InMemoryConversationStore();
    private final EmailCursorStore cursors = EmailCursorStore.inMemory();
    private OpenCx cx;

    @AfterEach
    void tearDown() {
        if (cx != null) {
            cx.close();
        }
        rig.close();
    }

    /** Sends a person's mail after the ones under test: once it is answered, the ones before were read. */
    private void sendMarkerAndWait(int answersToAnaBefore) {
        rig.send(ANA, "Marker", "A question from a person.");
        rig.awaitMailsTo(ANA, answersToAnaBefore + 1);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "Auto-Submitted: auto-replied",
                "Auto-Submitted: auto-generated; owner-email=\"it@other.example\"",
                "Precedence: bulk",
                "Precedence: list",
                "Precedence: junk",
                "List-Id: <news.other.example>",
                "List-Unsubscribe: <mailto:unsub@other.example>",
                "Return-Path: <>",
                "X-Autoreply: yes",
                "X-Autorespond: Out of office",
                "X-Auto-Response-Suppress: All"
            })
    void machine_mail_is_neither_stored_nor_answered(String header) {
        cx = Pipelines.openCx(rig.channel(cursors).build(), store, new RecordingHelpdesk());

        if (header.startsWith("Return-Path")) {
            // the final MTA writes Return-Path from the envelope: a null sender (MAIL FROM:<>) reaches the mailbox so
            rig.deliverRaw(MailRig.mailText(
                    "<oof-1@other.example>", BOB, MailRig.SUPPORT, "Out of office", "I am away until Monday.", header));
        } else {
            rig.send(BOB, "Out of office", "I am away until Monday.", header);
        }
        sendMarkerAndWait(0);

        assertThat(rig.mailsTo(BOB)).isEmpty();
        assertThat(Pipelines.allCustomerMessages(store))
                .extracting(Message::text)
                .noneMatch(t -> t.contains("away"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "MAILER-DAEMON@other.example",
                "postmaster@other.example",
                "noreply@other.example",
                "no-reply@other.example"
            })
    void mail_from_robots_is_not_answered(String robot) {
        cx = Pipelines.openCx(rig.channel(cursors).build(), store, new RecordingHelpdesk());

        rig.send(robot, "Your ticket", "Thank you for your message.");
        sendMarkerAndWait(0);

        assertThat(rig.mailsTo(robot)).isEmpty();
        assertThat(Pipelines.sessions(store)).hasSize(1);
    }

    @Test
    void a_mail_from_our_own_address_is_ignored() {
        cx = Pipelines.openCx(rig.channel(cursors).build(), store, new RecordingHelpdesk());

        rig.send("Shop Support <" + SUPPORT + ">", "Copy of our reply", "Your order ships tomorrow.");
        sendMarkerAndWait(0);

        assertThat(Pipelines.sessions(store)).hasSize(1);
    }

    @Test
    void a_bounce_of_our_mail_becomes_a_failed_delivery_in_its_session_once_and_is_not_answered() {
        cx = Pipelines.openCx(rig.channel(cursors).build(), store, new RecordingHelpdesk());
        rig.send(ANA, "Order", "Where is my order?");
        String ours = header(rig.awaitMailsTo(ANA, 1).get(0), "Message-ID");
        Session s = Pipelines.sessions(store).get(0);

        String dsn = dsn(ours);
        rig.deliverRaw(dsn);
        rig.deliverRaw(dsn.replace("<dsn-1@mx.customer.example>", "<dsn-2@mx.customer.example>")); // the MTA retried
        sendMarkerAndWait(1);

        List<DeliveryUpdated> updates = store.events(s.id()).stream()
                .map(SessionEvent::payload)
                .filter(DeliveryUpdated.class::isInstance)
                .map(DeliveryUpdated.class::cast)
                .toList();
        assertThat(updates).hasSize(1);
        DeliveryUpdated u = updates.get(0);
        assertThat(u.state()).isEqualTo(DeliveryUpdated.State.FAILED);
        assertThat(u.externalId()).isEqualTo(ours);
        assertThat(u.messageId()).isNotEmpty();
        assertThat(u.channel()).isEqualTo("email");
        assertThat(u.error()).contains("5.1.1").contains("550").doesNotContain(ANA);
        assertThat(rig.mailsTo("MAILER-DAEMON@mx.customer.example")).isEmpty();
        assertThat(Pipelines.customerMessages(store, s.id())).hasSize(1);
    }

    /** An RFC 3464 delivery status notification returning our mail, as Postfix writes one. */
    static String dsn(String ourMessageId) {
        return """
                From: MAILER-DAEMON@mx.customer.example (Mail Delivery System)
                To: support@shop.example
                Subject: Undelivered Mail Returned to Sender
                Date: Mon, 7 Dec 2026 10:00:00 +0000
                Message-ID: <dsn-1@mx.customer.example>
                Auto-Submitted: auto-replied
                MIME-Version: 1.0
                Content-Type: multipart/report; report-type=delivery-status; boundary="B1"

                --B1
                Content-Type: text/plain; charset=us-ascii

                I'm sorry to have to inform you that your message could not
                be delivered to one or more recipients.

                <ana@customer.example>: host mx.customer.example said: 550 5.1.1 <ana@customer.example>:
                    Recipient address rejected: User unknown in local recipient table

                --B1
                Content-Type: message/delivery-status

                Reporting-MTA: dns; mx.customer.example
                Arrival-Date: Mon, 7 Dec 2026 10:00:00 +0000

                Final-Recipient: rfc822; ana@customer.example
                Original-Recipient: rfc822;ana@customer.example
                Action: failed
                Status: 5.1.1
                Diagnostic-Code: smtp; 550 5.1.1 <ana@customer.example>: Recipient address rejected: User unknown

                --B1
                Content-Type: text/rfc822-headers

                From: Shop Support <support@shop.example>
                To: ana@customer.example
                Subject: Re: Order
                Message-ID: %s

                --B1--
                """
                .formatted(ourMessageId)
                .replace("\n", "\r\n");
    }

    @Test
    void a_sender_over_the_rate_limit_is_not_answered_and_others_still_are() {
        cx = Pipelines.openCx(
                rig.channel(cursors).rateLimit(2, Duration.ofHours(1)).build(), store, new RecordingHelpdesk());

        for (int i = 1; i <= 4; i++) {
            rig.send(BOB, "Robot " + i, "Automated message " + i);
        }
        sendMarkerAndWait(0);

        assertThat(rig.awaitMailsTo(BOB, 2)).hasSize(2);
        assertThat(Pipelines.allCustomerMessages(store))
                .extracting(Message::text)
                .filteredOn(t -> t.contains("Automated"))
                .hasSize(2);
    }

    @Test
    void malformed_mail_is_skipped_logged_and_passed_for_good() throws Exception {
        EmailChannel channel = rig.channel(cursors).build();
        cx = Pipelines.openCx(channel, store, new RecordingHelpdesk());

        rig.deliverRaw(
                "To: support@shop.example\r\nSubject: no sender\r\nMessage-ID: <nofrom@x.example>\r\n\r\nWho am I?\r\n");
        rig.deliverRaw("From: <<<@@@>>>\r\nTo: support@shop.example\r\nSubject: bad from\r\n\r\nbody\r\n");
        rig.deliverRaw("From: ana@customer.example\r\nTo: support@shop.example\r\nSubject: garbage\r\n"
                + "MIME-Version: 1.0\r\nContent-Type: multipart/mixed\r\nMessage-ID: <garbage@x.example>\r\n\r\n"
                + "\u0000\u0001 not a multipart at all, and no boundary\r\n");
        sendMarkerAndWait(0);

        assertThat(Pipelines.allCustomerMessages(store))
                .extracting(Message::text)
                .containsExactly("Marker\n\nA question from a person.");
        long passed = cursors.load(cursorKey(channel)).orElseThrow().lastUid();
        assertThat(passed).isEqualTo(4);

        // a new instance on the same cursor does not read them again (no poison loop)
        cx.close();
        EmailCursorStore same = cursors;
        cx = Pipelines.openCx(rig.channel(same).build(), store, new RecordingHelpdesk());
        rig.send(ANA, "Second", "Another question.");
        rig.awaitMailsTo(ANA, 2);
        await().atMost(MailRig.WAIT)
                .until(() -> cursors.load(cursorKey(channel)).orElseThrow().lastUid() == 5);
        assertThat(Pipelines.allCustomerMessages(store)).hasSize(2);
    }

    static String cursorKey(EmailChannel channel) {
        return "email|" + SUPPORT + "@127.0.0.1/INBOX";
    }
}
