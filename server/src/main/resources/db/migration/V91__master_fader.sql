-- The master fader is part of the song: projects.master_volume_db is the level of the master bus after its effects
-- chain (effects_settings), in dB from −144 to +6, NULL = −∞ (silence), 0 by default. The mixdown and stems play it
-- as the arrangement's master gain; the web desk's master fader reads and writes it.
--
-- Who may change it: whoever may change the project (owner, editors), through the UPDATE policies of projects,
-- as for effects_settings; guard_project_update (V80) has no rule for it. Project versions (V88) keep the tracks and
-- clips, not project columns, so a version does not keep or restore the master fader.

ALTER TABLE public.projects
  ADD COLUMN master_volume_db DOUBLE PRECISION DEFAULT 0
    CONSTRAINT projects_master_volume_db_range CHECK (master_volume_db BETWEEN -144 AND 6);

GRANT UPDATE (master_volume_db) ON public.projects TO authenticated;
