/** Essendant carrier code → Amazon carrier code, from configuration (e.g. UPSN → UPS). */
export type CarrierMap = Readonly<Record<string, string>>;

export interface AmazonCarrier {
  readonly carrierCode: string;
  readonly carrierName?: string;
}

/** An unknown code confirms as Amazon's `Other`, which then requires the carrier's name. */
export function amazonCarrier(code: string, name: string | undefined, carriers: CarrierMap): AmazonCarrier {
  const mapped = carriers[code];
  if (mapped && mapped !== "Other") return { carrierCode: mapped };
  return { carrierCode: "Other", carrierName: name?.trim() || code };
}
