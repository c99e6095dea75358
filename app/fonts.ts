import localFont from "next/font/local";

// Noto Sans Khmer, bundled from npm (no Google Fonts download at build time), for Khmer text only
// (unicode-range): Latin text is in the reader's own system font (Roboto, San Francisco, Segoe UI…),
// which costs a phone nothing to load. A Latin web font (Inter, 48 KB) was preloaded on every page
// and sat on the critical path of the first paint on slow 4G; without it the dashboard's LCP under
// Lighthouse went from 2.3–2.6 s to 2.1–2.2 s (issue 17, bench/RESULTS.md). Both Khmer faces are
// preloaded: a workspace's pages show renters' Khmer names in any language. (next/font needs the
// values written out here as literals.)

export const khmer = localFont({
  src: [
    { path: "../node_modules/@fontsource/noto-sans-khmer/files/noto-sans-khmer-khmer-400-normal.woff2", weight: "400", style: "normal" },
    { path: "../node_modules/@fontsource/noto-sans-khmer/files/noto-sans-khmer-khmer-700-normal.woff2", weight: "700", style: "normal" },
  ],
  variable: "--font-khmer",
  display: "swap",
  declarations: [{ prop: "unicode-range", value: "U+1780-17FF, U+19E0-19FF, U+200B-200C, U+25CC" }],
});
