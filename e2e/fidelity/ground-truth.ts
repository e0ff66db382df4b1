// The ground truth: what the live page's own `closest()` said, for every selector, at the moment
// of every click. Installed with page.addInitScript, so its capture listener on `window` is
// registered before any page script and before the recorder.
import type { Page } from '@playwright/test';

export interface GroundTruthClick {
  /** indexes into SELECTORS of the selectors the click matched (composed closest) */
  m: number[];
  /** the target, for aligning with the stored chain[0] and for reports */
  tag: string;
  id: string;
  cls: string;
  /** a readable path of the target (up to 6 ancestors, crossing shadow roots as `/shadow/`) */
  path: string;
  trusted: boolean;
  url: string;
  t: number;
  error?: string;
}

/** Runs in the page (serialized by Playwright): keep it self-contained. */
function installGroundTruth(sels: string[]) {
  const recs: unknown[] = [];
  Object.defineProperty(window, '__hsGT', { value: recs, enumerable: false, configurable: false });
  const describe = (el: Element) =>
    el.localName + (el.id ? '#' + el.id : '') + (el.getAttribute('class') ? '.' + (el.getAttribute('class') ?? '').trim().split(/\s+/).join('.') : '');
  window.addEventListener(
    'click',
    (ev) => {
      try {
        let t = ev.composedPath()[0] as Node | undefined;
        if (t && !(t instanceof Element)) {
          const p: Node | null = (t as Node).parentNode;
          t = p instanceof ShadowRoot ? p.host : ((t as Node).parentElement ?? undefined);
        }
        const target = t as Element | undefined;
        const m: number[] = [];
        if (target) {
          for (let i = 0; i < sels.length; i++) {
            let el: Element | null = target;
            while (el) {
              if (el.closest(sels[i])) {
                m.push(i);
                break;
              }
              const root = el.getRootNode();
              el = root instanceof ShadowRoot ? root.host : null;
            }
          }
        }
        const parts: string[] = [];
        let cur: Element | null = target ?? null;
        for (let k = 0; cur && k < 6; k++) {
          parts.push(describe(cur));
          if (cur.parentElement) cur = cur.parentElement;
          else {
            const root = cur.getRootNode();
            if (root instanceof ShadowRoot) {
              parts.push('/shadow/');
              cur = root.host;
            } else cur = null;
          }
        }
        recs.push({
          m,
          tag: target?.localName ?? '',
          id: target?.id ?? '',
          cls: target?.getAttribute('class') ?? '',
          path: parts.reverse().join(' > ').slice(-300),
          trusted: ev.isTrusted,
          url: location.href,
          t: performance.now(),
        });
      } catch (e) {
        recs.push({ m: [], tag: '', id: '', cls: '', path: '', trusted: ev.isTrusted, url: location.href, t: performance.now(), error: String(e) });
      }
    },
    true,
  );
}

export async function installGroundTruthOn(page: Page, sels: string[]): Promise<void> {
  await page.addInitScript(installGroundTruth, sels);
}

export async function readGroundTruth(page: Page): Promise<GroundTruthClick[]> {
  return page.evaluate(() => [...((window as unknown as { __hsGT: GroundTruthClick[] }).__hsGT ?? [])]);
}

/** Every selector must parse in Chromium (querySelector would throw otherwise). */
export async function invalidSelectors(page: Page, sels: string[]): Promise<{ i: number; sel: string; error: string }[]> {
  return page.evaluate((all) => {
    const bad: { i: number; sel: string; error: string }[] = [];
    all.forEach((sel, i) => {
      try {
        document.querySelector(sel);
        document.documentElement.closest(sel);
      } catch (e) {
        bad.push({ i, sel, error: String(e) });
      }
    });
    return bad;
  }, sels);
}
