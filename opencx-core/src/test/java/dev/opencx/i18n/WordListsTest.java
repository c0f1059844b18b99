package dev.opencx.i18n;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class WordListsTest {
    private final ClassLoader loader = getClass().getClassLoader();

    @Test
    void lists_the_languages_of_the_index() {
        assertThat(WordLists.languages(loader)).containsExactly("en", "es", "fr", "de", "pt");
    }

    @Test
    void reads_common_then_each_languages_file_by_section() {
        WordLists lists = WordLists.load("dev/opencx/i18n/test/lists", loader);
        assertThat(lists.languages()).containsExactly("en", "es");
        assertThat(lists.list("words")).containsExactly("👍", "hello", "customer service", "hola");
        assertThat(lists.list("es", "words")).containsExactly("hola");
        assertThat(lists.list("fr", "words")).isEmpty();
        assertThat(lists.list("nothing")).isEmpty();
    }

    @Test
    void reads_values_after_an_equals_sign_and_keeps_spaces_in_quotes() {
        WordLists lists = WordLists.load("dev/opencx/i18n/test/lists", loader);
        assertThat(lists.map("weights"))
                .containsEntry("sorry", "0.2")
                .containsEntry("n't\\b", " not")
                .containsEntry("empty", "");
        assertThat(lists.entries("en", "weights").get(0).weight()).isEqualTo(0.2);
        assertThatThrownBy(() -> lists.weights("weights"))
                .isInstanceOf(NumberFormatException.class)
                .hasMessageContaining("'n't\\b' needs a number");
    }

    @Test
    void refuses_a_folder_without_files_and_a_line_before_any_section() {
        assertThatThrownBy(() -> WordLists.load("dev/opencx/i18n/test/none", loader))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("dev/opencx/i18n/test/none");
        assertThatThrownBy(() -> WordLists.load("dev/opencx/i18n/test/bad", loader))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'hello' comes before any [section]");
    }

    @Test
    void every_shipped_folder_has_english_lists() {
        for (String folder : List.of(
                "dev/opencx/handoff/human-request",
                "dev/opencx/handoff/frustration",
                "dev/opencx/handoff/normalizer",
                "dev/opencx/action/confirmation",
                "dev/opencx/i18n/language-guesser",
                "dev/opencx/responder/stopwords")) {
            assertThat(WordLists.load(folder, loader).languages()).as(folder).contains("en");
        }
    }
}
