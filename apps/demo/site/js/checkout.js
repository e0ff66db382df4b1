import { money } from './catalog.js';
import { cartTotals, clearCart, renderCartCount } from './cart.js';

const form = document.getElementById('checkout');
const thanks = document.getElementById('thank-you');
const totals = cartTotals();
document.querySelector('[data-testid="checkout-total"]').textContent = money(totals.total);
document.querySelector('[data-testid="checkout-count"]').textContent = `${totals.count} item${totals.count === 1 ? '' : 's'}`;

// Card number: keep digits grouped in fours while typing.
const card = document.getElementById('card-number');
card.addEventListener('input', () => {
  const digits = card.value.replace(/\D/g, '').slice(0, 19);
  card.value = digits.replace(/(.{4})/g, '$1 ').trim();
});

// Runs only when the browser's constraint validation passed (invalid forms never fire submit).
form.addEventListener('submit', (e) => {
  e.preventDefault();
  const data = new FormData(form);
  const email = String(data.get('email'));
  window.hindsight?.identify?.(email, { name: String(data.get('name')) });
  window.hindsight?.track?.('Order completed', { total: totals.total, items: totals.count });
  clearCart();
  form.hidden = true;
  document.querySelector('.order-summary').hidden = true;
  thanks.querySelector('[data-testid="thank-you-email"]').textContent = email;
  thanks.hidden = false;
  history.replaceState(null, '', '/checkout#thank-you');
  document.title = 'Thank you · Acme Goods';
});

renderCartCount();
