package dev.xssab.executor.onnx;

import dev.xssab.executor.ModelFormatException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Reads protobuf wire format: just enough to walk ONNX messages without generated classes or a
 * protobuf runtime. Each instance reads one message, {@code [start, end)} of a byte array.
 */
final class ProtoReader {
    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH_DELIMITED = 2;
    static final int FIXED32 = 5;

    private final byte[] buf;
    private int pos;
    private final int end;
    private int tag;

    ProtoReader(byte[] buf, int start, int end) {
        this.buf = buf;
        this.pos = start;
        this.end = end;
    }

    /** Advances to the next field; false at the end of the message. */
    boolean next() {
        if (pos >= end) {
            return false;
        }
        tag = (int) readVarint();
        return true;
    }

    int field() {
        return tag >>> 3;
    }

    int wireType() {
        return tag & 7;
    }

    long readVarint() {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= end) {
                throw new ModelFormatException("truncated varint");
            }
            byte b = buf[pos++];
            result |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return result;
            }
        }
        throw new ModelFormatException("malformed varint");
    }

    float readFixed32Float() {
        ensure(4);
        float f = ByteBuffer.wrap(buf, pos, 4).order(ByteOrder.LITTLE_ENDIAN).getFloat();
        pos += 4;
        return f;
    }

    double readFixed64Double() {
        ensure(8);
        double d = ByteBuffer.wrap(buf, pos, 8).order(ByteOrder.LITTLE_ENDIAN).getDouble();
        pos += 8;
        return d;
    }

    /** The current length-delimited field as a sub-reader; the parent moves past it. */
    ProtoReader message() {
        int len = (int) readVarint();
        ensure(len);
        ProtoReader sub = new ProtoReader(buf, pos, pos + len);
        pos += len;
        return sub;
    }

    byte[] bytes() {
        int len = (int) readVarint();
        ensure(len);
        byte[] out = new byte[len];
        System.arraycopy(buf, pos, out, 0, len);
        pos += len;
        return out;
    }

    String string() {
        return new String(bytes(), StandardCharsets.UTF_8);
    }

    /** Whether this reader has unread bytes (used for packed repeated fields). */
    boolean hasMore() {
        return pos < end;
    }

    void skip() {
        switch (wireType()) {
            case VARINT -> readVarint();
            case FIXED64 -> { ensure(8); pos += 8; }
            case LENGTH_DELIMITED -> { int len = (int) readVarint(); ensure(len); pos += len; }
            case FIXED32 -> { ensure(4); pos += 4; }
            default -> throw new ModelFormatException("unsupported wire type " + wireType());
        }
    }

    private void ensure(int n) {
        if (n < 0 || pos + n > end) {
            throw new ModelFormatException("truncated message");
        }
    }
}
