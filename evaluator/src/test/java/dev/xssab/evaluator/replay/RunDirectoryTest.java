package dev.xssab.evaluator.replay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xssab.evaluator.LabelledScores;
import dev.xssab.evaluator.Strategy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunDirectoryTest {
    @TempDir
    Path tmp;

    private static RunDirectory.RunRecord record(String... models) {
        Map<String, RunDirectory.ModelRecord> byModel = new java.util.LinkedHashMap<>();
        for (String m : models) {
            byModel.put(m, new RunDirectory.ModelRecord(3, 0.25, 0.1, "reference", List.of("a.jpg: NO_FACE (none)")));
        }
        return new RunDirectory.RunRecord("r1", "csv:faces", byModel, 7, "shared", List.of(10, 50), List.of("best_worst"),
                "2026-12-04T00:00:00Z");
    }

    @Test
    void runJsonReadsBackAsWrittenWithItsFieldsInTheirOrder() throws Exception {
        RunDirectory dir = RunDirectory.at(tmp.resolve("r1"), "r1");
        assertTrue(dir.read().isEmpty(), "nothing recorded yet");
        dir.write(record("mobileface"));
        assertEquals(record("mobileface"), dir.read().orElseThrow());
        String json = Files.readString(dir.runJson());
        assertTrue(json.indexOf("\"run\"") < json.indexOf("\"dataset\"") && json.indexOf("\"models\"") < json.indexOf("\"seed\"")
                && json.indexOf("\"strategies\"") < json.indexOf("\"recordedAt\""), json);
    }

    @Test
    void onlyTheRecordedModelsScoresAreRead() throws Exception {
        RunDirectory dir = RunDirectory.at(tmp.resolve("r1"), "r1");
        LabelledScores scores = new LabelledScores(new double[] {0.9, 0.1}, new boolean[] {true, false});
        dir.writeScores("mobileface", scores);
        dir.writeScores("fr_feature", scores); // left over from another run of the same name
        assertEquals(List.of("mobileface", "fr_feature"), List.copyOf(dir.originalScores(List.of("mobileface", "fr_feature")).keySet()),
                "without run.json every kept file counts");
        dir.write(record("mobileface"));
        Map<String, LabelledScores> read = dir.originalScores(List.of("mobileface", "fr_feature"));
        assertEquals(List.of("mobileface"), List.copyOf(read.keySet()));
        assertArrayEquals(scores.scores(), read.get("mobileface").scores(), 1e-12);
    }

    @Test
    void theDefaultNameChangesWithTheGridAndNotWithTheSpelling() {
        String a = RunDirectory.defaultName("csv:" + tmp, "csv", 1, List.of(10, 50), List.of(Strategy.BEST_WORST),
                EvaluationRun.RandomOrder.SHARED);
        String same = RunDirectory.defaultName("csv:" + tmp + "/.", "csv", 1, List.of(10, 50), List.of(Strategy.BEST_WORST),
                EvaluationRun.RandomOrder.SHARED);
        String other = RunDirectory.defaultName("csv:" + tmp, "csv", 1, List.of(10, 60), List.of(Strategy.BEST_WORST),
                EvaluationRun.RandomOrder.SHARED);
        assertEquals(a, same);
        assertTrue(a.startsWith("eval-csv-s1-") && !a.equals(other), a + " vs " + other);
    }
}
