package dev.xssab.schemas;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * IEEE 754 half precision, little-endian: the encoding of explanation maps on the wire. Maps are
 * gradients of magnitude around 1e-4..1e-1; half floats keep 3 significant digits there (and
 * subnormals down to 6e-8), at half the bytes of float32.
 */
public final class Float16 {
    private Float16() {}

    public static byte[] encode(float[] values) {
        ByteBuffer out = ByteBuffer.allocate(2 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            out.putShort(toHalf(v));
        }
        return out.array();
    }

    public static float[] decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[bytes.length / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = toFloat(in.getShort());
        }
        return out;
    }

    /** Round-to-nearest-even conversion. */
    static short toHalf(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int exp = (bits >>> 23) & 0xff;
        int mant = bits & 0x7fffff;
        if (exp == 0xff) {
            return (short) (sign | 0x7c00 | (mant != 0 ? 0x200 : 0)); // Inf or NaN
        }
        int e = exp - 127 + 15;
        if (e >= 0x1f) {
            return (short) (sign | 0x7c00); // overflow to infinity
        }
        if (e <= 0) {
            if (e < -10) {
                return (short) sign; // underflow to zero
            }
            mant |= 0x800000;
            int shift = 14 - e;
            int half = mant >> shift;
            int rem = mant & ((1 << shift) - 1);
            int mid = 1 << (shift - 1);
            if (rem > mid || (rem == mid && (half & 1) == 1)) {
                half++;
            }
            return (short) (sign | half);
        }
        int half = (e << 10) | (mant >> 13);
        int rem = mant & 0x1fff;
        if (rem > 0x1000 || (rem == 0x1000 && (half & 1) == 1)) {
            half++; // may carry into the exponent, which is still correct
        }
        return (short) (sign | half);
    }

    static float toFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1f;
        int mant = bits & 0x3ff;
        if (exp == 0) {
            float v = mant * 0x1p-24f;
            return sign != 0 ? -v : v;
        }
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        return Float.intBitsToFloat(sign | ((exp - 15 + 127) << 23) | (mant << 13));
    }
}
