// Talking to the server: the one fetch every page goes through, and what its errors
// mean to the person at the desk. The session is an HttpOnly cookie the script never
// sees; the CSRF token it sends with every change comes from GET /auth/session.

export const state = { session: null };

// Called when the server says the session is gone (set by app.js: the sign-in page).
let onSignedOut = () => {};
export function whenSignedOut(handler) {
  onSignedOut = handler;
}

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || `HTTP ${status}`);
    this.status = status;
    this.code = problem?.code || '';
  }
}

// A 401 already sent the user to the sign-in page: nothing more to say.
export class SignedOut extends Error {}

async function request(path, { method = 'GET', body } = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && state.session) headers['X-CSRF-Token'] = state.session.csrf;
  const res = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (res.status === 401 && path !== '/auth/session') {
    state.session = null;
    onSignedOut('Økten din er utløpt eller ugyldig. Logg inn på nytt.');
    throw new SignedOut();
  }
  if (!res.ok) throw new ApiError(res.status, data);
  return { data, res };
}

export async function api(path, options = {}) {
  return (await request(path, options)).data;
}

// A windowed list (?offset=&limit=): the items and how many there are in all.
export async function apiList(path) {
  const { data, res } = await request(path);
  return { items: data, total: Number(res.headers.get('X-Total-Count') ?? data.length) };
}

// What an error means to the person at the desk; never a stack trace.
export function explain(error) {
  if (error instanceof SignedOut) return null;
  if (!(error instanceof ApiError)) return 'Fikk ikke kontakt med serveren. Prøv igjen om litt.';
  switch (error.code) {
    case 'permission_denied':
      return 'Du har ikke tjenstlig behov for dette, eller mangler rollen som trengs.';
    case 'not_found':
      return 'Det du ba om, finnes ikke (lenger).';
    case 'failed_precondition':
    case 'already_exists':
      return `Kan ikke gjøres nå: ${error.message}`;
    case 'invalid_argument':
      return `Ugyldig: ${error.message}`;
    case 'unauthenticated':
      return 'Tokenet ble ikke godtatt: det er ugyldig, utløpt eller for en annen tjeneste.';
    default:
      return 'Noe gikk galt på serveren. Prøv igjen, eller kontakt driften.';
  }
}
