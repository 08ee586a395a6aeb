package vn.customs.cw.cli;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.customs.cw.config.CwConfig;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * ./cw serve: commands sent over the socket run in the server's JVM and session, their output and
 * exit code come back, and what the server must not run is refused with the reason.
 */
class ServeCommandTest {
    @TempDir
    Path dir;

    static final String DAY = "2020-05-11";

    List<String> paths() {
        return List.of("--set", "cw.paths.landing=" + dir.resolve("landing"), "--set", "cw.paths.warehouse=" + dir.resolve("wh"),
                "--set", "cw.paths.out=" + dir.resolve("out"), "--set", "cw.paths.locks=" + dir.resolve("locks"));
    }

    List<String> command(String... cmd) {
        List<String> a = new ArrayList<>(paths());
        a.addAll(List.of(cmd));
        return a;
    }

    record Answer(int exit, String out, String err) {}

    static Answer send(Path socket, List<String> args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int rc = ServeClient.run(socket, args, out, err);
        return new Answer(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void commandsRunInTheServerAndTheirOutputAndExitCodeComeBack() throws Exception {
        Assertions.assertEquals(0, Cw.execute(command("generate", "--from", DAY, "--to", DAY, "--scale", "0.02",
                "--departments", "11").toArray(String[]::new)), "tiny landing day");
        Path socket = dir.resolve("run/cw.sock");
        Assertions.assertEquals(ServeClient.UNAVAILABLE, send(socket, command("nightly", "--date", DAY)).exit(),
                "no server yet: the launcher is told to run the command itself");

        Map<String, Object> o = Map.of("cw.paths.landing", dir.resolve("landing").toString(), "cw.paths.warehouse", dir.resolve("wh").toString(),
                "cw.paths.out", dir.resolve("out").toString(), "cw.paths.locks", dir.resolve("locks").toString());
        CwConfig cfg = CwConfig.load(CwConfig.defaultHome(), "local", o);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        ServeCommand.Server server = ServeCommand.Server.open(cfg, socket, new PrintStream(log, true, StandardCharsets.UTF_8));
        CompletableFuture<Integer> served = CompletableFuture.supplyAsync(() -> {
            try {
                return server.serve();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        try {
            Assertions.assertTrue(Files.exists(socket), "the socket exists while the server listens");
            IllegalStateException twice = Assertions.assertThrows(IllegalStateException.class,
                    () -> ServeCommand.Server.open(cfg, socket, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
            Assertions.assertTrue(twice.getMessage().contains("already listens"), "a second server on a live socket is refused: " + twice.getMessage());

            Answer night = send(socket, command("nightly", "--date", DAY, "--no-reports"));
            Assertions.assertEquals(0, night.exit(), "the night's exit code comes back: " + night.err() + night.out());
            Assertions.assertTrue(night.err().contains("running in the server"), "the caller is told where it ran: " + night.err());
            Assertions.assertTrue(night.out().contains("source:declarations") && night.out().contains("data checks:"),
                    "the run summary comes back on stdout: " + night.out());
            Assertions.assertTrue(Files.isDirectory(dir.resolve("wh/silver/declarations/_delta_log")), "the night wrote the warehouse");

            Answer other = send(socket, command("generate", "--from", DAY, "--to", DAY));
            Assertions.assertEquals(2, other.exit(), "a command the server does not run");
            Assertions.assertTrue(other.err().contains("'generate' is not run by the server") && other.err().contains("CW_SERVE=off"),
                    "says so and how to run it: " + other.err());

            Answer differs = send(socket, command("--set", "cw.spark.conf.spark.sql.shuffle.partitions=3", "nightly", "--date", DAY));
            Assertions.assertEquals(1, differs.exit(), "other Spark settings than the server's session are refused");
            Assertions.assertTrue(differs.err().contains("spark.sql.shuffle.partitions = 3 (server: 8)"),
                    "naming the setting and both values: " + differs.err());

            Answer stop = send(socket, List.of(ServeCommand.STOP));
            Assertions.assertEquals(0, stop.exit(), "stop request");
            Assertions.assertEquals(2, served.get(60, TimeUnit.SECONDS), "the server ends after the stop request, having run 2 commands "
                    + "(the night and the one its settings refused; 'generate' never ran): " + log);
        } finally {
            server.close();
        }
        Assertions.assertFalse(Files.exists(socket), "the socket is removed when the server ends");
        Assertions.assertEquals(ServeClient.UNAVAILABLE, send(socket, command("nightly", "--date", DAY)).exit(), "no server after the stop");
    }

    @Test
    void theSubcommandIsTheFirstWordThatIsNotAnOptionOrItsValue() {
        Assertions.assertEquals("nightly", ServeClient.subcommand(List.of("--set", "a=b", "--profile", "local", "nightly", "--date", "x")));
        Assertions.assertEquals("", ServeClient.subcommand(List.of("--set", "a=b")));
    }
}
