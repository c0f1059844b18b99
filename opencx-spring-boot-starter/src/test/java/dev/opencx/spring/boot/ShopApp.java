package dev.opencx.spring.boot;

import dev.opencx.responder.EmbeddedResponder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A Spring Boot application of a shop that adds the starter: its own controller at {@code
 * /hello}, and one customizer (the embedded responder answers every question it finds a passage
 * for, so the tests read an AI reply for each).
 */
@SpringBootApplication
public class ShopApp {

    @Bean
    OpenCxCustomizer confidentAnswers() {
        return builder -> builder.confidenceModel(new EmbeddedResponder.ConfidenceModel(20, 0, 0, 0, 0));
    }

    @RestController
    static class Hello {
        @GetMapping("/hello")
        String hello() {
            return "hello from the shop";
        }
    }

    /** Two help-center articles in a folder, as {@code opencx.knowledge.articles} reads them. */
    static Path articles(Path dir) {
        try {
            Path folder = Files.createDirectories(dir.resolve("help-center"));
            Files.writeString(
                    folder.resolve("returns.md"),
                    """
                    ---
                    id: returns
                    title: Returns and refunds
                    url: https://shop.example/help/returns
                    ---
                    Refunds reach your card within five business days after we receive the item.
                    """);
            Files.writeString(
                    folder.resolve("shipping.md"),
                    """
                    ---
                    id: shipping
                    title: Shipping to Canada
                    url: https://shop.example/help/shipping
                    ---
                    We ship to Canada with tracked delivery in 7 to 10 days.
                    """);
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
