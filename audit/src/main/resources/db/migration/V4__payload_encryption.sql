-- Encryption at rest of the face images and maps (audit.encryption.key.file). Each sealed row has a
-- data key of its own: avro_payload is then AES-256-GCM under it, with payload_nonce; wrapped_key
-- is that data key under key_id of the key file (its 12-byte nonce, then the GCM output). Erasure
-- sets all four to NULL: what free pages or logs keep of an erased row is ciphertext.
-- Rows with key_id NULL are plaintext, as before. The same statements run on H2 and PostgreSQL.
ALTER TABLE explanation ADD COLUMN key_id VARCHAR(64);
ALTER TABLE explanation ADD COLUMN wrapped_key BYTEA;
ALTER TABLE explanation ADD COLUMN payload_nonce BYTEA;

-- rotate-key looks for the rows whose data key is not under the current key.
CREATE INDEX explanation_key ON explanation (key_id);
