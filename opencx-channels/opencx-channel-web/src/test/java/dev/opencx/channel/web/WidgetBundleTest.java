package dev.opencx.channel.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opencx.channel.web.internal.WidgetScript;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** The widget bundle: small, self-contained, served gzipped with caching headers. */
class WidgetBundleTest {
    static final int MAX_GZIPPED_BYTES = 30 * 1024;

    @Test
    void the_gzipped_bundle_is_at_most_30_kb() {
        int size = WidgetScript.get().gzipped().length;
        System.out.println("widget.js: " + WidgetScript.get().plain().length + " bytes, " + size + " bytes gzipped");
        assertThat(size).isLessThanOrEqualTo(MAX_GZIPPED_BYTES);
    }

    @Test
    void the_bundle_loads_nothing_else_and_never_evaluates_strings() {
        String js = new String(WidgetScript.get().plain(), StandardCharsets.UTF_8);
        assertThat(js).doesNotContain("eval(", "new Function", "document.write", "import(", "importScripts");
        assertThat(js).doesNotContainPattern("https?://(?!/)[a-z]");
    }

    @Test
    void the_server_sends_it_gzipped_with_an_etag_and_answers_304() throws IOException, InterruptedException {
        try (Rig rig = Rig.start()) {
            HttpResponse<byte[]> gz = rig.http.send(
                    HttpRequest.newBuilder(rig.uri("/widget.js"))
                            .header("Accept-Encoding", "gzip")
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(gz.statusCode()).isEqualTo(200);
            assertThat(gz.headers().firstValue("Content-Encoding")).hasValue("gzip");
            assertThat(gz.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
            assertThat(new GZIPInputStream(new ByteArrayInputStream(gz.body())).readAllBytes())
                    .isEqualTo(WidgetScript.get().plain());
            String etag = gz.headers().firstValue("ETag").orElseThrow();
            Rig.Resp plain = rig.get("/widget.js");
            assertThat(plain.body()).startsWith("/*! OpenCX chat widget");
            assertThat(rig.get("/widget.js", "If-None-Match", etag).status()).isEqualTo(304);
            assertThat(rig.post("/widget.js", "x").status()).isEqualTo(405);
        }
    }
}
