package vn.customs.cw.cli;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The launcher's side of {@code ./cw serve}: sends one command line to the server over its Unix
 * socket and relays what the command prints and its exit code. JDK classes only, so it starts in a
 * fraction of a second with {@code app/target/classes} alone on the class path.
 *
 * <p>The wire format, both ways in {@link DataOutputStream} encoding: the client sends an int
 * count and that many UTF strings (the arguments); the server answers with frames, each a type
 * byte then {@link #OUT} or {@link #ERR} with an int length and bytes, or {@link #EXIT} with the
 * int exit code, which ends the answer.
 */
public final class ServeClient {
    static final byte OUT = 1, ERR = 2, EXIT = 0;

    /** The commands the server runs: those that open the warehouse's SparkSession and end. */
    static final Set<String> COMMANDS = Set.of("nightly", "backfill", "trs", "report", "maintain");

    /** Exit code when no server answers (a stale socket): the launcher then runs the command itself. */
    static final int UNAVAILABLE = 75;

    private ServeClient() {}

    /** {@code ServeClient SOCKET ARGS...}: the exit code is the command's. */
    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: ServeClient SOCKET ARGS...");
            System.exit(2);
        }
        List<String> command = new ArrayList<>(List.of(args).subList(1, args.length));
        // The server's own environment chose its profile; the caller's choice travels with the command.
        String profile = System.getenv("CW_PROFILE");
        if (profile != null && !profile.isBlank() && !command.contains("--profile")) command.addAll(0, List.of("--profile", profile));
        System.exit(run(Path.of(args[0]), command, System.out, System.err));
    }

    static int run(Path socket, List<String> command, OutputStream out, OutputStream err) throws IOException {
        SocketChannel ch;
        try {
            ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            ch.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            err.write(("cw: no server answers on " + socket + " (" + e.getMessage() + "): running the command here\n")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            err.flush();
            return UNAVAILABLE;
        }
        try (ch) {
            DataOutputStream req = new DataOutputStream(Channels.newOutputStream(ch));
            req.writeInt(command.size());
            for (String a : command) req.writeUTF(a);
            req.flush();
            return relay(Channels.newInputStream(ch), out, err);
        }
    }

    /** Whether a server accepts connections on {@code socket} (false for a stale socket file). */
    static boolean answers(Path socket) {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The subcommand of a cw command line: its first word that is neither an option nor an option's value. */
    static String subcommand(List<String> args) {
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--set") || a.equals("--profile")) i++;
            else if (!a.startsWith("-")) return a;
        }
        return "";
    }

    /** Copies the server's frames to {@code out} and {@code err} until the exit frame. */
    static int relay(InputStream from, OutputStream out, OutputStream err) throws IOException {
        DataInputStream in = new DataInputStream(from);
        while (true) {
            int type;
            try {
                type = in.readByte();
            } catch (java.io.EOFException e) {
                // The server died mid-command (killed, out of memory): the command's outcome is unknown.
                err.write("cw: the server closed the connection before the command ended\n"
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
                err.flush();
                return 1;
            }
            if (type == EXIT) {
                out.flush();
                err.flush();
                return in.readInt();
            }
            byte[] b = new byte[in.readInt()];
            in.readFully(b);
            OutputStream to = type == ERR ? err : out;
            to.write(b);
            to.flush();
        }
    }
}
