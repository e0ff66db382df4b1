// Element events: click (+ rage/dead click), submit, change, invalid. Capture-phase listeners
// on window see every event first, including ones the page stops from propagating.
import type { RawEvent } from '@hindsight/schema';
import { LIMITS } from '@hindsight/schema';
import { cap } from '../log';
import { isSensitive, redact } from '../redact';
import { closestComposed } from '../chain';
import { closest, matches } from '../native';
import type { Ctx } from './ctx';
import { recordInput } from '../replay';
import { rageDetector } from './rage';

const VALIDITY = [
  'valueMissing',
  'typeMismatch',
  'patternMismatch',
  'tooLong',
  'tooShort',
  'rangeUnderflow',
  'rangeOverflow',
  'stepMismatch',
  'badInput',
  'customError',
] as const;

// elements whose click is expected to visibly do something (text fields only take focus)
const INTERACTIVE =
  'a[href],button,summary,[role=button],[role=link],[role=tab],[role=menuitem],[onclick],input[type=submit],input[type=button],input[type=reset],input[type=image]';
const DEAD_MS = 1000;

/** the element actually hit: composedPath()[0], lifted from a text node if needed */
export function targetOf(e: Event): Element | null {
  const t = (e.composedPath ? e.composedPath()[0] : e.target) as Node | null;
  if (!t) return null;
  if (t.nodeType === 1) return t as Element;
  // a text node (synthetic dispatch): its element, or the host when it sits right in a shadow root
  const p = t.parentNode as (Node & { host?: Element }) | null;
  return p ? (p.nodeType === 1 ? (p as Element) : p.host || null) : null;
}

/** click, rage and dead clicks, on a window (the page's, or a same-origin iframe's) */
export function installClicks(ctx: Ctx, root: EventTarget) {
  const rage = rageDetector();
  let dead: ReturnType<typeof setTimeout> | 0 = 0;
  const el = (ev: RawEvent) => ({ chain: ev.chain, nodeId: ev.nodeId, rec: ev.rec });

  ctx.on(root, 'click', (e: Event) => {
    const m = e as MouseEvent;
    const t = targetOf(e);
    if (!t) return;
    // A checkbox/radio is toggled *before* its click is dispatched, but rrweb only hears of it
    // from the input event after: record the live :checked state before the position is taken
    const i = t as HTMLInputElement;
    if (i.localName === 'input' && /^(checkbox|radio)$/.test(i.type)) recordInput(i);
    const ev = ctx.element('click', t);
    if (!ev) return;
    // detail 0: keyboard activation or label forwarding, no pointer position to compare
    if (m.detail > 0 && rage(m.clientX, m.clientY, m.timeStamp)) ctx.emit('rage_click', el(ev));
    if (dead) clearTimeout(dead);
    dead = 0;
    const hit = closest(t, INTERACTIVE, null);
    // new tabs and downloads change nothing here by design
    if (ctx.replaying() && hit && !matches(hit, '[target=_blank],[download]', true))
      dead = setTimeout(() => {
        dead = 0;
        ctx.emit('dead_click', el(ev));
      }, DEAD_MS);
  });
  // anything the page visibly did (mutation, scroll, input, navigation) proves the click alive
  ctx.activity(() => {
    if (dead) clearTimeout(dead);
    dead = 0;
  });
}

/** each form's last submit event (read by a later form.submit()) */
const lastSubmit = new WeakMap<Element, Event>();

/**
 * `form.submit()` from a script sends the form without a submit event (by the HTML spec), so
 * auto-submitting forms would never be counted: the method is wrapped to record one. Except when
 * it completes a submit already recorded: a handler that prevented the user's submit (to
 * validate first, say) and then calls form.submit().
 */
export function watchFormSubmit(ctx: Ctx, win: Window & typeof globalThis, mark: (o: object) => unknown) {
  const F = win.HTMLFormElement.prototype;
  const submit = F.submit;
  try {
    if (submit && mark(F))
      F.submit = function (this: HTMLFormElement) {
        try {
          const prev = lastSubmit.get(this);
          lastSubmit.delete(this);
          if (ctx.active() && !(prev && prev.defaultPrevented)) ctx.element('submit', this);
        } catch {
          /* never stop the page's submit */
        }
        return submit.call(this);
      };
  } catch {
    /* a frozen prototype: programmatic submits go unrecorded */
  }
}

/**
 * submit, change, invalid. On windows, and on open shadow roots too: these events are not
 * `composed`, so from inside a shadow root they never reach a window listener.
 */
export function installForms(ctx: Ctx, root: EventTarget) {
  ctx.on(root, 'submit', (e: Event) => {
    const t = targetOf(e);
    if (!t) return;
    lastSubmit.set(t, e);
    ctx.element('submit', t);
  });

  ctx.on(root, 'change', (e: Event) => {
    const t = targetOf(e) as HTMLInputElement | null;
    if (!t) return;
    let props: Record<string, unknown> | undefined;
    const sel = ctx.cfg.captureValuesSelector;
    if (sel && matches(t, sel, false) && !isSensitive(t) && !closestComposed(t, ctx.cfg.mask)) {
      const v =
        t.type === 'checkbox' || t.type === 'radio'
          ? t.checked
          : t.localName === 'select' && (t as unknown as HTMLSelectElement).multiple
            ? [...(t as unknown as HTMLSelectElement).selectedOptions].map((o) => o.value).join(',')
            : redact(cap(String(t.value), LIMITS.string));
      props = { value: v };
    }
    ctx.element('change', t, props);
  });

  // typing or autofill into a password field marks it for good (see isSensitive)
  ctx.on(root, 'input', (e: Event) => {
    const t = targetOf(e);
    if (t) isSensitive(t);
  });

  ctx.on(root, 'invalid', (e: Event) => {
    const t = targetOf(e) as HTMLInputElement | null;
    if (!t || !t.validity) return;
    ctx.element('invalid', t, { failed: VALIDITY.filter((k) => t.validity[k]) });
  });
}
