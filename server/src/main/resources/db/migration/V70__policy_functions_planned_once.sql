-- The small functions every policy calls, made cheap for PostgreSQL to run (issue 3's GET /me benchmark).
--
-- Measured (pgbench, the /me transaction, 64 clients, this 2-core machine): 3 200–3 500 tx/s before, of which
-- the preamble alone does 28 000. The profile read was slow because of how its helpers were written, not what
-- they read: a LANGUAGE sql function that has a SET clause (ours all pinned search_path) or is SECURITY DEFINER is
-- never inlined, and PostgreSQL 15 parses and plans such a function's body again in every statement that calls
-- it. auth.uid() alone appears three times in /me (its WHERE and two policies), is_admin() once more, and every
-- project, follow and preset policy calls others. Two fixes, each keeping what the function answers:
--
--   1. The invoker helpers that only read settings (auth.uid, auth.jwt, request_role, is_system,
--      is_trusted_writer) lose their SET clause so the planner inlines them into the calling statement: no call
--      at all, and (SELECT auth.uid()) stays one InitPlan per statement. The pin on search_path was their defence
--      against a caller's own operators or functions; an inlined body is parsed with the caller's search_path, so
--      instead every function, operator and type is named by schema (OPERATOR(pg_catalog.=), pg_catalog.uuid)
--      and nothing resolves through search_path: NULLIF, IN and a simple CASE, which look `=` up by name, are
--      written as searched CASEs and = ANY with qualified operators. (The API roles can create nothing anywhere
--      either: MigrationsIT checks it.)
--   2. The SECURITY DEFINER predicates keep SECURITY DEFINER and search_path = '' (MigrationsIT checks every
--      definer for the pin) and become plpgsql, whose statements are planned once per connection and then reused.
--
-- After: the same /me transaction runs at about twice the rate (bench/accounts.sh prints it), and every
-- statement under a policy that calls these helpers gets cheaper the same way.

------------------------------------------------------------------------------------------------------------------
-- 1. Inlined invoker helpers
------------------------------------------------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION auth.uid() RETURNS uuid
  LANGUAGE sql STABLE
AS $$
  SELECT CASE
    WHEN pg_catalog.current_setting('request.jwt.claim.sub', true) OPERATOR(pg_catalog.<>) ''
      THEN pg_catalog.current_setting('request.jwt.claim.sub', true)::pg_catalog.uuid
    -- nested, not AND: only CASE fixes the order, and '' must never reach the jsonb cast
    WHEN pg_catalog.current_setting('request.jwt.claims', true) OPERATOR(pg_catalog.<>) ''
      THEN CASE
        WHEN (pg_catalog.current_setting('request.jwt.claims', true)::pg_catalog.jsonb
              OPERATOR(pg_catalog.->>) 'sub') OPERATOR(pg_catalog.<>) ''
          THEN (pg_catalog.current_setting('request.jwt.claims', true)::pg_catalog.jsonb
                OPERATOR(pg_catalog.->>) 'sub')::pg_catalog.uuid
      END
  END
$$;

CREATE OR REPLACE FUNCTION auth.jwt() RETURNS jsonb
  LANGUAGE sql STABLE
AS $$
  SELECT CASE
    WHEN pg_catalog.current_setting('request.jwt.claims', true) OPERATOR(pg_catalog.<>) ''
      THEN pg_catalog.current_setting('request.jwt.claims', true)::pg_catalog.jsonb
    ELSE '{}'::pg_catalog.jsonb
  END
$$;

CREATE OR REPLACE FUNCTION public.request_role() RETURNS text
  LANGUAGE sql STABLE
AS $$
  SELECT CASE
    WHEN pg_catalog.current_setting('role', true)
         OPERATOR(pg_catalog.=) ANY ('{anon,authenticated,service_role}'::pg_catalog.text[])
      THEN pg_catalog.current_setting('role', true)
    WHEN current_user::pg_catalog.text
         OPERATOR(pg_catalog.=) ANY ('{anon,authenticated,service_role}'::pg_catalog.text[])
      THEN current_user::pg_catalog.text
    ELSE 'service_role' -- the owner itself (migrations, operators at psql): system work
  END
$$;

CREATE OR REPLACE FUNCTION public.is_system() RETURNS boolean
  LANGUAGE sql STABLE
AS $$ SELECT public.request_role() OPERATOR(pg_catalog.=) 'service_role' $$;

-- Still not SECURITY DEFINER, so it sees the real current_user (the definer inside our definer functions).
CREATE OR REPLACE FUNCTION public.is_trusted_writer() RETURNS boolean
  LANGUAGE sql STABLE
AS $$
  SELECT NOT (current_user::pg_catalog.text OPERATOR(pg_catalog.=) ANY ('{anon,authenticated}'::pg_catalog.text[]))
$$;

------------------------------------------------------------------------------------------------------------------
-- 2. SECURITY DEFINER predicates in plpgsql (planned once per connection)
------------------------------------------------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION public.is_admin() RETURNS boolean
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = ''
AS $$
BEGIN
  RETURN EXISTS (SELECT 1 FROM public.user_roles r WHERE r.user_id = auth.uid() AND r.role = 'admin');
END
$$;

CREATE OR REPLACE FUNCTION public.project_member_role(p_project_id uuid) RETURNS text
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = ''
AS $$
BEGIN
  -- (project_id, user_id) is unique: at most one row
  RETURN (SELECT c.role FROM public.project_collaborators c
           WHERE c.project_id = p_project_id AND c.user_id = auth.uid() AND c.status = 'accepted');
END
$$;

CREATE OR REPLACE FUNCTION public.project_access(p_project_id uuid) RETURNS text
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = ''
AS $$
BEGIN
  RETURN (SELECT CASE WHEN p.user_id = auth.uid() THEN 'owner' ELSE public.project_member_role(p.id) END
            FROM public.projects p WHERE p.id = p_project_id);
END
$$;

CREATE OR REPLACE FUNCTION public.can_view_project(p_project_id uuid) RETURNS boolean
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = ''
AS $$
BEGIN
  RETURN EXISTS (
    SELECT 1 FROM public.projects p
     WHERE p.id = p_project_id
       AND (p.is_public OR p.user_id = auth.uid() OR public.project_member_role(p.id) IS NOT NULL
            OR public.is_admin()));
END
$$;

CREATE OR REPLACE FUNCTION public.is_profile_public(p_user_id uuid) RETURNS boolean
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = ''
AS $$
BEGIN
  RETURN EXISTS (
    SELECT 1 FROM public.profiles p WHERE p.id = p_user_id AND p.preferences->>'profile_public' = 'true');
END
$$;

CREATE OR REPLACE FUNCTION public.username_of(p_user_id uuid) RETURNS text
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = ''
AS $$
BEGIN
  RETURN (SELECT p.username FROM public.profiles p WHERE p.id = p_user_id);
END
$$;

CREATE OR REPLACE FUNCTION public.user_id_by_username(p_username text) RETURNS uuid
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = ''
AS $$
BEGIN
  -- usernames are unique case-insensitively (V10)
  RETURN (SELECT p.id FROM public.profiles p WHERE lower(p.username) = lower(p_username));
END
$$;

CREATE OR REPLACE FUNCTION public.effective_tier(p_user_id uuid, p_at timestamptz DEFAULT now()) RETURNS text
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = ''
AS $$
BEGIN
  RETURN (SELECT CASE
                   WHEN p.subscription_tier IS NULL THEN 'free'
                   WHEN p.subscription_tier <> 'free' AND p.subscription_expires_at IS NOT NULL
                        AND p.subscription_expires_at <= p_at THEN 'free'
                   ELSE p.subscription_tier
                 END
            FROM public.profiles p WHERE p.id = p_user_id);
END
$$;
