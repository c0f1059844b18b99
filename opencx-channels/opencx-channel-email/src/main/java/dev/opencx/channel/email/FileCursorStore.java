package dev.opencx.channel.email;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * {@link EmailCursorStore#file(Path)}: {@code key=uidValidity:lastUid:lastReceivedMillis} lines,
 * rewritten through a flushed temporary file and an atomic rename.
 */
final class FileCursorStore implements EmailCursorStore {
    private final Path file;

    FileCursorStore(Path file) {
        this.file = Objects.requireNonNull(file, "file").toAbsolutePath();
    }

    @Override
    public synchronized Optional<EmailCursor> load(String key) {
        Objects.requireNonNull(key, "key");
        return Optional.ofNullable(read().get(key));
    }

    @Override
    public synchronized void save(String key, EmailCursor cursor) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(cursor, "cursor");
        Map<String, EmailCursor> all = read();
        all.put(key, cursor);
        StringBuilder text =
                new StringBuilder("# OpenCX e-mail channel cursors: key=uidValidity:lastUid:lastReceivedMillis\n");
        for (Map.Entry<String, EmailCursor> e : all.entrySet()) {
            EmailCursor c = e.getValue();
            text.append(escapeKey(e.getKey()))
                    .append('=')
                    .append(c.uidValidity())
                    .append(':')
                    .append(c.lastUid())
                    .append(':')
                    .append(c.lastReceived().toEpochMilli())
                    .append('\n');
        }
        write(text.toString().getBytes(StandardCharsets.UTF_8));
    }

    private Map<String, EmailCursor> read() {
        Map<String, EmailCursor> all = new TreeMap<>();
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return all;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the e-mail cursor file " + file, e);
        }
        for (String k : p.stringPropertyNames()) {
            String[] v = p.getProperty(k).strip().split(":");
            try {
                all.put(
                        k,
                        new EmailCursor(
                                Long.parseLong(v[0]),
                                Long.parseLong(v[1]),
                                Instant.ofEpochMilli(Long.parseLong(v[2]))));
            } catch (RuntimeException e) {
                throw new IllegalStateException(
                        "the e-mail cursor file " + file + " has a bad line for '" + k
                                + "': expected uidValidity:lastUid:lastReceivedMillis",
                        e);
            }
        }
        return all;
    }

    private void write(byte[] bytes) {
        try {
            Path dir = file.getParent();
            Files.createDirectories(dir);
            Path tmp = dir.resolve(file.getFileName() + ".tmp");
            try (FileChannel ch = FileChannel.open(
                    tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                d.force(true); // the rename itself reaches the disk
            } catch (IOException | UnsupportedOperationException ignored) {
                // some file systems cannot open a directory; the rename is still atomic
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the e-mail cursor file " + file, e);
        }
    }

    private static String escapeKey(String key) {
        StringBuilder b = new StringBuilder();
        for (char c : key.toCharArray()) {
            if (c == '=' || c == ':' || c == ' ' || c == '\\' || c == '#' || c == '!') {
                b.append('\\');
            }
            if (c < 0x20 || c > 0x7e) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return "EmailCursorStore.file(" + file + ")";
    }
}
