// One hand-written page used by several tests (chain table, replay, exact evaluation).

import { Ids, doc, h, t, type SNode } from './helpers.js';

export function shopPage(): { document: SNode; ids: Record<string, number>; next: Ids } {
  const I = new Ids();
  const ids: Record<string, number> = {};
  const mark = (name: string, n: SNode): SNode => {
    ids[name] = n.id;
    return n;
  };
  const svg = (tag: string, attrs: Record<string, string>, kids: SNode[] = []) => h(I, tag, attrs, kids, { isSVG: true });
  const html = h(I, 'html', { lang: 'en' }, [
    h(I, 'head'),
    mark('body', h(I, 'body', { class: 'page' }, [
      mark('form', h(I, 'form', { id: 'checkout', method: 'POST' }, [
        mark('row', h(I, 'div', { class: 'row md:flex w-1/2' }, [
          mark('pay', h(I, 'button', { class: 'btn primary', type: 'SUBMIT', 'data-x': 'a-b c', title: 'Pay' }, [
            mark('svg', svg('svg', { viewBox: '0 0 1 1', class: 'icon' }, [
              mark('clip', svg('clippath', { id: 'cp' }, [mark('rect', svg('rect', { width: '1' }))])),
              mark('path', svg('path', { d: 'M0', type: 'Foo' })),
            ])),
            mark('paySpan', h(I, 'span', {}, [t(I, '  Pay\n   now ')])),
          ])),
          mark('other', h(I, 'button', { class: 'btn-primary', disabled: '' }, [t(I, 'Other')])),
        ])),
        mark('check', h(I, 'input', { type: 'checkbox', name: 'tos' })),
      ])),
      mark('ul', h(I, 'ul', {}, [
        mark('li1', h(I, 'li', {}, [t(I, '1')])),
        mark('li2', h(I, 'li', { class: 'x' }, [t(I, '2')])),
        mark('li3', h(I, 'li', {}, [t(I, '3')])),
      ])),
      mark('widget', h(I, 'my-widget', { id: 'w', class: 'host' }, [
        mark('inner', h(I, 'div', { class: 'inner' }, [mark('star', h(I, 'span', { class: 'star' }, [t(I, '★')]))], { isShadow: true })),
        mark('light', h(I, 'p', {}, [t(I, 'light')])),
      ], { isShadowHost: true })),
      mark('link', h(I, 'a', { href: '/cart?x=1', lang: 'en-US' }, [mark('bold', h(I, 'b', {}, [t(I, 'Go')]))])),
    ])),
  ]);
  return { document: doc(I, html), ids, next: I };
}
