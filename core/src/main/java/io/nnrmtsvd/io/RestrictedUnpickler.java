package io.nnrmtsvd.io;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the pickle of a {@code torch.save} archive into plain values ({@link Pickled}) without
 * executing anything: a stack machine for the opcodes of pickle protocols 2 to 5 that such files
 * use, which recognises only the globals of {@link TorchGlobal} and interprets their calls
 * ({@link TensorRebuild}) instead of importing or invoking anything.
 *
 * <p>Accepted opcodes: PROTO, FRAME, STOP, MARK, POP, POP_MARK, EMPTY_DICT, EMPTY_LIST,
 * EMPTY_TUPLE, TUPLE, TUPLE1-3, SETITEM(S), APPEND(S), BINUNICODE, BINUNICODE8,
 * SHORT_BINUNICODE, BININT, BININT1, BININT2, LONG1, LONG4, BINFLOAT, NEWTRUE, NEWFALSE, NONE,
 * BINPUT, LONG_BINPUT, MEMOIZE, BINGET, LONG_BINGET, GLOBAL, STACK_GLOBAL, REDUCE, BUILD and
 * BINPERSID. Every other opcode (among them INST, OBJ, NEWOBJ, NEWOBJ_EX and the extension
 * registry's EXT1/2/4, which can name classes) and every global outside the list end the read with
 * an {@link InvalidInputException} saying that nothing was executed.
 *
 * <p>Bounds: strings of at most {@value #MAX_STRING_BYTES} bytes, global names of at most
 * {@value #MAX_NAME_BYTES}, integers of at most {@value #MAX_LONG_BYTES} bytes, MARKs nested at most
 * {@value #MAX_MARKS} deep, memo indices that follow one another as Python's pickler writes them,
 * dict keys that are strings, numbers, bools or None; and a memory budget of
 * {@value #BUDGET_PER_BYTE} bytes per byte of pickle plus {@value #BUDGET_SLACK} bytes, charged
 * for every value, container slot, stack and memo slot as it is made, so that what a pickle builds
 * follows its size. There is no recursion: the machine is a loop over the opcodes, each consuming
 * at least one byte.
 */
final class RestrictedUnpickler {
    static final int MAX_STRING_BYTES = 16 << 20;
    static final int MAX_NAME_BYTES = 256;
    static final int MAX_LONG_BYTES = 256;
    static final int MAX_MARKS = 1000;
    static final long BUDGET_PER_BYTE = 16;
    static final long BUDGET_SLACK = 1 << 20;

    private static final Pickled.Tuple EMPTY_TUPLE = new Pickled.Tuple(List.of());
    private static final int REF = 8; // bytes charged per reference
    private static final int OBJECT = 16; // bytes charged per object header

    /** The pickle's value and the storages its persistent ids named, by key. */
    record Result(Object value, Map<String, Pickled.Storage> storages) {
    }

    private final Path file;
    private final String what;
    private final RangeInput in;
    private Object[] stack = new Object[16];
    private int top;
    private int[] marks = new int[16];
    private int markCount;
    private Object[] memo = new Object[16];
    private int memoSize;
    private final Map<String, Pickled.Storage> storages = new LinkedHashMap<>();
    private long budget;
    private long opcodeAt;

    private RestrictedUnpickler(Path file, String what, RangeInput in) {
        this.file = file;
        this.what = what;
        this.in = in;
        this.budget = BUDGET_PER_BYTE * in.remaining() + BUDGET_SLACK;
    }

    /**
     * Reads one pickle that must fill {@code in} exactly.
     *
     * @param what names the pickle in messages ("data.pkl")
     * @throws InvalidInputException naming {@code file} if the pickle is malformed, exceeds a
     *     bound, or names anything but the accepted globals
     */
    static Result read(Path file, String what, RangeInput in) {
        RestrictedUnpickler u = new RestrictedUnpickler(file, what, in);
        Object value = u.run();
        return new Result(value, Collections.unmodifiableMap(u.storages));
    }

    private InvalidInputException fail(String problem) {
        return InvalidInputException.inFile(file, what + ", byte " + opcodeAt + ": " + problem);
    }

    private void charge(long bytes) {
        budget -= bytes;
        if (budget < 0) {
            throw fail("the pickle builds more than " + BUDGET_PER_BYTE + " bytes of values per byte of pickle,"
                    + " far more than a state dict needs");
        }
    }

    private Object run() {
        while (true) {
            if (in.remaining() == 0) {
                opcodeAt = in.offset();
                throw fail("the pickle ends without a STOP opcode (truncated?)");
            }
            opcodeAt = in.offset();
            int op = in.u8();
            switch (op) {
                case 0x80 -> protocol(in.u8());
                case 0x95 -> frame(in.s64());
                case '.' -> {
                    return stop();
                }
                case '(' -> mark();
                case '0' -> pop();
                case '1' -> popMark();
                case '}' -> push(newDict());
                case ']' -> push(newList());
                case ')' -> push(EMPTY_TUPLE);
                case 't' -> push(tuple(popMark()));
                case 0x85 -> push(tuple(popN(1)));
                case 0x86 -> push(tuple(popN(2)));
                case 0x87 -> push(tuple(popN(3)));
                case 's' -> {
                    List<Object> kv = popN(2);
                    setItems(peek(), kv);
                }
                case 'u' -> {
                    List<Object> kv = popMark();
                    setItems(peek(), kv);
                }
                case 'a' -> {
                    List<Object> item = popN(1);
                    append(peek(), item);
                }
                case 'e' -> {
                    List<Object> items = popMark();
                    append(peek(), items);
                }
                case 'X' -> push(string(in.u32()));
                case 0x8d -> push(string(in.s64()));
                case 0x8c -> push(string(in.u8()));
                case 'J' -> push(integer(in.s32()));
                case 'K' -> push(integer(in.u8()));
                case 'M' -> push(integer(in.u16()));
                case 0x8a -> push(longValue(in.u8()));
                case 0x8b -> push(longValue(in.s32()));
                case 'G' -> {
                    charge(OBJECT + 8);
                    push(in.bigEndianDouble());
                }
                case 0x88 -> push(Boolean.TRUE);
                case 0x89 -> push(Boolean.FALSE);
                case 'N' -> push(Pickled.NONE);
                case 'q' -> put(in.u8());
                case 'r' -> put(in.u32());
                case 0x94 -> put(memoSize);
                case 'h' -> push(get(in.u8()));
                case 'j' -> push(get(in.u32()));
                case 'c' -> push(global(line("module"), line("name")));
                case 0x93 -> stackGlobal();
                case 'R' -> reduce();
                case 'b' -> build();
                case 'Q' -> push(persistentId(pop()));
                default -> throw fail("the pickle uses opcode " + PickleOpcodes.describe(op) + ", which torch.save does"
                        + " not write for tensors and dicts; it was refused and nothing was executed");
            }
        }
    }

    private void protocol(int version) {
        if (version < 2 || version > 5) {
            throw fail("pickle protocol " + version + " is not read (torch.save writes 2; 2 to 5 are read)");
        }
    }

    private void frame(long length) {
        if (length < 0 || length > in.remaining()) {
            throw fail("a frame of " + Long.toUnsignedString(length) + " bytes runs past the end of the pickle");
        }
    }

    private Object stop() {
        if (markCount != 0 || top != 1) {
            throw fail("STOP leaves " + top + " values on the stack and " + markCount + " open MARKs; a complete pickle"
                    + " leaves exactly one value");
        }
        if (in.remaining() != 0) {
            throw fail("the pickle has " + in.remaining() + " bytes after its STOP opcode");
        }
        return stack[0];
    }

    // ---- the stack

    private void push(Object value) {
        if (top == stack.length) {
            charge((long) stack.length * 2 * REF + OBJECT);
            stack = Arrays.copyOf(stack, stack.length * 2);
        }
        stack[top++] = value;
    }

    private int base() {
        return markCount == 0 ? 0 : marks[markCount - 1];
    }

    private Object pop() {
        if (top == base()) {
            throw fail("an opcode needs a value but the stack " + (markCount == 0 ? "is empty" : "above the last MARK is empty"));
        }
        Object v = stack[--top];
        stack[top] = null;
        return v;
    }

    private Object peek() {
        if (top == base()) {
            throw fail("an opcode needs a value but the stack " + (markCount == 0 ? "is empty" : "above the last MARK is empty"));
        }
        return stack[top - 1];
    }

    /** The top {@code n} values, oldest first, removed from the stack. */
    private List<Object> popN(int n) {
        if (top - base() < n) {
            throw fail("an opcode needs " + n + " values but the stack holds " + (top - base()));
        }
        List<Object> items = new ArrayList<>(Arrays.asList(stack).subList(top - n, top));
        Arrays.fill(stack, top - n, top, null);
        top -= n;
        return items;
    }

    private void mark() {
        if (markCount == MAX_MARKS) {
            throw fail("MARKs are nested more than " + MAX_MARKS + " deep");
        }
        if (markCount == marks.length) {
            charge((long) marks.length * 2 * 4 + OBJECT);
            marks = Arrays.copyOf(marks, marks.length * 2);
        }
        marks[markCount++] = top;
    }

    /** The values above the last MARK, oldest first, removed together with the MARK. */
    private List<Object> popMark() {
        if (markCount == 0) {
            throw fail("an opcode needs a MARK but there is none");
        }
        int from = marks[--markCount];
        charge((long) (top - from) * REF + OBJECT);
        List<Object> items = new ArrayList<>(Arrays.asList(stack).subList(from, top));
        Arrays.fill(stack, from, top, null);
        top = from;
        return items;
    }

    // ---- values

    private Map<Object, Object> newDict() {
        charge(6 * OBJECT);
        return new LinkedHashMap<>();
    }

    private List<Object> newList() {
        charge(3 * OBJECT);
        return new ArrayList<>();
    }

    private Pickled.Tuple tuple(List<Object> items) {
        if (items.isEmpty()) {
            return EMPTY_TUPLE;
        }
        charge(2 * OBJECT + (long) items.size() * REF);
        return new Pickled.Tuple(items);
    }

    private Object integer(long value) {
        if (value < -128 || value > 127) {
            charge(OBJECT + 8);
        }
        return value;
    }

    /** A little-endian two's-complement integer of {@code n} bytes. */
    private Object longValue(long n) {
        if (n < 0 || n > MAX_LONG_BYTES) {
            throw fail("an integer of " + n + " bytes; at most " + MAX_LONG_BYTES + " are read");
        }
        byte[] le = in.bytes(n);
        charge(3 * OBJECT + 2 * n);
        if (n == 0) {
            return 0L;
        }
        byte[] be = new byte[(int) n];
        for (int i = 0; i < n; i++) {
            be[i] = le[(int) n - 1 - i];
        }
        BigInteger big = new BigInteger(be);
        return big.bitLength() < 64 ? (Object) big.longValue() : big;
    }

    private String string(long n) {
        if (n < 0 || n > MAX_STRING_BYTES) {
            throw fail("a string of " + Long.toUnsignedString(n) + " bytes; at most " + MAX_STRING_BYTES + " are read");
        }
        if (n > in.remaining()) {
            throw fail("a string of " + n + " bytes runs past the end of the pickle (" + in.remaining() + " bytes left)");
        }
        charge(3 * OBJECT + 5 * n);
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(in.bytes(n))).toString();
        } catch (CharacterCodingException e) {
            throw fail("a string is not valid UTF-8");
        }
    }

    private void setItems(Object target, List<Object> keysAndValues) {
        if (!(target instanceof Map)) {
            throw fail("SETITEM(S) on a " + Pickled.typeName(target) + ", not a dict");
        }
        if (keysAndValues.size() % 2 != 0) {
            throw fail("SETITEMS with an odd number of values (" + keysAndValues.size() + ")");
        }
        @SuppressWarnings("unchecked")
        Map<Object, Object> dict = (Map<Object, Object>) target;
        for (int i = 0; i < keysAndValues.size(); i += 2) {
            Object key = keysAndValues.get(i);
            if (!Pickled.isKey(key)) {
                throw fail("a dict key is a " + Pickled.typeName(key) + "; only strings, numbers, bools and None are"
                        + " read as keys");
            }
            charge(3 * OBJECT + 2 * REF);
            dict.put(key, keysAndValues.get(i + 1));
        }
    }

    private void append(Object target, List<Object> items) {
        if (!(target instanceof ArrayList)) {
            throw fail("APPEND(S) on a " + Pickled.typeName(target) + ", not a list");
        }
        @SuppressWarnings("unchecked")
        List<Object> list = (List<Object>) target;
        charge(2L * REF * items.size());
        list.addAll(items);
    }

    // ---- the memo

    private void put(long index) {
        if (index > memoSize) {
            throw fail("memo index " + index + " skips ahead of the " + memoSize + " values memoized so far");
        }
        int i = (int) index;
        if (i == memo.length) {
            charge((long) memo.length * 2 * REF + OBJECT);
            memo = Arrays.copyOf(memo, memo.length * 2);
        }
        memo[i] = peek();
        if (i == memoSize) {
            memoSize++;
        }
    }

    private Object get(long index) {
        if (index >= memoSize) {
            throw fail("memo index " + index + " was never memoized (" + memoSize + " values so far)");
        }
        return memo[(int) index];
    }

    // ---- globals and calls

    /** A line of a GLOBAL opcode, without its newline. */
    private String line(String part) {
        byte[] bytes = new byte[MAX_NAME_BYTES];
        for (int n = 0; n <= MAX_NAME_BYTES; n++) {
            int b = in.u8();
            if (b == '\n') {
                return decodeName(Arrays.copyOf(bytes, n), part);
            }
            if (n == MAX_NAME_BYTES) {
                break;
            }
            bytes[n] = (byte) b;
        }
        throw fail("the " + part + " of a GLOBAL is longer than " + MAX_NAME_BYTES + " bytes");
    }

    private String decodeName(byte[] bytes, String part) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw fail("the " + part + " of a GLOBAL is not valid UTF-8; it was refused and nothing was executed");
        }
    }

    private TorchGlobal global(String module, String name) {
        return TorchGlobal.find(module, name).orElseThrow(() -> fail("the pickle names the global "
                + InvalidInputException.printable(module + "." + name) + "; only tensors and dicts are read"
                + " (collections.OrderedDict, torch._utils._rebuild_tensor_v2 and _rebuild_parameter, torch storage"
                + " types); nothing was executed"));
    }

    private void stackGlobal() {
        List<Object> parts = popN(2);
        if (!(parts.get(0) instanceof String module) || !(parts.get(1) instanceof String name)) {
            throw fail("STACK_GLOBAL needs two strings, not a " + Pickled.typeName(parts.get(0)) + " and a "
                    + Pickled.typeName(parts.get(1)) + "; nothing was executed");
        }
        if (module.length() > MAX_NAME_BYTES || name.length() > MAX_NAME_BYTES) {
            throw fail("STACK_GLOBAL names a global longer than " + MAX_NAME_BYTES + " characters; nothing was executed");
        }
        push(global(module, name));
    }

    private void reduce() {
        List<Object> callAndArgs = popN(2);
        Object callable = callAndArgs.get(0);
        Object args = callAndArgs.get(1);
        if (!(callable instanceof TorchGlobal g)) {
            throw fail("REDUCE calls a " + Pickled.typeName(callable) + ", which is not a known rebuild function;"
                    + " nothing was executed");
        }
        if (!(args instanceof Pickled.Tuple t)) {
            throw fail("REDUCE calls " + g.qualifiedName() + " with a " + Pickled.typeName(args)
                    + " instead of an argument tuple; nothing was executed");
        }
        Object value;
        try {
            value = TensorRebuild.call(g, t);
        } catch (IllegalArgumentException e) {
            throw fail(e.getMessage() + "; nothing was executed");
        }
        if (value instanceof Pickled.Tensor tensor) {
            charge(4 * OBJECT + 2L * 8 * tensor.strides().length);
        }
        push(value == null ? newDict() : value);
    }

    private void build() {
        Object state = pop();
        Object target = peek();
        if (!(target instanceof Map) || !(state instanceof Map || state == Pickled.NONE)) {
            throw fail("BUILD sets the state of a " + Pickled.typeName(target) + " from a " + Pickled.typeName(state)
                    + "; only a dict's attributes (ignored) are accepted; nothing was executed");
        }
        // an OrderedDict's attributes (a state dict's _metadata): not needed to read tensors
    }

    /** {@code ('storage', storage_type, key, location, numel)}. */
    private Pickled.Storage persistentId(Object pid) {
        if (!(pid instanceof Pickled.Tuple t) || t.size() != 5 || !"storage".equals(t.get(0))) {
            throw fail("a persistent id is not a ('storage', type, key, location, size) tuple");
        }
        if (!(t.get(1) instanceof TorchGlobal type) || !type.isStorage()) {
            throw fail("a persistent id's storage type is a " + Pickled.typeName(t.get(1)) + ", not a torch storage type");
        }
        if (!(t.get(2) instanceof String key) || !(t.get(3) instanceof String)) {
            throw fail("a persistent id's key or location is not a string");
        }
        if (!(t.get(4) instanceof Long numel) || numel < 0) {
            throw fail("a persistent id's size is not a non-negative int");
        }
        Pickled.Storage storage = new Pickled.Storage(key, type.storageDtype(), numel, type);
        Pickled.Storage seen = storages.putIfAbsent(key, storage);
        if (seen == null) {
            charge(6 * OBJECT + 2 * REF);
            return storage;
        }
        if (!seen.equals(storage)) {
            throw fail("storage \"" + InvalidInputException.printable(key) + "\" is named as " + seen.type().qualifiedName()
                    + " of " + seen.numel() + " elements and as " + type.qualifiedName() + " of " + numel);
        }
        return seen;
    }
}
