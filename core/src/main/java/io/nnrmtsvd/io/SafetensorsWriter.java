package io.nnrmtsvd.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

/**
 * Writes safetensors files atomically (see {@link AtomicFiles}). Tensors are laid out in the order
 * given, back to back from offset 0; the header is padded with spaces so the data starts at a
 * multiple of 8 bytes, as the reference writer does. Tensor bytes are streamed, so copying
 * tensors from a large file needs no memory for their data.
 */
public final class SafetensorsWriter {
    private static final JsonFactory JSON = JsonFactory.builder().build();

    private SafetensorsWriter() {
    }

    /** Streams the little-endian bytes of one tensor. */
    @FunctionalInterface
    public interface TensorBytes {
        /**
         * Writes all the tensor's bytes.
         *
         * @param out destination; modified
         */
        void writeTo(WritableByteChannel out) throws IOException;
    }

    /**
     * One tensor to write. The constructor throws {@link IllegalArgumentException} for a reserved
     * or empty name, or a shape whose elements overflow or, for a packed dtype, do not fill a
     * whole number of bytes.
     *
     * @param name unique, non-empty, not {@code "__metadata__"}
     * @param dtype element type
     * @param shape non-negative dimensions (copied in and out)
     * @param bytes writes exactly {@code dtype.byteLength(product(shape))} bytes
     */
    public record Tensor(String name, Dtype dtype, long[] shape, TensorBytes bytes) {
        public Tensor {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(dtype, "dtype");
            Objects.requireNonNull(bytes, "bytes");
            if (name.isEmpty() || name.equals(SafetensorsFile.METADATA_KEY)) {
                throw new IllegalArgumentException("invalid tensor name \"" + name + "\"");
            }
            shape = shape.clone();
            long count = TensorInfo.elementCount(shape);
            if (count < 0 || dtype.byteLength(count) < 0) {
                throw new IllegalArgumentException("invalid shape " + Arrays.toString(shape) + " of " + dtype
                        + " for " + name);
            }
        }

        @Override
        public long[] shape() {
            return shape.clone();
        }

        /** Bytes of data: {@link Dtype#byteLength(long)} of the element count. */
        public long byteLength() {
            return dtype.byteLength(TensorInfo.elementCount(shape));
        }

        /**
         * A tensor of F32, F16, BF16 or F64 values; F16 and BF16 round to nearest even, F64 is exact.
         *
         * @param values C-order values, {@code product(shape)} of them; not modified, but read
         *     only when the file is written
         */
        public static Tensor ofFloats(String name, Dtype dtype, long[] shape, float[] values) {
            checkCount(name, shape, values.length);
            TensorBytes bytes = switch (dtype) {
                case F32 -> out -> BinaryWrites.encode(out, values.length, 4, (b, i) -> b.putFloat(values[i]));
                case F64 -> out -> BinaryWrites.encode(out, values.length, 8, (b, i) -> b.putDouble(values[i]));
                case F16 -> out -> BinaryWrites.encode(out, values.length, 2,
                        (b, i) -> b.putShort(HalfFloats.floatToF16(values[i])));
                case BF16 -> out -> BinaryWrites.encode(out, values.length, 2,
                        (b, i) -> b.putShort(HalfFloats.floatToBf16(values[i])));
                default -> throw new IllegalArgumentException("cannot write floats as " + dtype);
            };
            return new Tensor(name, dtype, shape, bytes);
        }

        /**
         * A tensor of F64 or F32 values; F32 rounds to nearest.
         *
         * @param values C-order values, {@code product(shape)} of them; not modified, but read
         *     only when the file is written
         */
        public static Tensor ofDoubles(String name, Dtype dtype, long[] shape, double[] values) {
            checkCount(name, shape, values.length);
            TensorBytes bytes = switch (dtype) {
                case F64 -> out -> BinaryWrites.encode(out, values.length, 8, (b, i) -> b.putDouble(values[i]));
                case F32 -> out -> BinaryWrites.encode(out, values.length, 4, (b, i) -> b.putFloat((float) values[i]));
                default -> throw new IllegalArgumentException("cannot write doubles as " + dtype);
            };
            return new Tensor(name, dtype, shape, bytes);
        }

        /**
         * The tensor {@code name} of {@code source}, copied byte for byte under the same name,
         * whatever its dtype (packed ones included). {@code source} must stay open until the file
         * is written.
         */
        public static Tensor copyOf(SafetensorsFile source, String name) {
            TensorInfo t = source.tensor(name);
            return new Tensor(name, t.dtype(), t.shape(), out -> source.transferTo(name, out));
        }

        private static void checkCount(String name, long[] shape, int valueCount) {
            if (TensorInfo.elementCount(shape) != valueCount) {
                throw new IllegalArgumentException("tensor " + name + ": shape " + Arrays.toString(shape)
                        + " does not hold " + valueCount + " values");
            }
        }
    }

    /**
     * Writes {@code target} atomically.
     *
     * @param metadata string pairs stored as {@code __metadata__}; omitted when empty
     * @param tensors written in this order
     * @throws IllegalArgumentException if two tensors share a name or the header would exceed
     *     {@link SafetensorsFile#MAX_HEADER_BYTES}
     * @throws IOException if writing fails or a tensor writes the wrong number of bytes; the
     *     target is then left as it was
     */
    public static void write(Path target, Map<String, String> metadata, List<Tensor> tensors) throws IOException {
        byte[] header = header(metadata, tensors);
        AtomicFiles.write(target, out -> {
            ByteBuffer length = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            out.write(length.putLong(0, header.length).array());
            out.write(header);
            WritableByteChannel channel = Channels.newChannel(out);
            for (Tensor t : tensors) {
                CountingChannel counted = new CountingChannel(channel);
                t.bytes().writeTo(counted);
                if (counted.written != t.byteLength()) {
                    throw new IOException("tensor " + t.name() + " wrote " + counted.written + " bytes instead of "
                            + t.byteLength());
                }
            }
        });
    }

    private static byte[] header(Map<String, String> metadata, List<Tensor> tensors) {
        Set<String> names = new HashSet<>();
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(ObjectWriteContext.empty(), json)) {
            g.writeStartObject();
            if (!metadata.isEmpty()) {
                g.writeName(SafetensorsFile.METADATA_KEY);
                g.writeStartObject();
                for (Map.Entry<String, String> e : metadata.entrySet()) {
                    g.writeName(Objects.requireNonNull(e.getKey(), "metadata key"));
                    g.writeString(Objects.requireNonNull(e.getValue(), "metadata value"));
                }
                g.writeEndObject();
            }
            long offset = 0;
            for (Tensor t : tensors) {
                if (!names.add(t.name())) {
                    throw new IllegalArgumentException("duplicate tensor name \"" + t.name() + "\"");
                }
                g.writeName(t.name());
                g.writeStartObject();
                g.writeName("dtype");
                g.writeString(t.dtype().name());
                g.writeName("shape");
                g.writeStartArray();
                for (long d : t.shape()) {
                    g.writeNumber(d);
                }
                g.writeEndArray();
                g.writeName("data_offsets");
                g.writeStartArray();
                g.writeNumber(offset);
                offset += t.byteLength();
                g.writeNumber(offset);
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndObject();
        }
        int padding = (Long.BYTES - json.size() % Long.BYTES) % Long.BYTES;
        if (json.size() + padding > SafetensorsFile.MAX_HEADER_BYTES) {
            throw new IllegalArgumentException("header of " + json.size() + " bytes exceeds the format's limit");
        }
        for (int i = 0; i < padding; i++) {
            json.write(' ');
        }
        return json.toByteArray();
    }

    /** Counts the bytes written through it. */
    private static final class CountingChannel implements WritableByteChannel {
        private final WritableByteChannel target;
        private long written;

        CountingChannel(WritableByteChannel target) {
            this.target = target;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            int n = target.write(src);
            written += n;
            return n;
        }

        @Override
        public boolean isOpen() {
            return target.isOpen();
        }

        @Override
        public void close() {
            // the underlying stream belongs to the caller
        }
    }
}
