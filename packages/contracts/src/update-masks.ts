/**
 * Fields an update may name in its mask, where the service that applies the update and the gateway
 * that documents it must agree (the service checks its own input type against the list).
 */
export const editableOfferFields = [
  'title',
  'summary',
  'hsCodes',
  'vsicCodes',
  'keywords',
  'readinessLevel',
  'ipStatus',
  'ipNumbers',
  'transferModes',
  'priceBand',
  'cleanerProduction',
  'pollutionTreatment',
  'languages',
  'visibility',
  'visibleProvinces',
  'anonymous',
  'validUntil',
] as const;
