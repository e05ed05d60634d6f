// JSON over fetch to the HopSo REST API. Every failure becomes an ApiError with the server's stable
// `code` and a message a person can read, in the language the user chose.

import { getLanguage, t } from './i18n.js';

export class ApiError extends Error {
  constructor(status, code, message, details = []) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

function signInUrl(next = window.location.pathname + window.location.search + window.location.hash) {
  return `/login/?next=${encodeURIComponent(next)}`;
}

async function readError(response) {
  let body = null;
  try {
    body = await response.json();
  } catch {
    // Not our JSON (a proxy's error page, say): fall through to the generic message.
  }
  const error = body?.error;
  if (error && typeof error.code === 'string' && typeof error.message === 'string') {
    return new ApiError(response.status, error.code, error.message, error.details ?? []);
  }
  return new ApiError(response.status, `http_${response.status}`, t('error.http', { status: response.status }));
}

// With `signIn: 'redirect'` (the default) a 401 sends the browser to the sign-in page, which brings
// the user back here afterwards; the returned promise then never settles, as the page is going away.
// `signIn: 'throw'` hands the 401 to the caller instead (the sign-in form, the public page).
// `raw` sends a body as it is: a FormData (multipart upload) or `{text, type}` (a CSV file, say).
export async function request(method, path, { body, raw, signal, signIn = 'redirect' } = {}) {
  const headers = { Accept: 'application/json', 'Accept-Language': getLanguage() };
  let payload;
  if (raw instanceof FormData) {
    payload = raw;
  } else if (raw !== undefined) {
    headers['Content-Type'] = raw.type;
    payload = raw.text;
  } else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: payload,
      credentials: 'same-origin',
      signal,
    });
  } catch (cause) {
    if (cause.name === 'AbortError') throw cause;
    throw new ApiError(0, 'network', t('error.network'));
  }
  if (response.status === 401 && signIn === 'redirect') {
    window.location.assign(signInUrl());
    return new Promise(() => {});
  }
  if (!response.ok) throw await readError(response);
  if (response.status === 204) return null;
  return response.json();
}

export const api = {
  get: (path, options) => request('GET', path, options),
  post: (path, body, options) => request('POST', path, { ...options, body }),
  patch: (path, body, options) => request('PATCH', path, { ...options, body }),
  put: (path, body, options) => request('PUT', path, { ...options, body }),
  delete: (path, options) => request('DELETE', path, options),
  upload: (path, raw, options) => request('POST', path, { ...options, raw }),
};
