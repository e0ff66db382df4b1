// Product data for the demo shop. Icons are inline SVG so the shop has no image files.
export const CATEGORIES = [
  { id: 'kitchen', name: 'Kitchen' },
  { id: 'office', name: 'Office' },
  { id: 'outdoor', name: 'Outdoor' },
];

export const PRODUCTS = [
  { slug: 'ceramic-mug', name: 'Ceramic Mug', price: 14, category: 'kitchen', color: '#f59e0b', shape: 'mug', blurb: 'A sturdy 350 ml stoneware mug with a matte glaze. Dishwasher safe.' },
  { slug: 'pour-over-kettle', name: 'Pour-over Kettle', price: 49, category: 'kitchen', color: '#64748b', shape: 'kettle', blurb: 'Gooseneck kettle for a slow, even pour. 1 litre, stainless steel.' },
  { slug: 'chef-knife', name: "Chef's Knife", price: 79, category: 'kitchen', color: '#0f766e', shape: 'knife', blurb: '20 cm blade, forged from a single piece of carbon steel.' },
  { slug: 'desk-lamp', name: 'Desk Lamp', price: 59, category: 'office', color: '#6366f1', shape: 'lamp', blurb: 'Warm dimmable LED on an adjustable arm.' },
  { slug: 'notebook', name: 'Dot Notebook', price: 12, category: 'office', color: '#ec4899', shape: 'book', blurb: 'A5, 160 pages of 100 g paper, lay-flat binding.' },
  { slug: 'fountain-pen', name: 'Fountain Pen', price: 35, category: 'office', color: '#1e293b', shape: 'pen', blurb: 'Steel nib, converter included, writes smooth from the first line.' },
  { slug: 'water-bottle', name: 'Water Bottle', price: 25, category: 'outdoor', color: '#0ea5e9', shape: 'bottle', blurb: 'Insulated, keeps drinks cold for 24 hours. 750 ml.' },
  { slug: 'trail-backpack', name: 'Trail Backpack', price: 95, category: 'outdoor', color: '#16a34a', shape: 'pack', blurb: '28 litres, rain cover, and a back panel that breathes.' },
];

export const findProduct = (slug) => PRODUCTS.find((p) => p.slug === slug);

const SHAPES = {
  mug: '<rect x="14" y="18" width="26" height="30" rx="4"/><path d="M40 24h5a6 6 0 0 1 0 12h-5" fill="none" stroke-width="4"/>',
  kettle: '<path d="M16 46h32l-4-22H20z"/><rect x="26" y="16" width="12" height="6" rx="2"/><path d="M48 30l8-8" fill="none" stroke-width="4"/>',
  knife: '<path d="M10 40L46 14l6 4-30 26z"/><rect x="6" y="40" width="14" height="8" rx="3" transform="rotate(-35 13 44)"/>',
  lamp: '<path d="M22 14h20l6 14H16z"/><rect x="30" y="28" width="4" height="18"/><rect x="20" y="46" width="24" height="5" rx="2"/>',
  book: '<rect x="16" y="10" width="32" height="44" rx="3"/><rect x="20" y="10" width="3" height="44" fill="#fff" opacity=".4"/>',
  pen: '<path d="M18 50l4-12 22-22 6 6-22 22z"/><path d="M18 50l4-4" stroke-width="3"/>',
  bottle: '<rect x="24" y="8" width="16" height="8" rx="2"/><rect x="20" y="16" width="24" height="40" rx="8"/>',
  pack: '<rect x="16" y="14" width="32" height="40" rx="8"/><rect x="22" y="32" width="20" height="12" rx="3" fill="#fff" opacity=".35"/><path d="M26 14v-4h12v4" fill="none" stroke-width="3"/>',
};

/** An illustration for a product (decorative). */
export function productArt(p, size = 64) {
  return `<svg class="product-art" viewBox="0 0 64 64" width="${size}" height="${size}" aria-hidden="true" fill="${p.color}" stroke="${p.color}">${SHAPES[p.shape]}</svg>`;
}

export const CART_ICON =
  '<svg class="icon" viewBox="0 0 24 24" width="16" height="16" aria-hidden="true"><path d="M3 4h2l2.4 10.2a2 2 0 0 0 2 1.6h7.7a2 2 0 0 0 1.9-1.4L21 8H6.2" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"/><circle cx="10" cy="20" r="1.5" fill="currentColor"/><circle cx="17" cy="20" r="1.5" fill="currentColor"/></svg>';

export const money = (n) => `$${n.toFixed(2)}`;
