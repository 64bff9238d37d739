-- Who submitted each request, and whether the broker vouched for it (the request came through the
-- principal's own ACL-protected topic) or it is the request's self-declared clientId; and whether
-- the decision was taken at the model's live threshold or at the request's own (evaluation) one.
ALTER TABLE verification_result ADD COLUMN submitted_by VARCHAR(256);
ALTER TABLE verification_result ADD COLUMN submitter_authenticated BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE verification_result ADD COLUMN threshold_source VARCHAR(16) DEFAULT 'live' NOT NULL;
