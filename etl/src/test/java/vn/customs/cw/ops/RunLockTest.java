package vn.customs.cw.ops;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.*;

class RunLockTest {
    @Test
    void aSecondRunIsRefusedNamingTheOwnerAndAge(@TempDir Path dir) {
        try (RunLock lock = RunLock.acquire(dir, "nightly-1", "nightly")) {
            RunLock.LockedException e = assertThrows(RunLock.LockedException.class, () -> RunLock.acquire(dir, "nightly-2", "nightly"),
                    "a second run must not start while the first holds the lock");
            assertTrue(e.getMessage().contains("nightly-1"), "names the owner run: " + e.getMessage());
            assertTrue(e.getMessage().contains("pid " + ProcessHandle.current().pid()), "names the pid: " + e.getMessage());
            assertTrue(e.getMessage().contains("age "), "says the lock's age: " + e.getMessage());
            assertThrows(RunLock.LockedException.class, () -> RunLock.unlock(dir, false), "a live owner's lock is not removed without --force");
        }
        assertFalse(Files.exists(dir.resolve(RunLock.FILE)), "closing releases the lock");
        RunLock.acquire(dir, "nightly-3", "nightly").close();
    }

    @Test
    void aStaleLockIsClearedByUnlockAndAnyLockByForce(@TempDir Path dir) throws Exception {
        // A lock left by a process that no longer exists on this host (pid far above pid_max).
        Files.writeString(dir.resolve(RunLock.FILE), RunLock.serialize(new RunLock.Owner("crashed-run", "backfill", 99_999_999L,
                RunLock.hostName(), Instant.now().minusSeconds(3700))));
        RunLock.LockedException e = assertThrows(RunLock.LockedException.class, () -> RunLock.acquire(dir, "r", "nightly"));
        assertTrue(e.getMessage().contains("age 1h01m"), "age of a lock an hour old: " + e.getMessage());
        assertTrue(e.getMessage().contains("cw unlock"), "a stale lock says how to clear it: " + e.getMessage());
        assertTrue(RunLock.unlock(dir, false).contains("crashed-run"), "stale: removed without --force");
        assertFalse(Files.exists(dir.resolve(RunLock.FILE)));

        Files.writeString(dir.resolve(RunLock.FILE), RunLock.serialize(new RunLock.Owner("other-host-run", "nightly", 1L,
                "another-host", Instant.now())));
        assertThrows(RunLock.LockedException.class, () -> RunLock.unlock(dir, false), "another host's lock is never presumed stale");
        RunLock.unlock(dir, true);
        assertFalse(Files.exists(dir.resolve(RunLock.FILE)), "--force removes it");
    }
}
