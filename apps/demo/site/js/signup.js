import { renderCartCount } from './cart.js';

const form = document.getElementById('signup');
form.addEventListener('submit', (e) => {
  e.preventDefault();
  const data = new FormData(form);
  const email = String(data.get('email'));
  window.hindsight?.identify?.(email, { name: String(data.get('name')), newsletter: data.get('newsletter') === 'on' });
  form.hidden = true;
  const done = document.getElementById('signup-done');
  done.querySelector('[data-testid="signup-name"]').textContent = String(data.get('name'));
  done.hidden = false;
});
renderCartCount();
