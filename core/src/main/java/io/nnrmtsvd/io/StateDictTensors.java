package io.nnrmtsvd.io;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the state dict in what a {@code torch.save} pickle holds and names its tensors.
 *
 * <p>The pickle must hold a dict. If any of its values is a tensor, it is the state dict (the
 * form of {@code torch.save(model.state_dict())} and of {@code pytorch_model.bin}). Otherwise
 * the first of the keys {@value #WRAPPERS_TEXT} whose value is a dict is (training checkpoints such
 * as {@code {"state_dict": ..., "optimizer": ..., "epoch": 3}}; the rest is ignored). Otherwise the
 * whole dict is. Within the state dict, tensors nested in dicts, lists and tuples are named by
 * their path of keys and indices joined with dots ({@code {"encoder": {"w": t}}} gives
 * {@code encoder.w}); values that are not tensors are ignored. Keys on the way must be strings or
 * ints; names must be unique; nesting is at most {@value #MAX_DEPTH} deep; and a container reached
 * a second time (shared or cyclic) is not walked again.
 *
 * <p>A pickle can name one tensor under many short keys, or repeat long keys along deep paths, so
 * the names and the records the reader keeps per tensor are charged against a budget of
 * {@value #BUDGET_PER_BYTE} bytes per byte of pickle plus {@value #BUDGET_SLACK}: {@value #PER_TENSOR}
 * bytes a tensor, {@value #PER_CONTAINER} a container walked, and 48 plus 4 a character for each
 * name built.
 */
final class StateDictTensors {
    /** Keys of a training checkpoint that hold the state dict, in order of preference. */
    static final List<String> WRAPPERS = List.of("state_dict", "model_state_dict", "model", "module");
    static final String WRAPPERS_TEXT = "state_dict, model_state_dict, model, module";
    static final int MAX_DEPTH = 32;
    static final long BUDGET_PER_BYTE = 32;
    static final long BUDGET_SLACK = 1 << 18;
    /** Bytes charged a tensor: its name's map entry here, and the layout and info records the reader keeps. */
    static final long PER_TENSOR = 640;
    static final long PER_CONTAINER = 64;

    /** The state dict's key in the pickled dict ("" for the dict itself) and its tensors by name. */
    record Found(String key, Map<String, Pickled.Tensor> tensors) {
    }

    private final Path file;
    private final Map<String, Pickled.Tensor> tensors = new LinkedHashMap<>();
    private final Set<Object> walked = Collections.newSetFromMap(new IdentityHashMap<>());
    private long budget;

    private StateDictTensors(Path file, long pickleBytes) {
        this.file = file;
        this.budget = BUDGET_PER_BYTE * pickleBytes + BUDGET_SLACK;
    }

    private void charge(long bytes) {
        budget -= bytes;
        if (budget < 0) {
            throw InvalidInputException.inFile(file, "the state dict's tensors and names need more than "
                    + BUDGET_PER_BYTE + " bytes per byte of pickle, far more than a state dict written by torch.save");
        }
    }

    /**
     * The state dict of {@code root} and its tensors.
     *
     * @param pickleBytes the pickle's size, which sets the budget
     * @throws InvalidInputException if {@code root} is not a dict, names clash, or the budget runs out
     */
    static Found find(Path file, Object root, long pickleBytes) {
        if (!(root instanceof Map<?, ?> dict)) {
            throw InvalidInputException.inFile(file, "the pickle holds a " + Pickled.typeName(root)
                    + ", not a dict of tensors");
        }
        String key = "";
        Map<?, ?> stateDict = dict;
        if (dict.values().stream().noneMatch(v -> v instanceof Pickled.Tensor)) {
            for (String k : WRAPPERS) {
                if (dict.get(k) instanceof Map<?, ?> inner) {
                    key = k;
                    stateDict = inner;
                    break;
                }
            }
        }
        StateDictTensors walk = new StateDictTensors(file, pickleBytes);
        walk.walk(stateDict, "", 0);
        return new Found(key, Collections.unmodifiableMap(walk.tensors));
    }

    private void walk(Object container, String prefix, int depth) {
        if (!walked.add(container)) {
            return;
        }
        charge(PER_CONTAINER);
        if (depth == MAX_DEPTH) {
            throw InvalidInputException.inFile(file, "the state dict is nested more than " + MAX_DEPTH + " deep (at \""
                    + InvalidInputException.printable(prefix) + "\")");
        }
        if (container instanceof Map<?, ?> dict) {
            for (Map.Entry<?, ?> e : dict.entrySet()) {
                visit(e.getValue(), () -> part(e.getKey(), prefix), prefix, depth);
            }
        } else {
            List<Object> items = container instanceof Pickled.Tuple t ? t.items() : castList(container);
            for (int i = 0; i < items.size(); i++) {
                String index = Integer.toString(i);
                visit(items.get(i), () -> index, prefix, depth);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Object> castList(Object container) {
        return (List<Object>) container;
    }

    private void visit(Object value, java.util.function.Supplier<String> part, String prefix, int depth) {
        boolean container = value instanceof Map || value instanceof List || value instanceof Pickled.Tuple;
        if (!container && !(value instanceof Pickled.Tensor)) {
            return; // numbers, strings, None...: not tensors
        }
        String name = join(prefix, part.get());
        if (container) {
            walk(value, name, depth + 1);
        } else {
            charge(PER_TENSOR);
            if (tensors.putIfAbsent(name, (Pickled.Tensor) value) != null) {
                throw InvalidInputException.inFile(file, "two tensors are named \"" + InvalidInputException.printable(name)
                        + "\"");
            }
        }
    }

    private String part(Object key, String prefix) {
        if (key instanceof String s) {
            return s;
        }
        if (key instanceof Long || key instanceof BigInteger) {
            return key.toString();
        }
        throw InvalidInputException.inFile(file, "a " + Pickled.typeName(key) + " key under \""
                + InvalidInputException.printable(prefix) + "\" of the state dict cannot name a tensor");
    }

    private String join(String prefix, String part) {
        long length = prefix.isEmpty() ? part.length() : prefix.length() + 1L + part.length();
        charge(48 + 4 * length);
        return prefix.isEmpty() ? part : prefix + "." + part;
    }
}
