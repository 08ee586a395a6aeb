package vn.customs.cw.cli;

import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import vn.customs.cw.config.CwConfig;
import vn.customs.cw.spark.Sparks;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ./cw serve}: one JVM and one SparkSession that stay up between runs. A fresh JVM spends
 * most of a night's CPU starting Spark and compiling Spark, Catalyst, Delta and the generated
 * classes (the C2 compiler alone ≈ 200 s of a 263 s night, docs/performance.md); a server pays
 * that once. While it listens, {@code ./cw nightly|backfill|trs|report|maintain} send their command
 * line to it over a Unix socket (the launcher does this; {@code CW_SERVE=off} runs them in their own
 * JVM) and get its output and exit code back. One command at a time, in arrival order.
 *
 * <p>Every command must ask for the server's Spark settings (the session is shared and its static
 * settings cannot change): one that differs is refused with the differing key. The Delta log cache
 * is dropped before each command, so a table changed by another process (a notebook, {@code cw sql},
 * a restore) is read as it is on disk.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Keep one JVM and SparkSession up: ./cw nightly, backfill, trs, report and maintain then run in it "
                + "(no JVM start, no JIT warm-up per run). Stop it with ./cw serve --stop or SIGTERM.",
                "The launcher sends those commands here while the socket exists; CW_SERVE=off runs them in their own JVM."})
final class ServeCommand extends CwSubcommand {
    @Option(names = "--socket", paramLabel = "PATH",
            description = "Unix socket to listen on (default: $CW_SERVE_SOCKET or work/cw.sock under CW_HOME, as the launcher uses).")
    Path socket;

    @Option(names = "--stop", description = "Ask the server on the socket to stop once its current command has ended.")
    boolean stop;

    /** The client's request to end the server (not a cw command: a server only takes COMMANDS). */
    static final String STOP = "--stop-server";

    static Path defaultSocket(CwConfig cfg) {
        String env = System.getenv("CW_SERVE_SOCKET");
        return env != null && !env.isBlank() ? Path.of(env) : cfg.home().resolve("work").resolve("cw.sock");
    }

    @Override
    public Integer call() throws IOException {
        CwConfig cfg = config();
        Path path = (socket != null ? socket : defaultSocket(cfg)).toAbsolutePath();
        if (stop) {
            int rc = ServeClient.run(path, List.of(STOP), System.out, System.err);
            if (rc == ServeClient.UNAVAILABLE) {
                System.err.println("cw serve: no server listens on " + path);
                return 1;
            }
            return rc;
        }
        try (Server server = Server.open(cfg, path, System.out)) {
            server.serve();
        }
        return 0;
    }

    /** The listening socket and the session; {@link #serve} handles commands until a stop request. */
    static final class Server implements AutoCloseable {
        private final Path path;
        private final ServerSocketChannel channel;
        private final PrintStream log;
        private final Instant started = Instant.now();
        private int served;

        private Server(Path path, ServerSocketChannel channel, PrintStream log) {
            this.path = path;
            this.channel = channel;
            this.log = log;
        }

        /**
         * Binds the socket (a stale one, left by a killed server, is replaced; a live one is an
         * error) and starts the session every command will share.
         */
        static Server open(CwConfig cfg, Path path, PrintStream log) throws IOException {
            if (Files.exists(path)) {
                if (ServeClient.answers(path)) {
                    throw new IllegalStateException("a server already listens on " + path + " (./cw serve --stop ends it)");
                }
                Files.delete(path);
            }
            Files.createDirectories(path.getParent());
            SparkSession spark = Sparks.session(cfg);
            Sparks.pin(cfg);
            ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            ch.bind(UnixDomainSocketAddress.of(path));
            Server s = new Server(path, ch, log);
            Thread hook = new Thread(s::removeSocket, "cw-serve-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            log.printf("cw serve: listening on %s (pid %d, Spark %s, master %s, warehouse %s)%n", path,
                    ProcessHandle.current().pid(), spark.version(), spark.sparkContext().master(), cfg.paths().warehouse());
            log.flush();
            return s;
        }

        /** Handles connections one after the other until a stop request; returns the commands served. */
        int serve() throws IOException {
            while (true) {
                SocketChannel c;
                try {
                    c = channel.accept();
                } catch (java.nio.channels.ClosedChannelException e) {
                    return served;
                }
                try (c) {
                    if (!handle(c)) return served;
                } catch (IOException e) {
                    // The client went away (Ctrl-C): the command, if it started, has still run to its end.
                    log.println("cw serve: connection lost: " + e.getMessage());
                }
            }
        }

        /** One request; false when it asked the server to stop. */
        private boolean handle(SocketChannel c) throws IOException {
            DataInputStream in = new DataInputStream(Channels.newInputStream(c));
            int n = in.readInt();
            if (n < 0 || n > 10_000) throw new IOException("bad request: " + n + " arguments");
            List<String> args = new ArrayList<>(n);
            for (int i = 0; i < n; i++) args.add(in.readUTF());
            DataOutputStream out = new DataOutputStream(Channels.newOutputStream(c));
            if (args.equals(List.of(STOP))) {
                frame(out, ServeClient.OUT, "cw serve: stopping after " + served + " command(s), up "
                        + Duration.between(started, Instant.now()).toSeconds() + " s\n");
                exit(out, 0);
                log.println("cw serve: stop requested");
                return false;
            }
            String sub = ServeClient.subcommand(args);
            if (!ServeClient.COMMANDS.contains(sub)) {
                frame(out, ServeClient.ERR, "cw serve: '" + sub + "' is not run by the server (it runs "
                        + new java.util.TreeSet<>(ServeClient.COMMANDS) + "); run it with CW_SERVE=off\n");
                exit(out, 2);
                return true;
            }
            Instant t0 = Instant.now();
            frame(out, ServeClient.ERR, String.format("cw: running in the server on %s (pid %d, up %d s, %d command(s) before)%n",
                    path, ProcessHandle.current().pid(), Duration.between(started, t0).toSeconds(), served));
            log.printf("cw serve: %s%n", String.join(" ", args));
            int rc = run(args, out);
            served++;
            log.printf("cw serve: exit %d in %.1f s%n", rc, Duration.between(t0, Instant.now()).toMillis() / 1000.0);
            log.flush();
            exit(out, rc);
            return true;
        }

        /** Runs the command with System.out and System.err sent to the client. */
        private int run(List<String> args, DataOutputStream out) {
            // Another process may have changed, restored or replaced a table since the last command.
            DeltaLog.clearCache();
            PrintStream oldOut = System.out, oldErr = System.err;
            PrintStream o = new PrintStream(new FrameStream(out, ServeClient.OUT), true, StandardCharsets.UTF_8);
            PrintStream e = new PrintStream(new FrameStream(out, ServeClient.ERR), true, StandardCharsets.UTF_8);
            System.setOut(o);
            System.setErr(e);
            try {
                return Cw.execute(args.toArray(String[]::new));
            } catch (RuntimeException | Error t) {
                e.println("cw serve: the command failed in the server: " + Cw.rootMessage(t));
                return 1;
            } finally {
                o.flush();
                e.flush();
                System.setOut(oldOut);
                System.setErr(oldErr);
                SparkSession.active().catalog().clearCache();
            }
        }

        private static void frame(DataOutputStream out, byte type, String text) throws IOException {
            byte[] b = text.getBytes(StandardCharsets.UTF_8);
            synchronized (out) {
                out.writeByte(type);
                out.writeInt(b.length);
                out.write(b);
                out.flush();
            }
        }

        private static void exit(DataOutputStream out, int rc) throws IOException {
            out.writeByte(ServeClient.EXIT);
            out.writeInt(rc);
            out.flush();
        }

        private void removeSocket() {
            try {
                Files.deleteIfExists(path);
            } catch (IOException ignored) {
                // the JVM is ending; a stale socket is replaced by the next server
            }
        }

        @Override
        public void close() throws IOException {
            channel.close();
            removeSocket();
            Sparks.unpin();
        }
    }

    /** Bytes written by a command, sent as frames of one type; a client gone away drops them. */
    private static final class FrameStream extends OutputStream {
        private final DataOutputStream out;
        private final byte type;
        private boolean broken;

        FrameStream(DataOutputStream out, byte type) {
            this.out = out;
            this.type = type;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[]{(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            if (broken || len == 0) return;
            try {
                synchronized (out) {
                    out.writeByte(type);
                    out.writeInt(len);
                    out.write(b, off, len);
                }
            } catch (IOException e) {
                broken = true; // the client disconnected: the command runs on, its output is dropped
            }
        }

        @Override
        public void flush() {
            if (broken) return;
            try {
                synchronized (out) {
                    out.flush();
                }
            } catch (IOException e) {
                broken = true;
            }
        }
    }
}
