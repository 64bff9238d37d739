package dev.xssab.schemas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class Float16Test {
    @Test
    void knownValuesAndRelativeErrorOfMapMagnitudes() {
        assertArrayEquals(new byte[] {0x00, 0x3c, 0x00, (byte) 0xc0, 0x00, 0x00}, Float16.encode(new float[] {1f, -2f, 0f}));
        assertEquals(65504f, Float16.decode(Float16.encode(new float[] {65504f}))[0]);
        assertEquals(Float.POSITIVE_INFINITY, Float16.decode(Float16.encode(new float[] {1e6f}))[0]);
        assertEquals(0x1p-24f, Float16.decode(Float16.encode(new float[] {0x1p-24f}))[0]);
        Random r = new Random(1);
        for (int i = 0; i < 10_000; i++) {
            float v = (float) Math.pow(10, -4 + 3 * r.nextDouble()) * (r.nextBoolean() ? 1 : -1);
            float back = Float16.decode(Float16.encode(new float[] {v}))[0];
            assertEquals(v, back, Math.abs(v) * 1e-3, "value " + v);
        }
    }
}
