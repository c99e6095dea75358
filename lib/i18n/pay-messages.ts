import type { Messages } from "./config";

/**
 * The strings the renter pay page's browser code reads (components/payments/pay-page.tsx and the
 * pay page's error boundary), passed by its layout instead of the app's next-intl provider
 * (issue 17: the pay page loads none of the app's client providers). Everything else on the page
 * is translated on the server. tests/unit/pay-page-island.test.ts checks every key is here.
 */
export function payIslandMessages(all: Messages) {
  return {
    payPage: all.payPage,
    errors: {
      errorTitle: all.errors.errorTitle,
      errorBody: all.errors.errorBody,
      reference: all.errors.reference,
      tryAgain: all.errors.tryAgain,
    },
    files: { logo: { alt: all.files.logo.alt } },
    billing: { checkout: { brand: all.billing.checkout.brand } },
  };
}
