package dev.xssab.schemas.serde;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * The Confluent wire format back to Avro. The writer's schema comes from the registry by the id
 * in the payload; with {@code specific.avro.reader=true} the record is resolved into the generated
 * class of the same full name (Avro schema resolution, so older and newer writers both read).
 * Anything that is not magic byte 0 plus a known id is a {@link SerializationException}; a
 * registry that cannot be reached is a {@link SchemaRegistryUnavailableException} instead, because
 * that says nothing about the bytes.
 */
public class AvroDeserializer<T> implements Deserializer<T> {
    private SchemaRegistryClient registry;
    private boolean specific;
    private final Map<Integer, DatumReader<Object>> readers = new ConcurrentHashMap<>();

    public AvroDeserializer() {}

    public AvroDeserializer(SchemaRegistryClient registry, boolean specific) {
        this.registry = registry;
        this.specific = specific;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        this.registry = SchemaRegistryClient.shared(configs);
        this.specific = AvroSerdeConfig.flag(configs, AvroSerdeConfig.SPECIFIC_AVRO_READER, false);
    }

    @Override
    @SuppressWarnings("unchecked")
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (data.length < 5 || data[0] != AvroSerializer.MAGIC_BYTE) {
            throw new SerializationException("not Confluent Avro wire format: " + (data.length < 5
                    ? data.length + " bytes" : "magic byte " + data[0]) + " on " + topic);
        }
        int id = ByteBuffer.wrap(data, 1, 4).getInt();
        try {
            DatumReader<Object> reader = readers.computeIfAbsent(id, this::readerFor);
            return (T) reader.read(null, DecoderFactory.get().binaryDecoder(data, 5, data.length - 5, null));
        } catch (SchemaRegistryUnavailableException e) {
            throw e; // not a verdict on these bytes: the caller retries the record
        } catch (Exception e) {
            throw new SerializationException("cannot deserialize schema id " + id + " on " + topic + ": " + e.getMessage(), e);
        }
    }

    private DatumReader<Object> readerFor(int id) {
        Schema writer = registry.schemaById(id);
        if (!specific) {
            return new GenericDatumReader<>(writer);
        }
        Class<?> type = SpecificData.get().getClass(writer);
        if (type == null) {
            throw new SerializationException("no generated class for " + writer.getFullName());
        }
        Schema reader = SpecificData.get().getSchema(type);
        return new SpecificDatumReader<>(writer, reader, SpecificData.get());
    }
}
