package dev.opencx.channel.email.reply;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Quoted history in plain text: attribution lines, Outlook blocks, separators, {@code >} quotes. */
class QuotedHistoryTest {

    private final ReplyExtractor extractor = ReplyExtractor.defaults();

    private String reply(String mail) {
        return extractor.extract(mail).reply();
    }

    /** Attribution lines as the mail clients write them, in their localized versions. */
    static Stream<Arguments> attributions() {
        return Stream.of(
                Arguments.of(
                        "en, Gmail",
                        "On Mon, Feb 5, 2024 at 10:14 AM Northwind Support <help@northwind.example> wrote:"),
                Arguments.of(
                        "en, Apple Mail", "On 5 Feb 2024, at 10:14, Northwind Support <help@northwind.example> wrote:"),
                Arguments.of(
                        "en, Outlook for iOS",
                        "On Monday, February 5, 2024, Northwind Support <help@northwind.example> wrote:"),
                Arguments.of("en, Thunderbird", "On 05/02/2024 10:14, Northwind Support wrote:"),
                Arguments.of(
                        "de, Gmail",
                        "Am Mo., 5. Feb. 2024 um 10:14 Uhr schrieb Northwind Support <help@northwind.example>:"),
                Arguments.of(
                        "de, Apple Mail", "Am 05.02.2024 um 10:14 schrieb Northwind Support <help@northwind.example>:"),
                Arguments.of("de, Thunderbird", "Am 05.02.24 um 10:14 schrieb Northwind Support:"),
                Arguments.of(
                        "fr, Gmail",
                        "Le lun. 5 févr. 2024 à 10:14, Northwind Support <help@northwind.example> a écrit :"),
                Arguments.of(
                        "fr, Apple Mail",
                        "Le 5 févr. 2024 à 10:14, Northwind Support <help@northwind.example> a écrit :"),
                Arguments.of(
                        "es, Gmail",
                        "El lun, 5 feb 2024 a las 10:14, Northwind Support (<help@northwind.example>) escribió:"),
                Arguments.of(
                        "pt, Gmail",
                        "Em seg., 5 de fev. de 2024 às 10:14, Northwind Support <help@northwind.example> escreveu:"),
                Arguments.of(
                        "it, Gmail",
                        "Il giorno lun 5 feb 2024 alle ore 10:14 Northwind Support <help@northwind.example> ha scritto:"),
                Arguments.of(
                        "nl, Gmail", "Op ma 5 feb 2024 om 10:14 schreef Northwind Support <help@northwind.example>:"),
                Arguments.of(
                        "nl, Apple Mail",
                        "Op 5 feb. 2024 om 10:14 heeft Northwind Support <help@northwind.example> het volgende geschreven:"),
                Arguments.of(
                        "sv, Gmail", "Den mån 5 feb. 2024 kl 10:14 skrev Northwind Support <help@northwind.example>:"),
                Arguments.of(
                        "da, Gmail",
                        "Den man. 5. feb. 2024 kl. 10.14 skrev Northwind Support <help@northwind.example>:"),
                Arguments.of(
                        "fi, Gmail", "Northwind Support <help@northwind.example> kirjoitti ma 5.2.2024 klo 10.14:"),
                Arguments.of(
                        "pl, Gmail", "pon., 5 lut 2024 o 10:14 Northwind Support <help@northwind.example> napisał(a):"),
                Arguments.of(
                        "ru, Gmail (no verb)",
                        "пн, 5 февр. 2024 г. в 10:14, Northwind Support <help@northwind.example>:"),
                Arguments.of(
                        "ru, Apple Mail",
                        "5 февр. 2024 г., в 10:14, Northwind Support <help@northwind.example> написал(а):"),
                Arguments.of(
                        "uk, Gmail", "пн, 5 лют. 2024 р. о 10:14 Northwind Support <help@northwind.example> пише:"),
                Arguments.of(
                        "cs, Gmail",
                        "po 5. 2. 2024 v 10:14 odesílatel Northwind Support <help@northwind.example> napsal:"),
                Arguments.of(
                        "hu, Gmail",
                        "Northwind Support <help@northwind.example> ezt írta (időpont: 2024. febr. 5., H, 10:14):"),
                Arguments.of(
                        "tr, Gmail",
                        "Northwind Support <help@northwind.example>, 5 Şub 2024 Pzt, 10:14 tarihinde şunu yazdı:"),
                Arguments.of(
                        "el, Gmail",
                        "Στις Δευ 5 Φεβ 2024 στις 10:14, ο/η Northwind Support <help@northwind.example> έγραψε:"),
                Arguments.of(
                        "ro, Gmail",
                        "În lun., 5 feb. 2024 la 10:14, Northwind Support <help@northwind.example> a scris:"),
                Arguments.of(
                        "vi, Gmail",
                        "Vào Th 2, 5 thg 2, 2024 vào lúc 10:14 Northwind Support <help@northwind.example> đã viết:"),
                Arguments.of(
                        "id, Gmail",
                        "Pada Sen, 5 Feb 2024 pukul 10.14 Northwind Support <help@northwind.example> menulis:"),
                Arguments.of("ja, Gmail (no verb)", "2024年2月5日(月) 10:14 Northwind Support <help@northwind.example>:"),
                Arguments.of("zh, Gmail", "Northwind Support <help@northwind.example> 于2024年2月5日周一 10:14写道："),
                Arguments.of("ko, Gmail", "2024년 2월 5일 (월) 오전 10:14, Northwind Support <help@northwind.example>님이 작성:"),
                Arguments.of(
                        "he, Gmail",
                        "בתאריך יום ב׳, 5 בפבר׳ 2024 ב-10:14 מאת Northwind Support <help@northwind.example>:"),
                Arguments.of(
                        "ar, Gmail",
                        "في الاثنين، 5 فبراير 2024 10:14 ص Northwind Support <help@northwind.example> كتب:"),
                Arguments.of("Android mail", "---- Northwind Support wrote ----"),
                Arguments.of("Lotus Notes", "-----Northwind Support <help@northwind.example> wrote: -----"),
                Arguments.of("Horde", "Quoting Northwind Support <help@northwind.example>:"),
                Arguments.of("ru, Yandex", "05.02.2024, 10:14, \"Northwind Support\" <help@northwind.example>:"),
                Arguments.of(
                        "ru, Mail.ru",
                        "Понедельник, 5 февраля 2024, 10:14 +03:00 от Northwind Support <help@northwind.example>:"),
                Arguments.of(
                        "pl, Onet", "Dnia 5 lutego 2024 10:14 Northwind Support <help@northwind.example> napisał(a):"),
                Arguments.of("zh, Apple Mail", "在 2024年2月5日，上午10:14，Northwind Support <help@northwind.example> 写道："),
                Arguments.of("ja, Apple Mail", "2024/02/05 10:14、Northwind Support <help@northwind.example>のメール:"),
                Arguments.of(
                        "de, Gmail (name first)",
                        "Northwind Support <help@northwind.example> schrieb am Mo., 5. Feb. 2024, 10:14:"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attributions")
    void cuts_at_an_attribution_line_above_a_quote(String client, String attribution) {
        String mail = "The parcel arrived today, thank you.\n\n" + attribution
                + "\n\n> Did your parcel arrive?\n> Northwind\n";

        assertThat(reply(mail)).isEqualTo("The parcel arrived today, thank you.");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attributions")
    void cuts_at_an_attribution_line_above_unmarked_history(String client, String attribution) {
        String mail =
                "The parcel arrived today, thank you.\n\n" + attribution + "\n\nDid your parcel arrive?\nNorthwind\n";

        assertThat(reply(mail)).isEqualTo("The parcel arrived today, thank you.");
    }

    @Test
    void finds_attributions_that_the_client_wrapped_over_several_lines() {
        String gmail = "Size M, please.\n\nOn Mon, Feb 5, 2024 at 10:14 AM Customer Care at Northwind Trading <\n"
                + "customer-care@northwind.example> wrote:\n\n> Which size do you need?\n";
        String german =
                "Größe M, bitte.\n\nAm Mo., 5. Feb. 2024 um 10:14 Uhr schrieb Kundenservice Northwind Handel <\n"
                        + "kundenservice@northwind.example>:\n\n> Welche Größe brauchen Sie?\n";
        String polish =
                "Rozmiar M.\n\nW dniu 5 lutego 2024 10:14 użytkownik Obsługa Klienta <obsluga@northwind.example>\n"
                        + "napisał:\n\n> Jaki rozmiar?\n";
        String dateOnFirstLine =
                "Size M.\n\nOn Mon, Feb 5, 2024 at 10:14 AM\nNorthwind Support <help@northwind.example> wrote:\n\n> Which size?\n";

        assertThat(reply(gmail)).isEqualTo("Size M, please.");
        assertThat(reply(german)).isEqualTo("Größe M, bitte.");
        assertThat(reply(polish)).isEqualTo("Rozmiar M.");
        assertThat(reply(dateOnFirstLine)).isEqualTo("Size M.");
    }

    @Test
    void finds_an_attribution_whose_verb_was_wrapped_onto_the_next_line() {
        String french =
                "Oui, merci.\n\nLe lun. 5 févr. 2024 à 10:14, Northwind <help@northwind.example> a\nécrit :\n> Avez-vous reçu le colis ?";
        String spanish =
                "Sí.\n\nEl lun, 5 feb 2024 a las 10:14, Northwind (<help@northwind.example>)\nescribió:\n> ¿Recibió el paquete?";

        assertThat(reply(french)).isEqualTo("Oui, merci.");
        assertThat(reply(spanish)).isEqualTo("Sí.");
    }

    @Test
    void splits_a_line_shared_by_the_reply_and_the_attribution() {
        String mail =
                "Yes, go ahead. On Mon, Feb 5, 2024 at 10:14 AM Northwind <help@northwind.example> wrote:\n> Shall we refund?\n";

        assertThat(reply(mail)).isEqualTo("Yes, go ahead.");
    }

    @Test
    void knows_thunderbirds_short_attribution_only_above_a_quote() {
        assertThat(reply("Done, thanks.\n\nNorthwind Support wrote:\n> Please restart the router.\n"))
                .isEqualTo("Done, thanks.");
        String prose = "Your colleague wrote:\n\nthe refund takes five days. It has been ten.";
        assertThat(reply(prose)).isEqualTo(prose);
    }

    static Stream<Arguments> outlookBlocks() {
        return Stream.of(
                Arguments.of(
                        "en",
                        "From: Northwind Support <help@northwind.example>\nSent: Monday, February 5, 2024 10:14 AM\n"
                                + "To: Ana Lima <ana@mail.example>\nSubject: RE: Order 1042"),
                Arguments.of(
                        "en, bold, no addresses",
                        "*From:* Northwind Support\n*Sent:* Monday, February 5, 2024 10:14 AM\n"
                                + "*To:* Ana Lima\n*Subject:* RE: Order 1042"),
                Arguments.of(
                        "de",
                        "Von: Northwind Support <help@northwind.example>\nGesendet: Montag, 5. Februar 2024 10:14\n"
                                + "An: Ana Lima <ana@mail.example>\nBetreff: AW: Bestellung 1042"),
                Arguments.of(
                        "fr",
                        "De : Northwind Support <help@northwind.example>\nEnvoyé : lundi 5 février 2024 10:14\n"
                                + "À : Ana Lima <ana@mail.example>\nObjet : RE: Commande 1042"),
                Arguments.of(
                        "es",
                        "De: Northwind Support <help@northwind.example>\nEnviado el: lunes, 5 de febrero de 2024 10:14\n"
                                + "Para: Ana Lima <ana@mail.example>\nAsunto: RE: Pedido 1042"),
                Arguments.of(
                        "pt",
                        "De: Northwind Support <help@northwind.example>\nEnviado: segunda-feira, 5 de fevereiro de 2024 10:14\n"
                                + "Para: Ana Lima <ana@mail.example>\nAssunto: RE: Pedido 1042"),
                Arguments.of(
                        "it",
                        "Da: Northwind Support <help@northwind.example>\nInviato: lunedì 5 febbraio 2024 10:14\n"
                                + "A: Ana Lima <ana@mail.example>\nOggetto: R: Ordine 1042"),
                Arguments.of(
                        "nl",
                        "Van: Northwind Support <help@northwind.example>\nVerzonden: maandag 5 februari 2024 10:14\n"
                                + "Aan: Ana Lima <ana@mail.example>\nOnderwerp: RE: Bestelling 1042"),
                Arguments.of(
                        "sv",
                        "Från: Northwind Support <help@northwind.example>\nSkickat: den 5 februari 2024 10:14\n"
                                + "Till: Ana Lima <ana@mail.example>\nÄmne: SV: Order 1042"),
                Arguments.of(
                        "da",
                        "Fra: Northwind Support <help@northwind.example>\nSendt: 5. februar 2024 10:14\n"
                                + "Til: Ana Lima <ana@mail.example>\nEmne: SV: Ordre 1042"),
                Arguments.of(
                        "pl",
                        "Od: Northwind Support <help@northwind.example>\nWysłano: poniedziałek, 5 lutego 2024 10:14\n"
                                + "Do: Ana Lima <ana@mail.example>\nTemat: RE: Zamówienie 1042"),
                Arguments.of(
                        "ru",
                        "От: Northwind Support <help@northwind.example>\nОтправлено: 5 февраля 2024 г. 10:14\n"
                                + "Кому: Ana Lima <ana@mail.example>\nТема: RE: Заказ 1042"),
                Arguments.of(
                        "ja",
                        "差出人: Northwind Support <help@northwind.example>\n送信日時: 2024年2月5日 10:14\n"
                                + "宛先: Ana Lima <ana@mail.example>\n件名: RE: 注文 1042"),
                Arguments.of(
                        "zh",
                        "发件人: Northwind Support <help@northwind.example>\n发送时间: 2024年2月5日 10:14\n"
                                + "收件人: Ana Lima <ana@mail.example>\n主题: 回复: 订单 1042"),
                Arguments.of(
                        "on one line",
                        "From: Northwind Support Sent: Monday, February 5, 2024 10:14 AM To: Ana Lima Subject: RE: Order 1042"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("outlookBlocks")
    void cuts_at_an_outlook_header_block(String language, String header) {
        String mail = "Please cancel the order.\n\n" + header + "\n\nYour order 1042 has shipped.\n";

        assertThat(reply(mail)).isEqualTo("Please cancel the order.");
    }

    @Test
    void drops_the_rule_that_outlook_draws_above_its_header_block() {
        String mail =
                "Please cancel the order.\n________________________________\nFrom: Northwind Support <help@northwind.example>\n"
                        + "Sent: Monday, February 5, 2024 10:14 AM\nTo: Ana Lima\nSubject: RE: Order 1042\n\nYour order has shipped.\n";

        assertThat(reply(mail)).isEqualTo("Please cancel the order.");
    }

    @Test
    void keeps_a_header_block_that_opens_the_mail() {
        String relayed =
                "From: Ana Lima <ana@mail.example>\nSubject: Refund for order 1042\n\nThe jacket was too small, please refund it.";
        String forwarded =
                "________________________________\nFrom: Northwind <help@northwind.example>\nSent: Monday, February 5, 2024\n"
                        + "Subject: Your order\n\nYour order has shipped.";

        assertThat(reply(relayed)).isEqualTo(relayed);
        assertThat(reply(forwarded)).isEmpty();
    }

    @Test
    void keeps_travel_details_that_look_like_header_labels() {
        String mail =
                "I need to change my booking:\n\nFrom: Berlin\nTo: Lisbon\nDate: 12 May\n\nCan I take a later flight?";

        assertThat(reply(mail)).isEqualTo(mail);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("separators")
    void cuts_at_original_message_and_forward_separators(String separator) {
        String mail = "See the message below.\n\n" + separator + "\nFrom: someone@example.org\nHello there\n";

        assertThat(reply(mail)).isEqualTo("See the message below.");
    }

    static Stream<String> separators() {
        return Stream.of(
                "-----Original Message-----",
                "----- Original Message -----",
                "-----Ursprüngliche Nachricht-----",
                "-----Message d'origine-----",
                "-----Mensaje original-----",
                "-----Messaggio originale-----",
                "-----Oorspronkelijk bericht-----",
                "-----Ursprungligt meddelande-----",
                "-----Alkuperäinen viesti-----",
                "-----Исходное сообщение-----",
                "-----原始邮件-----",
                "---------- Forwarded message ---------",
                "-------- Weitergeleitete Nachricht --------",
                "---------- Message transféré ---------",
                "Begin forwarded message:",
                "Anfang der weitergeleiteten Nachricht:",
                "Début du message réexpédié :",
                "Inicio del mensaje reenviado:");
    }

    @Test
    void cuts_at_a_helpdesk_reply_above_this_line_marker() {
        String en =
                "That fixed it, thanks.\n\n##- Please type your reply above this line -##\n\nYour request 1042 was updated.";
        String de =
                "Das hat geholfen.\n\n##- Bitte geben Sie Ihre Antwort über dieser Zeile ein. -##\n\nIhre Anfrage wurde aktualisiert.";
        String fr = "C'est réglé.\n\n-- Répondez au-dessus de cette ligne --\n\nVotre demande a été mise à jour.";

        assertThat(reply(en)).isEqualTo("That fixed it, thanks.");
        assertThat(reply(de)).isEqualTo("Das hat geholfen.");
        assertThat(reply(fr)).isEqualTo("C'est réglé.");
    }

    @Test
    void cuts_at_a_marker_of_your_own() {
        ReplyExtractor custom = ReplyExtractor.builder()
                .historyMarker("^=+ Northwind support =+$")
                .build();
        String mail = "Still broken.\n\n=== Northwind support ===\nWe replaced your router.";

        assertThat(custom.extract(mail).reply()).isEqualTo("Still broken.");
        assertThat(extractor.extract(mail).reply()).contains("We replaced your router.");
    }

    @Test
    void removes_quoted_lines_below_the_reply() {
        String mail = "No, the blue one.\n\n> Did you order the red one?\n>\n> Northwind\n";

        assertThat(reply(mail)).isEqualTo("No, the blue one.");
    }

    @Test
    void keeps_a_reply_written_below_the_quote() {
        String mail = "On Mon, Feb 5, 2024 at 10:14 AM Northwind <help@northwind.example> wrote:\n"
                + "> Did the parcel arrive?\n> Northwind\n\nYes, it arrived this morning.\n";

        assertThat(reply(mail)).isEqualTo("Yes, it arrived this morning.");
    }

    @Test
    void keeps_the_text_on_both_sides_of_a_single_quote() {
        String mail = "Hi,\n\n> Which size do you need?\n\nM, please.\n";

        assertThat(reply(mail)).isEqualTo("Hi,\n\nM, please.");
    }

    @Test
    void keeps_interleaved_answers_with_the_questions_they_answer() {
        String mail = "On Mon, Feb 5, 2024 at 10:14 AM Northwind <help@northwind.example> wrote:\n"
                + "> Which size do you need?\n\nSize M.\n\n> Which colour?\n\nBlue, please.\n\n"
                + "> Anything else?\n> Northwind\n";

        assertThat(reply(mail)).isEqualTo("> Which size do you need?\n\nSize M.\n\n> Which colour?\n\nBlue, please.");
    }

    @Test
    void keeps_a_quote_broken_by_a_long_link_in_one_piece() {
        String mail =
                "Thanks, I'll check.\n\nOn Mon, Feb 5, 2024 at 10:14 AM Northwind <help@northwind.example> wrote:\n"
                        + "> Track it here (https://track.northwind.example/parcel?id=\n7a1b9c)\n> Northwind\n";

        assertThat(reply(mail)).isEqualTo("Thanks, I'll check.");
    }

    @Test
    void keeps_a_mail_without_any_quote_unchanged() {
        String mail =
                "Hello,\n\nmy invoice shows the wrong address.\nIt should be 12 Main Street.\n\nAs I wrote: please fix it.";

        ExtractedReply r = extractor.extract(mail);

        assertThat(r.reply()).isEqualTo(mail);
        assertThat(r.replyWithSignature()).isEqualTo(mail);
        assertThat(r.signature()).isEmpty();
        assertThat(r.hasSignature()).isFalse();
    }

    @Test
    void keeps_a_sentence_about_an_earlier_mail() {
        String mail = "On 3 May I wrote to you about order 1042 and nobody answered.\nPlease call me.";

        assertThat(reply(mail)).isEqualTo(mail);
    }

    @Test
    void returns_empty_parts_for_a_bare_forward_or_a_blank_body() {
        assertThat(
                        reply(
                                "---------- Forwarded message ---------\nFrom: a@example.org\nDate: Mon, Feb 5, 2024\nSubject: x\n\nbody"))
                .isEmpty();
        ExtractedReply blank = extractor.extract("  \r\n\n");
        assertThat(blank.reply()).isEmpty();
        assertThat(blank.replyWithSignature()).isEmpty();
        assertThat(blank.signature()).isEmpty();
    }

    @Test
    void reads_windows_line_endings_and_trims_trailing_spaces() {
        String mail =
                "Yes, please.   \r\n\r\nOn Mon, Feb 5, 2024 at 10:14 AM Northwind <help@northwind.example> wrote:\r\n> Refund?\r\n";

        assertThat(reply(mail)).isEqualTo("Yes, please.");
    }
}
