package vn.customs.cw.ops;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;

/**
 * The warehouse's run lock: one writer at a time (Delta allows one writer per table, and two runs
 * would MERGE the same files). A lock file created atomically holds its owner; a second run
 * refuses, naming the owner and the lock's age.
 */
public final class RunLock implements AutoCloseable {
    public static final String FILE = "cw-run.lock";

    /** Who holds the lock. */
    public record Owner(String runId, String command, long pid, String host, Instant started) {
        public Duration age() {
            return Duration.between(started, Instant.now());
        }

        /** Stale: the owning process is not alive on this host (a lock from another host is never stale). */
        public boolean isStale() {
            return host.equals(hostName()) && ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
        }

        public String describe() {
            long s = Math.max(0, age().toSeconds());
            return "run " + runId + " (" + command + ", pid " + pid + " on " + host + ") since " + started
                    + String.format(" (age %dh%02dm%02ds)", s / 3600, (s % 3600) / 60, s % 60);
        }
    }

    /** Thrown when another run holds the lock. */
    public static final class LockedException extends IllegalStateException {
        public LockedException(String m) { super(m); }
    }

    private final Path file;

    private RunLock(Path file) {
        this.file = file;
    }

    public static RunLock acquire(Path locksDir, String runId, String command) {
        Path f = locksDir.resolve(FILE);
        Owner me = new Owner(runId, command, ProcessHandle.current().pid(), hostName(), Instant.now());
        try {
            Files.createDirectories(locksDir);
            Files.writeString(f, serialize(me), StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE_NEW,
                    java.nio.file.StandardOpenOption.WRITE);
            return new RunLock(f);
        } catch (FileAlreadyExistsException e) {
            Optional<Owner> o = owner(locksDir);
            throw new LockedException("warehouse is locked by " + o.map(Owner::describe).orElse("an unreadable lock " + f)
                    + (o.map(Owner::isStale).orElse(false) ? "; its process is gone: run './cw unlock'" : "")
                    + " (lock file " + f + ")");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create lock " + f, e);
        }
    }

    public static Optional<Owner> owner(Path locksDir) {
        Path f = locksDir.resolve(FILE);
        try {
            Properties p = new Properties();
            p.load(new StringReader(Files.readString(f, StandardCharsets.UTF_8)));
            return Optional.of(new Owner(p.getProperty("run_id"), p.getProperty("command"),
                    Long.parseLong(p.getProperty("pid", "-1")), p.getProperty("host", "?"),
                    Instant.parse(p.getProperty("started", Instant.EPOCH.toString()))));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.of(new Owner("?", "?", -1, "?", Instant.EPOCH));
        }
    }

    /**
     * Removes a lock whose process is gone on this host, or any lock with {@code force}.
     *
     * @return what was done, one line
     */
    public static String unlock(Path locksDir, boolean force) {
        Path f = locksDir.resolve(FILE);
        Optional<Owner> o = owner(locksDir);
        if (o.isEmpty()) return "no lock held (" + f + ")";
        if (!force && !o.get().isStale()) {
            throw new LockedException("lock held by a live " + o.get().describe()
                    + "; not removed (use --force if you are sure it is dead)");
        }
        try {
            Files.deleteIfExists(f);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove lock " + f, e);
        }
        return "removed lock of " + o.get().describe();
    }

    @Override
    public void close() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot release lock " + file, e);
        }
    }

    static String serialize(Owner o) {
        Properties p = new Properties();
        p.setProperty("run_id", o.runId());
        p.setProperty("command", o.command());
        p.setProperty("pid", Long.toString(o.pid()));
        p.setProperty("host", o.host());
        p.setProperty("started", o.started().toString());
        StringWriter w = new StringWriter();
        try {
            p.store(w, "customs-warehouse run lock");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
