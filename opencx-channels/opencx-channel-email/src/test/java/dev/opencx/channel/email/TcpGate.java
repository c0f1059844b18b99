package dev.opencx.channel.email;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP relay on loopback in front of a mail server, that a test can shut: every open connection
 * is cut and new ones are closed at once (the server seems down), until it is opened again.
 */
final class TcpGate implements AutoCloseable {
    private final ServerSocket server;
    private final int target;
    private final Set<Socket> live = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger refuse = new AtomicInteger();
    private volatile boolean open = true;
    private volatile boolean closed;

    TcpGate(int targetPort) throws IOException {
        this.target = targetPort;
        this.server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread t = new Thread(this::acceptLoop, "tcp-gate-" + targetPort);
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** Connections accepted while open. */
    int connections() {
        return accepted.get();
    }

    /** Cuts every connection and refuses new ones. */
    void shut() {
        open = false;
        for (Socket s : live) {
            closeQuietly(s);
        }
        live.clear();
    }

    void open() {
        open = true;
    }

    /**
     * The next {@code n} connections get an SMTP {@code 421} greeting (service not available, try
     * later) and are closed; open connections are cut so that the client connects again.
     */
    void refuseNextWith421(int n) {
        refuse.set(n);
        for (Socket s : live) {
            closeQuietly(s);
        }
        live.clear();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return;
            }
            if (!open) {
                closeQuietly(client);
                continue;
            }
            if (refuse.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                try {
                    client.getOutputStream()
                            .write("421 4.3.2 Service not available, try again later\r\n"
                                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    client.getOutputStream().flush();
                } catch (IOException ignored) {
                    // the client went away
                }
                closeQuietly(client);
                continue;
            }
            try {
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
                accepted.incrementAndGet();
                live.add(client);
                live.add(upstream);
                pump(client, upstream);
                pump(upstream, client);
            } catch (IOException e) {
                closeQuietly(client);
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(
                () -> {
                    byte[] buf = new byte[8192];
                    try (InputStream in = from.getInputStream();
                            OutputStream out = to.getOutputStream()) {
                        int n;
                        while ((n = in.read(buf)) > 0) {
                            out.write(buf, 0, n);
                            out.flush();
                        }
                    } catch (IOException ignored) {
                        // cut
                    } finally {
                        closeQuietly(from);
                        closeQuietly(to);
                        live.remove(from);
                        live.remove(to);
                    }
                },
                "tcp-gate-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        closed = true;
        shut();
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
