-- What Supabase provides and the seed assumes: extensions, the API roles, schema auth with auth.users and auth.uid().
-- Studio Nexus runs on plain PostgreSQL, so we create these ourselves.

CREATE EXTENSION IF NOT EXISTS "uuid-ossp";
CREATE EXTENSION IF NOT EXISTS "pgcrypto";

-- Roles are cluster-wide and may already exist (another database on the same server, a re-run, a parallel test
-- database), so each is created only when missing, and a concurrent creator is tolerated.
DO $$
DECLARE
  r text;
BEGIN
  FOREACH r IN ARRAY ARRAY['anon', 'authenticated', 'service_role'] LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
      BEGIN
        EXECUTE format('CREATE ROLE %I NOLOGIN NOINHERIT', r);
      EXCEPTION WHEN duplicate_object OR unique_violation THEN
        NULL;
      END;
    END IF;
  END LOOP;
END $$;

-- service_role is the system: job workers, counters, sweepers. As on Supabase it bypasses row-level security.
-- (Setting BYPASSRLS needs a superuser; where the migrating user is not one, an operator sets it once.)
DO $$
BEGIN
  IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
    ALTER ROLE service_role BYPASSRLS;
  END IF;
END $$;

-- The application connects as the migrating user and switches to these roles per transaction
-- (set_config('role', …, true)), so that user must be a member of each.
DO $$
BEGIN
  IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
    EXECUTE format('GRANT anon, authenticated, service_role TO %I', current_user);
  END IF;
END $$;

-- PostgreSQL lets PUBLIC execute every new function; on a database reached by API roles that is the wrong default.
-- From here on a function is executable only by the roles it is granted to.
ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;

CREATE SCHEMA IF NOT EXISTS auth;

-- The accounts table Supabase Auth would own. Studio Nexus owns its users, so it carries what sign-in needs.
CREATE TABLE auth.users (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  email TEXT NOT NULL,
  encrypted_password TEXT,
  email_confirmed_at TIMESTAMP WITH TIME ZONE,
  last_sign_in_at TIMESTAMP WITH TIME ZONE,
  raw_user_meta_data JSONB NOT NULL DEFAULT '{}',
  created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW()
);
-- Email is unique case-insensitively: 'A@x.io' and 'a@x.io' are the same person.
CREATE UNIQUE INDEX users_email_lower_key ON auth.users (lower(email));

-- auth.uid(): the signed-in user of this transaction, from the `sub` claim set by the request execution model
-- (set_config('request.jwt.claims', …, true)); NULL for anonymous and system work.
CREATE FUNCTION auth.uid() RETURNS uuid
  LANGUAGE sql STABLE
  SET search_path = ''
AS $$
  SELECT nullif(
    coalesce(
      current_setting('request.jwt.claim.sub', true),
      (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')
    ), ''
  )::uuid
$$;

-- auth.jwt(): all claims, for policies that need more than the user id.
CREATE FUNCTION auth.jwt() RETURNS jsonb
  LANGUAGE sql STABLE
  SET search_path = ''
AS $$
  SELECT coalesce(nullif(current_setting('request.jwt.claims', true), ''), '{}')::jsonb
$$;

-- auth.users is never visible to API roles: only the system (sign-up, sign-in) reads or writes it.
REVOKE ALL ON auth.users FROM PUBLIC;
GRANT USAGE ON SCHEMA auth TO anon, authenticated, service_role;
GRANT ALL ON auth.users TO service_role;
REVOKE EXECUTE ON FUNCTION auth.uid(), auth.jwt() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION auth.uid(), auth.jwt() TO anon, authenticated, service_role;

GRANT USAGE ON SCHEMA public TO anon, authenticated, service_role;
