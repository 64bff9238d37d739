package dev.xssab.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xssab.schemas.Topics.Kind;
import dev.xssab.schemas.Topics.Outcomes;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TopicsTest {
    @Test
    void aRequestWithoutAKnownSenderHasItsOutcomesOnTheSharedTopics() {
        assertEquals(new Outcomes("xssab.verification-results", "xssab.explanations", "xssab.rejections"),
                Topics.outcomesFor(Optional.empty()));
    }

    @Test
    void aPrincipalsOutcomesGoToItsOwnTopicOfEachFamily() {
        Outcomes own = Topics.outcomesFor(Optional.of("door-7"));
        assertEquals(List.of("xssab.verification-results.by.door-7", "xssab.explanations.by.door-7", "xssab.rejections.by.door-7"),
                own.all());
        assertEquals(Kind.RESULTS, Topics.kindOf(own.results()));
        assertEquals(Kind.EXPLANATIONS, Topics.kindOf(own.explanations()));
        assertEquals(Kind.REJECTIONS, Topics.kindOf(own.rejections()));
        assertTrue(Topics.RESULT_TOPICS.matcher(own.results()).matches());
        assertTrue(Topics.EXPLANATION_TOPICS.matcher(own.explanations()).matches());
        assertTrue(Topics.REJECTION_TOPICS.matcher(own.rejections()).matches());
    }

    /** Door a's prefix "a." (its groups, its topics) must not cover door "a.x"'s: no dots, nor anything a pattern or ACL could read otherwise. */
    @Test
    void aPrincipalThatCouldShareAnothersPrefixGetsNoOutcomeTopics() {
        for (String p : List.of("a.x", "a.", ".a", "a*", "a/b", "a b", "a:b", "", "é", "door-7.reader")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Topics.outcomesFor(Optional.of(p)), p);
            assertTrue(e.getMessage().endsWith(": " + p), e.getMessage());
        }
        assertEquals("xssab.rejections.by.A_b-9", Topics.outcomesFor(Optional.of("A_b-9")).rejections());
    }

    /** The gateway and the explainer route by this: never another principal's topics, never an exception for a name. */
    @Test
    void theOutcomesOfARequestTopicAreItsPrincipalsOwnOrTheSharedOnes() {
        assertEquals(Topics.outcomesFor(Optional.of("door-7")), Topics.outcomesOfRequestsIn(Topics.requestsFrom("door-7")));
        assertEquals(Topics.outcomesFor(Optional.empty()), Topics.outcomesOfRequestsIn(Topics.REQUESTS));
        // A dotted request principal may exist, but "a." would be a prefix of "a.x"'s topics: the shared ones, which no client reads.
        assertEquals(Topics.outcomesFor(Optional.empty()), Topics.outcomesOfRequestsIn(Topics.requestsFrom("a.x")));
        assertEquals(Topics.outcomesFor(Optional.empty()), Topics.outcomesOfSubmitter(Optional.of("a b")));
        assertEquals(Topics.outcomesFor(Optional.empty()), Topics.outcomesOfRequestsIn(null));
        assertTrue(Topics.hasOwnOutcomes("door-7"));
        assertFalse(Topics.hasOwnOutcomes("a.x"));
    }

    @Test
    void severalFamiliesAtOnce() {
        var audited = Topics.families(Topics.RESULTS, Topics.EXPLANATIONS);
        for (String t : List.of(Topics.RESULTS, Topics.EXPLANATIONS, Topics.outcomesFor(Optional.of("d")).results(),
                Topics.outcomesFor(Optional.of("d")).explanations())) {
            assertTrue(audited.matcher(t).matches(), t);
        }
        for (String t : List.of(Topics.REJECTIONS, Topics.outcomesFor(Optional.of("d")).rejections(), Topics.RESULTS + "x", Topics.REQUESTS)) {
            assertFalse(audited.matcher(t).matches(), t);
        }
    }

    @Test
    void theRequestFamilyIsTheSharedTopicAndEveryPrincipalsOwnAsBefore() {
        assertEquals(Topics.family(Topics.REQUESTS).pattern(), Topics.REQUEST_TOPICS.pattern());
        for (String t : List.of(Topics.REQUESTS, Topics.requestsFrom("client"), Topics.requestsFrom("a.x"), Topics.requestsFrom("door-7"))) {
            assertTrue(Topics.REQUEST_TOPICS.matcher(t).matches(), t);
            assertEquals(Kind.REQUESTS, Topics.kindOf(t), t);
        }
        for (String t : List.of(Topics.REQUESTS + ".by.", Topics.REQUESTS + "x", Topics.REQUESTS + ".by.a*", "x" + Topics.REQUESTS,
                Topics.RESULTS, Topics.REQUESTS + ".by.a.by")) {
            boolean request = Topics.REQUEST_TOPICS.matcher(t).matches();
            assertEquals(t.equals(Topics.REQUESTS + ".by.a.by"), request, t); // a dotted request principal, allowed as before
        }
        assertEquals(Optional.of("a.x"), Topics.principalOf(Topics.requestsFrom("a.x")));
        assertThrows(IllegalArgumentException.class, () -> Topics.requestsFrom("a/b"));
    }

    @Test
    void kindsOfTheOtherTopics() {
        assertEquals(Kind.ALIGNED_PAIRS, Topics.kindOf(Topics.ALIGNED_PAIRS));
        for (String t : List.of(Topics.THRESHOLDS, Topics.AGGREGATES, Topics.SCHEMAS, Topics.ALIGNED_PAIRS + ".by.x",
                Topics.RESULTS + ".by.", Topics.RESULTS + "-x", "xssab.explanationsx", "")) {
            assertEquals(Kind.OTHER, Topics.kindOf(t), t);
        }
        assertEquals(Kind.OTHER, Topics.kindOf(null));
        // Families do not overlap: each own topic is of exactly one kind.
        assertFalse(Topics.RESULT_TOPICS.matcher(Topics.outcomesFor(Optional.of("p")).rejections()).matches());
    }

    /** Requests (both images), aligned pairs, explanations (faces and maps), rejections (the request itself) hold faces; results hold none. */
    @Test
    void theTopicsThatCarryFaceBytes() {
        Topics topics = Topics.create(Map.of("schema.registry.url", "mock://topics-test"));
        Set<String> faces = topics.all().stream().filter(Topics.Topic::faces).map(Topics.Topic::name).collect(Collectors.toSet());
        assertEquals(Set.of(Topics.REQUESTS, Topics.ALIGNED_PAIRS, Topics.EXPLANATIONS, Topics.REJECTIONS), faces);
        assertTrue(topics.all().stream().filter(Topics.Topic::faces).noneMatch(Topics.Topic::compacted), "no face topic is compacted");
        Outcomes own = Topics.outcomesFor(Optional.of("door-7"));
        assertTrue(Topics.carriesFaces(Topics.requestsFrom("door-7")));
        assertTrue(Topics.carriesFaces(own.explanations()));
        assertTrue(Topics.carriesFaces(own.rejections()));
        assertFalse(Topics.carriesFaces(own.results()));
        assertFalse(Topics.carriesFaces(Topics.THRESHOLDS));
    }
}
