import { computeTotal } from "../cart/total.js";
import { formatCents } from "../cart/format.js";

/** GET /cart: the session's cart with its total. */
export async function handleCart(req, res, loadCart) {
  const cart = await loadCart(req.session);
  const total = computeTotal(cart.items);
  res.json({ total, display: formatCents(total) });
}
