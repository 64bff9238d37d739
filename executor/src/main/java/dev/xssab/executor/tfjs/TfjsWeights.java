package dev.xssab.executor.tfjs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xssab.executor.ModelFormatException;
import dev.xssab.executor.OpGraph;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The weights of a TF.js model: a weights manifest (groups of paths and entries) over the
 * concatenated binary shards, little-endian. Quantised entries (uint8, uint16: value = q * scale +
 * min; float16) are expanded to float32 here, once, so the executor only sees plain constants.
 * Shapes stay as TF.js declares them (filters HWIO); the front ends rearrange.
 */
public final class TfjsWeights {
    private TfjsWeights() {}

    /**
     * Reads every weight a manifest names.
     *
     * @param manifest the {@code weightsManifest} array (a model.json's, or a face-api manifest file's whole content)
     * @param folder the folder the shard paths are relative to
     */
    public static Map<String, OpGraph.Tensor> read(JsonNode manifest, Path folder) throws IOException {
        if (manifest == null || !manifest.isArray()) {
            throw new ModelFormatException("not a TF.js weights manifest: expected an array of {paths, weights}");
        }
        Map<String, OpGraph.Tensor> out = new LinkedHashMap<>();
        for (JsonNode group : manifest) {
            ByteBuffer data = shards(group.path("paths"), folder);
            for (JsonNode w : group.path("weights")) {
                OpGraph.Tensor t = entry(w, data);
                out.put(t.name(), t);
            }
            if (data.hasRemaining()) {
                throw new ModelFormatException("TF.js shards " + group.path("paths") + " have " + data.remaining()
                        + " bytes more than their manifest describes");
            }
        }
        return out;
    }

    private static ByteBuffer shards(JsonNode paths, Path folder) throws IOException {
        byte[][] parts = new byte[paths.size()][];
        int total = 0;
        for (int i = 0; i < parts.length; i++) {
            Path shard = folder.resolve(paths.get(i).asText()).normalize();
            if (!shard.startsWith(folder.normalize())) {
                throw new ModelFormatException("TF.js shard path " + paths.get(i).asText() + " leaves the model's folder");
            }
            if (!Files.isRegularFile(shard)) {
                throw new ModelFormatException("TF.js weights shard " + shard + " is missing");
            }
            parts[i] = Files.readAllBytes(shard);
            total += parts[i].length;
        }
        ByteBuffer all = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        for (byte[] p : parts) {
            all.put(p);
        }
        return all.flip();
    }

    private static OpGraph.Tensor entry(JsonNode w, ByteBuffer data) {
        String name = w.path("name").asText();
        JsonNode shapeJson = w.path("shape");
        long[] dims = new long[shapeJson.size()];
        long count = 1;
        for (int i = 0; i < dims.length; i++) {
            dims[i] = shapeJson.get(i).asLong();
            count *= dims[i];
        }
        int n = Math.toIntExact(count);
        String dtype = w.path("dtype").asText("float32");
        JsonNode q = w.get("quantization");
        try {
            if (q != null) {
                return new OpGraph.Tensor(name, dims, 1, dequantize(q, data, n, name), null);
            }
            switch (dtype) {
                case "float32": {
                    float[] f = new float[n];
                    data.asFloatBuffer().get(f);
                    data.position(data.position() + 4 * n);
                    return new OpGraph.Tensor(name, dims, 1, f, null);
                }
                case "int32": {
                    long[] l = new long[n];
                    for (int i = 0; i < n; i++) {
                        l[i] = data.getInt();
                    }
                    return new OpGraph.Tensor(name, dims, 7, null, l);
                }
                default:
                    throw new ModelFormatException("TF.js weight '" + name + "' has dtype " + dtype + ", which is not supported");
            }
        } catch (java.nio.BufferUnderflowException e) {
            throw new ModelFormatException("TF.js shards end inside weight '" + name + "': the manifest and the .bin disagree");
        }
    }

    /**
     * A TF filter in PyTorch's layout: HWIO to OIHW, or for a depthwise filter (HWCM, channel
     * multiplier M) to (C*M)x1xHxW, output channel c*M+m as TF numbers them, for a group-C conv.
     */
    public static OpGraph.Tensor toOihw(OpGraph.Tensor filter, boolean depthwise, String name) {
        long[] f = filter.dims();
        int kh = (int) f[0];
        int kw = (int) f[1];
        int in = (int) f[2];
        int out = (int) f[3];
        float[] w = filter.floats();
        int inPerGroup = depthwise ? 1 : in;
        float[] oihw = new float[w.length];
        for (int y = 0; y < kh; y++) {
            for (int x = 0; x < kw; x++) {
                for (int i = 0; i < in; i++) {
                    for (int o = 0; o < out; o++) {
                        int outIndex = depthwise ? i * out + o : o;
                        int inIndex = depthwise ? 0 : i;
                        oihw[((outIndex * inPerGroup + inIndex) * kh + y) * kw + x] = w[((y * kw + x) * in + i) * out + o];
                    }
                }
            }
        }
        long outChannels = depthwise ? (long) in * out : out;
        return new OpGraph.Tensor(name, new long[] {outChannels, inPerGroup, kh, kw}, 1, oihw, null);
    }

    /** IEEE 754 half precision to float (Java 17 has no Float.float16ToFloat). */
    static float halfToFloat(short h) {
        int sign = (h >>> 15) & 1;
        int exp = (h >>> 10) & 0x1f;
        int mant = h & 0x3ff;
        float v;
        if (exp == 0) {
            v = mant * 0x1p-24f;
        } else if (exp == 31) {
            v = mant == 0 ? Float.POSITIVE_INFINITY : Float.NaN;
        } else {
            v = Float.intBitsToFloat(((exp + 112) << 23) | (mant << 13));
        }
        return sign == 0 ? v : -v;
    }

    private static float[] dequantize(JsonNode q, ByteBuffer data, int n, String name) {
        String qtype = q.path("dtype").asText();
        float[] f = new float[n];
        switch (qtype) {
            case "uint8":
            case "uint16": {
                // As TF.js does: in double precision, then stored as float32.
                double scale = q.path("scale").asDouble();
                double min = q.path("min").asDouble();
                boolean eight = "uint8".equals(qtype);
                for (int i = 0; i < n; i++) {
                    int v = eight ? data.get() & 0xff : data.getShort() & 0xffff;
                    f[i] = (float) (v * scale + min);
                }
                return f;
            }
            case "float16":
                for (int i = 0; i < n; i++) {
                    f[i] = halfToFloat(data.getShort());
                }
                return f;
            default:
                throw new ModelFormatException("TF.js weight '" + name + "' uses quantisation " + qtype + ", which is not supported");
        }
    }
}
