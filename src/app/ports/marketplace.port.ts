import type { ServiceIdentifier } from "inversify";
import type { AmazonOrder } from "../../domain/amazon-order.js";

/** One page of order changes and the cursor to continue from once the page is stored. */
export interface OrderPage {
  readonly orders: readonly AmazonOrder[];
  readonly cursor: string;
}

export interface ShipmentConfirmation {
  readonly packageReferenceId: string;
  readonly carrierCode: string;
  readonly carrierName?: string;
  readonly shippingMethod?: string;
  readonly trackingNumber: string;
  readonly shipDate: string;
  readonly items: readonly { readonly orderItemId: string; readonly quantity: number }[];
}

export type ConfirmOutcome =
  | { readonly kind: "confirmed" }
  /** Amazon refused it (HTTP 400): Amazon's error code and message, never the request body. */
  | { readonly kind: "rejected"; readonly code: string; readonly message: string };

/** Amazon: orders in, shipment confirmations out. */
export interface Marketplace {
  /**
   * Merchant-fulfilled orders created or changed after `cursor` (undefined on the first poll),
   * page by page. The caller stores each page with its cursor before asking for the next, so a
   * crash repeats at most one page; seeing an order twice is harmless. Throws IntegrationError.
   */
  changedOrders(cursor: string | undefined): AsyncIterable<OrderPage>;

  /**
   * Confirms one package. Re-sending the same packageReferenceId edits the shipment instead of
   * adding one, so a retry after a lost answer is safe. Throws IntegrationError for faults.
   */
  confirmShipment(orderId: string, confirmation: ShipmentConfirmation): Promise<ConfirmOutcome>;
}
export const Marketplace: ServiceIdentifier<Marketplace> = Symbol.for("Marketplace");
