package io.nnrmtsvd.experiment;

import io.nnrmtsvd.linalg.OffHeapFloats;
import io.nnrmtsvd.nn.Examples;
import io.nnrmtsvd.nn.SyntheticData;
import java.nio.FloatBuffer;
import java.util.Arrays;

/** Training and test examples drawn from one set of Gaussian blobs. */
record BlobSplits(Examples train, Examples test) {
    static BlobSplits of(int train, int test, int features, int classes, long seed) {
        Examples all = SyntheticData.blobs(train + test, features, classes, seed);
        return new BlobSplits(slice(all, 0, train), slice(all, train, train + test));
    }

    private static Examples slice(Examples all, int from, int to) {
        int f = all.features();
        FloatBuffer inputs = OffHeapFloats.allocate((long) (to - from) * f);
        for (int i = 0; i < (to - from) * f; i++) {
            inputs.put(i, all.inputs().get(from * f + i));
        }
        return new Examples(inputs, Arrays.copyOfRange(all.labels(), from, to), f);
    }
}
