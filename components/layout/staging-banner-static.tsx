/** The staging banner's markup (a server or client component alike): StagingBanner, and the pay page without providers. */
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
