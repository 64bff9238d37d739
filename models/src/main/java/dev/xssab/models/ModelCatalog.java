package dev.xssab.models;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The built-in recognition models, by id. Each is a spec JSON beside this class, its files pinned
 * in {@link ModelFile}; nothing here loads a model.
 */
public final class ModelCatalog {
    /** The deployment's default model. */
    public static final String DEFAULT_MODEL = "fr_feature";

    private static final Map<String, RecognitionModelSpec> BUILTIN = load();

    private ModelCatalog() {}

    private static Map<String, RecognitionModelSpec> load() {
        Map<String, RecognitionModelSpec> all = new LinkedHashMap<>();
        for (String resource : List.of("fr_feature.json", "mobileface.json", "faceapi_resnet.json")) {
            RecognitionModelSpec spec = RecognitionModelSpec.builtin(resource);
            all.put(spec.id(), spec);
        }
        return all;
    }

    /** Every built-in model, the default first. */
    public static List<RecognitionModelSpec> builtins() {
        return List.copyOf(BUILTIN.values());
    }

    /** A built-in model by id; an unknown id is an error naming the known ones. */
    public static RecognitionModelSpec byId(String id) {
        RecognitionModelSpec spec = BUILTIN.get(id);
        if (spec == null) {
            throw new IllegalArgumentException("unknown model '" + id + "'; built-in models: " + String.join(", ", BUILTIN.keySet()));
        }
        return spec;
    }
}
