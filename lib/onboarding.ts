// The first-run checklist's steps, in the order a landlord sets a workspace up. Isomorphic: the
// server ticks each step off from real rows (server/dashboard/onboarding-checklist.ts), the
// dashboard shows it with a link to the page where the step is done.

export const ONBOARDING_STEPS = [
  { key: "units", href: "/properties" },
  { key: "renters", href: "/renters" },
  { key: "contracts", href: "/contracts" },
  { key: "bakong", href: "/settings#settings-bakong" },
  { key: "readings", href: "/readings" },
  { key: "invoices", href: "/invoices" },
] as const satisfies readonly { key: string; href: string }[];

export type OnboardingStepKey = (typeof ONBOARDING_STEPS)[number]["key"];

export interface OnboardingStep {
  key: OnboardingStepKey;
  href: string;
  done: boolean;
}

export interface OnboardingChecklist {
  steps: OnboardingStep[];
  allDone: boolean;
  /** the owner hid it */
  dismissed: boolean;
}
