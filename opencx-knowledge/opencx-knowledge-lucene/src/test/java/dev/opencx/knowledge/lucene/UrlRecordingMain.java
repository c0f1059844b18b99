package dev.opencx.knowledge.lucene;

import java.io.IOException;
import java.net.Proxy;
import java.net.URL;
import java.net.URLConnection;
import java.net.URLStreamHandler;

/**
 * Run in a child JVM by {@link OfflineRuntimeTest}: records every http(s) URL the process opens
 * (printing {@code OPENED <url>} and failing the connection, so nothing leaves the machine), then
 * loads the in-process model and embeds one sentence.
 */
public final class UrlRecordingMain {

    private UrlRecordingMain() {}

    public static void main(String[] args) {
        URL.setURLStreamHandlerFactory(protocol -> protocol.equals("http") || protocol.equals("https")
                ? new URLStreamHandler() {
                    @Override
                    protected URLConnection openConnection(URL url) throws IOException {
                        return openConnection(url, Proxy.NO_PROXY);
                    }

                    @Override
                    protected URLConnection openConnection(URL url, Proxy proxy) throws IOException {
                        System.out.println("OPENED " + url);
                        System.out.flush();
                        throw new IOException("blocked by the test: " + url);
                    }
                }
                : null);
        try (MiniLmEmbeddingModel model = MiniLmEmbeddingModel.builder().build()) {
            System.out.println(
                    "EMBEDDED " + model.embed("where is my parcel?").content().dimension());
        }
        System.out.println("OPT_OUT_TRACKING=" + System.getProperty(OfflineRuntime.DJL_TRACKING_OPT_OUT));
    }
}
