package io.nnrmtsvd.io;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The values {@link RestrictedUnpickler} builds: plain data, never behaviour. Python values map to
 * {@link String}, {@link Long} (or {@link BigInteger} beyond 64 bits), {@link Double},
 * {@link Boolean}, {@link #NONE}, {@link Tuple}, {@link ArrayList} for a list and
 * {@link java.util.LinkedHashMap} for a dict or OrderedDict; the torch-specific ones are a named
 * {@link TorchGlobal}, a {@link Storage} (a persistent id naming a zip entry) and a
 * {@link Tensor} (the arguments of a rebuild call, recorded, not executed).
 *
 * <p>Nothing here overrides {@code toString} to walk into containers, and error messages name
 * only types ({@link #typeName}), so cyclic structures a pickle can build are never traversed.
 */
final class Pickled {
    /** Python's None. */
    static final Object NONE = new Object() {
        @Override
        public String toString() {
            return "None";
        }
    };

    private Pickled() {
    }

    /** An immutable Python tuple (the array is never modified after construction). */
    record Tuple(Object[] array) {
        int size() {
            return array.length;
        }

        Object get(int i) {
            return array[i];
        }

        /** The items as an unmodifiable list. */
        List<Object> items() {
            return Collections.unmodifiableList(Arrays.asList(array));
        }
    }

    /**
     * A storage named by a persistent id: the data of zip entry {@code data/<key>}, holding
     * {@code numel} elements of {@code dtype}.
     */
    record Storage(String key, Dtype dtype, long numel, TorchGlobal type) {
    }

    /**
     * A tensor as {@code torch._utils._rebuild_tensor_v2} would build it: a view of
     * {@code storage} from element {@code offset} with this shape and these strides (in elements).
     * The arrays are never modified after construction.
     */
    record Tensor(Storage storage, long offset, long[] shape, long[] strides) {
    }

    /** Python's name for the type of {@code value}, for messages. */
    static String typeName(Object value) {
        if (value instanceof String) {
            return "str";
        } else if (value instanceof Long || value instanceof BigInteger) {
            return "int";
        } else if (value instanceof Double) {
            return "float";
        } else if (value instanceof Boolean) {
            return "bool";
        } else if (value == NONE) {
            return "None";
        } else if (value instanceof Tuple) {
            return "tuple";
        } else if (value instanceof List) {
            return "list";
        } else if (value instanceof Map) {
            return "dict";
        } else if (value instanceof TorchGlobal g) {
            return "global " + g.qualifiedName();
        } else if (value instanceof Storage) {
            return "storage";
        } else if (value instanceof Tensor) {
            return "tensor";
        }
        return value.getClass().getSimpleName();
    }

    /**
     * Whether {@code value} may be a dict key here: a string, number, bool or None. Tuples, valid
     * keys in Python, are refused: Java does not cache their hash codes nor order them, so crafted
     * tuple keys could make building a dict quadratic.
     */
    static boolean isKey(Object value) {
        return isScalar(value);
    }

    private static boolean isScalar(Object value) {
        return value instanceof String || value instanceof Long || value instanceof BigInteger
                || value instanceof Double || value instanceof Boolean || value == NONE;
    }
}
