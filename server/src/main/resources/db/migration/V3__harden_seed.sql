-- Hardening of the seed (V2) against a hostile signed-in user and an anonymous caller.
--
-- The seed was written for clients that reach the database directly (Supabase's PostgREST), where every table is
-- granted to the API roles and row-level security alone decides. Studio Nexus keeps RLS as the authority for rows
-- and adds least-privilege grants for columns: a user request can touch only the columns a musician may set;
-- counters, privileges, results and system columns are written only by the system (service_role) or by
-- SECURITY DEFINER functions and triggers defined here. Every fix below says what the seed did and why it changed.
--
-- Conventions used by every policy from here on:
--   * auth.uid() is always called as (SELECT auth.uid()) so the planner evaluates it once per query (an InitPlan)
--     instead of once per row: RLS then costs about as much as the equivalent hand-written WHERE clause.
--   * Every SECURITY DEFINER function pins search_path = '' and names objects by schema, so a caller can't
--     substitute its own tables or operators (the seed's definer functions had no search_path at all).
--   * Policies never query a table whose own policies query back (projects <-> project_collaborators); such
--     checks go through small SECURITY DEFINER predicates, which also keeps them cheap.

------------------------------------------------------------------------------------------------------------------
-- 0. Who is asking
------------------------------------------------------------------------------------------------------------------

-- The API role of the current transaction, as set by the request execution model (set_config('role', …, true)).
-- Inside a SECURITY DEFINER function current_user is the definer, but the `role` setting still names the caller.
CREATE FUNCTION public.request_role() RETURNS text
  LANGUAGE sql STABLE
  SET search_path = ''
AS $$
  SELECT CASE
    WHEN current_setting('role', true) IN ('anon', 'authenticated', 'service_role') THEN current_setting('role', true)
    WHEN current_user::text IN ('anon', 'authenticated', 'service_role') THEN current_user::text
    ELSE 'service_role' -- the owner itself (migrations, operators at psql): system work
  END
$$;

CREATE FUNCTION public.is_system() RETURNS boolean
  LANGUAGE sql STABLE
  SET search_path = ''
AS $$ SELECT public.request_role() = 'service_role' $$;

-- For guard triggers: is the statement being executed by trusted code? True for the system, and for statements
-- run inside our own SECURITY DEFINER functions (there current_user is the definer, whoever called), which have
-- already checked the caller. Deliberately not SECURITY DEFINER itself, so it sees the real current_user.
CREATE FUNCTION public.is_trusted_writer() RETURNS boolean
  LANGUAGE sql STABLE
  SET search_path = ''
AS $$ SELECT current_user::text NOT IN ('anon', 'authenticated') $$;

------------------------------------------------------------------------------------------------------------------
-- 1. Administrators
------------------------------------------------------------------------------------------------------------------
-- Seed: admin policies read `profiles.preferences->>'role' = 'admin'`, and "Users can update own profile" lets
-- every user write their own preferences, so any user could make themselves an administrator with one UPDATE.
-- Fix: the role lives in its own table that only the system or an existing administrator can write.

CREATE TABLE public.user_roles (
  user_id UUID PRIMARY KEY REFERENCES auth.users ON DELETE CASCADE,
  role TEXT NOT NULL CHECK (role IN ('admin')),
  granted_by UUID REFERENCES auth.users ON DELETE SET NULL,
  granted_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW()
);
ALTER TABLE public.user_roles ENABLE ROW LEVEL SECURITY;

CREATE FUNCTION public.is_admin() RETURNS boolean
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = ''
AS $$
  SELECT EXISTS (
    SELECT 1 FROM public.user_roles r WHERE r.user_id = auth.uid() AND r.role = 'admin'
  )
$$;

CREATE POLICY "Users see their own role" ON public.user_roles
  FOR SELECT TO authenticated USING (user_id = (SELECT auth.uid()));
CREATE POLICY "Admins manage roles" ON public.user_roles
  FOR ALL TO authenticated
  USING ((SELECT public.is_admin()))
  WITH CHECK ((SELECT public.is_admin()) AND granted_by = (SELECT auth.uid()));

------------------------------------------------------------------------------------------------------------------
-- 2. Timestamps
------------------------------------------------------------------------------------------------------------------
-- Seed: updated_at triggers only on profiles and projects; ai_model_presets and effects_presets also have
-- updated_at and kept their creation time forever. auth.users (ours) too.
CREATE TRIGGER update_ai_model_presets_updated_at
  BEFORE UPDATE ON public.ai_model_presets FOR EACH ROW EXECUTE FUNCTION public.update_updated_at_column();
CREATE TRIGGER update_effects_presets_updated_at
  BEFORE UPDATE ON public.effects_presets FOR EACH ROW EXECUTE FUNCTION public.update_updated_at_column();
CREATE TRIGGER update_auth_users_updated_at
  BEFORE UPDATE ON auth.users FOR EACH ROW EXECUTE FUNCTION public.update_updated_at_column();
ALTER FUNCTION public.update_updated_at_column() SET search_path = '';

-- Seed: billing_period DEFAULT DATE_TRUNC('month', NOW()) casts a timestamptz to date in the session's time zone,
-- so the same instant fell in different months for different connections. Computed in UTC now.
ALTER TABLE public.usage_tracking
  ALTER COLUMN billing_period SET DEFAULT (date_trunc('month', now() AT TIME ZONE 'UTC'))::date;

------------------------------------------------------------------------------------------------------------------
-- 3. Grants: least privilege per role and column
------------------------------------------------------------------------------------------------------------------
-- Seed (as on Supabase): the API roles hold every privilege on every table and RLS alone restricts rows, so an
-- owner could write any column of their rows: like_count, play_count, download_count, is_featured,
-- subscription_tier, subscription_expires_at, total_projects, total_transformations, storage_used_mb, a
-- transformation's status, result and quality_score, a preset's is_system_preset and rating… Fix: API roles get
-- only the columns a musician may set; the rest is written by the system.

REVOKE ALL ON ALL TABLES IN SCHEMA public FROM anon, authenticated;
GRANT ALL ON ALL TABLES IN SCHEMA public TO service_role;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO service_role;

-- profiles: own row readable in full; other people's public profiles only through public.public_profiles.
GRANT SELECT ON public.profiles TO authenticated;
GRANT INSERT (id, username, full_name, avatar_url, bio, website_url, preferences) ON public.profiles TO authenticated;
GRANT UPDATE (full_name, avatar_url, bio, website_url, preferences) ON public.profiles TO authenticated;

GRANT SELECT (id, user_id, ip_address, user_agent, last_activity, created_at) ON public.user_sessions TO authenticated;
GRANT DELETE ON public.user_sessions TO authenticated;

GRANT SELECT ON public.projects TO anon, authenticated;
GRANT INSERT (user_id, title, description, genre, tags, metronome_bpm, effects_settings, project_settings, is_public)
  ON public.projects TO authenticated;
GRANT UPDATE (title, description, genre, tags, metronome_bpm, effects_settings, project_settings, status, is_public,
              original_audio_path, processed_audio_path, waveform_data, duration_seconds, sample_rate)
  ON public.projects TO authenticated;
GRANT DELETE ON public.projects TO authenticated;

GRANT SELECT ON public.project_versions TO authenticated;
GRANT INSERT (project_id, title, description) ON public.project_versions TO authenticated;
GRANT UPDATE (title, description) ON public.project_versions TO authenticated;
GRANT DELETE ON public.project_versions TO authenticated;

GRANT SELECT ON public.project_collaborators TO authenticated;
GRANT INSERT (project_id, user_id, role, permissions) ON public.project_collaborators TO authenticated;
GRANT UPDATE (role, permissions, status) ON public.project_collaborators TO authenticated;
GRANT DELETE ON public.project_collaborators TO authenticated;

GRANT SELECT ON public.ai_transformations TO authenticated;
GRANT UPDATE (status, user_rating, user_feedback) ON public.ai_transformations TO authenticated;
GRANT DELETE ON public.ai_transformations TO authenticated;

GRANT SELECT ON public.ai_model_presets TO anon, authenticated;
GRANT INSERT (name, description, transformation_type, parameters, preview_audio_url, thumbnail_url, is_premium,
              is_active, created_by) ON public.ai_model_presets TO authenticated;
GRANT UPDATE (name, description, transformation_type, parameters, preview_audio_url, thumbnail_url, is_premium,
              is_active) ON public.ai_model_presets TO authenticated;

GRANT SELECT ON public.effects_presets TO anon, authenticated;
GRANT INSERT (user_id, name, description, category, effects_chain, preview_audio_url, is_public)
  ON public.effects_presets TO authenticated;
GRANT UPDATE (name, description, category, effects_chain, preview_audio_url, is_public)
  ON public.effects_presets TO authenticated;
GRANT DELETE ON public.effects_presets TO authenticated;

GRANT SELECT ON public.usage_tracking TO authenticated;

GRANT SELECT ON public.subscription_limits TO anon, authenticated;
GRANT INSERT (subscription_tier, resource_type, limit_value, limit_unit, reset_period, is_active)
  ON public.subscription_limits TO authenticated;
GRANT UPDATE (limit_value, limit_unit, reset_period, is_active) ON public.subscription_limits TO authenticated;

GRANT SELECT, UPDATE (resolved) ON public.error_logs TO authenticated;
GRANT INSERT (user_id, error_type, error_code, error_message, error_stack, context, severity)
  ON public.error_logs TO anon, authenticated;

GRANT SELECT ON public.project_likes TO anon, authenticated;
GRANT INSERT (project_id, user_id) ON public.project_likes TO authenticated;
GRANT DELETE ON public.project_likes TO authenticated;

GRANT SELECT ON public.user_followers TO anon, authenticated;
GRANT INSERT (follower_id, following_id) ON public.user_followers TO authenticated;
GRANT DELETE ON public.user_followers TO authenticated;

GRANT SELECT ON public.user_roles TO authenticated;
GRANT INSERT (user_id, role, granted_by), DELETE ON public.user_roles TO authenticated;

------------------------------------------------------------------------------------------------------------------
-- 4. Functions: nobody executes what they don't need
------------------------------------------------------------------------------------------------------------------
-- Seed: every function was executable by PUBLIC. track_resource_usage (SECURITY DEFINER, no search_path) let any
-- caller insert usage of any quantity, negative too, for any user; check_usage_limit let anyone probe another
-- user's tier and usage. Both are now system-only (see section 8 for the atomic replacement).
-- (New functions are not executable by PUBLIC either: see the default privileges set in V1.)
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA public FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.request_role(), public.is_system(), public.is_trusted_writer(), public.is_admin()
  TO anon, authenticated, service_role;

------------------------------------------------------------------------------------------------------------------
-- 5. Profiles
------------------------------------------------------------------------------------------------------------------
-- Seed: "Public profiles viewable" exposed the whole row of a public profile: subscription tier and expiry,
-- storage used, preferences (which held the role). Fix: the base table shows a user only their own row
-- (administrators all rows); anyone reads public profiles' public columns through the view below.
DROP POLICY "Users can view own profile" ON public.profiles;
DROP POLICY "Users can update own profile" ON public.profiles;
DROP POLICY "Public profiles viewable" ON public.profiles;

CREATE POLICY "Users can view own profile" ON public.profiles
  FOR SELECT TO authenticated USING (id = (SELECT auth.uid()));
-- Seed: no WITH CHECK, so the USING clause was reused; stated explicitly now.
CREATE POLICY "Users can update own profile" ON public.profiles
  FOR UPDATE TO authenticated USING (id = (SELECT auth.uid())) WITH CHECK (id = (SELECT auth.uid()));
-- Seed: no INSERT policy, so sign-up could not create the profile row except as the system.
CREATE POLICY "Users create their own profile" ON public.profiles
  FOR INSERT TO authenticated WITH CHECK (id = (SELECT auth.uid()));
CREATE POLICY "Admins can view all profiles" ON public.profiles
  FOR SELECT TO authenticated USING ((SELECT public.is_admin()));

CREATE FUNCTION public.is_profile_public(p_user_id uuid) RETURNS boolean
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = ''
AS $$
  SELECT EXISTS (
    SELECT 1 FROM public.profiles p WHERE p.id = p_user_id AND p.preferences->>'profile_public' = 'true'
  )
$$;
GRANT EXECUTE ON FUNCTION public.is_profile_public(uuid) TO anon, authenticated, service_role;

-- What a profile shows to others: never email, subscription, storage, counters of usage or preferences.
CREATE VIEW public.public_profiles WITH (security_barrier = true) AS
  SELECT p.id, p.username, p.full_name, p.avatar_url, p.bio, p.website_url, p.created_at,
         (p.preferences->>'profile_public' = 'true') AS profile_public
  FROM public.profiles p
  WHERE p.preferences->>'profile_public' = 'true'
     OR p.id = (SELECT auth.uid())
     OR (SELECT public.is_admin());
GRANT SELECT ON public.public_profiles TO anon, authenticated, service_role;

------------------------------------------------------------------------------------------------------------------
-- 6. Projects
------------------------------------------------------------------------------------------------------------------
DROP POLICY "Users can manage own projects" ON public.projects;
DROP POLICY "Public projects viewable by all" ON public.projects;
DROP POLICY "Admins can manage all projects" ON public.projects;

CREATE POLICY "Users can manage own projects" ON public.projects
  FOR ALL TO authenticated
  USING (user_id = (SELECT auth.uid())) WITH CHECK (user_id = (SELECT auth.uid()));
CREATE POLICY "Public projects viewable by all" ON public.projects
  FOR SELECT TO anon, authenticated USING (is_public = TRUE);
CREATE POLICY "Admins can manage all projects" ON public.projects
  FOR ALL TO authenticated USING ((SELECT public.is_admin())) WITH CHECK ((SELECT public.is_admin()));

-- Seed: status was a free-for-all column. The lifecycle is draft -> processing -> completed -> archived, and back
-- from archived to draft; only the system sets or leaves `processing` (a render or transformation in flight).
-- Storage keys in the audio columns must belong to this project, so nobody can point their project at another
-- user's file and then play or download it through ours.
CREATE FUNCTION public.guard_project_update() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = ''
AS $$
DECLARE
  own_prefix text := 'projects/' || NEW.id::text || '/';
BEGIN
  IF public.is_trusted_writer() THEN
    RETURN NEW;
  END IF;
  IF NEW.status IS DISTINCT FROM OLD.status THEN
    IF NOT ((OLD.status = 'completed' AND NEW.status = 'archived')
         OR (OLD.status = 'archived' AND NEW.status = 'draft')) THEN
      RAISE EXCEPTION 'a project''s status cannot move from % to %', OLD.status, NEW.status
        USING ERRCODE = 'check_violation', HINT = 'status_transition';
    END IF;
  END IF;
  IF (NEW.original_audio_path IS DISTINCT FROM OLD.original_audio_path
        AND NEW.original_audio_path IS NOT NULL AND left(NEW.original_audio_path, length(own_prefix)) <> own_prefix)
     OR (NEW.processed_audio_path IS DISTINCT FROM OLD.processed_audio_path
        AND NEW.processed_audio_path IS NOT NULL AND left(NEW.processed_audio_path, length(own_prefix)) <> own_prefix)
  THEN
    RAISE EXCEPTION 'audio of a project must be stored under its own key prefix'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER guard_project_update BEFORE UPDATE ON public.projects
  FOR EACH ROW EXECUTE FUNCTION public.guard_project_update();

-- profiles.total_projects is a counter only the system writes: kept exact by this trigger on every insert and
-- delete, whoever makes them. The `projects` resource is a gauge (how many projects you have, not how many you
-- made this month), so deleting a project gives its unit back to the user's limit.
CREATE FUNCTION public.track_project_count() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = ''
AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    UPDATE public.profiles SET total_projects = total_projects + 1 WHERE id = NEW.user_id;
    RETURN NEW;
  END IF;
  UPDATE public.profiles SET total_projects = greatest(total_projects - 1, 0) WHERE id = OLD.user_id;
  IF EXISTS (SELECT 1 FROM auth.users u WHERE u.id = OLD.user_id)
     AND EXISTS (SELECT 1 FROM public.usage_tracking t
                 WHERE t.user_id = OLD.user_id AND t.resource_type = 'projects'
                   AND t.resource_id = OLD.id AND t.quantity > 0) THEN
    INSERT INTO public.usage_tracking (user_id, resource_type, resource_id, quantity, unit, metadata)
    VALUES (OLD.user_id, 'projects', OLD.id, -1, 'count', '{"reason": "project deleted"}');
  END IF;
  RETURN OLD;
END;
$$;
CREATE TRIGGER track_project_count AFTER INSERT OR DELETE ON public.projects
  FOR EACH ROW EXECUTE FUNCTION public.track_project_count();

------------------------------------------------------------------------------------------------------------------
-- 7. Versions, collaborators, likes, follows, sessions
------------------------------------------------------------------------------------------------------------------
DROP POLICY "Users can manage own project versions" ON public.project_versions;
CREATE POLICY "Users can manage own project versions" ON public.project_versions
  FOR ALL TO authenticated
  USING (EXISTS (SELECT 1 FROM public.projects p WHERE p.id = project_id AND p.user_id = (SELECT auth.uid())))
  WITH CHECK (EXISTS (SELECT 1 FROM public.projects p WHERE p.id = project_id AND p.user_id = (SELECT auth.uid())));

-- Seed: the client chose version_number (racing snapshots collided on the UNIQUE constraint or left gaps) and
-- audio_file_path (any storage key, another user's too). Now a snapshot takes the next number under a per-project
-- lock, and copies the project's current audio and effects; only the system may record other values (restores).
CREATE FUNCTION public.prepare_project_version() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = ''
AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended('project_versions:' || NEW.project_id::text, 0));
  IF NOT public.is_system() OR NEW.version_number IS NULL THEN
    SELECT coalesce(max(v.version_number), 0) + 1 INTO NEW.version_number
      FROM public.project_versions v WHERE v.project_id = NEW.project_id;
  END IF;
  IF NOT public.is_system() THEN
    SELECT p.original_audio_path, coalesce(p.effects_settings, '{}'::jsonb)
      INTO NEW.audio_file_path, NEW.effects_settings
      FROM public.projects p WHERE p.id = NEW.project_id;
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER prepare_project_version BEFORE INSERT ON public.project_versions
  FOR EACH ROW EXECUTE FUNCTION public.prepare_project_version();

DROP POLICY "Project owners can manage collaborators" ON public.project_collaborators;
DROP POLICY "Users can view own collaborations" ON public.project_collaborators;
CREATE POLICY "Project owners can manage collaborators" ON public.project_collaborators
  FOR ALL TO authenticated
  USING (EXISTS (SELECT 1 FROM public.projects p WHERE p.id = project_id AND p.user_id = (SELECT auth.uid())))
  WITH CHECK (EXISTS (SELECT 1 FROM public.projects p WHERE p.id = project_id AND p.user_id = (SELECT auth.uid())));
CREATE POLICY "Users can view own collaborations" ON public.project_collaborators
  FOR SELECT TO authenticated USING (user_id = (SELECT auth.uid()));
-- Seed: an invitee could see an invitation but neither accept nor decline it, nor leave a project.
CREATE POLICY "Invitees answer their own invitations" ON public.project_collaborators
  FOR UPDATE TO authenticated
  USING (user_id = (SELECT auth.uid())) WITH CHECK (user_id = (SELECT auth.uid()));
CREATE POLICY "Collaborators can leave" ON public.project_collaborators
  FOR DELETE TO authenticated USING (user_id = (SELECT auth.uid()));

-- Seed: the owner could insert a collaborator already 'accepted' (no consent) and name anyone as invited_by.
-- Now an invitation always starts pending from its real inviter; only the invitee moves it to accepted or
-- declined; the role is set by the project side, never by the invitee.
CREATE FUNCTION public.guard_collaborator() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = ''
AS $$
BEGIN
  IF public.is_trusted_writer() THEN
    RETURN NEW;
  END IF;
  IF TG_OP = 'INSERT' THEN
    NEW.invited_by := auth.uid();
    NEW.status := 'pending';
    NEW.accepted_at := NULL;
    NEW.invited_at := now();
    IF NEW.user_id = auth.uid() THEN
      RAISE EXCEPTION 'you cannot invite yourself' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
  END IF;
  IF NEW.status IS DISTINCT FROM OLD.status THEN
    IF OLD.user_id IS DISTINCT FROM auth.uid() THEN
      RAISE EXCEPTION 'only the invitee answers an invitation' USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NOT (OLD.status = 'pending' AND NEW.status IN ('accepted', 'declined')) THEN
      RAISE EXCEPTION 'an invitation moves only from pending to accepted or declined'
        USING ERRCODE = 'check_violation';
    END IF;
    NEW.accepted_at := CASE WHEN NEW.status = 'accepted' THEN now() END;
  END IF;
  IF (NEW.role IS DISTINCT FROM OLD.role OR NEW.permissions IS DISTINCT FROM OLD.permissions)
     AND OLD.user_id = auth.uid()
     AND NOT EXISTS (SELECT 1 FROM public.projects p WHERE p.id = OLD.project_id AND p.user_id = auth.uid()) THEN
    RAISE EXCEPTION 'a collaborator cannot change their own role' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER guard_collaborator BEFORE INSERT OR UPDATE ON public.project_collaborators
  FOR EACH ROW EXECUTE FUNCTION public.guard_collaborator();

-- Seed: a user could like any project whose id they knew, private ones included (the FK check bypasses RLS, so
-- the insert succeeded and like_count of a project they cannot see went up), and could UPDATE a like's project_id,
-- moving likes without touching either count. The counting trigger ran as the liker, whose UPDATE of someone
-- else's project was silently filtered out by RLS: like_count only moved when owners liked their own work.
DROP POLICY "Users can manage own likes" ON public.project_likes;
DROP POLICY "Likes viewable for public projects" ON public.project_likes;
CREATE POLICY "Users can view own likes" ON public.project_likes
  FOR SELECT TO authenticated USING (user_id = (SELECT auth.uid()));
CREATE POLICY "Users like projects they can see" ON public.project_likes
  FOR INSERT TO authenticated
  WITH CHECK (user_id = (SELECT auth.uid()) AND EXISTS (SELECT 1 FROM public.projects p WHERE p.id = project_id));
CREATE POLICY "Users can remove own likes" ON public.project_likes
  FOR DELETE TO authenticated USING (user_id = (SELECT auth.uid()));
CREATE POLICY "Likes viewable for public projects" ON public.project_likes
  FOR SELECT TO anon, authenticated
  USING (EXISTS (SELECT 1 FROM public.projects p WHERE p.id = project_id AND p.is_public = TRUE));

CREATE OR REPLACE FUNCTION public.update_project_stats() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = ''
AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF TG_TABLE_NAME = 'project_likes' THEN
      UPDATE public.projects SET like_count = like_count + 1 WHERE id = NEW.project_id;
    END IF;
  ELSIF TG_OP = 'DELETE' THEN
    IF TG_TABLE_NAME = 'project_likes' THEN
      UPDATE public.projects SET like_count = greatest(like_count - 1, 0) WHERE id = OLD.project_id;
    END IF;
  END IF;
  RETURN COALESCE(NEW, OLD);
END;
$$;

-- Seed: follows could be UPDATEd to point at someone else; the visibility policy queried profiles under the
-- caller's RLS. Inserts are only for oneself; visibility of public profiles' relationships through a predicate.
DROP POLICY "Users can manage own follows" ON public.user_followers;
DROP POLICY "Following relationships viewable" ON public.user_followers;
CREATE POLICY "Users can manage own follows" ON public.user_followers
  FOR ALL TO authenticated
  USING (follower_id = (SELECT auth.uid())) WITH CHECK (follower_id = (SELECT auth.uid()));
CREATE POLICY "Following relationships viewable" ON public.user_followers
  FOR SELECT TO anon, authenticated
  USING (follower_id = (SELECT auth.uid())
      OR following_id = (SELECT auth.uid())
      OR public.is_profile_public(following_id));

-- Seed: sessions were readable including session_token (a bearer secret) and could not be revoked by their owner.
-- The token column is now neither granted nor, by the accounts feature, stored other than as a hash.
DROP POLICY "Users can view own sessions" ON public.user_sessions;
CREATE POLICY "Users can view own sessions" ON public.user_sessions
  FOR SELECT TO authenticated USING (user_id = (SELECT auth.uid()));
CREATE POLICY "Users can revoke own sessions" ON public.user_sessions
  FOR DELETE TO authenticated USING (user_id = (SELECT auth.uid()));

------------------------------------------------------------------------------------------------------------------
-- 8. Usage: one atomic "consume N units of R for U, or refuse"
------------------------------------------------------------------------------------------------------------------
-- Seed: check_usage_limit() then track_resource_usage() in two steps: concurrent requests all passed the check
-- before any recorded its use, so a free user firing 10 requests at once got 10 of a limit of 5. It also ignored
-- reset_period (always the calendar month in the session's time zone) and an expired subscription.
-- Fix: consume_usage() takes a per-(user, resource) transaction lock, counts the current window, and records the
-- use in the same transaction; the lock is held until commit, so the next caller sees this one's row.
-- Seed: storage_mb and projects defaulted to a monthly reset, but both are gauges (what you hold, not what you did
-- this month): they are 'lifetime' now, and releasing storage or deleting a project records a negative quantity.
UPDATE public.subscription_limits SET reset_period = 'lifetime' WHERE resource_type IN ('storage_mb', 'projects');
ALTER TABLE public.subscription_limits
  ADD CONSTRAINT subscription_limits_reset_period_check
  CHECK (reset_period IN ('daily', 'weekly', 'monthly', 'yearly', 'lifetime'));

CREATE INDEX idx_usage_tracking_user_resource_time ON public.usage_tracking (user_id, resource_type, created_at);

-- Start and end of the usage window containing p_at, in UTC. Weeks start on Monday (ISO).
CREATE FUNCTION public.usage_window_start(p_reset_period text, p_at timestamptz) RETURNS timestamptz
  LANGUAGE sql IMMUTABLE
  SET search_path = ''
AS $$
  SELECT CASE p_reset_period
    WHEN 'daily'   THEN date_trunc('day',   p_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
    WHEN 'weekly'  THEN date_trunc('week',  p_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
    WHEN 'monthly' THEN date_trunc('month', p_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
    WHEN 'yearly'  THEN date_trunc('year',  p_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
    ELSE '-infinity'::timestamptz
  END
$$;

CREATE FUNCTION public.usage_window_end(p_reset_period text, p_at timestamptz) RETURNS timestamptz
  LANGUAGE sql IMMUTABLE
  SET search_path = ''
AS $$
  SELECT CASE p_reset_period
    WHEN 'daily'   THEN public.usage_window_start('daily', p_at) + interval '1 day'
    WHEN 'weekly'  THEN public.usage_window_start('weekly', p_at) + interval '1 week'
    WHEN 'monthly' THEN public.usage_window_start('monthly', p_at) + interval '1 month'
    WHEN 'yearly'  THEN public.usage_window_start('yearly', p_at) + interval '1 year'
    ELSE NULL -- lifetime: never resets
  END
$$;

-- The tier whose limits apply now: a paid tier past its expiry counts as free until renewed.
CREATE FUNCTION public.effective_tier(p_user_id uuid, p_at timestamptz DEFAULT now()) RETURNS text
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = ''
AS $$
  SELECT CASE
    WHEN p.subscription_tier IS NULL THEN 'free'
    WHEN p.subscription_tier <> 'free' AND p.subscription_expires_at IS NOT NULL
         AND p.subscription_expires_at <= p_at THEN 'free'
    ELSE p.subscription_tier
  END
  FROM public.profiles p WHERE p.id = p_user_id
$$;

-- What a user has used of a resource in the window containing p_at, and what they may use.
-- Answers JSON: {resource_type, tier, used, limit (null = unlimited), unit, reset_period, resets_at}.
CREATE FUNCTION public.usage_status(p_user_id uuid, p_resource_type text, p_at timestamptz DEFAULT now())
  RETURNS jsonb
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = ''
AS $$
DECLARE
  v_tier text;
  v_limit numeric;
  v_unit text;
  v_period text;
  v_used numeric;
BEGIN
  IF NOT public.is_system() AND p_user_id IS DISTINCT FROM auth.uid() AND NOT public.is_admin() THEN
    RAISE EXCEPTION 'usage of another user is not visible to you' USING ERRCODE = 'insufficient_privilege';
  END IF;
  v_tier := coalesce(public.effective_tier(p_user_id, p_at), 'free');
  SELECT sl.limit_value, sl.limit_unit, coalesce(sl.reset_period, 'monthly')
    INTO v_limit, v_unit, v_period
    FROM public.subscription_limits sl
   WHERE sl.subscription_tier = v_tier AND sl.resource_type = p_resource_type AND sl.is_active;
  v_period := coalesce(v_period, 'monthly');
  SELECT coalesce(sum(t.quantity), 0) INTO v_used
    FROM public.usage_tracking t
   WHERE t.user_id = p_user_id AND t.resource_type = p_resource_type
     AND t.created_at >= public.usage_window_start(v_period, p_at)
     AND t.created_at < coalesce(public.usage_window_end(v_period, p_at), 'infinity');
  RETURN jsonb_build_object(
    'resource_type', p_resource_type,
    'tier', v_tier,
    'used', v_used,
    'limit', CASE WHEN v_limit IS NULL OR v_limit < 0 THEN NULL ELSE v_limit END,
    'unit', coalesce(v_unit, 'count'),
    'reset_period', v_period,
    'resets_at', public.usage_window_end(v_period, p_at));
END;
$$;

-- Consume p_quantity units of p_resource_type for p_user_id, or refuse. Answers the usage_status() JSON with
-- "allowed": true|false; a refusal records nothing. Users may consume only for themselves and only positive
-- quantities; the system may also release (negative quantities, e.g. storage freed).
CREATE FUNCTION public.consume_usage(
  p_user_id uuid,
  p_resource_type text,
  p_quantity numeric DEFAULT 1,
  p_resource_id uuid DEFAULT NULL,
  p_metadata jsonb DEFAULT '{}'
) RETURNS jsonb
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = ''
AS $$
DECLARE
  v_status jsonb;
  v_limit numeric;
  v_used numeric;
BEGIN
  IF p_user_id IS NULL OR p_resource_type IS NULL OR p_quantity IS NULL THEN
    RAISE EXCEPTION 'user, resource and quantity are required' USING ERRCODE = 'null_value_not_allowed';
  END IF;
  IF NOT public.is_system() THEN
    IF p_user_id IS DISTINCT FROM auth.uid() THEN
      RAISE EXCEPTION 'you can only use your own quota' USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF p_quantity <= 0 THEN
      RAISE EXCEPTION 'quantity must be positive' USING ERRCODE = 'check_violation';
    END IF;
  END IF;
  -- Serialises consumers of one user's one resource until commit; other users and resources never wait.
  PERFORM pg_advisory_xact_lock(hashtextextended('usage:' || p_user_id::text || ':' || p_resource_type, 0));
  v_status := public.usage_status(p_user_id, p_resource_type);
  v_limit := (v_status->>'limit')::numeric;
  v_used := (v_status->>'used')::numeric;
  IF p_quantity > 0 AND v_limit IS NOT NULL AND v_used + p_quantity > v_limit THEN
    RETURN v_status || jsonb_build_object('allowed', false, 'requested', p_quantity);
  END IF;
  INSERT INTO public.usage_tracking (user_id, resource_type, resource_id, quantity, unit, metadata)
  VALUES (p_user_id, p_resource_type, p_resource_id, p_quantity, v_status->>'unit', coalesce(p_metadata, '{}'));
  RETURN v_status || jsonb_build_object('allowed', true, 'requested', p_quantity, 'used', v_used + p_quantity);
END;
$$;
GRANT EXECUTE ON FUNCTION public.consume_usage(uuid, text, numeric, uuid, jsonb) TO authenticated, service_role;
GRANT EXECUTE ON FUNCTION public.usage_status(uuid, text, timestamptz) TO authenticated, service_role;
GRANT EXECUTE ON FUNCTION public.usage_window_start(text, timestamptz), public.usage_window_end(text, timestamptz)
  TO anon, authenticated, service_role;
GRANT EXECUTE ON FUNCTION public.effective_tier(uuid, timestamptz) TO service_role;

-- The seed's two functions stay (other tools may call them) but are now system-only, pinned to search_path '',
-- and agree with consume_usage() on windows and tiers.
CREATE OR REPLACE FUNCTION public.track_resource_usage(
  p_user_id UUID,
  p_resource_type TEXT,
  p_quantity DECIMAL DEFAULT 1.0,
  p_resource_id UUID DEFAULT NULL
) RETURNS VOID
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = ''
AS $$
BEGIN
  IF NOT public.is_system() THEN
    RAISE EXCEPTION 'track_resource_usage is for the system; use consume_usage' USING ERRCODE = 'insufficient_privilege';
  END IF;
  INSERT INTO public.usage_tracking (user_id, resource_type, quantity, resource_id)
  VALUES (p_user_id, p_resource_type, p_quantity, p_resource_id);
END;
$$;

CREATE OR REPLACE FUNCTION public.check_usage_limit(p_user_id UUID, p_resource_type TEXT) RETURNS BOOLEAN
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = ''
AS $$
DECLARE
  v_status jsonb;
BEGIN
  IF NOT public.is_system() THEN
    RAISE EXCEPTION 'check_usage_limit is for the system; use consume_usage' USING ERRCODE = 'insufficient_privilege';
  END IF;
  v_status := public.usage_status(p_user_id, p_resource_type);
  RETURN v_status->'limit' = 'null'::jsonb OR (v_status->>'used')::numeric < (v_status->>'limit')::numeric;
END;
$$;
REVOKE EXECUTE ON FUNCTION public.track_resource_usage(uuid, text, numeric, uuid),
                           public.check_usage_limit(uuid, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.track_resource_usage(uuid, text, numeric, uuid),
                          public.check_usage_limit(uuid, text) TO service_role;

DROP POLICY "Users can view own usage" ON public.usage_tracking;
-- Seed: "System can insert usage" WITH CHECK (true) let anyone insert any usage row, for anyone, any quantity.
DROP POLICY "System can insert usage" ON public.usage_tracking;
CREATE POLICY "Users can view own usage" ON public.usage_tracking
  FOR SELECT TO authenticated USING (user_id = (SELECT auth.uid()));
CREATE POLICY "Admins can view all usage" ON public.usage_tracking
  FOR SELECT TO authenticated USING ((SELECT public.is_admin()));

DROP POLICY "Limits viewable by all" ON public.subscription_limits;
CREATE POLICY "Limits viewable by all" ON public.subscription_limits
  FOR SELECT TO anon, authenticated USING (is_active = TRUE);
CREATE POLICY "Admins manage limits" ON public.subscription_limits
  FOR ALL TO authenticated USING ((SELECT public.is_admin())) WITH CHECK ((SELECT public.is_admin()));

------------------------------------------------------------------------------------------------------------------
-- 9. AI transformations and presets
------------------------------------------------------------------------------------------------------------------
-- Seed: "Users can manage own transformations" FOR ALL let a user insert a finished transformation with any
-- output path (another user's file), mark their own job completed, set quality_score, retry_count or a
-- replicate_prediction_id (hijacking webhooks). Now users read their jobs, cancel them, and rate finished ones;
-- creating a job goes through the system, which checks access and consumes the limit.
DROP POLICY "Users can manage own transformations" ON public.ai_transformations;
CREATE POLICY "Users can view own transformations" ON public.ai_transformations
  FOR SELECT TO authenticated USING (user_id = (SELECT auth.uid()));
CREATE POLICY "Users can update own transformations" ON public.ai_transformations
  FOR UPDATE TO authenticated
  USING (user_id = (SELECT auth.uid())) WITH CHECK (user_id = (SELECT auth.uid()));
CREATE POLICY "Users can delete own transformations" ON public.ai_transformations
  FOR DELETE TO authenticated USING (user_id = (SELECT auth.uid()));

CREATE FUNCTION public.guard_transformation_update() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = ''
AS $$
BEGIN
  IF public.is_trusted_writer() THEN
    RETURN NEW;
  END IF;
  IF NEW.status IS DISTINCT FROM OLD.status
     AND NOT (NEW.status = 'cancelled' AND OLD.status IN ('pending', 'processing')) THEN
    RAISE EXCEPTION 'you can only cancel a pending or processing transformation' USING ERRCODE = 'check_violation';
  END IF;
  IF (NEW.user_rating IS DISTINCT FROM OLD.user_rating OR NEW.user_feedback IS DISTINCT FROM OLD.user_feedback)
     AND OLD.status <> 'completed' THEN
    RAISE EXCEPTION 'only a completed transformation can be rated' USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER guard_transformation_update BEFORE UPDATE ON public.ai_transformations
  FOR EACH ROW EXECUTE FUNCTION public.guard_transformation_update();

-- Seed: nobody could manage AI presets but the database owner. Administrators now can.
DROP POLICY "Active presets viewable by all" ON public.ai_model_presets;
CREATE POLICY "Active presets viewable by all" ON public.ai_model_presets
  FOR SELECT TO anon, authenticated USING (is_active = TRUE);
CREATE POLICY "Admins manage AI presets" ON public.ai_model_presets
  FOR ALL TO authenticated USING ((SELECT public.is_admin())) WITH CHECK ((SELECT public.is_admin()));

-- Seed: an owner could flag their preset as a system preset, set usage_count and fake rating_average/count.
-- Those columns are no longer granted; a user's preset is always their own and never a system one.
DROP POLICY "Users can manage own presets" ON public.effects_presets;
DROP POLICY "Public and system presets viewable" ON public.effects_presets;
CREATE POLICY "Users can manage own presets" ON public.effects_presets
  FOR ALL TO authenticated
  USING (user_id = (SELECT auth.uid()))
  WITH CHECK (user_id = (SELECT auth.uid()) AND is_system_preset = FALSE);
CREATE POLICY "Public and system presets viewable" ON public.effects_presets
  FOR SELECT TO anon, authenticated USING (is_public = TRUE OR is_system_preset = TRUE);
CREATE POLICY "Admins manage presets" ON public.effects_presets
  FOR ALL TO authenticated USING ((SELECT public.is_admin())) WITH CHECK ((SELECT public.is_admin()));

------------------------------------------------------------------------------------------------------------------
-- 10. Error logs
------------------------------------------------------------------------------------------------------------------
-- Seed: managed by profiles whose preferences said 'admin' or 'system' (self-assignable, see section 1), and
-- nobody else could report a client error. Now administrators read and resolve; any caller may report a client
-- error for themselves (or anonymously); server errors are recorded by the system.
DROP POLICY "System can manage error logs" ON public.error_logs;
CREATE POLICY "Admins manage error logs" ON public.error_logs
  FOR ALL TO authenticated USING ((SELECT public.is_admin())) WITH CHECK ((SELECT public.is_admin()));
CREATE POLICY "Clients report their own errors" ON public.error_logs
  FOR INSERT TO anon, authenticated
  WITH CHECK (error_type = 'client_error' AND severity IN ('info', 'warning', 'error')
              AND user_id IS NOT DISTINCT FROM (SELECT auth.uid()));
