-- Accounts: sign-up, sign-in, sessions with rotating refresh tokens, sign-in throttling, profiles and follows.
--
-- Who writes what:
--   * auth.users, auth.refresh_tokens, auth.sign_in_failures and new sessions are written only by the system
--     (service_role): there is no signed-in user yet when someone signs up, signs in or refreshes.
--   * A signed-in user reads their own account's public columns, their own sessions (never a token hash), revokes
--     their own sessions, edits their profile, follows and unfollows, and deletes their own account; RLS decides.
-- Tokens are never stored: only SHA-256 hashes of refresh tokens (hex), so a copy of the database signs nobody in.

------------------------------------------------------------------------------------------------------------------
-- 1. Usernames
------------------------------------------------------------------------------------------------------------------
-- Seed: `username TEXT UNIQUE` is case-sensitive, so 'Alice' and 'alice' could be two people and a profile URL
-- would depend on letter case. Unique case-insensitively now; lookups use lower(username), served by this index.
CREATE UNIQUE INDEX profiles_username_lower_key ON public.profiles (lower(username));

------------------------------------------------------------------------------------------------------------------
-- 2. The account itself (auth.users)
------------------------------------------------------------------------------------------------------------------
-- V1: auth.users was visible to nobody but the system. /api/v1/me shows the caller their own email, so a signed-in
-- user may now read the harmless columns of their own row (never encrypted_password), and delete their own
-- account (DELETE /api/v1/me; the foreign keys' ON DELETE CASCADE then remove everything they own). Row-level
-- security decides which row; the system (service_role) bypasses it as everywhere else.
ALTER TABLE auth.users ENABLE ROW LEVEL SECURITY;
CREATE POLICY "Users see their own account" ON auth.users
  FOR SELECT TO authenticated USING (id = (SELECT auth.uid()));
CREATE POLICY "Users delete their own account" ON auth.users
  FOR DELETE TO authenticated USING (id = (SELECT auth.uid()));
GRANT SELECT (id, email, email_confirmed_at, last_sign_in_at, created_at) ON auth.users TO authenticated;
GRANT DELETE ON auth.users TO authenticated;

-- Seed: ai_model_presets.created_by referenced auth.users with no ON DELETE action, so an administrator who had
-- created a preset could never delete their account. The preset stays (others use it); its author is forgotten.
ALTER TABLE public.ai_model_presets DROP CONSTRAINT ai_model_presets_created_by_fkey;
ALTER TABLE public.ai_model_presets ADD CONSTRAINT ai_model_presets_created_by_fkey
  FOREIGN KEY (created_by) REFERENCES auth.users ON DELETE SET NULL;

------------------------------------------------------------------------------------------------------------------
-- 3. Sessions
------------------------------------------------------------------------------------------------------------------
-- One row per signed-in device. session_token (seed) now holds the SHA-256 hash of the session's CURRENT refresh
-- token. A session ends when revoked (sign-out, revoked from another device, refresh-token theft detected) or when
-- its refresh token is not used before expires_at; ended rows are kept a while for the owner's security history,
-- then pruned by the server.
ALTER TABLE public.user_sessions
  ADD COLUMN expires_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT (NOW() + INTERVAL '30 days'),
  ADD COLUMN revoked_at TIMESTAMP WITH TIME ZONE,
  ADD COLUMN revoked_reason TEXT CHECK (revoked_reason IN ('signed_out', 'revoked', 'refresh_token_reused')),
  ADD COLUMN refreshed_at TIMESTAMP WITH TIME ZONE;
COMMENT ON COLUMN public.user_sessions.session_token IS 'SHA-256 (hex) of the current refresh token; never the token';
COMMENT ON COLUMN public.user_sessions.expires_at IS 'The refresh token must be used before this; each refresh moves it on';
COMMENT ON COLUMN public.user_sessions.revoked_at IS 'Set once when the session is ended; access tokens of it are refused';
COMMENT ON COLUMN public.user_sessions.refreshed_at IS 'When the refresh token was last rotated';
-- The seed indexed session_token; lookups by refresh token go through auth.refresh_tokens' primary key instead.
DROP INDEX public.idx_user_sessions_token;
-- Listing one's live sessions, newest first (GET /api/v1/auth/sessions, keyset paged).
CREATE INDEX idx_user_sessions_user_live ON public.user_sessions (user_id, created_at DESC, id DESC)
  WHERE revoked_at IS NULL;

-- V3 granted authenticated SELECT of the seed's columns except session_token. The new columns an owner may read
-- (never a hash); and the owner may now revoke a session by setting revoked_at (and the reason) instead of only
-- deleting it: the row stays, so a later use of one of its refresh tokens is recognised as reuse, not as garbage.
GRANT SELECT (expires_at, revoked_at, revoked_reason, refreshed_at) ON public.user_sessions TO authenticated;
GRANT UPDATE (revoked_at, revoked_reason) ON public.user_sessions TO authenticated;
CREATE POLICY "Users can end own sessions" ON public.user_sessions
  FOR UPDATE TO authenticated
  USING (user_id = (SELECT auth.uid())) WITH CHECK (user_id = (SELECT auth.uid()));

-- A user may end a session but never bring one back, nor back-date or post-date its end: revoked_at is set once,
-- to now. The system (sweepers, theft detection) is unrestricted, and so is an update that does not touch the
-- revocation (auth.session_is_live() recording last_activity on the caller's behalf; the column grants keep users
-- themselves off every other column).
CREATE FUNCTION public.guard_session_update() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = ''
AS $$
BEGIN
  IF public.is_system()
     OR (NEW.revoked_at IS NOT DISTINCT FROM OLD.revoked_at
         AND NEW.revoked_reason IS NOT DISTINCT FROM OLD.revoked_reason) THEN
    RETURN NEW;
  END IF;
  IF OLD.revoked_at IS NOT NULL THEN
    RAISE EXCEPTION 'this session has already ended' USING ERRCODE = 'check_violation';
  END IF;
  IF NEW.revoked_at IS NULL THEN
    RAISE EXCEPTION 'a session can only be ended' USING ERRCODE = 'check_violation';
  END IF;
  NEW.revoked_at := now();
  NEW.revoked_reason := coalesce(NEW.revoked_reason, 'revoked');
  RETURN NEW;
END;
$$;
CREATE TRIGGER guard_session_update BEFORE UPDATE ON public.user_sessions
  FOR EACH ROW EXECUTE FUNCTION public.guard_session_update();

-- Every refresh token ever issued for a session, by hash. Only the newest (rotated_at IS NULL) may be exchanged;
-- presenting an older one means two parties hold the session's tokens (one of them stole it), so the whole session
-- is revoked. Rows go with their session. No grants: only the system reads or writes it.
CREATE TABLE auth.refresh_tokens (
  token_hash TEXT PRIMARY KEY,
  session_id UUID NOT NULL REFERENCES public.user_sessions ON DELETE CASCADE,
  issued_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW(),
  rotated_at TIMESTAMP WITH TIME ZONE
);
CREATE INDEX idx_refresh_tokens_session ON auth.refresh_tokens (session_id);
ALTER TABLE auth.refresh_tokens ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON auth.refresh_tokens FROM PUBLIC;
GRANT ALL ON auth.refresh_tokens TO service_role;

-- Is the session named by the caller's own access token still live? Called on every authenticated request whose
-- answer is not cached, AS THE CALLER: it reads the user and session only from the transaction's claims, so it can
-- answer only about the caller's own session. It also records activity, at most once a minute per session (an
-- UPDATE per request would cost a row version per request), which the caller could not do through the grants.
CREATE FUNCTION auth.session_is_live() RETURNS boolean
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = ''
AS $$
DECLARE
  v_user uuid := auth.uid();
  v_session uuid;
  v_last timestamptz;
BEGIN
  BEGIN
    v_session := nullif(auth.jwt()->>'session_id', '')::uuid;
  EXCEPTION WHEN invalid_text_representation THEN
    RETURN false;
  END;
  IF v_user IS NULL OR v_session IS NULL THEN
    RETURN false;
  END IF;
  SELECT s.last_activity INTO v_last
    FROM public.user_sessions s
   WHERE s.id = v_session AND s.user_id = v_user AND s.revoked_at IS NULL AND s.expires_at > now();
  IF NOT FOUND THEN
    RETURN false;
  END IF;
  IF v_last IS NULL OR v_last < now() - interval '1 minute' THEN
    UPDATE public.user_sessions SET last_activity = now() WHERE id = v_session;
  END IF;
  RETURN true;
END;
$$;
REVOKE EXECUTE ON FUNCTION auth.session_is_live() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION auth.session_is_live() TO authenticated, service_role;

------------------------------------------------------------------------------------------------------------------
-- 4. Sign-in throttling
------------------------------------------------------------------------------------------------------------------
-- Failed sign-ins, kept in the database (not in one server's memory) so the limits hold across server processes.
-- Keyed by the normalised email as typed (whether or not such an account exists, so the limit itself reveals
-- nothing) and by client address. Written and read only by the system; rows older than a day are pruned.
CREATE TABLE auth.sign_in_failures (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email TEXT NOT NULL,
  ip_address INET,
  failed_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW()
);
CREATE INDEX idx_sign_in_failures_email ON auth.sign_in_failures (email, failed_at);
CREATE INDEX idx_sign_in_failures_ip ON auth.sign_in_failures (ip_address, failed_at);
CREATE INDEX idx_sign_in_failures_time ON auth.sign_in_failures (failed_at);
ALTER TABLE auth.sign_in_failures ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON auth.sign_in_failures FROM PUBLIC;
GRANT ALL ON auth.sign_in_failures TO service_role;

------------------------------------------------------------------------------------------------------------------
-- 5. Follows
------------------------------------------------------------------------------------------------------------------
-- Followers and following, counted on the profile. Kept exact by a trigger (like total_projects) so a profile
-- shows its counts without counting thousands of rows per request; only the system writes them (not granted).
ALTER TABLE public.profiles
  ADD COLUMN follower_count INTEGER NOT NULL DEFAULT 0,
  ADD COLUMN following_count INTEGER NOT NULL DEFAULT 0;

CREATE FUNCTION public.track_follow_counts() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = ''
AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    UPDATE public.profiles SET follower_count = follower_count + 1 WHERE id = NEW.following_id;
    UPDATE public.profiles SET following_count = following_count + 1 WHERE id = NEW.follower_id;
    RETURN NEW;
  END IF;
  UPDATE public.profiles SET follower_count = greatest(follower_count - 1, 0) WHERE id = OLD.following_id;
  UPDATE public.profiles SET following_count = greatest(following_count - 1, 0) WHERE id = OLD.follower_id;
  RETURN OLD;
END;
$$;
-- Follows made before this migration.
UPDATE public.profiles p SET
  follower_count = (SELECT count(*) FROM public.user_followers f WHERE f.following_id = p.id),
  following_count = (SELECT count(*) FROM public.user_followers f WHERE f.follower_id = p.id);
CREATE TRIGGER track_follow_counts AFTER INSERT OR DELETE ON public.user_followers
  FOR EACH ROW EXECUTE FUNCTION public.track_follow_counts();

-- V3: "Users can manage own follows" let a user follow any user id, including a private profile they cannot see
-- (the foreign key check bypasses RLS). Now one may follow only a profile one can see: a public one (or, for an
-- administrator, any). Reading (V3's "Following relationships viewable") and removing one's own follows is
-- unchanged.
DROP POLICY "Users can manage own follows" ON public.user_followers;
CREATE POLICY "Users follow profiles they can see" ON public.user_followers
  FOR INSERT TO authenticated
  WITH CHECK (follower_id = (SELECT auth.uid())
              AND (public.is_profile_public(following_id) OR (SELECT public.is_admin())));
CREATE POLICY "Users can unfollow" ON public.user_followers
  FOR DELETE TO authenticated USING (follower_id = (SELECT auth.uid()));

-- Following relationships are listed newest first, keyset paged, from either side.
CREATE INDEX idx_user_followers_following_time ON public.user_followers (following_id, created_at DESC, id DESC);
CREATE INDEX idx_user_followers_follower_time ON public.user_followers (follower_id, created_at DESC, id DESC);

-- V3's public view gains the counts and username_key = lower(username) (appended: CREATE OR REPLACE VIEW may only
-- add columns at the end). Same rows. Why username_key: the view is a security barrier, so a caller's
-- `WHERE lower(username) = …` (lower() is not leakproof) is applied only after the view's own filter, over every
-- public profile; a plain equality on the view's lower(username) column is pushed down to the unique index.
CREATE OR REPLACE VIEW public.public_profiles WITH (security_barrier = true) AS
  SELECT p.id, p.username, p.full_name, p.avatar_url, p.bio, p.website_url, p.created_at,
         (p.preferences->>'profile_public' = 'true') AS profile_public,
         p.follower_count, p.following_count, lower(p.username) AS username_key
  FROM public.profiles p
  WHERE p.preferences->>'profile_public' = 'true'
     OR p.id = (SELECT auth.uid())
     OR (SELECT public.is_admin());
