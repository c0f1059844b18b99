package com.example.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opencx.OpenCx;
import dev.opencx.channel.OutboundMessage;
import dev.opencx.channel.api.ApiChannel;
import dev.opencx.conversation.Identity;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

/** OpenCX in a Boot 4 context, with Boot's Jackson 3 beside the Jackson 2 OpenCX uses. */
@SpringBootTest
class SupportApplicationTest {

    @TempDir
    static Path data;

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) {
        registry.add("support.data", () -> data.toString());
    }

    @Autowired
    OpenCx cx;

    @Autowired
    ApiChannel api;

    @Autowired
    JsonMapper bootJson; // Jackson 3, auto-configured by Boot

    @Test
    void answers_inside_a_boot_application() throws Exception {
        List<OutboundMessage> replies = new CopyOnWriteArrayList<>();
        api.onReply(replies::add);
        api.receive(Identity.email("ana@example.com"), "How long do I have to return something?")
                .join();
        cx.awaitIdle(Duration.ofSeconds(30));
        assertThat(replies).singleElement().satisfies(r -> assertThat(r.text()).contains("30 days"));
    }

    @Test
    void keeps_the_versions_opencx_is_built_with_next_to_boots_own() {
        String jackson2 = com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION.toString();
        String jackson2Core = com.fasterxml.jackson.core.json.PackageVersion.VERSION.toString();
        String jetty = org.eclipse.jetty.util.Jetty.VERSION;
        System.out.printf(
                "Jackson 2 %s (core %s), Jackson 3 %s, Jetty %s, Kotlin %s, Spring Boot %s%n",
                jackson2,
                jackson2Core,
                tools.jackson.databind.cfg.PackageVersion.VERSION,
                jetty,
                kotlin.KotlinVersion.CURRENT,
                org.springframework.boot.SpringBootVersion.getVersion());
        // opencx-bom's versions, not Boot 4.0.7's 2.21.4 and 12.1.10
        assertThat(jackson2).isEqualTo(jackson2Core).isEqualTo("2.22.4");
        assertThat(jetty).isEqualTo("12.1.12");
        assertThat(bootJson.writeValueAsString(java.util.Map.of("ok", true))).isEqualTo("{\"ok\":true}");
    }
}
