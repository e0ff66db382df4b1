import { findProduct, money, productArt } from './catalog.js';
import { cartTotals, readCart, removeFromCart, renderCartCount, setQty } from './cart.js';

const COUPONS = { WELCOME10: { discount: { percent: 10 } } };
const root = document.getElementById('cart');

function render() {
  const items = readCart();
  if (items.length === 0) {
    root.innerHTML = `<div class="empty" data-testid="cart-empty"><h2>Your cart is empty</h2><p><a class="btn btn-primary" href="/">Continue shopping</a></p></div>`;
    return;
  }
  const t = cartTotals(items);
  root.innerHTML = `
    <div class="cart-layout">
      <ul class="cart-lines" data-testid="cart-lines">
        ${items
          .map((i) => {
            const p = findProduct(i.slug);
            return `
          <li class="cart-line" data-testid="cart-line" data-product="${p.slug}">
            <div class="line-art">${productArt(p, 48)}</div>
            <div class="line-info">
              <a class="line-name" href="/product/${p.slug}">${p.name}</a>
              <span class="muted">${money(p.price)} each</span>
            </div>
            <div class="qty-control" role="group" aria-label="Quantity of ${p.name}">
              <button type="button" class="qty-btn qty-minus" data-action="dec" aria-label="Decrease quantity" data-testid="qty-minus">−</button>
              <span class="qty" data-testid="qty">${i.qty}</span>
              <button type="button" class="qty-btn qty-plus" data-action="inc" aria-label="Increase quantity" data-testid="qty-plus">+</button>
            </div>
            <span class="line-total">${money(p.price * i.qty)}</span>
            <button type="button" class="link-btn remove-item" data-action="remove" data-testid="remove-item">Remove</button>
          </li>`;
          })
          .join('')}
      </ul>
      <aside class="summary" data-testid="cart-summary">
        <h2>Summary</h2>
        <dl>
          <dt>Subtotal</dt><dd data-testid="subtotal">${money(t.subtotal)}</dd>
          <dt>Shipping</dt><dd>${t.shipping ? money(t.shipping) : 'Free'}</dd>
          <dt class="total">Total</dt><dd class="total" data-testid="total">${money(t.total)}</dd>
        </dl>
        <form id="coupon" class="coupon-form">
          <input name="code" placeholder="Coupon code" aria-label="Coupon code" data-testid="coupon-code">
          <button type="submit" class="btn btn-secondary apply-coupon" data-testid="apply-coupon">Apply</button>
        </form>
        <p class="coupon-message" data-testid="coupon-message"></p>
        <button type="button" class="btn btn-primary btn-large checkout" data-testid="checkout-button">Checkout</button>
      </aside>
    </div>`;
}

root.addEventListener('click', (e) => {
  const line = e.target.closest('.cart-line');
  const action = e.target.closest('[data-action]')?.dataset.action;
  if (line && action) {
    const slug = line.dataset.product;
    const qty = readCart().find((i) => i.slug === slug)?.qty ?? 0;
    if (action === 'inc') setQty(slug, qty + 1);
    else if (action === 'dec') setQty(slug, qty - 1);
    else removeFromCart(slug);
    render();
  }
  if (e.target.closest('button.checkout')) location.href = '/checkout';
});

root.addEventListener('submit', (e) => {
  if (e.target.id !== 'coupon') return;
  e.preventDefault();
  const code = new FormData(e.target).get('code').toString().trim().toUpperCase();
  // A real-looking bug for the demo: unknown codes throw (an uncaught TypeError the recorder reports).
  const percent = COUPONS[code].discount.percent;
  document.querySelector('.coupon-message').textContent = `Coupon applied: ${percent}% off at checkout.`;
});

render();
renderCartCount();
