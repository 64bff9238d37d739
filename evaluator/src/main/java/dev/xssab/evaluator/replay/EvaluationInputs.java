package dev.xssab.evaluator.replay;

import dev.xssab.evaluator.dataset.Dataset;
import dev.xssab.evaluator.patch.PatchLfw;
import dev.xssab.faces.PreprocessingException;
import dev.xssab.faces.FacePreprocessor;
import dev.xssab.faces.image.DecodeLimits;
import dev.xssab.faces.image.ImageDecoder;
import dev.xssab.models.ModelStore;
import dev.xssab.models.RecognitionModelSpec;
import dev.xssab.models.XssabHome;
import dev.xssab.schemas.RgbImage;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * A dataset ready for the protocol: every image aligned once (cached on disk by content hash),
 * failures reported and their pairs excluded, and the Patch-LFW image 1 of every pair.
 */
public final class EvaluationInputs {
    /**
     * A pair that takes part: its index in the dataset, the aligned images, the patched image 1,
     * and image 2 as PNG once, since every variant of the pair sends the same image 2.
     */
    public record PreparedPair(int index, Dataset.Pair pair, RgbImage first, RgbImage second, PatchLfw.Patched patched,
            byte[] secondPng) {}

    private final Dataset dataset;
    private final RgbImage[] aligned;
    private final List<Exclusion> exclusions = new ArrayList<>();
    private final List<PreparedPair> pairs = new ArrayList<>();

    private EvaluationInputs(Dataset dataset, RgbImage[] aligned) {
        this.dataset = dataset;
        this.aligned = aligned;
    }

    public Dataset dataset() {
        return dataset;
    }

    /**
     * An image that takes no part, and why: a {@link PreprocessingException} (no face, say) or an
     * {@link IOException} (unreadable).
     */
    public record Exclusion(Path file, Exception cause) {
        @Override
        public String toString() {
            return cause instanceof PreprocessingException p ? file + ": " + p.reason() + " (" + p.getMessage() + ")" : file + ": " + cause;
        }
    }

    /** Images that could not be aligned, with the reason; their pairs take no part. */
    public List<String> excluded() {
        return exclusions.stream().map(Exclusion::toString).toList();
    }

    /** As {@link #excluded()}, with the file and the exception. */
    public List<Exclusion> exclusions() {
        return exclusions;
    }

    /** The pairs that take part, in dataset order. */
    public List<PreparedPair> pairs() {
        return pairs;
    }

    /**
     * Aligns every image once (cached in XSSAB_HOME/aligned/WxH-LANDMARKS-KEY by content hash,
     * where KEY changes with the preprocessing and the model's size, template and landmarks: a
     * changed alignment never reuses stale crops, and models with the same geometry, such as
     * fr_feature and mobileface, share one set of crops) and builds the
     * Patch-LFW image 1 of every pair.
     *
     * @param onImage called after each image, for progress
     */
    public static EvaluationInputs prepare(Dataset dataset, RecognitionModelSpec spec, ModelStore store, long seed,
            Runnable onImage) throws IOException {
        RgbImage[] aligned = new RgbImage[dataset.images().size()];
        EvaluationInputs in = new EvaluationInputs(dataset, aligned);
        String key = sha256((FacePreprocessor.ALIGNMENT_VERSION + "|" + spec.width() + "x" + spec.height() + "|"
                + java.util.Arrays.deepToString(spec.template()) + "|" + spec.landmarks()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Path cache = Files.createDirectories(XssabHome.dir().resolve("aligned").resolve(spec.width() + "x" + spec.height() + "-"
                + spec.landmarks() + "-" + key.substring(0, 12)));
        ImageDecoder png = new ImageDecoder(DecodeLimits.DEFAULT);
        // Aligned crops skip detection: the face models are loaded only for photos.
        try (FacePreprocessor pre = dataset.aligned() ? null : FacePreprocessor.standalone(store, spec, DecodeLimits.DEFAULT)) {
            for (int i = 0; i < aligned.length; i++) {
                Path file = dataset.images().get(i).file();
                try {
                    byte[] bytes = Files.readAllBytes(file);
                    aligned[i] = dataset.aligned() ? alignedCrop(png, bytes, file, spec) : alignPhoto(pre, cache, png, bytes);
                } catch (PreprocessingException | IOException e) {
                    in.exclusions.add(new Exclusion(file, e));
                }
                onImage.run();
            }
        }
        in.preparePairs(png, spec, seed);
        return in;
    }

    /** Every pair whose two images aligned, with its Patch-LFW image 1 (from disk, or patched now). */
    private void preparePairs(ImageDecoder png, RecognitionModelSpec spec, long seed) throws IOException {
        for (int k = 0; k < dataset.pairs().size(); k++) {
            Dataset.Pair p = dataset.pairs().get(k);
            if (aligned[p.first()] == null || aligned[p.second()] == null) {
                continue;
            }
            List<Integer> others = new ArrayList<>();
            String identity = dataset.images().get(p.first()).identity();
            for (int i = 0; i < aligned.length; i++) {
                if (aligned[i] != null && !dataset.images().get(i).identity().equals(identity)) {
                    others.add(i);
                }
            }
            PatchLfw.Patched patched = p.patchedFirst() != null
                    ? new PatchLfw.Patched(alignedCrop(png, Files.readAllBytes(p.patchedFirst()), p.patchedFirst(), spec), List.of(), -1)
                    : PatchLfw.patch(seed, k, aligned[p.first()], p.second(), aligned[p.second()], p.genuine(), others, i -> aligned[i]);
            pairs.add(new PreparedPair(k, p, aligned[p.first()], aligned[p.second()], patched, png(aligned[p.second()])));
        }
    }

    /** A photo's aligned face, from the cache (by content hash) or aligned now and cached. */
    private static RgbImage alignPhoto(FacePreprocessor pre, Path cache, ImageDecoder png, byte[] bytes)
            throws IOException, PreprocessingException {
        Path cached = cache.resolve(sha256(bytes) + ".png");
        if (Files.isRegularFile(cached)) {
            return png.decode(Files.readAllBytes(cached));
        }
        RgbImage face = pre.preprocess(bytes).image();
        Path tmp = cached.resolveSibling(cached.getFileName() + ".tmp");
        Files.write(tmp, png(face));
        Files.move(tmp, cached, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return face;
    }

    /**
     * An image that must already be an aligned crop of the model's input size: decoded as it is,
     * never resized; another size stops the preparation, naming the file and both sizes.
     */
    private static RgbImage alignedCrop(ImageDecoder decoder, byte[] bytes, Path file, RecognitionModelSpec spec) throws IOException {
        RgbImage image;
        try {
            image = decoder.decode(bytes);
        } catch (PreprocessingException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
        if (image.width() != spec.width() || image.height() != spec.height()) {
            throw new AlignedSizeMismatchException(file + " is " + image.width() + "x" + image.height() + ", but model " + spec.id()
                    + " takes aligned " + spec.width() + "x" + spec.height() + " crops: an aligned dataset is never resized"
                    + " (align it for this model, or use csv:/lfw: photos, which the gateway aligns)");
        }
        return image;
    }

    /** An aligned dataset whose crops are not the model's input size. */
    public static final class AlignedSizeMismatchException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        AlignedSizeMismatchException(String message) {
            super(message);
        }
    }

    /** Lossless, so that patches and replaced pixels reach the gateway exactly. */
    public static byte[] png(RgbImage img) throws IOException {
        BufferedImage b = new BufferedImage(img.width(), img.height(), BufferedImage.TYPE_3BYTE_BGR);
        byte[] data = ((java.awt.image.DataBufferByte) b.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < img.width() * img.height(); i++) {
            data[3 * i] = img.rgb()[3 * i + 2];
            data[3 * i + 1] = img.rgb()[3 * i + 1];
            data[3 * i + 2] = img.rgb()[3 * i];
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(b, "png", out);
        return out.toByteArray();
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
