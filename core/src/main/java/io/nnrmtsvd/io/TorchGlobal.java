package io.nnrmtsvd.io;

import java.util.Optional;

/**
 * The only globals a PyTorch pickle may name here: what {@code torch.save} writes for tensors,
 * parameters and dicts. Any other name (a module function, a class, a builtin) is refused by
 * {@link RestrictedUnpickler} before anything could be called; these are interpreted, not
 * imported.
 */
enum TorchGlobal {
    ORDERED_DICT("collections", "OrderedDict", null),
    REBUILD_TENSOR_V2("torch._utils", "_rebuild_tensor_v2", null),
    REBUILD_PARAMETER("torch._utils", "_rebuild_parameter", null),
    REBUILD_PARAMETER_WITH_STATE("torch._utils", "_rebuild_parameter_with_state", null),
    FLOAT_STORAGE("torch", "FloatStorage", Dtype.F32),
    DOUBLE_STORAGE("torch", "DoubleStorage", Dtype.F64),
    HALF_STORAGE("torch", "HalfStorage", Dtype.F16),
    BFLOAT16_STORAGE("torch", "BFloat16Storage", Dtype.BF16),
    LONG_STORAGE("torch", "LongStorage", Dtype.I64),
    INT_STORAGE("torch", "IntStorage", Dtype.I32),
    SHORT_STORAGE("torch", "ShortStorage", Dtype.I16),
    CHAR_STORAGE("torch", "CharStorage", Dtype.I8),
    BYTE_STORAGE("torch", "ByteStorage", Dtype.U8),
    BOOL_STORAGE("torch", "BoolStorage", Dtype.BOOL),
    COMPLEX_FLOAT_STORAGE("torch", "ComplexFloatStorage", Dtype.C64);

    private final String module;
    private final String name;
    private final Dtype storageDtype;
    private final String qualifiedName;

    TorchGlobal(String module, String name, Dtype storageDtype) {
        this.module = module;
        this.name = name;
        this.storageDtype = storageDtype;
        this.qualifiedName = module + "." + name;
    }

    /** {@code module.name}, as Python would print it. */
    String qualifiedName() {
        return qualifiedName;
    }

    /** Whether this is a storage type, which may only appear in a persistent id. */
    boolean isStorage() {
        return storageDtype != null;
    }

    /** The element type of a storage type. */
    Dtype storageDtype() {
        return storageDtype;
    }

    /** The accepted global with this module and name, if any. */
    static Optional<TorchGlobal> find(String module, String name) {
        for (TorchGlobal g : values()) {
            if (g.module.equals(module) && g.name.equals(name)) {
                return Optional.of(g);
            }
        }
        return Optional.empty();
    }
}
