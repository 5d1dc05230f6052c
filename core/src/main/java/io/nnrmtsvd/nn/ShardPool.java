package io.nnrmtsvd.nn;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs the shards of one phase of a training step on up to P threads: the calling thread and
 * P - 1 helper threads that the whole process shares (daemons, started on first use, parked when
 * idle). Shard s runs on thread s mod P, and {@link #run} returns when every shard has finished.
 *
 * <p>Callers make each shard write only memory no other shard of the phase touches, so what a
 * phase computes does not depend on P nor on which thread ran which shard. One caller at a time
 * uses the helpers; a caller that finds them busy (another network training at the same time, or
 * a shard that itself runs a phase) runs its shards one after the other on its own thread.
 *
 * <p>Waiting is a short spin, then parking: a step's phases last 0.1 to 2 ms, so most hand-overs
 * happen within the spin, and an idle pool takes no processor time.
 */
final class ShardPool {
    /** One shard's work. */
    @FunctionalInterface
    interface Task {
        void run(int shard);
    }

    /** How long a waiting thread spins before it parks. */
    private static final long SPIN_NANOS = 50_000;

    private static final ShardPool SHARED = new ShardPool();

    private final AtomicBoolean busy = new AtomicBoolean();
    private final AtomicInteger pending = new AtomicInteger();
    private Helper[] helpers = new Helper[0];
    // The phase being run: written by the caller before it hands work to a helper (a volatile
    // write the helper reads first), unchanged until every helper has reported back.
    private Task task;
    private int shards;
    private int parallelism;
    private Thread caller;
    private volatile Throwable failure;

    private ShardPool() {
    }

    /**
     * Runs {@code task} for shards 0 .. {@code shards - 1} on up to {@code parallelism} threads and
     * returns when all have finished; an exception of any shard is rethrown (the first one seen).
     */
    static void run(int parallelism, int shards, Task task) {
        int p = Math.min(parallelism, shards);
        if (p <= 1 || !SHARED.busy.compareAndSet(false, true)) {
            for (int s = 0; s < shards; s++) {
                task.run(s);
            }
            return;
        }
        try {
            SHARED.runShared(p, shards, task);
        } finally {
            SHARED.busy.set(false);
        }
    }

    private void runShared(int p, int count, Task work) {
        ensureHelpers(p - 1);
        task = work;
        shards = count;
        parallelism = p;
        caller = Thread.currentThread();
        failure = null;
        pending.set(p - 1);
        for (int h = 0; h < p - 1; h++) {
            helpers[h].assign();
        }
        try {
            for (int s = 0; s < count; s += p) {
                work.run(s);
            }
        } catch (RuntimeException | Error e) {
            awaitHelpers();
            throw e;
        }
        awaitHelpers();
        task = null;
        Throwable f = failure;
        if (f instanceof RuntimeException re) {
            throw re;
        }
        if (f instanceof Error err) {
            throw err;
        }
        if (f != null) {
            throw new IllegalStateException(f);
        }
    }

    private void awaitHelpers() {
        long spinUntil = System.nanoTime() + SPIN_NANOS;
        while (pending.get() != 0) {
            if (System.nanoTime() < spinUntil) {
                Thread.onSpinWait();
            } else {
                LockSupport.parkNanos(this, 1_000_000);
            }
        }
    }

    private void ensureHelpers(int count) {
        if (helpers.length >= count) {
            return;
        }
        Helper[] more = java.util.Arrays.copyOf(helpers, count);
        for (int h = helpers.length; h < count; h++) {
            more[h] = new Helper(this, h + 1);
            more[h].start();
        }
        helpers = more;
    }

    /** Runs shards index, index + P, ... of each phase it is handed. */
    private static final class Helper extends Thread {
        private final ShardPool pool;
        private final int index;
        private volatile long assigned;
        private volatile boolean parked;

        Helper(ShardPool pool, int index) {
            super("rmtsvd-shard-" + index);
            this.pool = pool;
            this.index = index;
            setDaemon(true);
        }

        /** Hands this helper the phase the pool's fields describe. */
        void assign() {
            assigned = assigned + 1;
            if (parked) {
                LockSupport.unpark(this);
            }
        }

        @Override
        public void run() {
            long seen = 0;
            for (;;) {
                long spinUntil = System.nanoTime() + SPIN_NANOS;
                while (assigned == seen) {
                    if (System.nanoTime() < spinUntil) {
                        Thread.onSpinWait();
                    } else {
                        parked = true;
                        if (assigned == seen) {
                            LockSupport.park(pool);
                        }
                        parked = false;
                    }
                }
                seen = assigned;
                Task work = pool.task;
                int p = pool.parallelism;
                int count = pool.shards;
                Thread waiting = pool.caller;
                try {
                    for (int s = index; s < count; s += p) {
                        work.run(s);
                    }
                } catch (Throwable t) {
                    if (pool.failure == null) {
                        pool.failure = t;
                    }
                } finally {
                    if (pool.pending.decrementAndGet() == 0) {
                        LockSupport.unpark(waiting);
                    }
                }
            }
        }
    }
}
