package dev.opencx.channel.email;

import static org.awaitility.Awaitility.await;

import dev.opencx.channel.Channel;
import dev.opencx.conversation.Identity;
import dev.opencx.test.channel.ChannelContract;
import dev.opencx.test.channel.ChannelFixture;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The channel contract over real SMTP and IMAP: customers' mails go to GreenMail over SMTP and the
 * channel reads them over IMAP; what the channel sends is read back from the customers' mailboxes.
 * A customer's later mails answer their earlier ones (one thread, one session). Provider failures
 * are SMTP {@code 421} greetings. E-mail has no signature to forge and no status to answer a
 * malformed mail with (it is skipped: see {@link EmailLoopProtectionTest}), so those two checks
 * are skipped.
 */
class EmailChannelContractTest extends ChannelContract {

    @Override
    protected ChannelFixture fixture() throws Exception {
        return new EmailFixture();
    }

    static final class EmailFixture implements ChannelFixture {
        private final MailRig rig = new MailRig();
        private final TcpGate smtp;
        private final EmailCursorStore cursors = EmailCursorStore.inMemory();
        private final EmailChannel channel;
        private final Map<String, String> sentRaw = new ConcurrentHashMap<>();
        private final Map<Integer, List<String>> threads = new ConcurrentHashMap<>();
        private int deliveredMails;

        EmailFixture() throws Exception {
            smtp = new TcpGate(rig.smtpPort());
            channel = rig.channel(cursors)
                    .smtp("127.0.0.1", smtp.port(), MailSecurity.NONE)
                    .subjectInText(false)
                    .build();
        }

        @Override
        public Channel channel() {
            return channel;
        }

        @Override
        public Identity customer(int n) {
            return Identity.email("customer" + n + "@customer.example");
        }

        @Override
        public synchronized int deliver(int customer, String providerMessageId, String text) {
            String raw = sentRaw.computeIfAbsent(providerMessageId, id -> {
                String messageId = "<" + id + "@customer.example>";
                List<String> thread = threads.computeIfAbsent(customer, c -> new ArrayList<>());
                List<String> headers = new ArrayList<>();
                if (!thread.isEmpty()) {
                    // the customer's next mail answers their previous one: the same thread
                    headers.add("In-Reply-To: " + thread.get(thread.size() - 1));
                    headers.add("References: " + String.join(" ", thread));
                }
                thread.add(messageId);
                return MailRig.mailText(
                        messageId,
                        customer(customer).value(),
                        MailRig.SUPPORT,
                        thread.size() == 1 ? "Question" : "Re: Question",
                        text,
                        headers.toArray(String[]::new));
            });
            rig.sendRaw(raw); // the same id again: the same bytes again, as a sender's retry
            int uid = ++deliveredMails;
            // taken in: the cursor moved past the mail
            await().atMost(MailRig.WAIT)
                    .until(() -> cursors.load(EmailLoopProtectionTest.cursorKey(null))
                                    .map(EmailCursor::lastUid)
                                    .orElse(0L)
                            >= uid);
            return 200;
        }

        @Override
        public OptionalInt deliverForged(int customer, String providerMessageId, String text) {
            return OptionalInt.empty();
        }

        @Override
        public OptionalInt deliverMalformed() {
            return OptionalInt.empty();
        }

        @Override
        public List<Sent> sent() {
            List<Sent> out = new ArrayList<>();
            for (MimeMessage m : rig.mail.getReceivedMessages()) {
                try {
                    Address[] to = m.getRecipients(Message.RecipientType.TO);
                    String address = ((InternetAddress) to[0]).getAddress();
                    if (!address.equalsIgnoreCase(MailRig.SUPPORT)) {
                        out.add(new Sent(
                                Identity.email(address), MailRig.body(m).strip()));
                    }
                } catch (MessagingException e) {
                    throw new IllegalStateException(e);
                }
            }
            return out;
        }

        @Override
        public boolean failNextSends(int n) {
            smtp.refuseNextWith421(n);
            return true;
        }

        @Override
        public void close() {
            smtp.close();
            rig.close();
        }
    }
}
