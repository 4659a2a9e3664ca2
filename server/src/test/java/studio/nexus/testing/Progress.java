package studio.nexus.testing;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/**
 * One line when a test class starts and one when it ends (with its count and time), and a line for any single test
 * slower than ten seconds, so a long build shows where it is without printing every test.
 */
public final class Progress implements TestExecutionListener {
    private static final long SLOW_NANOS = 10_000_000_000L;
    private final Map<String, Long> started = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger[]> counts = new ConcurrentHashMap<>();

    @Override
    public void executionStarted(TestIdentifier id) {
        started.put(id.getUniqueId(), System.nanoTime());
        if (isClass(id)) {
            counts.put(id.getUniqueId(), new AtomicInteger[] {new AtomicInteger(), new AtomicInteger()});
            System.out.println("[progress] " + id.getDisplayName() + " started");
        }
    }

    @Override
    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
        Long start = started.remove(id.getUniqueId());
        long nanos = start == null ? 0 : System.nanoTime() - start;
        if (isClass(id)) {
            AtomicInteger[] c = counts.remove(id.getUniqueId());
            System.out.printf("[progress] %s finished in %.1f s: %d tests, %d not passing%s%n", id.getDisplayName(),
                    nanos / 1e9, c == null ? 0 : c[0].get(), c == null ? 0 : c[1].get(),
                    result.getStatus() == TestExecutionResult.Status.SUCCESSFUL ? "" : " (class " + result.getStatus()
                            + ")");
        } else if (id.isTest()) {
            // parameterized and nested tests sit below the class, not directly in it
            counts.forEach((classId, c) -> {
                if (id.getUniqueId().startsWith(classId)) {
                    c[0].incrementAndGet();
                    if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
                        c[1].incrementAndGet();
                    }
                }
            });
            if (nanos > SLOW_NANOS) {
                System.out.printf("[progress]   %s took %.1f s%n", id.getDisplayName(), nanos / 1e9);
            }
        }
    }

    private static boolean isClass(TestIdentifier id) {
        return id.getSource().filter(ClassSource.class::isInstance).isPresent();
    }
}
