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
 * ints; names must be unique; nesting is at most {@value #MAX_DEPTH} deep; a container reached a
 * second time (shared or cyclic) is not walked again; and the names together may hold at most
 * {@value #NAME_CHARS_PER_BYTE} characters per byte of pickle plus {@value #NAME_CHARS_SLACK}, so
 * that a small pickle cannot make long names by repeating long keys along deep paths.
 */
final class StateDictTensors {
    /** Keys of a training checkpoint that hold the state dict, in order of preference. */
    static final List<String> WRAPPERS = List.of("state_dict", "model_state_dict", "model", "module");
    static final String WRAPPERS_TEXT = "state_dict, model_state_dict, model, module";
    static final int MAX_DEPTH = 32;
    static final long NAME_CHARS_PER_BYTE = 4;
    static final long NAME_CHARS_SLACK = 1 << 16;

    /** The state dict's key in the pickled dict ("" for the dict itself) and its tensors by name. */
    record Found(String key, Map<String, Pickled.Tensor> tensors) {
    }

    private final Path file;
    private final Map<String, Pickled.Tensor> tensors = new LinkedHashMap<>();
    private final Set<Object> walked = Collections.newSetFromMap(new IdentityHashMap<>());
    private long nameBudget;

    private StateDictTensors(Path file, long pickleBytes) {
        this.file = file;
        this.nameBudget = NAME_CHARS_PER_BYTE * pickleBytes + NAME_CHARS_SLACK;
    }

    /**
     * The state dict of {@code root} and its tensors.
     *
     * @param pickleBytes the pickle's size, which sets the budget for names
     * @throws InvalidInputException if {@code root} is not a dict, or names clash or run over
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
        } else if (tensors.putIfAbsent(name, (Pickled.Tensor) value) != null) {
            throw InvalidInputException.inFile(file, "two tensors are named \"" + InvalidInputException.printable(name)
                    + "\"");
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
        nameBudget -= length;
        if (nameBudget < 0) {
            throw InvalidInputException.inFile(file, "the tensor names add up to more characters than the pickle's"
                    + " size allows (" + NAME_CHARS_PER_BYTE + " per byte)");
        }
        return prefix.isEmpty() ? part : prefix + "." + part;
    }
}
