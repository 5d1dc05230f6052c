package io.nnrmtsvd.io;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The tensors of one safetensors header, in header order and by name: filled once while the
 * header is parsed, then looked up by name in constant time. A hash map rather than a search, so
 * that a checkpoint of a million tensors opens in time linear in its header (the map keeps
 * lookups fast even for names chosen to collide, since it orders colliding String keys).
 */
final class TensorTable {
    private static final Comparator<TensorInfo> BY_OFFSETS =
            Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end);

    private TensorInfo[] inOrder = new TensorInfo[8];
    private int size;
    private final Map<String, TensorInfo> byName = new HashMap<>();

    /** Adds {@code t} after the others; false, adding nothing, if a tensor of its name is here. */
    boolean add(TensorInfo t) {
        if (byName.putIfAbsent(t.name(), t) != null) {
            return false;
        }
        if (size == inOrder.length) {
            inOrder = Arrays.copyOf(inOrder, 2 * size);
        }
        inOrder[size++] = t;
        return true;
    }

    /** The tensor called {@code name}, or null. */
    TensorInfo get(String name) {
        return byName.get(name);
    }

    int size() {
        return size;
    }

    /** Every tensor in header order: an unmodifiable view, made in constant time. */
    List<TensorInfo> inHeaderOrder() {
        return Collections.unmodifiableList(Arrays.asList(inOrder).subList(0, size));
    }

    /**
     * Checks that the tensors, each already known to lie inside the data section, cover its
     * {@code dataLength} bytes exactly: sorted by offsets once, each must start where the
     * previous one ended.
     *
     * @throws InvalidInputException naming {@code file}, two overlapping tensors, a gap or
     *     trailing bytes otherwise
     */
    void checkTiling(Path file, long dataLength) {
        TensorInfo[] byOffset = Arrays.copyOf(inOrder, size);
        Arrays.sort(byOffset, BY_OFFSETS);
        long covered = 0;
        TensorInfo previous = null;
        for (TensorInfo t : byOffset) {
            if (t.begin() < covered) {
                throw InvalidInputException.inFile(file, "tensors \"" + InvalidInputException.printable(previous.name())
                        + "\" and \"" + InvalidInputException.printable(t.name()) + "\" overlap");
            }
            if (t.begin() > covered) {
                throw InvalidInputException.inFile(file, "bytes [" + covered + ", " + t.begin()
                        + ") of the data section belong to no tensor");
            }
            covered = t.end();
            previous = t;
        }
        if (covered != dataLength) {
            throw InvalidInputException.inFile(file, (dataLength - covered)
                    + " bytes of trailing data after the last tensor");
        }
    }
}
