package dev.xssab.chaos.verify;

import dev.xssab.schemas.avro.Rejection;
import dev.xssab.schemas.avro.VerificationResult;
import java.util.List;
import java.util.Map;

/**
 * Everything a full scan of the outcome topics found: the committed records (what a
 * read_committed consumer, and so every downstream service, sees) and, per topic, how many
 * records only read_uncommitted sees (those of aborted transactions).
 *
 * @param results committed records of the results topic
 * @param rejections committed rejections, their original request bytes dropped
 * @param explanations committed explanations, as their figures
 * @param alignedPairs committed aligned pairs; the value is the pair's explain flag
 * @param abortedByTopic per topic: offsets read_uncommitted saw that read_committed did not
 * @param scanProblems partitions the scan could not read to their end, and why
 */
public record Outcomes(List<Scanned<VerificationResult>> results, List<Scanned<Rejection>> rejections,
        List<Scanned<ExplanationFigures>> explanations, List<Scanned<Boolean>> alignedPairs, Map<String, Long> abortedByTopic,
        List<String> scanProblems) {

    public Outcomes {
        results = List.copyOf(results);
        rejections = List.copyOf(rejections);
        explanations = List.copyOf(explanations);
        alignedPairs = List.copyOf(alignedPairs);
        abortedByTopic = Map.copyOf(abortedByTopic);
        scanProblems = List.copyOf(scanProblems);
    }

    /** Records of aborted transactions seen, over every scanned topic. */
    public long abortedRecords() {
        return abortedByTopic.values().stream().mapToLong(Long::longValue).sum();
    }
}
