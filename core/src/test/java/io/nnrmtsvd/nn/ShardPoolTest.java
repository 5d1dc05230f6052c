package io.nnrmtsvd.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class ShardPoolTest {
    @Test
    void everyShardRunsOnceAndTheCallerTakesShardZero() {
        for (int parallelism : new int[] {1, 2, 3}) {
            for (int shards : new int[] {1, 2, 5}) {
                AtomicIntegerArray runs = new AtomicIntegerArray(shards);
                Thread[] ranOn = new Thread[shards];
                for (int repeat = 0; repeat < 200; repeat++) {
                    ShardPool.run(parallelism, shards, s -> {
                        runs.incrementAndGet(s);
                        ranOn[s] = Thread.currentThread();
                    });
                }
                for (int s = 0; s < shards; s++) {
                    assertEquals(200, runs.get(s), "shard " + s);
                }
                assertSame(Thread.currentThread(), ranOn[0]);
            }
        }
    }

    @Test
    void shardsRunAtTheSameTimeOnSeveralThreads() throws InterruptedException {
        // Both shards wait for each other: this returns only if they run concurrently.
        CountDownLatch both = new CountDownLatch(2);
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        ShardPool.run(2, 2, s -> {
            threads.add(Thread.currentThread());
            both.countDown();
            try {
                assertTrue(both.await(20, TimeUnit.SECONDS), "the other shard ran meanwhile");
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertEquals(2, threads.size());
    }

    @Test
    void aShardsExceptionReachesTheCallerAfterEveryShardFinished() {
        AtomicIntegerArray done = new AtomicIntegerArray(4);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ShardPool.run(2, 4, s -> {
            done.set(s, 1);
            if (s == 3) {
                throw new IllegalStateException("shard 3 failed");
            }
        }));
        assertEquals("shard 3 failed", e.getMessage());
        for (int s = 0; s < 4; s++) {
            assertEquals(1, done.get(s));
        }
        // The pool is usable afterwards.
        AtomicIntegerArray again = new AtomicIntegerArray(2);
        ShardPool.run(2, 2, again::incrementAndGet);
        assertEquals(1, again.get(0));
        assertEquals(1, again.get(1));
    }

    @Test
    void aNestedOrConcurrentCallRunsItsShardsItself() throws InterruptedException {
        AtomicIntegerArray inner = new AtomicIntegerArray(3);
        ShardPool.run(2, 2, s -> ShardPool.run(2, 3, inner::incrementAndGet));
        for (int s = 0; s < 3; s++) {
            assertEquals(2, inner.get(s));
        }
        int callers = 4;
        AtomicIntegerArray counts = new AtomicIntegerArray(callers * 2);
        Thread[] threads = new Thread[callers];
        for (int c = 0; c < callers; c++) {
            int caller = c;
            threads[c] = new Thread(() -> {
                for (int i = 0; i < 500; i++) {
                    ShardPool.run(2, 2, s -> counts.incrementAndGet(caller * 2 + s));
                }
            });
            threads[c].start();
        }
        for (Thread t : threads) {
            t.join(60_000);
        }
        for (int i = 0; i < callers * 2; i++) {
            assertEquals(500, counts.get(i), "slot " + i);
        }
    }
}
