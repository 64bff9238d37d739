package dev.xssab.explainer;

import dev.xssab.render.PairExplanation;
import dev.xssab.render.ArgumentMaps;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import dev.xssab.executor.GraphExecutor;
import dev.xssab.models.ModelStore;
import dev.xssab.models.RecognitionModelSpec;
import dev.xssab.schemas.RgbImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * xSSAB on a recognition model (ONNX, TF.js graph or face-api's ResNet), run on PyTorch through DJL.
 *
 * <p><b>One forward pass per image.</b> A batch of P pairs is one tensor {@code [A1..AP,
 * B1..BP]} and one forward pass. With e = L2-normalised embeddings and the other side detached,
 * the objective for image A of pair k is {@code sum_i eA_i * stop(eB_i) * m_i} and for image B
 * {@code sum_i stop(eA_i) * eB_i * m_i}, with m the mask of positive arguments (e1_i*e2_i >= t/d).
 * These depend on disjoint inputs, and pairs do not interact in an inference-mode network, so the
 * sum of all of them has, as gradient with respect to each image, exactly that image's d s+/d img.
 * One backward of the summed s+ (keeping the graph) and one of the summed s- give every map of the
 * batch, in both directions. Embeddings are never recomputed.
 *
 * <p><b>Memory.</b> Every call runs in its own sub-manager of this engine's manager and copies
 * results to Java arrays before the scope closes; nothing native outlives a call.
 *
 * <p><b>Threads.</b> PyTorch allows one open GradientCollector per process: {@link #explain} holds
 * a process-wide lock around it. {@link #score} needs no gradients and runs concurrently.
 */
public final class XssabEngine implements PairExplainer {
    private static final Logger LOG = LoggerFactory.getLogger(XssabEngine.class);
    /** PyTorch's rule: one GradientCollector at a time in the whole process. */
    private static final ReentrantLock GRADIENT_LOCK = new ReentrantLock();

    private final RecognitionModelSpec spec;
    private final NDManager manager;
    private final GraphExecutor executor;
    private final DataType dataType;

    private XssabEngine(RecognitionModelSpec spec, NDManager manager, GraphExecutor executor, DataType dataType) {
        this.spec = spec;
        this.manager = manager;
        this.executor = executor;
        this.dataType = dataType;
    }

    /** Loads the model on the device DJL picks (a GPU when the CUDA natives find one, else the CPU). */
    public static XssabEngine load(RecognitionModelSpec spec, ModelStore store) throws IOException {
        return load(spec, store, DataType.FLOAT32);
    }

    /**
     * Loads the model in a given precision. FLOAT64 is for gradient checks against finite
     * differences, where float32 rounding would drown the signal.
     */
    public static XssabEngine load(RecognitionModelSpec spec, ModelStore store, DataType dataType) throws IOException {
        Engine engine = Engine.getEngine("PyTorch");
        Device device = engine.defaultDevice();
        NDManager manager = engine.newBaseManager(device);
        try {
            GraphExecutor executor = GraphExecutor.load(RecognitionGraphs.load(spec, store), manager, dataType);
            LOG.info("xSSAB engine: model {} on PyTorch {} device {} ({})", spec.id(), engine.getVersion(), device,
                    dataType);
            return new XssabEngine(spec, manager, executor, dataType);
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    @Override
    public String modelId() {
        return spec.id();
    }

    public RecognitionModelSpec spec() {
        return spec;
    }

    public Device device() {
        return manager.getDevice();
    }

    /** L2-normalised embeddings, one row per image, from one batched forward pass. */
    public double[][] embed(List<RgbImage> images) throws InferenceException {
        return embedTensor(ModelInput.toDouble(ModelInput.nchw(images, spec)), images.size());
    }

    /** Embeddings of an already normalised NCHW tensor (package-private: gradient checks perturb it). */
    double[][] embedTensor(double[] nchw, int n) throws InferenceException {
        try (NDManager scope = manager.newSubManager()) {
            NDArray x = input(scope, nchw, n);
            double[] flat = normalise(executor.forward(x)).toType(DataType.FLOAT64, false).toDoubleArray();
            int d = flat.length / n;
            double[][] out = new double[n][d];
            for (int i = 0; i < n; i++) {
                System.arraycopy(flat, i * d, out[i], 0, d);
            }
            return out;
        } catch (RuntimeException e) {
            throw new InferenceException("embedding failed: " + e.getMessage(), e);
        }
    }

    @Override
    public double[] score(List<FacePair> pairs) throws InferenceException {
        double[][] e = embed(stack(pairs));
        int p = pairs.size();
        double[] scores = new double[p];
        for (int k = 0; k < p; k++) {
            scores[k] = ModelInput.cosine(e[k], e[p + k]);
        }
        return scores;
    }

    @Override
    public List<PairExplanation> explain(List<FacePair> pairs, double threshold) throws InferenceException {
        if (pairs.isEmpty()) {
            return List.of();
        }
        int p = pairs.size();
        int plane = spec.height() * spec.width();
        Gradients g = gradients(ModelInput.toDouble(ModelInput.nchw(stack(pairs), spec)), p, threshold);
        float[] positive = channelMeanAbs(g.plus(), 2 * p, plane);
        float[] negative = channelMeanAbs(g.minus(), 2 * p, plane);
        List<PairExplanation> out = new ArrayList<>(p);
        for (int k = 0; k < p; k++) {
            ArgumentMaps probe = new ArgumentMaps(g.sPlus()[k], g.sMinus()[k], spec.width(), spec.height(),
                    slice(positive, k * plane, plane), slice(negative, k * plane, plane));
            ArgumentMaps reference = new ArgumentMaps(g.sPlus()[k], g.sMinus()[k], spec.width(), spec.height(),
                    slice(positive, (p + k) * plane, plane), slice(negative, (p + k) * plane, plane));
            out.add(new PairExplanation(g.cosine()[k], threshold, probe, reference));
        }
        return out;
    }

    /**
     * Signed input gradients of s+ and s- for a batch of pairs given as one normalised tensor
     * {@code [A1..AP, B1..BP]}: one forward pass, two backward passes.
     *
     * @param plus d s+/d input, [2P,3,H,W] flattened (rows 0..P-1: probe, explained against its reference)
     * @param minus d s-/d input, same layout
     */
    record Gradients(double[] cosine, double[] sPlus, double[] sMinus, double[] plus, double[] minus) {}

    @SuppressWarnings("try") // the collector is used for its scope: PyTorch records gradients while it is open
    Gradients gradients(double[] nchw, int p, double threshold) throws InferenceException {
        GRADIENT_LOCK.lock();
        try (NDManager scope = manager.newSubManager()) {
            NDArray x = input(scope, nchw, 2 * p);
            x.setRequiresGradient(true);
            double[] cos = new double[p];
            double[] sPlus = new double[p];
            double[] sMinus = new double[p];
            try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDArray e = normalise(executor.forward(x));
                NDArray eA = e.get(new NDIndex("0:{}", p));
                NDArray eB = e.get(new NDIndex("{}:", p));
                NDArray fixedA = eA.stopGradient();
                NDArray fixedB = eB.stopGradient();
                NDArray products = fixedA.mul(fixedB);
                double bound = threshold / products.getShape().get(1);
                NDArray positiveMask = products.gte(bound).toType(dataType, false);
                NDArray negativeMask = positiveMask.neg().add(1);
                // Each term's gradient reaches only its own image: the partner is detached.
                NDArray bothDirections = eA.mul(fixedB).add(fixedA.mul(eB));
                NDArray plus = bothDirections.mul(positiveMask).sum();
                NDArray minus = bothDirections.mul(negativeMask).sum();

                double[] prod = products.toType(DataType.FLOAT64, false).toDoubleArray();
                double[] mask = positiveMask.toType(DataType.FLOAT64, false).toDoubleArray();
                int d = prod.length / p;
                for (int k = 0; k < p; k++) {
                    for (int i = 0; i < d; i++) {
                        double v = prod[k * d + i];
                        cos[k] += v;
                        if (mask[k * d + i] > 0.5) {
                            sPlus[k] += v;
                        } else {
                            sMinus[k] += v;
                        }
                    }
                }
                double[] gradPlus = backward(plus, x, true);
                JniUtils.zeroGrad((PtNDArray) x);
                double[] gradMinus = backward(minus, x, false);
                return new Gradients(cos, sPlus, sMinus, gradPlus, gradMinus);
            }
        } catch (RuntimeException e) {
            throw new InferenceException("xSSAB explanation failed: " + e.getMessage(), e);
        } finally {
            GRADIENT_LOCK.unlock();
        }
    }

    /** Backpropagates a scalar and copies the input's gradient out. */
    private static double[] backward(NDArray target, NDArray x, boolean keepGraph) {
        try (NDArray ones = target.onesLike()) {
            JniUtils.backward((PtNDArray) target, (PtNDArray) ones, keepGraph, false);
        }
        return x.getGradient().toType(DataType.FLOAT64, false).toDoubleArray();
    }

    /** Mean over the 3 channels of |g|, per image: [N,3,H,W] to [N,H,W]. */
    private static float[] channelMeanAbs(double[] g, int n, int plane) {
        float[] out = new float[n * plane];
        for (int i = 0; i < n; i++) {
            int base = i * 3 * plane;
            for (int j = 0; j < plane; j++) {
                out[i * plane + j] = (float) ((Math.abs(g[base + j]) + Math.abs(g[base + plane + j])
                        + Math.abs(g[base + 2 * plane + j])) / 3);
            }
        }
        return out;
    }

    private NDArray input(NDManager scope, double[] nchw, int n) {
        Shape shape = new Shape(n, 3, spec.height(), spec.width());
        if (dataType == DataType.FLOAT64) {
            return scope.create(nchw, shape);
        }
        float[] f = new float[nchw.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) nchw[i];
        }
        return scope.create(f, shape);
    }

    private static NDArray normalise(NDArray embeddings) {
        return embeddings.div(embeddings.square().sum(new int[] {1}, true).sqrt());
    }

    private static List<RgbImage> stack(List<FacePair> pairs) {
        List<RgbImage> images = new ArrayList<>(2 * pairs.size());
        pairs.forEach(pair -> images.add(pair.probe()));
        pairs.forEach(pair -> images.add(pair.reference()));
        return images;
    }

    private static float[] slice(float[] a, int from, int len) {
        float[] out = new float[len];
        System.arraycopy(a, from, out, 0, len);
        return out;
    }

    /** NDArrays held by this engine (its constants); stays constant across calls if nothing leaks. */
    public int liveNativeArrays() {
        return manager.getManagedArrays().size();
    }

    @Override
    public String problem() {
        // The base manager owns the executor's constants: once it is closed no call can succeed.
        return manager.isOpen() ? null : "model " + spec.id() + " is closed";
    }

    @Override
    public void close() {
        executor.close();
        manager.close();
    }
}
