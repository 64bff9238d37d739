package dev.xssab.models;

/** The npm packages the model files come from, pinned by exact version (both MIT-licensed). */
public enum NpmPackage {
    FACEPLUGIN("faceplugin-face-recognition-js", "0.0.1"),
    FACE_API("@vladmandic/face-api", "1.7.15");

    private final String name;
    private final String version;

    NpmPackage(String name, String version) {
        this.name = name;
        this.version = version;
    }

    public String packageName() {
        return name;
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
