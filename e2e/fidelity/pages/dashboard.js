// Dropdown that renders its menu on open and removes it on close; tabs; a modal in a portal.
(function () {
  const dd = document.getElementById('dd-export');
  dd.querySelector('.dropdown-toggle').addEventListener('click', (e) => {
    e.stopPropagation(); // the document handler below would close it again
    const open = dd.classList.toggle('open');
    if (open) {
      const ul = document.createElement('ul');
      ul.className = 'menu-pop';
      ul.setAttribute('role', 'menu');
      ul.innerHTML = '<li role="menuitem" class="mi" data-format="csv">CSV</li><li role="menuitem" class="mi" data-format="xlsx">Excel</li><li role="menuitem" class="mi disabled" aria-disabled="true" data-format="pdf">PDF</li>';
      dd.appendChild(ul);
    } else {
      dd.querySelector('.menu-pop')?.remove();
    }
  });
  document.addEventListener('click', (e) => {
    const mi = e.target.closest('.mi');
    if (mi && !mi.classList.contains('disabled')) dd.dataset.last = mi.dataset.format;
    if (!e.target.closest('.dropdown') && dd.classList.contains('open')) {
      dd.classList.remove('open');
      dd.querySelector('.menu-pop')?.remove();
    }
  });
  document.querySelector('.tabs').addEventListener('click', (e) => {
    const t = e.target.closest('.tab'); if (!t) return;
    document.querySelectorAll('.tab').forEach((x) => { x.classList.toggle('active', x === t); x.setAttribute('aria-selected', String(x === t)); });
  });
  document.querySelectorAll('.side-link').forEach((a) => a.addEventListener('click', (e) => {
    e.preventDefault();
    document.querySelectorAll('.side-item').forEach((li) => li.classList.remove('active'));
    a.parentElement.classList.add('active');
  }));
  document.querySelector('.link-btn').addEventListener('click', (e) => e.preventDefault());
  document.querySelector('.open-modal').addEventListener('click', () => {
    const m = document.createElement('div');
    m.className = 'modal open';
    m.setAttribute('role', 'dialog');
    m.innerHTML = '<h2 class="modal-title">New report</h2><form class="modal-form" onsubmit="return false"><label>Name <input name="rname" class="input"></label><button class="btn btn-primary create" type="submit">Create</button> <button class="btn cancel" type="button">Cancel</button></form>';
    document.getElementById('portal').appendChild(m);
    m.querySelector('.cancel').addEventListener('click', () => m.remove());
    m.querySelector('.create').addEventListener('click', () => { m.classList.replace('open', 'closing'); setTimeout(() => m.remove(), 20); });
  });
  document.querySelector('.cards').addEventListener('click', (e) => {
    const k = e.target.closest('.kpi'); if (!k) return;
    k.classList.toggle('expanded');
    if (k.classList.contains('expanded')) k.insertAdjacentHTML('beforeend', '<span class="more">details</span>');
    else k.querySelector('.more')?.remove();
  });
  document.getElementById('chart').addEventListener('click', (e) => {
    const bar = e.target.closest('.bar');
    if (bar) bar.classList.toggle('picked');
  });
})();
