// The script every fuzz page runs (plain JS in a <script> at the end of <body>, after the
// recorder's listeners, like a customer's app code). `__CONFIG__` is replaced by the page's JSON.
//
// - builds the page's script-attached open shadow roots (`[data-sh]`, nested ones too)
// - on clicks: random DOM mutations (add / remove / move / reorder elements, classes, attributes,
//   ids, text, empty and whitespace text nodes, comments, new shadow hosts), more on `[data-act]`
//   triggers; `[data-act=chain]` then dispatches a synthetic el.click() in the same task
// - on pointerdown: sometimes a mutation *before* the click (classes/attributes/text/adds only:
//   moving the pressed element away would change which element gets the click)
// - sometimes a mutation in a timer right after a click, so the next click lands just after it
// - prevents navigation (links, form submission), so each page stays one recording
// - window.__fuzz: helpers the driver uses to pick click points and focus targets
//
// It draws from its own seeded mulberry32, so a seed replays the same mutations.
//
// drive() is the user: it acts through window.__fuzz.
import type { Page } from '@playwright/test';
import type { Rng } from './fuzz-gen.js';

export const PAGE_SCRIPT = String.raw`(() => {
  const C = __CONFIG__;
  let s = C.seed >>> 0;
  const rnd = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = (a) => a[Math.floor(rnd() * a.length)];

  const roots = () => {
    const out = [document];
    for (let i = 0; i < out.length; i++) for (const el of out[i].querySelectorAll('*')) if (el.shadowRoot) out.push(el.shadowRoot);
    return out;
  };
  for (;;) {
    const hosts = [];
    for (const r of roots()) for (const h of r.querySelectorAll('[data-sh]')) if (!h.shadowRoot) hosts.push(h);
    if (!hosts.length) break;
    for (const h of hosts) h.attachShadow({ mode: 'open' }).innerHTML = C.shadows[+h.getAttribute('data-sh')] || '';
  }

  const SKIP = new Set(['script', 'style', 'template', 'head', 'meta', 'title', 'link']);
  const all = () => {
    const out = [];
    for (const r of roots()) for (const el of r.querySelectorAll('*')) if (!SKIP.has(el.localName) && (r !== document || document.body.contains(el))) out.push(el);
    return out;
  };
  const isHtml = (el) => el.namespaceURI === 'http://www.w3.org/1999/xhtml';
  const VOID = new Set(['input', 'br', 'img', 'slot']);
  const containers = () => all().filter((el) => isHtml(el) && !VOID.has(el.localName));
  const size = (el) => el.getElementsByTagName('*').length;
  // composed: a host's shadow tree is inside the host too (contains() does not say so)
  const inside = (n, el) => {
    for (let x = n; x; x = x.parentNode || x.host) if (x === el) return true;
    return false;
  };

  const newElement = () => {
    const el = document.createElement(pick(C.tags));
    if (rnd() < 0.7) el.className = pick(C.classes) + (rnd() < 0.3 ? ' ' + pick(C.classes) : '');
    if (rnd() < 0.4) {
      const [n, vs] = pick(C.attrs);
      el.setAttribute(n, pick(vs));
    }
    if (rnd() < 0.15) el.setAttribute('data-act', 'mut');
    if (rnd() < 0.7) el.textContent = pick(C.words);
    if (el.localName === 'a' && rnd() < 0.7) el.setAttribute('href', '#n');
    return el;
  };

  // one random mutation; 'safe' ones never move or remove elements
  const mutate = (safe) => {
    const els = all();
    if (!els.length) return;
    const kind = pick(safe ? ['cls', 'cls', 'attr', 'text', 'add'] : ['cls', 'cls', 'cls', 'attr', 'attr', 'text', 'text', 'add', 'add', 'add', 'remove', 'remove', 'move', 'move', 'reorder', 'reorder', 'id', 'shadow']);
    const el = pick(els);
    switch (kind) {
      case 'cls':
        el.classList.toggle(pick(C.classes));
        break;
      case 'attr': {
        const [n, vs] = pick(C.attrs);
        if (el.hasAttribute(n) && rnd() < 0.4) el.removeAttribute(n);
        else el.setAttribute(n, pick(vs));
        break;
      }
      case 'id':
        if (rnd() < 0.3) el.removeAttribute('id');
        else el.id = pick(['main', 'x', 'btn', 'cart', 'a1', 'new-id', 'List']);
        break;
      case 'text': {
        if (!isHtml(el)) break;
        const r = rnd();
        if (r < 0.3 && !el.firstElementChild) el.textContent = rnd() < 0.3 ? '' : pick(C.words);
        else if (r < 0.5) el.appendChild(document.createTextNode(rnd() < 0.5 ? '' : ' '));
        else if (r < 0.6) el.appendChild(document.createComment('m'));
        else {
          const t = [...el.childNodes].find((n) => n.nodeType === 3);
          if (t) t.data = rnd() < 0.3 ? '' : pick(C.words);
          else el.insertBefore(document.createTextNode(pick(C.words)), el.firstChild);
        }
        break;
      }
      case 'add': {
        const p = pick(containers());
        if (!p) break;
        const kids = [...p.childNodes];
        p.insertBefore(newElement(), kids.length && rnd() < 0.7 ? pick(kids) : null);
        break;
      }
      case 'remove':
        if (el !== document.body && size(el) <= 12) el.remove();
        break;
      case 'move': {
        if (size(el) > 20) break;
        const p = pick(containers());
        if (!p || inside(p, el)) break;
        const kids = [...p.childNodes];
        p.insertBefore(el, kids.length && rnd() < 0.7 ? pick(kids) : null);
        break;
      }
      case 'reorder': {
        const p = el.parentNode;
        if (!p) break;
        const sibs = [...p.children];
        if (sibs.length < 2) break;
        const a = pick(sibs);
        p.insertBefore(a, rnd() < 0.5 ? p.firstChild : pick(sibs).nextSibling);
        break;
      }
      case 'shadow': {
        const p = pick(containers());
        if (!p) break;
        const host = document.createElement(pick(['div', 'span', 'x-card']));
        host.className = pick(C.classes);
        const root = host.attachShadow({ mode: 'open' });
        root.innerHTML = '<button class="' + pick(C.classes) + '" type="button">' + pick(C.words) + '</button><slot></slot><span class="' + pick(C.classes) + '"></span>';
        if (rnd() < 0.5) host.appendChild(newElement());
        p.appendChild(host);
        break;
      }
    }
  };

  let depth = 0;
  document.addEventListener('click', (e) => {
    const path = e.composedPath();
    if (path.some((n) => n.localName === 'a' && n.hasAttribute && n.hasAttribute('href'))) e.preventDefault();
    if (depth > 0) return;
    const trig = path.find((n) => n.nodeType === 1 && n.hasAttribute('data-act'));
    const k = trig ? 1 + Math.floor(rnd() * 3) : rnd() < 0.35 ? 1 : 0;
    for (let i = 0; i < k; i++) mutate(false);
    if (trig && trig.getAttribute('data-act') === 'chain') {
      // a synthetic click in the same task, right after the mutations above
      const els = all();
      const t = pick(els);
      depth++;
      try {
        if (t && t.isConnected && typeof t.click === 'function') t.click();
      } finally {
        depth--;
      }
    }
    if (rnd() < 0.2) setTimeout(() => mutate(false), 0);
  });
  document.addEventListener('pointerdown', () => {
    if (rnd() < 0.15) mutate(true);
  }, true);
  // on each form: submit is not composed, so a form in a shadow root never reaches document
  for (const r of roots()) for (const f of r.querySelectorAll('form')) f.addEventListener('submit', (e) => e.preventDefault());

  const visible = (el) => {
    const b = el.getBoundingClientRect();
    return b.width > 0 && b.height > 0;
  };
  const FOCUSABLE = 'button, a[href], input, [tabindex], label';
  window.__fuzz = {
    /** a point at the centre of a random visible element of the kind, scrolled into view */
    point(r, kind) {
      let c = all().filter(visible);
      let k = c;
      if (kind === 'svg') k = c.filter((el) => el.namespaceURI === 'http://www.w3.org/2000/svg' && el.localName !== 'svg');
      else if (kind === 'label') k = c.filter((el) => el.localName === 'label');
      else if (kind === 'trigger') k = c.filter((el) => el.hasAttribute('data-act'));
      if (!k.length) k = c;
      const el = k[Math.floor(r * k.length)];
      if (!el) return null;
      el.scrollIntoView({ block: 'center', inline: 'center' });
      const b = el.getBoundingClientRect();
      return { x: b.left + b.width / 2, y: b.top + b.height / 2 };
    },
    /** focus a random focusable element (for Enter / Space); false when nothing took focus */
    focus(r) {
      const c = all().filter((el) => visible(el) && el.matches(FOCUSABLE));
      for (let i = 0; i < 4 && c.length; i++) {
        const el = c[Math.floor(((r + i * 0.37) % 1) * c.length)];
        el.focus();
        let a = document.activeElement;
        while (a && a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement;
        if (a === el) return true;
      }
      return false;
    },
    mutate(n) {
      for (let i = 0; i < n; i++) mutate(false);
    },
    /** el.click() on a random element, outside any user gesture */
    synthetic(r) {
      const c = all();
      const el = c[Math.floor(r * c.length)];
      if (el && typeof el.click === 'function') el.click();
    },
  };
})();`;

type Kind = 'mouse' | 'svg' | 'label' | 'trigger' | 'key' | 'mutate-click' | 'synthetic';
const KINDS: [number, Kind][] = [[10, 'mouse'], [2, 'svg'], [2, 'label'], [3, 'trigger'], [3, 'key'], [2, 'mutate-click'], [1, 'synthetic']];

/**
 * Random user actions: mouse clicks at element centres (often svg shapes, labels, mutation
 * triggers), Enter/Space on a focused control, a mutation right before a click, and el.click().
 * Every random number is drawn up front, so what the page does cannot shift the sequence.
 */
export async function drive(page: Page, rng: Rng, actions: number): Promise<void> {
  for (let k = 0; k < actions; k++) {
    const kind = rng.weighted(KINDS);
    const r = rng.next();
    const key = rng.chance(0.5) ? 'Enter' : 'Space';
    const n = 1 + rng.int(3);
    if (kind === 'key') {
      if (await page.evaluate((r) => (window as any).__fuzz.focus(r), r)) await page.keyboard.press(key);
      await settle(page);
      continue;
    }
    if (kind === 'synthetic') {
      await page.evaluate((r) => (window as any).__fuzz.synthetic(r), r);
      await settle(page);
      continue;
    }
    if (kind === 'mutate-click') await page.evaluate((n) => (window as any).__fuzz.mutate(n), n);
    const p = await page.evaluate(([r, kind]) => (window as any).__fuzz.point(r, kind), [r, kind] as const);
    if (p) await page.mouse.click(p.x, p.y);
    await settle(page);
  }
}

/**
 * Let the page's timer mutations (setTimeout 0 in the click handler) run now: timers fire in
 * order, so they always land before the next action, whatever the machine's load. A seed then
 * replays the same session, which is what makes a failure reproducible and minimizable.
 */
function settle(page: Page): Promise<void> {
  return page.evaluate(() => new Promise<void>((r) => setTimeout(r, 0)));
}

