// Building the page from data without ever parsing data as HTML: text goes in as textContent,
// attributes through setAttribute, events as functions. There is no innerHTML anywhere in the apps.

const URL_ATTRIBUTES = new Set(['href', 'src', 'action', 'formaction', 'poster']);

function safeUrl(value) {
  const url = new URL(value, window.location.href);
  if (!['http:', 'https:'].includes(url.protocol)) throw new Error(`dom: refused URL ${value}`);
  return value;
}

function setAttribute(element, name, value) {
  if (value === null || value === undefined || value === false) return;
  if (/^on/i.test(name)) throw new Error(`dom: use "on: {${name.slice(2)}: fn}" instead of attribute ${name}`);
  const text = value === true ? '' : String(value);
  element.setAttribute(name, URL_ATTRIBUTES.has(name.toLowerCase()) ? safeUrl(text) : text);
}

function append(parent, child) {
  if (child === null || child === undefined || child === false) return;
  if (Array.isArray(child)) {
    for (const item of child) append(parent, item);
  } else if (child instanceof Node) {
    parent.append(child);
  } else {
    parent.append(document.createTextNode(String(child)));
  }
}

// h('li', {class: 'item', data: {id: 3}, on: {click}, 'aria-current': 'true'}, 'text', otherNode, [more])
// Strings among the children become text nodes, never markup.
export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (name === 'class') {
      element.className = Array.isArray(value) ? value.filter(Boolean).join(' ') : value;
    } else if (name === 'text') {
      element.textContent = value ?? '';
    } else if (name === 'data') {
      for (const [key, item] of Object.entries(value)) element.dataset[key] = String(item);
    } else if (name === 'on') {
      for (const [event, handler] of Object.entries(value)) element.addEventListener(event, handler);
    } else if (name === 'hidden') {
      element.hidden = Boolean(value);
    } else {
      setAttribute(element, name, value);
    }
  }
  append(element, children);
  return element;
}

export function replace(parent, ...children) {
  parent.replaceChildren();
  append(parent, children);
}

// The element the page's markup promises; a missing one is a bug worth a loud error.
export function $(selector, root = document) {
  const element = root.querySelector(selector);
  if (!element) throw new Error(`dom: nothing matches ${selector}`);
  return element;
}

export function setBusy(element, busy) {
  element.toggleAttribute('aria-busy', busy);
  if ('disabled' in element) element.disabled = busy;
}

// Runs `render()`, which rebuilds part of `region`, without losing the keyboard focus: if the focused control
// inside `region` is gone or hidden afterwards, the focus goes to the new control with the same `data-focus-key`,
// or else to `region` itself, so the next Tab carries on from there instead of from the top of the page.
export function keepFocus(region, render) {
  const focused = document.activeElement;
  const inside = focused && focused !== region && region.contains(focused);
  const key = inside ? focused.dataset.focusKey : undefined;
  render();
  if (!inside || shown(focused)) return;
  const same = key ? [...region.querySelectorAll('[data-focus-key]')].find((e) => e.dataset.focusKey === key) : null;
  if (same && shown(same)) {
    same.focus({ preventScroll: true });
    return;
  }
  if (!region.hasAttribute('tabindex')) region.tabIndex = -1;
  region.focus({ preventScroll: true });
}

function shown(element) {
  return element.isConnected && element.getClientRects().length > 0;
}

// A control that cannot be used right now but keeps the keyboard focus (a disabled one would drop it).
export function setInactive(control, inactive) {
  if (inactive) control.setAttribute('aria-disabled', 'true');
  else control.removeAttribute('aria-disabled');
}

export function isInactive(control) {
  return control.getAttribute('aria-disabled') === 'true';
}
