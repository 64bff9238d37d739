package dev.xssab.schemas.serde;

import java.util.HashMap;
import java.util.Map;
import org.apache.avro.generic.GenericContainer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** Serializer and deserializer for one generated record type, as a Kafka Serde. */
public class AvroSerde<T extends GenericContainer> implements Serde<T> {
    private final AvroSerializer<T> serializer = new AvroSerializer<>();
    private final AvroDeserializer<T> deserializer = new AvroDeserializer<>();

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        Map<String, Object> withSpecific = new HashMap<>(configs);
        withSpecific.putIfAbsent(AvroSerdeConfig.SPECIFIC_AVRO_READER, true);
        serializer.configure(withSpecific, isKey);
        deserializer.configure(withSpecific, isKey);
    }

    @Override
    public Serializer<T> serializer() {
        return serializer;
    }

    @Override
    public Deserializer<T> deserializer() {
        return deserializer;
    }
}
