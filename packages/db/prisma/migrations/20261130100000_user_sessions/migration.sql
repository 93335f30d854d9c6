-- Web app sessions of end users. Login with email + API key hands out an opaque random token in an
-- httpOnly cookie; only its SHA-256 is kept here. A session belongs to the key it was opened with: it is
-- live only while that key is, so revoking the key (CLI or console) ends its sessions without a second
-- write to forget.
CREATE TABLE user_sessions (
  id            bigserial PRIMARY KEY,
  user_id       bigint NOT NULL REFERENCES users (id),
  api_key_id    bigint NOT NULL REFERENCES api_keys (id),
  token_hash    text NOT NULL,
  created_at    timestamptz(3) NOT NULL DEFAULT now(),
  last_seen_at  timestamptz(3) NOT NULL DEFAULT now(),
  expires_at    timestamptz(3) NOT NULL,
  revoked_at    timestamptz(3),
  CONSTRAINT user_sessions_token_hash_format CHECK (token_hash ~ '^[0-9a-f]{64}$')
);
CREATE UNIQUE INDEX user_sessions_token_hash_key ON user_sessions (token_hash);
CREATE INDEX user_sessions_user_idx ON user_sessions (user_id);
CREATE INDEX user_sessions_api_key_idx ON user_sessions (api_key_id);
