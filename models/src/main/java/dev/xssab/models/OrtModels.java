package dev.xssab.models;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Loads ONNX files into DJL's OnnxRuntime engine with the session options this project needs. */
public final class OrtModels {
    /** Sessions loaded by this process so far: models are meant to be loaded once, and this shows it. */
    private static final AtomicInteger SESSIONS = new AtomicInteger();

    private OrtModels() {}

    /** How many ONNX Runtime sessions this process has loaded (closed ones included). */
    public static int sessionsLoaded() {
        return SESSIONS.get();
    }

    /**
     * Loads an ONNX model on ONNX Runtime.
     *
     * <p>Spinning is off: ONNX Runtime's busy-waiting worker threads otherwise steal the cores that
     * PyTorch needs in the same JVM (measured: PyTorch about 2x slower beside a spinning session).
     *
     * @param intraOpThreads threads per operator; 0 lets ONNX Runtime choose
     */
    public static Model load(Path onnxFile, String name, int intraOpThreads) {
        Model model = Model.newInstance(name, Device.cpu(), "OnnxRuntime");
        try {
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            options.addConfigEntry("session.inter_op.allow_spinning", "0");
            options.setInterOpNumThreads(1);
            if (intraOpThreads > 0) {
                options.setIntraOpNumThreads(intraOpThreads);
            }
            model.load(onnxFile, null, Map.of("sessionOptions", options));
            SESSIONS.incrementAndGet();
            return model;
        } catch (OrtException | IOException | MalformedModelException e) {
            model.close();
            throw new ModelStoreException("cannot load " + onnxFile + " on ONNX Runtime: " + e.getMessage(), e);
        }
    }
}
