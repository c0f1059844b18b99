package dev.opencx.channel.email.reply;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@link ReplyExtractor#htmlToText}: HTML quote containers as the clients write them. */
class HtmlQuotesTest {

    private final ReplyExtractor extractor = ReplyExtractor.defaults();

    @Test
    void drops_a_gmail_quote_and_keeps_paragraphs() {
        String html =
                """
                <div dir="ltr">Size M, please.<div><br></div><div>And can you ship it by Friday?</div></div><br>
                <div class="gmail_quote"><div dir="ltr" class="gmail_attr">On Mon, Feb 5, 2024 at 10:14 AM Northwind &lt;<a href="mailto:help@northwind.example">help@northwind.example</a>&gt; wrote:<br></div>
                <blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex;border-left:1px solid rgb(204,204,204);padding-left:1ex">
                <div dir="ltr">Which size do you need?</div></blockquote></div>
                """;

        assertThat(extractor.htmlToText(html)).isEqualTo("Size M, please.\n\nAnd can you ship it by Friday?");
    }

    @Test
    void drops_an_apple_mail_quote() {
        String html =
                """
                <html><head><meta http-equiv="content-type" content="text/html; charset=utf-8"></head>
                <body dir="auto"><div dir="ltr">Yes, that works.</div><div dir="ltr"><br><blockquote type="cite">On 5 Feb 2024, at 10:14, Northwind &lt;help@northwind.example&gt; wrote:<br><br></blockquote></div>
                <blockquote type="cite"><div dir="ltr">Would Friday work for the delivery?</div></blockquote></body></html>
                """;

        assertThat(extractor.htmlToText(html)).isEqualTo("Yes, that works.");
    }

    @Test
    void drops_a_thunderbird_quote_with_its_attribution() {
        String html =
                "<p>Danke, erledigt.</p><div class=\"moz-cite-prefix\">Am 05.02.24 um 10:14 schrieb Northwind:<br></div>"
                        + "<blockquote type=\"cite\" cite=\"mid:1@northwind.example\"><p>Bitte starten Sie den Router neu.</p></blockquote>";

        assertThat(extractor.htmlToText(html)).isEqualTo("Danke, erledigt.");
    }

    @Test
    void drops_history_after_outlooks_header_box() {
        String html =
                """
                <div class="WordSection1"><p class="MsoNormal">Please cancel order 1042.<o:p></o:p></p>
                <p class="MsoNormal"><o:p>&nbsp;</o:p></p>
                <p class="MsoNormal">Regards<o:p></o:p></p><p class="MsoNormal">Ana<o:p></o:p></p>
                <p class="MsoNormal"><o:p>&nbsp;</o:p></p>
                <div style="border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm">
                <p class="MsoNormal"><b>Von:</b> Northwind Support &lt;help@northwind.example&gt;<br><b>Gesendet:</b> Montag, 5. Februar 2024 10:14<br>
                <b>An:</b> Ana Lima &lt;ana@mail.example&gt;<br><b>Betreff:</b> Ihre Bestellung 1042<o:p></o:p></p></div>
                <p class="MsoNormal"><o:p>&nbsp;</o:p></p><p class="MsoNormal">Your order 1042 has shipped.<o:p></o:p></p></div>
                """;

        String text = extractor.htmlToText(html);

        assertThat(text).isEqualTo("Please cancel order 1042.\n\nRegards\nAna");
        assertThat(extractor.extract(text).reply()).isEqualTo("Please cancel order 1042.");
    }

    @Test
    void drops_history_after_outlook_on_the_webs_reply_marker() {
        String html =
                """
                <div style="font-family: Calibri">Still not working.</div>
                <div id="appendonsend"></div>
                <hr style="display:inline-block;width:98%" tabindex="-1">
                <div id="divRplyFwdMsg" dir="ltr"><font face="Calibri"><b>From:</b> Northwind Support<br><b>Sent:</b> Monday, February 5, 2024 10:14 AM<br>
                <b>To:</b> Ana Lima<br><b>Subject:</b> RE: Router</font><div>&nbsp;</div></div>
                <div>Please restart the router.</div>
                """;

        assertThat(extractor.htmlToText(html)).isEqualTo("Still not working.");
    }

    @Test
    void drops_a_yahoo_quote() {
        String html = "<div class=\"ydp1\"><div>Merci, c'est reçu.</div></div><div class=\"yahoo_quoted\">"
                + "<div>Le lundi 5 février 2024, 10:14:00 UTC+1, Northwind &lt;help@northwind.example&gt; a écrit :</div>"
                + "<div>Avez-vous reçu le colis ?</div></div>";

        assertThat(extractor.htmlToText(html)).isEqualTo("Merci, c'est reçu.");
    }

    @Test
    void keeps_answers_written_between_html_quotes() {
        String html = "<div>On Mon, Feb 5, 2024 at 10:14 AM Northwind &lt;help@northwind.example&gt; wrote:</div>"
                + "<blockquote type=\"cite\">Which size do you need?</blockquote><div>Size M.</div>"
                + "<blockquote type=\"cite\">Which colour?</blockquote><div>Blue, please.</div>"
                + "<blockquote type=\"cite\">Anything else?</blockquote>";

        String text = extractor.htmlToText(html);

        assertThat(text).contains("> Which size do you need?", "Size M.", "> Which colour?", "Blue, please.");
        assertThat(text).doesNotContain("Anything else?");
        assertThat(extractor.extract(text).reply())
                .isEqualTo("> Which size do you need?\nSize M.\n> Which colour?\nBlue, please.");
    }

    @Test
    void keeps_a_reply_written_below_an_html_quote() {
        String html = "<blockquote type=\"cite\">Did the parcel arrive?</blockquote><p>Yes, this morning.</p>";

        assertThat(extractor.extract(extractor.htmlToText(html)).reply()).isEqualTo("Yes, this morning.");
    }

    @Test
    void marks_a_gmail_signature_so_that_extract_separates_it() {
        String html = "<div dir=\"ltr\">The link works now.<br clear=\"all\"><div><br></div>"
                + "<div dir=\"ltr\" class=\"gmail_signature\"><div>Ana Lima</div><div>Northwind Trading</div></div></div>";

        ExtractedReply r = extractor.extract(extractor.htmlToText(html));

        assertThat(r.reply()).isEqualTo("The link works now.");
        assertThat(r.signature()).isEqualTo("--\nAna Lima\nNorthwind Trading");
    }

    @Test
    void renders_lists_line_breaks_and_entities_readably() {
        String html =
                "<p>I ordered:</p><ul><li>2 &times; shirts</li><li>1 &times; scarf</li></ul><p>Line one<br>line&nbsp;two</p>"
                        + "<script>alert(1)</script><style>p{}</style>";

        assertThat(extractor.htmlToText(html))
                .isEqualTo("I ordered:\n\n- 2 × shirts\n- 1 × scarf\n\nLine one\nline two");
    }

    @Test
    void keeps_an_html_mail_without_quotes_whole() {
        assertThat(extractor.htmlToText("<p>Hello,</p><p>where is my order?</p>"))
                .isEqualTo("Hello,\n\nwhere is my order?");
        assertThat(extractor.htmlToText("")).isEmpty();
    }
}
