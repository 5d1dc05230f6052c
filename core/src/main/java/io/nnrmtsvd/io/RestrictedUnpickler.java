package io.nnrmtsvd.io;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
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
    static final long BUDGET_PER_BYTE = 32;
    static final long BUDGET_SLACK = 1 << 18;

    private static final Pickled.Tuple EMPTY_TUPLE = new Pickled.Tuple(new Object[0]);
    // bytes charged for what the machine allocates, as a 64-bit JVM lays it out with 8-byte references
    private static final int REF = 8;
    private static final int OBJECT = 24;
    private static final int ARRAY = 24;
    private static final int BOXED = 24;
    private static final int DICT = 64;
    private static final int DICT_TABLE = 160;
    private static final int DICT_ENTRY = 64;
    private static final int LIST = 48;
    private static final int LIST_SLOT = 16;

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
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder();
    private final byte[] name = new byte[MAX_NAME_BYTES];

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
            opcodeAt = in.offset();
            if (in.remaining() == 0) {
                throw fail("the pickle ends without a STOP opcode (truncated?)");
            }
            int op = in.u8();
            switch (op) {
                case 0x80 -> protocol(in.u8());
                case 0x95 -> frame(in.s64());
                case '.' -> {
                    return stop();
                }
                case '(' -> mark();
                case '0' -> pop();
                case '1' -> dropFrom(popMark());
                case '}' -> push(newDict());
                case ']' -> push(newList());
                case ')' -> push(EMPTY_TUPLE);
                case 't' -> {
                    int from = popMark();
                    push(tuple(from));
                }
                case 0x85, 0x86, 0x87 -> push(tuple(need(op - 0x84)));
                case 's' -> {
                    need(3);
                    setItems(stack[top - 3], top - 2);
                }
                case 'u' -> setItems(belowMark(), popMark());
                case 'a' -> {
                    need(2);
                    append(stack[top - 2], top - 1);
                }
                case 'e' -> append(belowMark(), popMark());
                case 'X' -> push(string(in.u32()));
                case 0x8d -> push(string(in.s64()));
                case 0x8c -> push(string(in.u8()));
                case 'J' -> push(integer(in.s32()));
                case 'K' -> push(integer(in.u8()));
                case 'M' -> push(integer(in.u16()));
                case 0x8a -> push(longValue(in.u8()));
                case 0x8b -> push(longValue(in.s32()));
                case 'G' -> {
                    charge(BOXED);
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
            charge((long) stack.length * 2 * REF + ARRAY);
            stack = Arrays.copyOf(stack, stack.length * 2);
        }
        stack[top++] = value;
    }

    private int base() {
        return markCount == 0 ? 0 : marks[markCount - 1];
    }

    /** Checks that the top {@code n} values lie above the last MARK; returns where they begin. */
    private int need(int n) {
        if (top - base() < n) {
            throw fail("an opcode needs " + n + " values but the stack holds " + (top - base())
                    + (markCount == 0 ? "" : " above the last MARK"));
        }
        return top - n;
    }

    private Object pop() {
        need(1);
        Object v = stack[--top];
        stack[top] = null;
        return v;
    }

    private Object peek() {
        need(1);
        return stack[top - 1];
    }

    /** Drops the values from {@code from} up. */
    private void dropFrom(int from) {
        Arrays.fill(stack, from, top, null);
        top = from;
    }

    private void mark() {
        if (markCount == MAX_MARKS) {
            throw fail("MARKs are nested more than " + MAX_MARKS + " deep");
        }
        if (markCount == marks.length) {
            charge((long) marks.length * 2 * 4 + ARRAY);
            marks = Arrays.copyOf(marks, marks.length * 2);
        }
        marks[markCount++] = top;
    }

    /** Removes the last MARK and returns where the values above it begin (they stay on the stack). */
    private int popMark() {
        if (markCount == 0) {
            throw fail("an opcode needs a MARK but there is none");
        }
        return marks[--markCount];
    }

    /** The value just below the last MARK: the target of SETITEMS and APPENDS. */
    private Object belowMark() {
        if (markCount == 0) {
            throw fail("an opcode needs a MARK but there is none");
        }
        int at = marks[markCount - 1] - 1;
        if (at < (markCount == 1 ? 0 : marks[markCount - 2])) {
            throw fail("an opcode needs a value below its MARK but there is none");
        }
        return stack[at];
    }

    // ---- values

    private Map<Object, Object> newDict() {
        charge(DICT);
        return new LinkedHashMap<>();
    }

    private List<Object> newList() {
        charge(LIST);
        return new ArrayList<>();
    }

    /** A tuple of the values from {@code from} up, which are removed. */
    private Pickled.Tuple tuple(int from) {
        if (from == top) {
            return EMPTY_TUPLE;
        }
        charge(OBJECT + ARRAY + (long) (top - from) * REF);
        Pickled.Tuple t = new Pickled.Tuple(Arrays.copyOfRange(stack, from, top));
        dropFrom(from);
        return t;
    }

    private Object integer(long value) {
        if (value < -128 || value > 127) {
            charge(BOXED);
        }
        return value;
    }

    /** A little-endian two's-complement integer of {@code n} bytes. */
    private Object longValue(long n) {
        if (n < 0 || n > MAX_LONG_BYTES) {
            throw fail("an integer of " + n + " bytes; at most " + MAX_LONG_BYTES + " are read");
        }
        byte[] le = in.bytes(n);
        charge(4 * ARRAY + 3 * n);
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
        charge(OBJECT + ARRAY + 2 * n);
        String s;
        try {
            s = in.utf8(n, utf8);
        } catch (CharacterCodingException e) {
            throw fail("a string is not valid UTF-8");
        }
        if (s.length() != n) { // not ASCII: decoded through buffers, and two bytes a character
            charge(8 * OBJECT + 6 * n);
        }
        return s;
    }

    /** SETITEM(S): the keys and values from {@code from} up go into {@code target}, and are removed. */
    private void setItems(Object target, int from) {
        if (!(target instanceof Map)) {
            throw fail("SETITEM(S) on a " + Pickled.typeName(target) + ", not a dict");
        }
        if ((top - from) % 2 != 0) {
            throw fail("SETITEMS with an odd number of values (" + (top - from) + ")");
        }
        @SuppressWarnings("unchecked")
        Map<Object, Object> dict = (Map<Object, Object>) target;
        for (int i = from; i < top; i += 2) {
            Object key = stack[i];
            if (!Pickled.isKey(key)) {
                throw fail("a dict key is a " + Pickled.typeName(key) + "; only strings, numbers, bools and None are"
                        + " read as keys");
            }
            charge(dict.isEmpty() ? DICT_TABLE + DICT_ENTRY : DICT_ENTRY);
            dict.put(key, stack[i + 1]);
        }
        dropFrom(from);
    }

    /** APPEND(S): the values from {@code from} up go into {@code target}, and are removed. */
    private void append(Object target, int from) {
        if (!(target instanceof ArrayList)) {
            throw fail("APPEND(S) on a " + Pickled.typeName(target) + ", not a list");
        }
        @SuppressWarnings("unchecked")
        List<Object> list = (List<Object>) target;
        charge(LIST_SLOT * (top - from));
        for (int i = from; i < top; i++) {
            list.add(stack[i]);
        }
        dropFrom(from);
    }

    // ---- the memo

    private void put(long index) {
        if (index > memoSize) {
            throw fail("memo index " + index + " skips ahead of the " + memoSize + " values memoized so far");
        }
        int i = (int) index;
        if (i == memo.length) {
            charge((long) memo.length * 2 * REF + ARRAY);
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
        for (int n = 0; n <= MAX_NAME_BYTES; n++) {
            int b = in.u8();
            if (b == '\n') {
                try {
                    return utf8.reset().decode(ByteBuffer.wrap(name, 0, n)).toString();
                } catch (CharacterCodingException e) {
                    throw fail("the " + part + " of a GLOBAL is not valid UTF-8; it was refused and nothing was"
                            + " executed");
                }
            }
            if (n == MAX_NAME_BYTES) {
                break;
            }
            name[n] = (byte) b;
        }
        throw fail("the " + part + " of a GLOBAL is longer than " + MAX_NAME_BYTES + " bytes");
    }

    private TorchGlobal global(String module, String name) {
        return TorchGlobal.find(module, name).orElseThrow(() -> fail("the pickle names the global "
                + InvalidInputException.printable(module + "." + name) + "; only tensors and dicts are read"
                + " (collections.OrderedDict, torch._utils._rebuild_tensor_v2 and _rebuild_parameter, torch storage"
                + " types); nothing was executed"));
    }

    private void stackGlobal() {
        need(2);
        Object second = pop();
        Object first = pop();
        if (!(first instanceof String module) || !(second instanceof String qualified)) {
            throw fail("STACK_GLOBAL needs two strings, not a " + Pickled.typeName(first) + " and a "
                    + Pickled.typeName(second) + "; nothing was executed");
        }
        if (module.length() > MAX_NAME_BYTES || qualified.length() > MAX_NAME_BYTES) {
            throw fail("STACK_GLOBAL names a global longer than " + MAX_NAME_BYTES + " characters; nothing was executed");
        }
        push(global(module, qualified));
    }

    private void reduce() {
        need(2);
        Object args = pop();
        Object callable = pop();
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
            charge(OBJECT + 2 * ARRAY + 16L * tensor.shape().length);
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
        Pickled.Storage seen = storages.get(key);
        if (seen == null) {
            charge(OBJECT + DICT_ENTRY);
            Pickled.Storage storage = new Pickled.Storage(key, type.storageDtype(), numel, type);
            storages.put(key, storage);
            return storage;
        }
        if (seen.type() != type || seen.numel() != numel) {
            throw fail("storage \"" + InvalidInputException.printable(key) + "\" is named as " + seen.type().qualifiedName()
                    + " of " + seen.numel() + " elements and as " + type.qualifiedName() + " of " + numel);
        }
        return seen;
    }
}
