-- analytics_events, partitioned by month.
-- Seed: a plain table whose comment says "Partitioned by month for performance", but it was not partitioned, so
-- retention meant DELETEs over the biggest table in the system. It is now range-partitioned on created_at, with
-- partitions made ahead of time by ensure_analytics_partitions() (at migration, then daily by the server) and old
-- ones dropped whole by drop_analytics_partitions_before(). A partitioned table's primary key must contain the
-- partition key, so the key is (id, created_at).
-- Seed: "System can insert events" WITH CHECK (true) let anyone insert events attributed to any user. A caller
-- may now insert only their own events (or anonymous ones); the server fills user_id, ip_address and user_agent.

DROP TABLE public.analytics_events;

CREATE TABLE public.analytics_events (
  id UUID NOT NULL DEFAULT gen_random_uuid(),
  user_id UUID REFERENCES auth.users ON DELETE CASCADE,
  session_id TEXT,
  event_type TEXT NOT NULL,
  event_category TEXT,
  event_properties JSONB DEFAULT '{}',
  page_url TEXT,
  referrer TEXT,
  user_agent TEXT,
  ip_address INET,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW(),
  PRIMARY KEY (id, created_at)
) PARTITION BY RANGE (created_at);

CREATE INDEX idx_analytics_events_user_id ON public.analytics_events(user_id);
CREATE INDEX idx_analytics_events_type ON public.analytics_events(event_type);
CREATE INDEX idx_analytics_events_category ON public.analytics_events(event_category);
CREATE INDEX idx_analytics_events_created_at ON public.analytics_events(created_at);

ALTER TABLE public.analytics_events ENABLE ROW LEVEL SECURITY;
CREATE POLICY "Users can view own events" ON public.analytics_events
  FOR SELECT TO authenticated USING (user_id = (SELECT auth.uid()));
CREATE POLICY "Admins can view all events" ON public.analytics_events
  FOR SELECT TO authenticated USING ((SELECT public.is_admin()));
CREATE POLICY "Callers insert their own events" ON public.analytics_events
  FOR INSERT TO anon, authenticated
  WITH CHECK (user_id IS NOT DISTINCT FROM (SELECT auth.uid()));

GRANT SELECT ON public.analytics_events TO authenticated;
GRANT INSERT (user_id, session_id, event_type, event_category, event_properties, page_url, referrer, user_agent,
              ip_address) ON public.analytics_events TO anon, authenticated;
GRANT ALL ON public.analytics_events TO service_role;

-- Makes the monthly partitions from the month of p_from through p_months_ahead months later (UTC months).
-- Answers how many it created. Runs as the table owner: creating partitions needs ownership.
CREATE FUNCTION public.ensure_analytics_partitions(p_months_ahead integer DEFAULT 3, p_from timestamptz DEFAULT now())
  RETURNS integer
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = ''
AS $$
DECLARE
  v_month date := date_trunc('month', p_from AT TIME ZONE 'UTC')::date;
  v_name text;
  v_created integer := 0;
BEGIN
  -- several servers run this maintenance; one at a time, so two never race to create the same partition
  PERFORM pg_advisory_xact_lock(hashtextextended('analytics_partitions', 0));
  IF p_months_ahead < 0 OR p_months_ahead > 36 THEN
    RAISE EXCEPTION 'months ahead must be between 0 and 36' USING ERRCODE = 'check_violation';
  END IF;
  FOR i IN 0..p_months_ahead LOOP
    v_name := 'analytics_events_' || to_char(v_month, 'YYYY_MM');
    IF to_regclass('public.' || v_name) IS NULL THEN
      EXECUTE format(
        'CREATE TABLE public.%I PARTITION OF public.analytics_events FOR VALUES FROM (%L) TO (%L)',
        v_name,
        (v_month::timestamp AT TIME ZONE 'UTC'),
        ((v_month + interval '1 month')::timestamp AT TIME ZONE 'UTC'));
      v_created := v_created + 1;
    END IF;
    v_month := (v_month + interval '1 month')::date;
  END LOOP;
  RETURN v_created;
END;
$$;

-- Drops whole partitions that end on or before the start of the UTC month p_before falls in. Answers their names.
CREATE FUNCTION public.drop_analytics_partitions_before(p_before timestamptz) RETURNS text[]
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = ''
AS $$
DECLARE
  v_cutoff timestamptz := date_trunc('month', p_before AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
  v_part record;
  v_dropped text[] := '{}';
  v_upper timestamptz;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended('analytics_partitions', 0));
  FOR v_part IN
    SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) AS bound
      FROM pg_inherits i
      JOIN pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent = 'public.analytics_events'::regclass
  LOOP
    v_upper := substring(v_part.bound FROM 'TO \(''([^'']+)''\)')::timestamptz;
    IF v_upper IS NOT NULL AND v_upper <= v_cutoff THEN
      EXECUTE format('DROP TABLE public.%I', v_part.relname);
      v_dropped := v_dropped || v_part.relname::text;
    END IF;
  END LOOP;
  RETURN v_dropped;
END;
$$;

REVOKE EXECUTE ON FUNCTION public.ensure_analytics_partitions(integer, timestamptz),
                           public.drop_analytics_partitions_before(timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.ensure_analytics_partitions(integer, timestamptz),
                          public.drop_analytics_partitions_before(timestamptz) TO service_role;

-- The previous month too, so events stamped just before a month boundary still land while the server catches up.
SELECT public.ensure_analytics_partitions(4, now() - interval '1 month');
