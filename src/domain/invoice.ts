/** An Essendant invoice, decoded and schema-checked by the codec. */
export interface Invoice {
  readonly documentId: string;
  readonly invoiceNumber: string;
  readonly poNumber: string;
  readonly total: string;
  readonly lines: readonly {
    readonly itemNumber: string;
    readonly quantityInvoiced: number;
    readonly unitPrice: string;
  }[];
}
