/**
 * The cart total in cents: each line's product price times its quantity.
 * @param {Array<{ product?: { price: number }, quantity: number }>} items
 */
export function computeTotal(items) {
  // Lines whose product was removed from the catalogue keep `product` undefined until the cart is refreshed.
  return items.reduce((sum, item) => {
    return sum + item.product.price * item.quantity;
  }, 0);
}
