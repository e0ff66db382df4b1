// The shop front: catalog and product pages in one SPA shell with history.pushState routing
// (/category/:id filters the catalog, /product/:slug shows a product). The demo server answers
// every extensionless path it has no file for with index.html, so these URLs survive a reload.
import { CATEGORIES, PRODUCTS, CART_ICON, findProduct, money, productArt } from './catalog.js';
import { addToCart, renderCartCount, toast } from './cart.js';

const app = document.getElementById('app');

function esc(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

function addButton(p, testid = 'add-to-cart', extra = '') {
  return `<button type="button" class="btn btn-primary add-to-cart${extra}" data-testid="${testid}" data-product="${p.slug}">${CART_ICON}<span>Add to cart</span></button>`;
}

function catalogView(category) {
  const list = category ? PRODUCTS.filter((p) => p.category === category) : PRODUCTS;
  const heading = category ? CATEGORIES.find((c) => c.id === category)?.name ?? 'All products' : 'All products';
  return `
    <div class="catalog">
      <aside class="sidebar" aria-label="Categories">
        <h2 class="sidebar-title">Categories</h2>
        <ul class="category-list" data-testid="category-list">
          <li><a href="/" data-link class="category-link${category ? '' : ' active'}" data-testid="category-all">All products</a></li>
          ${CATEGORIES.map(
            (c) =>
              `<li><a href="/category/${c.id}" data-link class="category-link${c.id === category ? ' active' : ''}" data-category="${c.id}" data-testid="category-${c.id}">${esc(c.name)}</a></li>`,
          ).join('')}
        </ul>
      </aside>
      <section class="products" aria-labelledby="catalog-title">
        <h1 id="catalog-title">${esc(heading)}</h1>
        <div class="product-grid" data-testid="product-grid">
          ${list
            .map(
              (p) => `
            <article class="product-card" data-testid="product-card" data-product="${p.slug}">
              <a class="product-link" href="/product/${p.slug}" data-link data-testid="product-link">
                <div class="product-thumb">${productArt(p, 72)}</div>
                <h3 class="product-name">${esc(p.name)}</h3>
              </a>
              <div class="product-meta">
                <span class="price">${money(p.price)}</span>
                ${addButton(p)}
              </div>
            </article>`,
            )
            .join('')}
        </div>
      </section>
    </div>`;
}

function productView(p) {
  const cat = CATEGORIES.find((c) => c.id === p.category);
  return `
    <nav class="breadcrumbs" aria-label="Breadcrumb">
      <a href="/" data-link data-testid="back-to-shop">Shop</a> /
      <a href="/category/${p.category}" data-link>${esc(cat.name)}</a> /
      <span>${esc(p.name)}</span>
    </nav>
    <article class="product-detail" data-testid="product-detail" data-product="${p.slug}">
      <div class="product-hero">${productArt(p, 220)}</div>
      <div class="product-info">
        <h1 class="product-title">${esc(p.name)}</h1>
        <p class="price big">${money(p.price)}</p>
        <p class="blurb">${esc(p.blurb)}</p>
        <div class="buy-row">
          <label class="qty-field">Qty
            <select id="qty" name="qty" data-testid="product-qty">
              ${[1, 2, 3, 4, 5].map((n) => `<option value="${n}">${n}</option>`).join('')}
            </select>
          </label>
          ${addButton(p, 'product-add', ' btn-large')}
        </div>
        <p><a href="/cart" class="go-to-cart" data-testid="go-to-cart">Go to cart →</a></p>
      </div>
    </article>`;
}

function notFound() {
  return `<div class="empty"><h1>Product not found</h1><p><a href="/" data-link>Back to the shop</a></p></div>`;
}

function render() {
  const [, kind, arg] = /^\/(product|category)\/([^/]+)\/?$/.exec(location.pathname) ?? [];
  const slug = kind === 'product' ? decodeURIComponent(arg) : null;
  if (slug) {
    const p = findProduct(slug);
    app.innerHTML = p ? productView(p) : notFound();
    document.title = `${p ? p.name : 'Not found'} · Acme Goods`;
  } else {
    const category = kind === 'category' ? decodeURIComponent(arg) : null;
    app.innerHTML = catalogView(CATEGORIES.some((c) => c.id === category) ? category : null);
    document.title = 'Shop · Acme Goods';
  }
  for (const a of document.querySelectorAll('.site-nav a')) a.classList.toggle('active', a.dataset.testid === 'nav-shop');
}

function go(href) {
  history.pushState(null, '', href);
  render();
  window.scrollTo(0, 0);
}

document.addEventListener('click', (e) => {
  const link = e.target.closest('a[data-link]');
  if (link && !e.metaKey && !e.ctrlKey && !e.shiftKey && e.button === 0) {
    e.preventDefault();
    go(link.getAttribute('href'));
    return;
  }
  const add = e.target.closest('button.add-to-cart');
  if (add) {
    const qty = Number(document.getElementById('qty')?.value ?? 1) || 1;
    addToCart(add.dataset.product, add.dataset.testid === 'product-add' ? qty : 1);
    toast(`Added ${findProduct(add.dataset.product).name} to your cart`);
  }
});

window.addEventListener('popstate', render);
render();
renderCartCount();
