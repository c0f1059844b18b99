package dev.opencx.knowledge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChunkerTest {

    private static KnowledgeDocument md(String body) {
        return KnowledgeDocument.of("doc", "Help", body, BodyFormat.MARKDOWN);
    }

    @Test
    void markdown_headings_become_heading_paths() {
        String body =
                "Intro text.\n\n# Returns\n\nReturn within 30 days.\n\n## Refund timing\n\nRefunds take **5** days."
                        + "\n\n## Exchanges ##\n\nSwap sizes for free.\n\n# Shipping\n\nWe ship worldwide.";
        List<Passage> ps = Chunker.defaults().chunk(md(body));
        assertThat(ps)
                .extracting(Passage::heading)
                .containsExactly("", "Returns", "Returns › Refund timing", "Returns › Exchanges", "Shipping");
        assertThat(ps).extracting(Passage::id).containsExactly("doc#0", "doc#1", "doc#2", "doc#3", "doc#4");
        assertThat(ps.get(2).text()).isEqualTo("Refunds take 5 days.");
        assertThat(ps.get(2).title()).isEqualTo("Help");
        assertThat(ps.get(2).documentId()).isEqualTo("doc");
    }

    @Test
    void hashes_inside_code_fences_are_not_headings() {
        List<Passage> ps = Chunker.defaults().chunk(md("# Setup\n\n```\n# not a heading\nrun it\n```\n\nDone."));
        assertThat(ps).hasSize(1);
        assertThat(ps.get(0).heading()).isEqualTo("Setup");
        assertThat(ps.get(0).text()).contains("# not a heading").contains("Done.");
    }

    @Test
    void markdown_links_and_emphasis_are_reduced_to_text() {
        List<Passage> ps = Chunker.defaults().chunk(md("See [the policy](https://x.y/p) and `code` ~~old~~ **bold**."));
        assertThat(ps.get(0).text()).isEqualTo("See the policy and code old bold.");
    }

    @Test
    void setext_headings_are_recognised() {
        List<Passage> ps =
                Chunker.defaults().chunk(md("Billing\n=======\n\nInvoices monthly.\n\nCards\n-----\n\nVisa."));
        assertThat(ps).extracting(Passage::heading).containsExactly("Billing", "Billing › Cards");
    }

    @Test
    void paragraphs_are_grouped_up_to_the_target_size() {
        String para = "This sentence is about forty characters. ".repeat(5).strip(); // ~200 chars
        String body = String.join("\n\n", java.util.Collections.nCopies(12, para));
        List<Passage> ps = Chunker.of(600, 900).chunk(KnowledgeDocument.of("d", "T", body, BodyFormat.PLAIN));
        assertThat(ps).hasSizeBetween(3, 5);
        assertThat(ps).allSatisfy(p -> assertThat(p.text().length()).isLessThanOrEqualTo(900));
        assertThat(ps.subList(0, ps.size() - 1))
                .allSatisfy(p -> assertThat(p.text().length()).isGreaterThanOrEqualTo(600));
        assertThat(String.join("\n\n", ps.stream().map(Passage::text).toList())).isEqualTo(body);
    }

    @Test
    void long_paragraphs_are_split_at_sentences() {
        String body = "Short sentence number one here. ".repeat(100).strip();
        List<Passage> ps = Chunker.of(300, 400).chunk(KnowledgeDocument.of("d", "T", body, BodyFormat.PLAIN));
        assertThat(ps.size()).isGreaterThan(5);
        assertThat(ps).allSatisfy(p -> {
            assertThat(p.text().length()).isLessThanOrEqualTo(400);
            assertThat(p.text()).endsWith(".");
        });
    }

    @Test
    void a_giant_sentence_is_cut_hard() {
        String body = "word ".repeat(1000);
        List<Passage> ps = Chunker.of(300, 400).chunk(KnowledgeDocument.of("d", "T", body, BodyFormat.PLAIN));
        assertThat(ps).allSatisfy(p -> assertThat(p.text().length()).isLessThanOrEqualTo(400));
        assertThat(ps.stream().mapToInt(p -> p.text().split(" ").length).sum()).isEqualTo(1000);
    }

    @Test
    void html_is_stripped_and_cut_at_headings() {
        String html = "<html><head><title>x</title><style>p{color:red}</style></head><body>"
                + "<h1>Returns</h1><p>Return within <b>30&nbsp;days</b> &amp; keep the receipt.</p>"
                + "<!-- hidden --><script>var a = '<h2>no</h2>';</script>"
                + "<h2 class=\"x\">Refund <i>timing</i></h2><p>Refunds take 5&ndash;7 days &#8212; sometimes &#x41;.</p>"
                + "<ul><li>Card</li><li>PayPal</li></ul><p>Caf&eacute; &unknown; 3 &lt; 4</p></body></html>";
        List<Passage> ps = Chunker.defaults()
                .chunk(new KnowledgeDocument("h", "Help", html, BodyFormat.HTML, null, "en", null, null));
        assertThat(ps).extracting(Passage::heading).containsExactly("Returns", "Returns › Refund timing");
        assertThat(ps.get(0).text()).isEqualTo("Return within 30 days & keep the receipt.");
        assertThat(ps.get(1).text())
                .isEqualTo("Refunds take 5–7 days — sometimes A.\n\nCard\n\nPayPal\n\nCaf&eacute; &unknown; 3 < 4");
        assertThat(ps).allSatisfy(p -> assertThat(p.text()).doesNotContain("color", "hidden", "var a"));
    }

    @Test
    void broken_html_does_not_fail() {
        List<Passage> ps = Chunker.defaults()
                .chunk(KnowledgeDocument.of("h", "T", "<p>Unclosed <b attr='>'>bold <h3>Head", BodyFormat.HTML));
        // the unclosed heading at the end has no text under it, so it yields no passage
        assertThat(ps).singleElement().extracting(Passage::text).isEqualTo("Unclosed bold");
    }

    @Test
    void plain_text_is_cut_at_blank_lines_only_when_over_target() {
        List<Passage> ps = Chunker.defaults()
                .chunk(KnowledgeDocument.of("p", "T", "One.\n\n\nTwo.\r\n\r\nThree.", BodyFormat.PLAIN));
        assertThat(ps).singleElement().extracting(Passage::text).isEqualTo("One.\n\nTwo.\n\nThree.");
    }

    @Test
    void an_empty_body_still_yields_one_passage() {
        List<Passage> ps = Chunker.defaults().chunk(KnowledgeDocument.of("e", "Only a title", "", BodyFormat.MARKDOWN));
        assertThat(ps).singleElement().satisfies(p -> {
            assertThat(p.id()).isEqualTo("e#0");
            assertThat(p.title()).isEqualTo("Only a title");
            assertThat(p.text()).isEmpty();
        });
    }

    @Test
    void rejects_bad_sizes_and_null() {
        assertThatThrownBy(() -> Chunker.of(10, 100))
                .hasMessageContaining("targetChars")
                .hasMessageContaining("10");
        assertThatThrownBy(() -> Chunker.of(500, 100)).hasMessageContaining("maxChars");
        assertThatThrownBy(() -> Chunker.defaults().chunk(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void decodes_entities() {
        assertThat(Chunker.decodeEntities("a &amp;&lt;b&gt; &quot;c&quot; &#39;d&#x27; &euro;5 &bogus;"))
                .isEqualTo("a &<b> \"c\" 'd' €5 &bogus;");
    }
}
