// Accessibility measurements made inside the page (loaded by accessibility.py): the WCAG 2.1 contrast ratio of
// every visible piece of text against what is painted behind it, and whether a focused control shows a focus
// indicator. Evaluates to an object; nothing on the page is changed, except for a moment in focusIndicator().
(() => {
  const WHITE = { r: 255, g: 255, b: 255, a: 1 };
  const TRANSPARENT = { r: 0, g: 0, b: 0, a: 0 };
  const FIELDS = new Set(['INPUT', 'SELECT', 'TEXTAREA']);
  const NO_TEXT_INPUTS = new Set(['checkbox', 'radio', 'file', 'hidden', 'range', 'color', 'image']);
  let canvas = null;

  // Any CSS color as straight sRGB {r, g, b, a} (0–255, alpha 0–1).
  function parse(value) {
    const match = value.match(/^rgba?\(([^)]+)\)$/);
    if (match) {
      const [r, g, b, a = '1'] = match[1].split(/[\s,/]+/).filter(Boolean);
      return { r: Number(r), g: Number(g), b: Number(b), a: Number(a) };
    }
    canvas ??= Object.assign(document.createElement('canvas'), { width: 1, height: 1 });
    const context = canvas.getContext('2d', { willReadFrequently: true });
    context.clearRect(0, 0, 1, 1);
    context.fillStyle = value;
    context.fillRect(0, 0, 1, 1);
    const [r, g, b, a] = context.getImageData(0, 0, 1, 1).data;
    return { r, g, b, a: a / 255 };
  }

  // Compositing on premultiplied colors: `top` over `bottom`, and a whole group faded by `opacity`.
  const premultiply = (c) => ({ r: c.r * c.a, g: c.g * c.a, b: c.b * c.a, a: c.a });
  const over = (top, bottom) => ({
    r: top.r + bottom.r * (1 - top.a),
    g: top.g + bottom.g * (1 - top.a),
    b: top.b + bottom.b * (1 - top.a),
    a: top.a + bottom.a * (1 - top.a),
  });
  const fade = (c, opacity) => ({ r: c.r * opacity, g: c.g * opacity, b: c.b * opacity, a: c.a * opacity });
  const opaque = (c) => ({ r: c.r, g: c.g, b: c.b, a: 1 }); // premultiplied over opaque white is straight sRGB

  function luminance({ r, g, b }) {
    const linear = (channel) => {
      const c = channel / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
  }

  function ratio(first, second) {
    const [light, dark] = [luminance(first), luminance(second)].sort((x, y) => y - x);
    return (light + 0.05) / (dark + 0.05);
  }

  const hex = (c) => `#${[c.r, c.g, c.b].map((v) => Math.round(v).toString(16).padStart(2, '0')).join('')}`;

  // What is painted under `element`'s box, and `color` drawn on top of it, with every ancestor's background and
  // opacity composited over the white canvas. Null (and why) when a background image or gradient is involved.
  function paint(element, color) {
    let text = premultiply(color);
    let under = TRANSPARENT;
    for (let node = element; node; node = node.parentElement) {
      const style = getComputedStyle(node);
      if (style.backgroundImage !== 'none' && under.a < 1) {
        return { skipped: `text over a background image (${style.backgroundImage.slice(0, 60)}) on ${describe(node)}` };
      }
      const background = premultiply(parse(style.backgroundColor));
      text = over(text, background);
      under = over(under, background);
      const opacity = Number(style.opacity);
      text = fade(text, opacity);
      under = fade(under, opacity);
    }
    return { text: opaque(over(text, WHITE)), under: opaque(over(under, WHITE)) };
  }

  function describe(element) {
    const parts = [];
    for (let node = element; node && node !== document.body && parts.length < 3; node = node.parentElement) {
      let part = node.tagName.toLowerCase();
      if (node.id) part += `#${node.id}`;
      part += [...node.classList].slice(0, 2).map((name) => `.${name}`).join('');
      if (node.dataset.testid) part += `[data-testid=${node.dataset.testid}]`;
      parts.unshift(part);
    }
    return parts.join(' > ');
  }

  function ownText(element) {
    if (FIELDS.has(element.tagName)) {
      if (element.tagName === 'SELECT') return element.selectedOptions[0]?.textContent.trim() ?? '';
      return NO_TEXT_INPUTS.has(element.type) ? '' : element.value.trim();
    }
    return [...element.childNodes]
      .filter((node) => node.nodeType === Node.TEXT_NODE)
      .map((node) => node.textContent)
      .join('')
      .replace(/\s+/g, ' ')
      .trim();
  }

  // Text in the page (or under `rootSelector`) that someone can see, with its contrast. Skipped on purpose: text
  // made for screen readers only (clipped to a pixel), text pushed off the page (a skip link until focused),
  // generated content (::before/::after, decoration here), and text over an image or gradient (reported).
  function contrast(rootSelector) {
    const root = rootSelector ? document.querySelector(rootSelector) : document.body;
    if (!root) throw new Error(`contrast: nothing matches ${rootSelector}`);
    const checked = [];
    const skipped = [];
    for (const element of [root, ...root.querySelectorAll('*')]) {
      const text = ownText(element);
      if (!text || !element.checkVisibility({ opacityProperty: true, visibilityProperty: true })) continue;
      const box = element.getBoundingClientRect();
      if (box.width <= 1 || box.height <= 1) continue;
      if (box.right + window.scrollX <= 0 || box.bottom + window.scrollY <= 0) continue;
      const style = getComputedStyle(element);
      const painted = paint(element, parse(style.color));
      if (painted.skipped) {
        skipped.push({ selector: describe(element), text: text.slice(0, 50), reason: painted.skipped });
        continue;
      }
      const size = parseFloat(style.fontSize);
      const weight = Number(style.fontWeight) || (style.fontWeight === 'bold' ? 700 : 400);
      const large = size >= 24 || (size >= 18.66 && weight >= 700);
      const value = ratio(painted.text, painted.under);
      checked.push({
        selector: describe(element),
        text: text.slice(0, 50),
        color: hex(painted.text),
        background: hex(painted.under),
        ratio: Math.round(value * 100) / 100,
        required: large ? 3 : 4.5,
        passes: value >= (large ? 3 : 4.5),
        size: `${Math.round(size * 10) / 10}px/${weight}`,
      });
    }
    return { checked, skipped };
  }

  const RING = ['outlineStyle', 'outlineWidth', 'outlineColor', 'outlineOffset', 'boxShadow'];

  // The focused element's name and whether its focus ring differs from how it looks unfocused (a copy of it,
  // outside the focus, shows the latter), and the ring's contrast against what surrounds the control.
  function focusIndicator() {
    const element = document.activeElement;
    if (!element || element === document.body) return null;
    const focused = getComputedStyle(element);
    const ring = Object.fromEntries(RING.map((name) => [name, focused[name]]));
    const copy = element.cloneNode(true);
    copy.removeAttribute('id');
    element.after(copy);
    const plain = getComputedStyle(copy);
    const changed = RING.filter((name) => plain[name] !== ring[name]);
    copy.remove();
    const outline = ring.outlineStyle !== 'none' && parseFloat(ring.outlineWidth) >= 2;
    const around = element.parentElement ? paint(element.parentElement, TRANSPARENT).under : WHITE;
    const ringColor = outline ? parse(ring.outlineColor) : null;
    return {
      name: accessibleName(element),
      selector: describe(element),
      changed,
      outline,
      ring: outline ? `${ring.outlineWidth} ${ring.outlineStyle} ${ring.outlineColor}` : ring.boxShadow,
      ringContrast: ringColor && around ? Math.round(ratio(opaque(over(premultiply(ringColor), WHITE)), around) * 100) / 100 : null,
    };
  }

  // Close enough to the accessible name for telling controls apart in a test's messages.
  function accessibleName(element) {
    const labelledBy = element.getAttribute('aria-labelledby');
    if (labelledBy) return labelledBy.split(/\s+/).map((id) => document.getElementById(id)?.textContent.trim() ?? '').join(' ');
    const label = element.getAttribute('aria-label') || element.labels?.[0]?.textContent;
    return (label || element.textContent || element.getAttribute('title') || '').replace(/\s+/g, ' ').trim();
  }

  return { contrast, focusIndicator, ratio: (a, b) => ratio(parse(a), parse(b)) };
})()
