// The API client: the only module that talks to /api/v1 (fetch, upload, event streams; links are built by apiAddress).
// The access token lives in memory only (lost on reload, renewed from the refresh token); the refresh token is kept
// in sessionStorage so a reload of this tab stays signed in, while closing the tab ends it locally.

const BASE = '/api/v1';
const REFRESH_KEY = 'studio-nexus.refresh';
const USER_KEY = 'studio-nexus.user';

let accessToken = null;
let refreshing = null;
const listeners = new Set();

/** An API failure, carrying the problem+json answer; message is readable by a person. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(describeProblem(status, problem));
    this.name = 'ApiError';
    this.status = status;
    this.code = problem?.code || `http_${status}`;
    this.problem = problem || {};
    /** Where the way out of this refusal is, as [{href, text}] (a plan's limit: delete something, or upgrade). */
    this.wayOut = wayOutOf(problem);
  }
}

/** The page that explains plans and how to upgrade, and the page where a musician deletes projects. */
export const PLANS_PAGE = '#/usage';
export const PROJECTS_PAGE = '#/projects';

/**
 * The links that lead out of a refusal the person can do something about: a lifetime limit (projects, storage) is
 * lifted by deleting something or upgrading, a periodic one (exports, AI transformations) by upgrading or waiting,
 * a Pro preset by upgrading. [] for anything else.
 */
export function wayOutOf(problem) {
  const upgrade = { href: PLANS_PAGE, text: 'See plans and how to upgrade' };
  if (problem?.code === 'premium_preset') return [upgrade];
  if (problem?.code !== 'limit_exceeded') return [];
  if (problem.resource_type === 'projects') return [{ href: PROJECTS_PAGE, text: 'Delete one of your projects' }, upgrade];
  if (problem.resource_type === 'storage_mb') return [{ href: PROJECTS_PAGE, text: 'Go to your projects' }, upgrade];
  return [upgrade];
}

const LIMITED = { projects: 'projects', storage_mb: 'of audio storage', exports: 'exports', ai_transformations: 'AI transformations' };

/** Turns a problem+json body into a sentence for the person using the page. */
export function describeProblem(status, problem) {
  if (!problem || typeof problem !== 'object') {
    return status === 0 ? 'The server could not be reached. Check your connection and try again.'
      : `The server answered ${status}.`;
  }
  if (problem.code === 'limit_exceeded') {
    const type = problem.resource_type;
    const what = LIMITED[type] || (type ? type.replaceAll('_', ' ') : 'this resource');
    const limit = problem.limit == null ? '' : ` ${problem.limit}`;
    const unit = type === 'storage_mb' ? ' MB'
      : (problem.unit && !['count', 'mb'].includes(problem.unit) && type !== 'projects' ? ` ${problem.unit}` : '');
    if (problem.reset_period && problem.reset_period !== 'lifetime' && problem.resets_at) {
      const when = new Date(problem.resets_at).toLocaleDateString(undefined, { day: 'numeric', month: 'long' });
      return `Your ${problem.tier || 'current'} plan allows${limit}${unit} ${what} per ${
        problem.reset_period.replace(/ly$/, '').replace(/^dai$/, 'day')}, and you have used them all. `
        + `They renew on ${when}; upgrade your plan for more.`;
    }
    if (type === 'storage_mb') {
      return `Your ${problem.tier || 'current'} plan allows${limit}${unit} ${what}, and it is full. `
        + 'Delete takes, versions or projects you no longer need, or upgrade your plan for more.';
    }
    return `Your ${problem.tier || 'current'} plan allows${limit}${unit} ${what}, and you have used them all. `
      + 'Delete one or upgrade your plan to make more.';
  }
  let text = problem.detail || problem.title || `The server answered ${status}.`;
  if (Array.isArray(problem.errors) && problem.errors.length) {
    text += ' ' + problem.errors.map((e) => (e.field ? `${e.field}: ${e.message}` : e.message)).join('; ');
  }
  if (status === 429 && !(problem.retry_after_seconds > 90)) text += ' Please wait a moment and try again.';
  return text;
}

export function onAuthChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

function notify() {
  for (const fn of listeners) fn(currentUser());
}

export function currentUser() {
  if (!sessionStorage.getItem(REFRESH_KEY)) return null;
  try {
    return JSON.parse(sessionStorage.getItem(USER_KEY) || 'null');
  } catch {
    return null;
  }
}

export function isSignedIn() {
  return Boolean(sessionStorage.getItem(REFRESH_KEY));
}

/** The access token for the few places that cannot send headers (EventSource); refreshes it when missing. */
async function accessTokenForStream() {
  if (!accessToken) await refresh();
  return accessToken;
}

function keepTokens(tokens, user) {
  accessToken = tokens.access_token;
  sessionStorage.setItem(REFRESH_KEY, tokens.refresh_token);
  if (user) sessionStorage.setItem(USER_KEY, JSON.stringify(user));
}

function forget() {
  accessToken = null;
  sessionStorage.removeItem(REFRESH_KEY);
  sessionStorage.removeItem(USER_KEY);
}

/** Exchanges the refresh token once, however many requests ask at the same moment. */
function refresh() {
  if (!refreshing) {
    refreshing = (async () => {
      const token = sessionStorage.getItem(REFRESH_KEY);
      if (!token) throw new ApiError(401, { code: 'signed_out', detail: 'Please sign in.' });
      const res = await send('POST', '/auth/refresh', { body: { refresh_token: token }, auth: false });
      if (!res.ok) {
        const problem = await readProblem(res);
        forget();
        notify();
        throw new ApiError(res.status, { ...problem, detail: 'Your session has ended. Please sign in again.' });
      }
      keepTokens(await res.json());
    })().finally(() => {
      refreshing = null;
    });
  }
  return refreshing;
}

async function send(method, path, { body, auth = true, headers = {}, raw = false } = {}) {
  const h = { Accept: 'application/json', ...headers };
  if (auth && accessToken) h.Authorization = `Bearer ${accessToken}`;
  let payload = body;
  if (body !== undefined && !raw) {
    h['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  try {
    return await fetch(BASE + path, { method, headers: h, body: payload, credentials: 'omit' });
  } catch {
    throw new ApiError(0, null);
  }
}

async function readProblem(res) {
  try {
    return await res.json();
  } catch {
    return null;
  }
}

/**
 * Calls the API. When signed in and the access token is missing or refused (401), refreshes it once and retries.
 * Resolves to the parsed JSON (or null for 204), or to a Response when {as: 'response'}; rejects with ApiError.
 */
export async function api(method, path, options = {}) {
  const auth = options.auth !== false && isSignedIn();
  if (auth && !accessToken) await refresh();
  let res = await send(method, path, { ...options, auth });
  if (res.status === 401 && auth) {
    await refresh();
    res = await send(method, path, { ...options, auth });
  }
  if (!res.ok) throw new ApiError(res.status, await readProblem(res));
  if (options.as === 'response') return res;
  if (options.as === 'blob') return res.blob();
  if (options.as === 'arrayBuffer') return res.arrayBuffer();
  if (res.status === 204) return null;
  const type = res.headers.get('Content-Type') || '';
  return type.includes('json') ? res.json() : res.text();
}

/** The address of a public API resource for a link the browser follows itself (no token is sent), e.g. a WAV. */
export const apiAddress = (path) => BASE + path;

export const get = (path, options) => api('GET', path, options);
export const post = (path, body, options) => api('POST', path, { ...options, body });
export const put = (path, body, options) => api('PUT', path, { ...options, body });
export const patch = (path, body, options) => api('PATCH', path, { ...options, body });
export const del = (path, options) => api('DELETE', path, options);

/** Every item of a cursor-paged list, at most `pages` pages of 100 (GET path?limit=100&cursor=…). */
export async function getAll(path, { pages = 5 } = {}) {
  const items = [];
  let cursor = null;
  for (let page = 0; page < pages; page++) {
    const query = new URLSearchParams({ limit: '100' });
    if (cursor) query.set('cursor', cursor);
    const answer = await get(`${path}?${query}`);
    items.push(...(answer.items || []));
    cursor = answer.next_cursor;
    if (!cursor) break;
  }
  return items;
}

/**
 * Listens to the Server-Sent Events at path (a job's or a transformation's events). An event stream cannot send
 * headers, so the access token goes as the documented access_token query parameter (never logged by the server).
 * handlers maps event names to functions of the event's parsed JSON; handlers.error() is told once when the stream
 * cannot be opened (no token) or breaks (network, expired token), and the stream is closed then.
 * Returns {close()} to stop listening.
 */
export function events(path, handlers) {
  let stream = null;
  let closed = false;
  const close = () => {
    closed = true;
    stream?.close();
  };
  const broken = () => {
    if (closed) return;
    close();
    handlers.error?.();
  };
  (async () => {
    let token;
    try {
      token = await accessTokenForStream();
    } catch {
      broken();
      return;
    }
    if (closed) return;
    stream = new EventSource(`${BASE}${path}?access_token=${encodeURIComponent(token)}`);
    for (const [name, handle] of Object.entries(handlers)) {
      if (name !== 'error') stream.addEventListener(name, (event) => handle(JSON.parse(event.data)));
    }
    stream.addEventListener('error', broken);
  })();
  return { close };
}

/** What the nav needs to know about the signed-in person, from a GET /me answer. */
function userOf(me, fallback = {}) {
  return {
    user_id: me?.id || fallback.user_id,
    username: me?.username || fallback.username,
    is_admin: Boolean(me?.is_admin),
  };
}

export async function signUp({ email, password, username, full_name }) {
  const answer = await api('POST', '/auth/signup', { auth: false, body: { email, password, username, full_name } });
  keepTokens(answer, userOf(answer.profile, { username, user_id: answer.user_id }));
  notify();
  return answer;
}

export async function signIn({ email, password }) {
  const tokens = await api('POST', '/auth/login', { auth: false, body: { email, password } });
  keepTokens(tokens, { user_id: tokens.user_id });
  try {
    const me = await get('/me');
    sessionStorage.setItem(USER_KEY, JSON.stringify(userOf(me, { user_id: tokens.user_id })));
  } catch {
    // the profile is a nicety for the nav; signing in worked
  }
  notify();
  return tokens;
}

/**
 * Reads GET /me again and keeps what the nav shows (username, whether an administrator), e.g. after a reload or
 * before an admin page. Resolves to the full answer.
 */
export async function refreshMe() {
  const me = await get('/me');
  if (isSignedIn()) {
    sessionStorage.setItem(USER_KEY, JSON.stringify(userOf(me, currentUser() || {})));
    notify();
  }
  return me;
}

/** Forgets this tab's session without asking the server (it has already ended: revoked, or the account deleted). */
export function endLocalSession() {
  forget();
  notify();
}

export async function signOut() {
  try {
    if (isSignedIn()) await post('/auth/logout');
  } finally {
    forget();
    notify();
  }
}

/**
 * Uploads a file with XMLHttpRequest (fetch cannot report upload progress). onProgress gets 0..1.
 * Refreshes the token first when needed, and once more on a 401.
 */
export async function upload(path, file, onProgress, method = 'PUT') {
  if (!accessToken) await refresh();
  const attempt = () => new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, BASE + path);
    xhr.setRequestHeader('Authorization', `Bearer ${accessToken}`);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.setRequestHeader('Content-Type', file.type && file.type.startsWith('audio/') ? file.type : 'application/octet-stream');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress?.(e.loaded / e.total);
    };
    xhr.onerror = () => reject(new ApiError(0, null));
    xhr.onload = () => {
      let body = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve({ status: xhr.status, body });
      else resolve({ status: xhr.status, body, failed: true });
    };
    xhr.send(file);
  });
  let result = await attempt();
  if (result.failed && result.status === 401) {
    await refresh();
    result = await attempt();
  }
  if (result.failed) throw new ApiError(result.status, result.body);
  onProgress?.(1);
  return result.body;
}

// The arrangement of a project (issue 16): tracks with their mixer strip and the clips that place takes on them.
// Frames are sample frames at the arrangement's sample_rate. Each function answers what the API answers.

const projectPath = (projectId) => `/projects/${encodeURIComponent(projectId)}`;
const trackPath = (projectId, trackId) => `${projectPath(projectId)}/tracks/${encodeURIComponent(trackId)}`;
const clipPath = (projectId, trackId, clipId) => `${trackPath(projectId, trackId)}/clips/${encodeURIComponent(clipId)}`;
const takePath = (projectId, take) => `${projectPath(projectId)}/takes/${encodeURIComponent(take)}`;

// Versions: every editable object carries one, and a write sends the tag of what it read (If-Match); when someone
// else changed it since, the server refuses with 412 (ApiError code 'stale_version') and problem.current holds the
// object as it is now. Without a tag a write applies to whatever is there.

/** The entity tag of a track ("<version>.<chain_version>"), a clip or the master fader ("<version>"). */
export const trackTag = (track) => (track?.version ? `"${track.version}.${track.chain_version}"` : null);
export const versionTag = (versioned) => (versioned?.version ? `"${versioned.version}"` : null);
/** The entity tag of a project's master bus chain (PUT /projects/{id}/effects). */
export const chainTag = (project) => (project?.chain_version ? `"${project.chain_version}"` : null);
/** Whether an API error says the object changed since it was read (its current state is in problem.current). */
export const isStale = (error) => error instanceof ApiError && error.status === 412;
const expecting = (tag) => (tag ? { headers: { 'If-Match': tag } } : {});

/** The whole arrangement: {sample_rate, bpm, beats_per_bar, master: {effects_chain}, tracks: [… clips: […]]}. */
export const getArrangement = (projectId) => get(`${projectPath(projectId)}/arrangement`);
/** Sets the song's master fader (volume_db null = −∞); answers the master bus {effects_chain, volume_db}. */
export const updateMaster = (projectId, volumeDb, tag) => patch(`${projectPath(projectId)}/arrangement/master`,
  { volume_db: volumeDb }, expecting(tag));
/** A new track at the bottom; fields (name, colour, volume_db, pan, muted, soloed, effects_chain) are optional. */
export const createTrack = (projectId, fields = {}) => post(`${projectPath(projectId)}/tracks`, fields);
/** Changes what is given of a track (volume_db null = −∞); answers the track with its clips. */
export const updateTrack = (projectId, trackId, changes, tag) => patch(trackPath(projectId, trackId), changes, expecting(tag));
export const deleteTrack = (projectId, trackId, tag) => del(trackPath(projectId, trackId), expecting(tag));
/** Puts the tracks in this order (every track id once); answers {items: tracks}. */
export const reorderTracks = (projectId, trackIds) => put(`${projectPath(projectId)}/tracks/order`, { track_ids: trackIds });
/** A new clip: {take, start_frame, offset_frames, length_frames, gain_db, fade_in_frames, fade_out_frames}. */
export const createClip = (projectId, trackId, clip) => post(`${trackPath(projectId, trackId)}/clips`, clip);
/** Moves (start_frame, track_id), trims (offset_frames, length_frames), or changes gain_db and fades of a clip. */
export const updateClip = (projectId, trackId, clipId, changes, tag) => patch(clipPath(projectId, trackId, clipId), changes,
  expecting(tag));
export const deleteClip = (projectId, trackId, clipId, tag) => del(clipPath(projectId, trackId, clipId), expecting(tag));
/** Splits a clip at a timeline frame; answers {left, right}: left is the same clip shortened, right is new. */
export const splitClip = (projectId, trackId, clipId, atFrame, tag) => post(`${clipPath(projectId, trackId, clipId)}/split`,
  { at_frame: atFrame }, expecting(tag));
/** Replaces the master bus chain; answers {effects_settings, chain_version}. */
export const updateMasterChain = (projectId, chain, tag) => put(`${projectPath(projectId)}/effects`, { chain }, expecting(tag));

// Takes: every piece of audio a project owns, named by the handle clips use.

/** The project's takes: [{take (the handle clips use), name, duration_seconds, sample_rate, channels, clips}]. */
export async function listTakes(projectId) {
  const answer = await get(`${projectPath(projectId)}/takes`);
  return Array.isArray(answer) ? answer : (answer?.items || []);
}

/** Uploads a file as a new take of the project (named `name` when given); resolves to the take. */
export async function uploadTake(projectId, file, { name, onProgress } = {}) {
  const query = name ? `?${new URLSearchParams({ name })}` : '';
  const answer = await upload(`${projectPath(projectId)}/takes${query}`, file, onProgress, 'POST');
  return answer?.take || answer;
}

/** Deletes a take from the pool (refused while a clip plays it or it is the project's own take). */
export const deleteTake = (projectId, take) => del(takePath(projectId, take));

/** Peaks of a take (audiowaveform v2 JSON), as GET /projects/{id}/waveform answers for the project's take. */
export function takeWaveform(projectId, take, { samplesPerPixel = 256, bits = 8, channels = 'mono' } = {}) {
  const query = new URLSearchParams({ samples_per_pixel: String(samplesPerPixel), bits: String(bits), channels });
  return get(`${takePath(projectId, take)}/waveform?${query}`);
}

/** The encoded audio of a take, as an ArrayBuffer for decodeAudioData. */
export const takeAudio = (projectId, take) => api('GET', `${takePath(projectId, take)}/audio`, { as: 'arrayBuffer' });

/** Starts a mixdown of the arrangement (a job; the result becomes the project's processed audio). */
export const startMixdown = (projectId, options = {}) => post(`${projectPath(projectId)}/mixdown`, options);

/** Starts a stems export (a job: a zip of one WAV per track, post-fader, plus the mix). */
export const startStems = (projectId, options = {}) => post(`${projectPath(projectId)}/stems`, options);
