import type { ReactNode } from "react";

/** The frame of every portal page: a narrow column, phone first. */
export function PortalPage({ children, testId }: { children: ReactNode; testId: string }) {
  return (
    <main id="main" className="mx-auto w-full max-w-4xl space-y-5 px-4 py-5 sm:py-8" data-testid={testId}>
      {children}
    </main>
  );
}
