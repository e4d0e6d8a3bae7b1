-- The users' last computed interests (grains/HyMiRec.Grains/Journal/PostgresInterestSnapshots.cs). Safe to run again.
-- A cache: written when a user grain deactivates, read when it activates, used only if model_version is the model
-- the silo serves. coarse and refined are little-endian float32 vectors of `dimension` floats each.
CREATE TABLE IF NOT EXISTS hymirec_user_interests
(
    service_id       text    NOT NULL,
    user_id          text    NOT NULL,
    model_version    text    NOT NULL,
    codebook_version text    NOT NULL,
    dimension        integer NOT NULL CHECK (dimension > 0),
    events_seen      bigint  NOT NULL CHECK (events_seen >= 0),
    computed_at_ms   bigint  NOT NULL,
    coarse           bytea   NOT NULL,
    refined          bytea   NOT NULL,
    PRIMARY KEY (service_id, user_id)
);
