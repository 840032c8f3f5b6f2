export function FirmsPage() {
  return null;
}
