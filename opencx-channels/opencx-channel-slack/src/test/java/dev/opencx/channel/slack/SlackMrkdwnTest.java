package dev.opencx.channel.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SlackMrkdwnTest {

    @Test
    void converts_bold_italic_strike_and_code() {
        assertThat(SlackMrkdwn.fromMarkdown("**Refunds** take *five* days, __really__ ~~ten~~ `now`"))
                .isEqualTo("*Refunds* take _five_ days, *really* ~ten~ `now`");
        assertThat(SlackMrkdwn.fromMarkdown("***both*** and _kept_")).isEqualTo("*_both_* and _kept_");
    }

    @Test
    void converts_links_and_images_to_slack_links() {
        assertThat(SlackMrkdwn.fromMarkdown(
                        "See [the **returns** page](https://shop.example/returns?a=1&b=2 \"Returns\")."))
                .isEqualTo("See <https://shop.example/returns?a=1&amp;b=2|the *returns* page>.");
        assertThat(SlackMrkdwn.fromMarkdown("![diagram](https://shop.example/d.png)"))
                .isEqualTo("<https://shop.example/d.png|diagram>");
        assertThat(SlackMrkdwn.fromMarkdown("Write to <help@shop.example> or <https://shop.example>"))
                .isEqualTo("Write to <mailto:help@shop.example|help@shop.example> or <https://shop.example>");
        assertThat(SlackMrkdwn.fromMarkdown("[mail us](mailto:help@shop.example)"))
                .isEqualTo("<mailto:help@shop.example|mail us>");
    }

    @Test
    void a_link_to_anything_but_http_or_mail_keeps_only_its_text() {
        assertThat(SlackMrkdwn.fromMarkdown("[click](javascript:alert(1)) and [home](/relative)"))
                .isEqualTo("click and home");
    }

    @Test
    void escapes_ampersand_and_angle_brackets_so_no_text_can_ping_or_forge_a_link() {
        assertThat(SlackMrkdwn.fromMarkdown("Tom & Jerry <!channel> <@U0123> a<b>c"))
                .isEqualTo("Tom &amp; Jerry &lt;!channel&gt; &lt;@U0123&gt; a&lt;b&gt;c");
        assertThat(SlackMrkdwn.fromMarkdown("[x](https://a.example/|evil> <!here>)"))
                .doesNotContain("<!here>");
    }

    @Test
    void converts_headings_lists_quotes_and_rules() {
        String md = String.join(
                "\n",
                "# Your order",
                "## **Status**",
                "- shipped",
                "  - tracked",
                "* [ ] sign",
                "* [x] pay",
                "1. open the box",
                "2) check it",
                "> quoted & kept",
                "---",
                "end");
        assertThat(SlackMrkdwn.fromMarkdown(md))
                .isEqualTo(String.join(
                        "\n",
                        "*Your order*",
                        "*Status*",
                        "• shipped",
                        "    ◦ tracked",
                        "☐ sign",
                        "☑ pay",
                        "1. open the box",
                        "2. check it",
                        "> quoted &amp; kept",
                        "──────────",
                        "end"));
    }

    @Test
    void keeps_code_blocks_verbatim_but_escaped_and_drops_the_language() {
        String md = "Run:\n```bash\ncurl -s 'https://x.example?a=1&b=2' > out **not bold**\n```\ndone";
        assertThat(SlackMrkdwn.fromMarkdown(md))
                .isEqualTo("Run:\n```\ncurl -s 'https://x.example?a=1&amp;b=2' &gt; out **not bold**\n```\ndone");
    }

    @Test
    void shows_a_table_as_a_monospaced_block() {
        String md = "| plan | price |\n|---|---|\n| Pro | $10 |\nafter";
        assertThat(SlackMrkdwn.fromMarkdown(md))
                .isEqualTo("```\n| plan | price |\n|---|---|\n| Pro | $10 |\n```\nafter");
    }

    @Test
    void leaves_snake_case_multiplication_and_escaped_stars_alone() {
        assertThat(SlackMrkdwn.fromMarkdown("set max_retry_count to 2 * 3 and \\*literal\\*"))
                .isEqualTo("set max_retry_count to 2 * 3 and *literal*");
    }

    @Test
    void reads_slack_markup_back_as_plain_text() {
        assertThat(
                        SlackMrkdwn.toPlainText(
                                "Hi <@U0123>, <@U0456|maria> see <#C0789|general> <!here> <!subteam^S01|@support>:"
                                        + " <https://x.example/a?b=1&amp;c=2|the page> and <https://y.example> &lt;3 &amp; more"))
                .isEqualTo("Hi @U0123, @maria see #general @here @support: the page (https://x.example/a?b=1&c=2)"
                        + " and https://y.example <3 & more");
        assertThat(SlackMrkdwn.toPlainText("<mailto:ana@example.com|ana@example.com>"))
                .isEqualTo("ana@example.com");
    }

    @Test
    void splits_between_paragraphs_within_the_limit() {
        String a = "First paragraph. ".repeat(10).strip();
        String b = "Second paragraph. ".repeat(10).strip();
        List<String> parts = SlackMrkdwn.split(a + "\n\n" + b, a.length() + 10);
        assertThat(parts).containsExactly(a, b);
    }

    @Test
    void never_cuts_inside_a_link_or_an_escape() {
        String link = "<https://shop.example/a/very/long/path|the page with a long label>";
        String text = "word ".repeat(30) + link + " &amp; " + "tail ".repeat(30);
        for (int max = 40; max < text.length(); max += 7) {
            List<String> parts = SlackMrkdwn.split(text, Math.max(max, link.length() + 5));
            for (String p : parts) {
                assertThat(p.length()).isLessThanOrEqualTo(Math.max(max, link.length() + 5));
                assertThat(p.chars().filter(c -> c == '<').count())
                        .as("balanced link in %s", p)
                        .isEqualTo(p.chars().filter(c -> c == '>').count());
                assertThat(p).doesNotEndWith("&amp").doesNotEndWith("&");
            }
            assertThat(String.join(" ", parts).replaceAll("\\s+", " "))
                    .isEqualTo(text.strip().replaceAll("\\s+", " "));
        }
    }

    @Test
    void closes_and_reopens_a_code_block_cut_in_two() {
        StringBuilder code = new StringBuilder("```\n");
        for (int i = 0; i < 40; i++) {
            code.append("line ").append(i).append(" of the script\n");
        }
        code.append("```");
        List<String> parts = SlackMrkdwn.split("Here:\n" + code, 300);
        assertThat(parts).hasSizeGreaterThan(2).allSatisfy(p -> {
            assertThat(p.length()).isLessThanOrEqualTo(300);
            assertThat(p.split("```", -1).length % 2)
                    .as("fences balanced in %s", p)
                    .isEqualTo(1);
        });
        assertThat(parts.get(1)).startsWith("```\nline");
    }

    @Test
    void keeps_an_emoji_whole_when_it_must_cut_inside_a_word() {
        String text = "😀".repeat(40);
        List<String> parts = SlackMrkdwn.split(text, 21);
        assertThat(String.join("", parts)).isEqualTo(text);
        assertThat(parts).allSatisfy(p -> assertThat(Character.isHighSurrogate(p.charAt(p.length() - 1)))
                .isFalse());
    }

    @Test
    void refuses_a_tiny_limit() {
        assertThatThrownBy(() -> SlackMrkdwn.split("x", 5)).isInstanceOf(IllegalArgumentException.class);
    }
}
