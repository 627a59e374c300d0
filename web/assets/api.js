// The console's client of /api/v1: the token lives in sessionStorage (gone
// when the tab closes) and goes with every call as a Bearer credential.
const KEY = 'gleaner.token';

// A token string (gleaner://SECRET@HOST:PORT?ca=…) carries more than the
// secret; only the secret is ever sent. The browser trusts the server itself.
const secretOf = (t) => {
  const m = /^gleaner:\/\/([^@]+)@/.exec(t);
  return m ? m[1] : t;
};

export const token = {
  get: () => sessionStorage.getItem(KEY),
  set: (t) => sessionStorage.setItem(KEY, secretOf(t)),
  clear: () => sessionStorage.removeItem(KEY),
};

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

async function call(method, path, body, as = 'json') {
  const headers = { Authorization: `Bearer ${token.get()}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!res.ok) {
    let code = 'unavailable', message = `${res.status} ${res.statusText}`;
    try {
      const e = (await res.json()).error;
      code = e.code;
      message = e.message;
    } catch { /* not a JSON error body */ }
    throw new ApiError(res.status, code, message);
  }
  return as === 'json' ? res.json() : res.text();
}

export const api = {
  get: (path) => call('GET', `/api/v1${path}`),
  post: (path, body) => call('POST', `/api/v1${path}`, body),
  put: (path, body) => call('PUT', `/api/v1${path}`, body),
  text: (path) => call('GET', `/api/v1${path}`, undefined, 'text'),
};
