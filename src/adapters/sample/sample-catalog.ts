/**
 * Invented demo data for the sample marketplace. Names and streets are made up (any match with a
 * real person is chance); cities, states and ZIP codes are real combinations so address checks pass.
 * SKUs are those of config/sku-map.csv, plus one deliberately missing from it.
 */

export const FIRST_NAMES: readonly string[] = (
  "Marisol Dmitri Keisha Tobias Priya Emeka Hannah Rafael Ingrid Malik Sofia Connor Yuki " +
  "Abena Lucas Fatima Wendell Noor Gabriel Leilani Tomasz Renee Anand Colette Darius Mei " +
  "Jonah Esperanza Kwame Brigid"
).split(" ");

export const LAST_NAMES: readonly string[] = (
  "Okafor Lindqvist Alvarado Brennan Nakamura Haddad Kowalski Whitfield Osei Castellano " +
  "Prescott Varga Delacroix Mbeki Thornbury Quintero Ashworth Rahman Feldman Oyelaran " +
  "Sorensen Baptiste Mahoney Iwasaki Petrakis Gallagher Yilmaz"
).split(" ");

export const COMPANY_WORDS: readonly string[] = (
  "Dental Group, Family Law, Veterinary Clinic, Architects, Print Shop, Tax Services, Realty, " +
  "Physical Therapy, Learning Center, Engineering"
).split(", ");

export const STREETS: readonly string[] = (
  "Maple Avenue, Oak Street, Cedar Lane, Lakeview Drive, Hillcrest Road, Willow Way, " +
  "Chestnut Street, Riverside Drive, Sycamore Court, Highland Avenue, Pine Ridge Road, " +
  "Meadowbrook Lane, Franklin Street, Orchard Avenue, Birch Hollow Drive, Union Street"
).split(", ");

/** Long enough, with a house number, to pass 35 characters and exercise address wrapping. */
export const LONG_STREETS = [
  "Old Settlers Memorial Parkway North",
  "Martin Luther King Junior Boulevard",
  "Northeast Cherry Blossom Ridge Crossing",
  "West Veterans of Foreign Wars Memorial Highway",
  "South Thunderbird Canyon Ranch Estates Road",
] as const;

export const UNITS: readonly string[] = "Apt 2B, Apt 14, Unit 7, Suite 210, Apt 3C, Suite 105".split(", ");

export interface DemoPlace {
  readonly city: string;
  readonly state: string;
  readonly zip: string;
}

export const PLACES: readonly DemoPlace[] = [
  { city: "Portland", state: "OR", zip: "97205" },
  { city: "Austin", state: "TX", zip: "78701" },
  { city: "Columbus", state: "OH", zip: "43215" },
  { city: "Raleigh", state: "NC", zip: "27601" },
  { city: "Madison", state: "WI", zip: "53703" },
  { city: "Boise", state: "ID", zip: "83702" },
  { city: "Denver", state: "CO", zip: "80202" },
  { city: "Sacramento", state: "CA", zip: "95814" },
  { city: "Albany", state: "NY", zip: "12207" },
  { city: "Tucson", state: "AZ", zip: "85701" },
  { city: "Omaha", state: "NE", zip: "68102" },
  { city: "Richmond", state: "VA", zip: "23219" },
  { city: "Spokane", state: "WA", zip: "99201" },
  { city: "Des Moines", state: "IA", zip: "50309" },
  { city: "Nashville", state: "TN", zip: "37203" },
  { city: "Ann Arbor", state: "MI", zip: "48104" },
  { city: "Burlington", state: "VT", zip: "05401" },
  { city: "Providence", state: "RI", zip: "02903" },
  { city: "Savannah", state: "GA", zip: "31401" },
  { city: "Santa Fe", state: "NM", zip: "87501" },
  { city: "Salt Lake City", state: "UT", zip: "84111" },
  { city: "Charleston", state: "SC", zip: "29401" },
  { city: "Wilmington", state: "DE", zip: "19801" },
  { city: "Portland", state: "ME", zip: "04101" },
];

export interface DemoSku {
  readonly sku: string;
  readonly asin: string;
  readonly unitPrice: string;
}

/** Mapped in config/sku-map.csv, except the paper pair which is chosen together (see PAPER_PAIR). */
export const SKUS: readonly DemoSku[] = [
  { sku: "DEMO-GEL-PEN-12", asin: "B0DEMOPEN1", unitPrice: "15.99" },
  { sku: "DEMO-STAPLER", asin: "B0DEMOSTP2", unitPrice: "21.49" },
  { sku: "DEMO-FOLDERS-100", asin: "B0DEMOFLD3", unitPrice: "13.99" },
  { sku: "DEMO-TAPE-6PK", asin: "B0DEMOTAP4", unitPrice: "17.25" },
  { sku: "DEMO-MARKERS-4", asin: "B0DEMOMRK5", unitPrice: "8.99" },
  { sku: "DEMO-NOTES-12PK", asin: "B0DEMONTS6", unitPrice: "14.79" },
  { sku: "DEMO-PAPER-CT", asin: "B0DEMOPPR7", unitPrice: "52.99" },
];

/** Two SKUs that map to the same Essendant item (UNV21200): the PO merges them into one line. */
export const PAPER_PAIR: readonly DemoSku[] = [
  { sku: "DEMO-PAPER-CT", asin: "B0DEMOPPR7", unitPrice: "52.99" },
  { sku: "DEMO-PAPER-2CT", asin: "B0DEMOPPR8", unitPrice: "99.99" },
];

/** Not in the SKU map: such orders are held as UNMAPPED_SKU. */
export const UNMAPPED_SKU: DemoSku = { sku: "DEMO-UNMAPPED-TONER", asin: "B0DEMOTNR9", unitPrice: "64.50" };
