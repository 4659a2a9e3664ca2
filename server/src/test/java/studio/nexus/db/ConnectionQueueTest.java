package studio.nexus.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.junit.jupiter.api.Test;

class ConnectionQueueTest {

    @Test
    void waitersAreLetInInTheOrderTheyArrived() throws Exception {
        ConnectionQueue queue = new ConnectionQueue(1, Duration.ofSeconds(10));
        queue.enter();
        List<Integer> admitted = new CopyOnWriteArrayList<>();
        Thread[] waiters = new Thread[5];
        for (int i = 0; i < waiters.length; i++) {
            int number = i;
            waiters[i] = new Thread(() -> {
                queue.enter();
                admitted.add(number);
                queue.leave();
            });
            waiters[i].start();
            // the next waiter arrives only once this one is parked in the queue
            while (waiters[i].getState() != Thread.State.TIMED_WAITING) {
                Thread.onSpinWait();
            }
        }
        queue.leave();
        for (Thread waiter : waiters) {
            waiter.join(10_000);
        }
        assertThat(admitted).containsExactly(0, 1, 2, 3, 4);
    }

    @Test
    void aThreadThatHoldsATurnEntersAgainWithoutWaitingForItself() {
        ConnectionQueue queue = new ConnectionQueue(1, Duration.ofMillis(50));
        queue.enter();
        queue.enter();
        queue.leave();
        assertThat(queue.free()).isZero();
        queue.leave();
        assertThat(queue.free()).isEqualTo(1);
    }

    @Test
    void aWaitLongerThanThePoolTimeoutGivesUpAsTooManyConnections() throws Exception {
        ConnectionQueue queue = new ConnectionQueue(1, Duration.ofMillis(50));
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = new Thread(() -> {
            queue.enter();
            holding.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            queue.leave();
        });
        holder.start();
        holding.await(10, TimeUnit.SECONDS);
        assertThatThrownBy(queue::enter)
                .isInstanceOf(UnableToExecuteStatementException.class)
                .cause().isInstanceOf(SQLException.class)
                .extracting(cause -> ((SQLException) cause).getSQLState()).isEqualTo("53300");
        release.countDown();
        holder.join(10_000);
        assertThat(queue.free()).isEqualTo(1);
        queue.enter(); // the failed wait left nothing held
        queue.leave();
    }
}
