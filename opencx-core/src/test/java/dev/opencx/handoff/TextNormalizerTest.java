package dev.opencx.handoff;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class TextNormalizerTest {

    @Test
    void tokensAreTheRunsOfLettersAndNumbersWithShorthandExpanded() {
        assertThat(TextNormalizer.tokens("I CAN'T log in!!! dont know why... (order #1042)"))
                .containsExactly("i", "can", "not", "log", "in", "do", "not", "know", "why", "order", "1042");
        // accents folded; compatibility forms as NFKD spells them (½ is 1/2, Ⅻ is XII, 𝟘 is 0)
        assertThat(TextNormalizer.tokens("¿Dónde está mi pedido? ½ Ⅻ 𝟘x"))
                .containsExactly("donde", "esta", "mi", "pedido", "1", "2", "xii", "0x");
        assertThat(TextNormalizer.tokens("  ...  ")).isEmpty();
    }

    @Test
    void theScannerSplitsExactlyAsTheRegexClassOfLettersAndNumbers() {
        // the tokenizer scans code points instead of running [^\p{L}\p{N}]+: same tokens on any text
        Pattern nonWord = Pattern.compile("[^\\p{L}\\p{N}]+");
        String alphabet = "ab Z9_-'!?.,\u00e9\u00df\u0130\u00bd\u2167\u0660\u4e2d\ud835\udfd8\ud83d\ude00 \t\n";
        SplittableRandom r = new SplittableRandom(7);
        for (int n = 0; n < 2_000; n++) {
            StringBuilder b = new StringBuilder();
            int len = r.nextInt(30);
            for (int i = 0; i < len; i++) {
                int at = r.nextInt(alphabet.length());
                char c = alphabet.charAt(at);
                if (Character.isHighSurrogate(c) && at + 1 < alphabet.length()) {
                    b.append(c).append(alphabet.charAt(at + 1));
                } else if (!Character.isLowSurrogate(c)) {
                    b.append(c);
                }
            }
            String folded = TextNormalizer.fold(b.toString()).replace("'", " ");
            List<String> expected = new ArrayList<>();
            String cut = nonWord.matcher(folded).replaceAll(" ").trim();
            if (!cut.isEmpty()) {
                expected.addAll(Arrays.asList(cut.split(" ")));
            }
            assertThat(TextNormalizer.tokens(folded))
                    .as("tokens of '%s'", folded)
                    .isEqualTo(expected);
        }
    }
}
