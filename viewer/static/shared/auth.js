// Who is signed in, where each role works, and signing out.

import { api, ApiError } from './api.js';

const HOME = { admin: '/staff/', secretary: '/staff/', delegate: '/tablet/', agency: '/staff/petitions/' };

export function homeFor(role) {
  return HOME[role] ?? '/public/';
}

// The signed-in account, or (with `required: false`) null for a visitor.
export async function currentUser({ required = true } = {}) {
  try {
    return await api.get('/api/auth/me', { signIn: required ? 'redirect' : 'throw' });
  } catch (error) {
    if (!required && error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

export async function signOut() {
  await api.post('/api/auth/logout', {});
  window.location.assign('/login/');
}

// Only a path on this site may be a place to return to after signing in (no open redirect).
export function safeNext(value) {
  if (!value) return null;
  let url;
  try {
    url = new URL(value, window.location.origin);
  } catch {
    return null;
  }
  if (url.origin !== window.location.origin || url.pathname.startsWith('/login')) return null;
  return url.pathname + url.search + url.hash;
}
