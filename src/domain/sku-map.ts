/** How one seller SKU is bought from Essendant. */
export interface SkuMapping {
  readonly sellerSku: string;
  readonly itemNumber: string;
  readonly uom: string;
  /** How many `uom` units one Amazon unit of this SKU is (a 2-pack of cartons: 2). */
  readonly unitsPerSku: number;
  /** Expected cost per `uom` unit, a decimal string, used to check invoices. */
  readonly expectedUnitCost?: string;
}

export type SkuMap = ReadonlyMap<string, SkuMapping>;
