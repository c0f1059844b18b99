package dev.opencx.store.jdbc;

import dev.opencx.OpenCxException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;

/**
 * Folders and files the store creates are private to the user running it: folders {@code
 * rwx------}, files {@code rw-------}, set explicitly (the umask cannot widen them) before any data
 * is written. On a file system without POSIX permissions (Windows) they are created with its
 * defaults, silently. Existing folders and files are left as they are.
 */
final class PrivateFiles {
    static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private PrivateFiles() {}

    /** Creates {@code dir} and its missing parents, each {@code rwx------}. */
    static void createDirectories(Path dir) {
        Path absolute = dir.toAbsolutePath();
        Deque<Path> missing = new ArrayDeque<>();
        for (Path p = absolute; p != null && !Files.isDirectory(p); p = p.getParent()) {
            missing.push(p);
        }
        try {
            while (!missing.isEmpty()) {
                Path p = missing.pop();
                try {
                    Files.createDirectory(p);
                } catch (FileAlreadyExistsException e) {
                    if (!Files.isDirectory(p)) {
                        throw e;
                    }
                    continue; // created meanwhile by someone else: theirs to set
                }
                restrict(p, DIRECTORY);
            }
        } catch (IOException e) {
            throw OpenCxException.permanent("cannot create the store directory " + absolute, e);
        }
    }

    /**
     * Creates the empty file {@code rw-------} when it does not exist.
     *
     * @return true when this call created it
     */
    static boolean createFile(Path file) {
        try {
            Files.createFile(file);
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (IOException e) {
            throw OpenCxException.permanent("cannot create the database file " + file.toAbsolutePath(), e);
        }
        restrictFile(file);
        return true;
    }

    /** Makes an existing file {@code rw-------}. */
    static void restrictFile(Path file) {
        try {
            restrict(file, FILE);
        } catch (IOException e) {
            throw OpenCxException.permanent("cannot make the database file " + file.toAbsolutePath() + " private", e);
        }
    }

    private static void restrict(Path p, Set<PosixFilePermission> permissions) throws IOException {
        try {
            Files.setPosixFilePermissions(p, permissions);
        } catch (UnsupportedOperationException e) {
            // no POSIX permissions on this file system: nothing to set
        }
    }
}
