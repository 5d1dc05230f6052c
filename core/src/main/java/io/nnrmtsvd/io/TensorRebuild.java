package io.nnrmtsvd.io;

import java.util.Map;

/**
 * Interprets the calls a PyTorch pickle makes through REDUCE: each accepted callable's arguments are
 * checked for the types {@code torch.save} writes and turned into a plain value. Nothing is
 * invoked. A call that does not fit is an {@link IllegalArgumentException} whose message the
 * unpickler reports with the position in the pickle.
 */
final class TensorRebuild {
    /** The most dimensions a tensor may have (as for safetensors). */
    static final int MAX_RANK = SafetensorsFile.MAX_RANK;

    private TensorRebuild() {
    }

    /**
     * The value of {@code callable(*args)}.
     *
     * @throws IllegalArgumentException if the arguments are not what torch.save writes
     */
    static Object call(TorchGlobal callable, Pickled.Tuple args) {
        return switch (callable) {
            case ORDERED_DICT -> {
                if (args.size() != 0) {
                    throw new IllegalArgumentException("collections.OrderedDict is called with " + args.size()
                            + " arguments; torch.save writes it with none and fills it with SETITEMS");
                }
                yield null; // the caller makes the dict, so that it is counted like any other
            }
            case REBUILD_TENSOR_V2 -> tensor(args);
            case REBUILD_PARAMETER, REBUILD_PARAMETER_WITH_STATE -> parameter(callable, args);
            default -> throw new IllegalArgumentException("the storage type " + callable.qualifiedName()
                    + " is called; torch.save only names storage types in persistent ids");
        };
    }

    /**
     * {@code _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad,
     * backward_hooks[, metadata])}. Messages are built only on failure.
     */
    private static Pickled.Tensor tensor(Pickled.Tuple args) {
        if (args.size() != 6 && args.size() != 7) {
            throw new IllegalArgumentException(TorchGlobal.REBUILD_TENSOR_V2.qualifiedName() + " is called with "
                    + args.size() + " arguments, not 6 or 7");
        }
        if (!(args.get(0) instanceof Pickled.Storage storage)) {
            throw bad("its storage argument is a " + Pickled.typeName(args.get(0)) + ", not a storage");
        }
        if (!(args.get(1) instanceof Long offset) || offset < 0) {
            throw bad("its storage offset is not a non-negative int");
        }
        long[] shape = dims("size", args.get(2));
        long[] strides = dims("stride", args.get(3));
        if (shape.length != strides.length) {
            throw bad("its size has " + shape.length + " dimensions but its stride " + strides.length);
        }
        if (!(args.get(4) instanceof Boolean)) {
            throw bad("its requires_grad is a " + Pickled.typeName(args.get(4)) + ", not a bool");
        }
        if (!(args.get(5) instanceof Map)) {
            throw bad("its backward hooks are a " + Pickled.typeName(args.get(5)) + ", not an OrderedDict");
        }
        if (args.size() == 7 && !(args.get(6) instanceof Map) && args.get(6) != Pickled.NONE) {
            throw bad("its metadata is a " + Pickled.typeName(args.get(6)) + ", not a dict");
        }
        return new Pickled.Tensor(storage, offset, shape, strides);
    }

    private static IllegalArgumentException bad(String problem) {
        return new IllegalArgumentException(TorchGlobal.REBUILD_TENSOR_V2.qualifiedName() + ": " + problem);
    }

    /** A tuple of at most {@link #MAX_RANK} non-negative ints: the {@code what} ("size", "stride"). */
    private static long[] dims(String what, Object value) {
        if (!(value instanceof Pickled.Tuple t)) {
            throw bad("its " + what + " is a " + Pickled.typeName(value) + ", not a tuple");
        }
        if (t.size() > MAX_RANK) {
            throw bad("its " + what + " has " + t.size() + " dimensions, more than " + MAX_RANK);
        }
        long[] out = new long[t.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(t.get(i) instanceof Long d) || d < 0) {
                throw bad("its " + what + " holds a " + (t.get(i) instanceof Long ? "negative int"
                        : Pickled.typeName(t.get(i))) + ", not a non-negative int");
            }
            out[i] = d;
        }
        return out;
    }

    /**
     * {@code _rebuild_parameter(data, requires_grad, backward_hooks)} and
     * {@code _rebuild_parameter_with_state(data, requires_grad, backward_hooks, state)}: the data.
     */
    private static Pickled.Tensor parameter(TorchGlobal callable, Pickled.Tuple args) {
        int expected = callable == TorchGlobal.REBUILD_PARAMETER ? 3 : 4;
        if (args.size() != expected) {
            throw new IllegalArgumentException(callable.qualifiedName() + " is called with " + args.size()
                    + " arguments, not " + expected);
        }
        if (!(args.get(0) instanceof Pickled.Tensor data)) {
            throw new IllegalArgumentException(callable.qualifiedName() + ": its data is a "
                    + Pickled.typeName(args.get(0)) + ", not a tensor");
        }
        if (!(args.get(1) instanceof Boolean) || !(args.get(2) instanceof Map)) {
            throw new IllegalArgumentException(callable.qualifiedName()
                    + ": its requires_grad or backward hooks have the wrong type");
        }
        return data;
    }
}
