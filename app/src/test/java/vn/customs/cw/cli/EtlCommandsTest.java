package vn.customs.cw.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.customs.cw.ops.RunLock;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** The commands' refusals and exit codes (no Spark: the lock is checked before the session starts). */
class EtlCommandsTest {
    static String[] args(Path dir, String... cmd) {
        String[] base = {"--set", "cw.paths.locks=" + dir.resolve("locks"), "--set", "cw.paths.warehouse=" + dir.resolve("wh"),
                "--set", "cw.paths.landing=" + dir.resolve("landing")};
        String[] all = new String[base.length + cmd.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(cmd, 0, all, base.length, cmd.length);
        return all;
    }

    @Test
    void nightlyRefusesWhileAnotherRunHoldsTheLockAndUnlockClearsAStaleOne(@TempDir Path dir) throws Exception {
        try (RunLock held = RunLock.acquire(dir.resolve("locks"), "nightly-held", "nightly")) {
            PrintStream err = System.err;
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
            int code;
            try {
                code = Cw.execute(args(dir, "nightly", "--date", "2020-05-11"));
            } finally {
                System.setErr(err);
            }
            assertNotEquals(0, code, "a second run exits non-zero");
            String msg = buf.toString(StandardCharsets.UTF_8);
            assertTrue(msg.contains("nightly-held") && msg.lines().count() == 1, "one line naming the owner: " + msg);
            assertNotEquals(0, Cw.execute(args(dir, "unlock")), "a live owner's lock is kept without --force");
        }
        Files.createDirectories(dir.resolve("locks"));
        Files.writeString(dir.resolve("locks").resolve(RunLock.FILE), "run_id=old\ncommand=nightly\npid=99999999\nhost="
                + java.net.InetAddress.getLocalHost().getHostName() + "\nstarted=2020-01-01T00:00:00Z\n");
        assertEquals(0, Cw.execute(args(dir, "unlock")), "a dead owner's lock is removed");
        assertFalse(Files.exists(dir.resolve("locks").resolve(RunLock.FILE)));
        assertNotEquals(0, Cw.execute(args(dir, "backfill", "--from", "2020-05-12", "--to", "2020-05-11")), "a reversed range is refused");
    }
}
