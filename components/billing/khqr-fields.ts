// Reads the merchant name and city out of a KHQR string (EMVCo TLV: 2-digit tag, 2-digit length,
// value) so the checkout shows exactly whom the payer's app will show, without another request.

export interface KhqrMerchant {
  name: string | null;
  city: string | null;
}

export function khqrMerchant(qr: string | null | undefined): KhqrMerchant {
  const out: KhqrMerchant = { name: null, city: null };
  if (!qr) return out;
  let i = 0;
  while (i + 4 <= qr.length) {
    const tag = qr.slice(i, i + 2);
    const len = Number(qr.slice(i + 2, i + 4));
    if (!/^\d{2}$/.test(tag) || !Number.isInteger(len) || i + 4 + len > qr.length) break;
    const value = qr.slice(i + 4, i + 4 + len);
    if (tag === "59") out.name = value;
    if (tag === "60") out.city = value;
    i += 4 + len;
  }
  return out;
}
