-- Issue 13, items 2 and 4: one successor per refresh token; sign-in throttled per account and client, exactly;
-- sign-up limited per client. What the server does with these is in docs/accounts.md.

------------------------------------------------------------------------------------------------------------------
-- 1. Refresh tokens: exactly one successor
------------------------------------------------------------------------------------------------------------------
-- No new column: a token's successor is derived from the token itself with a server key (Accounts/RefreshTokens),
-- so every server process, given the same used-up token, names the same successor without any plaintext stored.
-- What makes it exactly one is the lock: every exchange of a session's tokens holds that session's row lock and
-- reads the token row only after it has the lock.
COMMENT ON COLUMN auth.refresh_tokens.rotated_at IS
  'When this token was exchanged for its one successor; presented again within the reuse interval it answers that same successor, later it ends the session';

------------------------------------------------------------------------------------------------------------------
-- 2. Which client: the address, or its /64 for IPv6
------------------------------------------------------------------------------------------------------------------
-- Per-client limits key on this. One IPv6 host usually holds a whole /64 and can pick a new address per request,
-- so the /64 is the client. An unknown address is one shared bucket (0.0.0.0/0) rather than no limit at all.
CREATE FUNCTION auth.client_network(p_address inet) RETURNS inet
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  SET search_path = ''
AS $$
  SELECT CASE WHEN p_address IS NULL THEN inet '0.0.0.0/0'
              WHEN family(p_address) = 6 THEN CAST(network(set_masklen(p_address, 64)) AS inet)
              ELSE p_address END
$$;
REVOKE EXECUTE ON FUNCTION auth.client_network(inet) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION auth.client_network(inet) TO service_role;

------------------------------------------------------------------------------------------------------------------
-- 3. Sign-in attempts
------------------------------------------------------------------------------------------------------------------
-- V10 recorded a failure after the password was checked, so a parallel burst all passed the check first. Now a row
-- is written BEFORE the password is checked (under an advisory lock per account, then per client network, so the
-- count and the insert are one decision) and deleted again when the password proves right: a row is an attempt
-- that failed or is still being checked. ip_address now holds auth.client_network() of the address.
UPDATE auth.sign_in_failures SET ip_address = auth.client_network(ip_address)
 WHERE ip_address IS NULL OR family(ip_address) = 6;
COMMENT ON TABLE auth.sign_in_failures IS
  'Sign-in attempts that failed or are being checked, per email as typed and client network; system only';
COMMENT ON COLUMN auth.sign_in_failures.ip_address IS 'auth.client_network() of the client''s address';
-- Per (account, client): the email index serves it (an account has few rows in a window); this one keeps it cheap
-- when an attacker has filled an account's window from many networks.
CREATE INDEX idx_sign_in_failures_email_network ON auth.sign_in_failures (email, ip_address, failed_at);

------------------------------------------------------------------------------------------------------------------
-- 4. Sign-up attempts
------------------------------------------------------------------------------------------------------------------
-- Every sign-up request that passes validation, per client network, for STUDIO_SIGNUPS_PER_HOUR_PER_CLIENT. Written
-- before the password is hashed (so a refused one costs no bcrypt) and kept even when the sign-up then fails with
-- 409 (so probing which emails have accounts is limited too). System only; rows older than a day are pruned.
CREATE TABLE auth.sign_up_attempts (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  client_network INET NOT NULL,
  attempted_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW()
);
CREATE INDEX idx_sign_up_attempts_network ON auth.sign_up_attempts (client_network, attempted_at);
CREATE INDEX idx_sign_up_attempts_time ON auth.sign_up_attempts (attempted_at);
ALTER TABLE auth.sign_up_attempts ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON auth.sign_up_attempts FROM PUBLIC;
GRANT ALL ON auth.sign_up_attempts TO service_role;
