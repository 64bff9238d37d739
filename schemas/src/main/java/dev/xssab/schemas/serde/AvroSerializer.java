package dev.xssab.schemas.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Avro records to the Confluent wire format: byte 0 (magic), the schema's registry id as a 4-byte
 * big-endian int, then the Avro binary encoding. Subjects follow Confluent's default
 * TopicNameStrategy: {@code <topic>-key} and {@code <topic>-value}.
 */
public class AvroSerializer<T extends GenericContainer> implements Serializer<T> {
    static final byte MAGIC_BYTE = 0;

    private SchemaRegistryClient registry;
    private boolean autoRegister;
    private boolean isKey;

    public AvroSerializer() {}

    /** Configured directly (e.g. for tests and topology wiring). */
    public AvroSerializer(SchemaRegistryClient registry, boolean autoRegister, boolean isKey) {
        this.registry = registry;
        this.autoRegister = autoRegister;
        this.isKey = isKey;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        this.registry = SchemaRegistryClient.shared(configs);
        this.autoRegister = AvroSerdeConfig.flag(configs, AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, true);
        this.isKey = isKey;
    }

    @Override
    public byte[] serialize(String topic, T record) {
        if (record == null) {
            return null;
        }
        Schema schema = record.getSchema();
        String subject = topic + (isKey ? "-key" : "-value");
        try {
            int id = autoRegister ? registry.register(subject, schema) : registry.lookup(subject, schema);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(MAGIC_BYTE);
            out.write(ByteBuffer.allocate(4).putInt(id).array());
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            GenericDatumWriter<T> writer = record instanceof SpecificRecord
                    ? new SpecificDatumWriter<>(schema, SpecificData.get())
                    : new GenericDatumWriter<>(schema);
            writer.write(record, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (SchemaRegistryUnavailableException e) {
            throw e; // the record is fine; the caller retries it once the registry answers
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot serialize a " + schema.getFullName() + " for " + subject + ": "
                    + e.getMessage(), e);
        }
    }
}
