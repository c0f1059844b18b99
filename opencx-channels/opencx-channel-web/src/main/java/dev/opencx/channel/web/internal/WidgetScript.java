package dev.opencx.channel.web.internal;

import dev.opencx.webhook.WebRequest;
import dev.opencx.webhook.WebResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.GZIPOutputStream;

/** The chat widget's JavaScript bundle, served as is or gzipped, with an ETag. */
public final class WidgetScript {
    /** Where the bundle lives on the class path. */
    public static final String RESOURCE = "/dev/opencx/channel/web/widget.js";

    private static final WidgetScript INSTANCE = load();

    private final byte[] plain;
    private final byte[] gzipped;
    private final String etag;

    private WidgetScript(byte[] plain) {
        this.plain = plain;
        this.gzipped = gzip(plain);
        try {
            this.etag = "\""
                    + HexFormat.of()
                            .formatHex(MessageDigest.getInstance("SHA-256").digest(plain), 0, 12) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }

    public static WidgetScript get() {
        return INSTANCE;
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

    private static WidgetScript load() {
        try (InputStream in = WidgetScript.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the widget bundle " + RESOURCE + " is missing from the class path");
            }
            return new WidgetScript(in.readAllBytes());
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
