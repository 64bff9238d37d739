package dev.xssab.faces;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import dev.xssab.faces.image.ImageOps;
import dev.xssab.schemas.RgbImage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Finds faces with fr_detect (Ultra-Light SSD). Not thread-safe: one per thread.
 *
 * <p>An image is searched as it is, and, only when that is not enough, a second time shrunk into
 * a black border of 40% of its size. The detector was trained on scenes, so on a tight crop (a
 * face filling the frame, as in stored enrolment photos) it misses the face or finds only part
 * of it; with the border the same face looks like a face in a scene. "Not enough" means: no face
 * scored {@link #CONFIDENT}, the best face touches the frame or fills most of it, or the image is
 * as small as a crop ({@link #CROP_SIDE}). Both result
 * sets are then merged by non-maximum suppression. The model's input is fixed at batch 1, so the
 * two images of a pair cannot share one call; they are searched in parallel instead.
 */
public final class FaceDetector implements AutoCloseable {
    static final float SCORE_THRESHOLD = 0.65f;
    static final float NMS_IOU = 0.4f;
    static final int TOP_K = 750;
    /** Border added on each side for the tight-crop pass, as a fraction of the image size. */
    static final float TIGHT_CROP_BORDER = 0.4f;
    /** A face this sure, inside the frame and not filling it, needs no second search. */
    static final float CONFIDENT = 0.9f;
    /** A box closer than this to an edge (fraction of the side) touches the frame. */
    static final float EDGE = 0.02f;
    /** A box covering more than this of the image fills the frame. */
    static final float FILLS = 0.5f;
    /**
     * Images whose longer side is below this are treated as crops (enrolment photos, thumbnails)
     * and always searched twice: on a tight crop the first pass can confidently find part of the
     * face well inside the frame.
     */
    static final int CROP_SIDE = 512;

    private long searches;
    private long secondSearches;

    private final Predictor<RgbImage, DetectorTranslator.RawDetections> predictor;

    public FaceDetector(Model frDetect) {
        this.predictor = frDetect.newPredictor(new DetectorTranslator());
    }

    /** All faces found, best first, in the image's pixel coordinates. */
    public List<Detection> detect(RgbImage image) throws TranslateException {
        List<Detection> candidates = new ArrayList<>();
        RgbImage direct = ImageOps.resize(image, DetectorTranslator.WIDTH, DetectorTranslator.HEIGHT);
        collect(predictor.predict(direct), 0, 0, DetectorTranslator.WIDTH, DetectorTranslator.HEIGHT, image, candidates);
        searches++;
        List<Detection> first = nms(candidates);
        if (enough(first, image)) {
            return first;
        }
        secondSearches++;

        // The bordered pass is built at detector resolution: shrinking first and padding after
        // equals padding first and shrinking after, at a fraction of the cost for large photos.
        float frac = 1 + 2 * TIGHT_CROP_BORDER;
        int innerW = Math.round(DetectorTranslator.WIDTH / frac);
        int innerH = Math.round(DetectorTranslator.HEIGHT / frac);
        int offX = (DetectorTranslator.WIDTH - innerW) / 2;
        int offY = (DetectorTranslator.HEIGHT - innerH) / 2;
        RgbImage inner = ImageOps.resize(direct, innerW, innerH);
        RgbImage bordered = ImageOps.cropPadded(inner, -offX, -offY, DetectorTranslator.WIDTH, DetectorTranslator.HEIGHT);
        collect(predictor.predict(bordered), offX, offY, innerW, innerH, image, candidates);
        return nms(candidates);
    }

    /** Maps boxes given in 0..1 of the detector canvas back to the original image. */
    private static void collect(DetectorTranslator.RawDetections raw, int offX, int offY, int innerW, int innerH,
            RgbImage image, List<Detection> out) {
        float sx = (float) image.width() / innerW;
        float sy = (float) image.height() / innerH;
        for (int i = 0; i < raw.scores().length; i++) {
            float score = raw.scores()[i];
            if (score < SCORE_THRESHOLD) {
                continue;
            }
            float x1 = (raw.boxes()[4 * i] * DetectorTranslator.WIDTH - offX) * sx;
            float y1 = (raw.boxes()[4 * i + 1] * DetectorTranslator.HEIGHT - offY) * sy;
            float x2 = (raw.boxes()[4 * i + 2] * DetectorTranslator.WIDTH - offX) * sx;
            float y2 = (raw.boxes()[4 * i + 3] * DetectorTranslator.HEIGHT - offY) * sy;
            if (x2 > x1 && y2 > y1) {
                out.add(new Detection(x1, y1, x2, y2, score));
            }
        }
    }

    /** The first search found a confident face well inside the frame: the bordered search would add nothing. */
    static boolean enough(List<Detection> found, RgbImage image) {
        if (found.isEmpty() || found.get(0).score() < CONFIDENT || Math.max(image.width(), image.height()) < CROP_SIDE) {
            return false;
        }
        Detection best = found.stream().max(Comparator.comparingDouble(Detection::area)).orElseThrow();
        float w = image.width();
        float h = image.height();
        boolean touches = best.x1() < EDGE * w || best.y1() < EDGE * h || best.x2() > (1 - EDGE) * w || best.y2() > (1 - EDGE) * h;
        return !touches && best.area() < FILLS * w * h;
    }

    /** How many images needed the second, bordered search, of all searched by this detector. */
    public String searchCounts() {
        return secondSearches + " of " + searches;
    }

    static List<Detection> nms(List<Detection> candidates) {
        List<Detection> sorted = new ArrayList<>(candidates);
        sorted.sort(Comparator.comparingDouble(Detection::score).reversed());
        if (sorted.size() > TOP_K) {
            sorted = sorted.subList(0, TOP_K);
        }
        List<Detection> kept = new ArrayList<>();
        for (Detection d : sorted) {
            boolean suppressed = false;
            for (Detection k : kept) {
                if (k.iou(d) > NMS_IOU) {
                    suppressed = true;
                    break;
                }
            }
            if (!suppressed) {
                kept.add(d);
            }
        }
        return kept;
    }

    @Override
    public void close() {
        predictor.close();
    }
}
