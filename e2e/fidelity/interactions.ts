// Scripted, realistic user interactions for every corpus page: mouse clicks at element centres
// (often landing on svg paths or text inside buttons), label clicks (which forward a second,
// synthetic click to the control), keyboard activation (Enter/Space dispatch a click), clicks after
// DOM mutations and SPA route changes. Exactly which element a click lands on does not matter:
// the ground truth and the recorder observe the same event.
import type { Page } from '@playwright/test';

export class Actor {
  constructor(readonly page: Page) {}

  /** Playwright's actionable click (waits for visible/stable/enabled, clicks the centre). */
  async click(sel: string, nth = 0): Promise<void> {
    await this.page.locator(sel).nth(nth).click({ timeout: 5_000 });
  }

  /** A raw mouse click at an element's centre, with no actionability checks (disabled controls). */
  async at(sel: string, nth = 0, dx?: number, dy?: number): Promise<void> {
    const loc = this.page.locator(sel).nth(nth);
    await loc.scrollIntoViewIfNeeded({ timeout: 5_000 });
    const box = await loc.boundingBox({ timeout: 5_000 });
    if (!box) throw new Error(`no box for ${sel}[${nth}]`);
    await this.page.mouse.click(box.x + (dx ?? box.width / 2), box.y + (dy ?? box.height / 2));
  }

  /** Focus then press Enter or Space: the browser dispatches a click on the focused control. */
  async key(sel: string, key: 'Enter' | ' ', nth = 0): Promise<void> {
    await this.page.locator(sel).nth(nth).focus({ timeout: 5_000 });
    await this.page.keyboard.press(key === ' ' ? 'Space' : 'Enter');
  }

  async waitFor(sel: string, state: 'attached' | 'detached' = 'attached'): Promise<void> {
    await this.page.locator(sel).first().waitFor({ state, timeout: 10_000 });
  }

  async pause(ms: number): Promise<void> {
    await this.page.waitForTimeout(ms);
  }
}

export interface PageScript {
  name: string;
  path: string;
  run: (a: Actor) => Promise<void>;
}

export const PAGE_SCRIPTS: PageScript[] = [
  {
    name: 'shop',
    path: '/shop.html',
    run: async (a) => {
      await a.click('.chip[data-filter="new"]');
      await a.click('.nav-link', 0);
      await a.click('.nav-link', 2);
      await a.click('.nav-link', 1);
      await a.click('.nav-link', 1); // its item is .active now
      await a.click('.logo');
      await a.at('.logo .tm');
      await a.click('.cart-toggle'); // opens the drawer, .active
      await a.at('.cart-toggle path');
      await a.at('.cart-toggle .badge');
      await a.at('.cart-toggle circle', 1);
      await a.click('.chip', 0);
      await a.click('.chip', 2);
      await a.click('.chip', 3);
      await a.click('.chip', 1);
      await a.click('.chip', 1); // now .chip-selected
      await a.click('.chip', 0);
      for (let i = 0; i < 4; i++) await a.click('.product .add', i);
      await a.at('.product .add path', 0);
      await a.at('.product .add svg', 1);
      for (let i = 0; i < 3; i++) await a.click('.fav', i);
      await a.click('.fav', 0);
      await a.click('.fav', 2);
      await a.click('.product .title', 2);
      await a.at('.product small');
      await a.at('.product del');
      await a.click('.product .price', 1);
      await a.at('.product', 3, 3, 3); // the card's padding
      await a.key('.product .add', 'Enter', 1);
      await a.key('.fav', ' ', 1);
      await a.click('.cart-toggle'); // opens the drawer again
      await a.click('.cart-line .remove', 0);
      await a.click('.cart-line .name', 0);
      await a.click('#checkout-form input[name=coupon]');
      await a.click('.checkout');
      await a.click('[data-action="clear"]');
      await a.at('.cart-drawer', 0, 4, 4);
      await a.waitFor('#promo .dismiss');
      await a.at('#promo p', 0, 4, 4);
      await a.click('.product .add', 0); // the banner now sits between .filters and .products
      await a.click('#promo .dismiss');
      await a.click('.product .add', 1);
      await a.click('.footer-link', 0);
      await a.click('.footer-link', 1);
      await a.click('.back-to-top');
      await a.at('body', 0, 5, 795);
      await a.click('h3.title', 0);
    },
  },
  {
    name: 'forms',
    path: '/forms.html',
    run: async (a) => {
      await a.click('h1.title');
      await a.click('label[for="name"]');
      await a.click('#name');
      await a.at('label.wrap', 0, 6, 8); // label text "Email": forwards a click to the email input
      await a.click('input[name=email]');
      await a.at('label.wrap', 1, 6, 8); // "Newsletter": forwards to the checkbox (toggles it)
      await a.click('input[name=news]');
      await a.click('#terms');
      await a.click('.terms-label');
      await a.at('.terms-label b');
      await a.click('.plan-opt', 1);
      await a.at('.plan-opt em.tag');
      await a.click('.plan-opt input', 0);
      await a.click('.plan-opt input', 1);
      await a.at('#who legend');
      await a.at('#plan legend');
      await a.at('#legacy legend label', 0, 40, 8); // legend of a disabled fieldset stays enabled
      await a.at('#legacy legend input');
      await a.at('#legacy > label', 0, 6, 8); // label of a disabled input
      await a.at('#legacy input[name=oldid]');
      await a.at('#legacy .btn'); // disabled button: Chromium dispatches no click
      await a.at('#legacy .note');
      await a.at('#legacy', 0, 200, 4);
      await a.click('.submit');
      await a.key('.submit', 'Enter');
      await a.click('.error-slot');
      await a.click('.help');
      await a.key('.help', ' ');
      await a.click('.help');
      await a.click('.submit-input');
      await a.click('input[type=button]');
      await a.click('.reset');
      await a.click('.outside-submit');
      await a.click('.other');
      await a.click('.upload-trigger'); // handler mutates, then forwards a synthetic click to the file input
      await a.click('.upload-trigger');
      await a.click('.q');
      await a.click('.icon-btn');
      await a.at('.icon-btn path');
      await a.key('.icon-btn', 'Enter');
      await a.key('input[name=news]', ' ');
      await a.click('label.recommended');
      await a.at('.fake-upload', 0, 200, 5);
    },
  },
  {
    name: 'lists',
    path: '/lists.html',
    run: async (a) => {
      const corner = (sel: string, nth = 0) => a.at(sel, nth, 6, 6);
      await corner('#tree > li', 0); // "Alpha" text of the top item
      for (let i = 0; i < 4; i++) await corner('#tree > li:first-child .leaf', i);
      await a.click('.count');
      await corner('#tree > li', 1); // Beta (removed later)
      await corner('.subsub li', 0);
      await a.click('.subsub .link');
      await corner('.subsub li', 2);
      await corner('#tree > li', 3);
      await a.click('.todo .toggle', 1);
      await a.click('.todo .text', 2);
      await a.click('.todo .toggle', 0);
      await a.click('.add-todo');
      await a.click('.fresh .text');
      await a.click('.fresh .toggle');
      await a.click('.add-todo');
      await a.key('.add-todo', 'Enter');
      await a.click('.todo .del', 1);
      await a.click('.todo li:last-child .del');
      await a.click('.todo .item', 2);
      for (let i = 0; i < 4; i++) await a.click('.step', i);
      await a.click('.sep', 1);
      await a.click('.steps .note');
      await a.click('.step-title');
      await a.click('.step', 3);
      await a.click('dt', 2);
      await a.click('dt', 0);
      await a.click('dd', 1);
      await a.click('dt', 2);
      await a.click('#e1'); // gains a child
      await a.at('#e1', 0, 30, 10);
      await a.click('#e1'); // may land on the child or the box
      await a.click('#e2');
      await a.click('#e3');
      await a.click('#e4');
      await a.waitFor('.late-list li');
      await a.click('.late', 0);
      await a.click('.late', 1);
      await a.click('.late', 2);
      await a.waitFor('#tree > li:nth-child(2)'); // wait for Beta's removal at ~1.2 s
      await a.page.waitForFunction(() => !/Beta/.test(document.getElementById('tree')!.textContent ?? ''), null, { timeout: 10_000 });
      await corner('#tree > li', 1); // now Gamma is the 2nd child
      await corner('#tree > li', 2);
      await a.key('.todo .del', ' ', 0);
      await a.at('body', 0, 900, 780);
    },
  },
  {
    name: 'table',
    path: '/table.html',
    run: async (a) => {
      await a.click('caption');
      for (let i = 0; i < 5; i++) await a.click('#orders tbody td.name', i);
      await a.click('th.sortable', 2); // by total
      await a.click('#orders tbody td.id', 0);
      await a.click('#orders tbody td.total', 1);
      await a.click('th.sortable', 2); // total desc
      await a.click('#orders tbody td.id', 0);
      await a.click('#orders tbody td.total', 4);
      await a.click('th.sortable', 1); // by name
      await a.click('#orders tbody tr', 1);
      await a.click('#orders .view', 2);
      await a.click('#detail .close');
      await a.click('#orders .view', 0);
      await a.at('#detail .detail-line', 0, 4, 4);
      await a.click('#detail .close');
      await a.at('#orders .del path', 1);
      await a.click('#orders tbody td.id', 1);
      await a.click('#orders tbody td.actions', 2);
      await a.click('#orders .del', 3);
      await a.click('#orders tbody td.name', 0);
      await a.click('th', 3);
      await a.click('th.sortable', 0);
      await a.click('th.sortable', 0);
      await a.click('#orders tbody td.name', 2);
      await a.key('#orders .view', 'Enter', 1);
      await a.key('#detail .close', ' ');
      await a.click('tfoot td', 0);
      await a.click('tfoot td.sum');
      await a.at('tfoot td', 2);
      await a.click('.inner-cell.a');
      await a.click('.inner-cell.b');
      await a.click('.inner-cell.c');
      await a.at('.outer-cell', 0, 4, 4);
      await a.click('.outer-cell.second');
      await a.click('h1');
      await a.click('#orders tbody td.total', 0);
      await a.click('#orders tbody tr', 2);
      await a.click('#orders tbody tr', 0);
      await a.click('#orders .view', 1);
      await a.at('body', 0, 900, 700);
      await a.click('.detail-line');
    },
  },
  {
    name: 'shadow',
    path: '/shadow.html',
    run: async (a) => {
      const star = (widget: string, i: number) => a.page.locator(widget).locator('.star').nth(i).click({ timeout: 5_000 });
      await star('my-widget >> nth=0', 0);
      await star('my-widget >> nth=0', 1);
      await star('my-widget >> nth=0', 3);
      await a.page.locator('my-widget').nth(0).locator('.star path').click({ timeout: 5_000 });
      await a.page.locator('my-widget').nth(0).locator('.star svg').click({ timeout: 5_000 });
      await a.page.locator('my-widget').nth(0).locator('p.label').click({ timeout: 5_000 });
      await a.page.locator('my-widget').nth(0).locator('.product').click({ timeout: 5_000 });
      await star('#w2', 1);
      await star('#w2', 2);
      await star('#w2', 0);
      await a.page.locator('#w2').locator('.stars').click({ position: { x: 1, y: 1 }, timeout: 5_000 });
      await a.click('.slotted-title');
      await a.click('.slotted-title b');
      await a.click('.light-star');
      await a.page.locator('rating-card .inner-star').click({ timeout: 5_000 });
      await a.page.locator('rating-card').click({ position: { x: 2, y: 2 }, timeout: 5_000 });
      await a.page.locator('app-shell .tab').nth(1).click({ timeout: 5_000 });
      await a.page.locator('app-shell .tab').nth(0).click({ timeout: 5_000 });
      await a.page.locator('app-shell .tab').nth(1).click({ timeout: 5_000 });
      await a.page.locator('app-shell .tab').nth(1).click({ timeout: 5_000 }); // already .active
      await a.page.locator('app-shell .shell-nav').click({ position: { x: 300, y: 5 }, timeout: 5_000 });
      await a.page.locator('inner-panel .action').click({ timeout: 5_000 });
      await a.page.locator('inner-panel .action').click({ timeout: 5_000 });
      await a.page.locator('inner-panel .panel-title').click({ timeout: 5_000 });
      await a.page.locator('.nested-widget .star').nth(2).click({ timeout: 5_000 });
      await a.page.locator('.nested-widget .star').nth(0).click({ timeout: 5_000 });
      await a.page.locator('.nested-widget .star path').click({ timeout: 5_000 });
      await a.page.locator('.nested-widget p.label').click({ timeout: 5_000 });
      await a.waitFor('my-widget.late');
      await a.page.locator('my-widget.late .star').nth(1).click({ timeout: 5_000 });
      await a.page.locator('my-widget.late .star').nth(3).click({ timeout: 5_000 });
      await a.click('.outside');
      await a.click('h1');
      // keyboard activation inside shadow roots
      await a.page.locator('my-widget').nth(0).locator('.star').nth(2).focus();
      await a.page.keyboard.press('Enter');
      await a.page.locator('#w2 .star').nth(3).focus();
      await a.page.keyboard.press('Space');
      await a.page.locator('inner-panel .action').focus();
      await a.page.keyboard.press('Enter');
      await a.page.locator('app-shell .tab').nth(0).focus();
      await a.page.keyboard.press('Space');
      await a.key('.outside', 'Enter');
      // synthetic clicks from script, inside shadow roots
      await a.page.evaluate(() => (document.querySelector('#w2')!.shadowRoot!.querySelector('.star') as HTMLElement).click());
      await a.page.evaluate(() => (document.querySelector('rating-card')!.shadowRoot!.querySelector('.inner-star') as HTMLElement).click());
      await star('my-widget >> nth=0', 2);
      await star('#w2', 3);
      await a.page.locator('inner-panel section.panel').click({ position: { x: 400, y: 5 }, timeout: 5_000 });
      await a.click('.slotted-title');
      await a.at('body', 0, 900, 780);
    },
  },
  {
    name: 'spa',
    path: '/spa/',
    run: async (a) => {
      const route = (r: string) => a.page.locator(`#app[data-route="${r}"]`).waitFor({ timeout: 10_000 });
      await route('home');
      await a.click('#content .item', 1);
      await a.click('#content .item.promo', 0);
      await a.click('#content button.primary');
      await a.click('.cta');
      await a.click('.view-title');
      await a.click('.route-link[data-route="products"]');
      await route('products');
      await a.click('#content .item', 1);
      await a.click('#content button.primary');
      for (let i = 0; i < 5; i += 2) await a.click('#content .buy', i);
      await a.click('#content .item .name', 3);
      await a.click('#content .item', 4);
      await a.key('#content .buy', 'Enter', 1);
      await a.click('.route-link[data-route="product"]');
      await route('product');
      await a.page.locator('#content .buy path').click({ timeout: 5_000 });
      await a.click('#content .desc');
      await a.click('#content .item');
      await a.click('#content .back'); // history.back(): popstate renders products again
      await route('products');
      await a.click('#content .item', 1);
      await a.click('#content button.primary');
      await a.click('.route-link[data-route="settings"]');
      await route('settings');
      await a.click('label.switch');
      await a.click('label.switch input');
      await a.click('.save');
      await a.key('.save', 'Enter');
      await a.click('#content .item', 0);
      await a.click('#content .item', 1);
      await a.click('.view-title');
      await a.page.evaluate(() => (window as unknown as { navigate: (p: string) => void }).navigate('/spa/'));
      await route('home');
      await a.click('#content .item', 1);
      await a.click('#content button.primary');
      await a.click('.route-link', 3);
      await route('settings');
      await a.click('#content .item', 1);
      await a.page.evaluate(() => (window as unknown as { navigate: (p: string) => void }).navigate('/spa/products/7'));
      await route('product');
      await a.click('#content .buy');
      await a.click('#content .back');
      await route('settings');
      await a.click('.route-link', 0);
      await route('home');
      await a.click('.cta');
      await a.click('.route-link', 1);
      await route('products');
      await a.click('#content .item', 0);
      await a.click('#content .item', 2);
      await a.at('#content .buy', 1);
      await a.click('.app-nav', 0);
      await a.key('.route-link', 'Enter', 2);
      await route('product');
      await a.click('#content .item');
      await a.at('body', 0, 900, 780);
    },
  },
  {
    name: 'deep',
    path: '/deep.html',
    run: async (a) => {
      await a.click('.deep-btn');
      await a.click('.deep-sibling');
      await a.click('.deep-btn');
      await a.key('.deep-btn', 'Enter');
      // clicks in the nested paddings: each lands on a different .lvl-N ancestor
      const db = await a.page.locator('.deep-btn').boundingBox();
      const rootBox = await a.page.locator('.deep-root').boundingBox();
      for (let k = 0; k < 12; k++) await a.page.mouse.click(rootBox!.x + 0.5 + k * 5, db!.y + db!.height / 2);
      await a.click('.abyss-btn');
      await a.click('.abyss-btn');
      await a.key('.abyss-btn', ' ');
      const ab = await a.page.locator('.abyss-btn').boundingBox();
      const abyss = await a.page.locator('.abyss').boundingBox();
      for (let k = 0; k < 12; k++) await a.page.mouse.click(abyss!.x + 0.5 + k * 12, ab!.y + ab!.height / 2);
      await a.click('.shallow');
      await a.click('h1');
      await a.click('.deep-sibling');
      await a.click('.abyss-btn');
      await a.click('.deep-btn');
      await a.key('.shallow', 'Enter');
      await a.click('.deep-btn');
      await a.click('.abyss-btn');
      await a.at('.after', 0, 400, 5);
      await a.at('body', 0, 1000, 790);
    },
  },
  {
    name: 'long',
    path: '/long.html',
    run: async (a) => {
      for (let i = 0; i < 5; i++) await a.click('.long-attr', 0); // toggles the -END/-FIN suffix
      await a.key('.long-attr', 'Enter', 0);
      await a.click('.long-attr.other');
      await a.click('.long-attr.other');
      await a.click('.cls-late');
      await a.key('.cls-late', 'Enter');
      await a.click('.cls-late');
      await a.click('.long-id');
      await a.click('.long-id');
      await a.key('.long-id', ' ');
      await a.click('.many-attrs');
      await a.key('.many-attrs', ' ');
      await a.click('.many-attrs');
      await a.at('.long-text', 0, 10, 8);
      await a.at('.long-text', 0, 300, 8);
      await a.at('.long-text', 0, 600, 24);
      await a.click('.in-text');
      await a.click('.in-text');
      await a.key('.in-text', 'Enter');
      await a.click('.in-li');
      await a.click('.in-li');
      await a.at('.li-long', 0, 400, 5);
      await a.click('.li-short');
      await a.click('.in-li');
      await a.click('h1');
      await a.at('.longs', 0, 2, 2);
      for (let i = 0; i < 3; i++) await a.click('.long-attr', 0);
      await a.click('.cls-late');
      await a.click('.long-id');
      await a.click('.many-attrs');
      await a.click('.long-attr.other');
      await a.click('.in-li');
      await a.click('.li-short');
      await a.click('.in-text');
      await a.at('body', 0, 1000, 790);
    },
  },
  {
    name: 'attrs',
    path: '/attrs.html',
    run: async (a) => {
      const n = await a.page.locator('#wrap > button').count();
      for (let i = 0; i < n; i++) await a.click('#wrap > button', i);
      await a.click('button.Upper');
      await a.click('button.lower');
      await a.key('button.lower', 'Enter');
      await a.click('button[data-tw="2"]');
      await a.at('[data-tw="1"] path');
      await a.at('[data-tw="1"] svg');
      const spans = await a.page.locator('#wrap > span').count();
      for (let i = 0; i < spans; i++) await a.click('#wrap > span', i);
      const links = await a.page.locator('#wrap > a').count();
      for (let i = 0; i < links; i++) await a.click('#wrap > a', i);
      await a.key('a.ext', 'Enter');
      await a.click('#wrap > input');
      await a.at('svg.standalone', 0, 1, 1);
      await a.at('svg.standalone', 0, 10, 10);
      await a.at('svg.standalone', 0, 4, 4);
      await a.click('h1');
      await a.at('body', 0, 1000, 790);
    },
  },
  {
    name: 'dashboard',
    path: '/dashboard.html',
    run: async (a) => {
      await a.click('.side-link', 1);
      await a.at('.side-link svg', 0);
      await a.at('.side-link path', 1);
      await a.click('.side-link span', 0);
      await a.click('.side-link', 2);
      await a.click('.side-sub .side-link', 0);
      await a.click('.side-sub .side-link', 1);
      await a.click('.dropdown-toggle'); // opens: the menu is rendered
      await a.click('.mi', 0);
      await a.click('.mi', 1);
      await a.at('.mi', 2); // aria-disabled: Playwright would wait for it to be enabled
      await a.at('.dropdown-toggle .caret path'); // closes
      await a.click('.dropdown-toggle');
      await a.click('.kpi', 2); // outside: closes the menu (and expands the kpi)
      await a.click('.tab', 1);
      await a.click('.tab', 2);
      await a.key('.tab', 'Enter', 0);
      await a.key('.tab', ' ', 1);
      await a.click('.open-modal');
      await a.click('.modal .cancel');
      await a.key('.open-modal', 'Enter');
      await a.click('.modal-form label');
      await a.click('.modal-form input');
      await a.click('.modal .modal-title');
      await a.click('.modal .create');
      await a.waitFor('.modal', 'detached');
      await a.at('.toolbar button[disabled]');
      await a.click('.link-btn');
      await a.key('.link-btn', 'Enter');
      await a.click('.kpi', 1);
      await a.click('.kpi .v', 1);
      await a.click('.kpi .l', 2);
      await a.click('.kpi', 0);
      await a.click('.kpi .more', 0);
      for (let i = 0; i < 4; i++) await a.at('.bar', i);
      await a.at('.bar', 1);
      await a.at('.chart-svg', 0, 2, 2);
      await a.at('.chart', 0, 500, 10);
      await a.click('.side-link', 0);
      await a.at('body', 0, 1000, 790);
    },
  },
];
