package dev.opencx.channel.email.reply;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Signatures: the RFC 3676 delimiter, mobile taglines, and blocks without a delimiter. */
class SignatureTest {

    private final ReplyExtractor extractor = ReplyExtractor.defaults();

    @Test
    void splits_at_the_rfc_3676_delimiter() {
        ExtractedReply r = extractor.extract("The code works now.\n\n-- \nAna Lima\nNorthwind Trading\n");

        assertThat(r.reply()).isEqualTo("The code works now.");
        assertThat(r.signature()).isEqualTo("--\nAna Lima\nNorthwind Trading");
        assertThat(r.replyWithSignature()).isEqualTo("The code works now.\n\n--\nAna Lima\nNorthwind Trading");
    }

    @Test
    void accepts_a_delimiter_whose_trailing_space_was_stripped() {
        assertThat(extractor.extract("Works now.\n--\nAna").reply()).isEqualTo("Works now.");
    }

    @Test
    void removes_a_mailing_list_footer_under_a_rule() {
        String mail = "How do I reset my password?\n\n_______________________________________________\n"
                + "users mailing list\nusers@lists.example.org\nhttps://lists.example.org/listinfo/users\n";

        assertThat(extractor.extract(mail).reply()).isEqualTo("How do I reset my password?");
    }

    @Test
    void keeps_a_rule_that_underlines_a_heading() {
        String mail = "Steps I tried\n-------------\nRestarted the router.\nReset the modem.";

        assertThat(extractor.extract(mail).reply()).isEqualTo(mail);
    }

    static Stream<String> taglines() {
        return Stream.of(
                "Sent from my iPhone",
                "Sent from my Samsung Galaxy smartphone.",
                "Sent from Outlook for Android",
                "Get Outlook for iOS",
                "Sent from Yahoo Mail on Android",
                "Sent from Mail for Windows",
                "via mobile",
                "Sent from my BlackBerry® wireless device",
                "Von meinem Samsung Galaxy Smartphone gesendet.",
                "Envoyé de mon appareil Galaxy",
                "Enviado desde mi smartphone Samsung Galaxy.",
                "Отправлено с устройства Galaxy",
                "Get Outlook for iOS<https://aka.ms/o0ukef>",
                "from my Android phone",
                "Von meinem iPhone gesendet",
                "Gesendet von meinem Android",
                "Envoyé de mon iPhone",
                "Enviado desde mi iPhone",
                "Enviado do meu iPhone",
                "Inviato da iPhone",
                "Verstuurd vanaf mijn iPhone",
                "Skickat från min iPhone",
                "Sendt fra min iPhone",
                "Lähetetty iPhonesta",
                "Wysłane z iPhone'a",
                "Отправлено с iPhone",
                "Odesláno z iPhonu",
                "iPhoneから送信",
                "发自我的iPhone",
                "iPhone에서 보냄");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("taglines")
    void removes_a_mobile_tagline(String tagline) {
        ExtractedReply r = extractor.extract("Please call me back tomorrow.\n\n" + tagline + "\n");

        assertThat(r.reply()).isEqualTo("Please call me back tomorrow.");
        assertThat(r.signature()).isEqualTo(tagline);
    }

    @Test
    void keeps_a_sentence_that_starts_like_a_tagline() {
        String mail = "Here are the photos.\n\nSent from my desk, which is easier than from my phone.";

        assertThat(extractor.extract(mail).reply()).isEqualTo(mail);
    }

    @Test
    void keeps_the_tagline_in_reply_with_signature_when_it_sits_above_the_quote() {
        String mail =
                "Yes.\n\nSent from my iPhone\n\nOn Feb 5, 2024, at 10:14, Northwind <help@northwind.example> wrote:\n\n> Confirm?";

        ExtractedReply r = extractor.extract(mail);

        assertThat(r.reply()).isEqualTo("Yes.");
        assertThat(r.replyWithSignature()).isEqualTo("Yes.\n\nSent from my iPhone");
        assertThat(r.signature()).isEqualTo("Sent from my iPhone");
    }

    @Test
    void removes_a_dash_name_sign_off_but_not_a_list_item() {
        assertThat(extractor.extract("Can you resend the invoice?\n\n-Marta").reply())
                .isEqualTo("Can you resend the invoice?");
        String list = "I need:\n\n- Apples\n- Pears";
        assertThat(extractor.extract(list).reply()).isEqualTo(list);
    }

    @Test
    void removes_a_closing_and_name_without_delimiter() {
        ExtractedReply en = extractor.extract("The replacement works fine.\n\nThanks,\nMarta\n");
        ExtractedReply de = extractor.extract("Der Ersatz funktioniert.\n\nViele Grüße\nJonas\n");
        ExtractedReply fr = extractor.extract("Le remplacement fonctionne.\n\nCordialement,\n\nCamille Martin\n");
        ExtractedReply es = extractor.extract("El reemplazo funciona.\n\nSaludos,\nLucía\n");

        assertThat(en.reply()).isEqualTo("The replacement works fine.");
        assertThat(en.signature()).isEqualTo("Thanks,\nMarta");
        assertThat(de.reply()).isEqualTo("Der Ersatz funktioniert.");
        assertThat(de.signature()).isEqualTo("Viele Grüße\nJonas");
        assertThat(fr.reply()).isEqualTo("Le remplacement fonctionne.");
        assertThat(es.reply()).isEqualTo("El reemplazo funciona.");
    }

    @Test
    void removes_a_business_signature_block_without_delimiter() {
        String mail =
                "Please send the quote for 40 units.\n\nBest regards,\n\nDaniel Okafor\nProcurement Lead, Acme Logistics Ltd.\n"
                        + "12 Harbour Road, Leeds LS1 4AB\nTel: +44 113 496 0000\nMobile: +44 7700 900123\ndaniel.okafor@acme.example\n"
                        + "www.acme.example\n";
        String german =
                "Bitte um ein Angebot für 40 Stück.\n\nMit freundlichen Grüßen\n\nJonas Becker\nEinkauf\nMusterfirma GmbH\n"
                        + "Tel. +49 89 123456-0\n";

        ExtractedReply r = extractor.extract(mail);

        assertThat(r.reply()).isEqualTo("Please send the quote for 40 units.");
        assertThat(r.signature()).startsWith("Best regards,").endsWith("www.acme.example");
        assertThat(extractor.extract(german).reply()).isEqualTo("Bitte um ein Angebot für 40 Stück.");
    }

    @Test
    void removes_a_department_with_a_phone_number() {
        ExtractedReply r =
                extractor.extract("The car park closes at 8 pm this week.\n\nFacilities & Security Desk\n5-0142\n");

        assertThat(r.reply()).isEqualTo("The car park closes at 8 pm this week.");
        assertThat(r.signature()).isEqualTo("Facilities & Security Desk\n5-0142");
    }

    @Test
    void keeps_a_lone_closing_as_part_of_the_reply() {
        String mail = "That solved it!\n\nThanks!";

        assertThat(extractor.extract(mail).reply()).isEqualTo(mail);
    }

    @Test
    void keeps_a_phone_number_the_customer_gives() {
        String asked = "You can reach me on this number:\n\n+1 415 555 0100";
        String wrapped = "Please call me back at\n+1 415 555 0100\n\nAna";

        assertThat(extractor.extract(asked).reply()).isEqualTo(asked);
        assertThat(extractor.extract(wrapped).reply()).isEqualTo("Please call me back at\n+1 415 555 0100");
    }

    @Test
    void keeps_the_customers_line_above_a_name() {
        ExtractedReply r = extractor.extract("My parcel never arrived.\nOrder 1042\n\nAna");

        assertThat(r.reply()).isEqualTo("My parcel never arrived.\nOrder 1042");
        assertThat(r.signature()).isEqualTo("Ana");
    }

    @Test
    void keeps_a_short_answer_that_is_not_a_name() {
        String mail = "Did it arrive in time?\n\nYes";

        assertThat(extractor
                        .extract("Your question:\n\n> Did it arrive?\n\nYes")
                        .reply())
                .isEqualTo("Your question:\n\nYes");
        assertThat(extractor.extract(mail).reply()).isEqualTo(mail);
    }

    @Test
    void keeps_a_list_of_short_capitalised_lines() {
        String mail = "Please add these to my order:\n\nBlue Shirt\nRed Scarf\nGreen Hat\nBlack Socks\nWhite Shirt\n"
                + "Grey Jumper\nBrown Belt\nNavy Cap\nYellow Tie\nPink Gloves\nOrange Bag";

        assertThat(extractor.extract(mail).reply()).isEqualTo(mail);
    }

    @Test
    void a_reply_that_is_only_a_signature_has_an_empty_reply() {
        ExtractedReply delimited = extractor.extract("-- \nAna Lima\nNorthwind Trading");
        ExtractedReply tagline = extractor.extract(
                "Sent from my iPhone\n\nOn Mon, Feb 5, 2024 at 10:14 AM Northwind <help@northwind.example> wrote:\n> Hi");

        assertThat(delimited.reply()).isEmpty();
        assertThat(delimited.signature()).isEqualTo("--\nAna Lima\nNorthwind Trading");
        assertThat(tagline.reply()).isEmpty();
        assertThat(tagline.replyWithSignature()).isEqualTo("Sent from my iPhone");
    }

    @Test
    void a_closing_and_name_alone_stay_the_reply() {
        ExtractedReply r = extractor.extract("Thanks,\nAna");

        assertThat(r.reply()).isEqualTo("Thanks,\nAna");
        assertThat(r.signature()).isEmpty();
    }

    @Test
    void can_leave_undelimited_blocks_alone() {
        ReplyExtractor delimitersOnly =
                ReplyExtractor.builder().signatureBlocks(false).build();

        assertThat(delimitersOnly.extract("Works now.\n\nThanks,\nMarta").reply())
                .isEqualTo("Works now.\n\nThanks,\nMarta");
        assertThat(delimitersOnly.extract("Works now.\n-- \nMarta").reply()).isEqualTo("Works now.");
    }

    @Test
    void counts_a_legal_disclaimer_at_the_end_as_signature() {
        String mail = "Please cancel order 1042.\n\nRegards,\nDaniel Okafor\n\n"
                + "CONFIDENTIALITY NOTICE: This e-mail and any attachments are confidential and intended solely for the addressee.\n"
                + "If you received it in error, please notify the sender and delete it.";
        String german =
                "Bitte stornieren Sie die Bestellung.\n\nDiese E-Mail enthält vertrauliche Informationen. Wenn Sie nicht der "
                        + "richtige Empfänger sind, informieren Sie bitte sofort den Absender und vernichten Sie diese E-Mail.";

        ExtractedReply r = extractor.extract(mail);

        assertThat(r.reply()).isEqualTo("Please cancel order 1042.");
        assertThat(r.signature()).startsWith("Regards,\nDaniel Okafor").contains("CONFIDENTIALITY NOTICE");
        assertThat(extractor.extract(german).reply()).isEqualTo("Bitte stornieren Sie die Bestellung.");
    }

    @Test
    void keeps_a_paragraph_that_merely_mentions_confidentiality() {
        String mail = "Is my data kept confidential?\n\nI want to know who can see my orders.";

        assertThat(extractor.extract(mail).reply()).isEqualTo(mail);
    }

    @Test
    void recognises_closings_in_several_languages() {
        assertThat(extractor
                        .extract("Merci pour votre aide.\n\nMerci d'avance,\nJulie Moreau")
                        .signature())
                .isEqualTo("Merci d'avance,\nJulie Moreau");
        assertThat(extractor
                        .extract("Proszę o fakturę.\n\nZ poważaniem\nPiotr Nowak")
                        .signature())
                .isEqualTo("Z poważaniem\nPiotr Nowak");
        assertThat(extractor
                        .extract("Прошу вернуть деньги.\n\nС уважением,\nИван Петров")
                        .signature())
                .isEqualTo("С уважением,\nИван Петров");
        assertThat(extractor
                        .extract("Graag een factuur.\n\nMet vriendelijke groet,\nSanne de Vries")
                        .signature())
                .isEqualTo("Met vriendelijke groet,\nSanne de Vries");
        assertThat(extractor.extract("返品をお願いします。\n\nよろしくお願いします。\n山田太郎").signature())
                .isEqualTo("よろしくお願いします。\n山田太郎");
        assertThat(extractor
                        .extract("Can you help me?\n\nThanks in advance,\nAna Lima, PhD")
                        .signature())
                .isEqualTo("Thanks in advance,\nAna Lima, PhD");
    }

    @Test
    void keeps_an_address_the_customer_announces() {
        String colon =
                "Please update my delivery address to:\n\nJane Doe\n221B Baker Street\nLondon NW1 6XE\nUnited Kingdom";
        String dangling = "Bitte ändern Sie die Lieferadresse an\nJonas Becker\nHauptstraße 5\n10115 Berlin";

        assertThat(extractor.extract(colon).reply()).isEqualTo(colon);
        assertThat(extractor.extract(dangling).reply()).isEqualTo(dangling);
    }

    @Test
    void removes_a_name_written_on_the_line_of_its_phone_number() {
        ExtractedReply r = extractor.extract("Call me when the engineer is on the way.\n\nPriya Raman - 020 7946 0018");

        assertThat(r.reply()).isEqualTo("Call me when the engineer is on the way.");
        assertThat(r.signature()).isEqualTo("Priya Raman - 020 7946 0018");
    }

    @Test
    void removes_a_signature_of_two_contact_cards() {
        String mail =
                "The office moves on Monday; questions to either of us.\n\nFacilities Team\nLena Vogt\n+49 30 901820\n\n"
                        + "Marco Rossi\n+49 30 901821\n";

        ExtractedReply r = extractor.extract(mail);

        assertThat(r.reply()).isEqualTo("The office moves on Monday; questions to either of us.");
        assertThat(r.signature()).startsWith("Facilities Team").endsWith("+49 30 901821");
    }

    @Test
    void keeps_initials_or_an_acronym_alone_at_the_end() {
        String initials = "Here is the form you asked for.\n\nBT";
        String acronym = "Please check the attached invoice.\n\nFYI";

        assertThat(extractor.extract(initials).reply()).isEqualTo(initials);
        assertThat(extractor.extract(acronym).reply()).isEqualTo(acronym);
        assertThat(extractor.extract("Here is the form.\n\nThanks. BT").signature())
                .isEqualTo("Thanks. BT");
    }

    @Test
    void keeps_a_link_the_customer_pasted_above_their_initials() {
        String mail = "The form is here:\n\nhttps://forms.example.org/w7.pdf\n\n\nBT";

        assertThat(extractor.extract(mail).reply()).isEqualTo(mail);
    }

    @Test
    void removes_a_long_company_footer_under_a_closing() {
        String mail =
                "Bitte senden Sie uns ein Angebot.\n\nMit freundlichen Grüßen\n\nMax Mustermann\nEinkaufsleiter\n\n"
                        + "Musterfirma GmbH\nMusterstraße 1\n12345 Musterstadt\nTel.: +49 123 456789-0\nFax: +49 123 456789-99\n"
                        + "E-Mail: max.mustermann@musterfirma.example\nWeb: www.musterfirma.example\n\n"
                        + "Geschäftsführer: Erika Musterfrau, Hans Beispiel\n"
                        + "Sitz der Gesellschaft: Musterstadt | Amtsgericht Musterstadt HRB 12345\nUSt-IdNr.: DE123456789\n";

        ExtractedReply r = extractor.extract(mail);

        assertThat(r.reply()).isEqualTo("Bitte senden Sie uns ein Angebot.");
        assertThat(r.signature()).startsWith("Mit freundlichen Grüßen").endsWith("USt-IdNr.: DE123456789");
    }

    @Test
    void takes_a_lower_case_job_title_under_the_name() {
        String mail = "Merci de me rappeler.\n\nBien cordialement,\n\nJean Dupont\nDirecteur commercial | Exemple SAS\n"
                + "12 rue de la Paix, 75002 Paris\nTél. : +33 1 23 45 67 89\n";

        ExtractedReply r = extractor.extract(mail);

        assertThat(r.reply()).isEqualTo("Merci de me rappeler.");
        assertThat(r.signature()).startsWith("Bien cordialement,").endsWith("+33 1 23 45 67 89");
    }

    @Test
    void keeps_a_helpdesk_number_given_above_the_signature() {
        String mail =
                "Please contact the helpdesk if the login fails.\n\nHelpdesk: +1 415 555 0199\n\nThanks,\nCecil Jones\nx4417";

        ExtractedReply r = extractor.extract(mail);

        assertThat(r.reply()).isEqualTo("Please contact the helpdesk if the login fails.\n\nHelpdesk: +1 415 555 0199");
        assertThat(r.signature()).isEqualTo("Thanks,\nCecil Jones\nx4417");
    }
}
