package dev.opencx.channel.email;

import static dev.opencx.channel.email.MailRig.ANA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opencx.OpenCx;
import dev.opencx.conversation.Attachment;
import dev.opencx.conversation.Message;
import dev.opencx.store.InMemoryConversationStore;
import dev.opencx.test.RecordingHelpdesk;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Attachments stay in the mailbox: the message keeps IMAP URLs (RFC 5092) to each part and to the
 * whole mail, and the channel reads them back on demand. The customer's words are what the reply
 * extraction keeps; the agent still has the whole mail.
 */
class EmailAttachmentsTest {
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

    @Test
    void attachments_are_references_to_the_mailbox_and_can_be_read_back() throws Exception {
        // a stand-in for the reply extractor: everything from the quote header on is history
        BodyCleaner cutAtQuote = new BodyCleaner() {
            @Override
            public String reply(String plainText) {
                int at = plainText.indexOf("\nOn ");
                return at < 0 ? plainText : plainText.substring(0, at);
            }

            @Override
            public String htmlToText(String html) {
                return HtmlText.toText(html);
            }
        };
        EmailChannel channel =
                rig.channel(EmailCursorStore.inMemory()).bodyCleaner(cutAtQuote).build();
        cx = Pipelines.openCx(channel, store, new RecordingHelpdesk());
        byte[] photo = "not really a JPEG, but bytes all the same".getBytes(StandardCharsets.UTF_8);
        String body =
                """
                --b1
                Content-Type: text/plain; charset=UTF-8

                The strap broke, photo attached.
                On Mon, Dec 7, 2026 Shop Support wrote:
                > Anything else?
                --b1
                Content-Type: image/jpeg; name="strap.jpg"
                Content-Disposition: attachment; filename="strap.jpg"
                Content-Transfer-Encoding: base64

                %s
                --b1--
                """
                        .formatted(Base64.getMimeEncoder().encodeToString(photo));
        rig.send(ANA, "Broken strap", body, "Content-Type: multipart/mixed; boundary=\"b1\"");
        rig.awaitMailsTo(ANA, 1);

        Message m = Pipelines.allCustomerMessages(store).get(0);
        assertThat(m.text()).isEqualTo("Broken strap\n\nThe strap broke, photo attached.");
        List<Attachment> atts = m.attachments();
        assertThat(atts).extracting(Attachment::name).containsExactly("strap.jpg", "original.eml");
        Attachment jpeg = atts.get(0);
        assertThat(jpeg.contentType()).isEqualTo("image/jpeg");
        assertThat(jpeg.url()).matches("imap://127\\.0\\.0\\.1:\\d+/INBOX;UIDVALIDITY=\\d+/;UID=1/;SECTION=2");
        assertThat(jpeg.sizeBytes()).isBetween((long) photo.length - 3, (long) photo.length + 3);

        assertThat(channel.readAttachment(jpeg, 1024 * 1024)).isEqualTo(photo);
        String original = new String(channel.readAttachment(atts.get(1), 1024 * 1024), StandardCharsets.UTF_8);
        assertThat(original).contains("> Anything else?").contains("Subject: Broken strap");

        assertThatThrownBy(() -> channel.readAttachment(jpeg, 10)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> channel.readAttachment(new Attachment("https://evil.example/x", "", "", 1), 10))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
