-- Face images and relevance maps (the Avro payload) are deleted after audit.images.retention, or on
-- request (xssab audit erase), while the decision and its similarity split stay: the payload
-- becomes NULL and the row says when and why. The same statements run on H2 and PostgreSQL.
ALTER TABLE explanation ALTER COLUMN avro_payload DROP NOT NULL;
ALTER TABLE explanation ADD COLUMN images_erased_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE explanation ADD COLUMN images_erased_why VARCHAR(32);

-- The hourly purge looks for payloads stored before a cut-off.
CREATE INDEX explanation_stored ON explanation (stored_at);
