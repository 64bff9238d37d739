package dev.xssab.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xssab.broker.SingleNodeKafka;
import dev.xssab.schemas.Topics;
import org.junit.jupiter.api.Test;

/** The broker module cannot see the topic registry (it sits below it), so the two limits meet here. */
class BrokerSettingsTest {
    @Test
    void theBrokerAcceptsEveryRecordTheClientsMaySend() {
        assertTrue(SingleNodeKafka.MAX_MESSAGE_BYTES >= Topics.MAX_MESSAGE_BYTES,
                "broker message.max.bytes " + SingleNodeKafka.MAX_MESSAGE_BYTES + " < clients' " + Topics.MAX_MESSAGE_BYTES);
    }
}
