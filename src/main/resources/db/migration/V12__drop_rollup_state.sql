-- rollup_state (V10) held a version per project that every roll-up pass bumped, for the
-- dashboard's cache key. Nothing reads it any more: the roll-up job retires a project's cached
-- dashboard and stats answers through their Redis cache generation once its pass has committed.
DROP TABLE rollup_state;
