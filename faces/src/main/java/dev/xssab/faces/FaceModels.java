package dev.xssab.faces;

import ai.djl.Model;
import dev.xssab.faces.image.DecodeLimits;
import dev.xssab.models.ModelCatalog;
import dev.xssab.models.ModelFile;
import dev.xssab.models.ModelStore;
import dev.xssab.models.OrtModels;
import dev.xssab.models.RecognitionModelSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's face models (fr_detect, fr_landmark), loaded once per process, and a pool of
 * preprocessors over them, one per thread. Kafka Streams makes a processor per task (per
 * partition); the processors share this instead of loading two ONNX Runtime sessions each.
 * A DJL predictor is not thread-safe, an ORT session is: so the sessions are shared and each
 * thread gets its own predictors.
 */
public final class FaceModels implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FaceModels.class);

    private final Model detectModel;
    private final Model landmarkModel;
    private final RecognitionModelSpec spec;
    /** Models whose faces this gateway can prepare: the built-ins and the default (which may be a user's). */
    private final Map<String, RecognitionModelSpec> known = new java.util.LinkedHashMap<>();
    private final DecodeLimits limits;
    private final FacePreprocessor.StepTimer timer;
    private final Map<Thread, FacePreprocessor> byThread = new ConcurrentHashMap<>();
    /** Workers for the second image of a pair, one per core; each gets its own preprocessor on first use. */
    private final ExecutorService workers = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors(), r -> {
        Thread t = new Thread(r, "face-worker");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean closed;

    private FaceModels(Model detectModel, Model landmarkModel, RecognitionModelSpec spec, DecodeLimits limits,
            FacePreprocessor.StepTimer timer) {
        this.detectModel = detectModel;
        this.landmarkModel = landmarkModel;
        this.spec = spec;
        this.limits = limits;
        this.timer = timer;
        known.put(spec.id(), spec);
        ModelCatalog.builtins().forEach(m -> known.putIfAbsent(m.id(), m));
    }

    /** The model a request names (null: the default), if this gateway knows it. */
    public java.util.Optional<RecognitionModelSpec> spec(String modelId) {
        return java.util.Optional.ofNullable(modelId == null ? spec : known.get(modelId));
    }

    /** Adds a model (a user's spec) whose faces this gateway prepares besides the built-ins; returns this. */
    public FaceModels alsoFor(RecognitionModelSpec model) {
        known.put(model.id(), model);
        return this;
    }

    /** The ids of the models this gateway prepares faces for. */
    public java.util.Set<String> modelIds() {
        return known.keySet();
    }

    /**
     * Loads both models (two ONNX Runtime sessions) for faces aligned to {@code spec}'s template.
     *
     * @param timer receives every preprocessing step's time (decode, detect, landmarks, align)
     */
    public static FaceModels load(ModelStore store, RecognitionModelSpec spec, DecodeLimits limits,
            FacePreprocessor.StepTimer timer) {
        Model detect = OrtModels.load(store.resolve(ModelFile.FR_DETECT), "fr_detect", 1);
        try {
            Model landmark = OrtModels.load(store.resolve(ModelFile.FR_LANDMARK), "fr_landmark", 1);
            LOG.info("face models loaded once for this process: fr_detect, fr_landmark ({} ONNX Runtime sessions"
                    + " in the process)", OrtModels.sessionsLoaded());
            return new FaceModels(detect, landmark, spec, limits, timer);
        } catch (RuntimeException e) {
            detect.close();
            throw e;
        }
    }

    /** The calling thread's preprocessor, made on its first call; never shared between threads. */
    public FacePreprocessor forCurrentThread() {
        if (closed) {
            throw new IllegalStateException("the face models are closed");
        }
        return byThread.computeIfAbsent(Thread.currentThread(), t -> newPreprocessor());
    }

    /** A preprocessor of its own, for a caller that manages its thread itself; close it after use. */
    public FacePreprocessor newPreprocessor() {
        return new FacePreprocessor(new FaceDetector(detectModel), new LandmarkDetector(landmarkModel), spec, limits, timer);
    }

    /** Threads that prepare images with these models (each thread its own preprocessor). */
    public Executor executor() {
        return workers;
    }

    /**
     * For readiness: null while both face models are loaded and their workers run, else why not.
     * DJL's Model does not say whether it is closed, so this object's own state is the answer.
     */
    public String problem() {
        if (closed) {
            return "the face models (fr_detect, fr_landmark) are closed";
        }
        return workers.isShutdown() ? "the face workers are shut down" : null;
    }

    @Override
    public void close() {
        closed = true;
        workers.shutdownNow();
        List<FacePreprocessor> all = new ArrayList<>(byThread.values());
        byThread.clear();
        all.forEach(FacePreprocessor::close);
        detectModel.close();
        landmarkModel.close();
    }
}
