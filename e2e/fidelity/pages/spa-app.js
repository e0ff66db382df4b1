// A tiny router: every route renders different content into #content, so the same selector
// (e.g. `#content .item:nth-child(2)`, `#content button.primary`) means different elements over time.
(function () {
  const views = {
    home: () => `
      <h1 class="view-title">Welcome</h1>
      <div class="list">
        <div class="item promo">Promo <button class="btn primary" type="button">Shop now</button></div>
        <div class="item">News</div>
      </div>
      <button class="btn secondary cta" type="button" data-x="y">Learn more</button>`,
    products: () => `
      <h1 class="view-title">Products</h1>
      <div class="list grid">
        ${[1, 2, 3, 4, 5].map((i) => `<div class="item product" data-id="${i}"><span class="name">P${i}</span> <button class="btn ${i === 2 ? 'primary' : 'secondary'} buy" type="button">Buy</button></div>`).join('')}
      </div>`,
    product: () => `
      <h1 class="view-title">Product 42</h1>
      <div class="detail item" data-id="42">
        <p class="desc">A very good product.</p>
        <button class="btn primary buy" type="button"><svg viewBox="0 0 10 10" width="10" height="10"><g><path d="M0 0h10v10H0z"/></g></svg> Buy now</button>
        <button class="btn back" type="button">Back</button>
      </div>`,
    settings: () => `
      <h1 class="view-title">Settings</h1>
      <form class="settings-form" onsubmit="return false">
        <label class="switch"><input type="checkbox" class="toggle" name="dark"> Dark mode</label>
        <button class="btn primary save" type="submit">Save</button>
      </form>
      <div class="list"><div class="item">Account</div><div class="item danger">Delete account</div></div>`,
  };
  function routeOf(path) {
    if (/\/spa\/products\/\d+/.test(path)) return 'product';
    if (/\/spa\/products/.test(path)) return 'products';
    if (/\/spa\/settings/.test(path)) return 'settings';
    return 'home';
  }
  function render() {
    const r = routeOf(location.pathname);
    document.getElementById('app').dataset.route = r;
    document.getElementById('content').innerHTML = views[r]();
    document.querySelectorAll('.route-link').forEach((a) => a.classList.toggle('current', a.dataset.route === r));
    document.title = 'SPA — ' + r;
  }
  window.navigate = function (path) { history.pushState({}, '', path); render(); };
  document.addEventListener('click', (e) => {
    const a = e.target.closest('a.route-link');
    if (a) { e.preventDefault(); window.navigate(a.getAttribute('href')); return; }
    const back = e.target.closest('.back');
    if (back) { history.back(); return; }
    const buy = e.target.closest('.buy');
    if (buy) { buy.classList.add('bought'); buy.textContent = 'Added'; }
    const item = e.target.closest('.item');
    if (item) item.classList.toggle('open');
  });
  window.addEventListener('popstate', render);
  render();
})();
