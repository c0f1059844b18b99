package dev.opencx.channel.web.internal;

import dev.opencx.webhook.WebRequest;
import dev.opencx.webhook.WebResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.GZIPOutputStream;

/**
 * The chat widget's JavaScript bundle, served as is or gzipped, with an ETag. The English texts
 * ({@link WidgetTexts}, overrides included) are written into the bundle where it says {@value
 * #TEXTS_MARK}, so an English page needs no second request; other languages are fetched from
 * {@code /widget/v1/texts}.
 */
public final class WidgetScript {
    /** Where the bundle lives on the class path. */
    public static final String RESOURCE = "/dev/opencx/channel/web/widget.js";

    /** Where the bundle takes its English texts: replaced by a JSON object. */
    public static final String TEXTS_MARK = "/*@opencx-texts*/{}";

    private static final byte[] SOURCE = load();
    private static final WidgetScript DEFAULT = of(WidgetTexts.defaults());

    private final byte[] plain;
    private final byte[] gzipped;
    private final String etag;

    private WidgetScript(byte[] plain) {
        this.plain = plain;
        this.gzipped = gzip(plain);
        this.etag = etag(plain);
    }

    /** A strong ETag for some bytes: 12 bytes of their SHA-256, quoted. */
    static String etag(byte[] bytes) {
        try {
            return "\""
                    + HexFormat.of()
                            .formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 12) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }

    /** The bundle with OpenCX's own English texts. */
    public static WidgetScript get() {
        return DEFAULT;
    }

    /** The bundle with the English texts of {@code texts}. */
    public static WidgetScript of(WidgetTexts texts) {
        String js = new String(SOURCE, StandardCharsets.UTF_8);
        if (!js.contains(TEXTS_MARK)) {
            throw new IllegalStateException("the widget bundle " + RESOURCE + " has no " + TEXTS_MARK);
        }
        // '<' escaped so no text can close a script element when the bundle is inlined in a page
        String json = Json.write(texts.json("en")).replace("<", "\\u003c");
        return new WidgetScript(js.replace(TEXTS_MARK, json).getBytes(StandardCharsets.UTF_8));
    }

    /** The bundle's bytes. */
    public byte[] plain() {
        return plain.clone();
    }

    /** The bundle gzipped (what most browsers download). */
    public byte[] gzipped() {
        return gzipped.clone();
    }

    public WebResponse serve(WebRequest r) {
        if (r.header("If-None-Match").map(etag::equals).orElse(false)) {
            return WebResponse.empty(304).withHeader("ETag", etag);
        }
        boolean gzip = r.header("Accept-Encoding").map(v -> v.contains("gzip")).orElse(false);
        WebResponse resp = WebResponse.of(200, "text/javascript; charset=utf-8", gzip ? gzipped : plain)
                .withHeader("Cache-Control", "public, max-age=300")
                .withHeader("ETag", etag)
                .withHeader("Vary", "Accept-Encoding")
                .withHeader("X-Content-Type-Options", "nosniff")
                .withHeader("Cross-Origin-Resource-Policy", "cross-origin");
        return gzip ? resp.withHeader("Content-Encoding", "gzip") : resp;
    }

    private static byte[] load() {
        try (InputStream in = WidgetScript.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the widget bundle " + RESOURCE + " is missing from the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the widget bundle " + RESOURCE, e);
        }
    }

    private static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 3 + 64);
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
