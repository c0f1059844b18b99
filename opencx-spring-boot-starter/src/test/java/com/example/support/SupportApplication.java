package com.example.support;

// README: spring boot
import dev.opencx.spring.boot.OpenCxCustomizer;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

@SpringBootApplication
public class SupportApplication {
    public static void main(String[] args) {
        SpringApplication.run(SupportApplication.class, args);
    }

    @Bean
    OpenCxCustomizer support() {
        return builder -> builder.maxMessageChars(4_000) // longer customer messages are refused
                .maxMessagesPerSession(500);
    }
}
// end README
