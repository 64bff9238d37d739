-- Portable between PostgreSQL and H2: standard types only (BYTEA is an H2 alias of VARBINARY).
CREATE TABLE verification_result (
    request_id      VARCHAR(256) PRIMARY KEY,
    model_id        VARCHAR(128) NOT NULL,
    score           DOUBLE PRECISION NOT NULL,
    threshold       DOUBLE PRECISION NOT NULL,
    decision        VARCHAR(16) NOT NULL,
    explained       BOOLEAN NOT NULL,
    tags_json       VARCHAR(8000) NOT NULL,
    submitted_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    completed_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    gateway_ms      DOUBLE PRECISION NOT NULL,
    model_ms        DOUBLE PRECISION NOT NULL,
    batch_size      INTEGER NOT NULL,
    stored_at       TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX verification_result_completed ON verification_result (completed_at);

CREATE TABLE explanation (
    request_id      VARCHAR(256) PRIMARY KEY,
    model_id        VARCHAR(128) NOT NULL,
    score           DOUBLE PRECISION NOT NULL,
    threshold       DOUBLE PRECISION NOT NULL,
    probe_s_plus    DOUBLE PRECISION NOT NULL,
    probe_s_minus   DOUBLE PRECISION NOT NULL,
    reference_s_plus  DOUBLE PRECISION NOT NULL,
    reference_s_minus DOUBLE PRECISION NOT NULL,
    -- The Explanation record as Avro binary (maps in float16, aligned faces): enough to redraw
    -- the panel. Its writer schema is in avro_schema, by fingerprint, so old rows stay readable.
    avro_fingerprint BIGINT NOT NULL,
    avro_payload    BYTEA NOT NULL,
    stored_at       TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE avro_schema (
    fingerprint     BIGINT PRIMARY KEY,
    schema_json     VARCHAR(1000000) NOT NULL
);
