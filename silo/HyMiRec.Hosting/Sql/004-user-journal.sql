-- The user click journal (grains/HyMiRec.Grains/Journal). Safe to run again.
-- Each external item id is stored once; journal rows hold its key.
CREATE TABLE IF NOT EXISTS hymirec_items
(
    item_key    integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    external_id text NOT NULL UNIQUE
);

-- One row per append (or per compaction snapshot) of one user: event_count events packed into `events` (varint item
-- key, zig-zag varint milliseconds since the previous event), and the highest Kafka offset applied per partition
-- (varint pairs). first_seq is the sequence number of the row's first event; appends are conditional on no row
-- reaching past it, so two activations of one user cannot interleave.
CREATE TABLE IF NOT EXISTS hymirec_user_journal
(
    service_id  text    NOT NULL,
    user_id     text    NOT NULL,
    first_seq   bigint  NOT NULL,
    event_count integer NOT NULL CHECK (event_count >= 0),
    events      bytea   NOT NULL,
    offsets     bytea   NOT NULL,
    PRIMARY KEY (service_id, user_id, first_seq)
);
