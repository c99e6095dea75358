/** The staging banner's markup, with its words translated on the server: the root layout (app/(app)/layout.tsx); the pay page writes the same (server/pay-page/document.ts). */
export function StagingBannerStatic({ text }: { text: string }) {
  return (
    <div
      role="note"
      data-testid="staging-banner"
      className="sticky top-0 z-50 bg-amber-400 px-3 py-1 text-center text-sm font-semibold text-amber-950"
    >
      {text}
    </div>
  );
}
