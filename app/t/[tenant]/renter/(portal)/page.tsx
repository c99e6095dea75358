import { requireRenter } from "@/server/portal/renter-session";

// The renter portal's home (contracts, balance, open invoices): filled in by the portal pages work.
export const dynamic = "force-dynamic";

export default async function RenterHomePage() {
  await requireRenter();
  return <div data-testid="renter-home" />;
}
