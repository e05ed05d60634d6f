// The frame every app page shares: who is signed in, signing out, the language switch and the
// connection banner. The page's HTML holds the frame's markup; this module brings it to life.

import { currentUser, homeFor, signOut } from './auth.js';
import { askToConfirm } from './confirm.js';
import { $, h, replace } from './dom.js';
import { labelFor, languageSwitch, onLanguageChange, t, translatePage } from './i18n.js';
import { Live } from './live.js';
import { openPasswordDialog } from './password.js';

const APP_OF_HOME = {
  '/staff/': 'app.staff',
  '/tablet/': 'app.tablet',
  '/public/': 'app.public',
  '/staff/petitions/': 'app.petitions',
};
// What the header says the user is: their account's role, or once they follow a session, what they are in it.
const CAPACITY_ORDER = ['chair', 'staff', 'presenter', 'delegate'];
let sessionCapacity = null;
let signedIn = null;
let signOutConfirm = null;

// `capacities`: what the server says the user is in the followed session (null when none is followed).
export function showSessionRole(capacities) {
  sessionCapacity = capacities ? (CAPACITY_ORDER.find((c) => capacities.includes(c)) ?? null) : null;
  if (signedIn) showUser(signedIn);
}

// Office staff keep their own title; a delegate says what they are in the session (Chủ tọa, Thư ký kỳ họp…).
function roleLabel(user) {
  return sessionCapacity && user.role === 'delegate' ? t(`capacity.${sessionCapacity}`) : labelFor('role', user.role);
}

function showUser(user) {
  const slot = $('[data-slot="user"]');
  if (!user) {
    replace(slot, h('a', { class: 'button button-quiet', href: '/login/', text: t('shell.signIn') }));
    return;
  }
  replace(
    slot,
    // Who is signed in is also the way to their own password: it takes no room a header on a tablet lacks.
    h(
      'button',
      { type: 'button', class: 'user user-button', title: t('password.button'), 'data-testid': 'change-password', on: { click: openPasswordDialog } },
      h('span', { class: 'visually-hidden', text: `${t('shell.signedInAs')}: ` }),
      h('span', { class: 'user-name', 'data-testid': 'user-name', text: user.display_name }),
      h('span', { class: 'user-role', 'data-testid': 'user-role', text: roleLabel(user) }),
      h('span', { class: 'visually-hidden', text: ` (${t('password.button')})` }),
    ),
    h('button', {
      type: 'button',
      class: 'button button-quiet',
      'data-testid': 'sign-out',
      text: t('shell.signOut'),
      on: {
        click: async (event) => {
          const button = event.currentTarget;
          if (signOutConfirm && !(await askToConfirm(signOutConfirm()))) return;
          button.disabled = true;
          signOut().catch(() => {
            button.disabled = false;
          });
        },
      },
    }),
  );
}

function showConnection(live) {
  const banner = $('[data-slot="connection"]');
  const render = () => {
    banner.dataset.state = live.state;
    // The first connection is quick on a working network; the banner is for trouble, not for every page load.
    banner.hidden = live.state === 'online' || live.state === 'connecting';
    banner.textContent = live.state === 'refused' ? live.message : t(`live.${live.state}`);
  };
  live.addEventListener('state', render);
  onLanguageChange(render);
  render();
}

function showWrongApp(user, audienceKey) {
  const home = homeFor(user.role);
  const appKey = APP_OF_HOME[home];
  replace(
    $('main'),
    h(
      'section',
      { class: 'panel notice', 'data-testid': 'wrong-app' },
      h('p', { text: t('shell.wrongApp', { audience: t(audienceKey) }) }),
      h('a', { class: 'button', href: home, text: t('shell.openHome', { app: t(appKey) }) }),
    ),
  );
}

// Starts an app page. Returns {user, live}, or null when this account belongs on another page.
// `roles`: who may use the page (others get a pointer to their own app); `signIn: false` for the public;
// `namespace: null` for a page that follows no live session (live is then null);
// `identify: false` for a page that never asks who is signed in (the public's: an anonymous visitor's console stays
// clean of the 401 that question gets), which then offers signing in;
// `confirmSignOut()`: the options of the dialog that asks before signing out (the tablet's).
async function startShell({ namespace, roles = null, audienceKey = '', signIn = true, identify = true, confirmSignOut = null }) {
  translatePage();
  replace($('[data-slot="language"]'), languageSwitch());
  const user = identify ? await currentUser({ required: signIn }) : null;
  signedIn = user;
  signOutConfirm = confirmSignOut;
  showUser(user);
  onLanguageChange(() => showUser(user));
  if (user && roles && !roles.includes(user.role)) {
    showWrongApp(user, audienceKey);
    onLanguageChange(() => showWrongApp(user, audienceKey));
    return null;
  }
  const live = namespace ? new Live(namespace) : null;
  if (live) showConnection(live);
  return { user, live };
}

export function showCouncilName(council) {
  $('[data-slot="council"]').textContent = council.short_name || council.name;
}

// Runs an app page: the shell first, then `start({user, live})`; a failure on the way is shown in
// place of the page with a way to try again.
export async function runApp(options, start) {
  try {
    const shell = await startShell(options);
    if (shell) await start(shell);
  } catch (error) {
    replace($('main'), failure(error, () => window.location.reload()));
  }
}

// A load failure shown in place, with a way to try again.
export function failure(error, retry) {
  return h(
    'div',
    { class: 'notice notice-error', role: 'alert' },
    h('p', { text: error.message }),
    retry ? h('button', { type: 'button', class: 'button', text: t('error.retry'), on: { click: retry } }) : null,
  );
}
