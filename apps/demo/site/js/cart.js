// The cart lives in localStorage so it survives page loads (cart and checkout are separate pages).
import { findProduct } from './catalog.js';

const KEY = 'demo-shop-cart';

export function readCart() {
  try {
    const items = JSON.parse(localStorage.getItem(KEY) || '[]');
    return Array.isArray(items) ? items.filter((i) => findProduct(i.slug) && i.qty > 0) : [];
  } catch {
    return [];
  }
}

function write(items) {
  localStorage.setItem(KEY, JSON.stringify(items));
  renderCartCount();
}

export function addToCart(slug, qty = 1) {
  const items = readCart();
  const line = items.find((i) => i.slug === slug);
  if (line) line.qty += qty;
  else items.push({ slug, qty });
  write(items);
}

export function setQty(slug, qty) {
  write(readCart().map((i) => (i.slug === slug ? { ...i, qty } : i)).filter((i) => i.qty > 0));
}

export function removeFromCart(slug) {
  write(readCart().filter((i) => i.slug !== slug));
}

export function clearCart() {
  write([]);
}

export function cartTotals(items = readCart()) {
  const subtotal = items.reduce((s, i) => s + findProduct(i.slug).price * i.qty, 0);
  const shipping = subtotal === 0 || subtotal >= 75 ? 0 : 6;
  return { subtotal, shipping, total: subtotal + shipping, count: items.reduce((s, i) => s + i.qty, 0) };
}

export function renderCartCount() {
  const { count } = cartTotals();
  for (const el of document.querySelectorAll('[data-testid="cart-count"]')) {
    el.textContent = String(count);
    el.hidden = count === 0;
  }
}

/** A short "Added to cart" notice. */
export function toast(message) {
  let el = document.querySelector('.toast');
  if (!el) {
    el = document.createElement('div');
    el.className = 'toast';
    el.setAttribute('role', 'status');
    el.dataset.testid = 'toast';
    document.body.append(el);
  }
  el.textContent = message;
  el.classList.add('show');
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => el.classList.remove('show'), 1800);
}
